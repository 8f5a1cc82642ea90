/* /api/peers: the VPN's peers. A peer is validated whole before anything
 * is stored; the store change and the interface change go together (the
 * interface first, through apply_vpn: one peer touched, the others'
 * sessions untouched; the store commits only if that worked). Private and
 * preshared keys never appear in these answers; the client config that
 * carries them is GET /api/peers/{name}/config (api_peer_config.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api_body.h"
#include "api_peers.h"
#include "apply/apply_vpn.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "store/store_vpn.h"
#include "vpn/vpn_keys.h"
#include "common/banned.h"

json_t *api_peer_json(const struct vpn_peer *p, int64_t now)
{
	char addr[IPV4_STR_MAX];
	ipv4_format(p->address, addr);
	json_t *services = json_array();
	for (size_t i = 0; services && i < p->n_services; i++)
		json_array_append_new(services, json_string(p->services[i]));
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:b, s:b, s:I}", "name", p->name, "public_key",
			 p->public_key, "address", addr, "services", services, "tunnel", vpn_tunnel_name(p->tunnel),
			 "expires_at", p->expires_at ? json_integer(p->expires_at) : json_null(), "enabled", p->enabled,
			 "active", vpn_peer_active(p, now), "provisioned_by_cell", p->private_key[0] != '\0',
			 "preshared_key", p->preshared_key[0] != '\0', "created_at", (json_int_t)p->created_at);
}

static int reply_error(struct http_response *res, const struct field_error *e)
{
	return http_error(res, 400, "invalid_field", e->field, "%s", e->message);
}

/* The services list replaces the peer's. */
static int read_services(json_t *list, struct vpn_peer *p, struct http_response *res)
{
	if (!json_is_array(list))
		return http_error(res, 400, "invalid_field", "services", "services must be a list of service names"), -EINVAL;
	p->n_services = 0;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		char field[32];
		snprintf(field, sizeof(field), "services[%zu]", i);
		struct field_error e;
		if (!json_is_string(v))
			return http_error(res, 400, "invalid_field", field, "%s must be a string", field), -EINVAL;
		if (vpn_peer_add_service(p, field, json_string_value(v), &e) < 0)
			return reply_error(res, &e), -EINVAL;
	}
	return 0;
}

/* `preshared_key`: a key, true (make one), or false (none). */
static int read_psk(json_t *v, struct vpn_peer *p, struct http_response *res)
{
	if (json_is_boolean(v)) {
		if (json_is_true(v) && !p->preshared_key[0]) {
			uint8_t psk[VPN_KEY_LEN];
			vpn_psk(psk);
			wg_key_to_base64(psk, p->preshared_key);
			sodium_memzero(psk, sizeof(psk));
		} else if (json_is_false(v)) {
			p->preshared_key[0] = '\0';
		}
		return 0;
	}
	struct field_error e;
	if (!json_is_string(v) || vpn_key_validate("preshared_key", json_string_value(v), NULL, &e) < 0)
		return http_error(res, 400, "invalid_field", "preshared_key",
				  "preshared_key must be true, false or a key: 32 bytes in base64"),
		       -EINVAL;
	snprintf(p->preshared_key, sizeof(p->preshared_key), "%s", json_string_value(v));
	return 0;
}

/* The members every write may carry, applied onto `p`. */
static int read_changes(struct http_request *req, struct http_response *res, struct vpn_peer *p, int64_t now)
{
	json_t *v;
	if ((v = json_object_get(req->json, "services")) && read_services(v, p, res) < 0)
		return -EINVAL;
	if ((v = json_object_get(req->json, "tunnel")) &&
	    (!json_is_string(v) || vpn_tunnel_parse(json_string_value(v), &p->tunnel) < 0))
		return http_error(res, 400, "invalid_field", "tunnel", "tunnel must be \"split\" or \"full\""), -EINVAL;
	if ((v = json_object_get(req->json, "expires_at"))) {
		if (json_is_null(v))
			p->expires_at = 0;
		else if (!json_is_integer(v) || json_integer_value(v) <= now)
			return http_error(res, 400, "invalid_field", "expires_at",
					  "expires_at must be a time in the future (unix seconds) or null"),
			       -EINVAL;
		else
			p->expires_at = json_integer_value(v);
	}
	if ((v = json_object_get(req->json, "enabled"))) {
		if (!json_is_boolean(v))
			return http_error(res, 400, "invalid_field", "enabled", "enabled must be true or false"), -EINVAL;
		p->enabled = json_is_true(v);
	}
	if ((v = json_object_get(req->json, "preshared_key")) && read_psk(v, p, res) < 0)
		return -EINVAL;
	return 0;
}

