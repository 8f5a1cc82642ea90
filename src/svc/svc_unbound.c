/* unbound: rendering unbound.conf and records.conf, and the DNS health
 * probe.
 *
 * The cell zone Z is a static local zone: a name not listed answers
 * NXDOMAIN and never leaks upstream. picd publishes in it the apex and
 * every name of the address plan (ipplan_table), with PTRs in static
 * reverse zones for ip_range and vpn_subnet. A name that is both a service
 * and a virtual IP (files, mail, webui) resolves to the VIRTUAL IP: that
 * is the address on the proxy, the one clients are meant to use and
 * per-peer rules allow; the service's own namespace address is published
 * as <name>-svc.Z. So mail.Z is the webmail address on the proxy: SMTP
 * and IMAP (an MX target, a mail client's server) are on mail-svc.Z.
 *
 * The apex Z holds SOA, NS and the user's records at "@" for everyone.
 * Its A record, the webui virtual IP, is only in views (unbound_views.h):
 * cell-clients, for every client allowed to query that is not a VPN
 * peer, and the views of the peers granted webui. A peer without webui
 * gets NODATA there (not NXDOMAIN: names below the apex exist).
 *
 * Everything the user changes at run time — records, LAN host names —
 * lives in the files of records.d, which unbound.conf includes; upstreams and
 * forward zones are in unbound.conf itself. Input reaching a config line
 * is checked against an allow-list here too, whatever validated it
 * before: a quote in a name would end the string and start a directive. */
#include "svc_unbound.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "model/ipplan.h"
#include "probe_dns.h"
#include "unbound_views.h"
#include "common/banned.h"

static const char *const run_argv[] = {
	"/usr/sbin/unbound", "-d", "-c", SVC_ROOT "/unbound.conf", NULL,
};
static const char *const check_argv[] = {
	"/usr/sbin/unbound-checkconf", SVC_ROOT "/unbound.conf.new", NULL,
};

#define TRUST_ANCHOR_FILE "/usr/share/dns/root.key"
/* SOA timers of the zones picd serves; the last (negative TTL, 60 s)
 * keeps an absent name's NXDOMAIN, or the apex's empty answer to a peer
 * without webui, short-lived in clients' caches, so a record added or a
 * service granted reaches a device within a minute. */
#define SOA_TIMERS "1 3600 900 604800 60"

/* unbound 1.17's default local zones: answered by unbound itself unless
 * configured otherwise. Besides these: 16..31.172.in-addr.arpa and
 * 64..127.100.in-addr.arpa (checked by number below). "local" is not one
 * in 1.17 (mDNS); listed so that a later version that adds it changes
 * nothing here. */
static const char *const builtin_zones[] = {
	"localhost",
	"127.in-addr.arpa",
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
	"home.arpa",
	"onion",
	"test",
	"invalid",
	"local",
	"10.in-addr.arpa",
	"168.192.in-addr.arpa",
	"0.in-addr.arpa",
	"254.169.in-addr.arpa",
	"2.0.192.in-addr.arpa",
	"100.51.198.in-addr.arpa",
	"113.0.203.in-addr.arpa",
	"255.255.255.255.in-addr.arpa",
	"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
	"d.f.ip6.arpa",
	"8.e.f.ip6.arpa",
	"9.e.f.ip6.arpa",
	"a.e.f.ip6.arpa",
	"b.e.f.ip6.arpa",
	"8.b.d.0.1.0.0.2.ip6.arpa",
};

/* -1: `name` is not `zone` nor inside it; 0: equal; 1: inside. Both
 * without the trailing dot. */
static int zone_relation(const char *name, size_t nlen, const char *zone)
{
	size_t zlen = strlen(zone);
	if (nlen == zlen)
		return strncmp(name, zone, nlen) == 0 ? 0 : -1;
	if (nlen > zlen && name[nlen - zlen - 1] == '.' && strncmp(name + nlen - zlen, zone, zlen) == 0)
		return 1;
	return -1;
}

