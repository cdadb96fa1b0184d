/*
 * db: this process's PostgreSQL connection and the statement table.
 *
 * Every SQL statement of the project is a row of lib/sql/<area>.def
 * ("STMT(NAME, "SQL")"), gathered into one enum and one table, prepared
 * once per connection and executed with parameters only.
 *
 * Each process owns one connection (db_open).  When the server goes away
 * the failing call returns DB_DOWN; the next db_ready() reconnects and
 * prepares the statements again.
 */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>

enum stmt {
#define STMT(id, sql) STMT_##id,
#include "sql/all.def"
#undef STMT
	STMT__MAX
};

enum db_rc {
	DB_OK = 0,	/* success */
	DB_CONFLICT,	/* unique violation (23505) */
	DB_FOREIGN,	/* foreign key violation (23503) */
	DB_INVALID,	/* check/not-null/data exception (23xxx, 22xxx) */
	DB_DOWN,	/* connection lost or not available */
	DB_ERROR	/* anything else; logged */
};

/* Remember the conninfo and connect; failure is not fatal (lazy). */
void	db_open(const char *conninfo);
void	db_close(void);
/* In a child after fork: let go of the parent's connection, untouched. */
void	db_forget(void);
/* LISTEN on channel (a constant identifier, copied) at every connect. */
void	db_listen(const char *channel);
/*
 * One empty round trip, outside any transaction.  The server sends every
 * notification committed before the trip began ahead of its answer, so
 * the count returned (notifications since the last call; a new
 * connection counts as one) covers every change committed before this
 * call.  -1 when the server is unreachable.
 */
int	db_sync(void) __attribute__((warn_unused_result));
/* Ensure a usable connection: 0, or -1 when the server is unreachable. */
int	db_ready(void) __attribute__((warn_unused_result));
PGconn	*db_conn(void);

/*
 * Execute a prepared statement.  On DB_OK *res holds the result (caller
 * PQclear()s it; res may be NULL to discard).  On error *res is NULL and
 * the SQLSTATE is logged.  params may contain NULL for SQL NULL.
 */
enum db_rc db_query(enum stmt, PGresult **res, const char *const *params,
	    int nparams) __attribute__((warn_unused_result));

#define DB_ARGS(...) (const char *const []){ __VA_ARGS__ }, \
	(int)(sizeof((const char *const []){ __VA_ARGS__ }) / sizeof(char *))
/* db_q(STMT_X, &res, a, b, c): db_query with an inline parameter list. */
#define db_q(st, res, ...) db_query((st), (res), DB_ARGS(__VA_ARGS__))

/*
 * Rows of a statement one at a time (libpq's single-row mode), for
 * answers too long to hold: db_stream_open, then db_stream_row until it
 * returns 0 (no more rows) or -1 (an error, logged); 1 gives *res, one
 * row the caller clears.  db_stream_close stops early (cancels the rest)
 * and is harmless after the end.
 */
enum db_rc db_stream_open(enum stmt, const char *const *params, int nparams)
	    __attribute__((warn_unused_result));
int	db_stream_row(PGresult **res);
void	db_stream_close(void);
#define db_stream(st, ...) db_stream_open((st), DB_ARGS(__VA_ARGS__))

/* Best effort: run a statement whose failure is only logged. */
void	db_query_soft(enum stmt, const char *const *params, int nparams);
#define db_soft(st, ...) db_query_soft((st), DB_ARGS(__VA_ARGS__))

/*
 * The user (0: none) whose requests follow: the session's
 * connectify.actor, which the audit log records as who changed a row,
 * is set to it before the next statement outside a transaction.
 */
void	db_actor(long user);

/* Transactions on this connection: DB_OK or an error code. */
enum db_rc db_begin(void) __attribute__((warn_unused_result));
enum db_rc db_commit(void) __attribute__((warn_unused_result));
void	db_rollback(void);

/* Column helpers for a result row: value or NULL when SQL NULL. */
const char *db_val(const PGresult *, int row, int col);
long	db_long(const PGresult *, int row, int col);
/*
 * Columns by name, for every row read: a name the result lacks is a
 * programming error (logged, then abort()).  db_text: the value, "" for
 * SQL NULL; db_opt: NULL for SQL NULL; db_num: a bigint column, 0 for
 * NULL; db_bool: 1 for true; db_isnull; db_len: the value's length.
 */
int	db_col(const PGresult *, const char *name);
const char *db_text(const PGresult *, int row, const char *name);
const char *db_opt(const PGresult *, int row, const char *name);
long	db_num(const PGresult *, int row, const char *name);
int	db_bool(const PGresult *, int row, const char *name);
int	db_isnull(const PGresult *, int row, const char *name);
size_t	db_len(const PGresult *, int row, const char *name);
/* A timestamptz column printed in UTC as "YYYY-MM-DDTHH:MM:SSZ". */
void	db_time_iso(const char *, char out[21]);
/* SQLSTATE of the last error ("" if none). */
const char *db_sqlstate(void);
/* Why the last connection attempt failed, as a short code for /healthz
 * ("too_many_connections", "unreachable", ...), or NULL when connected. */
const char *db_down_reason(void);

#endif /* DB_H */
