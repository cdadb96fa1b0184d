/*
 * stats: the statistics of the adverse-impact report.
 */
#ifndef STATS_H
#define STATS_H

/*
 * Fisher's exact test of the 2x2 table [[a, b], [c, d]], two-sided: the
 * probability, with the margins fixed, of a table no more likely than
 * this one (R's fisher.test, SciPy's fisher_exact).  1 for an empty table.
 */
double	fisher_exact(long a, long b, long c, long d);

#endif /* STATS_H */
