/*
 * Interview day: the thread between an event's HR and one candidate.
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
 * GET hr-user-chatting?event_id=&candidate_id= and POST {event_id,
 * candidate_id, message}: the thread between the event's HR and one of
 * its candidates; only those two read or write it.
 */
static int
chat_parties(struct req *r, struct reply *rp, long event, long *cand, char hr[72],
    char who[72])
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
	snprintf(who, 72, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, me)) != DB_OK) {
		reply_db(rp, rc);
		return -1;
	}
	snprintf(hr, 72, "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

const struct field f_chat[] = {
	F_PAGE,
	FIELDS_END
};

void
h_chat_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	const char	*v;
	char		 ev[24], c[24], hr[72], who[72];
	long		 event, cand = 0;
	struct page	 pg;
	int		 rc;

	if ((event = req_id_qs(r, rp, "event_id")) == 0)
		return;
	if ((v = req_qs(r, "candidate_id")) != NULL && *v != '\0' &&
	    (cand = req_id_qs(r, rp, "candidate_id")) == 0)
		return;
	if (cand == 0 && strcmp(r->who.user_type, "Hr") == 0) {
		(void)req_id_qs(r, rp, "candidate_id");
		return;
	}
	req_page(r, &pg);
	if (chat_parties(r, rp, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	if ((rc = db_q(STMT_CHAT_PAGE, &res, ev, c, pg.limit, pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_long(res, 0, 0), &pg, PQgetvalue(res, 0, 1));
	PQclear(res);
}

void
h_chat_post(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*msg;
	char			 ev[24], c[24], me[24], hr[72], who[72];
	long			 event = 0, cand = 0;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &event, errs);
	(void)jv_long(r->json, "candidate_id", strcmp(r->who.user_type, "Hr") ==
	    0, 1, 1L << 62, &cand, errs);
	msg = jv_text(r->json, "message", 1, 1, 4000, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (chat_parties(r, rp, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_CHAT_INSERT, &res, ev, c, me, msg)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_tokener_parse(PQgetvalue(res, 0, 0));
	tell("chat", hr, who, NULL, json_tokener_parse(PQgetvalue(res, 0, 0)));
	PQclear(res);
	reply_json(rp, 201, o);
}

