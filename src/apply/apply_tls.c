/* Keeping a TLS service's leaf current (see apply_tls.h). */
#include "apply_tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "daemon.h"
#include "model/ipplan.h"
#include "pki/pki_cert.h"
#include "pki/pki_issue.h"
#include "store/store_cert.h"
#include "svc/svc_caddy.h"
#include "common/banned.h"

#define LEAF_FILE_MAX (64 * 1024)

/* At most this many names and addresses in the proxy's leaf. */
#define LEAF_NAMES (SVC_CADDY_MAX_ROUTES + SVC_CADDY_MAX_ALIASES + HOST_ACCESS_MAX_NAMES)
#define LEAF_IPS HOST_ACCESS_MAX_IPS

/* The names a leaf must carry: the service's own labels of the zone
 * (svc_ops.leaf_labels); or, the proxy's, the zone and every web
 * service's host, then the host's own names that the root covers
 * (apply_host.h). */
static int wanted_names(struct daemon *d, const struct svc_ops *ops, char (*names)[PKI_NAME_MAX + 1],
			size_t *ret_n)
{
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(&d->config, zone, sizeof(zone)) < 0)
		return -ENAMETOOLONG;
	size_t n = 0;
	if (ops->leaf_labels) {
		for (size_t i = 0; ops->leaf_labels[i] && n < LEAF_NAMES; i++) {
			int len = snprintf(names[n], PKI_NAME_MAX + 1, "%s.%s", ops->leaf_labels[i], zone);
			if (len < 0 || len > PKI_NAME_MAX)
				return -ENAMETOOLONG;
			n++;
		}
		*ret_n = n;
		return 0;
	}
	for (size_t i = 0; i < SVC_CADDY_MAX_ROUTES; i++) {
		int r = svc_caddy_host(svc_caddy_routes[i].vip, zone, names[n], PKI_NAME_MAX + 1);
		if (r < 0)
			return r;
		n++;
	}
	char aliases[SVC_CADDY_MAX_ALIASES][CONFIG_ZONE_MAX + 1];
	size_t n_aliases = svc_caddy_webui_aliases(zone, aliases);
	for (size_t i = 0; i < n_aliases && n < LEAF_NAMES; i++)
		memcpy(names[n++], aliases[i], sizeof(aliases[i]) < PKI_NAME_MAX + 1 ? sizeof(aliases[i]) : PKI_NAME_MAX + 1);
	for (size_t i = 0; i < d->host_access.n_names && n < LEAF_NAMES; i++)
		memcpy(names[n++], d->host_access.names[i], PKI_NAME_MAX + 1);
	*ret_n = n;
	return 0;
}

int64_t apply_tls_leaf_lifetime(const struct daemon *d)
{
	if (d->opt.test_leaf_lifetime_s > 0)
		return d->opt.test_leaf_lifetime_s;
	return (int64_t)APPLY_TLS_LEAF_DAYS * 86400;
}

/* Whether a leaf valid over [not_before, not_after] still fits a
 * `lifetime` schedule at `now` (see apply_tls.h). notBefore lies
 * PKI_LEAF_BACKDATE_S before issuance (less if the root is younger), which
 * must not count as life used: for a 30-second test leaf it would be ten
 * times its lifetime. */
static bool leaf_time_fits(int64_t not_before, int64_t not_after, int64_t lifetime, int64_t now)
{
	int64_t span = not_after - not_before;
	if (span > lifetime + PKI_LEAF_BACKDATE_S)
		return false;
	if (span > lifetime)
		span = lifetime;
	return !pki_needs_renewal(not_after, span, now);
}

/* The last leaf found to fit, so that a proxy change does not parse and
 * verify the same certificate again (1.4 ms of the loop's time a change):
 * the same file (by its identity and change time), root, names, addresses
 * and lifetime fit until `until`, when it is due for renewal. The loop's
 * only. */
static struct {
	bool valid;
	char path[PATH_MAX + 32];
	dev_t dev;
	ino_t ino;
	struct timespec mtime, ctime;
	off_t size;
	const X509 *ca_cert;
	int64_t ca_not_before, lifetime, until;
	size_t n_names, n_ips;
	char names[LEAF_NAMES][PKI_NAME_MAX + 1];
	uint32_t ips[LEAF_IPS];
} fit_cache;

