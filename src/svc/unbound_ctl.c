/* unbound's control protocol over its unix socket (see unbound_ctl.h):
 * one request written whole while the reply is read, both under one
 * deadline; the reply is judged line by line as it streams in, so a reply
 * larger than the caller's buffer is still read to the end and judged
 * whole. */
#include "unbound_ctl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "model/name.h"
#include "svc_unbound.h"
#include "common/unixsock.h"
#include "common/banned.h"

#define MAGIC "UBCT1 "
#define END_OF_TRANSMISSION "\x04\n" /* unbound-control's send_eof() */
#define REQUEST_MAX (64u << 20)

static const char *const bulk_commands[] = {
	"local_datas",      "local_datas_remove",      "local_zones",
	"local_zones_remove", "view_local_datas", "view_local_datas_remove",
};

/* What we learn from the reply as it streams by. */
struct reply {
	char *text; /* the caller's buffer, may be NULL */
	size_t cap, len;
	char line[64]; /* the start of the line being read */
	size_t line_len;
	char first[64], last[64]; /* the starts of the first and last lines */
	size_t lines;
	bool error; /* some line starts with "error" */
};

static void line_end(struct reply *r)
{
	r->line[r->line_len] = '\0';
	if (strncmp(r->line, "error", 5) == 0)
		r->error = true;
	if (r->lines++ == 0)
		memcpy(r->first, r->line, r->line_len + 1);
	memcpy(r->last, r->line, r->line_len + 1);
	r->line_len = 0;
}

static void reply_feed(struct reply *r, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (r->text && r->len + 1 < r->cap) {
			r->text[r->len++] = data[i];
			r->text[r->len] = '\0';
		}
		if (data[i] == '\n')
			line_end(r);
		else if (r->line_len < sizeof(r->line) - 1)
			r->line[r->line_len++] = data[i];
	}
}

static bool is_ok_line(const char *s)
{
	return strncmp(s, "ok", 2) == 0 && (s[2] == '\0' || s[2] == ' ');
}

