/*
 * The job kinds this worker runs: the handler of each kind of the lib
 * table (lib/jobkind.c, which has every kind's name, attempt limit and run
 * timeout).
 */
#include "extern.h"

static const job_fn job_runs[JOB__MAX] = {
	[JOB_NOOP] = j_noop,
	[JOB_RESUME] = j_resume,
	[JOB_RESCORE] = j_rescore,
	[JOB_MAIL] = j_mail,
	[JOB_EVENT_MAIL] = j_event_mail,
	[JOB_WEBHOOK] = j_webhook,
	[JOB_RETENTION] = j_retention,
	[JOB_ERASE_FILES] = j_erase_files
};

job_fn
job_run_fn(const char *name, enum job_kind *k)
{
	if (job_kind_lookup(name, k) == -1)
		return NULL;
	return job_runs[*k];
}