static enum svc_unbound_shadow shadow_of(int rel)
{
	return rel == 0 ? SVC_UNBOUND_SHADOWED : SVC_UNBOUND_SHADOWED_UNDER;
}

enum svc_unbound_shadow svc_unbound_shadowed(const char *zone)
{
	size_t len = strlen(zone);
	if (len > 0 && zone[len - 1] == '.')
		len--;
	for (size_t i = 0; i < ARRAY_SIZE(builtin_zones); i++) {
		int rel = zone_relation(zone, len, builtin_zones[i]);
		if (rel >= 0)
			return shadow_of(rel);
	}
	static const struct { unsigned from, to; const char *suffix; } ranges[] = {
		{ 16, 31, "172.in-addr.arpa" },
		{ 64, 127, "100.in-addr.arpa" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		for (unsigned n = ranges[i].from; n <= ranges[i].to; n++) {
			char z[32];
			int zlen = snprintf(z, sizeof(z), "%u.%s", n, ranges[i].suffix);
			if (zlen < 0 || (size_t)zlen >= sizeof(z))
				continue; /* cannot happen: the table's names are short */
			int rel = zone_relation(zone, len, z);
			if (rel >= 0)
				return shadow_of(rel);
		}
	return SVC_UNBOUND_NOT_SHADOWED;
}

int svc_unbound_rr_escape(const char *rr, char *out, size_t outlen)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)rr; *p; p++) {
		if (*p == '\'' || *p < 0x20 || *p == 0x7f) {
			if (outlen - o < 5)
				return -ENOBUFS;
			int n = snprintf(out + o, 5, "\\%03u", *p); /* 4 characters: *p < 128 */
			if (n != 4)
				return -ENOBUFS;
			o += 4;
		} else {
			if (outlen - o < 2)
				return -ENOBUFS;
			out[o++] = (char)*p;
		}
	}
	if (outlen - o < 1)
		return -ENOBUFS;
	out[o] = '\0';
	return 0;
}

/* Names picd writes into the config: letters, digits, '-', '_' and
 * non-empty labels. */
static bool safe_name(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (const char *p = s; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '-' || *p == '_' || (*p == '.' && p[1] != '.');
		if (!ok)
			return false;
	}
	return true;
}

/* A resolver address as unbound takes it: IPv4 or IPv6, optionally @port. */
static bool safe_server(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789abcdefABCDEF.:@", *p))
			return false;
	return true;
}

/* "<cell_name>.<domain>", lower case. */
static int cell_zone(const struct cell_config *c, char out[NAME_MAX_LEN + 1])
{
	if (config_zone(c, out, NAME_MAX_LEN + 1) < 0)
		return -ENAMETOOLONG;
	return safe_name(out) ? 0 : -EINVAL;
}

/* The in-addr.arpa zone at the octet boundary enclosing `n`: a /16 gives
 * "20.172.in-addr.arpa", a /27 its /24, a /18 its /16. */
int svc_unbound_reverse_zone(const struct ipv4_net *n, char out[32])
{
	unsigned octets = n->prefix / 8;
	if (octets == 0)
		return -EINVAL;
	size_t o = 0;
	for (unsigned i = octets; i > 0; i--) {
		int len = snprintf(out + o, 32 - o, "%u.", (n->addr >> (32 - 8 * i)) & 0xff);
		if (len < 0 || (size_t)len >= 32 - o)
			return -ENOBUFS;
		o += (size_t)len;
	}
	int len = snprintf(out + o, 32 - o, "in-addr.arpa");
	return len < 0 || (size_t)len >= 32 - o ? -ENOBUFS : 0;
}

/* The label an address-plan entry is published under: its name, or
 * "<name>-svc" for a service whose name a virtual IP also has. */
static int plan_label(const struct ipplan_entry *e, char out[32])
{
	bool shadowed = e->kind != IPPLAN_VIRTUAL_IP && ipplan_find_virtual_ip(e->name);
	int n = snprintf(out, 32, "%s%s", e->name, shadowed ? "-svc" : "");
	return n < 0 || n >= 32 ? -ENOBUFS : 0;
}

