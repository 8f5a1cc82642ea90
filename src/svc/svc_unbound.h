/* DNS: unbound, the cell's resolver and the authority for its zone
 * Z = <cell_name>.<domain>. Two files in the service directory:
 *   unbound.conf  the daemon, the address plan's names under Z, upstreams,
 *                 forward zones and the views (unbound_views.h); rendered
 *                 from the settings and the VPN peers;
 *   records.d/    the user's records and the LAN's host names, included by
 *                 unbound.conf with a glob (records.d/ *.conf). Records
 *                 are split by id into parts of SVC_UNBOUND_PART_IDS
 *                 (r<k>.conf holds ids k*SVC_UNBOUND_PART_IDS up to the
 *                 next part), the host names are in hosts.conf. picd
 *                 changes the running daemon through its control socket
 *                 (unbound_ctl.h) and rewrites only the parts that hold
 *                 a changed record, so a restart or SIGHUP reads the same
 *                 data and a change costs what one part costs, however
 *                 many records there are.
 * The file and the directory must exist before the daemon or its checker
 * runs (a glob in a missing directory is an error, in an empty one not),
 * and be readable by the unbound user: a SIGHUP re-reads them after
 * unbound has dropped its privileges. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "priv/priv_spawn.h"
#include "svc_ops.h"

extern const struct svc_ops svc_unbound_ops;

#define SVC_UNBOUND_RECORDS_DIR "records.d"   /* in the service directory */
#define SVC_UNBOUND_HOSTS_FILE "hosts.conf"    /* in SVC_UNBOUND_RECORDS_DIR */
#define SVC_UNBOUND_PART_IDS 64                /* record ids per part file */
#define SVC_UNBOUND_PART_NAME_MAX 32
#define SVC_UNBOUND_CTL_FILE "unbound.ctl"      /* the control socket, likewise */
#define SVC_UNBOUND_AUTH_FILE "cell.zone"      /* the auth-zone's file, likewise */
#define SVC_UNBOUND_TTL 300                     /* of the names picd publishes itself */
/* The health probe asks for this name's A record (127.0.0.1), which
 * unbound.conf defines: an answer shows the rendered config is loaded. */
#define SVC_UNBOUND_PROBE_NAME "dns-probe.pic.invalid"

/* Enough for any record dns_record_rr() writes, escaped. */
#define SVC_UNBOUND_RR_MAX 16384

int svc_unbound_render(const struct svc_input *in, struct buf *out);

/* No query sees a name missing while its data is replaced. unbound's
 * local data has no replace: local_datas_remove drops every RR at a name
 * and the rest must be added back by a second command, and a query in
 * between would get NXDOMAIN. unbound.conf therefore also declares an
 * auth-zone for the cell zone (for-downstream, never for-upstream, no
 * fallback), whose file is svc_unbound_auth_zone(): the SOA and NS, and
 * the data the changing names will have. unbound answers from it only a
 * query no local zone answered — never while the cell zone is `static`,
 * which answers every name under it. A replace is then:
 *   write the file, auth_zone_reload      the new data is in the auth zone
 *   local_zone <zone> transparent         names without local data now
 *                                         fall through to it
 *   local_datas_remove, local_datas       the names change
 *   local_zone <zone> static              as before
 * A query in between is answered by the local data (old or new) or by
 * the auth zone (new): never a missing name. Names not in the file get
 * the auth zone's NXDOMAIN with the same SOA (negative TTL 60 s); an
 * empty non-terminal (_tcp above _sip._tcp) would too for that moment. */
int svc_unbound_auth_zone(const char *zone, const char *const *rrs, size_t n, struct buf *out);

/* The part file that holds record `id`: "r<id / SVC_UNBOUND_PART_IDS>.conf"
 * (in SVC_UNBOUND_RECORDS_DIR); its ids are [*ret_first, *ret_first +
 * SVC_UNBOUND_PART_IDS). */
int svc_unbound_part_name(int64_t id, char out[SVC_UNBOUND_PART_NAME_MAX], int64_t *ret_first);
/* Whether `name` is a file name svc_unbound_part_name gives. */
bool svc_unbound_is_part_name(const char *name);

/* The in-addr.arpa zone the cell serves for `n` (at the enclosing octet
 * boundary: a /16 gives "20.172.in-addr.arpa"), without the final dot. */
int svc_unbound_reverse_zone(const struct ipv4_net *n, char out[32]);

/* A file of records.d: a `server:` clause with one local-data line per record
 * (dns_record_rr() text, escaped with svc_unbound_rr_escape()), then for
 * each LAN host `<host>.<zone>. 300 IN A <ip>` and its PTR. Hosts whose
 * name is not a valid DNS label, is a name of the address plan (or its
 * "-svc" form), is already held by a record, or repeats an earlier host
 * are left out: a DHCP client must not be able to claim webui.<zone>.
 * `zone` is the cell zone without the trailing dot. */
/* The same in pieces, for callers that page through many records:
 * the header, records (any number of calls), then the LAN host names
 * (`records` here only to let a user record take a host's name; hosts
 * already filtered may pass none). */
int svc_unbound_records_begin(const char *zone, struct buf *out);
int svc_unbound_records_add(const struct dns_record *records, size_t n, struct buf *out);
int svc_unbound_records_hosts(const char *zone, const struct dns_record *records, size_t n,
			      const struct dns_host *hosts, size_t n_hosts, struct buf *out);

int svc_unbound_render_records(const char *zone, const struct dns_record *records, size_t n,
			       const struct dns_host *hosts, size_t n_hosts, struct buf *out);

/* A record line as unbound reads it both inside a single-quoted config
 * string and as a control-socket line: single quotes and control bytes
 * (which dns_record_rr() leaves as they are inside TXT and CAA strings)
 * become \DDD escapes, which the record parser turns back into the same
 * bytes. -ENOBUFS if `out` is too small. */
int svc_unbound_rr_escape(const char *rr, char *out, size_t outlen);

/* The records the cell keeps at the zone apex in the global zone: SOA,
 * NS, and the mail service's MX and SPF policy. Removing the apex name through the control socket drops every
 * record there, these included: re-add them with the user's apex
 * records. */
#define SVC_UNBOUND_APEX_RRS 4
#define SVC_UNBOUND_APEX_RR_MAX 1100
int svc_unbound_apex_rrs(const struct cell_config *c, char rrs[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX]);

/* The apex's A record (the webui virtual IP) is in no global zone: only
 * the views of those who may use the web interface hold it
 * (unbound_views.h), so a VPN peer without webui gets NODATA for it. */
struct svc_unbound_apex_a {
	char zone[NAME_MAX_LEN + 1]; /* the cell zone, lower case, no trailing dot */
	char rr[SVC_UNBOUND_APEX_RR_MAX]; /* "<zone>. 300 IN A <webui virtual IP>" */
};
int svc_unbound_apex_a(const struct cell_config *c, struct svc_unbound_apex_a *ret);

/* unbound answers some names itself (localhost, test, invalid, onion,
 * home.arpa, the private and special-use reverse zones, ...), which would
 * shadow a forward zone for them. */
enum svc_unbound_shadow {
	SVC_UNBOUND_NOT_SHADOWED,
	SVC_UNBOUND_SHADOWED,       /* the zone is one of those built-in zones */
	SVC_UNBOUND_SHADOWED_UNDER, /* the zone is inside one */
};
/* `zone`: lower case, with or without the trailing dot. */
enum svc_unbound_shadow svc_unbound_shadowed(const char *zone);
