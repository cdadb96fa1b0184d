/*
 * access: who the caller is to an event or a registration (owner,
 * interviewer, candidate or no one), for the handlers that let each of
 * them see or do different things.
 */
#include <stdio.h>

#include "db.h"
#include "extern.h"

/*
 * The caller's role to event event_id, its status copied into status
 * when not NULL: EV_NONE after a 404 (no such event) or a database error
 * was answered.
 */
enum ev_role
event_role(struct req *r, struct reply *rp, long event_id, char *status,
    size_t statussz)
{
	PGresult	*res = NULL;
	char		 ev[24], uid[24];
	enum ev_role	 role;
	int		 rc;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, uid)) != DB_OK) {
		reply_db(rp, rc);
		return EV_NONE;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such event.", NULL);
		return EV_NONE;
	}
	if (status != NULL)
		snprintf(status, statussz, "%s", db_text(res, 0, "status"));
	if (db_bool(res, 0, "is_owner"))
		role = EV_OWNER;
	else if (db_bool(res, 0, "is_interviewer"))
		role = EV_INTERVIEWER;
	else if (db_bool(res, 0, "is_candidate"))
		role = EV_CANDIDATE;
	else
		role = EV_OTHER;
	PQclear(res);
	return role;
}

/* Who the caller is to registration id's event: EV_NONE after a 404 (no
 * such registration or event) or a database error was answered. */
enum ev_role
registration_role(struct req *r, struct reply *rp, long id)
{
	PGresult	*res = NULL;
	char		 reg[24];
	long		 event;
	int		 rc;

	snprintf(reg, sizeof(reg), "%ld", id);
	if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		return EV_NONE;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such registration.",
		    NULL);
		return EV_NONE;
	}
	event = db_num(res, 0, "event_id");
	PQclear(res);
	return event_role(r, rp, event, NULL, 0);
}
