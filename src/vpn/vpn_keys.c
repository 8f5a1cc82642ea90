/* WireGuard keys (see vpn_keys.h). */
#include "vpn_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/banned.h"

void vpn_keypair(uint8_t priv[VPN_KEY_LEN], uint8_t pub[VPN_KEY_LEN])
{
	randombytes_buf(priv, VPN_KEY_LEN);
	priv[0] &= 248;
	priv[31] = (priv[31] & 127) | 64;
	wg_key_public(priv, pub);
}

void vpn_psk(uint8_t psk[VPN_KEY_LEN])
{
	randombytes_buf(psk, VPN_KEY_LEN);
}

static int key_create(const char *path, uint8_t priv[VPN_KEY_LEN])
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0700) < 0 && errno != EEXIST)
		return -errno;
	uint8_t pub[VPN_KEY_LEN];
	char text[VPN_KEY_B64_LEN + 2];
	vpn_keypair(priv, pub);
	wg_key_to_base64(priv, text);
	text[VPN_KEY_B64_LEN] = '\n';
	text[VPN_KEY_B64_LEN + 1] = '\0';
	int r = fs_write_atomic(path, text, VPN_KEY_B64_LEN + 1, 0600);
	sodium_memzero(text, sizeof(text));
	return r;
}

int vpn_server_key(const char *path, uint8_t priv[VPN_KEY_LEN], bool *ret_created)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		*ret_created = true;
		return key_create(path, priv);
	}
	if (fd < 0)
		return -errno;
	*ret_created = false;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_mode & 077)
		return -EPERM;
	char text[VPN_KEY_B64_LEN + 8] = "";
	ssize_t n = read(fd, text, sizeof(text) - 1);
	if (n < VPN_KEY_B64_LEN) {
		sodium_memzero(text, sizeof(text));
		return n < 0 ? -errno : -EBADMSG;
	}
	text[VPN_KEY_B64_LEN] = '\0';
	struct field_error e;
	int r = vpn_key_validate("key", text, priv, &e);
	sodium_memzero(text, sizeof(text));
	return r < 0 ? -EBADMSG : 0;
}
