/*
 * stats: see stats.h.
 */
#include <math.h>

#include "stats.h"

/* log(n!) */
static double
lfact(long n)
{
	return lgamma((double)n + 1);
}

double
fisher_exact(long a, long b, long c, long d)
{
	long	 r1 = a + b, r2 = c + d, c1 = a + c, n = a + b + c + d, x, lo,
		 hi;
	double	 base, pobs, p, sum = 0;

	if (a < 0 || b < 0 || c < 0 || d < 0 || n == 0)
		return 1;
	lo = c1 - r2 > 0 ? c1 - r2 : 0;
	hi = r1 < c1 ? r1 : c1;
	base = lfact(r1) + lfact(r2) + lfact(c1) + lfact(n - c1) - lfact(n);
	pobs = exp(base - lfact(a) - lfact(b) - lfact(c) - lfact(d));
	for (x = lo; x <= hi; x++) {
		p = exp(base - lfact(x) - lfact(r1 - x) - lfact(c1 - x) -
		    lfact(r2 - c1 + x));
		/* ties within rounding count as "no more likely" */
		if (p <= pobs * (1 + 1e-7))
			sum += p;
	}
	return sum < 1 ? sum : 1;
}
