/*
 * db: see db.h.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"

struct stmt_row {
	const char	*name;
	const char	*sql;
};

static const struct stmt_row stmts[STMT__MAX] = {
#define STMT(id, sql) { #id, sql },
#include "sql/all.def"
#undef STMT
};

static PGconn	*db;
static char	*db_info;
static char	 db_state[6];
static char	 db_channel[64];	/* LISTEN at connect, or "" */
static int	 db_fresh;		/* connected since the last db_sync */
static long	 db_actor_want;		/* connectify.actor for what follows */
static long	 db_actor_have = -1;	/* its value on the connection */

static const char *db_why;		/* db_down_reason() */

static enum db_rc db_classify(const PGresult *);

/* A failed connection's message, to the code /healthz shows. */
static const struct {
	const char	*text;		/* in PQerrorMessage() */
	const char	*why;
} db_reasons[] = {
	{ "too many clients", "too_many_connections" },
	{ "connection slots are reserved", "too_many_connections" },
	{ "sorry, too many", "too_many_connections" },
	{ "Connection refused", "unreachable" },
	{ "No such file or directory", "unreachable" },
	{ "timeout expired", "unreachable" },
	{ "could not translate host", "unreachable" },
	{ "authentication failed", "authentication_failed" },
	{ "the database system is starting up", "starting" },
	{ "the database system is shutting down", "shutting_down" },
	{ "does not exist", "no_database" },
	{ "not currently accepting connections", "not_accepting" },
};

static void
db_why_set(const char *msg)
{
	size_t	 i;

	db_why = "unavailable";
	for (i = 0; i < sizeof(db_reasons) / sizeof(db_reasons[0]); i++)
		if (strstr(msg, db_reasons[i].text) != NULL) {
			db_why = db_reasons[i].why;
			return;
		}
}

const char *
db_down_reason(void)
{
	return db != NULL ? NULL : db_why;
}

void
db_open(const char *conninfo)
{
	free(db_info);
	if ((db_info = strdup(conninfo)) == NULL)
		abort();
	if (db_ready() == -1)
		log_warn("will retry the database on the next request");
}

void
db_close(void)
{
	if (db != NULL)
		PQfinish(db);
	db = NULL;
	free(db_info);
	db_info = NULL;
}

void
db_forget(void)
{
	if (db != NULL) {
		/* Our copy of the socket closed first, PQfinish cannot
		 * reach the server: the parent keeps its session. */
		close(PQsocket(db));
		PQfinish(db);
	}
	db = NULL;
	free(db_info);
	db_info = NULL;
}

PGconn *
db_conn(void)
{
	return db;
}

