/* The DKIM key on disk (see apply_dkim.h). */
#include "apply_dkim.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "common/log.h"
#include "daemon.h"
#include "pki/pki_dkim.h"
#include "svc/svc_opendkim.h"
#include "common/banned.h"

#define CURRENT_FILE "current"
#define KEY_FILE_MAX (16 * 1024)

static int key_path(const struct svc *s, const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/" SVC_OPENDKIM_KEYS_DIR "/%s", s->dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* A selector is a DNS label: "p" and the key's creation time. */
static bool selector_valid(const char *sel)
{
	size_t n = strlen(sel);
	if (n == 0 || n > DKIM_SELECTOR_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((sel[i] >= 'a' && sel[i] <= 'z') || (sel[i] >= '0' && sel[i] <= '9')))
			return false;
	return true;
}

static int read_key(const struct svc *s, const char *selector, struct dkim_key *k, char *err, size_t errlen)
{
	char path[PATH_MAX + 64], file[DKIM_SELECTOR_MAX + 16];
	snprintf(file, sizeof(file), "%s.private", selector);
	struct buf pem;
	buf_init(&pem, KEY_FILE_MAX);
	int r = key_path(s, file, path, sizeof(path));
	if (r == 0)
		r = fs_read_file(path, &pem);
	if (r == 0)
		r = pki_dkim_public(pem.data, pem.len, k->public_b64, sizeof(k->public_b64), err, errlen);
	else
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
	buf_free(&pem);
	if (r == 0)
		snprintf(k->selector, sizeof(k->selector), "%s", selector);
	return r;
}

/* A new key, written (owned by opendkim), then named current. */
static int make_key(const struct svc *s, struct dkim_key *k, char *err, size_t errlen)
{
	char selector[DKIM_SELECTOR_MAX + 1], file[DKIM_SELECTOR_MAX + 16], path[PATH_MAX + 64], cur[PATH_MAX + 64];
	snprintf(selector, sizeof(selector), "p%" PRId64, (int64_t)time(NULL));
	snprintf(file, sizeof(file), "%s.private", selector);
	struct passwd *pw = getpwnam(SVC_OPENDKIM_USER);
	if (!pw) {
		snprintf(err, errlen, "no user %s", SVC_OPENDKIM_USER);
		return -ENOENT;
	}
	struct buf pem;
	buf_init(&pem, KEY_FILE_MAX);
	int r = pki_dkim_generate(&pem, err, errlen);
	if (r == 0)
		r = key_path(s, file, path, sizeof(path));
	if (r == 0)
		r = fs_write_atomic(path, pem.data, pem.len, 0600);
	if (r == 0 && chown(path, pw->pw_uid, pw->pw_gid) < 0)
		r = -errno;
	if (pem.data)
		memset(pem.data, 0, pem.len);
	buf_free(&pem);
	if (r == 0)
		r = key_path(s, CURRENT_FILE, cur, sizeof(cur));
	if (r == 0)
		r = fs_write_atomic(cur, selector, strlen(selector), 0644);
	if (r < 0) {
		if (!err[0])
			snprintf(err, errlen, "cannot write the DKIM key: %s", strerror(-r));
		return r;
	}
	log_info("dkim: new signing key, selector %s", selector);
	return read_key(s, selector, k, err, errlen);
}

int apply_dkim_load(struct daemon *d, char *err, size_t errlen)
{
	struct svc *s = supervisor_find(&d->sup, svc_opendkim_ops.name);
	if (!s || s->state == SVC_UNAVAILABLE)
		return 0;
	char cur[PATH_MAX + 64];
	struct buf name;
	buf_init(&name, DKIM_SELECTOR_MAX + 2);
	int r = key_path(s, CURRENT_FILE, cur, sizeof(cur));
	if (r == 0)
		r = fs_read_file(cur, &name);
	char selector[DKIM_SELECTOR_MAX + 1] = "";
	if (r == 0 && name.len <= DKIM_SELECTOR_MAX) {
		memcpy(selector, name.data, name.len);
		selector[strcspn(selector, "\n")] = '\0';
	}
	buf_free(&name);
	struct dkim_key k = { 0 };
	if (r == -ENOENT)
		r = make_key(s, &k, err, errlen);
	else if (r == 0 && selector_valid(selector))
		r = read_key(s, selector, &k, err, errlen);
	else if (r == 0 || r == -E2BIG) {
		snprintf(err, errlen, "%s does not name a key", cur);
		r = -EINVAL;
	}
	if (r == 0)
		d->dkim = k;
	return r;
}
