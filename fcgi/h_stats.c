/*
 * The HR dashboard's counts: applications over HR's events, and a
 * month's applications by department and by status.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"

const struct field f_application_count[] = {
	{ "event_id", FT_ID, F_QUERY, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET application-count?event_id= (HR): totals over its events (or over
 * the one event, when it is HR's). */
void
h_application_count(struct req *r, struct reply *rp)
{
	struct json_object	*o, *by;
	PGresult		*res = NULL;
	char			 hr[24], ev[24];
	long			 id;
	int			 rc;

	if ((id = req_long(r, "event_id")) != 0 &&
	    event_role(r, rp, id, NULL, 0) != EV_OWNER) {
		if (rp->status == 0)
			reply_error(rp, 403, "forbidden", "This event is not "
			    "yours.", NULL);
		return;
	}
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_REG_COUNTS, &res, id ? ev : NULL, hr)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	if (id)
		json_object_object_add(o, "event_id",
		    json_object_new_int64(id));
	json_object_object_add(o, "total",
	    json_object_new_int64(db_num(res, 0, "total")));
	by = json_tokener_parse(db_text(res, 0, "by_status"));
	json_object_object_add(o, "by_status", by ? by :
	    json_object_new_object());
	PQclear(res);
	reply_json(rp, 200, o);
}

/* The fields of a month's counts. */
#define STATS_FIELDS \
	{ "month", FT_INT, F_QUERY | F_REQ, 1, 12, NULL, NULL }, \
	{ "year", FT_INT, F_QUERY | F_REQ, 2000, 2100, NULL, NULL }

/* A month's counts of statement st (its rows "list" and "total"), the
 * list under key. */
static void
stats_reply(struct req *r, struct reply *rp, enum stmt st, const char *key)
{
	struct json_object	*o, *list;
	PGresult		*res = NULL;
	char			 from[32], to[32], hr[24];
	int			 mon, yr, rc;

	/* Declared within 1..12 and 2000..2100. */
	mon = (int)req_long(r, "month");
	yr = (int)req_long(r, "year");
	/* From the first day of the month to the first of the next. */
	snprintf(from, sizeof(from), "%04d-%02d-01", yr, mon);
	snprintf(to, sizeof(to), "%04d-%02d-01", mon == 12 ? yr + 1 : yr,
	    mon == 12 ? 1 : mon + 1);
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	if ((rc = db_q(st, &res, hr, from, to)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "month", json_object_new_int(mon));
	json_object_object_add(o, "year", json_object_new_int(yr));
	json_object_object_add(o, "total",
	    json_object_new_int64(db_num(res, 0, "total")));
	list = json_tokener_parse(db_text(res, 0, "list"));
	json_object_object_add(o, key, list ? list : json_object_new_array());
	PQclear(res);
	reply_json(rp, 200, o);
}

const struct field f_application_by_department[] = {
	STATS_FIELDS,
	FIELDS_END
};

/* GET application-by-department?month=&year= (HR). */
void
h_stats_department(struct req *r, struct reply *rp)
{
	stats_reply(r, rp, STMT_STATS_BY_DEPT, "departments");
}

const struct field f_job_application_status[] = {
	STATS_FIELDS,
	FIELDS_END
};

/* GET job-application-status?month=&year= (HR). */
void
h_stats_status(struct req *r, struct reply *rp)
{
	stats_reply(r, rp, STMT_STATS_BY_STATUS, "statuses");
}