static int
db_prepare_all(void)
{
	PGresult	*res;
	size_t		 i;

	for (i = 0; i < STMT__MAX; i++) {
		res = PQprepare(db, stmts[i].name, stmts[i].sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_error("prepare %s: %s", stmts[i].name,
			    PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/*
 * An idle connection has nothing to read.  When the server went away it
 * sent its goodbye and closed the socket: notice that before using it, so
 * a database restart costs no request an error.
 */
static int
db_alive(void)
{
	struct pollfd	 pfd;

	if (PQstatus(db) != CONNECTION_OK)
		return 0;
	if (PQtransactionStatus(db) != PQTRANS_IDLE)
		return 1;
	pfd.fd = PQsocket(db);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) <= 0)
		return 1;
	/* Readable while idle: a notice, or the server's goodbye and EOF. */
	if (!PQconsumeInput(db) || PQstatus(db) != CONNECTION_OK)
		return 0;
	if (poll(&pfd, 1, 0) > 0 &&
	    (!PQconsumeInput(db) || PQstatus(db) != CONNECTION_OK))
		return 0;
	/* A FATAL message leaves a buffered error behind: start afresh. */
	return strstr(PQerrorMessage(db), "terminating") == NULL;
}

int
db_ready(void)
{
	PGresult	*res;

	if (db != NULL && db_alive())
		return 0;
	if (db_info == NULL) {
		db_why = "not_configured";
		return -1;
	}
	if (db != NULL) {
		PQfinish(db);
		db = NULL;
	}
	db = PQconnectdb(db_info);
	if (PQstatus(db) != CONNECTION_OK) {
		log_warn("database unavailable: %s", PQerrorMessage(db));
		db_why_set(PQerrorMessage(db));
		PQfinish(db);
		db = NULL;
		return -1;
	}
	/* Never leave a session idle in a transaction holding locks. */
	res = PQexec(db, "SET idle_in_transaction_session_timeout = '60s'; "
	    "SET TimeZone = 'UTC'");
	PQclear(res);
	if (db_prepare_all() == -1) {
		db_why = "prepare_failed";
		PQfinish(db);
		db = NULL;
		return -1;
	}
	if (db_channel[0] != '\0') {
		char	 sql[80];

		snprintf(sql, sizeof(sql), "LISTEN %s", db_channel);
		res = PQexec(db, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			log_warn("%s: %s", sql, PQresultErrorMessage(res));
		PQclear(res);
	}
	db_fresh = 1;
	db_actor_have = -1;
	log_debug("database connected, %d statements prepared", STMT__MAX);
	return 0;
}

void
db_listen(const char *channel)
{
	snprintf(db_channel, sizeof(db_channel), "%s", channel);
}

int
db_sync(void)
{
	PGresult	*res;
	PGnotify	*n;
	int		 k = 0;

	if (db_ready() == -1 || PQtransactionStatus(db) != PQTRANS_IDLE)
		return -1;
	res = PQexec(db, "");
	if (PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		(void)db_classify(res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	if (db_fresh) {
		db_fresh = 0;
		k++;
	}
	while ((n = PQnotifies(db)) != NULL) {
		PQfreemem(n);
		k++;
	}
	return k;
}

static enum db_rc
db_classify(const PGresult *res)
{
	const char	*st;

	st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db_state, sizeof(db_state), "%s", st ? st : "");
	if (db == NULL || PQstatus(db) != CONNECTION_OK)
		return DB_DOWN;
	if (st == NULL)
		return DB_ERROR;
	if (strcmp(st, "23505") == 0)
		return DB_CONFLICT;
	if (strcmp(st, "23503") == 0)
		return DB_FOREIGN;
	if (strncmp(st, "23", 2) == 0 || strncmp(st, "22", 2) == 0)
		return DB_INVALID;
	/* admin shutdown, crash shutdown, cannot connect now */
	if (strncmp(st, "57P", 3) == 0 || strncmp(st, "08", 2) == 0)
		return DB_DOWN;
	return DB_ERROR;
}

void
db_actor(long user)
{
	db_actor_want = user;
}

/*
 * Outside a transaction: make the session's connectify.actor the wanted
 * one (the audit log's "who"), when it is not already.  Session-wide, so
 * a rolled-back transaction never undoes it.
 */
static void
db_actor_sync(void)
{
	PGresult	*res;
	char		 sql[96];

	if (db_actor_have == db_actor_want ||
	    PQtransactionStatus(db) != PQTRANS_IDLE)
		return;
	snprintf(sql, sizeof(sql), "SELECT set_config('connectify.actor', "
	    "'%ld', false)", db_actor_want);
	res = PQexec(db, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		db_actor_have = db_actor_want;
	else
		log_warn("connectify.actor: %s", PQresultErrorMessage(res));
	PQclear(res);
}

enum db_rc
db_query(enum stmt st, PGresult **out, const char *const *params, int n)
{
	PGresult	*res;
	ExecStatusType	 es;
	enum db_rc	 rc;

	if (out != NULL)
		*out = NULL;
	if (db_ready() == -1)
		return DB_DOWN;
	db_actor_sync();
	res = PQexecPrepared(db, stmts[st].name, n, params, NULL, NULL, 0);
	es = PQresultStatus(res);
	if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK) {
		if (out != NULL)
			*out = res;
		else
			PQclear(res);
		return DB_OK;
	}
	rc = db_classify(res);
	if (rc == DB_DOWN || rc == DB_ERROR)
		log_error("%s: %s", stmts[st].name, res ?
		    PQresultErrorMessage(res) : PQerrorMessage(db));
	else
		log_debug("%s: %s", stmts[st].name,
		    PQresultErrorMessage(res));
	PQclear(res);
	return rc;
}

enum db_rc
db_stream_open(enum stmt st, const char *const *params, int n)
{
	if (db_ready() == -1)
		return DB_DOWN;
	if (!PQsendQueryPrepared(db, stmts[st].name, n, params, NULL, NULL,
	    0) || !PQsetSingleRowMode(db)) {
		log_error("%s: %s", stmts[st].name, PQerrorMessage(db));
		db_stream_close();
		return PQstatus(db) != CONNECTION_OK ? DB_DOWN : DB_ERROR;
	}
	return DB_OK;
}

int
db_stream_row(PGresult **out)
{
	PGresult	*res;
	ExecStatusType	 es;

	*out = NULL;
	if ((res = PQgetResult(db)) == NULL)
		return 0;
	es = PQresultStatus(res);
	if (es == PGRES_SINGLE_TUPLE) {
		*out = res;
		return 1;
	}
	if (es == PGRES_TUPLES_OK) {
		PQclear(res);
		db_stream_close();
		return 0;
	}
	(void)db_classify(res);
	log_error("stream: %s", PQresultErrorMessage(res));
	PQclear(res);
	db_stream_close();
	return -1;
}

void
db_stream_close(void)
{
	PGresult	*res;
	PGcancel	*c;
	char		 err[256];

	if (db == NULL)
		return;
	/* Cancel and drain what is left: the connection is usable again. */
	if (PQisBusy(db) && (c = PQgetCancel(db)) != NULL) {
		if (!PQcancel(c, err, sizeof(err)))
			log_warn("stream: cancel: %s", err);
		PQfreeCancel(c);
	}
	while ((res = PQgetResult(db)) != NULL)
		PQclear(res);
}

void
db_query_soft(enum stmt st, const char *const *params, int n)
{
	if (db_query(st, NULL, params, n) != DB_OK)
		log_warn("%s failed; carrying on", stmts[st].name);
}

static enum db_rc
db_simple(const char *sql)
{
	PGresult	*res;
	enum db_rc	 rc = DB_OK;

	if (db_ready() == -1)
		return DB_DOWN;
	db_actor_sync();
	res = PQexec(db, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = db_classify(res);
		log_error("%s: %s", sql, PQresultErrorMessage(res));
	}
	PQclear(res);
	return rc;
}

enum db_rc
db_begin(void)
{
	return db_simple("BEGIN");
}

enum db_rc
db_commit(void)
{
	return db_simple("COMMIT");
}

void
db_rollback(void)
{
	PGresult	*res;

	if (db == NULL || PQstatus(db) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db) == PQTRANS_IDLE)
		return;
	res = PQexec(db, "ROLLBACK");
	PQclear(res);
}

const char *
db_val(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

long
db_long(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 :
	    strtol(PQgetvalue(res, row, col), NULL, 10);
}

int
db_col(const PGresult *res, const char *name)
{
	int	 c;

	if ((c = PQfnumber(res, name)) < 0) {
		log_error("no column \"%s\" in this result", name);
		abort();
	}
	return c;
}

const char *
db_text(const PGresult *res, int row, const char *name)
{
	return PQgetvalue(res, row, db_col(res, name));
}

const char *
db_opt(const PGresult *res, int row, const char *name)
{
	return db_val(res, row, db_col(res, name));
}

long
db_num(const PGresult *res, int row, const char *name)
{
	return db_long(res, row, db_col(res, name));
}

int
db_bool(const PGresult *res, int row, const char *name)
{
	return PQgetvalue(res, row, db_col(res, name))[0] == 't';
}

int
db_isnull(const PGresult *res, int row, const char *name)
{
	return PQgetisnull(res, row, db_col(res, name));
}

size_t
db_len(const PGresult *res, int row, const char *name)
{
	return (size_t)PQgetlength(res, row, db_col(res, name));
}

const char *
db_sqlstate(void)
{
	return db_state;
}

void
db_time_iso(const char *v, char out[21])
{
	/* "2026-11-24 04:04:24.5+00" -> "2026-11-24T04:04:24Z" */
	if (v == NULL || strlen(v) < 19) {
		out[0] = '\0';
		return;
	}
	memcpy(out, v, 19);
	out[10] = 'T';
	out[19] = 'Z';
	out[20] = '\0';
}
