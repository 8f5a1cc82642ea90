/* Live DNS data (see apply_dns.h). */
#include "apply_dns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "common/worker.h"
#include "daemon.h"
#include "apply_steps.h"
#include "store/store.h"
#include "store/store_dhcp.h"
#include "store/store_dns.h"
#include "svc/svc_dnsmasq.h"
#include "svc/svc_unbound.h"
#include "svc/unbound_ctl.h"
#include "common/banned.h"

#define RECORDS_DIR SVC_UNBOUND_RECORDS_DIR
#define CONTROL_SOCKET SVC_UNBOUND_CTL_FILE
#define RECORDS_FILE_MAX (64 * 1024 * 1024)
#define LEASES_FILE_MAX (4 * 1024 * 1024)
#define HOST_TTL SVC_UNBOUND_TTL

/* The configuration guarantees the zone fits (config_validate). */
static void cell_zone(const struct daemon *d, char *out, size_t len)
{
	if (config_zone(&d->config, out, len) < 0)
		out[0] = '\0';
}

static int svc_path(const struct svc *s, const char *file, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%s", s->dir, file);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* --- LAN host names ---------------------------------------------------- */

/* A LAN host may publish its name unless the cell or a user record
 * already answers for it, or another host took it first. */
static bool host_allowed(struct daemon *d, const char *zone, const struct dns_host *hosts, size_t n,
			 const char *hostname)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(hosts[i].hostname, hostname) == 0)
			return false;
	struct dns_record as_record = { .type = DNS_A };
	int len = snprintf(as_record.name, sizeof(as_record.name), "%s.%s", hostname, zone);
	if (len < 0 || (size_t)len >= sizeof(as_record.name) || dns_record_reserved(zone, &as_record))
		return false;
	struct dns_record_filter f = { .name = as_record.name, .type = -1 };
	return store_dns_record_count(d->store, &f) == 0;
}

/* Reservations with a name, then active leases with a name not already
 * taken; sorted by name so two snapshots compare in one pass. */
static int collect_hosts(struct daemon *d, struct dns_host *out, size_t max, size_t *ret_n)
{
	size_t n = 0;
	char zone[DNS_NAME_MAX + 1];
	cell_zone(d, zone, sizeof(zone));
	struct dhcp_settings settings;
	int r = store_dhcp_settings_load(d->store, &settings);
	if (r < 0)
		return r;
	if (!settings.enabled) {
		*ret_n = 0; /* no DHCP, no LAN names */
		return 0;
	}
	_cleanup_free_ struct dhcp_reservation *res = calloc(DHCP_RESERVATIONS_MAX, sizeof(*res));
	_cleanup_free_ struct dhcp_lease *leases = calloc(APPLY_DNS_HOSTS_MAX, sizeof(*leases));
	if (!res || !leases)
		return -ENOMEM;
	int nr = store_dhcp_reservation_list(d->store, res, DHCP_RESERVATIONS_MAX);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr && n < max; i++) {
		if (!res[i].hostname[0] || !host_allowed(d, zone, out, n, res[i].hostname))
			continue;
		snprintf(out[n].hostname, sizeof(out[n].hostname), "%s", res[i].hostname);
		out[n++].ip = res[i].ip;
	}

	struct svc *dhcp = supervisor_find(&d->sup, "dhcp");
	char path[PATH_MAX];
	if (dhcp && svc_path(dhcp, SVC_DNSMASQ_LEASE_FILE, path, sizeof(path)) == 0) {
		struct buf text;
		buf_init(&text, LEASES_FILE_MAX);
		if (fs_read_file(path, &text) == 0 && text.data) {
			int nl = dhcp_leases_parse(text.data, leases, APPLY_DNS_HOSTS_MAX);
			int64_t now = time(NULL);
			for (int i = 0; i < nl && n < max; i++) {
				bool active = leases[i].expiry == 0 || leases[i].expiry > now;
				if (!active || !leases[i].hostname[0] ||
				    !host_allowed(d, zone, out, n, leases[i].hostname))
					continue;
				snprintf(out[n].hostname, sizeof(out[n].hostname), "%s", leases[i].hostname);
				out[n++].ip = leases[i].ip;
			}
		}
		buf_free(&text);
	}
	*ret_n = n;
	return 0;
}

