/*
 * Interview day: the thread between an event's HR and one candidate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "interview.h"
#include "valid.h"

/*
 * GET hr-user-chatting?event_id=&candidate_id= and POST {event_id,
 * candidate_id, message}: the thread between the event's HR and one of
 * its candidates; only those two read or write it.
 */
static int
chat_parties(struct req *r, struct reply *rp, long event, long *cand,
    char hr[72], char who[72])
{
	PGresult	*res = NULL;
	char		 ev[24], c[24], me[24];
	int		 role, rc;

	role = event_role(r, rp, event, NULL, 0);
	if (role == EV_NONE)
		return -1;
	if (role == EV_CANDIDATE) {
		if (*cand != 0 && *cand != r->who.user_id) {
			reply_error(rp, 403, "forbidden", "This thread is not "
			    "yours.", NULL);
			return -1;
		}
		*cand = r->who.user_id;
	} else if (role != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and its "
		    "candidate can read this thread.", NULL);
		return -1;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", *cand);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_CANDIDATE, &res, ev, c)) != DB_OK) {
		reply_db(rp, rc);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "That candidate is not "
		    "registered for this event.", NULL);
		return -1;
	}
	snprintf(who, 72, "%s", db_text(res, 0, "username"));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, me)) != DB_OK) {
		reply_db(rp, rc);
		return -1;
	}
	snprintf(hr, 72, "%s", db_text(res, 0, "username"));
	PQclear(res);
	return 0;
}

/* A 400: candidate_id is required (of HR, who has many candidates). */
static void
chat_no_candidate(struct reply *rp)
{
	struct json_object	*errs;

	errs = json_object_new_object();
	jv_err(errs, "candidate_id", "is required");
	reply_invalid(rp, errs);
}

const struct field f_chat[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "candidate_id", FT_ID, F_QUERY, 0, 0, NULL, NULL },
	F_PAGE,
	FIELDS_END
};

/* GET hr-user-chatting?event_id=&candidate_id=&page=: the thread, oldest
 * first (candidate_id: required of HR, a candidate's own by default). */
void
h_chat_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], c[24], hr[72], who[72];
	long		 event, cand;
	struct page	 pg;
	int		 rc;

	event = req_long(r, "event_id");
	cand = req_long(r, "candidate_id");
	if (cand == 0 && strcmp(r->who.user_type, "Hr") == 0) {
		chat_no_candidate(rp);
		return;
	}
	req_page(r, &pg);
	if (chat_parties(r, rp, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	if ((rc = db_q(STMT_CHAT_PAGE, &res, ev, c, pg.limit, pg.offset)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "total"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

const struct field f_chat_post[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "candidate_id", FT_ID, 0, 0, 0, NULL, NULL },
	{ "message", FT_TEXT, F_REQ, 1, 4000, NULL, NULL },
	FIELDS_END
};

/* POST hr-user-chatting {event_id, candidate_id (required of HR),
 * message}: 201 the message; both parties hear "chat". */
void
h_chat_post(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 ev[24], c[24], me[24], hr[72], who[72];
	long			 event, cand;
	int			 rc;

	event = req_long(r, "event_id");
	cand = req_long(r, "candidate_id");
	if (cand == 0 && strcmp(r->who.user_type, "Hr") == 0) {
		chat_no_candidate(rp);
		return;
	}
	if (chat_parties(r, rp, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_CHAT_INSERT, &res, ev, c, me,
	    req_str(r, "message"))) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_tokener_parse(db_text(res, 0, "message"));
	tell("chat", hr, who, NULL, json_tokener_parse(db_text(res, 0,
	    "message")));
	PQclear(res);
	reply_json(rp, 201, o);
}
