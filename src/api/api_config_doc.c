/* Rendering the configuration document. */
#include "api_config_doc.h"

#include <stdio.h>

#include "model/ipplan.h"
#include "model/published.h"
#include "common/banned.h"

static json_t *field_json(const struct cell_config *c, const struct config_field *f)
{
	char text[CONFIG_VALUE_MAX];
	int is_null = config_field_get(c, f, text, sizeof(text));
	if (is_null != 0)
		return json_null();
	if (f->type == CONFIG_PORT)
		return json_integer(c->wireguard_port);
	return json_string(text);
}

static json_t *address_plan(const struct cell_config *c, enum ipplan_kind want_virtual)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < ipplan_table_len; i++) {
		const struct ipplan_entry *e = &ipplan_table[i];
		if ((e->kind == IPPLAN_VIRTUAL_IP) != (want_virtual == IPPLAN_VIRTUAL_IP))
			continue;
		char ip[IPV4_STR_MAX];
		ipv4_format(ipplan_address(&c->ip_range, e), ip);
		json_object_set_new(o, e->name, json_string(ip));
	}
	return o;
}

/* The ports published on the host's addresses and where they go. */
static json_t *published_json(const struct cell_config *c)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < published_table_len; i++) {
		const struct published *pub = &published_table[i];
		const struct ipplan_entry *e = pub->virtual_ip ? ipplan_find_virtual_ip(pub->virtual_ip)
							       : ipplan_find(pub->service);
		json_t *ports = json_array(), *protocols = json_array();
		for (size_t j = 0; ports && j < pub->n_ports; j++)
			json_array_append_new(ports, json_integer(pub->ports[j]));
		if (protocols && pub->tcp)
			json_array_append_new(protocols, json_string("tcp"));
		if (protocols && pub->udp)
			json_array_append_new(protocols, json_string("udp"));
		char ip[IPV4_STR_MAX] = "";
		if (e)
			ipv4_format(ipplan_address(&c->ip_range, e), ip);
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:s}", "service", pub->service, "protocols",
						   protocols, "ports", ports, "to", ip));
	}
	return a;
}

json_t *api_config_pending_json(const struct cell_config *c, const struct pending_change *pending,
				int n_pending)
{
	json_t *a = json_array();
	for (int i = 0; a && i < n_pending; i++) {
		const struct config_field *f = config_field_find(pending[i].field);
		if (!f)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:s?, s:o, s:I}", "field", pending[i].field,
						   "value", pending[i].is_null ? NULL : pending[i].value,
						   "current", field_json(c, f),
						   "requested_at", (json_int_t)pending[i].requested_at));
	}
	return a;
}

json_t *api_config_doc(const struct cell_config *c, const struct pending_change *pending, int n_pending)
{
	json_t *doc = json_object();
	if (!doc)
		return NULL;
	for (size_t i = 0; i < config_fields_len; i++)
		json_object_set_new(doc, config_fields[i].name, field_json(c, &config_fields[i]));

	char ip[IPV4_STR_MAX];
	ipv4_format(ipplan_vpn_server(&c->vpn_subnet), ip);
	json_object_set_new(doc, "addresses", address_plan(c, IPPLAN_SERVICE));
	json_object_set_new(doc, "virtual_ips", address_plan(c, IPPLAN_VIRTUAL_IP));
	json_object_set_new(doc, "vpn", json_pack("{s:s}", "server", ip));
	json_object_set_new(doc, "published", published_json(c));
	json_object_set_new(doc, "pending", api_config_pending_json(c, pending, n_pending));
	return doc;
}