static void host_names(const char *zone, const struct dns_host *h, char *name, size_t nlen, char *ptr,
		       size_t plen)
{
	snprintf(name, nlen, "%s.%s", h->hostname, zone);
	snprintf(ptr, plen, "%u.%u.%u.%u.in-addr.arpa", h->ip & 255, (h->ip >> 8) & 255, (h->ip >> 16) & 255,
		 h->ip >> 24);
}

/* --- the files -------------------------------------------------------- */

/* records.d/<file> in the service directory. */
static int records_path(const struct svc *s, const char *file, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/" RECORDS_DIR "%s%s", s->dir, file ? "/" : "", file ? file : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Written in place, without fsync. The store is what survives a crash of
 * the machine, and picd renders every file again when it starts
 * (apply_cell), before unbound starts. What the file must survive is a
 * restart of unbound, and unbound reads it only when picd starts or
 * signals it, from this same loop: never while the file is half written.
 * Neither a rename over the old file nor a truncation to zero: ext4
 * (auto_da_alloc) flushes the new data to disk on either, 0.7 ms per
 * change here; the file is overwritten, then cut to its new length. */
static int write_file(const char *path, const struct buf *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	int r = 0;
	for (size_t off = 0; r == 0 && off < text->len;) {
		ssize_t w = pwrite(fd, text->data + off, text->len - off, (off_t)off);
		if (w < 0 && errno != EINTR)
			r = -errno;
		else if (w > 0)
			off += (size_t)w;
	}
	if (r == 0 && ftruncate(fd, (off_t)text->len) < 0)
		r = -errno;
	/* 0644 whatever the umask: unbound reads it as its own user. */
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	return r;
}

static int add_record_line(const struct dns_record *r, void *text)
{
	return svc_unbound_records_add(r, 1, text);
}

/* Rewrites the part file holding the ids from `first` (removes it when
 * they are all gone). */
static int part_write(struct daemon *d, const struct svc *s, const char *zone, int64_t id)
{
	char name[SVC_UNBOUND_PART_NAME_MAX], path[PATH_MAX];
	int64_t first;
	int r = svc_unbound_part_name(id, name, &first);
	if (r == 0)
		r = records_path(s, name, path, sizeof(path));
	if (r < 0)
		return r;
	struct buf text;
	buf_init(&text, RECORDS_FILE_MAX);
	r = svc_unbound_records_begin(zone, &text);
	size_t header = text.len;
	if (r == 0)
		r = store_dns_record_foreach_ids(d->store, first, first + SVC_UNBOUND_PART_IDS, add_record_line, &text);
	if (r == 0 && text.len == header)
		r = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	else if (r == 0)
		r = write_file(path, &text);
	buf_free(&text);
	return r;
}

static int hosts_write(struct daemon *d, const struct svc *s, const char *zone)
{
	char path[PATH_MAX];
	struct buf text;
	buf_init(&text, RECORDS_FILE_MAX);
	int r = records_path(s, NULL, path, sizeof(path));
	if (r == 0)
		r = fs_ensure_dir(path, 0755);
	if (r == 0)
		r = records_path(s, SVC_UNBOUND_HOSTS_FILE, path, sizeof(path));
	if (r == 0)
		r = svc_unbound_records_begin(zone, &text);
	/* Hosts were filtered against the records when collected. */
	if (r == 0)
		r = svc_unbound_records_hosts(zone, NULL, 0, d->dns_hosts, d->n_dns_hosts, &text);
	if (r == 0)
		r = write_file(path, &text);
	buf_free(&text);
	return r;
}

/* The auth zone's file (svc_unbound.h): SOA, NS and `rrs`. */
static int auth_file_write(const struct svc *s, const char *zone, const char *const *rrs, size_t n)
{
	char path[PATH_MAX];
	struct buf text;
	buf_init(&text, RECORDS_FILE_MAX);
	int r = svc_path(s, SVC_UNBOUND_AUTH_FILE, path, sizeof(path));
	if (r == 0)
		r = svc_unbound_auth_zone(zone, rrs, n, &text);
	if (r == 0)
		r = write_file(path, &text);
	buf_free(&text);
	return r;
}

/* Every part in one pass over the store in id order: the part being
 * filled is written when the next one starts. */
struct all_parts {
	const struct svc *s;
	const char *zone;
	struct buf text;
	int64_t part; /* the one in `text`; -1: none yet */
	int64_t *written;
	size_t n_written, cap;
};

static int all_parts_flush(struct all_parts *a)
{
	if (a->part < 0)
		return 0;
	char name[SVC_UNBOUND_PART_NAME_MAX], path[PATH_MAX];
	int64_t first;
	int r = svc_unbound_part_name(a->part * SVC_UNBOUND_PART_IDS + 1, name, &first);
	if (r == 0)
		r = records_path(a->s, name, path, sizeof(path));
	if (r == 0)
		r = write_file(path, &a->text);
	if (r == 0 && a->n_written == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *p = realloc(a->written, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		a->written = p;
		a->cap = cap;
	}
	if (r == 0)
		a->written[a->n_written++] = a->part;
	buf_free(&a->text);
	buf_init(&a->text, RECORDS_FILE_MAX);
	a->part = -1;
	return r;
}

static int all_parts_add(const struct dns_record *rec, void *ctx)
{
	struct all_parts *a = ctx;
	int64_t part = rec->id / SVC_UNBOUND_PART_IDS;
	int r = 0;
	if (part != a->part) {
		r = all_parts_flush(a);
		if (r == 0)
			r = svc_unbound_records_begin(a->zone, &a->text);
		a->part = part;
	}
	return r < 0 ? r : svc_unbound_records_add(rec, 1, &a->text);
}

/* Removes the part files no record is in any more (and the single
 * records.conf of earlier versions). */
static int remove_stale_parts(const struct all_parts *a)
{
	char path[PATH_MAX];
	int r = records_path(a->s, NULL, path, sizeof(path));
	if (r < 0)
		return r;
	DIR *dir = opendir(path);
	if (!dir)
		return -errno;
	struct dirent *e;
	while (r == 0 && (e = readdir(dir))) {
		if (!svc_unbound_is_part_name(e->d_name))
			continue;
		long long part = strtoll(e->d_name + 1, NULL, 10);
		bool keep = false;
		for (size_t i = 0; i < a->n_written && !keep; i++)
			keep = a->written[i] == part;
		if (!keep && unlinkat(dirfd(dir), e->d_name, 0) < 0 && errno != ENOENT)
			r = -errno;
	}
	closedir(dir);
	if (r == 0 && svc_path(a->s, "records.conf", path, sizeof(path)) == 0 && unlink(path) < 0 && errno != ENOENT)
		r = -errno;
	return r;
}

int apply_dns_records_file(struct daemon *d, char *err, size_t errlen)
{
	struct svc *s = supervisor_find(&d->sup, "dns");
	if (!s || s->state == SVC_UNAVAILABLE)
		return 0;
	char zone[DNS_NAME_MAX + 1], path[PATH_MAX];
	cell_zone(d, zone, sizeof(zone));
	struct all_parts a = { .s = s, .zone = zone, .part = -1 };
	buf_init(&a.text, RECORDS_FILE_MAX);
	int r = records_path(s, NULL, path, sizeof(path));
	if (r == 0)
		r = fs_ensure_dir(path, 0755);
	/* One record at a time: memory stays small however many there are. */
	if (r == 0)
		r = store_dns_record_foreach_ids(d->store, 1, INT64_MAX, all_parts_add, &a);
	if (r == 0)
		r = all_parts_flush(&a);
	if (r == 0)
		r = remove_stale_parts(&a);
	if (r == 0)
		r = hosts_write(d, s, zone);
	/* unbound reads it at start: the zone's SOA and NS only. */
	if (r == 0)
		r = auth_file_write(s, zone, NULL, 0);
	buf_free(&a.text);
	free(a.written);
	if (r < 0)
		snprintf(err, errlen, "cannot write the DNS records files: %s", strerror(-r));
	return r;
}

/* The part files of `ids`, each once. */
static int parts_write(struct daemon *d, const struct svc *s, const int64_t *ids, size_t n_ids, char *err,
		       size_t errlen)
{
	char zone[DNS_NAME_MAX + 1];
	cell_zone(d, zone, sizeof(zone));
	_cleanup_free_ int64_t *done = calloc(n_ids ? n_ids : 1, sizeof(*done));
	if (!done)
		return -ENOMEM;
	size_t n_done = 0;
	int r = 0;
	for (size_t i = 0; r == 0 && i < n_ids; i++) {
		int64_t part = ids[i] / SVC_UNBOUND_PART_IDS;
		/* A batch's ids ascend: most share the previous one's part. */
		bool seen = n_done > 0 && done[n_done - 1] == part;
		for (size_t j = 0; j < n_done && !seen; j++)
			seen = done[j] == part;
		if (seen)
			continue;
		done[n_done++] = part;
		r = part_write(d, s, zone, ids[i]);
	}
	if (r < 0)
		snprintf(err, errlen, "cannot write the DNS records files: %s", strerror(-r));
	return r;
}

/* --- live changes ------------------------------------------------------ */

struct rr_list {
	char **items;
	size_t n, cap;
};

static int rr_push(struct rr_list *l, const char *text)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		char **p = realloc(l->items, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n] = strdup(text);
	return l->items[l->n] ? (int)(l->n++, 0) : -ENOMEM;
}

static void rr_free(struct rr_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	*l = (struct rr_list){ 0 };
}

/* Every RR now in the store (or the host list) at `name`. */
static int rrs_at(struct daemon *d, const char *zone, const char *name, struct rr_list *out)
{
	struct dns_record_filter f = { .name = name, .type = -1 };
	int total = store_dns_record_count(d->store, &f);
	if (total < 0)
		return total;
	_cleanup_free_ struct dns_record *recs = calloc((size_t)total + 1, sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	int n = store_dns_record_list(d->store, &f, 0, total, recs);
	for (int i = 0; i < n; i++) {
		char rr[DNS_VALUE_MAX * 2 + 512];
		if (dns_record_rr(&recs[i], rr, sizeof(rr)) == 0 && rr_push(out, rr) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < d->n_dns_hosts; i++) {
		char host[DNS_NAME_MAX + 1], ptr[64], rr[512];
		if (n > 0)
			break; /* a user record takes the name from a LAN host */
		host_names(zone, &d->dns_hosts[i], host, sizeof(host), ptr, sizeof(ptr));
		char ip[IPV4_STR_MAX];
		ipv4_format(d->dns_hosts[i].ip, ip);
		if (strcmp(host, name) == 0) {
			snprintf(rr, sizeof(rr), "%s. %d IN A %s", host, HOST_TTL, ip);
			if (rr_push(out, rr) < 0)
				return -ENOMEM;
		}
		if (strcmp(ptr, name) == 0) {
			snprintf(rr, sizeof(rr), "%s. %d IN PTR %s.", ptr, HOST_TTL, host);
			if (rr_push(out, rr) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static bool any_in_zone(const char *zone, const char *const *names, size_t n)
{
	size_t zlen = strlen(zone);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (strcmp(names[i], zone) == 0 ||
		    (len > zlen && names[i][len - zlen - 1] == '.' && strcmp(names[i] + len - zlen, zone) == 0))
			return true;
	}
	return false;
}

/* A live change to unbound, prepared in the loop (what the store holds
 * at the names now) and sent through the control socket by the loop
 * (names_live) or by the DNS pusher's thread (apply_dns_push_start). The
 * thread reads only the push's own copies. */
struct apply_dns_push {
	struct worker_job job;
	char sock[PATH_MAX];
	char auth_path[PATH_MAX];
	char zone[DNS_NAME_MAX + 1];
	char (*names)[DNS_NAME_MAX + 1];
	size_t n_names;
	struct rr_list add;
	bool only_added, bridge;
	/* For a reload when the live change fails: unbound's pidfd (a
	 * duplicate: the process itself, whatever its pid becomes) and
	 * where to probe it. */
	int pidfd;
	const struct svc_ops *ops;
	bool has_net;
	struct netplan_service net;
	/* Written by the thread. */
	int r;
	char why[256];
	bool reloaded;     /* the live change failed: SIGHUP sent, then probed */
	int reload_r;
	char reload_why[160];
	/* The loop's. */
	struct daemon *d;
	apply_dns_done_fn done;
	void *cls;
};

void apply_dns_push_free(struct apply_dns_push *p)
{
	if (!p)
		return;
	rr_free(&p->add);
	free(p->names);
	if (p->pidfd >= 0)
		close(p->pidfd);
	free(p);
}

/* In the loop: the data at `names` and where to send it. */
static int push_prepare(struct daemon *d, struct svc *s, const char *const *names, size_t n_names, bool only_added,
			struct apply_dns_push **ret, char *err, size_t errlen)
{
	struct apply_dns_push *p = calloc(1, sizeof(*p));
	if (!p || !(p->names = calloc(n_names ? n_names : 1, sizeof(*p->names)))) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->pidfd = s->pidfd >= 0 ? fcntl(s->pidfd, F_DUPFD_CLOEXEC, 3) : -1;
	p->ops = s->ops;
	const struct netplan_service *net = svc_ops_net(&d->net, s->ops);
	p->has_net = net != NULL;
	if (net)
		p->net = *net;
	cell_zone(d, p->zone, sizeof(p->zone));
	p->only_added = only_added;
	p->n_names = n_names;
	int r = 0;
	for (size_t i = 0; r == 0 && i < n_names; i++) {
		snprintf(p->names[i], sizeof(p->names[i]), "%s", names[i]);
		r = rrs_at(d, p->zone, names[i], &p->add);
		/* Removing the apex also removes what the cell publishes there. */
		if (r == 0 && strcmp(names[i], p->zone) == 0) {
			char apex[SVC_UNBOUND_APEX_RRS][SVC_UNBOUND_APEX_RR_MAX];
			r = svc_unbound_apex_rrs(&d->config, apex);
			for (int j = 0; r >= 0 && j < SVC_UNBOUND_APEX_RRS; j++)
				if (apex[j][0])
					r = rr_push(&p->add, apex[j]);
			r = r < 0 ? r : 0;
		}
	}
	if (r == 0)
		r = svc_path(s, CONTROL_SOCKET, p->sock, sizeof(p->sock));
	if (r == 0)
		r = svc_path(s, SVC_UNBOUND_AUTH_FILE, p->auth_path, sizeof(p->auth_path));
	p->bridge = !only_added && any_in_zone(p->zone, names, n_names);
	if (r < 0) {
		snprintf(err, errlen, "cannot prepare the DNS change: %s", strerror(-r));
		apply_dns_push_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

/* The changing names' new data into the auth zone, then the cell zone
 * transparent: until it is static again, a name without local data is
 * answered from the auth zone. */
static int auth_bridge_open(const struct apply_dns_push *p, char *why, size_t whylen)
{
	struct buf text;
	buf_init(&text, RECORDS_FILE_MAX);
	int r = svc_unbound_auth_zone(p->zone, (const char *const *)p->add.items, p->add.n, &text);
	if (r == 0)
		r = write_file(p->auth_path, &text);
	buf_free(&text);
	if (r < 0) {
		snprintf(why, whylen, "cannot write %s: %s", SVC_UNBOUND_AUTH_FILE, strerror(-r));
		return r;
	}
	r = unbound_ctl_auth_reload(p->sock, p->zone, why, whylen);
	return r < 0 ? r : unbound_ctl_zone_type(p->sock, p->zone, "transparent", why, whylen);
}

/* In the loop or the pusher's thread: what unbound serves at the names,
 * live. local_data_remove drops every type at a name: remove the names,
 * then put back what remains there, with the auth zone answering for
 * them in between (svc_unbound.h). Pure additions append instead
 * (unbound ignores data it already has). */
static void push_run(struct apply_dns_push *p)
{
	_cleanup_free_ const char **names = calloc(p->n_names ? p->n_names : 1, sizeof(*names));
	if (!names) {
		p->r = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < p->n_names; i++)
		names[i] = p->names[i];
	int r = 0;
	bool bridged = false;
	if (p->bridge) {
		r = auth_bridge_open(p, p->why, sizeof(p->why));
		bridged = r == 0;
	}
	if (r == 0 && !p->only_added)
		r = unbound_ctl_remove(p->sock, names, p->n_names, p->why, sizeof(p->why));
	if (r == 0 && p->add.n)
		r = unbound_ctl_add(p->sock, (const char *const *)p->add.items, p->add.n, p->why, sizeof(p->why));
	if (bridged) {
		char why2[256] = "";
		int r2 = unbound_ctl_zone_type(p->sock, p->zone, "static", why2, sizeof(why2));
		if (r == 0 && r2 < 0) {
			r = r2;
			snprintf(p->why, sizeof(p->why), "%s", why2);
		}
	}
	p->r = r;
}

/* In the loop, after push_run: on a failure, the files are right, and a
 * reload makes unbound read them. */
static int push_settle(struct svc *s, const struct apply_dns_push *p, char *err, size_t errlen)
{
	if (p->r == 0)
		return 0;
	log_warn("dns: live update failed (%s); reloading unbound", p->why[0] ? p->why : strerror(-p->r));
	char probe_err[160];
	if (s->pid <= 0 || kill(s->pid, SIGHUP) < 0 || svc_probe_now(s, 3000, probe_err, sizeof(probe_err)) < 0) {
		snprintf(err, errlen, "unbound did not take the change: %s", p->why[0] ? p->why : strerror(-p->r));
		return p->r;
	}
	return 0;
}

/* After the files: what unbound serves at `names`, live, from the loop. */
static int names_live(struct daemon *d, struct svc *s, const char *const *names, size_t n_names, bool only_added,
		      char *err, size_t errlen)
{
	struct apply_dns_push *p;
	int r = push_prepare(d, s, names, n_names, only_added, &p, err, errlen);
	if (r < 0)
		return r;
	push_run(p);
	r = push_settle(s, p, err, errlen);
	apply_dns_push_free(p);
	return r;
}

int apply_dns_names_begin(struct daemon *d, const char *const *names, size_t n_names, const int64_t *ids,
			  size_t n_ids, bool only_added, struct apply_dns_push **ret, char *err, size_t errlen)
{
	*ret = NULL;
	struct svc *s = supervisor_find(&d->sup, "dns");
	if (!s || s->state == SVC_UNAVAILABLE)
		return 0;
	int r = parts_write(d, s, ids, n_ids, err, errlen);
	if (r < 0 || s->pid <= 0 || n_names == 0)
		return r; /* not running: it reads the files when it starts */
	return push_prepare(d, s, names, n_names, only_added, ret, err, errlen);
}

/* Unbound told (the commit reaches the disk meanwhile: store_syncer.h).
 * If the live change failed, the files are right: a reload makes unbound
 * read them (signalled through its pidfd, probed on the wire), here too
 * rather than in the loop. */
static void push_job_run(struct worker_job *job)
{
	struct apply_dns_push *p = (struct apply_dns_push *)job;
	push_run(p);
	if (p->r == 0 || p->pidfd < 0)
		return;
	p->reloaded = true;
	p->reload_r = syscall(SYS_pidfd_send_signal, p->pidfd, SIGHUP, NULL, 0) < 0 ? -errno : 0;
	if (p->reload_r == 0)
		p->reload_r = apply_probe_wire(p->ops, p->has_net ? &p->net : NULL, p->reload_why,
					       sizeof(p->reload_why));
}

static void push_job_done(struct worker_job *job)
{
	struct apply_dns_push *p = (struct apply_dns_push *)job;
	struct daemon *d = p->d;
	struct svc *s = supervisor_find(&d->sup, "dns");
	char err[512] = "";
	int r;
	const char *why = p->why[0] ? p->why : strerror(-p->r);
	if (p->reloaded) {
		log_warn("dns: live update failed (%s); reloaded unbound", why);
		r = p->reload_r < 0 ? p->r : 0;
		if (r < 0)
			snprintf(err, sizeof(err), "unbound did not take the change: %s", why);
	} else {
		r = s ? push_settle(s, p, err, sizeof(err)) : p->r;
	}
	p->done(d, r, err, p->cls);
	apply_dns_push_free(p);
}

void apply_dns_push_start(struct daemon *d, struct apply_dns_push *p, apply_dns_done_fn done, void *cls)
{
	p->job = (struct worker_job){ .run = push_job_run, .done = push_job_done };
	p->d = d;
	p->done = done;
	p->cls = cls;
	/* One thread, jobs in commit order: unbound gets the changes in the
	 * order the store took them. Below the loop's priority, like every
	 * worker; past APPLY_DNS_PUSH_MAX queued, the loop's path. */
	if (!d->dns_pusher && worker_new(d->loop, APPLY_DNS_PUSH_MAX, WORKER_NICE, &d->dns_pusher) < 0)
		d->dns_pusher = NULL;
	if (d->dns_pusher && !d->dns_stopping && worker_submit(d->dns_pusher, &p->job) == 0)
		return;
	/* No thread (or stopping): here, as the loop's path does. */
	push_job_run(&p->job);
	push_job_done(&p->job);
}

void apply_dns_push_stop(struct daemon *d)
{
	d->dns_stopping = true;
	worker_free(d->dns_pusher);
	d->dns_pusher = NULL;
}

int apply_dns_names(struct daemon *d, const char *const *names, size_t n_names, const int64_t *ids, size_t n_ids,
		    bool only_added, char *err, size_t errlen)
{
	struct apply_dns_push *p;
	int r = apply_dns_names_begin(d, names, n_names, ids, n_ids, only_added, &p, err, errlen);
	if (r < 0 || !p)
		return r;
	push_run(p);
	r = push_settle(supervisor_find(&d->sup, "dns"), p, err, errlen);
	apply_dns_push_free(p);
	return r;
}

int apply_dns_hosts(struct daemon *d, char *err, size_t errlen)
{
	_cleanup_free_ struct dns_host *now = calloc(APPLY_DNS_HOSTS_MAX, sizeof(*now));
	if (!now)
		return -ENOMEM;
	size_t n = 0;
	int r = collect_hosts(d, now, APPLY_DNS_HOSTS_MAX, &n);
	if (r < 0)
		return r;

	/* Names whose data differs: hosts gone, new, or with a new address. */
	char zone[DNS_NAME_MAX + 1];
	cell_zone(d, zone, sizeof(zone));
	size_t cap = 2 * (n + d->n_dns_hosts) + 1, n_changed = 0;
	_cleanup_free_ char (*changed)[DNS_NAME_MAX + 1] = calloc(cap, sizeof(*changed));
	_cleanup_free_ const char **names = calloc(cap, sizeof(*names));
	if (!changed || !names)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		const struct dns_host *a = pass ? now : d->dns_hosts, *b = pass ? d->dns_hosts : now;
		size_t na = pass ? n : d->n_dns_hosts, nb = pass ? d->n_dns_hosts : n;
		for (size_t i = 0; i < na; i++) {
			bool same = false;
			for (size_t j = 0; j < nb && !same; j++)
				same = strcmp(a[i].hostname, b[j].hostname) == 0 && a[i].ip == b[j].ip;
			if (same)
				continue;
			char ptr[64];
			host_names(zone, &a[i], changed[n_changed], sizeof(changed[0]), ptr, sizeof(ptr));
			snprintf(changed[n_changed + 1], sizeof(changed[0]), "%s", ptr);
			n_changed += 2;
		}
	}
	free(d->dns_hosts);
	d->dns_hosts = TAKE_PTR(now);
	d->n_dns_hosts = n;
	if (n_changed == 0)
		return 0;
	for (size_t i = 0; i < n_changed; i++)
		names[i] = changed[i];
	log_info("dns: %zu LAN host name(s) published", n);
	struct svc *s = supervisor_find(&d->sup, "dns");
	if (!s || s->state == SVC_UNAVAILABLE)
		return 0;
	cell_zone(d, zone, sizeof(zone));
	r = hosts_write(d, s, zone);
	if (r < 0) {
		snprintf(err, errlen, "cannot write the DNS host names file: %s", strerror(-r));
		return r;
	}
	if (s->pid <= 0)
		return 0;
	return names_live(d, s, names, n_changed, false, err, errlen);
}
