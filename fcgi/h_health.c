/*
 * Operations endpoints: /healthz and /metrics.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "extern.h"

const struct field f_healthz[] = {
	FIELDS_END
};

/*
 * GET /healthz: 200 {"status":"ok","database":"ok"} when this process
 * reaches PostgreSQL, else 503 with "database":"unavailable" and a
 * "reason" ("too_many_connections" when max_connections is spent,
 * "unreachable", ...; db_down_reason()), so a balancer or an operator sees
 * which host cannot get a connection and why.
 */
void
h_healthz(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	const char		*why;
	int			 ok;

	(void)r;	/* the route reads nothing of the request */
	/* A connection the server cut fails once; the next try reconnects. */
	ok = db_query(STMT_HEALTH_PING, NULL, NULL, 0) == DB_OK ||
	    db_query(STMT_HEALTH_PING, NULL, NULL, 0) == DB_OK;
	o = json_object_new_object();
	json_object_object_add(o, "status",
	    json_object_new_string(ok ? "ok" : "degraded"));
	json_object_object_add(o, "database",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	if (!ok) {
		why = db_down_reason();
		json_object_object_add(o, "reason", json_object_new_string(
		    why != NULL ? why : "query_failed"));
	}
	reply_json(rp, ok ? 200 : 503, o);
}

/* The job queue's gauges: jobs by kind and state, and the age of the
 * oldest ready job of each kind (rows of STMT_JOB_STATS). */
static void
health_jobs(struct buf *b, const PGresult *res)
{
	int	 i;

	buf_puts(b, "# HELP connectify_jobs Jobs by kind and state.\n"
	    "# TYPE connectify_jobs gauge\n");
	for (i = 0; i < PQntuples(res); i++)
		buf_printf(b, "connectify_jobs{kind=\"%s\",state=\"%s\"} %s\n",
		    db_text(res, i, "kind"), db_text(res, i, "state"),
		    db_text(res, i, "jobs"));
	buf_puts(b, "# HELP connectify_jobs_oldest_ready_seconds Age of the "
	    "oldest job ready to run.\n# TYPE "
	    "connectify_jobs_oldest_ready_seconds gauge\n");
	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(db_text(res, i, "state"), "available") == 0)
			buf_printf(b, "connectify_jobs_oldest_ready_seconds"
			    "{kind=\"%s\"} %s\n", db_text(res, i, "kind"),
			    db_text(res, i, "oldest_ready"));
}

const struct field f_metrics[] = {
	FIELDS_END
};

/* GET /metrics: Prometheus text (nginx limits it to loopback): requests,
 * latency, the pool, and the job queue by kind and state. */
void
h_metrics(struct req *r, struct reply *rp)
{
	struct buf	 b = { 0 };
	PGresult	*res = NULL;

	(void)r;	/* the route reads nothing of the request */
	metrics_render(&b);
	if (db_query(STMT_JOB_STATS, &res, NULL, 0) == DB_OK) {
		health_jobs(&b, res);
		PQclear(res);
	}
	reply_text(rp, 200, "text/plain; version=0.0.4", buf_str(&b), b.len,
	    NULL);
	buf_free(&b);
}