/* "added 12 datas", "removed 3 zones": whether the count is `want`. */
static bool bulk_count_is(const char *s, size_t want)
{
	const char *p;
	if (strncmp(s, "added ", 6) == 0)
		p = s + 6;
	else if (strncmp(s, "removed ", 8) == 0)
		p = s + 8;
	else
		return false;
	if (*p < '0' || *p > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	return errno == 0 && (strcmp(end, " datas") == 0 || strcmp(end, " zones") == 0) && v == want;
}

static bool is_bulk(const char *command)
{
	command += strspn(command, " \t");
	size_t len = strcspn(command, " \t");
	for (size_t i = 0; i < ARRAY_SIZE(bulk_commands); i++)
		if (strlen(bulk_commands[i]) == len && strncmp(command, bulk_commands[i], len) == 0)
			return true;
	return false;
}

/* One line of the protocol: no control bytes but tabs, at most `max`. */
static int check_text(const char *s, size_t max)
{
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return -EINVAL;
	if (len == 0)
		return -EINVAL;
	return len > max ? -E2BIG : 0;
}

static int feed_reply(const char *data, size_t n, void *cls)
{
	reply_feed(cls, data, n);
	return 0;
}

/* Writes `req` while reading the reply until unbound closes the
 * connection. *ret_all_read: unbound took the whole request (it neither
 * closed its end early nor left bytes of it unread). */
static int exchange(int fd, const char *req, size_t reqlen, unsigned timeout_ms, struct reply *rep,
		    bool *ret_all_read)
{
	struct unixsock_exchange_end end;
	int r = unixsock_exchange(fd, req, reqlen, timeout_ms, feed_reply, rep, &end);
	if (r < 0)
		return r;
	if (rep->line_len > 0)
		line_end(rep); /* a last line without its newline */
	*ret_all_read = end.sent_all && !end.reset;
	return 0;
}

/* Validates, sends, reads: the reply in `rep`. */
static int transact(const char *socket_path, const char *command, const char *const *lines, size_t n_lines,
		    bool bulk, unsigned timeout_ms, struct reply *rep, bool *ret_all_read)
{
	int r = check_text(command, UNBOUND_CTL_COMMAND_MAX);
	if (r < 0)
		return r;
	if ((!bulk && lines) || (n_lines > 0 && !lines))
		return -EINVAL;
	for (size_t i = 0; i < n_lines; i++)
		if ((r = check_text(lines[i], UNBOUND_CTL_LINE_MAX)) < 0)
			return r;

	struct buf req;
	buf_init(&req, REQUEST_MAX);
	r = buf_printf(&req, MAGIC "%s\n", command);
	for (size_t i = 0; r == 0 && i < n_lines; i++)
		r = buf_printf(&req, "%s\n", lines[i]);
	if (r == 0 && bulk)
		r = buf_append(&req, END_OF_TRANSMISSION, strlen(END_OF_TRANSMISSION));
	_cleanup_free_ char *data = req.data;
	if (r < 0)
		return r;

	_cleanup_close_ int fd = -1;
	if ((r = unixsock_connect(socket_path, &fd)) < 0)
		return r;
	return exchange(fd, data, req.len, timeout_ms, rep, ret_all_read);
}

int unbound_ctl(const char *socket_path, const char *command, const char *const *lines, size_t n_lines,
		char *reply, size_t replylen, unsigned timeout_ms)
{
	struct reply rep = { .text = replylen ? reply : NULL, .cap = replylen };
	if (rep.text)
		rep.text[0] = '\0';
	bool bulk = is_bulk(command), all_read = false;
	int r = transact(socket_path, command, lines, n_lines, bulk, timeout_ms, &rep, &all_read);
	if (r < 0)
		return r;
	if (rep.error)
		return -EPROTO;
	if (!all_read)
		return -EPIPE;
	bool ok = bulk ? bulk_count_is(rep.last, n_lines) : is_ok_line(rep.first);
	return ok ? 0 : -EPROTO;
}

int unbound_ctl_query(const char *socket_path, const char *command, char *reply, size_t replylen,
		      unsigned timeout_ms)
{
	struct reply rep = { .text = replylen ? reply : NULL, .cap = replylen };
	if (rep.text)
		rep.text[0] = '\0';
	if (is_bulk(command))
		return -EINVAL;
	bool all_read = false;
	int r = transact(socket_path, command, NULL, 0, false, timeout_ms, &rep, &all_read);
	if (r < 0)
		return r;
	if (rep.error)
		return -EPROTO;
	return all_read ? 0 : -EPIPE;
}

/* unbound_ctl with the reply's first line, or the failure, in `err`. */
static int run(const char *socket_path, const char *command, const char *const *lines, size_t n, char *err,
	       size_t errlen)
{
	char reply[512];
	int r = unbound_ctl(socket_path, command, lines, n, reply, sizeof(reply), UNBOUND_CTL_TIMEOUT_MS);
	if (r < 0 && err && errlen) {
		size_t len = strcspn(reply, "\n");
		if (r == -EPROTO && len > 0)
			snprintf(err, errlen, "unbound: %.*s", (int)len, reply);
		else
			snprintf(err, errlen, "unbound control: %s", strerror(-r));
	}
	return r;
}

/* `n` strings built by `make` into one allocation, and the array of
 * pointers to them. */
struct lines {
	struct buf text;
	const char **v;
};

static void lines_free(struct lines *l)
{
	buf_free(&l->text);
	free(l->v);
}

static int lines_finish(struct lines *l, const size_t *offsets, size_t n)
{
	l->v = calloc(n ? n : 1, sizeof(*l->v));
	if (!l->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		l->v[i] = l->text.data + offsets[i];
	return 0;
}

int unbound_ctl_add(const char *socket_path, const char *const *rrs, size_t n, char *err, size_t errlen)
{
	_cleanup_free_ char *esc = malloc(SVC_UNBOUND_RR_MAX);
	_cleanup_free_ size_t *offsets = calloc(n ? n : 1, sizeof(*offsets));
	struct lines l = { 0 };
	buf_init(&l.text, REQUEST_MAX);
	int r = esc && offsets ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		offsets[i] = l.text.len;
		r = svc_unbound_rr_escape(rrs[i], esc, SVC_UNBOUND_RR_MAX);
		if (r == 0)
			r = buf_append(&l.text, esc, strlen(esc) + 1);
	}
	if (r == 0)
		r = lines_finish(&l, offsets, n);
	if (r == 0)
		r = run(socket_path, "local_datas", l.v, n, err, errlen);
	else if (err && errlen)
		snprintf(err, errlen, "cannot prepare the records: %s", strerror(-r));
	lines_free(&l);
	return r;
}

static bool name_chars(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr(extra, *p)))
			return false;
	return true;
}

/* A resolver address: IPv4 or IPv6, optionally @port. */
static bool server_chars(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF.:@") == strlen(s);
}

