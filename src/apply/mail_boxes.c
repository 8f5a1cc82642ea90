/* Mailboxes on disk (see mail_boxes.h). */
#include "mail_boxes.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "common/log.h"
#include "common/worker.h"
#include "daemon.h"
#include "svc/svc_dovecot.h"
#include "common/banned.h"

#define ORPHAN_PREFIX ".orphan."
#define REMOVING_PREFIX ".removing."
#define MAILDIRSIZE_MAX (1024 * 1024)

static int mail_dir(struct daemon *d, char *out, size_t len)
{
	struct svc *s = supervisor_find(&d->sup, svc_dovecot_ops.name);
	if (!s)
		return -ENOENT;
	int n = snprintf(out, len, "%s/%s", s->dir, SVC_DOVECOT_MAIL_DIR);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Sum of maildirsize's lines after the first ("<bytes> <count>"). */
static int64_t maildirsize_bytes(const char *box)
{
	char path[PATH_MAX + 32];
	if (snprintf(path, sizeof(path), "%s/Maildir/maildirsize", box) >= (int)sizeof(path))
		return 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	char line[128];
	int64_t total = 0;
	bool first = true;
	while (fgets(line, sizeof(line), f)) {
		long long bytes;
		if (!first && sscanf(line, "%lld", &bytes) == 1)
			total += bytes;
		first = false;
	}
	fclose(f);
	return total > 0 ? total : 0;
}

int64_t mail_box_used(struct daemon *d, const char *name)
{
	char dir[PATH_MAX], box[PATH_MAX + ACCOUNT_NAME_MAX + 2];
	if (mail_dir(d, dir, sizeof(dir)) < 0 || snprintf(box, sizeof(box), "%s/%s", dir, name) >= (int)sizeof(box))
		return 0;
	return maildirsize_bytes(box);
}

/* --- removal, off the loop -------------------------------------------- */

struct removal {
	struct worker_job job;
	char path[PATH_MAX + 64];
	int result;
};

static void removal_run(struct worker_job *job)
{
	struct removal *r = (struct removal *)job;
	r->result = fs_remove_tree(r->path);
}

static void removal_done(struct worker_job *job)
{
	struct removal *r = (struct removal *)job;
	if (r->result < 0)
		log_err("imap: cannot remove %s: %s", r->path, strerror(-r->result));
	else
		log_info("imap: removed %s", r->path);
	free(r);
}

/* Renames `from` to a ".removing." name (instant: it is no longer a
 * mailbox or an orphan) and removes that in the background. */
static int remove_later(struct daemon *d, const char *dir, const char *from, const char *tag)
{
	struct removal *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	int n = snprintf(r->path, sizeof(r->path), "%s/" REMOVING_PREFIX "%s", dir, tag);
	if (n < 0 || (size_t)n >= sizeof(r->path)) {
		free(r);
		return -ENAMETOOLONG;
	}
	if (from && rename(from, r->path) < 0) {
		int e = -errno;
		free(r);
		return e;
	}
	r->job = (struct worker_job){ .run = removal_run, .done = removal_done };
	if (!d->mail_cleaner && worker_new(d->loop, 64, WORKER_NICE, &d->mail_cleaner) < 0)
		d->mail_cleaner = NULL;
	if (!d->mail_cleaner || worker_submit(d->mail_cleaner, &r->job) < 0) {
		log_warn("imap: %s is left to remove at the next start", r->path);
		free(r);
	}
	return 0;
}

int mail_boxes_retire(struct daemon *d, const char *name, bool purge, int64_t now)
{
	char dir[PATH_MAX], box[PATH_MAX + ACCOUNT_NAME_MAX + 2], to[PATH_MAX + MAIL_ORPHAN_ID_MAX + 16];
	int r = mail_dir(d, dir, sizeof(dir));
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (snprintf(box, sizeof(box), "%s/%s", dir, name) >= (int)sizeof(box))
		return -ENAMETOOLONG;
	if (access(box, F_OK) < 0)
		return 0;
	char tag[MAIL_ORPHAN_ID_MAX + 1];
	snprintf(tag, sizeof(tag), "%s.%" PRId64, name, now);
	if (purge)
		return remove_later(d, dir, box, tag);
	if (snprintf(to, sizeof(to), "%s/" ORPHAN_PREFIX "%s", dir, tag) >= (int)sizeof(to))
		return -ENAMETOOLONG;
	return rename(box, to) < 0 ? -errno : 0;
}

/* "<name>.<time>" of an orphan's directory entry, or false. */
static bool orphan_parse(const char *entry, struct mail_orphan *o)
{
	size_t plen = strlen(ORPHAN_PREFIX);
	if (strncmp(entry, ORPHAN_PREFIX, plen) != 0)
		return false;
	const char *id = entry + plen, *dot = strrchr(id, '.');
	if (!dot || dot == id || (size_t)(dot - id) > ACCOUNT_NAME_MAX || strlen(id) > MAIL_ORPHAN_ID_MAX)
		return false;
	char *end;
	long long t = strtoll(dot + 1, &end, 10);
	if (*end || end == dot + 1 || t < 0)
		return false;
	*o = (struct mail_orphan){ .deleted_at = t };
	snprintf(o->id, sizeof(o->id), "%s", id);
	memcpy(o->name, id, (size_t)(dot - id));
	o->name[dot - id] = '\0';
	return true;
}

static int by_time(const void *a, const void *b)
{
	const struct mail_orphan *x = a, *y = b;
	return x->deleted_at < y->deleted_at ? -1 : x->deleted_at > y->deleted_at ? 1 : strcmp(x->id, y->id);
}

int mail_boxes_orphans(struct daemon *d, struct mail_orphan **ret, size_t *ret_n)
{
	*ret = NULL;
	*ret_n = 0;
	char dir[PATH_MAX];
	int r = mail_dir(d, dir, sizeof(dir));
	DIR *dh = r == 0 ? opendir(dir) : NULL;
	if (!dh)
		return r == -ENOENT || errno == ENOENT ? 0 : -errno;
	struct mail_orphan *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		struct mail_orphan o;
		if (!orphan_parse(e->d_name, &o))
			continue;
		if (n == cap) {
			struct mail_orphan *grown = realloc(list, (cap = cap ? cap * 2 : 8) * sizeof(*list));
			if (!grown) {
				free(list);
				closedir(dh);
				return -ENOMEM;
			}
			list = grown;
		}
		char box[PATH_MAX + 300];
		snprintf(box, sizeof(box), "%s/%s", dir, e->d_name);
		o.bytes = maildirsize_bytes(box);
		list[n++] = o;
	}
	closedir(dh);
	if (n)
		qsort(list, n, sizeof(*list), by_time);
	*ret = list;
	*ret_n = n;
	return 0;
}

