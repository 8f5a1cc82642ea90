/* Verifying the proxy from a client's side (svc_ops.verify): an HTTPS
 * request through caddy to SVC_CADDY_VERIFY_PATH on the web interface's
 * virtual IP, trusting only the cell's root and checking the certificate
 * for the cell's name, must answer the generation of the config just
 * installed with the leaf just installed. Until caddy's old servers are
 * gone (caddy_admin.h) the old generation may still answer: it asks again
 * every few milliseconds until the time is up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/loop.h"
#include "model/ipplan.h"
#include "pki/pki_ossl.h"
#include "svc_caddy.h"
#include "tls_get.h"
#include "common/banned.h"

#define VERIFY_RETRY_MS 5
#define VERIFY_STEP_MAX_MS 1000
#define LEAF_FILE_MAX (64 * 1024)

static X509 *installed_leaf(const char *svc_dir)
{
	char path[4096 + 32];
	int n = snprintf(path, sizeof(path), "%s/%s", svc_dir, SVC_TLS_CERT_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	struct buf pem;
	buf_init(&pem, LEAF_FILE_MAX);
	X509 *x = NULL;
	if (fs_read_file(path, &pem) == 0 && pem.data) {
		BIO *b = BIO_new_mem_buf(pem.data, (int)pem.len);
		x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
	}
	buf_free(&pem);
	return x;
}

/* One request: 0 when it shows `generation` and `leaf`; -EAGAIN with
 * what it showed instead; another -errno when it failed. */
static int ask_once(uint32_t vip, const char *zone, const struct svc_verify *v, const char *generation,
		    X509 *leaf, unsigned timeout_ms, char *err, size_t errlen)
{
	struct buf body;
	buf_init(&body, TLS_GET_RESPONSE_MAX);
	X509 *peer = NULL;
	int status = 0;
	int r = tls_get(vip, 443, zone, SVC_CADDY_VERIFY_PATH, v->ca_file, timeout_ms, &status, &body, &peer, err,
			errlen);
	if (r == 0) {
		bool same_config = status == 200 && body.data && strcmp(body.data, generation) == 0;
		bool same_leaf = peer && X509_cmp(peer, leaf) == 0;
		if (!same_config)
			snprintf(err, errlen, "HTTP %d, generation '%.*s' (want %s)", status, SVC_CADDY_GENERATION_LEN,
				 body.data ? body.data : "", generation);
		else if (!same_leaf)
			snprintf(err, errlen, "the proxy serves another certificate than tls/cell.crt");
		r = same_config && same_leaf ? 0 : -EAGAIN;
	}
	X509_free(peer);
	buf_free(&body);
	return r;
}

int svc_caddy_verify(const struct svc_verify *v, char *err, size_t errlen)
{
	char zone[CONFIG_ZONE_MAX + 1], generation[SVC_CADDY_GENERATION_LEN + 1];
	if (config_zone(v->cell, zone, sizeof(zone)) < 0 || svc_caddy_generation(v->config, v->len, generation) < 0) {
		snprintf(err, errlen, "the installed caddy.json carries no generation");
		return -EINVAL;
	}
	_cleanup_(X509_freep) X509 *leaf = installed_leaf(v->svc_dir);
	if (!leaf) {
		snprintf(err, errlen, "cannot read the installed certificate");
		return -ENOENT;
	}
	uint32_t vip = ipplan_address(&v->cell->ip_range, ipplan_find_virtual_ip("webui"));
	uint64_t deadline = loop_now_ms() + v->timeout_ms;
	int r;
	for (;;) {
		uint64_t now = loop_now_ms();
		unsigned step = now < deadline ? (unsigned)(deadline - now) : 1;
		r = ask_once(vip, zone, v, generation, leaf, step < VERIFY_STEP_MAX_MS ? step : VERIFY_STEP_MAX_MS, err,
			     errlen);
		if (r == 0 || loop_now_ms() + VERIFY_RETRY_MS >= deadline)
			break;
		struct timespec pause = { 0, VERIFY_RETRY_MS * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	if (r < 0) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used, " — through https://%s" SVC_CADDY_VERIFY_PATH, zone);
	}
	return r < 0 ? (r == -EAGAIN ? -EIO : r) : 0;
}
