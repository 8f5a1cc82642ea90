/* libFuzzer harness: every parser a configuration value passes through
 * (config_field_set for each field, name_validate, cidr_parse, ipv4_parse,
 * the NTP server list)
 * on arbitrary text. A value that is accepted must round-trip through
 * config_field_get unchanged and keep config_validate from crashing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/cidr.h"
#include "model/config.h"
#include "model/name.h"
#include "model/ntp.h"
#include "common/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[512];
	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct field_error e;
	struct ipv4_net net;
	uint32_t addr;
	(void)name_validate("cell_name", text, &e);
	(void)cidr_parse(text, &net);
	(void)ipv4_parse(text, &addr);
	struct ntp_settings ntp = { 0 };
	if (ntp_add_server(&ntp, text, &e) == 0 && ntp_add_server(&ntp, text, &e) == 0)
		abort(); /* a duplicate must be refused */

	for (size_t i = 0; i < config_fields_len; i++) {
		struct cell_config c;
		config_defaults(&c);
		if (config_field_set(&c, &config_fields[i], text, &e) < 0)
			continue;
		char back[CONFIG_VALUE_MAX];
		if (config_field_get(&c, &config_fields[i], back, sizeof(back)) != 0)
			abort();
		struct cell_config again;
		config_defaults(&again);
		if (config_field_set(&again, &config_fields[i], back, &e) < 0)
			abort();
		(void)config_validate(&c, NULL, &e);
	}
	return 0;
}