static int zone_soa_ns(struct buf *out, const char *apex, const char *zone)
{
	return buf_printf(out,
			  "\tlocal-data: \"%s. %d IN SOA dns.%s. hostmaster.%s. " SOA_TIMERS "\"\n"
			  "\tlocal-data: \"%s. %d IN NS dns.%s.\"\n",
			  apex, SVC_UNBOUND_TTL, zone, zone, apex, SVC_UNBOUND_TTL, zone);
}

int svc_unbound_apex_rrs(const struct cell_config *c, char rrs[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX])
{
	char zone[NAME_MAX_LEN + 1];
	int r = cell_zone(c, zone);
	if (r < 0)
		return r;
	int n[SVC_UNBOUND_APEX_RRS];
	n[0] = snprintf(rrs[0], SVC_UNBOUND_APEX_RR_MAX, "%s. %d IN SOA dns.%s. hostmaster.%s. " SOA_TIMERS, zone,
			SVC_UNBOUND_TTL, zone, zone);
	n[1] = snprintf(rrs[1], SVC_UNBOUND_APEX_RR_MAX, "%s. %d IN NS dns.%s.", zone, SVC_UNBOUND_TTL, zone);
	/* The zone's mail goes to the mail service, and comes from it. */
	n[2] = snprintf(rrs[2], SVC_UNBOUND_APEX_RR_MAX, "%s. %d IN MX 10 " EMAIL_MX_LABEL ".%s.", zone, SVC_UNBOUND_TTL,
			zone);
	n[3] = snprintf(rrs[3], SVC_UNBOUND_APEX_RR_MAX, "%s. %d IN TXT \"" EMAIL_SPF_TXT "\"", zone, SVC_UNBOUND_TTL);
	for (size_t i = 0; i < SVC_UNBOUND_APEX_RRS; i++)
		if (n[i] < 0 || n[i] >= SVC_UNBOUND_APEX_RR_MAX)
			return -ENOBUFS;
	return 0;
}

int svc_unbound_apex_a(const struct cell_config *c, struct svc_unbound_apex_a *ret)
{
	struct svc_unbound_apex_a a;
	char ip[IPV4_STR_MAX];
	int r = cell_zone(c, a.zone);
	if (r < 0)
		return r;
	const struct ipplan_entry *webui = ipplan_find_virtual_ip("webui");
	if (!webui)
		return -ENOENT;
	ipv4_format(ipplan_address(&c->ip_range, webui), ip);
	int n = snprintf(a.rr, sizeof(a.rr), "%s. %d IN A %s", a.zone, SVC_UNBOUND_TTL, ip);
	if (n < 0 || (size_t)n >= sizeof(a.rr))
		return -ENOBUFS;
	*ret = a;
	return 0;
}

static int render_daemon(const struct svc_input *in, struct buf *out)
{
	(void)in;
	return buf_printf(out,
			  "server:\n"
			  "\t# In the foreground under picd, logging to stderr; unbound\n"
			  "\t# drops to its own user once its sockets are open.\n"
			  "\tusername: \"unbound\"\n"
			  "\tchroot: \"\"\n"
			  "\tdirectory: \"" SVC_ROOT "\"\n"
			  "\tpidfile: \"\"\n"
			  "\tdo-daemonize: no\n"
			  "\tuse-syslog: no\n"
			  "\tlogfile: \"\"\n"
			  "\tverbosity: 1\n"
			  "\t# Every address of the service's own namespace: the socket\n"
			  "\t# survives re-addressing (a pending ip_range change), and a\n"
			  "\t# reload keeps it, which matters once privileges are dropped.\n"
			  "\tinterface: 0.0.0.0\n"
			  "\tport: 53\n"
			  "\tdo-ip4: yes\n"
			  "\tdo-ip6: no\n"
			  "\thide-identity: yes\n"
			  "\thide-version: yes\n"
			  "\tqname-minimisation: yes\n\n");
}

/* The networks allowed to query: the cell, its VPN, the private ranges
 * and the LAN (LAN clients come in through a DNAT on the host and keep
 * their own source address). Everything else is refused. */
