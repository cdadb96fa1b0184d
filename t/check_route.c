/*
 * The route table: lookups, 404 versus 405, and the table's own rules
 * (unique method+path, paths without trailing slash, auth on every
 * non-public route).
 */
#include <string.h>

#include <check.h>

#include "extern.h"

START_TEST(test_find)
{
	const struct route	*rt;
	int			 known;

	rt = route_find("POST", "/bulk_hiring/user_data/v1/signup", &known);
	ck_assert_ptr_nonnull(rt);
	ck_assert_str_eq(rt->name, "signup");
	rt = route_find("GET", "/bulk_hiring/user_data/v1/signup", &known);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(known, 1);		/* 405 */
	rt = route_find("GET", "/bulk_hiring/user_data/v1/nope", &known);
	ck_assert_ptr_null(rt);
	ck_assert_int_eq(known, 0);		/* 404 */
	rt = route_find("PATCH", "/bulk_hiring/user_data/v1/fetch-user",
	    &known);
	ck_assert_ptr_nonnull(rt);
	ck_assert(rt->flags & R_HR);
}
END_TEST

START_TEST(test_table)
{
	static const char *const public[] = { "healthz", "metrics", "signup",
	    "send_otp", "verify_otp", "token_refresh", "logout", "ws_auth",
	    "files", "status", "consent", NULL };
	size_t	 i, j;
	int	 pub;

	ck_assert_uint_gt(nroutes, 10);
	for (i = 0; i < nroutes; i++) {
		size_t len = strlen(routes[i].path);

		ck_assert_msg(len == 1 || routes[i].path[len - 1] != '/',
		    "%s ends with /", routes[i].path);
		for (j = i + 1; j < nroutes; j++)
			ck_assert_msg(strcmp(routes[i].path, routes[j].path) ||
			    strcmp(routes[i].method, routes[j].method),
			    "duplicate %s %s", routes[i].method,
			    routes[i].path);
		for (pub = 0, j = 0; public[j] != NULL; j++)
			if (strcmp(public[j], routes[i].name) == 0)
				pub = 1;
		ck_assert_msg(pub || (routes[i].flags & R_AUTH),
		    "%s is not public but needs no token", routes[i].name);
		ck_assert_msg(!(routes[i].flags & (R_HR | R_STAFF)) ||
		    (routes[i].flags & R_AUTH), "%s checks a role without "
		    "a token", routes[i].name);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("route");
	TCase	*tc = tcase_create("route");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
