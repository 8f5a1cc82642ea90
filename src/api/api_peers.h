/* Shared by the /api/peers handlers. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include <sodium.h>

#include "common/cleanup.h"
#include "http.h"
#include "model/vpn_peer.h"

struct daemon;

/* A peer as the API shows it: no private or preshared key. */
json_t *api_peer_json(const struct vpn_peer *p, int64_t now);
/* The stored peer `name`; -ENOENT with a 404 in `res`. */
int api_peer_find(struct daemon *d, const char *name, struct vpn_peer *p, struct http_response *res);

/* A peer on the stack holds keys: wiped when it goes out of scope. */
static inline void sodium_memzerop_peer(struct vpn_peer *p)
{
	sodium_memzero(p, sizeof(*p));
}
