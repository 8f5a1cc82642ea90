/* libmicrohttpd glue: request accumulation, early limits, response
 * serialisation. What to do with a request is decided in dispatch.c. */
#include "http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "apply/apply.h"
#include "common/buf.h"
#include "model/cidr.h"
#include "common/log.h"
#include "common/loop.h"
#include "daemon.h"
#include "deferred.h"
#include "dispatch.h"
#include "sse.h"
#include "store/store.h"
#include "store/store_syncer.h"
#include "ui_path.h"
#include "common/banned.h"

#define HTTP_CONNECTION_LIMIT 512
#define HTTP_PER_IP_LIMIT 128
#define HTTP_CONNECTION_TIMEOUT_S 30
/* A request or answer this large (GET /api/peers at 1,000 peers is
 * ~0.3 MB) was a JSON tree of many small blocks: freed, they stay
 * resident wherever anything allocated since sits above them in the heap,
 * so the heap is trimmed once the exchange is over. The trim costs about
 * what the freed tree was: 11-12 ms for 300,000 blocks (~25 MB), 6 us
 * with nothing to give back. */
#define HTTP_TRIM_AFTER_BYTES (256 * 1024)

/* On every answer of the TCP listeners, API and UI alike. The UI loads
 * nothing from elsewhere and is framed by nobody. Referrer-Policy is the
 * proxy's (svc_caddy.c sets same-origin on all it forwards, over
 * whatever picd says), so the UI behaves alike directly and through it:
 * its own requests keep their Referer, other origins never see a cell
 * URL. */
#define HTTP_CSP                                                                                     \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "      \
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " \
	"frame-ancestors 'none'"
#define HTTP_REFERRER_POLICY "same-origin"

struct conn_state;

struct http_server {
	struct daemon *d;
	struct conn_state *held; /* the cell listener: requests held during a proxy change */
	struct MHD_Daemon *mhd;
	struct loop_source *source;
	bool local;
	unsigned long resumes_seen, deferred_resumes_seen;
	unsigned long synced_resumes, synced_resumes_seen;
	uint32_t trusted_proxy;
};

struct conn_state {
	struct http_request req;
	struct router_match match;
	enum router_result found;
	struct buf body;
	bool too_large;
	size_t reply_len;
	struct deferred *deferred; /* the answer comes later (deferred.h) */
	bool path_nul;             /* the raw path held %00 (on_uri) */
	bool via_proxy;            /* the connection comes from the cell's proxy */
	bool held;                 /* suspended until the proxy's change is done */
	struct conn_state *held_prev, *held_next;
	/* An answer to a request that wrote waits for its write to be on
	 * disk (store_syncer.h): the store's count of writes when the
	 * request began, and the answer meanwhile. */
	struct http_server *server;
	uint64_t writes_before;
	struct store_sync_wait sync_wait;
	bool synced;
	struct http_response pending;
};

static void fill_peer(struct http_server *s, struct MHD_Connection *conn, struct http_request *req)
{
	if (s->local) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct ucred cred;
		socklen_t len = sizeof(cred);
		req->peer_uid = (unsigned)-1;
		if (ci && getsockopt(ci->connect_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
			req->peer_uid = cred.uid;
		snprintf(req->peer, sizeof(req->peer), "local:uid=%d", (int)req->peer_uid);
		return;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->peer, sizeof(req->peer));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->peer, sizeof(req->peer));
	else
		snprintf(req->peer, sizeof(req->peer), "unknown");
}

void http_server_trust_proxy(struct http_server *s, uint32_t addr)
{
	if (s)
		s->trusted_proxy = addr;
}

/* Behind the cell's proxy, the client is the last address in
 * X-Forwarded-For (the one the proxy appended) and TLS is what
 * X-Forwarded-Proto says. Anyone else's forwarding headers are ignored. */
static bool from_proxy(const struct http_server *s, const struct http_request *req)
{
	uint32_t peer;
	return s->trusted_proxy && ipv4_parse(req->peer, &peer) == 0 && peer == s->trusted_proxy;
}