#define ALLOWED_NETS_MAX 7
static size_t allowed_nets(const struct svc_input *in, struct ipv4_net out[ALLOWED_NETS_MAX])
{
	static const struct ipv4_net private_nets[] = {
		{ 0x0a000000u, 8 },  /* 10.0.0.0/8 */
		{ 0xac100000u, 12 }, /* 172.16.0.0/12 */
		{ 0xc0a80000u, 16 }, /* 192.168.0.0/16 */
	};
	size_t n = 0;
	out[n++] = (struct ipv4_net){ 0x7f000000u, 8 }; /* 127.0.0.0/8 */
	out[n++] = in->cell->ip_range;
	out[n++] = in->cell->vpn_subnet;
	for (size_t i = 1; i < n; i++)
		out[i].addr &= cidr_mask(out[i].prefix);
	for (size_t i = 0; i < ARRAY_SIZE(private_nets); i++) {
		bool dup = false; /* unbound warns about the same netblock twice */
		for (size_t j = 1; j < 3; j++)
			dup |= out[j].addr == private_nets[i].addr && out[j].prefix == private_nets[i].prefix;
		if (!dup)
			out[n++] = private_nets[i];
	}
	/* A LAN outside the private ranges (100.64.0.0/10, public space). */
	if (in->lan && in->lan->present && in->lan->net.prefix >= 8 && !cidr_is_rfc1918(&in->lan->net)) {
		out[n] = in->lan->net;
		out[n++].addr &= cidr_mask(in->lan->net.prefix);
	}
	return n;
}

static int render_access(const struct svc_input *in, struct buf *out)
{
	struct ipv4_net allowed[ALLOWED_NETS_MAX];
	size_t n = allowed_nets(in, allowed);
	char s[CIDR_STR_MAX];
	int r = buf_printf(out, "\taccess-control: 0.0.0.0/0 refuse\n");
	for (size_t i = 0; r == 0 && i < n; i++) {
		cidr_format(&allowed[i], s);
		r = buf_printf(out, "\taccess-control: %s allow\n", s);
	}
	if (r == 0)
		r = buf_printf(out, "\n");
	return r ? r : unbound_views_access(in, allowed, n, out);
}

static int render_resolver(const struct svc_input *in, struct buf *out)
{
	int r;
	if (in->dns->dnssec && in->dnssec_anchor)
		r = buf_printf(out, "\tmodule-config: \"validator iterator\"\n"
				    "\ttrust-anchor-file: \"" TRUST_ANCHOR_FILE "\"\n");
	else
		r = buf_printf(out, "\tmodule-config: \"iterator\"\n");
	if (r < 0)
		return r;
	/* A third for messages, two thirds for RRsets: unbound's tuning
	 * advice is an rrset cache twice the message cache. */
	unsigned long kb = (unsigned long)in->dns->cache_mb * 1024;
	return buf_printf(out, "\tmsg-cache-size: %luk\n\trrset-cache-size: %luk\n\n", kb / 3, kb * 2 / 3);
}

/* The mail service's records: its DKIM key and the DMARC policy (the
 * zone's MX and SPF policy are among the apex's, svc_unbound_apex_rrs). */
static int render_mail_policy(const struct dkim_key *k, const char *zone, struct buf *out)
{
	struct dns_record rec = { .type = DNS_TXT, .ttl = SVC_UNBOUND_TTL };
	char rr[DNS_VALUE_MAX * 2 + DNS_NAME_MAX + 64];
	int r = 0;
	for (int i = 0; r == 0 && i < 2; i++) {
		int n = i == 0 ? snprintf(rec.name, sizeof(rec.name), "%s._domainkey.%s", k->selector, zone)
			       : snprintf(rec.name, sizeof(rec.name), "_dmarc.%s", zone);
		if (n < 0 || (size_t)n >= sizeof(rec.name))
			return -ENOBUFS;
		if (i == 0)
			r = dkim_txt(k, rec.value, sizeof(rec.value));
		else
			snprintf(rec.value, sizeof(rec.value), "%s", DKIM_DMARC_TXT);
		if (r == 0)
			r = dns_record_rr(&rec, rr, sizeof(rr));
		/* Single quotes: the TXT data has double ones. */
		if (r == 0)
			r = buf_printf(out, "\tlocal-data: '%s'\n", rr);
	}
	return r;
}