static bool fit_key_same(const char *path, const struct stat *st, const struct pki_ca *ca,
			 char (*names)[PKI_NAME_MAX + 1], size_t n_names, const uint32_t *ips, size_t n_ips,
			 int64_t lifetime)
{
	if (!fit_cache.valid || strcmp(fit_cache.path, path) != 0 || fit_cache.dev != st->st_dev ||
	    fit_cache.ino != st->st_ino || fit_cache.size != st->st_size ||
	    fit_cache.mtime.tv_sec != st->st_mtim.tv_sec || fit_cache.mtime.tv_nsec != st->st_mtim.tv_nsec ||
	    fit_cache.ctime.tv_sec != st->st_ctim.tv_sec || fit_cache.ctime.tv_nsec != st->st_ctim.tv_nsec ||
	    fit_cache.ca_cert != (ca ? ca->cert : NULL) || fit_cache.ca_not_before != (ca ? ca->not_before : 0) ||
	    fit_cache.lifetime != lifetime || fit_cache.n_names != n_names || fit_cache.n_ips != n_ips ||
	    n_names > LEAF_NAMES || n_ips > LEAF_IPS)
		return false;
	for (size_t i = 0; i < n_names; i++)
		if (strcmp(fit_cache.names[i], names[i]) != 0)
			return false;
	for (size_t i = 0; i < n_ips; i++)
		if (fit_cache.ips[i] != ips[i])
			return false;
	return true;
}

static void fit_remember(const char *path, const struct stat *st, const struct pki_ca *ca,
			 char (*names)[PKI_NAME_MAX + 1], size_t n_names, const uint32_t *ips, size_t n_ips,
			 int64_t lifetime, int64_t until)
{
	fit_cache.valid = n_names <= LEAF_NAMES && n_ips <= LEAF_IPS &&
			  snprintf(fit_cache.path, sizeof(fit_cache.path), "%s", path) < (int)sizeof(fit_cache.path);
	if (!fit_cache.valid)
		return;
	fit_cache.dev = st->st_dev;
	fit_cache.ino = st->st_ino;
	fit_cache.size = st->st_size;
	fit_cache.mtime = st->st_mtim;
	fit_cache.ctime = st->st_ctim;
	fit_cache.ca_cert = ca ? ca->cert : NULL;
	fit_cache.ca_not_before = ca ? ca->not_before : 0;
	fit_cache.lifetime = lifetime;
	fit_cache.until = until;
	fit_cache.n_names = n_names;
	fit_cache.n_ips = n_ips;
	for (size_t i = 0; i < n_names; i++)
		memcpy(fit_cache.names[i], names[i], sizeof(fit_cache.names[i]));
	for (size_t i = 0; i < n_ips; i++)
		fit_cache.ips[i] = ips[i];
}

/* Whether the installed leaf carries exactly these names and addresses,
 * has enough life left and was issued by the current root `ca` (after a
 * replacement the old root's leaf must go even if its names still fit;
 * without a CA that cannot be told, and a leaf that fits otherwise is
 * kept). */
static bool leaf_fits(const char *path, const struct pki_ca *ca, char (*names)[PKI_NAME_MAX + 1], size_t n_names,
		      const uint32_t *ips, size_t n_ips, int64_t lifetime, int64_t now)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fit_cache.valid = false;
		return false;
	}
	if (fit_key_same(path, &st, ca, names, n_names, ips, n_ips, lifetime) && now < fit_cache.until)
		return true;
	fit_cache.valid = false;
	struct buf pem;
	buf_init(&pem, LEAF_FILE_MAX);
	struct pki_cert_info *info = malloc(sizeof(*info));
	bool fits = info && fs_read_file(path, &pem) == 0 && pem.data && pki_cert_info(pem.data, info) == 0 &&
		    info->n_dns == n_names && info->n_ips == n_ips &&
		    leaf_time_fits(info->not_before, info->not_after, lifetime, now);
	for (size_t i = 0; fits && i < n_names; i++)
		fits = strcmp(info->dns[i], names[i]) == 0;
	for (size_t i = 0; fits && i < n_ips; i++) {
		char ip[IPV4_STR_MAX];
		ipv4_format(ips[i], ip);
		fits = strcmp(info->ips[i], ip) == 0;
	}
	fits = fits && (!ca || pki_ca_issued(ca, pem.data));
	if (fits) {
		/* Due for renewal once less than a third of its span is left
		 * (leaf_time_fits). */
		int64_t span = info->not_after - info->not_before;
		if (span > lifetime)
			span = lifetime;
		fit_remember(path, &st, ca, names, n_names, ips, n_ips, lifetime, info->not_after - (span + 2) / 3);
	}
	free(info);
	buf_free(&pem);
	return fits;
}