static void apply_forwarded(struct http_server *s, struct MHD_Connection *conn, struct http_request *req)
{
	if (!from_proxy(s, req))
		return;
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	if (xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		char client[64];
		size_t len = strcspn(last, " ");
		struct in6_addr any;
		if (len < sizeof(client)) {
			memcpy(client, last, len);
			client[len] = '\0';
			if (inet_pton(AF_INET, client, &any) == 1 || inet_pton(AF_INET6, client, &any) == 1)
				snprintf(req->peer, sizeof(req->peer), "%s", client);
		}
	}
	req->tls = proto && strcmp(proto, "https") == 0;
}

static void add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(r, "Referrer-Policy", HTTP_REFERRER_POLICY);
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static bool has_header(const struct http_response *res, const char *name)
{
	for (unsigned i = 0; i < res->n_headers; i++)
		if (strcasecmp(res->headers[i].name, name) == 0)
			return true;
	return false;
}

static enum MHD_Result queue_stream(struct MHD_Connection *conn, bool tcp, struct http_response *res)
{
	struct MHD_Response *r = sse_response(res->stream, conn);
	if (!r) {
		sse_discard(res->stream);
		res->stream = NULL;
		return MHD_NO;
	}
	res->stream = NULL; /* MHD owns it now and frees it with the response */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (tcp)
		add_security_headers(r);
	enum MHD_Result ok = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ok;
}

/* The body of `res` as a libmicrohttpd response, with its Content-Type
 * (NULL: none) and how many bytes of heap it holds. A file's descriptor
 * is MHD's from here: it sends it with sendfile
 * (MHD_OPTION_SIGPIPE_HANDLED_BY_APP), answers a HEAD or a 304 with the
 * headers alone (Content-Length included) and closes it with the
 * response. */
static struct MHD_Response *body_response(struct http_response *res, const char **ret_type, size_t *ret_len)
{
	if (res->has_file) {
		struct MHD_Response *r = MHD_create_response_from_fd64(res->file_size, res->file_fd);
		if (r)
			res->has_file = false;
		*ret_type = res->raw_type;
		*ret_len = 0;
		return r;
	}
	char *text = NULL;
	size_t len = 0;
	const char *type = "application/json";
	if (res->raw) {
		text = res->raw;
		len = res->raw_len;
		type = res->raw_type;
		res->raw = NULL; /* MHD frees it with the response */
	} else if (res->body && res->status != 204 && res->status != 304) {
		text = json_dumps(res->body, JSON_COMPACT);
		if (!text)
			return NULL;
		len = strlen(text);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return NULL;
	}
	*ret_type = text ? type : NULL;
	*ret_len = len;
	return r;
}

