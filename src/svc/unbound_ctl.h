/* picd's own client of unbound's control protocol (unbound 1.17, plain
 * text on the unix socket of `control-interface`, `control-use-cert: no`;
 * no unbound-control process). One connection per command:
 *
 *   -> "UBCT1 <command>\n"
 *   -> for the bulk commands (local_datas, local_datas_remove,
 *      local_zones, local_zones_remove, view_local_datas <view>,
 *      view_local_datas_remove <view>): one line per entry, then the
 *      end-of-transmission line "\x04\n"
 *   <- the reply, until unbound closes the connection.
 *
 * unbound reads the command line into 1,024 bytes and each bulk line into
 * 2,048 and silently stops at a longer one; the limits below refuse those
 * before anything is sent. Replies: "ok" (or "ok ..."), lines starting
 * with "error" (unbound-control itself exits 0 on those), and for the bulk
 * commands "added N datas" / "removed N zones" ..., where N counts the
 * lines accepted; an error line for each one refused comes before it.
 *
 * unbound serves a control connection in its worker thread with a
 * blocking socket, so a client that stalls halfway stalls DNS: the
 * request is written in one go, and read back to the end. */
#pragma once

#include <stddef.h>

#define UNBOUND_CTL_COMMAND_MAX 1023 /* bytes of "<command>", without "UBCT1 " and "\n" */
#define UNBOUND_CTL_LINE_MAX 2047    /* bytes of one bulk line, without "\n" */
#define UNBOUND_CTL_TIMEOUT_MS 2000  /* the helpers' limit for the whole exchange */

/* Sends `command` (and `lines` for a bulk command; `lines` must be NULL
 * for any other) and reads the reply to EOF; the reply's start goes into
 * `reply` (NUL-terminated, may be NULL). 0 only if unbound said ok: no
 * line starting with "error", and the first line "ok" — or, for a bulk
 * command, the count on its last line equal to `n_lines`.
 *   -EINVAL    a newline or control byte in the command or a line, a bulk
 *              command without lines pointer for n_lines > 0, lines for
 *              another command
 *   -E2BIG     over the limits above
 *   -ENOENT, -ECONNREFUSED, -EAGAIN   no daemon listening / backlog full
 *   -ETIMEDOUT the exchange took longer than `timeout_ms`
 *   -EPROTO    unbound answered with an error (see `reply`). For a bulk
 *              command the lines it accepted ARE applied: it reports
 *              each refused line and goes on with the next
 *   -EPIPE     unbound closed the connection before reading everything
 *              and said nothing about it
 * or another -errno. */
int unbound_ctl(const char *socket_path, const char *command, const char *const *lines, size_t n_lines,
		char *reply, size_t replylen, unsigned timeout_ms);

/* For commands that answer with data (status, list_local_data, ...): 0
 * unless the reply starts with "error"; the reply in `reply`. */
int unbound_ctl_query(const char *socket_path, const char *command, char *reply, size_t replylen,
		      unsigned timeout_ms);

/* The helpers below put unbound's reply, or what went wrong, into `err`
 * (may be NULL) and wait at most UNBOUND_CTL_TIMEOUT_MS. */

/* Adds records (dns_record_rr() lines; escaped here with
 * svc_unbound_rr_escape()) with local_datas. Records are visible on the
 * next query. Adding a record that exists changes nothing; a TTL change is
 * remove + add. */
int unbound_ctl_add(const char *socket_path, const char *const *rrs, size_t n, char *err, size_t errlen);
/* Removes EVERY record at each name (local_datas_remove takes names, not
 * records): to remove one record of several at a name, re-add the others
 * — at the zone apex also svc_unbound_apex_rrs(). In the static cell zone
 * a name left without records answers NXDOMAIN. */
int unbound_ctl_remove(const char *socket_path, const char *const *names, size_t n, char *err, size_t errlen);

/* A forward zone, live: forward_add +i (the zone also becomes a DNSSEC
 * insecure point, as domain-insecure does in unbound.conf) and a flush of
 * the zone's cached answers. -EOPNOTSUPP for a zone that is or is inside
 * one of unbound's built-in local zones (svc_unbound_shadowed()): making
 * it reachable at run time (local_zone ... transparent) turns the rest of
 * the built-in zone's answers from NXDOMAIN into SERVFAIL in unbound 1.17;
 * for those, rewrite unbound.conf and reload. */
int unbound_ctl_forward_add(const char *socket_path, const char *zone, const char *const *servers, size_t n,
			    char *err, size_t errlen);
int unbound_ctl_forward_remove(const char *socket_path, const char *zone, char *err, size_t errlen);
/* Drops the cached answers at and under `zone`. */
int unbound_ctl_flush_zone(const char *socket_path, const char *zone, char *err, size_t errlen);

/* local_zone <zone> <type>: creates the zone, or changes the type of one
 * that exists and keeps its data. */
int unbound_ctl_zone_type(const char *socket_path, const char *zone, const char *type, char *err, size_t errlen);
/* auth_zone_reload <zone>: the auth-zone reads its zonefile again. */
int unbound_ctl_auth_reload(const char *socket_path, const char *zone, char *err, size_t errlen);
