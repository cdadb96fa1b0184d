/*
 * Duplicates with reasons (sql/021_decisions.sql): an event's candidates'
 * possible duplicates among every candidate, each with its reasons and a
 * confidence; HR merges a pair (nothing deleted) or marks it distinct.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "valid.h"

/* The caller owns the event: 1, or 0 after a 4xx. */
static int
dup_owner(struct req *r, struct reply *rp, long ev)
{
	int	 role;

	if ((role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return 0;
	if (role != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR sees "
		    "and settles its duplicates.", NULL);
		return 0;
	}
	return 1;
}

const struct field f_duplicates[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET duplicates?event_id=: {event_id, duplicates: [{user, other,
 * confidence, reasons: [{reason, confidence, detail}]}]}. */
void
h_duplicates_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	struct buf	 out = { 0 };
	char		 e[24];
	long		 ev;
	int		 rc;

	ev = req_long(r, "event_id");
	if (!dup_owner(r, rp, ev))
		return;
	snprintf(e, sizeof(e), "%ld", ev);
	if ((rc = db_q(STMT_DUP_JSON, &res, e)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	buf_printf(&out, "{\"event_id\":%ld,\"duplicates\":%s}", ev,
	    db_text(res, 0, "duplicates"));
	PQclear(res);
	reply_text(rp, 200, "application/json", out.data, out.len, NULL);
	buf_free(&out);
}

/* May the caller settle user and other for the event?  1, or 0 after a
 * 4xx (or a database error). */
static int
dup_allowed(struct req *r, struct reply *rp, const char *u, const char *o,
    const char *e, int merge)
{
	PGresult	*res = NULL;
	char		 me[24];
	int		 rc, ok = 0;

	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_DUP_PAIR, &res, u, o, e, me)) != DB_OK) {
		reply_db(rp, rc);
		return 0;
	}
	if (db_num(res, 0, "candidates") != 2 || !db_bool(res, 0, "in_event"))
		reply_error(rp, 404, "not_found", "Both must be candidates, "
		    "one of them registered for this event.", NULL);
	else if (merge && db_num(res, 0, "elsewhere") > 0 && !r->is_admin)
		reply_error(rp, 403, "forbidden", "The other candidate is in "
		    "events you do not own: the organisation's admin merges "
		    "them.", NULL);
	else
		ok = 1;
	PQclear(res);
	return ok;
}

static const char *const dup_actions[] = { "merge", "distinct", NULL };

const struct field f_duplicates_settle[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "user_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "other_user_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "action", FT_ENUM, F_REQ, 0, 0, dup_actions, NULL },
	{ "reason", FT_TEXT, 0, 0, 2000, NULL, NULL },
	FIELDS_END
};

/*
 * POST duplicates {event_id, user_id, other_user_id, action: merge |
 * distinct, reason?}: merge keeps user_id (other's registrations and
 * resumes move to it where nothing is lost; other is closed) or marks
 * the pair distinct.
 */
void
h_duplicates_post(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o = NULL;
	PGresult		*res = NULL;
	const char		*why;
	char			 e[24], u[24], ot[24], me[24];
	long			 ev, uid, oid;
	int			 rc, merge;

	ev = req_long(r, "event_id");
	uid = req_long(r, "user_id");
	oid = req_long(r, "other_user_id");
	merge = strcmp(req_str(r, "action"), "merge") == 0;
	why = req_has(r, "reason") ? req_str(r, "reason") : "";
	if (uid == oid) {
		errs = json_object_new_object();
		jv_err(errs, "other_user_id", "must be another candidate");
		reply_invalid(rp, errs);
		return;
	}
	snprintf(e, sizeof(e), "%ld", ev);
	snprintf(u, sizeof(u), "%ld", uid);
	snprintf(ot, sizeof(ot), "%ld", oid);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if (!dup_owner(r, rp, ev) || !dup_allowed(r, rp, u, ot, e, merge))
		return;
	rc = db_q(merge ? STMT_DUP_MERGE : STMT_DUP_DISTINCT, &res, u, ot, why,
	    me);
	if (rc == DB_CONFLICT) {
		reply_error(rp, 409, "decided", "This pair was already merged "
		    "or marked distinct.", NULL);
		return;
	}
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = merge ? json_tokener_parse(db_text(res, 0, "merged")) :
	    json_object_new_object();
	PQclear(res);
	json_object_object_add(o, "user_id", json_object_new_int64(uid));
	json_object_object_add(o, "other_user_id", json_object_new_int64(oid));
	json_object_object_add(o, "decision", json_object_new_string(merge ?
	    "merged" : "distinct"));
	reply_json(rp, 201, o);
}
