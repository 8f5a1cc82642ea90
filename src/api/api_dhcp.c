/* /api/dhcp: DHCP on a LAN interface of the host (dnsmasq), its
 * reservations and leases. Settings go through the apply engine (dnsmasq
 * --test, install, restart — dnsmasq re-reads nothing else — verify);
 * reservations are applied live: a new file in hosts.d is picked up by
 * dnsmasq itself, a removed one after SIGHUP. Host names of reservations
 * and active leases are published in DNS under the cell zone. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_apply.h"
#include "api_body.h"
#include "apply/apply_dns.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "daemon.h"
#include "handlers.h"
#include "model/dns.h"
#include "net/lan.h"
#include "store/store_dhcp.h"
#include "svc/svc_dnsmasq.h"
#include "common/banned.h"

#define LEASES_MAX 65536
#define LEASES_FILE_MAX (8 * 1024 * 1024)

static json_t *ip_json(uint32_t ip)
{
	char s[IPV4_STR_MAX];
	if (!ip)
		return json_null();
	ipv4_format(ip, s);
	return json_string(s);
}

static json_t *settings_json(const struct dhcp_settings *s, const struct lan_info *lan)
{
	json_t *o = json_pack("{s:b, s:o, s:o, s:o, s:i, s:o}", "enabled", s->enabled, "interface",
			      s->enabled ? json_string(s->interface) : json_null(), "range_start",
			      ip_json(s->range_start), "range_end", ip_json(s->range_end), "lease_time",
			      (int)s->lease_s, "gateway", ip_json(s->gateway));
	if (o && lan && lan->present) {
		char net[CIDR_STR_MAX];
		cidr_format(&lan->net, net);
		json_object_set_new(o, "lan", json_pack("{s:o, s:s}", "address", ip_json(lan->addr), "network", net));
	}
	return o;
}

HANDLER(api_dhcp_config_get)
{
	struct dhcp_settings s;
	struct lan_info lan = { 0 };
	int r = store_dhcp_settings_load(d->store, &s);
	if (r == 0 && s.enabled)
		r = lan_lookup(s.interface, &lan);
	return r < 0 ? r : http_reply(res, 200, settings_json(&s, &lan));
}

/* An IPv4 member, or 0 for null/absent when `optional`. */
static int read_ip(struct http_request *req, struct http_response *res, const char *key, bool optional,
		   uint32_t *ret)
{
	json_t *v = json_object_get(req->json, key);
	*ret = 0;
	if (!v || json_is_null(v)) {
		if (optional)
			return 0;
		return http_error(res, 400, "missing_field", key, "%s is required", key), -EINVAL;
	}
	if (!json_is_string(v) || ipv4_parse(json_string_value(v), ret) < 0)
		return http_error(res, 400, "invalid_field", key, "%s must be an IPv4 address", key), -EINVAL;
	return 0;
}

struct dhcp_change {
	struct dhcp_settings settings;
	struct lan_info lan;
	char user[sizeof(((struct auth_info *)0)->username)];
};

static int dhcp_write(struct daemon *d, void *cls, struct http_response *res)
{
	(void)res;
	struct dhcp_change *c = cls;
	return store_dhcp_settings_save(d->store, &c->settings);
}

static void dhcp_answer(struct daemon *d, void *cls, struct http_response *res)
{
	struct dhcp_change *c = cls;
	char err[512] = "";
	/* DHCP on or off changes which LAN names are published. */
	if (apply_dns_hosts(d, err, sizeof(err)) < 0)
		log_warn("dns: LAN host names not updated: %s", err);
	log_info("dhcp: settings changed by '%s' (%s)", c->user, c->settings.enabled ? c->settings.interface : "off");
	http_reply(res, 200, settings_json(&c->settings, &c->lan));
}

static const struct api_change_ops dhcp_change_ops = { .write = dhcp_write, .answer = dhcp_answer };

HANDLER(api_dhcp_config_put)
{
	static const char *const allowed[] = { "interface", "range_start", "range_end", "lease_time", "gateway", NULL };
	if (api_body_object(req, res, allowed) < 0)
		return 0;
	struct dhcp_settings s = { .lease_s = DHCP_LEASE_DEFAULT_S };
	struct lan_info lan = { 0 };
	json_t *ifname = json_object_get(req->json, "interface");
	if (ifname && !json_is_null(ifname)) {
		if (!json_is_string(ifname) || json_string_length(ifname) == 0 ||
		    json_string_length(ifname) >= sizeof(s.interface))
			return http_error(res, 400, "invalid_field", "interface", "interface must be a network interface name");
		s.enabled = true;
		snprintf(s.interface, sizeof(s.interface), "%s", json_string_value(ifname));
		if (read_ip(req, res, "range_start", false, &s.range_start) < 0 ||
		    read_ip(req, res, "range_end", false, &s.range_end) < 0 ||
		    read_ip(req, res, "gateway", true, &s.gateway) < 0)
			return 0;
	}
	json_t *lease = json_object_get(req->json, "lease_time");
	if (lease) {
		if (!json_is_integer(lease) || json_integer_value(lease) < 0 || json_integer_value(lease) > UINT32_MAX)
			return http_error(res, 400, "invalid_field", "lease_time", "lease_time must be a number of seconds");
		s.lease_s = (uint32_t)json_integer_value(lease);
	}
	struct field_error e;
	if (s.enabled) {
		int r = lan_lookup(s.interface, &lan);
		if (r < 0)
			return r;
		if (!lan.present)
			return http_error(res, 400, "invalid_field", "interface",
					  "interface '%s' does not exist or has no IPv4 address", s.interface);
	}
	if (dhcp_settings_validate(&s, s.enabled ? &lan.net : NULL, lan.addr, &e) < 0)
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message);

	struct dhcp_change *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct dhcp_change){ .settings = s, .lan = lan };
	snprintf(c->user, sizeof(c->user), "%s", req->auth.username);
	return api_apply_change(d, req, res, "dhcp", NULL, &dhcp_change_ops, c);
}

