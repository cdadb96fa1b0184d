/*
 * Interview day: attendance (who joined an event or a round, who is in).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"
#include "nchan.h"
#include "valid.h"

/*
 * Attendance: POST zoom-attendance {event_id, round_id?, action:
 * join|leave}; POST interviewee-join {event_id, round_id?} (join).  One
 * row per person per event and round: the first join makes it (201), a
 * join again reopens it or, still in, changes nothing (200).
 */
static void
attend(struct req *r, struct reply *rp, const char *forced)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*action = forced, *role;
	char			 ev[24], ro[24], u[24];
	long			 event = 0, round = 0;
	int			 rc, hasround, er, made;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &event, errs);
	hasround = jv_long(r->json, "round_id", 0, 1, 1L << 62, &round, errs);
	if (action == NULL && (action = jv_str(r->json, "action", 1, 1, 8,
	    errs)) != NULL && strcmp(action, "join") && strcmp(action, "leave"))
		jv_err(errs, "action", "must be join or leave");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	er = event_role(r, rp, event, NULL, 0);
	if (er == EV_NONE)
		return;
	if (er == EV_OTHER || er == EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's interviewers "
		    "and candidates attend it.", NULL);
		return;
	}
	role = er == EV_INTERVIEWER ? "Interviewer" : "Interviewee";
	if (forced != NULL && er != EV_CANDIDATE) {
		reply_error(rp, 403, "forbidden", "Only candidates join as "
		    "interviewees.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(u, sizeof(u), "%ld", r->who.user_id);
	if (strcmp(action, "join") == 0)
		rc = db_q(STMT_ATTEND_JOIN, &res, ev, hasround == 1 ? ro : NULL,
		    u, role);
	else
		rc = db_q(STMT_ATTEND_LEAVE, &res, ev, hasround == 1 ? ro :
		    NULL, u);
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 409, "not_joined", "You have not joined.", NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "attendance_id",
	    json_object_new_int64(db_long(res, 0, 0)));
	json_object_object_add(o, "action", json_object_new_string(action));
	json_object_object_add(o, "role", json_object_new_string(role));
	json_object_object_add(o, "at",
	    json_object_new_string(PQgetvalue(res, 0, 1)));
	made = strcmp(action, "join") == 0 && PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	reply_json(rp, made ? 201 : 200, o);
}

void
h_zoom_attendance(struct req *r, struct reply *rp)
{
	attend(r, rp, NULL);
}

void
h_interviewee_join(struct req *r, struct reply *rp)
{
	attend(r, rp, "join");
}

/* GET zoom-joined-user?event_id=&round_id= (HR, interviewers). */
void
h_zoom_joined(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	const char	*v;
	char		 ev[24];
	long		 event, dummy;
	int		 rc;

	if ((event = req_id_qs(r, rp, "event_id")) == 0)
		return;
	v = req_qs(r, "round_id");
	if (v != NULL && *v != '\0' && !valid_long(v, 1, 1L << 62, &dummy)) {
		(void)req_id_qs(r, rp, "round_id");
		return;
	}
	rc = event_role(r, rp, event, NULL, 0);
	if (rc == EV_NONE)
		return;
	if (rc != EV_OWNER && rc != EV_INTERVIEWER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and "
		    "interviewers can see this.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	if ((rc = db_q(STMT_ATTEND_PRESENT, &res, ev, v && *v ? v : NULL)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