static int render_zone(const struct svc_input *in, const char *zone, struct buf *out)
{
	char ip[IPV4_STR_MAX], label[32], apex[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX];
	int r = svc_unbound_apex_rrs(in->cell, apex);
	if (r == 0)
		r = buf_printf(out,
			       "\t# The cell zone: names not listed here or in records.d\n"
			       "\t# answer NXDOMAIN. files, mail and webui are their virtual IPs\n"
			       "\t# on the proxy; the services' own addresses are <name>-svc.\n"
			       "\t# The apex's A record (webui) is in the views below.\n"
			       "\tlocal-zone: \"%s.\" static\n",
			       zone);
	for (size_t i = 0; r == 0 && i < SVC_UNBOUND_APEX_RRS; i++)
		r = buf_printf(out, "\tlocal-data: '%s'\n", apex[i]); /* the TXT has double quotes */
	for (size_t i = 0; r == 0 && i < ipplan_table_len; i++) {
		ipv4_format(ipplan_address(&in->cell->ip_range, &ipplan_table[i]), ip);
		if ((r = plan_label(&ipplan_table[i], label)) == 0)
			r = buf_printf(out, "\tlocal-data: \"%s.%s. %d IN A %s\"\n", label, zone, SVC_UNBOUND_TTL, ip);
	}
	for (size_t i = 0; r == 0 && i < ipplan_aliases_len; i++) {
		const struct ipplan_entry *e = ipplan_alias_entry(&ipplan_aliases[i]);
		if (!e)
			return -ENOENT;
		ipv4_format(ipplan_address(&in->cell->ip_range, e), ip);
		r = buf_printf(out, "\tlocal-data: \"%s.%s. %d IN A %s\"\n", ipplan_aliases[i].label, zone,
			       SVC_UNBOUND_TTL, ip);
	}
	if (r == 0 && in->dkim)
		r = render_mail_policy(in->dkim, zone, out);
	for (size_t i = 0; r == 0 && i < ipplan_table_len; i++) {
		ipv4_format(ipplan_address(&in->cell->ip_range, &ipplan_table[i]), ip);
		if ((r = plan_label(&ipplan_table[i], label)) == 0)
			r = buf_printf(out, "\tlocal-data-ptr: \"%s %d %s.%s.\"\n", ip, SVC_UNBOUND_TTL, label, zone);
	}
	if (r < 0)
		return r;

	/* Reverse zones: PTR queries for the cell's and the VPN's addresses
	 * stay here. */
	char rev[2][32];
	if ((r = svc_unbound_reverse_zone(&in->cell->ip_range, rev[0])) < 0 ||
	    (r = svc_unbound_reverse_zone(&in->cell->vpn_subnet, rev[1])) < 0)
		return r;
	r = buf_printf(out, "\n");
	for (size_t i = 0; r == 0 && i < 2; i++) {
		if (i == 1 && strcmp(rev[0], rev[1]) == 0)
			break; /* both in one /24 */
		r = buf_printf(out, "\tlocal-zone: \"%s.\" static\n", rev[i]);
		if (r == 0)
			r = zone_soa_ns(out, rev[i], zone);
	}
	return r;
}

