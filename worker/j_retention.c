/*
 * Consent and retention.
 *
 * retention {}: erase the candidates due (sql/022_rights.sql,
 * retention_due_users: no consent CONSENT_DAYS after a bulk upload, or
 * every event closed RETENTION_DAYS ago) and purge the resumes of the
 * registrations of events closed that long (retention_due_registrations),
 * each in its own transaction with an erase_files job for what storage
 * holds.  Every worker process queues one every RETENTION_INTERVAL_S
 * (worker/queue.c), unless one waits, runs or was queued within the
 * interval; each step is idempotent, so an extra run does no harm.
 *
 * erase_files {"keys": [...]}: delete each stored object no row names any
 * more (keys are content addresses: another registration may hold the
 * same bytes), under the key's lock as fcgi/uploads.c does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "job.h"
#include "log.h"
#include "storage.h"

/* Queue the deletion of the keys (a JSON array) in the open transaction. */
static int
files_enqueue(const char *keys)
{
	char	*a;
	int	 rc;

	if (strcmp(keys, "[]") == 0)
		return DB_OK;
	a = job_erase_files_args(keys);
	rc = job_enqueue(JOB_ERASE_FILES, a, NULL, 0, 0, NULL);
	free(a);
	return rc;
}

/* Run st (ERASE_USER or PURGE_REGISTRATION) for id and queue its files,
 * in one transaction: 0 or -1. */
static int
retention_one(enum stmt st, const char *id)
{
	PGresult	*res = NULL;

	if (db_begin() != DB_OK)
		return -1;
	if (db_q(st, &res, id) != DB_OK ||
	    files_enqueue(db_text(res, 0, "keys")) != DB_OK) {
		PQclear(res);
		db_rollback();
		return -1;
	}
	PQclear(res);
	return db_commit() == DB_OK ? 0 : -1;
}

/* Every id st returns, through retention_one(each): the count, or -1. */
static long
retention_pass(enum stmt list, enum stmt each, const char *a,
    const char *b)
{
	PGresult	*res = NULL;
	long		 n = 0;
	int		 i, rc;

	rc = b != NULL ? db_q(list, &res, a, b) : db_q(list, &res, a);
	if (rc != DB_OK)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		if (retention_one(each, db_text(res, i, "id")) == -1) {
			PQclear(res);
			return -1;
		}
		n++;
		(void)job_heartbeat();
	}
	PQclear(res);
	return n;
}

enum job_rc
j_retention(struct job *j, char *err, size_t errsz)
{
	(void)j;
	char	 cd[24], rd[24];
	long	 users, regs;

	snprintf(cd, sizeof(cd), "%ld", cfg.consent_days);
	snprintf(rd, sizeof(rd), "%ld", cfg.retention_days);
	if ((users = retention_pass(STMT_RETENTION_USERS, STMT_ERASE_USER, cd,
	    rd)) == -1 || (regs = retention_pass(STMT_RETENTION_REGS,
	    STMT_PURGE_REGISTRATION, rd, NULL)) == -1) {
		snprintf(err, errsz, "database error");
		return JOB_RETRY;
	}
	if (users > 0 || regs > 0)
		log_info("retention: %ld people erased, %ld registrations' "
		    "resumes purged", users, regs);
	return JOB_OK;
}

/* Delete key unless a row names it: 0 (deleted or kept), -1 to retry. */
static int
erase_file(const char *key, char *err, size_t errsz)
{
	PGresult	*res = NULL;
	int		 rc = -1;

	if (!storage_key_valid(key))
		return 0;
	if (db_begin() != DB_OK)
		return -1;
	if (db_q(STMT_STORAGE_KEY_CLAIM, &res, key) != DB_OK)
		goto out;
	if (!db_bool(res, 0, "claimed")) {
		snprintf(err, errsz, "an upload of %s is under way", key);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (db_q(STMT_STORAGE_KEY_USED, &res, key) != DB_OK)
		goto out;
	if (db_bool(res, 0, "used") ||
	    storage_delete(storage_default(), key, err, errsz) == 0)
		rc = 0;
out:
	PQclear(res);
	db_rollback();
	return rc;
}

enum job_rc
j_erase_files(struct job *j, char *err, size_t errsz)
{
	struct json_object	*a;
	size_t			 i, n;

	if (!json_object_object_get_ex(j->args, "keys", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		snprintf(err, errsz, "args need keys");
		return JOB_FAIL;
	}
	if (storage_default() == NULL) {
		snprintf(err, errsz, "storage is not configured");
		return JOB_RETRY;
	}
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		if (erase_file(json_object_get_string(
		    json_object_array_get_idx(a, i)), err, errsz) == -1)
			return JOB_RETRY;
	return JOB_OK;
}
