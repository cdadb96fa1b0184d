/*
 * job: put work on the PostgreSQL job queue.
 *
 * Call inside the transaction that makes the change needing the work, so
 * the job exists exactly when the change does.  The insert trigger wakes
 * the workers at commit.
 */
#ifndef JOB_H
#define JOB_H

#include "db.h"

/*
 * Enqueue a job of kind with args (JSON object text).  unique_key (may be
 * NULL) makes a second enqueue of the same key a no-op while the first is
 * waiting or running; *id (may be NULL) is then 0.  delay_s postpones
 * the first run; max_attempts 0 means the kind's limit (the worker's kind
 * table, worker/jobs.c, applied when the job is first claimed).
 */
enum db_rc job_enqueue(const char *kind, const char *args,
	    const char *unique_key, int priority, long delay_s,
	    int max_attempts, long *id) __attribute__((warn_unused_result));

#endif /* JOB_H */
