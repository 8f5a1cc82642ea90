/* Daemon-wide operations on the context: the configuration snapshot and
 * the first admin account. */
#include "daemon.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/auth.h"
#include "common/log.h"
#include "common/secret.h"
#include "pki/pki_ca.h"
#include "store/store_config.h"
#include "store/store_user.h"
#include "common/banned.h"

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
	d->config = c;
	d->config_rev = rev;
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
	if (!pki_ca_matches_config(d->ca, &d->config))
		log_warn("the certificate authority was made for another zone or network; its certificates "
			 "will not cover the cell's current names");
	return d->ca;
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
		r = auth_password_hash(ret_password, hash, sizeof(hash));
	if (r == 0)
		r = store_user_create(d->store, "admin", hash, time(NULL), &d->admin_user_id);
	if (r < 0) {
		sodium_memzero(ret_password, len);
		return r;
	}
	log_info("created the admin account");
	return 1;
}
