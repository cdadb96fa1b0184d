/*
 * Validators and JSON field getters.
 */
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "valid.h"

START_TEST(test_phone)
{
	char	 out[20];

	ck_assert_int_eq(valid_phone("+91 98765-43210", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "+919876543210");
	ck_assert_int_eq(valid_phone("(020) 1234 5678", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "02012345678");
	ck_assert_int_eq(valid_phone("123456789", out, sizeof(out)), 0);
	ck_assert_int_eq(valid_phone("1234567890123456", out, sizeof(out)), 0);
	ck_assert_int_eq(valid_phone("98765x43210", out, sizeof(out)), 0);
	ck_assert_int_eq(valid_phone("++9876543210", out, sizeof(out)), 0);
	ck_assert_int_eq(valid_phone("9876543210", out, 10), 0);
}
END_TEST

START_TEST(test_email)
{
	ck_assert_int_eq(valid_email("a@b.co"), 1);
	ck_assert_int_eq(valid_email("first.last+tag@mail.example.com"), 1);
	ck_assert_int_eq(valid_email("no-at.example.com"), 0);
	ck_assert_int_eq(valid_email("two@@example.com"), 0);
	ck_assert_int_eq(valid_email("@example.com"), 0);
	ck_assert_int_eq(valid_email("a@nodot"), 0);
	ck_assert_int_eq(valid_email("a@b..com"), 0);
	ck_assert_int_eq(valid_email("a b@example.com"), 0);
	ck_assert_int_eq(valid_email("a@example.com\r\nBcc: x@y.z"), 0);
}
END_TEST

START_TEST(test_text)
{
	ck_assert_int_eq(valid_text("Ana Lucía", 1, 100, 0), 1);
	ck_assert_int_eq(valid_text("", 1, 100, 0), 0);
	ck_assert_int_eq(valid_text("abc", 1, 2, 0), 0);
	ck_assert_int_eq(valid_text("line\nline", 1, 100, 0), 0);
	ck_assert_int_eq(valid_text("line\nline", 1, 100, 1), 1);
	ck_assert_int_eq(valid_text("bad \x01", 1, 100, 1), 0);
	ck_assert_int_eq(valid_text("\xc3\x28", 1, 100, 0), 0);	/* bad UTF-8 */
	ck_assert_int_eq(valid_text("\xc0\xaf", 1, 100, 0), 0);	/* overlong */
	/* a surrogate */
	ck_assert_int_eq(valid_text("\xed\xa0\x80", 1, 100, 0), 0);
}
END_TEST

START_TEST(test_misc)
{
	long	 v;

	ck_assert_int_eq(valid_username("alice_01"), 1);
	ck_assert_int_eq(valid_username("al"), 0);
	ck_assert_int_eq(valid_username("al/ice"), 0);
	ck_assert_int_eq(valid_long("42", 1, 100, &v), 1);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(valid_long("0", 1, 100, &v), 0);
	ck_assert_int_eq(valid_long("4x", 1, 100, &v), 0);
	ck_assert_int_eq(valid_long(" 4", 1, 100, &v), 0);
	ck_assert_int_eq(valid_long("99999999999999999999", 1, 100, &v), 0);
	ck_assert_int_eq(valid_date("2026-02-28"), 1);
	ck_assert_int_eq(valid_date("2028-02-29"), 1);
	ck_assert_int_eq(valid_date("2026-02-29"), 0);
	ck_assert_int_eq(valid_date("2026-13-01"), 0);
	ck_assert_int_eq(valid_date("2026-1-01"), 0);
	/* sscanf's %d alone takes these (found by t/fuzz/fuzz_valid) */
	ck_assert_int_eq(valid_date("2024- 1-29"), 0);
	ck_assert_int_eq(valid_date("2024-+1-29"), 0);
	ck_assert_int_eq(valid_date(" 999-01-01"), 0);
	ck_assert_int_eq(valid_date("2024-01--1"), 0);
	ck_assert_str_eq(valid_user_type("hr"), "Hr");
	ck_assert_str_eq(valid_user_type("INTERVIEWEE"), "Interviewee");
	ck_assert_ptr_null(valid_user_type("admin"));
}
END_TEST

START_TEST(test_jv)
{
	struct json_object	*o, *errs;
	long			 n = 0;
	int			 b = 0;

	o = json_tokener_parse("{\"name\":\"Ana\",\"age\":\"31\",\"n\":5,"
	    "\"bad\":7,\"flag\":true,\"list\":[1,2,3],\"nul\":null,"
	    "\"empty\":\"\"}");
	errs = json_object_new_object();
	ck_assert_str_eq(jv_str(o, "name", 1, 1, 10, errs), "Ana");
	ck_assert_ptr_null(jv_str(o, "missing", 0, 1, 10, errs));
	ck_assert_int_eq(json_object_object_length(errs), 0);
	ck_assert_ptr_null(jv_str(o, "missing", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "bad", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "nul", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "empty", 1, 1, 10, errs));
	ck_assert_int_eq(json_object_object_length(errs), 4);
	ck_assert_str_eq(json_object_get_string(
	    json_object_object_get(errs, "missing")), "is required");
	ck_assert_int_eq(jv_long(o, "n", 1, 1, 10, &n, errs), 1);
	ck_assert_int_eq(n, 5);
	/* strict types: a string of digits is not an integer */
	ck_assert_int_eq(jv_long(o, "age", 1, 1, 100, &n, errs), -1);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(jv_long(o, "n", 1, 6, 10, &n, errs), -1);
	ck_assert_int_eq(jv_long(o, "absent", 0, 6, 10, &n, errs), 0);
	ck_assert_int_eq(jv_bool(o, "flag", 1, &b, errs), 1);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(jv_bool(o, "name", 1, &b, errs), -1);
	ck_assert_ptr_nonnull(jv_array(o, "list", 1, 3, errs));
	ck_assert_ptr_null(jv_array(o, "list", 1, 2, errs));
	json_object_put(errs);
	json_object_put(o);
}
END_TEST

START_TEST(test_jv_control)
{
	struct json_object	*o, *errs;

	o = json_tokener_parse("{\"nul\":\"ab\\u0000cd\",\"lf\":\"a\\nb\","
	    "\"cr\":\"a\\rb\",\"tab\":\"a\\tb\",\"bell\":\"a\\u0007b\","
	    "\"ok\":\"plain \\u00e9\"}");
	ck_assert_ptr_nonnull(o);
	errs = json_object_new_object();
	ck_assert_ptr_null(jv_str(o, "nul", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_text(o, "nul", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "lf", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "cr", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "tab", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_str(o, "bell", 1, 1, 10, errs));
	ck_assert_ptr_null(jv_text(o, "bell", 1, 1, 10, errs));
	ck_assert_int_eq(json_object_object_length(errs), 5);
	json_object_put(errs);
	errs = json_object_new_object();
	ck_assert_str_eq(jv_text(o, "lf", 1, 1, 10, errs), "a\nb");
	ck_assert_str_eq(jv_text(o, "cr", 1, 1, 10, errs), "a\rb");
	ck_assert_str_eq(jv_text(o, "tab", 1, 1, 10, errs), "a\tb");
	ck_assert_ptr_nonnull(jv_str(o, "ok", 1, 1, 10, errs));
	ck_assert_int_eq(json_object_object_length(errs), 0);
	json_object_put(errs);
	json_object_put(o);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("valid");
	TCase	*tc = tcase_create("valid");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_phone);
	tcase_add_test(tc, test_email);
	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_jv_control);
	tcase_add_test(tc, test_misc);
	tcase_add_test(tc, test_jv);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
