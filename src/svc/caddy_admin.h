/* picd's own client of caddy 2.6's admin API on a unix socket (no libcurl,
 * no caddy process): one HTTP/1.1 request per connection, sent with
 * "Connection: close" and read back to EOF under one deadline.
 *
 * caddy checks the Host header of every admin request against the
 * `origins` of its admin block: for a unix socket the default allows only
 * an empty host, which no HTTP/1.1 client may send, so caddy.json sets
 * `origins: ["localhost"]` and this client sends "Host: localhost".
 * Without that every request is 403 "host not allowed". caddy does not
 * check Origin unless `enforce_origin` is set; none is sent.
 *
 * POST /load replaces the whole config: the body must carry the admin
 * block too, or caddy moves its API to the default localhost:2019. caddy
 * answers 200 once the new config's servers listen, or 400 with
 * {"error": "<reason>"} and keeps the old one. The new servers bind
 * sockets of their own (SO_REUSEPORT) and the old ones are shut down
 * after the answer: on a busy machine a request in the next milliseconds
 * may still reach the old config, and a connection still queued on an
 * old socket when it closes is reset unless the namespace migrates it
 * (net.ipv4.tcp_migrate_req). Loading a config equal to the running one
 * is a no-op that answers 200 — caddy compares the JSON, not the files it
 * names — unless the request carries "Cache-Control: must-revalidate":
 * then caddy provisions it anew, and its tls app reads the certificate
 * files again (a renewed leaf under the same file names). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

#define CADDY_ADMIN_HOST "localhost"
#define CADDY_ADMIN_BODY_MAX (4u << 20)     /* a request body we send */
#define CADDY_ADMIN_RESPONSE_MAX (4u << 20) /* a response we read */

/* One request: `method` ("GET", "POST", ...), `path` ("/load"), a JSON
 * `body` (NULL for none). On success the HTTP status in `ret_status` and
 * the response body (de-chunked) appended to `ret_body` (may be NULL). No
 * judgement of the status here.
 *   -ENAMETOOLONG the socket path does not fit a sockaddr_un
 *   -ENOENT, -ECONNREFUSED, -EAGAIN   no caddy listening / backlog full
 *   -ETIMEDOUT    the exchange took longer than `timeout_ms`
 *   -EPROTO       not an HTTP response caddy would send
 *   -EMSGSIZE     a response over CADDY_ADMIN_RESPONSE_MAX
 *   -E2BIG        a body over CADDY_ADMIN_BODY_MAX
 *   -EINVAL       a method or path with bytes that do not belong there
 * or another -errno. */
int caddy_admin_request(const char *socket_path, const char *method, const char *path, const char *body,
			size_t len, unsigned timeout_ms, int *ret_status, struct buf *ret_body);

/* POST /load with `json`, with `force` even when it equals the running
 * config (the files it names changed): 0 on 200; -EINVAL on 400 with caddy's "error"
 * text in `err` (the old config keeps serving); -EACCES on 403 (the
 * running config's admin block does not allow "localhost"); -EPROTO for
 * another status; or caddy_admin_request()'s errors, each with a
 * sentence in `err` (may be NULL). */
int caddy_admin_load(const char *socket_path, const char *json, size_t len, bool force, unsigned timeout_ms,
		     char *err, size_t errlen);

/* GET /config/: the running config as caddy re-encodes it (compact JSON,
 * keys sorted, a trailing newline) appended to `out`. 0 on 200; else as
 * caddy_admin_load(). */
int caddy_admin_get_config(const char *socket_path, unsigned timeout_ms, struct buf *out, char *err,
			   size_t errlen);