/* The store change is written (open transaction): make the interface
 * and the firewall follow for this one peer, then commit. If that fails
 * (the interface and the sets were not as the store says), a full sync
 * from the store with the change in it; if that fails too, everything is
 * rolled back and synced again: 502. */
static int commit_with_interface(struct daemon *d, const struct vpn_peer *before, const struct vpn_peer *after,
				 struct http_response *res)
{
	char err[512] = "";
	int r = apply_vpn_peer(d, before, after, err, sizeof(err));
	if (r < 0) {
		log_warn("vpn: the change of one peer failed (%s); syncing everything", err);
		r = apply_vpn_sync(d, err, sizeof(err));
	}
	if (r < 0) {
		store_rollback(d->store);
		char again[256] = "";
		if (apply_vpn_sync(d, again, sizeof(again)) < 0)
			log_err("vpn: the interface could not be put back either: %s", again);
		return http_error(res, 502, "apply_failed", NULL, "the VPN interface did not take the change: %s", err);
	}
	return store_commit(d->store);
}

static int address_for(struct daemon *d, struct vpn_peer *p, struct http_response *res)
{
	uint32_t *used = NULL;
	struct vpn_freed *freed = NULL;
	size_t n_used = 0, n_freed = 0;
	int r = store_vpn_addresses(d->store, &used, &n_used, &freed, &n_freed);
	if (r < 0)
		return r;
	r = vpn_address_pick(&d->config.vpn_subnet, used, n_used, freed, n_freed, &p->address);
	free(used);
	free(freed);
	if (r == -ENOSPC) {
		char net[CIDR_STR_MAX];
		cidr_format(&d->config.vpn_subnet, net);
		return http_error(res, 409, "subnet_full", "vpn_subnet", "every address of %s is taken", net), -ENOSPC;
	}
	return r;
}

HANDLER(api_peers_create)
{
	static const char *const allowed[] = { "name", "public_key", "preshared_key", "services", "tunnel",
					       "expires_at", "enabled", NULL };
	const char *name, *public_key;
	if (api_body_object(req, res, allowed) < 0 ||
	    api_body_string(req, res, "name", VPN_PEER_NAME_MAX + 8, true, &name) < 0 ||
	    api_body_string(req, res, "public_key", VPN_KEY_B64_LEN + 8, false, &public_key) < 0)
		return 0;
	int64_t now = time(NULL);
	struct field_error e;
	_cleanup_(sodium_memzerop_peer) struct vpn_peer p = { .enabled = true, .tunnel = VPN_TUNNEL_SPLIT,
								.created_at = now };
	if (vpn_peer_name_validate("name", name, &e) < 0)
		return reply_error(res, &e);
	snprintf(p.name, sizeof(p.name), "%s", name);
	if (public_key) {
		if (vpn_key_validate("public_key", public_key, NULL, &e) < 0)
			return reply_error(res, &e);
		snprintf(p.public_key, sizeof(p.public_key), "%s", public_key);
	} else {
		uint8_t priv[VPN_KEY_LEN], pub[VPN_KEY_LEN];
		vpn_keypair(priv, pub);
		wg_key_to_base64(priv, p.private_key);
		wg_key_to_base64(pub, p.public_key);
		sodium_memzero(priv, sizeof(priv));
	}
	if (!json_object_get(req->json, "preshared_key") && read_psk(json_true(), &p, res) < 0)
		return 0;
	if (read_changes(req, res, &p, now) < 0)
		return 0;

	int r = store_begin(d->store);
	if (r < 0)
		return r;
	struct vpn_peer existing;
	r = store_vpn_peer_get(d->store, p.name, &existing);
	sodium_memzero(&existing, sizeof(existing));
	if (r == 0) {
		store_rollback(d->store);
		return http_error(res, 400, "invalid_field", "name", "there is already a peer called '%s'", p.name);
	}
	if (r == -ENOENT)
		r = store_vpn_key_taken(d->store, p.public_key, 0);
	if (r == 1) {
		store_rollback(d->store);
		return http_error(res, 400, "invalid_field", "public_key", "another peer has this public key");
	}
	if (r == 0)
		r = address_for(d, &p, res);
	if (r == -ENOSPC) {
		store_rollback(d->store);
		return 0;
	}
	if (r == 0)
		r = store_vpn_peer_add(d->store, &p);
	if (r < 0) {
		store_rollback(d->store);
		return r;
	}
	r = commit_with_interface(d, NULL, &p, res);
	if (r < 0 || res->status)
		return r;
	log_info("VPN peer '%s' added by '%s'", p.name, req->auth.username);
	return http_reply(res, 201, api_peer_json(&p, now));
}

