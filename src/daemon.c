/* Daemon-wide operations on the context: the configuration snapshot, the
 * certificate authority (loading, the stale-root warning, replacement)
 * and the first admin account. */
#include "daemon.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/auth.h"
#include "apply/apply_host.h"
#include "common/log.h"
#include "common/secret.h"
#include "pki/pki_ca.h"
#include "pki/pki_ca_replace.h"
#include "store/store.h"
#include "store/store_cert.h"
#include "store/store_config.h"
#include "store/store_user.h"
#include "common/banned.h"

/* Whether two configurations ask the root for the same zone and
 * networks. */
static bool config_same_scope(const struct cell_config *a, const struct cell_config *b)
{
	char za[CONFIG_ZONE_MAX + 1], zb[CONFIG_ZONE_MAX + 1];
	if (config_zone(a, za, sizeof(za)) < 0 || config_zone(b, zb, sizeof(zb)) < 0)
		return false;
	return strcmp(za, zb) == 0 && a->ip_range.addr == b->ip_range.addr &&
	       a->ip_range.prefix == b->ip_range.prefix && a->vpn_subnet.addr == b->vpn_subnet.addr &&
	       a->vpn_subnet.prefix == b->vpn_subnet.prefix;
}

int daemon_reload_config(struct daemon *d)
{
	struct cell_config c;
	struct field_error e;
	uint64_t rev;
	int r = store_config_load(d->store, &c, &e);
	if (r < 0) {
		log_err("stored configuration is invalid: %s: %s", e.field, e.message);
		return r;
	}
	r = store_config_revision(d->store, &rev);
	if (r < 0)
		return r;
	bool rescoped = !config_same_scope(&d->config, &c);
	d->config = c;
	d->config_rev = rev;
	if (rescoped && d->ca_checked)
		daemon_ca_check(d);
	return 0;
}

struct pki_ca *daemon_ca(struct daemon *d)
{
	if (d->ca)
		return d->ca;
	int r = pki_ca_load(d->opt.ca_dir, &d->ca);
	if (r < 0) {
		log_err("certificate authority in %s: %s", d->opt.ca_dir, strerror(-r));
		return NULL;
	}
	return d->ca;
}

bool daemon_ca_stale(const struct daemon *d)
{
	return d->ca && !pki_ca_matches_config(d->ca, &d->config);
}

void daemon_ca_check(struct daemon *d)
{
	d->ca_checked = true;
	if (!daemon_ca(d) || !daemon_ca_stale(d))
		return;
	char zone[CONFIG_ZONE_MAX + 1];
	if (config_zone(&d->config, zone, sizeof(zone)) < 0)
		zone[0] = '\0';
	log_warn("the cell's root CA was made for '%s' and its networks, not for the cell's current zone '%s' "
		 "and networks: no certificate for the new names can be issued until you run 'pic ca replace' "
		 "(devices must then trust the new root)", d->ca->zone, zone);
}

int daemon_ca_replace(struct daemon *d, int64_t now, char *ret_old_serial, size_t serial_len, char *err,
		      size_t errlen)
{
	char old_serial[PKI_SERIAL_HEX_MAX];
	struct pki_ca *ca = NULL;
	int r = store_begin(d->store);
	if (r < 0) {
		snprintf(err, errlen, "cannot begin a store transaction: %s", strerror(-r));
		return r;
	}
	r = store_cert_supersede_all(d->store, now);
	if (r < 0) {
		store_rollback(d->store);
		snprintf(err, errlen, "cannot mark the certificates as superseded: %s", strerror(-r));
		return r;
	}
	char host[PKI_NAME_MAX + 1];
	r = pki_ca_replace(d->opt.ca_dir, &d->config, host_access_name(host) == 0 ? host : NULL, now, &ca, old_serial,
			   err, errlen);
	if (r < 0) {
		store_rollback(d->store);
		/* The swap may have got past the key: take whatever is on disk. */
		pki_ca_free(d->ca);
		d->ca = NULL;
		daemon_ca(d);
		return r;
	}
	pki_ca_free(d->ca);
	d->ca = ca;
	/* The new root may cover more of the host's addresses and names. */
	apply_host_refresh(d);
	/* The files are the truth: a lost mark only leaves the old root's
	 * certificates listed as valid. */
	r = store_commit(d->store);
	if (r < 0) {
		store_rollback(d->store);
		log_err("ca: the certificates of the old root could not be marked as superseded: %s", strerror(-r));
	}
	snprintf(ret_old_serial, serial_len, "%s", old_serial);
	return 0;
}

int daemon_bootstrap_admin(struct daemon *d, char *ret_password, size_t len)
{
	struct user u;
	int r = store_user_get(d->store, "admin", &u);
	if (r == 0) {
		d->admin_user_id = u.id;
		ret_password[0] = '\0';
		return 0;
	}
	if (r != -ENOENT)
		return r;

	char hash[PASSWORD_HASH_MAX + 1];
	r = secret_random_token("", 18, ret_password, len);
	if (r == 0)
		r = auth_password_hash(AUTH_PW_ARGON2ID, ret_password, hash, sizeof(hash));
	if (r == 0)
		r = store_user_create(d->store, "admin", hash, time(NULL), &d->admin_user_id);
	if (r < 0) {
		sodium_memzero(ret_password, len);
		return r;
	}
	log_info("created the admin account");
	return 1;
}