static int render_forward_locals(const struct svc_input *in, bool validating, struct buf *out)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < in->n_forwards; i++) {
		const char *z = in->forwards[i].zone;
		if (!safe_name(z) || in->forwards[i].n_servers == 0)
			return -EINVAL;
		/* A built-in local zone answers before any forwarder is asked.
		 * "nodefault" removes one of them; it does nothing for a name
		 * inside one (only the exact built-in name counts), where a
		 * transparent zone passes the queries on and leaves the rest of
		 * the built-in zone as it was. */
		switch (svc_unbound_shadowed(z)) {
		case SVC_UNBOUND_SHADOWED:
			r = buf_printf(out, "\tlocal-zone: \"%s.\" nodefault\n", z);
			break;
		case SVC_UNBOUND_SHADOWED_UNDER:
			r = buf_printf(out, "\tlocal-zone: \"%s.\" transparent\n", z);
			break;
		case SVC_UNBOUND_NOT_SHADOWED:
			break;
		}
		/* A private zone under a signed parent (or a TLD the root says
		 * does not exist) would fail validation. */
		if (r == 0 && validating)
			r = buf_printf(out, "\tdomain-insecure: \"%s.\"\n", z);
	}
	return r;
}

/* `name` with its trailing dot: "." or "lab.example.". */
static int render_forward_zone(struct buf *out, const char *name, const char (*servers)[DNS_ADDR_MAX], size_t n)
{
	int r = buf_printf(out, "\nforward-zone:\n\tname: \"%s\"\n", name);
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (!safe_server(servers[i]))
			return -EINVAL;
		r = buf_printf(out, "\tforward-addr: %s\n", servers[i]);
	}
	return r;
}

int svc_unbound_render(const struct svc_input *in, struct buf *out)
{
	char zone[NAME_MAX_LEN + 1];
	int r = cell_zone(in->cell, zone);
	if (r < 0)
		return r;
	bool validating = in->dns->dnssec && in->dnssec_anchor;

	r = buf_printf(out, "# unbound.conf for the DNS service of %s, rendered by picd.\n"
			    "# Do not edit: changes are made through the PIC API.\n\n",
		       zone);
	if (r == 0)
		r = render_daemon(in, out);
	if (r == 0)
		r = render_access(in, out);
	if (r == 0)
		r = render_resolver(in, out);
	if (r == 0)
		r = render_zone(in, zone, out);
	if (r == 0)
		r = buf_printf(out, "\n\t# Health probe (svc_unbound_ops.probe_send).\n"
				    "\tlocal-data: \"" SVC_UNBOUND_PROBE_NAME ". 0 IN A 127.0.0.1\"\n");
	if (r == 0 && in->n_forwards > 0) {
		r = buf_printf(out, "\n\t# Forward zones (below) must not be answered locally.\n");
		if (r == 0)
			r = render_forward_locals(in, validating, out);
	}
	if (r == 0)
		r = buf_printf(out, "\n\t# User records (by id, in parts) and LAN host names; picd\n"
				    "\t# rewrites the parts it changes and changes the running\n"
				    "\t# daemon through the control socket.\n"
				    "\tinclude: \"" SVC_ROOT "/" SVC_UNBOUND_RECORDS_DIR "/*.conf\"\n");
	if (r < 0)
		return r;

	/* With upstreams, ask them; fall back to resolving from the root only
	 * if recursion is on. Without, resolve from the root hints. */
	if (in->dns->n_upstreams > 0) {
		r = render_forward_zone(out, ".", in->dns->upstreams, in->dns->n_upstreams);
		if (r == 0)
			r = buf_printf(out, "\tforward-first: %s\n", in->dns->recursion ? "yes" : "no");
	}
	for (size_t i = 0; r == 0 && i < in->n_forwards; i++) {
		char name[NAME_MAX_LEN + 2];
		int len = snprintf(name, sizeof(name), "%s.", in->forwards[i].zone);
		if (len < 0 || (size_t)len >= sizeof(name))
			return -ENAMETOOLONG;
		r = render_forward_zone(out, name, in->forwards[i].servers, in->forwards[i].n_servers);
	}
	/* Consulted only while picd replaces data at some names (the cell
	 * zone is transparent for that moment: see svc_unbound.h). */
	if (r == 0)
		r = buf_printf(out, "\nauth-zone:\n"
				    "\tname: \"%s.\"\n"
				    "\tzonefile: \"" SVC_ROOT "/" SVC_UNBOUND_AUTH_FILE "\"\n"
				    "\tfor-downstream: yes\n"
				    "\tfor-upstream: no\n"
				    "\tfallback-enabled: no\n",
			       zone);
	if (r == 0)
		r = unbound_views_render(in, out);
	if (r == 0)
		r = buf_printf(out, "\nremote-control:\n"
				    "\tcontrol-enable: yes\n"
				    "\tcontrol-interface: \"" SVC_ROOT "/" SVC_UNBOUND_CTL_FILE "\"\n"
				    "\tcontrol-use-cert: no\n");
	return r;
}

