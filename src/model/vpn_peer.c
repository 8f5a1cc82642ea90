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

/* An allocation in progress over one subnet: one byte per address (2 =
 * held, 1 = used before, 0 = never used) and the addresses used before,
 * sorted longest-freed first once the never-used ones run out. Both
 * cursors only move forward: an address is only ever taken, never given
 * back, while the allocation lasts. */
struct alloc {
	uint8_t *state;
	uint64_t size;
	uint32_t base;
	uint64_t fresh; /* no never-used peer address below this offset */
	struct vpn_freed *freed;
	size_t n_freed, next_freed;
	bool sorted;
};

static void alloc_done(struct alloc *a)
{
	free(a->state);
	free(a->freed);
}

static int by_freed_at(const void *pa, const void *pb)
{
	const struct vpn_freed *a = pa, *b = pb;
	if (a->freed_at != b->freed_at)
		return a->freed_at < b->freed_at ? -1 : 1;
	return a->address < b->address ? -1 : a->address > b->address;
}

/* The addresses in `freed`, and those in `left` as freed at `now`, count
 * as used before. */
static int alloc_init(struct alloc *a, const struct ipv4_net *subnet, const struct vpn_freed *freed, size_t n_freed,
		      const uint32_t *left, size_t n_left, int64_t now)
{
	*a = (struct alloc){ .size = cidr_size(subnet), .base = subnet->addr & cidr_mask(subnet->prefix), .fresh = 2 };
	a->state = calloc(a->size, 1);
	a->freed = calloc(n_freed + n_left + 1, sizeof(*a->freed));
	if (!a->state || !a->freed) {
		alloc_done(a);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n_freed + n_left; i++) {
		struct vpn_freed f = i < n_freed ? freed[i] : (struct vpn_freed){ left[i - n_freed], now };
		if (f.address - a->base < a->size) {
			a->state[f.address - a->base] = 1;
			a->freed[a->n_freed++] = f;
		}
	}
	return 0;
}

/* Whether `address` is a peer address of the subnet that nobody holds;
 * it is held from now on. */
static bool alloc_hold(struct alloc *a, uint32_t address)
{
	uint64_t off = address - a->base;
	if (off < 2 || off + 1 >= a->size || a->state[off] == 2)
		return false;
	a->state[off] = 2;
	return true;
}

/* The lowest never-used address, else the longest-freed one; held. */
static int alloc_take(struct alloc *a, uint32_t *ret)
{
	for (; a->fresh + 1 < a->size; a->fresh++)
		if (a->state[a->fresh] == 0 && alloc_hold(a, a->base + (uint32_t)a->fresh)) {
			*ret = a->base + (uint32_t)a->fresh;
			return 0;
		}
	if (!a->sorted)
		qsort(a->freed, a->n_freed, sizeof(*a->freed), by_freed_at);
	a->sorted = true;
	for (; a->next_freed < a->n_freed; a->next_freed++)
		if (alloc_hold(a, a->freed[a->next_freed].address)) {
			*ret = a->freed[a->next_freed].address;
			return 0;
		}
	return -ENOSPC;
}

int vpn_address_pick(const struct ipv4_net *subnet, const uint32_t *used, size_t n_used,
		     const struct vpn_freed *freed, size_t n_freed, uint32_t *ret)
{
	struct alloc a;
	int r = alloc_init(&a, subnet, freed, n_freed, NULL, 0, 0);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_used; i++)
		alloc_hold(&a, used[i]);
	r = alloc_take(&a, ret);
	alloc_done(&a);
	return r;
}

int vpn_address_move(const struct ipv4_net *from, const struct ipv4_net *to, const uint32_t *old, size_t n,
		     const struct vpn_freed *freed, size_t n_freed, int64_t now, uint32_t *ret_new)
{
	if (n > vpn_address_capacity(to))
		return -ENOSPC;
	uint32_t from_base = from->addr & cidr_mask(from->prefix);
	uint32_t to_base = to->addr & cidr_mask(to->prefix);
	uint32_t *moved = calloc(n + 1, sizeof(*moved));
	bool *kept = calloc(n + 1, sizeof(*kept));
	struct alloc a;
	int r = moved && kept ? alloc_init(&a, to, freed, n_freed, old, n, now) : -ENOMEM;
	if (r < 0) {
		free(moved);
		free(kept);
		return r;
	}
	/* Every peer that can keep its offset first, so that no other peer
	 * is given that address before it. */
	for (size_t i = 0; i < n; i++) {
		uint64_t off = old[i] - from_base;
		if (off < cidr_size(from) && off < cidr_size(to) && alloc_hold(&a, to_base + (uint32_t)off)) {
			moved[i] = to_base + (uint32_t)off;
			kept[i] = true;
		}
	}
	for (size_t i = 0; r == 0 && i < n; i++)
		if (!kept[i])
			r = alloc_take(&a, &moved[i]);
	if (r == 0)
		memcpy(ret_new, moved, n * sizeof(*moved));
	alloc_done(&a);
	free(moved);
	free(kept);
	return r;
}
