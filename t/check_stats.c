/*
 * The adverse-impact report's statistics: Fisher's exact test against
 * values computed exactly (R's fisher.test and SciPy agree with them).
 */
#include <math.h>
#include <stdlib.h>

#include <check.h>

#include "stats.h"

static void
near(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1, want) ||
	    fabs(got - want) / want < 1e-6, "got %.12g, want %.12g", got,
	    want);
}

START_TEST(test_fisher_known)
{
	near(fisher_exact(3, 1, 1, 3), 0.4857142857142857);	/* the tea */
	near(fisher_exact(8, 2, 1, 5), 0.03496503496503497);
	near(fisher_exact(10, 40, 30, 20), 8.308658706239152e-05);
	near(fisher_exact(2, 8, 9, 1), 0.005477494641581329);
	near(fisher_exact(0, 5, 5, 0), 0.007936507936507936);
	near(fisher_exact(120, 380, 200, 300), 7.632748578252533e-08);
	near(fisher_exact(5, 5, 5, 5), 1);
}
END_TEST

START_TEST(test_fisher_edges)
{
	near(fisher_exact(0, 0, 0, 0), 1);
	near(fisher_exact(4, 0, 0, 0), 1);
	/* the same table either way round */
	near(fisher_exact(1, 5, 8, 2), fisher_exact(8, 2, 1, 5));
	near(fisher_exact(2, 8, 9, 1), fisher_exact(9, 1, 2, 8));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("stats");
	TCase	*tc = tcase_create("stats");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_fisher_known);
	tcase_add_test(tc, test_fisher_edges);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
