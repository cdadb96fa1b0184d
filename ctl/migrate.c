/*
 * connectifyctl migrate: script/migrate's procedure in C, with the same
 * table and lock, so the two can be used side by side: each
 * sql/NNN_name.sql once, in order, in one transaction with its row in
 * schema_migrations, under an advisory lock so concurrent runs wait.
 *
 * It runs before the schema exists, so it uses a connection of its own
 * rather than lib/db.c's (which prepares the statement table, whose
 * tables a first migration has yet to create).  The only values sent
 * are the versions, as parameters; the files are the SQL to run.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "cfg.h"
#include "extern.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/connectify"
#endif

#define MIGRATE_LOCK	"7231001"	/* script/migrate's */

static const char *const sql_setup =
    "SET client_min_messages = warning; "
    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, "
    "applied_at timestamptz NOT NULL DEFAULT now())";

const char *
migrate_default_dir(void)
{
	return PKGDATADIR "/sql";
}

static int
migrate_filter(const struct dirent *d)
{
	return fnmatch("[0-9][0-9][0-9]_*.sql", d->d_name, 0) == 0;
}

/* Run sql; 0, or -1 with the server's message in err. */
static int
migrate_exec(PGconn *c, const char *sql, const char *param, char *err,
    size_t errsz)
{
	PGresult	*res;
	int		 rc = 0;

	res = param == NULL ? PQexec(c, sql) :
	    PQexecParams(c, sql, 1, NULL, &param, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errsz, "%s", PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		rc = -1;
	} else if (PQresultStatus(res) == PGRES_TUPLES_OK)
		rc = PQntuples(res);
	PQclear(res);
	return rc;
}

static int
migrate_applied(PGconn *c, const char *version, char *err, size_t errsz)
{
	return migrate_exec(c, "SELECT 1 FROM schema_migrations WHERE "
	    "version = $1", version, err, errsz);
}

/* Read a whole file into b: 0 or -1. */
static int
migrate_read(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return 0;
}

/* Apply one file unless applied: 1 applied, 0 was applied, -1 failed. */
static int
migrate_one(PGconn *c, const char *dir, const char *file, char *err,
    size_t errsz)
{
	struct buf	 sql = { 0 }, path = { 0 };
	char		 version[256];
	int		 rc = -1, done;

	snprintf(version, sizeof(version), "%.*s",
	    (int)(strlen(file) - 4), file);
	buf_printf(&path, "%s/%s", dir, file);
	if (migrate_read(buf_str(&path), &sql) == -1) {
		snprintf(err, errsz, "cannot read %s", buf_str(&path));
		goto out;
	}
	if (migrate_exec(c, "BEGIN; SELECT pg_advisory_xact_lock("
	    MIGRATE_LOCK ")", NULL, err, errsz) == -1)
		goto out;
	if ((done = migrate_applied(c, version, err, errsz)) == -1)
		goto rollback;
	if (done > 0) {
		rc = 0;
		goto rollback;
	}
	if (migrate_exec(c, buf_str(&sql), NULL, err, errsz) == -1 ||
	    migrate_exec(c, "INSERT INTO schema_migrations (version) "
	    "VALUES ($1)", version, err, errsz) == -1 ||
	    migrate_exec(c, "COMMIT", NULL, err, errsz) == -1)
		goto rollback;
	rc = 1;
	goto out;
rollback:
	PQclear(PQexec(c, "ROLLBACK"));
out:
	buf_free(&sql);
	buf_free(&path);
	return rc;
}

/*
 * Walk the migrations: apply them (apply != 0) or print each as applied
 * or pending (list != 0).  Returns the number applied or pending, or -1.
 */
static int
migrate_walk(const char *dir, int apply, int list, char *err, size_t errsz)
{
	struct dirent	**ents = NULL;
	PGconn		*c;
	char		*conninfo, version[256];
	int		 i, n, r, count = 0;

	conninfo = cfg_conninfo();
	c = PQconnectdb(conninfo);
	free(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errsz, "%s", PQerrorMessage(c));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(c);
		return -1;
	}
	if ((n = scandir(dir, &ents, migrate_filter, alphasort)) == -1) {
		snprintf(err, errsz, "cannot read the directory %s", dir);
		PQfinish(c);
		return -1;
	}
	if (migrate_exec(c, sql_setup, NULL, err, errsz) == -1)
		count = -1;
	for (i = 0; i < n; i++) {
		if (count == -1) {
			free(ents[i]);
			continue;
		}
		if (apply) {
			if ((r = migrate_one(c, dir, ents[i]->d_name, err,
			    errsz)) == -1) {
				fprintf(stderr, "migrate: %s: %s\n",
				    ents[i]->d_name, err);
				err[0] = '\0';
				count = -1;
			} else if (r == 1) {
				printf("applied %.*s\n", (int)(strlen(
				    ents[i]->d_name) - 4), ents[i]->d_name);
				count++;
			}
		} else {
			snprintf(version, sizeof(version), "%.*s",
			    (int)(strlen(ents[i]->d_name) - 4),
			    ents[i]->d_name);
			if ((r = migrate_applied(c, version, err, errsz)) == -1)
				count = -1;
			else {
				count += r == 0;
				if (list)
					printf("%-8s %s\n", r ? "applied" :
					    "pending", version);
			}
		}
		free(ents[i]);
	}
	free(ents);
	PQfinish(c);
	return count;
}

int
migrate_pending(const char *dir, char *err, size_t errsz)
{
	return migrate_walk(dir, 0, 0, err, errsz);
}

int
cmd_migrate(int argc, char *argv[])
{
	const char	*dir = migrate_default_dir();
	char		 err[512];
	int		 ch, list = 0, n;

	while ((ch = getopt(argc, argv, "ld:")) != -1) {
		switch (ch) {
		case 'l':
			list = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			ctl_help(argv[0]);
			return CTL_USAGE;
		}
	}
	if (optind != argc) {
		ctl_help(argv[0]);
		return CTL_USAGE;
	}
	err[0] = '\0';
	if ((n = migrate_walk(dir, !list, list, err, sizeof(err))) == -1) {
		if (err[0] != '\0')
			fprintf(stderr, "migrate: %s\n", err);
		return CTL_FAIL;
	}
	if (!list)
		printf("%d migration%s applied\n", n, n == 1 ? "" : "s");
	return CTL_OK;
}
