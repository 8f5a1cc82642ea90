/* libnftables wrapper (see nft.h). A session holds one context and opens
 * a new one only when the process has moved to another network namespace
 * (the context's socket and cache belong to the one it was made in) or
 * after a failed run, so that nothing of a failure carries over. */
#include "nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/nft_render.h"
#include "common/banned.h"

#define NFT_TABLE NFT_TABLE_FAMILY " " NFT_TABLE_NAME
/* Creating the table first makes the delete succeed when it is absent. */
#define NFT_REPLACE_PREFIX "add table " NFT_TABLE "\ndelete table " NFT_TABLE "\n"
#define NFT_NETNS_PATH "/proc/thread-self/ns/net"

struct nft_session {
	struct nft_ctx *ctx; /* NULL until used, and after a failed run */
	dev_t netns_dev;     /* the namespace ctx was made in */
	ino_t netns_ino;
};

static void err_set(char *err, size_t errlen, const char *msg)
{
	if (!err || errlen == 0)
		return;
	if (!msg || !*msg)
		msg = "nft failed without a message";
	/* nft's messages end in a newline and may quote the input over
	 * several lines: keep them, minus the trailing newline. */
	size_t n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		n--;
	if (n >= errlen)
		n = errlen - 1;
	memcpy(err, msg, n);
	err[n] = '\0';
}

int nft_session_open(struct nft_session **ret)
{
	struct nft_session *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

static void session_drop_ctx(struct nft_session *s)
{
	if (s->ctx)
		nft_ctx_free(s->ctx);
	s->ctx = NULL;
}

void nft_session_close(struct nft_session *s)
{
	if (!s)
		return;
	session_drop_ctx(s);
	free(s);
}

/* The session's context, made (again) for the namespace the process is in. */
static int session_ctx(struct nft_session *s, struct nft_ctx **ret)
{
	struct stat ns;
	if (stat(NFT_NETNS_PATH, &ns) < 0)
		return -errno;
	if (s->ctx && (s->netns_dev != ns.st_dev || s->netns_ino != ns.st_ino))
		session_drop_ctx(s);
	if (!s->ctx) {
		struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
		if (!ctx)
			return -ENOMEM;
		if (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0) {
			nft_ctx_free(ctx);
			return -ENOMEM;
		}
		s->ctx = ctx;
		s->netns_dev = ns.st_dev;
		s->netns_ino = ns.st_ino;
	}
	*ret = s->ctx;
	return 0;
}

/* Runs `cmds` in session `s`; on success, appends nft's output to `out`
 * if given. */
static int session_run(struct nft_session *s, const char *cmds, bool dry_run, struct buf *out, char *err,
		       size_t errlen)
{
	struct nft_ctx *ctx = NULL;
	int r = session_ctx(s, &ctx);
	if (r < 0) {
		err_set(err, errlen, "cannot create an nftables context");
		return r;
	}
	nft_ctx_set_dry_run(ctx, dry_run);
	bool failed = nft_run_cmd_from_buffer(ctx, cmds) != 0;
	nft_ctx_set_dry_run(ctx, false);
	/* Reading a buffer rewinds it: both are read after every run, so
	 * nothing piles up in a context that lives on. */
	const char *o = nft_ctx_get_output_buffer(ctx);
	const char *e = nft_ctx_get_error_buffer(ctx);
	if (failed) {
		err_set(err, errlen, e);
		session_drop_ctx(s);
		return -EIO;
	}
	r = out ? buf_append(out, o ? o : "", o ? strlen(o) : 0) : 0;
	if (r < 0)
		err_set(err, errlen, "nft output too large");
	return r;
}

/* session_run() in `s`, or in a session just for this call. */
static int run(struct nft_session *s, const char *cmds, bool dry_run, struct buf *out, char *err, size_t errlen)
{
	if (s)
		return session_run(s, cmds, dry_run, out, err, errlen);
	struct nft_session once = { 0 };
	int r = session_run(&once, cmds, dry_run, out, err, errlen);
	session_drop_ctx(&once);
	return r;
}

static int replace(struct nft_session *s, const char *ruleset, bool dry_run, char *err, size_t errlen)
{
	struct buf cmds;
	buf_init(&cmds, strlen(NFT_REPLACE_PREFIX) + strlen(ruleset) + 1);
	int r = buf_printf(&cmds, "%s%s", NFT_REPLACE_PREFIX, ruleset);
	if (r == 0)
		r = run(s, cmds.data, dry_run, NULL, err, errlen);
	else
		err_set(err, errlen, "out of memory");
	buf_free(&cmds);
	return r;
}

int nft_apply(struct nft_session *s, const char *ruleset, char *err, size_t errlen)
{
	return replace(s, ruleset, false, err, errlen);
}

int nft_check(struct nft_session *s, const char *ruleset, char *err, size_t errlen)
{
	return replace(s, ruleset, true, err, errlen);
}

int nft_run(struct nft_session *s, const char *commands, char *err, size_t errlen)
{
	return run(s, commands, false, NULL, err, errlen);
}

int nft_delete_table(struct nft_session *s, char *err, size_t errlen)
{
	return run(s, NFT_REPLACE_PREFIX, false, NULL, err, errlen);
}

/* True when the listing of tables holds exactly the line "table inet pic". */
static bool tables_have_ours(const char *list)
{
	static const char line[] = "table " NFT_TABLE;
	for (const char *p = list; (p = strstr(p, line)); p += sizeof(line) - 1)
		if ((p == list || p[-1] == '\n') && (p[sizeof(line) - 1] == '\n' || p[sizeof(line) - 1] == '\0'))
			return true;
	return false;
}

int nft_list_table(struct nft_session *s, struct buf *out, char *err, size_t errlen)
{
	struct buf tables;
	buf_init(&tables, 1 << 20);
	int r = run(s, "list tables " NFT_TABLE_FAMILY, false, &tables, err, errlen);
	bool ours = r == 0 && tables.data && tables_have_ours(tables.data);
	buf_free(&tables);
	if (r < 0)
		return r;
	if (!ours) {
		err_set(err, errlen, "no table " NFT_TABLE);
		return -ENOENT;
	}
	return run(s, "list table " NFT_TABLE, false, out, err, errlen);
}
