/* A validation failure that names the field it is about. Validators fill
 * one of these and return -EINVAL; handlers turn it into a 400. */
#pragma once

struct field_error {
	char field[64];
	char message[256];
};

void field_error_set(struct field_error *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
