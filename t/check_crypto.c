/*
 * Hashes, HMACs and encodings against published known answers.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "buf.h"
#include "crypto.h"

START_TEST(test_sha256)
{
	char	 hex[SHA256_HEX_LEN];

	sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(test_hmac)
{
	unsigned char	 mac[SHA256_LEN], mac1[SHA1_LEN];
	char		 hex[SHA256_HEX_LEN];

	/* RFC 4231 test case 2 */
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex_encode(mac, sizeof(mac), hex);
	ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	/* RFC 2202 test case 2 */
	hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, mac1);
	hex_encode(mac1, sizeof(mac1), hex);
	ck_assert_str_eq(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}
END_TEST

START_TEST(test_base64)
{
	unsigned char	*d;
	char		*e;
	size_t		 n;

	e = base64_encode("foobar", 6);
	ck_assert_str_eq(e, "Zm9vYmFy");
	free(e);
	e = base64_encode("fo", 2);
	ck_assert_str_eq(e, "Zm8=");
	free(e);
	e = base64url_encode("\xfb\xff", 2);
	ck_assert_str_eq(e, "-_8");
	free(e);
	d = base64_decode("Zm9v\nYmFy", 9, &n, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 6);
	ck_assert(memcmp(d, "foobar", 6) == 0);
	free(d);
	d = base64_decode("Zm8=", 4, &n, 0);
	ck_assert_uint_eq(n, 2);
	free(d);
	ck_assert_ptr_null(base64_decode("Zm9v!", 5, &n, 0));
	ck_assert_ptr_null(base64_decode("Zm=9v", 5, &n, 0));
	ck_assert_ptr_null(base64_decode("Zm9vYmFy", 8, &n, 5)); /* cap */
	ck_assert_int_eq(crypto_equal("abc", "abc", 3), 1);
	ck_assert_int_eq(crypto_equal("abc", "abd", 3), 0);
}
END_TEST

START_TEST(test_buf)
{
	struct buf	 b = { 0 };
	char		*s;

	ck_assert_str_eq(buf_str(&b), "");
	buf_puts(&b, "a");
	buf_printf(&b, "%d-%s", 42, "x");
	ck_assert_str_eq(buf_str(&b), "a42-x");
	ck_assert_uint_eq(b.len, 5);
	s = buf_take(&b);
	ck_assert_str_eq(s, "a42-x");
	ck_assert_uint_eq(b.len, 0);
	free(s);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("crypto");
	TCase	*tc = tcase_create("crypto");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_sha256);
	tcase_add_test(tc, test_hmac);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_buf);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