static json_t *reservation_json(const struct dhcp_reservation *r)
{
	char mac[DHCP_MAC_STR_MAX];
	dhcp_mac_format(r->mac, mac);
	return json_pack("{s:s, s:o, s:o}", "mac", mac, "ip", ip_json(r->ip), "hostname",
			 r->hostname[0] ? json_string(r->hostname) : json_null());
}

HANDLER(api_dhcp_reservations_list)
{
	_cleanup_free_ struct dhcp_reservation *list = calloc(DHCP_RESERVATIONS_MAX, sizeof(*list));
	if (!list)
		return -ENOMEM;
	int n = store_dhcp_reservation_list(d->store, list, DHCP_RESERVATIONS_MAX);
	if (n < 0)
		return n;
	json_t *a = json_array();
	for (int i = 0; a && i < n; i++)
		json_array_append_new(a, reservation_json(&list[i]));
	return http_reply(res, 200, json_pack("{s:o}", "reservations", a));
}

static int hosts_file_path(struct svc *s, const uint8_t mac[6], char *out, size_t len, bool temp)
{
	char name[SVC_DNSMASQ_HOST_FILE_NAME_MAX];
	int r = svc_dnsmasq_host_file_name(mac, name, sizeof(name));
	if (r < 0)
		return r;
	/* dnsmasq ignores names starting with a dot: the temp file is one. */
	int n = snprintf(out, len, "%s/%s/%s%s", s->dir, SVC_DNSMASQ_HOSTS_DIR, temp ? "." : "", name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int write_host_file(struct svc *s, const struct dhcp_reservation *r)
{
	char line[SVC_DNSMASQ_HOST_LINE_MAX], tmp[PATH_MAX], path[PATH_MAX];
	int rc = svc_dnsmasq_host_line(r, line, sizeof(line));
	if (rc == 0)
		rc = hosts_file_path(s, r->mac, tmp, sizeof(tmp), true);
	if (rc == 0)
		rc = hosts_file_path(s, r->mac, path, sizeof(path), false);
	if (rc == 0)
		rc = fs_write_atomic(tmp, line, strlen(line), 0644);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	return rc;
}

HANDLER(api_dhcp_reservations_create)
{
	static const char *const allowed[] = { "mac", "ip", "hostname", NULL };
	const char *mac, *hostname = NULL;
	struct dhcp_reservation r = { 0 };
	/* hostname null is none, as a reservation without one is answered. */
	bool no_hostname = json_is_null(json_object_get(req->json, "hostname"));
	if (api_body_object(req, res, allowed) < 0 || api_body_string(req, res, "mac", 32, true, &mac) < 0 ||
	    (!no_hostname && api_body_string(req, res, "hostname", DHCP_HOSTNAME_MAX, false, &hostname) < 0) ||
	    read_ip(req, res, "ip", false, &r.ip) < 0)
		return 0;
	if (dhcp_mac_parse(mac, r.mac) < 0)
		return http_error(res, 400, "invalid_field", "mac", "mac must look like aa:bb:cc:dd:ee:ff (a unicast address)");
	if (hostname)
		snprintf(r.hostname, sizeof(r.hostname), "%s", hostname);

	struct dhcp_settings s;
	struct lan_info lan = { 0 };
	int rc = store_dhcp_settings_load(d->store, &s);
	if (rc == 0 && s.enabled)
		rc = lan_lookup(s.interface, &lan);
	if (rc < 0)
		return rc;
	if (!s.enabled || !lan.present)
		return http_error(res, 409, "dhcp_off", NULL, "set the DHCP interface first (PUT /api/dhcp/config)");
	struct field_error e;
	if (dhcp_reservation_validate(&r, &s, &lan.net, lan.addr, &e) < 0)
		return http_error(res, 400, "invalid_field", e.field, "%s", e.message);
	if (r.hostname[0]) {
		char zone[CONFIG_ZONE_MAX + 1];
		struct dns_record as_record = { .type = DNS_A };
		if (config_zone(&d->config, zone, sizeof(zone)) == 0 &&
		    snprintf(as_record.name, sizeof(as_record.name), "%s.%s", r.hostname, zone) > 0 &&
		    dns_record_reserved(zone, &as_record))
			return http_error(res, 400, "invalid_field", "hostname",
					  "host name '%s' is one the cell publishes itself", r.hostname);
	}

	_cleanup_free_ struct dhcp_reservation *list = calloc(DHCP_RESERVATIONS_MAX, sizeof(*list));
	if (!list)
		return -ENOMEM;
	int n = store_dhcp_reservation_list(d->store, list, DHCP_RESERVATIONS_MAX);
	if (n < 0)
		return n;
	if (n >= DHCP_RESERVATIONS_MAX)
		return http_error(res, 409, "limit_reached", NULL, "at most %d reservations", DHCP_RESERVATIONS_MAX);
	for (int i = 0; i < n; i++) {
		if (memcmp(list[i].mac, r.mac, 6) == 0)
			return http_error(res, 400, "invalid_field", "mac", "%s already has a reservation", mac);
		if (list[i].ip == r.ip)
			return http_error(res, 400, "invalid_field", "ip", "that address is already reserved");
		if (r.hostname[0] && strcmp(list[i].hostname, r.hostname) == 0)
			return http_error(res, 400, "invalid_field", "hostname", "host name '%s' is already taken", r.hostname);
	}

	struct svc *svc = supervisor_find(&d->sup, "dhcp");
	char err[512] = "";
	rc = store_begin(d->store);
	if (rc == 0)
		rc = store_dhcp_reservation_add(d->store, &r);
	if (rc == 0 && svc)
		rc = write_host_file(svc, &r);
	if (rc == 0)
		rc = apply_dns_hosts(d, err, sizeof(err));
	if (rc == 0)
		rc = store_commit(d->store);
	if (rc < 0) {
		store_rollback(d->store);
		char path[PATH_MAX];
		if (svc && hosts_file_path(svc, r.mac, path, sizeof(path), false) == 0)
			unlink(path);
		return err[0] ? http_error(res, 502, "apply_failed", NULL, "%s", err) : rc;
	}
	log_info("dhcp: reservation %s added by '%s'", mac, req->auth.username);
	return http_reply(res, 201, reservation_json(&r));
}

HANDLER(api_dhcp_reservations_delete)
{
	uint8_t mac[6];
	if (dhcp_mac_parse(req->params[0], mac) < 0)
		return http_error(res, 400, "invalid_field", "mac", "mac must look like aa:bb:cc:dd:ee:ff");
	char err[512] = "";
	int rc = store_begin(d->store);
	if (rc == 0)
		rc = store_dhcp_reservation_delete(d->store, mac);
	if (rc == -ENOENT) {
		store_rollback(d->store);
		return http_error(res, 404, "not_found", "mac", "no reservation for %s", req->params[0]);
	}
	if (rc == 0)
		rc = apply_dns_hosts(d, err, sizeof(err));
	if (rc == 0)
		rc = store_commit(d->store);
	if (rc < 0) {
		store_rollback(d->store);
		return rc;
	}
	struct svc *svc = supervisor_find(&d->sup, "dhcp");
	char path[PATH_MAX];
	if (svc && hosts_file_path(svc, mac, path, sizeof(path), false) == 0 && unlink(path) == 0 && svc->pid > 0)
		kill(svc->pid, SIGHUP); /* dnsmasq forgets removed files only then */
	log_info("dhcp: reservation %s removed by '%s'", req->params[0], req->auth.username);
	return http_reply(res, 204, NULL);
}

HANDLER(api_dhcp_leases)
{
	struct svc *svc = supervisor_find(&d->sup, "dhcp");
	json_t *a = json_array();
	if (!a)
		return -ENOMEM;
	char path[PATH_MAX];
	if (svc && snprintf(path, sizeof(path), "%s/%s", svc->dir, SVC_DNSMASQ_LEASE_FILE) < (int)sizeof(path)) {
		struct buf text;
		buf_init(&text, LEASES_FILE_MAX);
		_cleanup_free_ struct dhcp_lease *leases = calloc(LEASES_MAX, sizeof(*leases));
		if (leases && fs_read_file(path, &text) == 0 && text.data) {
			int n = dhcp_leases_parse(text.data, leases, LEASES_MAX);
			int64_t now = time(NULL);
			for (int i = 0; i < n; i++) {
				if (leases[i].expiry != 0 && leases[i].expiry <= now)
					continue;
				char mac[DHCP_MAC_STR_MAX];
				dhcp_mac_format(leases[i].mac, mac);
				json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}", "mac", mac, "ip",
								   ip_json(leases[i].ip), "hostname",
								   leases[i].hostname[0] ? json_string(leases[i].hostname)
											 : json_null(),
								   "expires_at",
								   leases[i].expiry ? json_integer(leases[i].expiry) : json_null()));
			}
		}
		buf_free(&text);
	}
	return http_reply(res, 200, json_pack("{s:o}", "leases", a));
}
