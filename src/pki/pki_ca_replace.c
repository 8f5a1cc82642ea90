/* Replacing the cell's root CA: archive, write beside, rename, recover
 * (see pki_ca_replace.h). */
#include "pki_ca_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "pki/pki_ossl.h"
#include "common/banned.h"

/* 1 if `name` exists in `dfd` (as anything, symlinks not followed), 0 if
 * not, -errno. */
static int exists_at(int dfd, const char *name)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

static int unlink_synced(int dfd, const char *name)
{
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	return fsync(dfd) < 0 ? -errno : 0;
}

static int rename_synced(int dfd, const char *from, const char *to)
{
	if (renameat(dfd, from, dfd, to) < 0)
		return -errno;
	return fsync(dfd) < 0 ? -errno : 0;
}

/* Removes the new files of an abandoned replacement: the certificate
 * first, so that a crash in between never leaves `ca.crt.new` alone (which
 * recovery would take for a swapped key). */
static int discard_new(int dfd)
{
	int r = unlink_synced(dfd, PKI_CA_CERT_NEW_FILE);
	return r < 0 ? r : unlink_synced(dfd, PKI_CA_KEY_NEW_FILE);
}

static int recover_at(int dfd)
{
	int crt_new = exists_at(dfd, PKI_CA_CERT_NEW_FILE);
	int key_new = exists_at(dfd, PKI_CA_KEY_NEW_FILE);
	if (crt_new < 0)
		return crt_new;
	if (key_new < 0)
		return key_new;
	if (crt_new && !key_new) {
		int r = rename_synced(dfd, PKI_CA_CERT_NEW_FILE, PKI_CA_CERT_FILE);
		return r < 0 ? r : 1;
	}
	if (key_new)
		return discard_new(dfd);
	return 0;
}

static int open_dir_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int pki_ca_replace_recover(const char *dir)
{
	_cleanup_close_ int dfd = open_dir_at(AT_FDCWD, dir);
	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	return recover_at(dfd);
}

/* A 0700 directory `name` in `dfd`, created if missing; its fd. */
static int private_dir_at(int dfd, const char *name)
{
	if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	int fd = open_dir_at(dfd, name);
	if (fd < 0)
		return fd;
	if (fchmod(fd, 0700) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* A second name for `name` of `from` in `to`. A link that is already
 * there (an earlier attempt that stopped before the swap) is fine if it
 * is the same file. */
static int link_into(int from, int to, const char *name)
{
	if (linkat(from, name, to, name, 0) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	struct stat a, b;
	if (fstatat(from, name, &a, AT_SYMLINK_NOFOLLOW) < 0 || fstatat(to, name, &b, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 0 : -EEXIST;
}

/* Keeps the current root as archive/<serial>/{ca.key,ca.crt}. */
static int archive_at(int dfd, const char *serial, char *err, size_t errlen)
{
	_cleanup_close_ int afd = private_dir_at(dfd, PKI_CA_ARCHIVE_DIR);
	if (afd < 0) {
		pki_ossl_msg(err, errlen, "cannot create the archive directory: %s", strerror(-afd));
		return afd;
	}
	_cleanup_close_ int sfd = private_dir_at(afd, serial);
	if (sfd < 0) {
		pki_ossl_msg(err, errlen, "cannot create %s/%s: %s", PKI_CA_ARCHIVE_DIR, serial, strerror(-sfd));
		return sfd;
	}
	static const char *const files[] = { PKI_CA_KEY_FILE, PKI_CA_CERT_FILE };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int r = link_into(dfd, sfd, files[i]);
		if (r < 0) {
			pki_ossl_msg(err, errlen, "cannot archive %s into %s/%s: %s", files[i], PKI_CA_ARCHIVE_DIR,
				     serial, r == -EEXIST ? "another file has that name" : strerror(-r));
			return r;
		}
	}
	if (fsync(sfd) < 0 || fsync(afd) < 0 || fsync(dfd) < 0) {
		int r = -errno;
		pki_ossl_msg(err, errlen, "cannot sync the archive: %s", strerror(-r));
		return r;
	}
	return 0;
}

/* The new files over the current ones: the key, then the certificate. */
static int swap_at(int dfd, char *err, size_t errlen)
{
	int r = rename_synced(dfd, PKI_CA_KEY_NEW_FILE, PKI_CA_KEY_FILE);
	if (r < 0) {
		discard_new(dfd);
		pki_ossl_msg(err, errlen, "cannot install the new key: %s", strerror(-r));
		return r;
	}
	r = rename_synced(dfd, PKI_CA_CERT_NEW_FILE, PKI_CA_CERT_FILE);
	if (r < 0 && recover_at(dfd) != 1) {
		pki_ossl_msg(err, errlen, "cannot install the new certificate: %s (picd finishes it at its next "
			     "start)", strerror(-r));
		return r;
	}
	return 0;
}

int pki_ca_replace(const char *dir, const struct cell_config *c, const char *host_name, int64_t now,
		   struct pki_ca **ret_ca, char ret_old_serial[PKI_SERIAL_HEX_MAX], char *err, size_t errlen)
{
	_cleanup_close_ int dfd = open_dir_at(AT_FDCWD, dir);
	if (dfd < 0) {
		pki_ossl_msg(err, errlen, "cannot open the CA directory '%s': %s", dir, strerror(-dfd));
		return dfd;
	}
	int r = recover_at(dfd);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot finish an earlier replacement in '%s': %s", dir, strerror(-r));
		return r;
	}
	_cleanup_(pki_ca_freep) struct pki_ca *old = NULL;
	char serial[PKI_SERIAL_HEX_MAX];
	r = pki_ca_load(dir, &old);
	if (r == 0)
		r = pki_ca_serial(old, serial);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot load the current root: %s", strerror(-r));
		return r;
	}
	r = archive_at(dfd, serial, err, errlen);
	if (r < 0)
		return r;
	r = pki_ca_create_files(dir, PKI_CA_KEY_NEW_FILE, PKI_CA_CERT_NEW_FILE, c, host_name, now, err, errlen);
	if (r < 0) {
		discard_new(dfd);
		return r;
	}
	r = swap_at(dfd, err, errlen);
	if (r < 0)
		return r;
	r = pki_ca_load(dir, ret_ca);
	if (r < 0) {
		pki_ossl_msg(err, errlen, "cannot load the new root: %s", strerror(-r));
		return r;
	}
	memcpy(ret_old_serial, serial, sizeof(serial));
	return 0;
}
