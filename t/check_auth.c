/*
 * JWT issue/verify, including the attacks libjwt 1.10 lets through by
 * itself, and OTP generation and hashing.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jwt.h>

#include "auth.h"
#include "crypto.h"

#define KEY	"0123456789abcdef0123456789abcdef-test-key"
#define NOW	1800000000L

static char *
issue(const char *type, long now, long ttl)
{
	struct claims	 c;

	memset(&c, 0, sizeof(c));
	c.user_id = 42;
	strcpy(c.username, "alice");
	strcpy(c.user_type, "Hr");
	strcpy(c.token_type, type);
	c.tv = 7;
	return auth_issue(&c, KEY, ttl, now);
}

START_TEST(test_roundtrip)
{
	struct claims	 c;
	const char	*why;
	char		*t;

	t = issue("access", NOW, 900);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW + 10, &c, &why), 0);
	ck_assert_int_eq(c.user_id, 42);
	ck_assert_str_eq(c.username, "alice");
	ck_assert_str_eq(c.user_type, "Hr");
	ck_assert_str_eq(c.token_type, "access");
	ck_assert_int_eq(c.exp, NOW + 900);
	ck_assert_int_eq(c.tv, 7);	/* the account's token version */
	ck_assert_int_eq(strlen(c.jti), 36);
	free(t);
}
END_TEST

START_TEST(test_wrong_key)
{
	struct claims	 c;
	const char	*why;
	char		*t;

	t = issue("access", NOW, 900);
	ck_assert_int_eq(auth_verify(t, "another-key-another-key-another-key",
	    "access", NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify(t, "", "access", NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify(t, NULL, "access", NOW, &c, &why), -1);
	free(t);
}
END_TEST

START_TEST(test_tampered_signature)
{
	struct claims	 c;
	const char	*why;
	char		*t, *dot;

	t = issue("access", NOW, 900);
	dot = strrchr(t, '.');
	dot[3] = dot[3] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), -1);
	free(t);
}
END_TEST

START_TEST(test_tampered_payload)
{
	struct claims	 c;
	const char	*why;
	char		*t, *p, *hdr, *sig, tok[2048];

	/* Same signature, payload claiming another user. */
	t = issue("access", NOW, 900);
	hdr = strndup(t, (size_t)(strchr(t, '.') - t));
	sig = strrchr(t, '.');
	p = base64url_encode("{\"exp\":1900000000,\"jti\":\"x\",\"token_type\":"
	    "\"access\",\"user_id\":1,\"user_type\":\"Hr\","
	    "\"username\":\"root\"}",
	    112);
	snprintf(tok, sizeof(tok), "%s.%s%s", hdr, p, sig);
	ck_assert_int_eq(auth_verify(tok, KEY, "access", NOW, &c, &why), -1);
	free(p);
	free(hdr);
	free(t);
}
END_TEST

START_TEST(test_alg_none)
{
	struct claims	 c;
	const char	*why;
	char		*h, *p, tok[2048];
	const char	*payload = "{\"exp\":1900000000,\"iat\":1800000000,"
	    "\"jti\":\"00000000-0000-0000-0000-000000000000\",\"token_type\":"
	    "\"access\",\"user_id\":1,\"user_type\":\"Hr\","
	    "\"username\":\"eve\"}";

	h = base64url_encode("{\"alg\":\"none\",\"typ\":\"JWT\"}", 27);
	p = base64url_encode(payload, strlen(payload));
	snprintf(tok, sizeof(tok), "%s.%s.", h, p);
	ck_assert_int_eq(auth_verify(tok, KEY, "access", NOW, &c, &why), -1);
	snprintf(tok, sizeof(tok), "%s.%s", h, p);
	ck_assert_int_eq(auth_verify(tok, KEY, "access", NOW, &c, &why), -1);
	free(h);
	free(p);
}
END_TEST

START_TEST(test_other_alg)
{
	struct claims	 c;
	const char	*why;
	jwt_t		*j;
	char		*t;

	/* Correct key, but HS512: only HS256 is accepted. */
	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant_int(j, "user_id", 1);
	jwt_add_grant(j, "username", "eve");
	jwt_add_grant(j, "user_type", "Hr");
	jwt_add_grant(j, "token_type", "access");
	jwt_add_grant(j, "jti", "00000000-0000-0000-0000-000000000000");
	jwt_add_grant_int(j, "exp", NOW + 900);
	jwt_set_alg(j, JWT_ALG_HS512, (const unsigned char *)KEY, strlen(KEY));
	t = jwt_encode_str(j);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), -1);
	/* Rejected by shape (an HS512 MAC is 64 bytes) before the alg check. */
	ck_assert_str_eq(why, "malformed token");
	free(t);
	jwt_free(j);
}
END_TEST

