/*
 * connectifyctl jobs list|retry|discard, and purge.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"

static const char *const job_states[] = {
	"available", "running", "completed", "cancelled", "discarded", NULL
};

/* A job id: digits only, else -1. */
static int
job_id_ok(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789") == strlen(s) &&
	    strlen(s) < 19;
}

static int
jobs_list(int argc, char *argv[])
{
	PGresult	*res = NULL;
	const char	*state = NULL, *kind = NULL, *count = "20";
	char		*end;
	int		 ch, i, ok;

	while ((ch = getopt(argc, argv, "s:k:n:")) != -1) {
		switch (ch) {
		case 's':
			state = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			count = optarg;
			if (strtol(optarg, &end, 10) < 1 || *end != '\0')
				return CTL_USAGE;
			break;
		default:
			return CTL_USAGE;
		}
	}
	for (ok = state == NULL, i = 0; !ok && job_states[i] != NULL; i++)
		ok = strcmp(job_states[i], state) == 0;
	if (!ok || optind != argc) {
		fprintf(stderr, "jobs list: -s is one of available, running, "
		    "completed, cancelled, discarded\n");
		return CTL_USAGE;
	}
	if (ctl_db_open() == -1 ||
	    db_q(STMT_CTL_JOBS_LIST, &res, state, kind, count) != DB_OK)
		return CTL_FAIL;
	printf("%-8s %-16s %-10s %-8s %-20s %s\n", "id", "kind", "state",
	    "attempts", "run at", "last error");
	for (i = 0; i < PQntuples(res); i++)
		printf("%-8s %-16s %-10s %3s/%-4s %-20s %.60s\n",
		    db_text(res, i, "id"), db_text(res, i, "kind"),
		    db_text(res, i, "state"), db_text(res, i, "attempt"),
		    db_text(res, i, "max_attempts"), db_text(res, i, "run_at"),
		    db_text(res, i, "last_error"));
	PQclear(res);
	return CTL_OK;
}

/* retry or discard each id: CTL_FAIL when any could not be. */
static int
jobs_each(int argc, char *argv[], enum stmt st)
{
	PGresult	*res = NULL;
	int		 i, rc = CTL_OK, dbrc;

	if (argc < 2)
		return CTL_USAGE;
	for (i = 1; i < argc; i++)
		if (!job_id_ok(argv[i])) {
			fprintf(stderr, "jobs %s: \"%s\" is not a job id\n",
			    argv[0], argv[i]);
			return CTL_USAGE;
		}
	if (ctl_db_open() == -1)
		return CTL_FAIL;
	for (i = 1; i < argc; i++) {
		dbrc = db_q(st, &res, argv[i]);
		if (dbrc == DB_CONFLICT) {
			fprintf(stderr, "job %s: a job with the same unique "
			    "key is already waiting or running\n", argv[i]);
			rc = CTL_FAIL;
		} else if (dbrc != DB_OK) {
			rc = CTL_FAIL;
		} else if (PQntuples(res) == 0) {
			fprintf(stderr, "job %s: no such job, or it %s\n",
			    argv[i], st == STMT_CTL_JOB_RETRY ? "is running "
			    "or completed" : "already finished");
			rc = CTL_FAIL;
		} else if (st == STMT_CTL_JOB_RETRY)
			printf("job %s (%s) will run again\n", argv[i],
			    db_text(res, 0, "kind"));
		else if (strcmp(db_text(res, 0, "state"), "running") == 0)
			printf("job %s is running: asked to stop\n", argv[i]);
		else
			printf("job %s discarded\n", argv[i]);
		PQclear(res);
		res = NULL;
	}
	return rc;
}

int
cmd_jobs(int argc, char *argv[])
{
	int	 rc = CTL_USAGE;

	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		rc = jobs_list(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "retry") == 0)
		rc = jobs_each(argc - 1, argv + 1, STMT_CTL_JOB_RETRY);
	else if (argc >= 2 && strcmp(argv[1], "discard") == 0)
		rc = jobs_each(argc - 1, argv + 1, STMT_CTL_JOB_DISCARD);
	if (rc == CTL_USAGE)
		ctl_help(argv[0]);
	return rc;
}

int
cmd_purge(int argc, char *argv[])
{
	PGresult	*res = NULL;
	char		 hours[24], dhours[24];
	long		 jobs = 0;
	int		 n;

	if (argc != 1) {
		ctl_help(argv[0]);
		return CTL_USAGE;
	}
	if (ctl_db_open() == -1)
		return CTL_FAIL;
	snprintf(hours, sizeof(hours), "%ld", cfg.job_retention_h);
	snprintf(dhours, sizeof(dhours), "%ld", cfg.job_discarded_retention_h);
	do {
		/* 1000 rows per statement: no long transaction. */
		if (db_q(STMT_JOB_PRUNE, &res, hours, dhours) != DB_OK)
			return CTL_FAIL;
		n = atoi(PQcmdTuples(res));
		jobs += n;
		PQclear(res);
	} while (n == 1000);
	printf("finished jobs deleted: %ld\n", jobs);
	if (db_query(STMT_CTL_PURGE_OTPS, &res, NULL, 0) != DB_OK)
		return CTL_FAIL;
	printf("expired sign-in codes deleted: %s\n", PQcmdTuples(res));
	PQclear(res);
	if (db_query(STMT_CTL_PURGE_REFRESH, &res, NULL, 0) != DB_OK)
		return CTL_FAIL;
	printf("expired refresh tokens deleted: %s\n", PQcmdTuples(res));
	PQclear(res);
	return CTL_OK;
}
