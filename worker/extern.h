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
	long			 retry_after;	/* s; 0: computed backoff */
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

/* resume_score.c: a stored resume's text and score (j_resume.c,
 * j_rescore.c). */
struct buf;
struct pdftext_info;
/*
 * Text of a stored resume: JOB_OK; JOB_FAIL with err when no retry can
 * help (no such object, not a PDF, a PDF the parser refused); JOB_RETRY
 * with err when the storage could not be read now (a server away, an I/O
 * or permission error).
 */
enum job_rc resume_text(const char *key, struct buf *text,
	    struct pdftext_info *info, char *err, size_t errsz);
/* How the text was read, into the result: the track shows it too. */
void	resume_extraction(struct json_object *res,
	    const struct pdftext_info *info);
/*
 * Score with the configured scorer (the job j, may be NULL, retries on a
 * model's 429/5xx): the result (caller puts), or NULL with *jrc =
 * JOB_RETRY and err.
 */
struct json_object *resume_score(struct job *j, const char *text,
	    struct scorer_job *ctx, struct json_object *ctxj,
	    enum job_rc *jrc, char *err, size_t errsz);
/*
 * Store a scorer's result on registration reg (in a tx or alone): a
 * resume's first score (rescore 0), or rescore job rescore's, only while
 * the event's scoring digest is still sig (when not NULL); *stale (may be
 * NULL when rescore is 0) is set when it is not.  *score: the result's.
 */
int	resume_store_score(long reg, struct json_object *res, long rescore,
	    const char *sig, int *stale, double *score);

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