/* A DHCP host name as published: lower case, one valid DNS label. */
static bool host_label(const char *name, char out[DHCP_HOSTNAME_MAX + 1])
{
	size_t len = strnlen(name, DHCP_HOSTNAME_MAX + 1);
	if (len == 0 || len > DHCP_HOSTNAME_MAX || name[0] == '-' || name[len - 1] == '-')
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		out[i] = c;
	}
	return true;
}

/* Whether hosts[i] is published (see svc_unbound_render_records), and
 * under which name. */
static bool host_published(const char *zone, const struct dns_record *records, size_t n,
			   const struct dns_host *hosts, size_t i, char fqdn[NAME_MAX_LEN + 1])
{
	char label[DHCP_HOSTNAME_MAX + 1], other[DHCP_HOSTNAME_MAX + 1];
	if (!host_label(hosts[i].hostname, label) || hosts[i].ip == 0)
		return false;
	int len = snprintf(fqdn, NAME_MAX_LEN + 1, "%s.%s", label, zone);
	if (len < 0 || len > NAME_MAX_LEN)
		return false;
	struct dns_record as_record = { .type = DNS_A };
	memcpy(as_record.name, fqdn, (size_t)len + 1); /* same size as fqdn */
	if (dns_record_reserved(zone, &as_record))
		return false;
	for (size_t j = 0; j < n; j++)
		if (strcmp(records[j].name, fqdn) == 0)
			return false;
	for (size_t j = 0; j < i; j++)
		if (host_label(hosts[j].hostname, other) && strcmp(other, label) == 0)
			return false;
	return true;
}

/* Whether the owner of zone-file line `rr` is `zone` or inside it. */
static bool owner_in(const char *rr, const char *zone)
{
	size_t len = strcspn(rr, " \t");
	if (len > 0 && rr[len - 1] == '.')
		len--;
	return len > 0 && zone_relation(rr, len, zone) >= 0;
}

int svc_unbound_auth_zone(const char *zone, const char *const *rrs, size_t n, struct buf *out)
{
	if (!safe_name(zone))
		return -EINVAL;
	_cleanup_free_ char *esc = malloc(SVC_UNBOUND_RR_MAX);
	if (!esc)
		return -ENOMEM;
	int r = buf_printf(out,
			   "; The cell zone's data at the names picd is changing, rendered by picd.\n"
			   "%s. %d IN SOA dns.%s. hostmaster.%s. " SOA_TIMERS "\n"
			   "%s. %d IN NS dns.%s.\n",
			   zone, SVC_UNBOUND_TTL, zone, zone, zone, SVC_UNBOUND_TTL, zone);
	for (size_t i = 0; r == 0 && i < n; i++) {
		/* The apex's SOA and NS are above already; other zones' names
		 * (PTRs) are not this zone's. */
		if (!owner_in(rrs[i], zone) || strstr(rrs[i], " IN SOA ") || strstr(rrs[i], " IN NS "))
			continue;
		if ((r = svc_unbound_rr_escape(rrs[i], esc, SVC_UNBOUND_RR_MAX)) == 0)
			r = buf_printf(out, "%s\n", esc);
	}
	return r;
}

int svc_unbound_part_name(int64_t id, char out[SVC_UNBOUND_PART_NAME_MAX], int64_t *ret_first)
{
	if (id < 1)
		return -EINVAL;
	int64_t part = id / SVC_UNBOUND_PART_IDS;
	int n = snprintf(out, SVC_UNBOUND_PART_NAME_MAX, "r%lld.conf", (long long)part);
	if (n < 0 || n >= SVC_UNBOUND_PART_NAME_MAX)
		return -ENOBUFS;
	*ret_first = part * SVC_UNBOUND_PART_IDS;
	return 0;
}

