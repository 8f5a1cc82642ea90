/* Shared cmocka fixture for the CA tests: a fresh root CA (default cell
 * configuration) in a temporary directory, removed again at teardown. */
#pragma once

#include <stdint.h>

#include "model/config.h"
#include "pki/pki_ca.h"

struct pki_fixture {
	char dir[64];
	struct cell_config c;
	struct pki_ca *ca;
	int64_t now;
};

int pki_fixture_setup(void **state);
int pki_fixture_teardown(void **state);
