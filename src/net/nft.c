/* libnftables wrapper (see nft.h). One context per call: they are cheap
 * (the netlink socket is opened per run anyway) and a fresh one carries no
 * state, such as a cache of another namespace, from call to call. */
#include "nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "net/nft_render.h"
#include "common/banned.h"

#define NFT_TABLE NFT_TABLE_FAMILY " " NFT_TABLE_NAME
/* Creating the table first makes the delete succeed when it is absent. */
#define NFT_REPLACE_PREFIX "add table " NFT_TABLE "\ndelete table " NFT_TABLE "\n"

DEFINE_PTR_CLEANUP(struct nft_ctx, nft_ctx_free)

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

static int ctx_new(struct nft_ctx **ret)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return -ENOMEM;
	if (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0) {
		nft_ctx_free(ctx);
		return -ENOMEM;
	}
	*ret = ctx;
	return 0;
}

/* Runs `cmds`; on success, appends nft's output to `out` if given. */
static int run(const char *cmds, bool dry_run, struct buf *out, char *err, size_t errlen)
{
	_cleanup_(nft_ctx_freep) struct nft_ctx *ctx = NULL;
	int r = ctx_new(&ctx);
	if (r < 0) {
		err_set(err, errlen, "cannot create an nftables context");
		return r;
	}
	nft_ctx_set_dry_run(ctx, dry_run);
	if (nft_run_cmd_from_buffer(ctx, cmds) != 0) {
		err_set(err, errlen, nft_ctx_get_error_buffer(ctx));
		return -EIO;
	}
	if (out) {
		const char *o = nft_ctx_get_output_buffer(ctx);
		r = buf_append(out, o ? o : "", o ? strlen(o) : 0);
		if (r < 0) {
			err_set(err, errlen, "nft output too large");
			return r;
		}
	}
	return 0;
}

static int replace(const char *ruleset, bool dry_run, char *err, size_t errlen)
{
	struct buf cmds;
	buf_init(&cmds, strlen(NFT_REPLACE_PREFIX) + strlen(ruleset) + 1);
	int r = buf_printf(&cmds, "%s%s", NFT_REPLACE_PREFIX, ruleset);
	if (r == 0)
		r = run(cmds.data, dry_run, NULL, err, errlen);
	else
		err_set(err, errlen, "out of memory");
	buf_free(&cmds);
	return r;
}

int nft_apply(const char *ruleset, char *err, size_t errlen)
{
	return replace(ruleset, false, err, errlen);
}

int nft_check(const char *ruleset, char *err, size_t errlen)
{
	return replace(ruleset, true, err, errlen);
}

int nft_run(const char *commands, char *err, size_t errlen)
{
	return run(commands, false, NULL, err, errlen);
}

int nft_delete_table(char *err, size_t errlen)
{
	return run(NFT_REPLACE_PREFIX, false, NULL, err, errlen);
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

int nft_list_table(struct buf *out, char *err, size_t errlen)
{
	struct buf tables;
	buf_init(&tables, 1 << 20);
	int r = run("list tables " NFT_TABLE_FAMILY, false, &tables, err, errlen);
	bool ours = r == 0 && tables.data && tables_have_ours(tables.data);
	buf_free(&tables);
	if (r < 0)
		return r;
	if (!ours) {
		err_set(err, errlen, "no table " NFT_TABLE);
		return -ENOENT;
	}
	return run("list table " NFT_TABLE, false, out, err, errlen);
}
