/*
 * connectify-worker: private interfaces.
 */
#ifndef WORKER_EXTERN_H
#define WORKER_EXTERN_H

#include <stddef.h>

#include <json-c/json.h>

#include "jobkind.h"

/* A claimed job.  args is owned by the job (freed by the loop). */
struct job {
	long			 id;
	char			 kind[64];
	struct json_object	*args;
	int			 attempt;
	int			 max_attempts;
	int			 completed;	/* set by job_complete_tx() */
	long			 retry_after;	/* seconds, 0: computed backoff */
};

enum job_rc {
	JOB_OK = 0,	/* done; the loop completes it if the handler did not */
	JOB_RETRY,	/* transient failure: try again with backoff */
	JOB_FAIL	/* permanent failure: discard, keep the error */
};

typedef enum job_rc (*job_fn)(struct job *, char *err, size_t errsz);

/* jobs.c: the handler of the kind named name (*k its kind), or NULL when
 * the name is no kind of lib/jobkind.c's table. */
job_fn	job_run_fn(const char *name, enum job_kind *k);

/* queue.c: this process's identity and the fenced completion. */
extern char	 worker_id[64];
/*
 * Mark j completed inside the caller's open transaction (with the
 * results).  0, or -1 when the lease was lost: the caller rolls back.
 */
int	job_complete_tx(struct job *) __attribute__((warn_unused_result));
/*
 * Renew the leases of every job in hand when a third of a lease has gone
 * by since the last renewal; cheap to call often (between steps, and from
 * libcurl's progress callback).  Not inside a transaction.  0, or -1 when
 * the running job's lease was lost: stop it, its result would be refused.
 */
int	job_heartbeat(void);

/* context.c: what a scorer needs to know about the job. */
struct scorer_job;
/* The event's title, description, skills, experience (and its HR's
 * username as "hr_username") as JSON, or NULL.  Caller puts it. */
struct json_object *job_context_load(long event_id);
/* Point job at o's strings (o must outlive it); 0 or -1. */
int	job_context_from_json(struct json_object *, struct scorer_job *);
void	job_context_free(struct scorer_job *);

/* Job handlers, one file per kind. */
enum job_rc j_noop(struct job *, char *, size_t);
enum job_rc j_resume(struct job *, char *, size_t);
enum job_rc j_rescore(struct job *, char *, size_t);
enum job_rc j_mail(struct job *, char *, size_t);
enum job_rc j_event_mail(struct job *, char *, size_t);
enum job_rc j_webhook(struct job *, char *, size_t);
enum job_rc j_retention(struct job *, char *, size_t);
enum job_rc j_erase_files(struct job *, char *, size_t);

/* mail.c: the welcome mail of a new registration, through the outbox, in
 * the caller's transaction.  DB_OK or the error. */
int	mail_candidate_enqueue(long registration_id);

#endif /* WORKER_EXTERN_H */
