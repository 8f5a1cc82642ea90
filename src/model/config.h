/* The cell's identity and network configuration: a plain value type, its
 * defaults, the table of its fields and their validation. Values cross the
 * store and the API as text (ports in decimal, an absent endpoint as NULL)
 * so that both go through the same parser. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "field_error.h"
#include "name.h"

#define CONFIG_ENDPOINT_MAX (NAME_MAX_LEN + 6) /* host + ":65535" */
#define CONFIG_VALUE_MAX (CONFIG_ENDPOINT_MAX + 1)
/* Networks larger than /16 are refused: the cell never needs more than
 * 65,534 addresses and per-address structures are sized from them. */
#define CONFIG_NET_MIN_PREFIX 16
#define CONFIG_VPN_MAX_PREFIX 30 /* the server plus at least one peer */

struct cell_config {
	char cell_name[NAME_MAX_LEN + 1];
	char domain[NAME_MAX_LEN + 1];
	struct ipv4_net ip_range;
	struct ipv4_net vpn_subnet;
	uint16_t wireguard_port;
	bool has_endpoint;
	char endpoint[CONFIG_ENDPOINT_MAX + 1];
};

enum config_type {
	CONFIG_STRING,
	CONFIG_OPTIONAL_STRING, /* may be null */
	CONFIG_PORT,            /* integer 1..65535 */
};

struct config_field {
	const char *name;
	enum config_type type;
	/* A change rebuilds the network: it waits as pending until applied. */
	bool needs_apply;
	const char *description;
};

extern const struct config_field config_fields[];
extern const size_t config_fields_len;

const struct config_field *config_field_find(const char *name);

void config_defaults(struct cell_config *ret_c);

/* Sets one field from its text form (NULL = null). Checks the field on its
 * own (syntax, ranges); config_validate() checks fields against each
 * other. On failure `c` is unchanged. */
int config_field_set(struct cell_config *c, const struct config_field *f, const char *text,
		     struct field_error *e);

/* Writes the text form of a field into `out`; returns 1 if the value is
 * null (and writes ""), 0 otherwise. */
int config_field_get(const struct cell_config *c, const struct config_field *f, char *out,
		     size_t outlen);

#define CONFIG_ZONE_MAX 253 /* a DNS name's longest text form */

/* The cell's DNS zone, "<cell_name>.<domain>" in lower case, into `out`
 * (at least CONFIG_ZONE_MAX + 1 bytes); -ENAMETOOLONG if too long. */
int config_zone(const struct cell_config *c, char *out, size_t outlen);

/* Cross-field rules (the networks must not overlap). A failure names
 * `blame_field` — the field the caller's change touched — or vpn_subnet
 * when that is NULL. */
int config_validate(const struct cell_config *c, const char *blame_field, struct field_error *e);
