/* Replacing the cell's root CA, which only the user decides (every device
 * that trusts the old root must import the new one).
 *
 * The old `ca.key` and `ca.crt` are kept, never deleted: they are
 * hard-linked into `archive/<old serial>/` of the CA directory (0700
 * directories; the key keeps its 0600 inode). The new root is written
 * beside the current one as `ca.key.new` and `ca.crt.new`, then renamed
 * over it, key first, with the directory synced after each step. Two
 * renames cannot be one atomic step, so the one state in between (new key,
 * old certificate, `ca.crt.new` still present) is finished by
 * pki_ca_replace_recover, which picd runs at start before the CA is
 * loaded: a crash at any point leaves either the old root or the new one. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model/config.h"
#include "pki/pki_ca.h"
#include "pki/pki_serial.h"

#define PKI_CA_ARCHIVE_DIR "archive"
#define PKI_CA_KEY_NEW_FILE "ca.key.new"
#define PKI_CA_CERT_NEW_FILE "ca.crt.new"

/* Brings `dir` back to one whole root after an interrupted replacement:
 * with both new files present nothing was swapped yet and they are
 * removed (the old root stays); with only `ca.crt.new` left the key was
 * swapped and the certificate follows. Returns 1 when it finished a
 * replacement, 0 when there was nothing to finish, -errno. Uses no
 * libcrypto (picd calls it at every start). */
int pki_ca_replace_recover(const char *dir);

/* Archives the root in `dir` and puts a new one for `c` (and the host
 * named `host_name`, see pki_ca_create) in its place (see above), loaded into *ret_ca; the old root's serial goes to
 * `ret_old_serial`. -ENOENT/-EPERM/-EKEYREJECTED/-EBADMSG when the current
 * root cannot be loaded (nothing changed); on other failures `err` says
 * what went wrong and `dir` holds the old root or, if the swap had begun,
 * the new one. */
int pki_ca_replace(const char *dir, const struct cell_config *c, const char *host_name, int64_t now,
		   struct pki_ca **ret_ca, char ret_old_serial[PKI_SERIAL_HEX_MAX], char *err, size_t errlen);
