/*
 * connectifyctl status: the pools and the queue, as an administrator
 * sizing FCGI_WORKERS and WORKER_CONCURRENCY reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"

/* The FastCGI pool's figures, by their /metrics series. */
static const struct pool_row {
	const char	*series;	/* exact series name and labels */
	const char	*label;
} pool_rows[] = {
	{ "connectify_fcgi_pool_processes{state=\"configured\"}",
	    "configured" },
	{ "connectify_fcgi_pool_processes{state=\"alive\"}", "alive" },
	{ "connectify_fcgi_pool_workers{state=\"busy\"}", "busy" },
	{ "connectify_fcgi_pool_workers{state=\"idle\"}", "idle" },
	{ "connectify_fcgi_listen_queue", "listen queue" },
	{ "connectify_fcgi_listen_queue_max", "listen queue max" },
	{ "connectify_fcgi_pool_max_reached_total", "max reached" },
	{ "connectify_fcgi_slow_requests_total", "slow requests" },
};
#define NPOOL_ROWS	(sizeof(pool_rows) / sizeof(pool_rows[0]))

/* The value of series in Prometheus text, or NULL. */
static const char *
metric_find(const char *text, const char *series, char *val, size_t valsz)
{
	const char	*p = text;
	size_t		 n = strlen(series), len;

	while ((p = strstr(p, series)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ') {
			len = strcspn(p + n + 1, "\n");
			snprintf(val, valsz, "%.*s", (int)len, p + n + 1);
			return val;
		}
		p += n;
	}
	return NULL;
}

static int
status_fcgi(void)
{
	struct buf	 m = { 0 };
	char		 err[512], val[32];
	size_t		 i;
	int		 rc = -1;

	printf("fastcgi pool (%s)\n", cfg.fcgi_socket);
	if (fcgi_get(cfg.fcgi_socket, "/metrics", 5000, &m, err,
	    sizeof(err)) == -1) {
		printf("  not answering: %s\n", err);
		goto out;
	}
	for (i = 0; i < NPOOL_ROWS; i++)
		printf("  %-16s %s\n", pool_rows[i].label,
		    metric_find(buf_str(&m), pool_rows[i].series, val,
		    sizeof(val)) ? val : "-");
	printf("  (this status request keeps one process busy)\n");
	rc = 0;
out:
	buf_free(&m);
	return rc;
}

static int
status_queue(void)
{
	PGresult	*res = NULL;
	long		 alive, busy;
	int		 i;

	printf("worker pool\n");
	if (db_query(STMT_CTL_WORKERS_BUSY, &res, NULL, 0) != DB_OK) {
		printf("  the database does not answer\n");
		return -1;
	}
	busy = db_num(res, 0, "n");
	PQclear(res);
	if (db_query(STMT_CTL_WORKERS_ALIVE, &res, NULL, 0) != DB_OK)
		return -1;
	alive = db_num(res, 0, "n");
	PQclear(res);
	printf("  %-16s %s", "manager", cfg.worker_pm);
	if (strcmp(cfg.worker_pm, "dynamic") == 0)
		printf(" (%ld to %ld, idle %ld s)", cfg.worker_min,
		    cfg.worker_concurrency, cfg.worker_idle_s);
	printf("\n  %-16s %ld\n  %-16s %ld\n  %-16s %ld\n  %-16s %ld\n",
	    "configured", cfg.worker_concurrency, "alive", alive, "busy", busy,
	    "idle", busy > alive ? 0 : alive - busy);
	if (db_query(STMT_CTL_JOBS_WAITING, &res, NULL, 0) != DB_OK)
		return -1;
	printf("jobs\n  %-20s %8s %8s %8s %s\n", "kind", "ready", "delayed",
	    "running", "oldest ready (s)");
	for (i = 0; i < PQntuples(res); i++)
		printf("  %-20s %8s %8s %8s %s\n", db_text(res, i, "kind"),
		    db_text(res, i, "ready"), db_text(res, i, "delayed"),
		    db_text(res, i, "running"), db_text(res, i, "oldest_s"));
	if (PQntuples(res) == 0)
		printf("  none waiting\n");
	PQclear(res);
	return 0;
}

int
cmd_status(int argc, char *argv[])
{
	int	 rc = CTL_OK;

	if (argc != 1) {
		ctl_help(argv[0]);
		return CTL_USAGE;
	}
	if (status_fcgi() == -1)
		rc = CTL_FAIL;
	if (ctl_db_open() == -1 || status_queue() == -1)
		rc = CTL_FAIL;
	return rc;
}