int apply_tls_ensure(struct daemon *d, struct svc *s, char *err, size_t errlen)
{
	char names[LEAF_NAMES][PKI_NAME_MAX + 1], crt[PATH_MAX + 32], key[PATH_MAX + 32];
	const char *name_ptrs[LEAF_NAMES];
	size_t n_names;
	int r = wanted_names(d, s->ops, names, &n_names);
	int a = snprintf(crt, sizeof(crt), "%s/%s", s->dir, SVC_TLS_CERT_FILE);
	int b = snprintf(key, sizeof(key), "%s/%s", s->dir, SVC_TLS_KEY_FILE);
	if (r == 0 && (a < 0 || b < 0 || (size_t)a >= sizeof(crt) || (size_t)b >= sizeof(key)))
		r = -ENAMETOOLONG;
	if (r < 0) {
		snprintf(err, errlen, "cannot name the TLS files: %s", strerror(-r));
		return r;
	}
	/* Clients reach the web services by name; the only addresses are
	 * the host's LAN addresses, where browsers reach the web interface
	 * by number (the virtual IPs are never typed). */
	uint32_t ips[LEAF_IPS];
	size_t n_ips = 0;
	for (size_t i = 0; !s->ops->leaf_labels && i < d->host_access.n_ips && n_ips < LEAF_IPS; i++)
		ips[n_ips++] = d->host_access.ips[i];
	int64_t now = time(NULL);
	int64_t lifetime = apply_tls_leaf_lifetime(d);
	struct pki_ca *ca = daemon_ca(d);
	if (leaf_fits(crt, ca, names, n_names, ips, n_ips, lifetime, now))
		return 0;
	if (!ca) {
		snprintf(err, errlen, "the certificate authority is not available");
		return -ENOKEY;
	}
	for (size_t i = 0; i < n_names; i++)
		name_ptrs[i] = names[i];
	struct pki_leaf leaf = { 0 };
	struct field_error fe = { 0 };
	r = pki_issue_lifetime(ca, name_ptrs, n_names, ips, n_ips, lifetime, now, &leaf, &fe);
	char tls_dir[PATH_MAX + 8];
	if (r == 0 && snprintf(tls_dir, sizeof(tls_dir), "%s/tls", s->dir) >= (int)sizeof(tls_dir))
		r = -ENAMETOOLONG;
	if (r == 0)
		r = fs_ensure_dir(tls_dir, 0755);
	if (r == 0)
		r = fs_write_atomic(key, leaf.key_pem.data, leaf.key_pem.len, 0600);
	if (r == 0)
		r = fs_write_atomic(crt, leaf.cert_pem.data, leaf.cert_pem.len, 0644);
	if (r == 0)
		r = store_cert_insert(d->store, leaf.serial, "service", leaf.cert_pem.data, leaf.not_after, now);
	if (r < 0)
		snprintf(err, errlen, "cannot install a TLS certificate for %s: %s", s->ops->name,
			 fe.message[0] ? fe.message : strerror(-r));
	else
		log_info("%s: new TLS certificate %s for %s and %zu more name(s)", s->ops->name, leaf.serial,
			 names[0], n_names - 1);
	pki_leaf_free(&leaf);
	return r < 0 ? r : 1;
}

int apply_tls_ensure_if_needed(struct daemon *d, struct svc *s, bool *ret_new, char *err, size_t errlen)
{
	*ret_new = false;
	if (!s->ops->needs_leaf)
		return 0;
	int r = apply_tls_ensure(d, s, err, errlen);
	*ret_new = r == 1;
	return r < 0 ? r : 0;
}
