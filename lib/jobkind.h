/*
 * jobkind: the one table of job kinds, shared by every enqueuer (the
 * FastCGI pool, the worker) and the worker that runs them.
 *
 * Each kind has its name (jobs.kind), the attempts before a failing job
 * is discarded, and the seconds one run may take.  sql/026_job_kinds.sql
 * holds the same rows in the job_kinds table, which the SQL function
 * job_enqueue() reads; t/check_jobkind.c fails when the two disagree.
 * The payload builders below are the only spelling of each kind's args.
 */
#ifndef JOBKIND_H
#define JOBKIND_H

#include <stddef.h>

enum job_kind {
	JOB_NOOP,		/* does nothing: queue benchmarks and tests */
	JOB_RESUME,		/* a stored resume scored */
	JOB_RESCORE,		/* every registration of an event scored */
	JOB_MAIL,		/* one outbox message sent */
	JOB_EVENT_MAIL,		/* an event's mails fanned out */
	JOB_WEBHOOK,		/* one signed webhook delivery */
	JOB_RETENTION,		/* the consent and retention sweep */
	JOB_ERASE_FILES,	/* stored resumes of erased people deleted */
	JOB__MAX
};

struct job_kind_info {
	const char	*name;
	int		 max_attempts;
	int		 timeout_s;	/* a longer run is abandoned */
	const char	*help;
};

extern const struct job_kind_info	job_kind_table[JOB__MAX];

/* The kind's row (k < JOB__MAX). */
const struct job_kind_info *job_kind_info(enum job_kind k);
const char *job_kind_name(enum job_kind k);
/* The kind named name: 0 and *k, or -1 when no kind has that name. */
int	job_kind_lookup(const char *name, enum job_kind *k);

/*
 * Payload builders: the args of one job as JSON object text in b (of
 * size sz: JOB_ARGS_MAX holds any), returned for job_enqueue()'s args.
 */
#define JOB_ARGS_MAX	64
const char *job_resume_args(char *b, size_t sz, long track_id);
const char *job_webhook_args(char *b, size_t sz, long delivery_id);
/* keys: a JSON array of storage keys (text).  The caller frees. */
char	*job_erase_files_args(const char *keys);

#endif /* JOBKIND_H */
