/* The CA tests' fixture (see pki_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "pki_fixture.h"
#include "common/banned.h"

int pki_fixture_setup(void **state)
{
	struct pki_fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pic-test-pki-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	config_defaults(&f->c);
	f->now = (int64_t)time(NULL);
	char err[256];
	if (pki_ca_ensure(f->dir, &f->c, NULL, f->now, &f->ca, err, sizeof(err)) != 1) {
		print_error("pki_ca_ensure: %s\n", err);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int pki_fixture_teardown(void **state)
{
	struct pki_fixture *f = *state;
	static const char *const files[] = { "ca.key", "ca.crt" };
	pki_ca_free(f->ca);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char p[96];
		snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	int r = rmdir(f->dir);
	free(f);
	return r;
}
