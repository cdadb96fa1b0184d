/*
 * job: see job.h.
 */
#include <stdio.h>

#include "db.h"
#include "job.h"

enum db_rc
job_enqueue(const char *kind, const char *args, const char *unique_key,
    int priority, long delay_s, int max_attempts, long *id)
{
	PGresult	*res = NULL;
	char		 prio[16], delay[24], maxa[16];
	enum db_rc	 rc;

	snprintf(prio, sizeof(prio), "%d", priority);
	snprintf(delay, sizeof(delay), "%ld", delay_s);
	snprintf(maxa, sizeof(maxa), "%d", max_attempts);
	rc = db_q(STMT_JOB_ENQUEUE, &res, kind, args, unique_key, prio, delay,
	    max_attempts > 0 ? maxa : NULL);
	if (rc == DB_OK && id != NULL)
		*id = PQntuples(res) > 0 ? db_long(res, 0, 0) : 0;
	PQclear(res);
	return rc;
}