/* A name as a control-line argument: fully qualified with its dot. */
static int absolute_name(const char *name, const char *extra, char out[NAME_MAX_LEN + 2])
{
	if (!name_chars(name, extra) || name[0] == '.')
		return -EINVAL;
	size_t len = strlen(name);
	int n = snprintf(out, NAME_MAX_LEN + 2, "%s%s", name, name[len - 1] == '.' ? "" : ".");
	return n < 0 || n >= NAME_MAX_LEN + 2 ? -ENAMETOOLONG : 0;
}

int unbound_ctl_remove(const char *socket_path, const char *const *names, size_t n, char *err, size_t errlen)
{
	_cleanup_free_ size_t *offsets = calloc(n ? n : 1, sizeof(*offsets));
	struct lines l = { 0 };
	buf_init(&l.text, REQUEST_MAX);
	int r = offsets ? 0 : -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		char name[NAME_MAX_LEN + 2];
		offsets[i] = l.text.len;
		r = absolute_name(names[i], "-_.*", name);
		if (r == 0)
			r = buf_append(&l.text, name, strlen(name) + 1);
	}
	if (r == 0)
		r = lines_finish(&l, offsets, n);
	if (r == 0)
		r = run(socket_path, "local_datas_remove", l.v, n, err, errlen);
	else if (err && errlen)
		snprintf(err, errlen, "cannot prepare the names: %s", strerror(-r));
	lines_free(&l);
	return r;
}

int unbound_ctl_flush_zone(const char *socket_path, const char *zone, char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 2], command[UNBOUND_CTL_COMMAND_MAX + 1];
	int r = absolute_name(zone, "-_.", name);
	if (r < 0)
		return r;
	int n = snprintf(command, sizeof(command), "flush_zone %s", name);
	if (n < 0 || (size_t)n >= sizeof(command))
		return -ENAMETOOLONG;
	return run(socket_path, command, NULL, 0, err, errlen);
}

int unbound_ctl_forward_add(const char *socket_path, const char *zone, const char *const *servers, size_t n,
			    char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 2];
	int r = absolute_name(zone, "-_.", name);
	if (r < 0)
		return r;
	if (svc_unbound_shadowed(name) != SVC_UNBOUND_NOT_SHADOWED) {
		if (err && errlen)
			snprintf(err, errlen, "'%s' is inside a zone unbound answers itself: reload instead", zone);
		return -EOPNOTSUPP;
	}
	if (n == 0)
		return -EINVAL;
	struct buf command;
	buf_init(&command, UNBOUND_CTL_COMMAND_MAX);
	r = buf_printf(&command, "forward_add +i %s", name);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = server_chars(servers[i]) ? buf_printf(&command, " %s", servers[i]) : -EINVAL;
	_cleanup_free_ char *text = command.data;
	if (r == 0)
		r = run(socket_path, text, NULL, 0, err, errlen);
	return r < 0 ? r : unbound_ctl_flush_zone(socket_path, name, err, errlen);
}

int unbound_ctl_forward_remove(const char *socket_path, const char *zone, char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 2], command[UNBOUND_CTL_COMMAND_MAX + 1];
	int r = absolute_name(zone, "-_.", name);
	if (r < 0)
		return r;
	if (svc_unbound_shadowed(name) != SVC_UNBOUND_NOT_SHADOWED)
		return -EOPNOTSUPP;
	int n = snprintf(command, sizeof(command), "forward_remove +i %s", name);
	if (n < 0 || (size_t)n >= sizeof(command))
		return -ENAMETOOLONG;
	r = run(socket_path, command, NULL, 0, err, errlen);
	return r < 0 ? r : unbound_ctl_flush_zone(socket_path, name, err, errlen);
}

/* "<verb> <zone>.[ <arg>]" */
static int zone_command(const char *socket_path, const char *verb, const char *zone, const char *arg, char *err,
			size_t errlen)
{
	char name[NAME_MAX_LEN + 2], command[UNBOUND_CTL_COMMAND_MAX + 1];
	int r = absolute_name(zone, "-_.", name);
	if (r < 0)
		return r;
	int n = snprintf(command, sizeof(command), "%s %s%s%s", verb, name, arg ? " " : "", arg ? arg : "");
	if (n < 0 || (size_t)n >= sizeof(command))
		return -ENAMETOOLONG;
	return run(socket_path, command, NULL, 0, err, errlen);
}

int unbound_ctl_zone_type(const char *socket_path, const char *zone, const char *type, char *err, size_t errlen)
{
	if (!name_chars(type, "_"))
		return -EINVAL;
	return zone_command(socket_path, "local_zone", zone, type, err, errlen);
}

int unbound_ctl_auth_reload(const char *socket_path, const char *zone, char *err, size_t errlen)
{
	return zone_command(socket_path, "auth_zone_reload", zone, NULL, err, errlen);
}
