/* wg_key: base64 as `wg` prints keys (strict: length, padding, alphabet,
 * stray bits), hex for the UAPI, and the public key of a private key
 * checked against a pair `wg pubkey` agrees with. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/cleanup.h"
#include "vpn/wg_key.h"
#include "common/banned.h"

#define DOC_PRIVATE "EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtqUU="
#define DOC_PUBLIC "MhBzmIBrzw8b8iF2FH4ejh/7Vumn6Q/KoR0H5+o7mlY="
#define DOC_PRIVATE_HEX "10786da17557a675f3df5731f27ac0c507ef691a9ed6f7f7e371954b212da945"

static void test_keys(void **state)
{
	uint8_t priv[WG_KEY_LEN], pub[WG_KEY_LEN], back[WG_KEY_LEN];
	char b64[WG_KEY_B64_LEN + 1], hex[WG_KEY_HEX_LEN + 1];
	assert_int_equal(wg_key_from_base64(DOC_PRIVATE, priv), 0);
	wg_key_to_hex(priv, hex);
	assert_string_equal(hex, DOC_PRIVATE_HEX);
	wg_key_public(priv, pub); /* `wg pubkey` gives DOC_PUBLIC */
	wg_key_to_base64(pub, b64);
	assert_string_equal(b64, DOC_PUBLIC);
	assert_int_equal(wg_key_from_hex(hex, strlen(hex), back), 0);
	assert_memory_equal(back, priv, WG_KEY_LEN);
	wg_key_to_base64(back, b64);
	assert_string_equal(b64, DOC_PRIVATE);

	static const char *const bad[] = {
		"",
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtqUU",   /* no padding */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtqUU==", /* 45 */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtqUV=",  /* stray low bits */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtq U=",  /* a space */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtq-U=",  /* base64url digit */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtq==",   /* 31 bytes, 43 chars */
		"EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEt====",  /* 44 chars, 30 bytes */
		" EHhtoXVXpnXz31cx8nrAxQfvaRqe1vf343GVSyEtqUU=",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(back, 0xee, sizeof(back));
		assert_int_equal(wg_key_from_base64(bad[i], back), -EINVAL);
		assert_int_equal(back[0], 0xee); /* untouched */
	}
	assert_int_equal(wg_key_from_hex(DOC_PRIVATE_HEX, 62, back), -EINVAL);
	assert_int_equal(wg_key_from_hex("zz786da17557a675f3df5731f27ac0c507ef691a9ed6f7f7e371954b212da945", 64, back),
			 -EINVAL);
	uint8_t zero[WG_KEY_LEN] = { 0 };
	assert_true(wg_key_is_zero(zero));
	assert_false(wg_key_is_zero(priv));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
