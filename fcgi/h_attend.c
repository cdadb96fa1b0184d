/*
 * Interview day: attendance (who joined an event or a round, who is in).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"

/*
 * Attendance: POST zoom-attendance {event_id, round_id?, action:
 * join|leave}; POST interviewee-join {event_id, round_id?} (join, as a
 * candidate).  The event's interviewers and candidates only.  One row
 * per person per event and round: the first join makes it (201), a join
 * again reopens it or, still in, changes nothing (200); 409 not_joined
 * for a leave without a join.
 */
static void
attend(struct req *r, struct reply *rp, const char *action, int forced)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	const char		*role;
	char			 ev[24], ro[24], u[24];
	enum ev_role		 er;
	int			 rc, join, made;

	er = event_role(r, rp, req_long(r, "event_id"), NULL, 0);
	if (er == EV_NONE)
		return;
	if (er == EV_OTHER || er == EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's "
		    "interviewers and candidates attend it.", NULL);
		return;
	}
	role = er == EV_INTERVIEWER ? "Interviewer" : "Interviewee";
	if (forced && er != EV_CANDIDATE) {
		reply_error(rp, 403, "forbidden", "Only candidates join as "
		    "interviewees.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", req_long(r, "event_id"));
	snprintf(ro, sizeof(ro), "%ld", req_long(r, "round_id"));
	snprintf(u, sizeof(u), "%ld", r->who.user_id);
	if ((join = strcmp(action, "join") == 0))
		rc = db_q(STMT_ATTEND_JOIN, &res, ev, req_has(r, "round_id") ?
		    ro : NULL, u, role);
	else
		rc = db_q(STMT_ATTEND_LEAVE, &res, ev, req_has(r, "round_id") ?
		    ro : NULL, u);
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 409, "not_joined", "You have not joined.",
		    NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "attendance_id",
	    json_object_new_int64(db_num(res, 0, "id")));
	json_object_object_add(o, "action", json_object_new_string(action));
	json_object_object_add(o, "role", json_object_new_string(role));
	json_object_object_add(o, "at",
	    json_object_new_string(db_text(res, 0, "at")));
	made = join && db_bool(res, 0, "made");
	PQclear(res);
	reply_json(rp, made ? 201 : 200, o);
}

static const char *const attend_actions[] = { "join", "leave", NULL };

const struct field f_zoom_attendance[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, 0, 0, 0, NULL, NULL },
	{ "action", FT_ENUM, F_REQ, 1, 8, attend_actions, NULL },
	FIELDS_END
};

void
h_zoom_attendance(struct req *r, struct reply *rp)
{
	attend(r, rp, req_str(r, "action"), 0);
}

const struct field f_interviewee_join[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, 0, 0, 0, NULL, NULL },
	FIELDS_END
};

void
h_interviewee_join(struct req *r, struct reply *rp)
{
	attend(r, rp, "join", 1);
}

const struct field f_zoom_joined_user[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_QUERY, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET zoom-joined-user?event_id=&round_id=: who is in the event (or
 * the round) now (its HR and interviewers). */
void
h_zoom_joined(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], ro[24];
	enum ev_role	 role;
	int		 rc;

	role = event_role(r, rp, req_long(r, "event_id"), NULL, 0);
	if (role == EV_NONE)
		return;
	if (role != EV_OWNER && role != EV_INTERVIEWER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and "
		    "interviewers can see this.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", req_long(r, "event_id"));
	snprintf(ro, sizeof(ro), "%ld", req_long(r, "round_id"));
	if ((rc = db_q(STMT_ATTEND_PRESENT, &res, ev, req_has(r, "round_id") ?
	    ro : NULL)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 200, "application/json", db_text(res, 0, "present"),
	    db_len(res, 0, "present"), NULL);
	PQclear(res);
}
