/*
 * The job kinds this worker runs: one row per kind.
 */
#include <string.h>

#include "extern.h"

const struct job_kind job_kinds[] = {
	/* does nothing: queue benchmarks and tests */
	{ "noop", j_noop, 10, 3, "no-op" },
	{ NULL, NULL, 0, 0, NULL }
};

const struct job_kind *
job_kind_find(const char *kind)
{
	const struct job_kind	*k;

	for (k = job_kinds; k->kind != NULL; k++)
		if (strcmp(k->kind, kind) == 0)
			return k;
	return NULL;
}
