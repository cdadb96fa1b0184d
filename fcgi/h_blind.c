/*
 * Blind screening (sql/021_decisions.sql): an event hides who its
 * candidates are from its screeners and interviewers until the stage its
 * HR chose (register_user lists them as "Candidate <registration id>").
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "valid.h"

static const char *const stages[] = { "shortlisted", "interviewing",
	"selected", NULL };

/* The caller owns the event: 1, or 0 after a 4xx. */
static int
blind_owner(struct req *r, struct reply *rp, long ev)
{
	int	 role;

	if ((role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return 0;
	if (role != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR sets its "
		    "blind screening.", NULL);
		return 0;
	}
	return 1;
}

/* Send {event_id, blind, until}. */
static void
blind_reply(struct req *r, struct reply *rp, long ev)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 e[24];
	int			 rc;

	snprintf(e, sizeof(e), "%ld", ev);
	if ((rc = db_q(STMT_BLIND_GET, &res, e)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "event_id", json_object_new_int64(ev));
	json_object_object_add(o, "blind",
	    json_object_new_boolean(PQntuples(res) > 0));
	json_object_object_add(o, "until", PQntuples(res) > 0 ?
	    json_object_new_string(PQgetvalue(res, 0, 0)) : NULL);
	PQclear(res);
	reply_json(rp, 200, o);
}

/* GET blind-screening?event_id= (the event's HR). */
void
h_blind_get(struct req *r, struct reply *rp)
{
	long	 ev;

	if ((ev = req_id_qs(r, rp, "event_id")) == 0 || !blind_owner(r, rp, ev))
		return;
	blind_reply(r, rp, ev);
}

/* POST blind-screening {event_id, until}: until a stage (shortlisted,
 * interviewing, selected), or null for off. */
void
h_blind_set(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *v = NULL;
	const char		*until = NULL;
	char			 e[24], me[24];
	long			 ev = 0;
	size_t			 i;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &ev, errs);
	if (!json_object_object_get_ex(r->json, "until", &v))
		jv_err(errs, "until", "is required (a stage, or null)");
	else if (v != NULL) {
		until = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "";
		for (i = 0; stages[i] != NULL && strcmp(stages[i], until); i++)
			continue;
		if (stages[i] == NULL)
			jv_err(errs, "until", "must be shortlisted, "
			    "interviewing, selected or null");
	}
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (!blind_owner(r, rp, ev))
		return;
	snprintf(e, sizeof(e), "%ld", ev);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	rc = until != NULL ? db_q(STMT_BLIND_SET, NULL, e, until, me) :
	    db_q(STMT_BLIND_OFF, NULL, e);
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	blind_reply(r, rp, ev);
}