START_TEST(test_expired)
{
	struct claims	 c;
	const char	*why;
	char		*t;

	t = issue("access", NOW - 3600, 900);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), -1);
	ck_assert_str_eq(why, "token expired");
	/* Within the 30 s leeway it still works. */
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW - 3600 + 920, &c,
	    &why), 0);
	free(t);
}
END_TEST

/* exp near LONG_MAX: no overflow adding the leeway (found by
 * t/fuzz/fuzz_jwt under UBSan); a far expiry is valid. */
START_TEST(test_far_expiry)
{
	struct claims	 c;
	const char	*why;
	char		*t;

	t = issue("access", LONG_MAX - 900, 900);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), 0);
	ck_assert(c.exp == LONG_MAX);
	free(t);
}
END_TEST

START_TEST(test_no_exp)
{
	struct claims	 c;
	const char	*why;
	jwt_t		*j;
	char		*t;

	ck_assert_int_eq(jwt_new(&j), 0);
	jwt_add_grant_int(j, "user_id", 1);
	jwt_add_grant(j, "username", "eve");
	jwt_add_grant(j, "user_type", "Hr");
	jwt_add_grant(j, "token_type", "access");
	jwt_add_grant(j, "jti", "00000000-0000-0000-0000-000000000000");
	jwt_set_alg(j, JWT_ALG_HS256, (const unsigned char *)KEY, strlen(KEY));
	t = jwt_encode_str(j);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), -1);
	ck_assert_str_eq(why, "token has no expiry");
	free(t);
	jwt_free(j);
}
END_TEST

START_TEST(test_type_confusion)
{
	struct claims	 c;
	const char	*why;
	char		*t;

	t = issue("refresh", NOW, 900);
	ck_assert_int_eq(auth_verify(t, KEY, "access", NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify(t, KEY, "refresh", NOW, &c, &why), 0);
	free(t);
	t = issue("access", NOW, 900);
	ck_assert_int_eq(auth_verify(t, KEY, "refresh", NOW, &c, &why), -1);
	free(t);
}
END_TEST

START_TEST(test_garbage)
{
	struct claims	 c;
	const char	*why;

	ck_assert_int_eq(auth_verify("", KEY, NULL, NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify("a.b.c", KEY, NULL, NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify("....", KEY, NULL, NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify(NULL, KEY, NULL, NOW, &c, &why), -1);
	/* Shapes that make libjwt 1.10's base64 decoder overrun. */
	ck_assert_int_eq(auth_verify("eyJhbGciOiJIUzI1NiJ9..x", KEY, NULL, NOW,
	    &c, &why), -1);
	ck_assert_int_eq(auth_verify("eyJhbGciOiJIUzI1NiJ9.e.abc", KEY, NULL,
	    NOW, &c, &why), -1);
	ck_assert_int_eq(auth_verify("a=b.c.d", KEY, NULL, NOW, &c, &why), -1);
}
END_TEST

START_TEST(test_otp)
{
	char	 code[7], h1[65], h2[65];
	int	 i, seen[10] = { 0 }, distinct = 0;

	for (i = 0; i < 2000; i++) {
		ck_assert_int_eq(auth_otp_new(code), 0);
		ck_assert_int_eq(strlen(code), 6);
		ck_assert(strspn(code, "0123456789") == 6);
		seen[code[0] - '0'] = 1;
	}
	for (i = 0; i < 10; i++)
		distinct += seen[i];
	ck_assert_int_eq(distinct, 10);

	auth_otp_hash(KEY, "+919876543210", "123456", h1);
	auth_otp_hash(KEY, "+919876543210", "123456", h2);
	ck_assert_str_eq(h1, h2);
	ck_assert_int_eq(strlen(h1), 64);
	ck_assert_int_eq(auth_otp_check(KEY, "+919876543210", "123456", h1), 1);
	ck_assert_int_eq(auth_otp_check(KEY, "+919876543210", "123457", h1), 0);
	ck_assert_int_eq(auth_otp_check(KEY, "+919876543211", "123456", h1), 0);
	ck_assert_int_eq(auth_otp_check("other-key", "+919876543210", "123456",
	    h1), 0);
	ck_assert_int_eq(auth_otp_check(KEY, "+919876543210", "123456", "ab"),
	    0);
	/* The stored value is not the code. */
	ck_assert(strstr(h1, "123456") == NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc = tcase_create("jwt");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_wrong_key);
	tcase_add_test(tc, test_tampered_signature);
	tcase_add_test(tc, test_tampered_payload);
	tcase_add_test(tc, test_alg_none);
	tcase_add_test(tc, test_other_alg);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_far_expiry);
	tcase_add_test(tc, test_no_exp);
	tcase_add_test(tc, test_type_confusion);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_otp);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
