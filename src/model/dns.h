/* DNS data the user manages: records inside the cell zone
 * (<cell_name>.<domain>), forward zones for other domains, and the
 * resolver's settings. Parsing turns API input into canonical values once;
 * everything downstream (store, unbound) uses those. Names are kept fully
 * qualified, lower case, without the trailing dot. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field_error.h"
#include "name.h"

#define DNS_NAME_MAX NAME_MAX_LEN
#define DNS_TXT_MAX 2048      /* bytes of TXT text; split into <= 255-byte strings */
#define DNS_VALUE_MAX 2048
#define DNS_TTL_MIN 60
#define DNS_TTL_MAX 604800
#define DNS_TTL_DEFAULT 3600
#define DNS_MAX_UPSTREAMS 8
#define DNS_MAX_FORWARD_SERVERS 4
#define DNS_ADDR_MAX 64       /* "2001:db8::1@5353" */

enum dns_type { DNS_A, DNS_AAAA, DNS_CNAME, DNS_MX, DNS_TXT, DNS_SRV, DNS_CAA, DNS_TYPE_COUNT };

const char *dns_type_name(enum dns_type t);
int dns_type_parse(const char *s, enum dns_type *ret);

/* A record. Which fields matter depends on the type:
 *   A, AAAA   value = the address (canonical text)
 *   CNAME     value = target name
 *   MX        value = mail host, priority
 *   TXT       value = the text (any bytes but NUL, <= DNS_TXT_MAX)
 *   SRV       value = target, priority, weight, port
 *   CAA       value = the property value, flags, tag ("issue", "issuewild", "iodef") */
struct dns_record {
	int64_t id;
	char name[DNS_NAME_MAX + 1];
	enum dns_type type;
	uint32_t ttl;
	char value[DNS_VALUE_MAX + 1];
	uint16_t priority, weight, port;
	uint8_t flags;
	char tag[16];
};

/* API input before validation; NULL / has_* false = absent. */
struct dns_record_input {
	const char *name;
	const char *type;
	const char *value;
	bool has_ttl, has_priority, has_weight, has_port, has_flags;
	int64_t ttl, priority, weight, port, flags;
	const char *tag;
};

/* "www" → "www.<zone>", "@" → the zone, "www.<zone>" or "www.<zone>." as
 * is; a name outside the zone is refused. Lower-cases. */
int dns_name_qualify(const char *zone, const char *name, char *out, size_t outlen, struct field_error *e);

/* Validates `in` for the cell zone `zone` into a canonical record (id 0).
 * Every failure names the field: name, type, ttl, value, priority, weight,
 * port, flags, tag. Fields that do not belong to the type are refused. */
int dns_record_parse(const char *zone, const struct dns_record_input *in, struct dns_record *ret,
		     struct field_error *e);

/* Names the cell publishes itself (the address plan under the zone, the
 * zone apex's address records, MX and SPF policy, the DKIM keys and DMARC
 * policy) cannot be taken by user records. */
bool dns_record_reserved(const char *zone, const struct dns_record *r);

/* The record as one line of zone data, as unbound's local-data takes it:
 * `www.mycell.cell. 3600 IN A 192.0.2.1`; TXT split into quoted strings
 * of at most 255 bytes with quotes and backslashes escaped. */
int dns_record_rr(const struct dns_record *r, char *out, size_t outlen);

/* Two records are the same data (duplicate) when name, type and rdata
 * agree; the TTL does not count. */
bool dns_record_same_data(const struct dns_record *a, const struct dns_record *b);

struct dns_settings {
	size_t n_upstreams;
	char upstreams[DNS_MAX_UPSTREAMS][DNS_ADDR_MAX]; /* IPv4 or IPv6, optional @port */
	bool recursion;  /* with no upstreams (or as fallback): resolve from the root */
	bool dnssec;     /* validate, when the root trust anchor is installed */
	uint32_t cache_mb;
};

void dns_settings_defaults(struct dns_settings *ret);
/* A resolver address: IPv4 or IPv6, optionally "@port". `field` names it. */
int dns_server_validate(const char *field, const char *s, struct field_error *e);
int dns_settings_validate(const struct dns_settings *s, struct field_error *e);

struct dns_forward {
	char zone[DNS_NAME_MAX + 1]; /* lower case, no trailing dot */
	size_t n_servers;
	char servers[DNS_MAX_FORWARD_SERVERS][DNS_ADDR_MAX];
};

/* A forward zone: a valid domain name that is not the cell zone or inside
 * it, with 1..DNS_MAX_FORWARD_SERVERS distinct server addresses. */
int dns_forward_validate(const char *cell_zone, struct dns_forward *f, struct field_error *e);
