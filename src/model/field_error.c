/* Filling a field_error. */
#include "field_error.h"

#include <stdarg.h>
#include <stdio.h>

#include "common/banned.h"

void field_error_set(struct field_error *e, const char *field, const char *fmt, ...)
{
	if (!e)
		return;
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}
