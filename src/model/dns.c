/* DNS record, forward and resolver-settings validation (see dns.h). */
#include "dns.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "common/strparse.h"
#include "ipplan.h"
#include "common/banned.h"

static const char *const type_names[DNS_TYPE_COUNT] = {
	[DNS_A] = "A", [DNS_AAAA] = "AAAA", [DNS_CNAME] = "CNAME", [DNS_MX] = "MX",
	[DNS_TXT] = "TXT", [DNS_SRV] = "SRV", [DNS_CAA] = "CAA",
};

const char *dns_type_name(enum dns_type t)
{
	return t < DNS_TYPE_COUNT ? type_names[t] : "?";
}

int dns_type_parse(const char *s, enum dns_type *ret)
{
	for (int t = 0; t < DNS_TYPE_COUNT; t++) {
		if (strcasecmp(s, type_names[t]) == 0) {
			*ret = (enum dns_type)t;
			return 0;
		}
	}
	return -EINVAL;
}

/* Labels of letters, digits, hyphens and (for service labels such as
 * _sip._tcp or _dmarc) underscores. No wildcards: unbound's local data
 * would serve "*" only as a literal label. */
static int check_labels(const char *field, const char *s, struct field_error *e)
{
	size_t len = strlen(s);
	if (len == 0 || len > DNS_NAME_MAX) {
		field_error_set(e, field, "%s must be 1 to %d characters", field, DNS_NAME_MAX);
		return -EINVAL;
	}
	const char *label = s;
	for (size_t i = 0; i <= len; i++) {
		if (s[i] != '.' && s[i] != '\0')
			continue;
		size_t l = (size_t)(s + i - label);
		if (l == 0 || l > NAME_LABEL_MAX_LEN) {
			field_error_set(e, field, "%s has an empty label or one longer than %d characters", field,
					NAME_LABEL_MAX_LEN);
			return -EINVAL;
		}
		for (size_t j = 0; j < l; j++) {
			char c = label[j];
			if (!(isalnum((unsigned char)c) || c == '-' || c == '_')) {
				field_error_set(e, field, "%s may contain only letters, digits, '-', '_' and dots", field);
				return -EINVAL;
			}
		}
		if (label[0] == '-' || label[l - 1] == '-') {
			field_error_set(e, field, "%s has a label that starts or ends with a hyphen", field);
			return -EINVAL;
		}
		label = s + i + 1;
	}
	return 0;
}

/* Lower-cases `in` into `out` without a trailing dot. */
static int normalise(const char *in, char *out, size_t outlen)
{
	size_t len = strlen(in);
	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len >= outlen)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[len] = '\0';
	return 0;
}

static bool inside_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);
	return n == z ? strcmp(name, zone) == 0 : n > z && name[n - z - 1] == '.' && strcmp(name + n - z, zone) == 0;
}

int dns_name_qualify(const char *zone, const char *name, char *out, size_t outlen, struct field_error *e)
{
	char n[DNS_NAME_MAX + 2], z[DNS_NAME_MAX + 1];
	if (!name || !*name) {
		field_error_set(e, "name", "name is required");
		return -EINVAL;
	}
	if (normalise(zone, z, sizeof(z)) < 0 || normalise(name, n, sizeof(n)) < 0) {
		field_error_set(e, "name", "name is longer than %d characters", DNS_NAME_MAX);
		return -EINVAL;
	}
	bool absolute = name[strlen(name) - 1] == '.';
	char full[DNS_NAME_MAX * 2 + 4];
	int w;
	if (strcmp(name, "@") == 0)
		w = snprintf(full, sizeof(full), "%s", z);
	else if (absolute || inside_zone(n, z))
		w = snprintf(full, sizeof(full), "%s", n);
	else
		w = snprintf(full, sizeof(full), "%s.%s", n, z);
	if (w < 0 || (size_t)w >= sizeof(full)) {
		field_error_set(e, "name", "name is too long");
		return -EINVAL;
	}
	if (check_labels("name", full, e) < 0)
		return -EINVAL;
	if (!inside_zone(full, z)) {
		field_error_set(e, "name", "name must be inside the cell zone %s", z);
		return -EINVAL;
	}
	if (strlen(full) >= outlen) {
		field_error_set(e, "name", "name is too long");
		return -EINVAL;
	}
	snprintf(out, outlen, "%s", full);
	return 0;
}

