/* JSON for DNS records (see api_dns_json.h). */
#include "api_dns_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/banned.h"

int api_dns_field_error(struct http_response *res, const char *prefix, const struct field_error *e)
{
	char field[128];
	snprintf(field, sizeof(field), "%s%s", prefix, e->field);
	return http_error(res, 400, "invalid_field", field, "%s%s%s", prefix[0] ? prefix : "",
			  prefix[0] ? " " : "", e->message);
}

static int bad(struct http_response *res, const char *prefix, const char *field, const char *what)
{
	char f[128];
	snprintf(f, sizeof(f), "%s%s", prefix, field);
	http_error(res, 400, "invalid_field", f, "%s must be %s", f, what);
	return -EINVAL;
}

int api_dns_record_input(json_t *obj, const char *prefix, struct dns_record_input *in,
			 struct http_response *res)
{
	static const struct {
		const char *key;
		bool integer;
	} fields[] = {
		{ "name", false }, { "type", false }, { "value", false }, { "ttl", true }, { "priority", true },
		{ "weight", true }, { "port", true }, { "flags", true }, { "tag", false },
	};
	*in = (struct dns_record_input){ 0 };
	if (!json_is_object(obj))
		return bad(res, prefix, "", "a JSON object"), -EINVAL;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		size_t i;
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strcmp(fields[i].key, key) == 0)
				break;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			char f[128];
			snprintf(f, sizeof(f), "%s%s", prefix, key);
			http_error(res, 400, "unknown_field", f, "unknown field '%s'", f);
			return -EINVAL;
		}
		if (fields[i].integer && !json_is_integer(v))
			return bad(res, prefix, key, "an integer");
		if (!fields[i].integer && (!json_is_string(v) || memchr(json_string_value(v), 0, json_string_length(v))))
			return bad(res, prefix, key, "a string");
	}
	in->name = json_string_value(json_object_get(obj, "name"));
	in->type = json_string_value(json_object_get(obj, "type"));
	in->value = json_string_value(json_object_get(obj, "value"));
	in->tag = json_string_value(json_object_get(obj, "tag"));
	struct {
		const char *key;
		bool *has;
		int64_t *v;
	} ints[] = {
		{ "ttl", &in->has_ttl, &in->ttl },       { "priority", &in->has_priority, &in->priority },
		{ "weight", &in->has_weight, &in->weight }, { "port", &in->has_port, &in->port },
		{ "flags", &in->has_flags, &in->flags },
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		json_t *n = json_object_get(obj, ints[i].key);
		if (n) {
			*ints[i].has = true;
			*ints[i].v = json_integer_value(n);
		}
	}
	return 0;
}

json_t *api_dns_record_json(const struct dns_record *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)r->id, "name", r->name, "type",
			      dns_type_name(r->type), "ttl", (json_int_t)r->ttl, "value", r->value);
	if (!o)
		return NULL;
	if (r->type == DNS_MX || r->type == DNS_SRV)
		json_object_set_new(o, "priority", json_integer(r->priority));
	if (r->type == DNS_SRV) {
		json_object_set_new(o, "weight", json_integer(r->weight));
		json_object_set_new(o, "port", json_integer(r->port));
	}
	if (r->type == DNS_CAA) {
		json_object_set_new(o, "flags", json_integer(r->flags));
		json_object_set_new(o, "tag", json_string(r->tag));
	}
	return o;
}