int mail_boxes_remove_orphan(struct daemon *d, const char *id)
{
	struct mail_orphan o;
	char entry[MAIL_ORPHAN_ID_MAX + 16], dir[PATH_MAX], from[PATH_MAX + MAIL_ORPHAN_ID_MAX + 16];
	if (strlen(id) > MAIL_ORPHAN_ID_MAX || strchr(id, '/'))
		return -ENOENT;
	snprintf(entry, sizeof(entry), ORPHAN_PREFIX "%s", id);
	if (!orphan_parse(entry, &o))
		return -ENOENT;
	int r = mail_dir(d, dir, sizeof(dir));
	if (r < 0)
		return r;
	snprintf(from, sizeof(from), "%s/%s", dir, entry);
	if (access(from, F_OK) < 0)
		return -ENOENT;
	return remove_later(d, dir, from, id);
}

void mail_boxes_finish_removals(struct daemon *d)
{
	char dir[PATH_MAX];
	DIR *dh = mail_dir(d, dir, sizeof(dir)) == 0 ? opendir(dir) : NULL;
	if (!dh)
		return;
	struct dirent *e;
	while ((e = readdir(dh)))
		if (strncmp(e->d_name, REMOVING_PREFIX, strlen(REMOVING_PREFIX)) == 0)
			remove_later(d, dir, NULL, e->d_name + strlen(REMOVING_PREFIX));
	closedir(dh);
}