static enum MHD_Result queue(struct MHD_Connection *conn, bool tcp, struct http_response *res, size_t *ret_len)
{
	if (res->stream)
		return queue_stream(conn, tcp, res);
	const char *type;
	struct MHD_Response *r = body_response(res, &type, ret_len);
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (!has_header(res, MHD_HTTP_HEADER_CACHE_CONTROL))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (tcp)
		add_security_headers(r);
	for (unsigned i = 0; i < res->n_headers; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(conn, res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result reply_and_free(struct conn_state *cs, struct MHD_Connection *conn, struct http_response *res)
{
	enum MHD_Result ok = queue(conn, !cs->req.local, res, &cs->reply_len);
	http_response_clear(res); /* what queue() did not hand to MHD */
	return ok;
}

static void on_synced(struct store_sync_wait *w, int r)
{
	struct conn_state *cs = (struct conn_state *)((char *)w - offsetof(struct conn_state, sync_wait));
	if (r < 0) {
		http_response_clear(&cs->pending);
		http_error(&cs->pending, 500, "not_durable", NULL,
			   "the change was made but could not be written to disk: %s", strerror(-r));
	}
	cs->synced = true;
	MHD_resume_connection(cs->req.conn);
	cs->server->synced_resumes++;
}

/* The answer, once what the request wrote is on disk: at once if it
 * wrote nothing (or a sync already covers it), else when the store's
 * syncer says so, the connection suspended meanwhile. A read is never
 * held for someone else's write. */
static enum MHD_Result answer(struct http_server *s, struct conn_state *cs, struct MHD_Connection *conn,
			      struct http_response *res)
{
	struct daemon *d = s->d;
	uint64_t writes = store_writes(d->store);
	/* No syncer: picd is stopping, and has synced what there was. */
	if (!d->syncer || writes == cs->writes_before || store_syncer_covers(d->syncer, writes))
		return reply_and_free(cs, conn, res);
	cs->pending = *res;
	*res = (struct http_response){ 0 };
	cs->server = s;
	cs->sync_wait = (struct store_sync_wait){ .writes = writes, .ready = on_synced };
	store_syncer_wait(d->syncer, &cs->sync_wait);
	MHD_suspend_connection(conn);
	return MHD_YES;
}

/* While caddy is being given a new config (off the loop), a request it
 * forwards is held until the change is done, as it was when the change
 * held the whole loop: caddy's old servers then still have a request in
 * flight when they shut down, answer it with Connection: close, and do
 * not close a kept-alive client connection as idle under a request the
 * client is already sending. Only requests from the proxy's address are
 * held (the main listener serves the bridge too where it listens on every
 * address); every other client and the control socket are answered
 * meanwhile. */
static bool proxy_changing(struct http_server *s)
{
	if (!s->trusted_proxy)
		return false;
	struct svc *proxy = supervisor_find(&s->d->sup, "proxy");
	return proxy && apply_busy(s->d, proxy);
}

static void hold(struct http_server *s, struct conn_state *cs, struct MHD_Connection *conn)
{
	cs->held = true;
	cs->held_prev = NULL;
	cs->held_next = s->held;
	if (s->held)
		s->held->held_prev = cs;
	s->held = cs;
	MHD_suspend_connection(conn);
}

static void unhold(struct http_server *s, struct conn_state *cs)
{
	if (!cs->held)
		return;
	if (cs->held_prev)
		cs->held_prev->held_next = cs->held_next;
	else
		s->held = cs->held_next;
	if (cs->held_next)
		cs->held_next->held_prev = cs->held_prev;
	cs->held = false;
	cs->held_prev = cs->held_next = NULL;
}

/* Resumes every held request; true if there were any. */
static bool release_held(struct http_server *s)
{
	bool any = s->held != NULL;
	while (s->held) {
		struct conn_state *cs = s->held;
		unhold(s, cs);
		MHD_resume_connection(cs->req.conn);
	}
	return any;
}

/* Called with the request target as it arrived, before libmicrohttpd
 * percent-decodes it (and a "%00" in it ends the decoded path): the
 * request's state begins here, with what only the raw target shows. What
 * it returns is on_request's *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct conn_state *cs = calloc(1, sizeof(*cs));
	if (cs)
		cs->path_nul = ui_path_raw_has_nul(uri);
	return cs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn_state *cs = *con_cls;

	if (!cs || !cs->req.conn) {
		if (!cs)
			cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		*con_cls = cs;
		cs->req = (struct http_request){ .conn = conn, .method = http_method_parse(method),
						 .method_name = method, .path = url, .path_nul = cs->path_nul,
						 .local = s->local };
		fill_peer(s, conn, &cs->req);
		cs->via_proxy = from_proxy(s, &cs->req);
		apply_forwarded(s, conn, &cs->req);

		/* Routing and the body limit are settled before any body is
		 * read, so an oversized upload is refused without reading it. */
		struct http_response res = { 0 };
		size_t limit = 0;
		if (dispatch_route(s->d, &cs->req, &cs->match, &cs->found, &limit, &res) < 0)
			return reply_and_free(cs, conn, &res);
		buf_init(&cs->body, limit);
		const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (clen && strtoull(clen, NULL, 10) > limit) {
			dispatch_too_large(&cs->req, limit, &res);
			return reply_and_free(cs, conn, &res);
		}
		return MHD_YES;
	}

	if (*upload_data_size) {
		if (!cs->too_large && buf_append(&cs->body, upload_data, *upload_data_size) < 0)
			cs->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}

	if (cs->synced) {
		cs->synced = false;
		return reply_and_free(cs, conn, &cs->pending);
	}
	if (cs->sync_wait.queued) {
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	if (!cs->deferred && cs->via_proxy && proxy_changing(s)) {
		hold(s, cs, conn);
		return MHD_YES;
	}
	struct http_response res = { 0 };
	if (cs->deferred) {
		/* Called again after a resumption. */
		if (!deferred_ready(cs->deferred)) {
			MHD_suspend_connection(conn);
			return MHD_YES;
		}
		deferred_take(cs->deferred, &res);
		cs->deferred = NULL;
		log_debug("%s %s from %s: %u (deferred)", cs->req.method_name, cs->req.path, cs->req.peer,
			  res.status);
		return answer(s, cs, conn, &res);
	}
	if (cs->too_large) {
		dispatch_too_large(&cs->req, cs->body.limit, &res);
	} else {
		cs->req.body = cs->body.data ? cs->body.data : "";
		cs->req.body_len = cs->body.len;
		cs->writes_before = store_writes(s->d->store);
		dispatch_request(s->d, &cs->req, &cs->match, &res);
		if (res.deferred) {
			cs->deferred = res.deferred;
			deferred_attach(cs->deferred, conn);
			return MHD_YES;
		}
		return answer(s, cs, conn, &res);
	}
	return reply_and_free(cs, conn, &res);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	bool big = cs->reply_len >= HTTP_TRIM_AFTER_BYTES || cs->body.len >= HTTP_TRIM_AFTER_BYTES;
	/* The work may still be running: it must not see this request. */
	if (cs->deferred)
		deferred_release(cs->deferred);
	struct http_server *s = cls;
	if (s->d->syncer)
		store_syncer_cancel(s->d->syncer, &cs->sync_wait);
	http_response_clear(&cs->pending);
	unhold(cls, cs);
	json_decref(cs->req.json);
	buf_free(&cs->body);
	free(cs);
	*con_cls = NULL;
	if (big)
		malloc_trim(0);
}

static void on_ready(struct loop *l, int fd, uint32_t events, void *data)
{
	struct http_server *s = data;
	MHD_run(s->mhd);
}

static int64_t on_tick(struct loop *l, void *data)
{
	struct http_server *s = data;
	if (!s->mhd)
		return -1;
	MHD_UNSIGNED_LONG_LONG timeout;
	unsigned long resumes = sse_resumes(s->d->events);
	unsigned long deferred = deferred_resumes(s->d->deferred);
	bool released = s->held && !proxy_changing(s) && release_held(s);
	if (released || resumes != s->resumes_seen || deferred != s->deferred_resumes_seen ||
	    s->synced_resumes != s->synced_resumes_seen) {
		s->resumes_seen = resumes;
		s->deferred_resumes_seen = deferred;
		s->synced_resumes_seen = s->synced_resumes;
		MHD_run(s->mhd);
	}
	for (int i = 0; i < 4; i++) {
		if (MHD_get_timeout(s->mhd, &timeout) != MHD_YES)
			return -1;
		if (timeout > 0)
			return (int64_t)timeout;
		MHD_run(s->mhd);
	}
	return 0;
}

int http_server_start(struct daemon *d, int listen_fd, bool local, struct http_server **ret)
{
	struct http_server *s = calloc(1, sizeof(*s));
	if (!s) {
		close(listen_fd);
		return -ENOMEM;
	}
	s->d = d;
	s->local = local;
	s->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO, 0,
				  NULL, NULL, on_request, s,
				  MHD_OPTION_LISTEN_SOCKET, listen_fd,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				  MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				  /* picd ignores SIGPIPE (picd.c), so MHD may use
				   * sendfile for file answers. */
				  MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, local ? 0u : (unsigned)HTTP_PER_IP_LIMIT,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONNECTION_TIMEOUT_S,
				  MHD_OPTION_END);
	if (!s->mhd) {
		close(listen_fd);
		free(s);
		return -EIO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	int r = info ? loop_add_fd(d->loop, info->epoll_fd, EPOLLIN, on_ready, s, &s->source) : -EIO;
	if (r == 0)
		r = loop_add_tick(d->loop, on_tick, s);
	if (r < 0) {
		http_server_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void http_server_quiesce(struct http_server *s)
{
	if (!s || !s->mhd)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

unsigned http_server_connections(struct http_server *s)
{
	if (!s || !s->mhd)
		return 0;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? info->num_connections : 0;
}

void http_server_free(struct http_server *s)
{
	if (!s)
		return;
	loop_remove(s->d->loop, s->source);
	loop_remove_tick(s->d->loop, on_tick, s);
	if (s->mhd) {
		/* Let it process resumptions (it refuses to stop with
		 * suspended connections). */
		release_held(s);
		MHD_run(s->mhd);
		MHD_stop_daemon(s->mhd);
	}
	free(s);
}
