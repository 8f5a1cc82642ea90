/* DNS records and forwards in JSON: reading API input into the model's
 * input structs (type-checked, errors naming the field, with a prefix such
 * as "records[3]." inside a batch) and writing records out. */
#pragma once

#include <jansson.h>

#include "http.h"
#include "model/dns.h"

/* Reads one record object; on failure sets a 400 on `res` and returns
 * -EINVAL. `prefix` is prepended to field names ("" or "records[3]."). */
int api_dns_record_input(json_t *obj, const char *prefix, struct dns_record_input *in,
			 struct http_response *res);

json_t *api_dns_record_json(const struct dns_record *r);

/* A field error with `prefix` prepended to its field. */
int api_dns_field_error(struct http_response *res, const char *prefix, const struct field_error *e);