/* A host name a record points at (CNAME, MX, SRV targets). A single
 * label without a final dot ("mail-svc") is a name in the cell zone;
 * anything else is taken as absolute. */
static int parse_target(const char *zone, const char *s, char *out, size_t outlen, struct field_error *e)
{
	if (!s || !*s) {
		field_error_set(e, "value", "value (the target host name) is required");
		return -EINVAL;
	}
	char name[DNS_NAME_MAX + 1];
	if (normalise(s, name, sizeof(name)) < 0 || check_labels("value", name, e) < 0) {
		if (!e->message[0])
			field_error_set(e, "value", "value must be a host name");
		return -EINVAL;
	}
	bool relative = !strchr(s, '.');
	int n = relative ? snprintf(out, outlen, "%s.%s", name, zone) : snprintf(out, outlen, "%s", name);
	if (n < 0 || (size_t)n >= outlen || n > DNS_NAME_MAX) {
		field_error_set(e, "value", "value is too long");
		return -EINVAL;
	}
	return 0;
}

static int int_field(const char *field, bool has, int64_t v, int64_t min, int64_t max, bool required,
		     int64_t def, int64_t *ret, struct field_error *e)
{
	if (!has) {
		if (required) {
			field_error_set(e, field, "%s is required", field);
			return -EINVAL;
		}
		*ret = def;
		return 0;
	}
	if (v < min || v > max) {
		field_error_set(e, field, "%s must be from %lld to %lld", field, (long long)min, (long long)max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* Refuses fields that do not apply to the type. */
static int only_fields(const struct dns_record_input *in, enum dns_type t, struct field_error *e)
{
	struct {
		const char *name;
		bool present;
		bool allowed;
	} fields[] = {
		{ "priority", in->has_priority, t == DNS_MX || t == DNS_SRV },
		{ "weight", in->has_weight, t == DNS_SRV },
		{ "port", in->has_port, t == DNS_SRV },
		{ "flags", in->has_flags, t == DNS_CAA },
		{ "tag", in->tag != NULL, t == DNS_CAA },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (fields[i].present && !fields[i].allowed) {
			field_error_set(e, fields[i].name, "%s does not apply to %s records", fields[i].name,
					dns_type_name(t));
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_caa(const struct dns_record_input *in, struct dns_record *r, struct field_error *e)
{
	int64_t flags;
	if (int_field("flags", in->has_flags, in->flags, 0, 255, false, 0, &flags, e) < 0)
		return -EINVAL;
	r->flags = (uint8_t)flags;
	const char *tag = in->tag ? in->tag : "issue";
	if (strcmp(tag, "issue") != 0 && strcmp(tag, "issuewild") != 0 && strcmp(tag, "iodef") != 0) {
		field_error_set(e, "tag", "tag must be issue, issuewild or iodef");
		return -EINVAL;
	}
	snprintf(r->tag, sizeof(r->tag), "%s", tag);
	const char *v = in->value;
	size_t len = strlen(v);
	bool printable = true;
	for (size_t i = 0; i < len; i++)
		printable = printable && v[i] > ' ' && v[i] < 0x7f && v[i] != '"' && v[i] != '\\';
	if (len == 0 || len > 255 || !printable) {
		field_error_set(e, "value",
				"value must be 1 to 255 printable ASCII characters without spaces, quotes or backslashes");
		return -EINVAL;
	}
	if (strcmp(tag, "iodef") == 0 && strncmp(v, "mailto:", 7) != 0 && strncmp(v, "https://", 8) != 0 &&
	    strncmp(v, "http://", 7) != 0) {
		field_error_set(e, "value", "an iodef value is a mailto: or http(s):// URL");
		return -EINVAL;
	}
	if (strcmp(tag, "iodef") != 0 && strcmp(v, ";") != 0) {
		char domain[DNS_NAME_MAX + 1];
		/* "letsencrypt.org" or "letsencrypt.org; accounturi=..." */
		size_t dlen = strcspn(v, ";");
		if (dlen == 0 || dlen > DNS_NAME_MAX) {
			field_error_set(e, "value", "value must name a certificate authority's domain");
			return -EINVAL;
		}
		memcpy(domain, v, dlen);
		domain[dlen] = '\0';
		if (check_labels("value", domain, e) < 0)
			return -EINVAL;
	}
	snprintf(r->value, sizeof(r->value), "%s", v);
	return 0;
}

static int parse_value(const char *zone, const struct dns_record_input *in, struct dns_record *r,
		       struct field_error *e)
{
	if (!in->value) {
		field_error_set(e, "value", "value is required");
		return -EINVAL;
	}
	int64_t n;
	switch (r->type) {
	case DNS_A: {
		uint32_t a;
		if (ipv4_parse(in->value, &a) < 0) {
			field_error_set(e, "value", "an A record's value is an IPv4 address");
			return -EINVAL;
		}
		ipv4_format(a, r->value);
		return 0;
	}
	case DNS_AAAA: {
		struct in6_addr a;
		if (strlen(in->value) > 45 || inet_pton(AF_INET6, in->value, &a) != 1) {
			field_error_set(e, "value", "an AAAA record's value is an IPv6 address");
			return -EINVAL;
		}
		inet_ntop(AF_INET6, &a, r->value, sizeof(r->value));
		return 0;
	}
	case DNS_CNAME:
		return parse_target(zone, in->value, r->value, sizeof(r->value), e);
	case DNS_MX:
		if (int_field("priority", in->has_priority, in->priority, 0, 65535, false, 10, &n, e) < 0)
			return -EINVAL;
		r->priority = (uint16_t)n;
		return parse_target(zone, in->value, r->value, sizeof(r->value), e);
	case DNS_TXT: {
		size_t len = strlen(in->value);
		if (len == 0 || len > DNS_TXT_MAX) {
			field_error_set(e, "value", "a TXT record's text is 1 to %d bytes", DNS_TXT_MAX);
			return -EINVAL;
		}
		for (size_t i = 0; i < len; i++) {
			if ((unsigned char)in->value[i] < 0x20 || in->value[i] == 0x7f) {
				field_error_set(e, "value", "a TXT record's text may not contain control characters");
				return -EINVAL;
			}
		}
		snprintf(r->value, sizeof(r->value), "%s", in->value);
		return 0;
	}
	case DNS_SRV:
		if (int_field("priority", in->has_priority, in->priority, 0, 65535, true, 0, &n, e) < 0)
			return -EINVAL;
		r->priority = (uint16_t)n;
		if (int_field("weight", in->has_weight, in->weight, 0, 65535, true, 0, &n, e) < 0)
			return -EINVAL;
		r->weight = (uint16_t)n;
		if (int_field("port", in->has_port, in->port, 0, 65535, true, 0, &n, e) < 0)
			return -EINVAL;
		r->port = (uint16_t)n;
		if (strcmp(in->value, ".") == 0) { /* "no such service here" */
			snprintf(r->value, sizeof(r->value), ".");
			return 0;
		}
		return parse_target(zone, in->value, r->value, sizeof(r->value), e);
	case DNS_CAA:
		return parse_caa(in, r, e);
	default:
		return -EINVAL;
	}
}

int dns_record_parse(const char *zone, const struct dns_record_input *in, struct dns_record *ret,
		     struct field_error *e)
{
	struct dns_record r = { 0 };
	field_error_set(e, "", "%s", "");
	if (!in->type) {
		field_error_set(e, "type", "type is required");
		return -EINVAL;
	}
	if (dns_type_parse(in->type, &r.type) < 0) {
		field_error_set(e, "type", "type must be one of A, AAAA, CNAME, MX, TXT, SRV, CAA");
		return -EINVAL;
	}
	if (dns_name_qualify(zone, in->name, r.name, sizeof(r.name), e) < 0)
		return -EINVAL;
	if (r.type == DNS_SRV) {
		/* _service._proto.name */
		const char *dot = strchr(r.name, '.');
		if (r.name[0] != '_' || !dot || dot[1] != '_') {
			field_error_set(e, "name", "an SRV record's name is _service._protocol (such as _sip._tcp)");
			return -EINVAL;
		}
	}
	int64_t ttl;
	if (only_fields(in, r.type, e) < 0 ||
	    int_field("ttl", in->has_ttl, in->ttl, DNS_TTL_MIN, DNS_TTL_MAX, false, DNS_TTL_DEFAULT, &ttl, e) < 0 ||
	    parse_value(zone, in, &r, e) < 0)
		return -EINVAL;
	r.ttl = (uint32_t)ttl;
	*ret = r;
	return 0;
}

bool dns_record_reserved(const char *zone, const struct dns_record *r)
{
	/* The apex's address (webui) and, for the mail service, its MX and
	 * SPF policy. */
	if (strcmp(r->name, zone) == 0)
		return r->type == DNS_A || r->type == DNS_AAAA || r->type == DNS_CNAME || r->type == DNS_MX ||
		       (r->type == DNS_TXT && strncasecmp(r->value, "v=spf1", 6) == 0);
	size_t zlen = strlen(zone), nlen = strlen(r->name);
	if (nlen <= zlen + 1 || !inside_zone(r->name, zone))
		return false;
	size_t llen = nlen - zlen - 1; /* the part before ".zone" */
	for (size_t i = 0; i < ipplan_table_len; i++) {
		const char *p = ipplan_table[i].name;
		size_t plen = strlen(p);
		bool exact = llen == plen && strncmp(r->name, p, plen) == 0;
		bool svc = llen == plen + 4 && strncmp(r->name, p, plen) == 0 && strncmp(r->name + plen, "-svc", 4) == 0;
		if (exact || svc)
			return true;
	}
	for (size_t i = 0; i < ipplan_aliases_len; i++) {
		const char *p = ipplan_aliases[i].label;
		if (llen == strlen(p) && strncmp(r->name, p, llen) == 0)
			return true;
	}
	/* The mail service's DKIM keys and DMARC policy. */
	static const char dk[] = "._domainkey", dm[] = "_dmarc";
	size_t dkl = sizeof(dk) - 1;
	bool dkim = llen > dkl && strncmp(r->name + llen - dkl, dk, dkl) == 0 && !memchr(r->name, '.', llen - dkl);
	bool dmarc = llen == sizeof(dm) - 1 && strncmp(r->name, dm, llen) == 0;
	return dkim || dmarc;
}

/* TXT text as quoted strings of at most 255 bytes. */
static int txt_rdata(const char *text, char *out, size_t outlen)
{
	size_t o = 0, len = strlen(text);
	for (size_t start = 0; start < len; start += 255) {
		size_t chunk = len - start > 255 ? 255 : len - start;
		if (o + 3 >= outlen)
			return -ENOBUFS;
		if (start)
			out[o++] = ' ';
		out[o++] = '"';
		for (size_t i = start; i < start + chunk; i++) {
			if (o + 3 >= outlen)
				return -ENOBUFS;
			if (text[i] == '"' || text[i] == '\\')
				out[o++] = '\\';
			out[o++] = text[i];
		}
		out[o++] = '"';
	}
	out[o] = '\0';
	return 0;
}

int dns_record_rr(const struct dns_record *r, char *out, size_t outlen)
{
	char rdata[DNS_VALUE_MAX * 2 + 64];
	int n;
	switch (r->type) {
	case DNS_A:
	case DNS_AAAA:
		n = snprintf(rdata, sizeof(rdata), "%s", r->value);
		break;
	case DNS_CNAME:
		n = snprintf(rdata, sizeof(rdata), "%s.", r->value);
		break;
	case DNS_MX:
		n = snprintf(rdata, sizeof(rdata), "%u %s.", r->priority, r->value);
		break;
	case DNS_TXT:
		if (txt_rdata(r->value, rdata, sizeof(rdata)) < 0)
			return -ENOBUFS;
		n = 0;
		break;
	case DNS_SRV:
		n = snprintf(rdata, sizeof(rdata), "%u %u %u %s%s", r->priority, r->weight, r->port, r->value,
			     strcmp(r->value, ".") == 0 ? "" : ".");
		break;
	case DNS_CAA:
		n = snprintf(rdata, sizeof(rdata), "%u %s \"%s\"", r->flags, r->tag, r->value);
		break;
	default:
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= sizeof(rdata))
		return -ENOBUFS;
	n = snprintf(out, outlen, "%s. %u IN %s %s", r->name, r->ttl, dns_type_name(r->type), rdata);
	return n < 0 || (size_t)n >= outlen ? -ENOBUFS : 0;
}

bool dns_record_same_data(const struct dns_record *a, const struct dns_record *b)
{
	return a->type == b->type && strcmp(a->name, b->name) == 0 && strcmp(a->value, b->value) == 0 &&
	       a->priority == b->priority && a->weight == b->weight && a->port == b->port &&
	       a->flags == b->flags && strcmp(a->tag, b->tag) == 0;
}

void dns_settings_defaults(struct dns_settings *ret)
{
	*ret = (struct dns_settings){ .recursion = true, .dnssec = true, .cache_mb = 16 };
}

int dns_server_validate(const char *field, const char *s, struct field_error *e)
{
	char addr[DNS_ADDR_MAX];
	size_t len = strcspn(s, "@");
	if (len == 0 || len >= sizeof(addr)) {
		field_error_set(e, field, "%s must be an IPv4 or IPv6 address, optionally with @port", field);
		return -EINVAL;
	}
	memcpy(addr, s, len);
	addr[len] = '\0';
	uint32_t v4;
	struct in6_addr v6;
	if (ipv4_parse(addr, &v4) < 0 && inet_pton(AF_INET6, addr, &v6) != 1) {
		field_error_set(e, field, "%s must be an IPv4 or IPv6 address, optionally with @port", field);
		return -EINVAL;
	}
	uint32_t port;
	if (s[len] == '@' && parse_u32(s + len + 1, 1, 65535, &port) < 0) {
		field_error_set(e, field, "%s has a port that is not a number from 1 to 65535", field);
		return -EINVAL;
	}
	return 0;
}

static int servers_validate(const char *list_field, const char (*servers)[DNS_ADDR_MAX], size_t n,
			    struct field_error *e)
{
	for (size_t i = 0; i < n; i++) {
		char field[48];
		snprintf(field, sizeof(field), "%s[%zu]", list_field, i);
		if (dns_server_validate(field, servers[i], e) < 0)
			return -EINVAL;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(servers[i], servers[j]) == 0) {
				field_error_set(e, field, "%s '%s' is listed twice", field, servers[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int dns_settings_validate(const struct dns_settings *s, struct field_error *e)
{
	if (s->n_upstreams > DNS_MAX_UPSTREAMS) {
		field_error_set(e, "upstreams", "at most %d upstreams", DNS_MAX_UPSTREAMS);
		return -EINVAL;
	}
	if (servers_validate("upstreams", s->upstreams, s->n_upstreams, e) < 0)
		return -EINVAL;
	if (s->cache_mb < 4 || s->cache_mb > 1024) {
		field_error_set(e, "cache_mb", "cache_mb must be from 4 to 1024");
		return -EINVAL;
	}
	if (!s->recursion && s->n_upstreams == 0) {
		field_error_set(e, "recursion", "with recursion off, at least one upstream is needed");
		return -EINVAL;
	}
	return 0;
}

int dns_forward_validate(const char *cell_zone, struct dns_forward *f, struct field_error *e)
{
	char zone[DNS_NAME_MAX + 1];
	if (normalise(f->zone, zone, sizeof(zone)) < 0 || check_labels("zone", zone, e) < 0) {
		if (!e->message[0])
			field_error_set(e, "zone", "zone must be a domain name");
		return -EINVAL;
	}
	if (inside_zone(zone, cell_zone)) {
		field_error_set(e, "zone", "zone %s is the cell's own zone or inside it", zone);
		return -EINVAL;
	}
	if (f->n_servers == 0 || f->n_servers > DNS_MAX_FORWARD_SERVERS) {
		field_error_set(e, "servers", "servers must list 1 to %d addresses", DNS_MAX_FORWARD_SERVERS);
		return -EINVAL;
	}
	if (servers_validate("servers", f->servers, f->n_servers, e) < 0)
		return -EINVAL;
	snprintf(f->zone, sizeof(f->zone), "%s", zone);
	return 0;
}
