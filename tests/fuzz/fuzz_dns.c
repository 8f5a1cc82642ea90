/* libFuzzer harness: DNS and DHCP input parsers — record validation for
 * every type (the input split into name, value and numbers), the
 * record's zone-data line, resolver addresses, forward zones, and the
 * dnsmasq lease file. An accepted record must render, and render to a
 * line without a newline (it goes to unbound's control socket). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/dhcp.h"
#include "model/dns.h"
#include "common/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[4096];
	if (size < 4 || size >= sizeof(text))
		return 0;
	memcpy(text, data + 4, size - 4);
	text[size - 4] = '\0';
	/* "name\nvalue" from the text, numbers from the first bytes. */
	char *value = strchr(text, '\n');
	if (value)
		*value++ = '\0';

	struct field_error e;
	for (int t = 0; t < DNS_TYPE_COUNT; t++) {
		struct dns_record_input in = {
			.name = text, .type = dns_type_name((enum dns_type)t), .value = value ? value : text,
			.has_ttl = data[0] & 1, .ttl = (int64_t)data[1] * 4000,
			.has_priority = (t == DNS_MX || t == DNS_SRV), .priority = data[2],
			.has_weight = t == DNS_SRV, .weight = data[3],
			.has_port = t == DNS_SRV, .port = data[1],
		};
		struct dns_record r;
		if (dns_record_parse("mycell.cell", &in, &r, &e) < 0)
			continue;
		char rr[DNS_VALUE_MAX * 3];
		if (dns_record_rr(&r, rr, sizeof(rr)) < 0 || strchr(rr, '\n'))
			abort();
		(void)dns_record_reserved("mycell.cell", &r);
	}
	(void)dns_server_validate("upstreams[0]", text, &e);
	struct dns_forward f = { .n_servers = 1 };
	memcpy(f.zone, text, strnlen(text, sizeof(f.zone) - 1));
	memcpy(f.servers[0], value ? value : "", value ? strnlen(value, DNS_ADDR_MAX - 1) : 0);
	(void)dns_forward_validate("mycell.cell", &f, &e);

	struct dhcp_lease leases[16];
	(void)dhcp_leases_parse(text, leases, 16);
	uint8_t mac[6];
	(void)dhcp_mac_parse(text, mac);
	return 0;
}
