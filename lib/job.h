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
#include "jobkind.h"

/*
 * Enqueue a job of kind with args (JSON object text, from the kind's
 * builder in jobkind.h), through the SQL function job_enqueue()
 * (sql/026_job_kinds.sql), which gives it the kind's attempt limit.
 * unique_key (may be NULL) makes a second enqueue of the same key a no-op
 * while the first is waiting or running; *id (may be NULL) is then 0.
 * delay_s postpones the first run.
 */
enum db_rc job_enqueue(enum job_kind kind, const char *args,
	    const char *unique_key, int priority, long delay_s, long *id)
	    __attribute__((warn_unused_result));

#endif /* JOB_H */
