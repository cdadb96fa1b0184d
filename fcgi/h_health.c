/*
 * Operations endpoints: /healthz and /metrics.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "extern.h"

/*
 * GET /healthz: 200 {"status":"ok","database":"ok"} when this process
 * reaches PostgreSQL, else 503 with "database":"unavailable".
 */
void
h_healthz(struct req *r)
{
	struct json_object	*o;
	int			 ok;

	ok = db_query(STMT_HEALTH_PING, NULL, NULL, 0) == DB_OK;
	o = json_object_new_object();
	json_object_object_add(o, "status",
	    json_object_new_string(ok ? "ok" : "degraded"));
	json_object_object_add(o, "database",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	resp_json(r, ok ? 200 : 503, o);
}

/* GET /metrics: Prometheus text (nginx limits it to loopback). */
void
h_metrics(struct req *r)
{
	struct buf	 b = { 0 };

	metrics_render(&b);
	resp_text(r, 200, "text/plain; version=0.0.4", buf_str(&b), b.len,
	    NULL);
	buf_free(&b);
}