HANDLER(api_peers_list)
{
	struct vpn_peer *peers = NULL;
	size_t n = 0;
	int r = store_vpn_peer_list(d->store, &peers, &n);
	if (r < 0)
		return r;
	int64_t now = time(NULL);
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, api_peer_json(&peers[i], now));
	store_vpn_peers_free(peers, n);
	return http_reply(res, 200, json_pack("{s:o}", "peers", list));
}

int api_peer_find(struct daemon *d, const char *name, struct vpn_peer *p, struct http_response *res)
{
	int r = store_vpn_peer_get(d->store, name, p);
	if (r == -ENOENT)
		return http_error(res, 404, "not_found", "name", "no peer called '%s'", name), -ENOENT;
	return r;
}

HANDLER(api_peers_get)
{
	_cleanup_(sodium_memzerop_peer) struct vpn_peer p;
	int r = api_peer_find(d, req->params[0], &p, res);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	return http_reply(res, 200, api_peer_json(&p, time(NULL)));
}

HANDLER(api_peers_put)
{
	static const char *const allowed[] = { "preshared_key", "services", "tunnel", "expires_at", "enabled", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	int r = store_begin(d->store);
	if (r < 0)
		return r;
	_cleanup_(sodium_memzerop_peer) struct vpn_peer p, before;
	r = api_peer_find(d, req->params[0], &p, res);
	before = p;
	if (r == 0 && read_changes(req, res, &p, time(NULL)) < 0)
		r = -EINVAL;
	if (r == 0)
		r = store_vpn_peer_update(d->store, &p);
	if (r < 0) {
		store_rollback(d->store);
		return r == -ENOENT || r == -EINVAL ? 0 : r;
	}
	r = commit_with_interface(d, &before, &p, res);
	if (r < 0 || res->status)
		return r;
	log_info("VPN peer '%s' changed by '%s'", p.name, req->auth.username);
	return http_reply(res, 200, api_peer_json(&p, time(NULL)));
}

HANDLER(api_peers_delete)
{
	int r = store_begin(d->store);
	if (r < 0)
		return r;
	_cleanup_(sodium_memzerop_peer) struct vpn_peer before;
	r = api_peer_find(d, req->params[0], &before, res);
	if (r == 0)
		r = store_vpn_peer_delete(d->store, req->params[0], time(NULL));
	if (r < 0) {
		store_rollback(d->store);
		return r == -ENOENT ? 0 : r;
	}
	r = commit_with_interface(d, &before, NULL, res);
	if (r < 0 || res->status)
		return r;
	log_info("VPN peer '%s' deleted by '%s'", req->params[0], req->auth.username);
	return http_reply(res, 204, NULL);
}