bool svc_unbound_is_part_name(const char *name)
{
	if (name[0] != 'r' || name[1] < '0' || name[1] > '9')
		return false;
	size_t digits = strspn(name + 1, "0123456789");
	return strcmp(name + 1 + digits, ".conf") == 0;
}

int svc_unbound_records_begin(const char *zone, struct buf *out)
{
	if (!safe_name(zone))
		return -EINVAL;
	return buf_printf(out, "# User records and LAN host names of %s (a part of them),\n"
			       "# rendered by picd and included by unbound.conf. Do not edit.\n"
			       "server:\n",
			  zone);
}

int svc_unbound_records_add(const struct dns_record *records, size_t n, struct buf *out)
{
	_cleanup_free_ char *rr = malloc(SVC_UNBOUND_RR_MAX);
	_cleanup_free_ char *esc = malloc(SVC_UNBOUND_RR_MAX);
	if (!rr || !esc)
		return -ENOMEM;
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		/* Single quotes: TXT and CAA data carry double quotes. */
		if ((r = dns_record_rr(&records[i], rr, SVC_UNBOUND_RR_MAX)) < 0 ||
		    (r = svc_unbound_rr_escape(rr, esc, SVC_UNBOUND_RR_MAX)) < 0)
			return r;
		r = buf_printf(out, "\tlocal-data: '%s'\n", esc);
	}
	return r;
}

int svc_unbound_records_hosts(const char *zone, const struct dns_record *records, size_t n,
			      const struct dns_host *hosts, size_t n_hosts, struct buf *out)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < n_hosts; i++) {
		char fqdn[NAME_MAX_LEN + 1], ip[IPV4_STR_MAX];
		if (!host_published(zone, records, n, hosts, i, fqdn))
			continue;
		ipv4_format(hosts[i].ip, ip);
		r = buf_printf(out, "\tlocal-data: \"%s. %d IN A %s\"\n", fqdn, SVC_UNBOUND_TTL, ip);
		/* One PTR per address: the first published host's. */
		bool ptr_taken = false;
		for (size_t j = 0; j < i && !ptr_taken; j++) {
			char other[NAME_MAX_LEN + 1];
			ptr_taken = hosts[j].ip == hosts[i].ip && host_published(zone, records, n, hosts, j, other);
		}
		if (r == 0 && !ptr_taken)
			r = buf_printf(out, "\tlocal-data-ptr: \"%s %d %s.\"\n", ip, SVC_UNBOUND_TTL, fqdn);
	}
	return r;
}

int svc_unbound_render_records(const char *zone, const struct dns_record *records, size_t n,
			       const struct dns_host *hosts, size_t n_hosts, struct buf *out)
{
	int r = svc_unbound_records_begin(zone, out);
	if (r == 0)
		r = svc_unbound_records_add(records, n, out);
	if (r == 0)
		r = svc_unbound_records_hosts(zone, records, n, hosts, n_hosts, out);
	return r;
}

static int unbound_probe_send(const struct netplan_service *net, int *ret_fd, char *err, size_t errlen)
{
	return probe_dns_send(net->addrs[0], SVC_UNBOUND_PROBE_NAME, ret_fd, err, errlen);
}

const struct svc_ops svc_unbound_ops = {
	.name = "dns",
	.daemon = "unbound",
	.package = "unbound",
	.binary = "/usr/sbin/unbound",
	.config_file = "unbound.conf",
	.user = "unbound",
	.run_argv = run_argv,
	.check_argv = check_argv,
	/* SIGHUP makes unbound re-read its files as the unbound user: the
	 * directory must let it in (and the files be readable by it). */
	.reload = SVC_RELOAD_SIGHUP,
	.dir_mode = 0755,
	.user_owns_dir = false,
	.host_network = false,
	.enabled = NULL,
	.render = svc_unbound_render,
	.probe_send = unbound_probe_send,
	.probe_check = probe_dns_check,
};
