/* A peer's client config and its QR code (GET /api/peers/{name}/config,
 * config.conf, qr.png, qr.svg), and the interface's view of the VPN
 * (/api/wireguard/status, /api/wireguard/peers). These answers carry the
 * peer's private and preshared keys: authenticated routes only (every
 * API answer is sent with Cache-Control: no-store). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api_peers.h"
#include "apply/apply_vpn.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/qr.h"
#include "daemon.h"
#include "handlers.h"
#include "model/ipplan.h"
#include "store/store_vpn.h"
#include "svc/svc_wireguard.h"
#include "vpn/qr_png.h"
#include "vpn/vpn_client_conf.h"
#include "vpn/wg_uapi.h"
#include "common/banned.h"

#define CONF_MAX (8 * 1024)
#define QR_PNG_MODULE_PX 6
#define QR_SVG_MODULE_PX 8
#define IMAGE_MAX (1u << 20)
/* An address outside every private range, only to ask the kernel which
 * source address a route to the internet would use: connect() on UDP
 * sends nothing. */
#define PROBE_ROUTE_ADDR "192.0.2.1"

/* "host:port" devices reach the cell at: `endpoint` from the config (with
 * wireguard_port when it names no port), else the host's address on its
 * route to the internet. -ENOENT when there is neither. */
static int endpoint_of(const struct daemon *d, char *out, size_t outlen)
{
	uint16_t port = d->config.wireguard_port;
	if (d->config.has_endpoint) {
		bool has_port = strchr(d->config.endpoint, ':') != NULL;
		int n = has_port ? snprintf(out, outlen, "%s", d->config.endpoint)
				 : snprintf(out, outlen, "%s:%u", d->config.endpoint, port);
		return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
	}
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) }, me;
	socklen_t len = sizeof(me);
	inet_pton(AF_INET, PROBE_ROUTE_ADDR, &to.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &len) < 0)
		return -ENOENT;
	char ip[IPV4_STR_MAX];
	ipv4_format(ntohl(me.sin_addr.s_addr), ip);
	int n = snprintf(out, outlen, "%s:%u", ip, port);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

/* The config text of peer req->params[0] into `out`; 0, or an answer
 * already in `res` (-ENOENT), or -errno. */
static int config_text(struct daemon *d, struct http_request *req, struct http_response *res, struct buf *out)
{
	_cleanup_(sodium_memzerop_peer) struct vpn_peer p;
	int r = api_peer_find(d, req->params[0], &p, res);
	if (r < 0)
		return r;
	char endpoint[CONFIG_ENDPOINT_MAX + 8], zone[CONFIG_ZONE_MAX + 1], pub[45], err[256] = "";
	if (endpoint_of(d, endpoint, sizeof(endpoint)) < 0)
		return http_error(res, 409, "no_endpoint", "endpoint",
				  "the cell does not know the address devices reach it at: set endpoint "
				  "(pic config set endpoint=HOST)"),
		       -ENOENT;
	r = apply_vpn_public_key(d, pub, err, sizeof(err));
	if (r < 0)
		return http_error(res, 500, "no_server_key", NULL, "%s", err), -ENOENT;
	if (config_zone(&d->config, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	struct vpn_client_conf_input in = {
		.peer = &p, .server_public_key = pub, .endpoint = endpoint,
		.dns = ipplan_address(&d->config.ip_range, ipplan_find("dns")), .zone = zone,
		.ip_range = d->config.ip_range, .vpn_subnet = d->config.vpn_subnet,
	};
	return vpn_client_conf(&in, out);
}

/* Wipes and frees a buffer that held keys. */
static void secret_buf_free(struct buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->cap);
	buf_free(b);
}

enum image { IMAGE_PNG, IMAGE_SVG };

static int qr_image(const char *text, enum image kind, struct buf *out)
{
	_cleanup_(qr_freep) struct qr *q = NULL;
	int r = qr_encode(text, &q);
	if (r == 0)
		r = kind == IMAGE_PNG ? qr_png(q, QR_PNG_MODULE_PX, out) : qr_svg(q, QR_SVG_MODULE_PX, out);
	return r;
}

HANDLER(api_peer_config)
{
	struct buf conf, png;
	buf_init(&conf, CONF_MAX);
	buf_init(&png, IMAGE_MAX);
	int r = config_text(d, req, res, &conf);
	if (r == 0)
		r = qr_image(conf.data, IMAGE_PNG, &png);
	char *uri = NULL;
	if (r == 0) {
		size_t len = sodium_base64_encoded_len(png.len, sodium_base64_VARIANT_ORIGINAL);
		uri = malloc(sizeof("data:image/png;base64,") + len);
		if (!uri)
			r = -ENOMEM;
		else {
			memcpy(uri, "data:image/png;base64,", sizeof("data:image/png;base64,") - 1);
			sodium_bin2base64(uri + sizeof("data:image/png;base64,") - 1, len, (const unsigned char *)png.data,
					  png.len, sodium_base64_VARIANT_ORIGINAL);
		}
	}
	if (r == 0) {
		r = http_reply(res, 200, json_pack("{s:s, s:s, s:s}", "name", req->params[0], "config", conf.data,
						   "qr_png", uri));
	}
	free(uri);
	buf_free(&png);
	secret_buf_free(&conf);
	return r == -ENOENT ? 0 : r;
}

HANDLER(api_peer_config_conf)
{
	struct buf conf;
	buf_init(&conf, CONF_MAX);
	int r = config_text(d, req, res, &conf);
	if (r == 0) {
		http_response_header(res, "Content-Disposition", "attachment; filename=\"%s.conf\"", req->params[0]);
		r = http_reply_raw(res, 200, "text/plain; charset=utf-8", conf.data, conf.len);
	}
	secret_buf_free(&conf);
	return r == -ENOENT ? 0 : r;
}

static int qr_reply(struct daemon *d, struct http_request *req, struct http_response *res, enum image kind)
{
	struct buf conf, image;
	buf_init(&conf, CONF_MAX);
	buf_init(&image, IMAGE_MAX);
	int r = config_text(d, req, res, &conf);
	if (r == 0)
		r = qr_image(conf.data, kind, &image);
	if (r == 0) {
		r = http_reply_raw(res, 200, kind == IMAGE_PNG ? "image/png" : "image/svg+xml", image.data, image.len);
	}
	buf_free(&image);
	secret_buf_free(&conf);
	return r == -ENOENT ? 0 : r;
}

HANDLER(api_peer_qr_png)
{
	return qr_reply(d, req, res, IMAGE_PNG);
}

HANDLER(api_peer_qr_svg)
{
	return qr_reply(d, req, res, IMAGE_SVG);
}
