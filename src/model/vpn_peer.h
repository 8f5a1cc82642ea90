/* A VPN peer: a device let into the cell over WireGuard. What it may
 * reach is a set of services (the DNS service is implied); everything
 * else about it is checked here before anything is stored or applied. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "field_error.h"

#define VPN_PEER_NAME_MAX 63
#define VPN_KEY_B64_LEN 44 /* 32 bytes in standard base64 with padding */
#define VPN_SERVICE_MAX_LEN 15
#define VPN_PEER_SERVICES_MAX 8
/* A freed address is handed out again only when no never-used one is
 * left, the longest-freed first. */

enum vpn_tunnel {
	VPN_TUNNEL_SPLIT, /* the cell's networks only (default) */
	VPN_TUNNEL_FULL,  /* everything through the cell */
};

struct vpn_peer {
	int64_t id;
	char name[VPN_PEER_NAME_MAX + 1];
	char public_key[VPN_KEY_B64_LEN + 1];
	/* The device's private key when the cell made the pair (to provision
	 * it by QR); "" when the device brought its own public key. */
	char private_key[VPN_KEY_B64_LEN + 1];
	char preshared_key[VPN_KEY_B64_LEN + 1]; /* "" for none */
	uint32_t address;
	size_t n_services;
	char services[VPN_PEER_SERVICES_MAX][VPN_SERVICE_MAX_LEN + 1]; /* sorted */
	enum vpn_tunnel tunnel;
	int64_t expires_at; /* unix seconds; 0: never */
	bool enabled;
	int64_t created_at;
};

/* The services a peer can be granted, in display order. */
extern const char *const vpn_grantable_services[];
extern const size_t vpn_grantable_services_len;

/* A DNS label: 1..63 lower-case letters, digits and inner hyphens. */
int vpn_peer_name_validate(const char *field, const char *s, struct field_error *e);
/* 32 bytes in standard base64 (44 characters, '=' padded, canonical);
 * the key itself into `out` when not NULL. */
int vpn_key_validate(const char *field, const char *s, uint8_t out[32], struct field_error *e);
/* Adds `service` (a grantable one, not yet present) keeping the list
 * sorted; `field` names it in errors ("services[2]"). */
int vpn_peer_add_service(struct vpn_peer *p, const char *field, const char *service, struct field_error *e);
bool vpn_peer_has_service(const struct vpn_peer *p, const char *service);
int vpn_tunnel_parse(const char *s, enum vpn_tunnel *ret);
const char *vpn_tunnel_name(enum vpn_tunnel t);

/* Enabled and not expired at `now`: on the interface and in the rules. */
bool vpn_peer_active(const struct vpn_peer *p, int64_t now);

/* The host addresses a peer can get in `subnet`: all but the network,
 * the broadcast and the server's (the first host). */
uint64_t vpn_address_capacity(const struct ipv4_net *subnet);

struct vpn_freed {
	uint32_t address;
	int64_t freed_at;
};

/* An address for a new peer: the lowest never-used host address of
 * `subnet` that no peer holds (`used`, any order); when every one has
 * been used, the one freed longest ago (`freed`) that no peer holds.
 * -ENOSPC when none is free. */
int vpn_address_pick(const struct ipv4_net *subnet, const uint32_t *used, size_t n_used,
		     const struct vpn_freed *freed, size_t n_freed, uint32_t *ret);
/* The addresses `n` peers take when the VPN moves from `from` to `to`:
 * old[i] becomes ret_new[i]. A peer keeps its host offset when that is a
 * peer address of `to` that no other peer keeps; the others, in order,
 * get what vpn_address_pick would give them, the addresses the peers
 * leave counting as freed at `now`. -ENOSPC (nothing written) when `to`
 * has fewer peer addresses than there are peers. */
int vpn_address_move(const struct ipv4_net *from, const struct ipv4_net *to, const uint32_t *old, size_t n,
		     const struct vpn_freed *freed, size_t n_freed, int64_t now, uint32_t *ret_new);
