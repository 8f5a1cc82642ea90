/* PEM encoding and decoding; key files read and written as secrets. */
#include "pki_pem.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "common/buf.h"
#include "common/fsutil.h"
#include "pki/pki_ossl.h"
#include "common/banned.h"

/* Appends what `bio` (a memory BIO) holds to `out`. */
static int bio_to_buf(BIO *bio, struct buf *out)
{
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);
	if (len <= 0 || !data)
		return -EIO;
	return buf_append(out, data, (size_t)len);
}

int pki_pem_cert(X509 *x, struct buf *out)
{
	_cleanup_(BIO_free_allp) BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || !PEM_write_bio_X509(bio, x)) {
		ERR_clear_error();
		return -ENOMEM;
	}
	return bio_to_buf(bio, out);
}

int pki_pem_crl(X509_CRL *crl, struct buf *out)
{
	_cleanup_(BIO_free_allp) BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || !PEM_write_bio_X509_CRL(bio, crl)) {
		ERR_clear_error();
		return -ENOMEM;
	}
	return bio_to_buf(bio, out);
}

int pki_pem_key(EVP_PKEY *key, struct buf *out)
{
	/* A secure-memory BIO clears its storage when it grows and when it
	 * is freed. */
	_cleanup_(BIO_free_allp) BIO *bio = BIO_new(BIO_s_secmem());
	if (!bio || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
		ERR_clear_error();
		return -ENOMEM;
	}
	return bio_to_buf(bio, out);
}

void pki_pem_wipe(struct buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->cap);
	buf_free(b);
}

int pki_pem_parse_cert(const char *pem, size_t len, X509 **ret_x)
{
	if (len > PKI_PEM_FILE_MAX)
		return -E2BIG;
	_cleanup_(BIO_free_allp) BIO *bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		ERR_clear_error();
		return -ENOMEM;
	}
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	ERR_clear_error();
	if (!x)
		return -EBADMSG;
	*ret_x = x;
	return 0;
}

int pki_pem_read_cert_file(const char *path, X509 **ret_x)
{
	struct buf b;
	buf_init(&b, PKI_PEM_FILE_MAX);
	int r = fs_read_file(path, &b);
	if (r == 0)
		r = pki_pem_parse_cert(b.data ? b.data : "", b.len, ret_x);
	buf_free(&b);
	return r;
}

/* Refuses to decrypt: a PEM passphrase prompt must never reach a
 * daemon's terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return -1;
}

int pki_pem_read_key_file(const char *path, EVP_PKEY **ret_key)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return -EPERM;
	if (st.st_size <= 0 || st.st_size > PKI_PEM_FILE_MAX)
		return -EBADMSG;

	size_t size = (size_t)st.st_size;
	_cleanup_free_ char *data = malloc(size);
	if (!data)
		return -ENOMEM;
	int r = 0;
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)n;
	}

	EVP_PKEY *key = NULL;
	if (r == 0) {
		BIO *bio = BIO_new_mem_buf(data, (int)size);
		if (bio)
			key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
		BIO_free_all(bio);
		ERR_clear_error();
		r = key ? 0 : bio ? -EBADMSG : -ENOMEM;
	}
	sodium_memzero(data, size);
	if (r < 0)
		return r;
	*ret_key = key;
	return 0;
}

int pki_pem_write_cert_file(const char *path, X509 *x)
{
	struct buf b;
	buf_init(&b, PKI_PEM_FILE_MAX);
	int r = pki_pem_cert(x, &b);
	if (r == 0)
		r = fs_write_atomic(path, b.data, b.len, 0644);
	buf_free(&b);
	return r;
}

int pki_pem_write_key_file(const char *path, EVP_PKEY *key)
{
	struct buf b;
	buf_init(&b, PKI_PEM_FILE_MAX);
	int r = pki_pem_key(key, &b);
	if (r == 0)
		r = fs_write_atomic(path, b.data, b.len, 0600);
	pki_pem_wipe(&b);
	return r;
}
