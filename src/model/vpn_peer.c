/* Validation and address allocation of VPN peers (see vpn_peer.h). */
#include "vpn_peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/banned.h"

const char *const vpn_grantable_services[] = { "webui", "calendar", "files", "mail", "ntp", "internet", "peers" };
const size_t vpn_grantable_services_len = sizeof(vpn_grantable_services) / sizeof(vpn_grantable_services[0]);

int vpn_peer_name_validate(const char *field, const char *s, struct field_error *e)
{
	size_t len = strlen(s);
	if (len == 0 || len > VPN_PEER_NAME_MAX) {
		field_error_set(e, field, "%s must be 1 to %d characters", field, VPN_PEER_NAME_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < len - 1);
		if (!ok) {
			field_error_set(e, field,
					"%s may hold lower-case letters, digits and inner hyphens only (a DNS label)", field);
			return -EINVAL;
		}
	}
	return 0;
}

int vpn_key_validate(const char *field, const char *s, uint8_t out[32], struct field_error *e)
{
	uint8_t key[32];
	size_t len = 0;
	const char *end = NULL;
	bool ok = strlen(s) == VPN_KEY_B64_LEN &&
		  sodium_base642bin(key, sizeof(key), s, VPN_KEY_B64_LEN, NULL, &len, &end,
				    sodium_base64_VARIANT_ORIGINAL) == 0 &&
		  len == sizeof(key) && end == s + VPN_KEY_B64_LEN;
	if (ok) {
		/* Canonical: the unused low bits of the last character are zero. */
		char again[VPN_KEY_B64_LEN + 1];
		sodium_bin2base64(again, sizeof(again), key, sizeof(key), sodium_base64_VARIANT_ORIGINAL);
		ok = strcmp(again, s) == 0;
	}
	if (!ok) {
		field_error_set(e, field, "%s must be a WireGuard key: 32 bytes in base64 (44 characters)", field);
		sodium_memzero(key, sizeof(key));
		return -EINVAL;
	}
	if (out)
		memcpy(out, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	return 0;
}

static bool grantable(const char *service)
{
	for (size_t i = 0; i < vpn_grantable_services_len; i++)
		if (strcmp(vpn_grantable_services[i], service) == 0)
			return true;
	return false;
}

bool vpn_peer_has_service(const struct vpn_peer *p, const char *service)
{
	for (size_t i = 0; i < p->n_services; i++)
		if (strcmp(p->services[i], service) == 0)
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int vpn_peer_add_service(struct vpn_peer *p, const char *field, const char *service, struct field_error *e)
{
	if (!grantable(service)) {
		char known[128] = "";
		for (size_t i = 0; i < vpn_grantable_services_len; i++) {
			size_t used = strlen(known);
			snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "", vpn_grantable_services[i]);
		}
		field_error_set(e, field, "unknown service '%.32s' (known: %s; dns is always granted)", service, known);
		return -EINVAL;
	}
	if (vpn_peer_has_service(p, service)) {
		field_error_set(e, field, "service '%s' is listed twice", service);
		return -EINVAL;
	}
	if (p->n_services == VPN_PEER_SERVICES_MAX) {
		field_error_set(e, field, "at most %d services", VPN_PEER_SERVICES_MAX);
		return -EINVAL;
	}
	snprintf(p->services[p->n_services++], sizeof(p->services[0]), "%s", service);
	qsort(p->services, p->n_services, sizeof(p->services[0]), by_name);
	return 0;
}

int vpn_tunnel_parse(const char *s, enum vpn_tunnel *ret)
{
	if (strcmp(s, "split") == 0)
		*ret = VPN_TUNNEL_SPLIT;
	else if (strcmp(s, "full") == 0)
		*ret = VPN_TUNNEL_FULL;
	else
		return -EINVAL;
	return 0;
}

const char *vpn_tunnel_name(enum vpn_tunnel t)
{
	return t == VPN_TUNNEL_FULL ? "full" : "split";
}

bool vpn_peer_active(const struct vpn_peer *p, int64_t now)
{
	return p->enabled && (p->expires_at == 0 || p->expires_at > now);
}

uint64_t vpn_address_capacity(const struct ipv4_net *subnet)
{
	uint64_t size = cidr_size(subnet);
	return size > 3 ? size - 3 : 0;
}

int vpn_address_pick(const struct ipv4_net *subnet, const uint32_t *used, size_t n_used,
		     const struct vpn_freed *freed, size_t n_freed, uint32_t *ret)
{
	uint64_t size = cidr_size(subnet);
	if (size < 4)
		return -ENOSPC;
	/* One byte per address of the subnet: 2 = held now, 1 = used before. */
	uint8_t *state = calloc(size, 1);
	if (!state)
		return -ENOMEM;
	uint32_t base = subnet->addr & cidr_mask(subnet->prefix);
	for (size_t i = 0; i < n_freed; i++)
		if (freed[i].address - base < size)
			state[freed[i].address - base] = 1;
	for (size_t i = 0; i < n_used; i++)
		if (used[i] - base < size)
			state[used[i] - base] = 2;
	int r = -ENOSPC;
	for (uint64_t off = 2; off < size - 1; off++)
		if (state[off] == 0) {
			*ret = base + (uint32_t)off;
			r = 0;
			break;
		}
	if (r < 0) {
		const struct vpn_freed *best = NULL;
		for (size_t i = 0; i < n_freed; i++) {
			uint64_t off = freed[i].address - base;
			if (off >= 2 && off < size - 1 && state[off] == 1 && (!best || freed[i].freed_at < best->freed_at))
				best = &freed[i];
		}
		if (best) {
			*ret = best->address;
			r = 0;
		}
	}
	free(state);
	return r;
}
