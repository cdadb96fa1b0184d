/*
 * job: see job.h.
 */
#include <stdio.h>

#include "db.h"
#include "job.h"

enum db_rc
job_enqueue(enum job_kind kind, const char *args, const char *unique_key,
    int priority, long delay_s, long *id)
{
	PGresult	*res = NULL;
	char		 prio[16], delay[24];
	enum db_rc	 rc;

	snprintf(prio, sizeof(prio), "%d", priority);
	snprintf(delay, sizeof(delay), "%ld", delay_s);
	rc = db_q(STMT_JOB_ENQUEUE, &res, job_kind_name(kind), args,
	    unique_key, prio, delay);
	if (rc == DB_OK && id != NULL)
		*id = db_num(res, 0, "id");
	PQclear(res);
	return rc;
}
