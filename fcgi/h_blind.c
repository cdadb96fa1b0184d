/*
 * Blind screening (sql/021_decisions.sql): an event hides who its
 * candidates are from its screeners and interviewers until the stage its
 * HR chose (register_user lists them as "Candidate <registration id>").
 */
#include <stdio.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"

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
		reply_error(rp, 403, "forbidden", "Only the event's HR sets "
		    "its blind screening.", NULL);
		return 0;
	}
	return 1;
}

/* Send {event_id, blind, until}. */
static void
blind_reply(struct reply *rp, long ev)
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
	    json_object_new_string(db_text(res, 0, "until")) : NULL);
	PQclear(res);
	reply_json(rp, 200, o);
}

const struct field f_blind_screening[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET blind-screening?event_id= (the event's HR). */
void
h_blind_get(struct req *r, struct reply *rp)
{
	long	 ev;

	ev = req_long(r, "event_id");
	if (blind_owner(r, rp, ev))
		blind_reply(rp, ev);
}

const struct field f_blind_screening_set[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "until", FT_ENUM, F_REQ | F_NULL, 0, 0, stages, NULL },
	FIELDS_END
};

/* POST blind-screening {event_id, until}: until a stage (shortlisted,
 * interviewing, selected), or null for off. */
void
h_blind_set(struct req *r, struct reply *rp)
{
	const char	*until;
	char		 e[24], me[24];
	long		 ev;
	int		 rc;

	ev = req_long(r, "event_id");
	until = req_str(r, "until");	/* NULL: off */
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
	blind_reply(rp, ev);
}
