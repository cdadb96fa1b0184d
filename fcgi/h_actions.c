/*
 * Interview day: the live actions of interviewers and candidates, over
 * REST (interview-action/) and the interview socket (fcgi/h_ws.c).
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
 * The candidate's queue entry in round, locked: DB_OK with *qid (0 when
 * none), its status, interviewer username and registration; or the
 * database error.
 */
static int
own_entry(long round, long user, long *qid, char status[16], char iv[72],
    long *reg)
{
	PGresult	*res = NULL;
	char		 ro[24], u[24], q[24];
	int		 rc;

	*qid = 0;
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(u, sizeof(u), "%ld", user);
	if ((rc = db_q(STMT_QUEUE_FIND_CANDIDATE, &res, ro, u)) != DB_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return DB_OK;
	}
	snprintf(q, sizeof(q), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*qid = strtol(q, NULL, 10);
		snprintf(status, 16, "%s", PQgetvalue(res, 0, 5));
		snprintf(iv, 72, "%s", PQgetvalue(res, 0, 7));
		*reg = db_long(res, 0, 2);
	}
	PQclear(res);
	return DB_OK;
}

/*
 * Move entry qid to status to if it is in one of the from statuses
 * (a text[] literal): DB_OK with *moved 1 or 0, or the database error.
 */
static int
entry_move(long qid, const char *to, const char *from, int *moved)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	*moved = 0;
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_q(STMT_QUEUE_SET_STATUS, &res, q, to, from)) != DB_OK)
		return rc;
	*moved = PQntuples(res) > 0;
	PQclear(res);
	return DB_OK;
}

/*
 * POST interview-action {action, session_id (the round id), ...}: the
 * original's WebSocket actions.  Interviewers: start_next,
 * complete_interview, get_all_queues, leave.  Candidates:
 * accept_interview, reject_interview, leave, get_result.  Each change is
 * one transaction; the outcome is published to the room and the
 * candidate after commit, and returned.
 */
void
h_interview_action(struct req *r)
{
	static const char *const actions[] = { "start_next",
	    "accept_interview", "reject_interview", "complete_interview",
	    "leave", "get_all_queues", "get_result", NULL };
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*action;
	struct room		 room;
	char			 ro[24], me[24], st[16], iv[72],
				 cand[72], hr[72], q[24];
	long			 round = 0, qid, reg = 0;
	size_t			 i;
	int			 rc, staff, moved;

	errs = json_object_new_object();
	action = jv_str(r->json, "action", 1, 1, 32, errs);
	for (i = 0; action != NULL && actions[i] != NULL &&
	    strcmp(actions[i], action); i++)
		continue;
	if (action != NULL && actions[i] == NULL)
		jv_err(errs, "action", "must be start_next, accept_interview, "
		    "reject_interview, complete_interview, leave, "
		    "get_all_queues or get_result");
	(void)jv_long(r->json, "session_id", 1, 1, 1L << 62, &round, errs);
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if (round_event(r, round) == 0)
		return;
	if ((rc = round_interviewer(round, r->who.user_id, &staff)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	o = json_object_new_object();
	json_object_object_add(o, "action", json_object_new_string(action));
	json_object_object_add(o, "session_id", json_object_new_int64(round));

	if (strcmp(action, "get_all_queues") == 0 ||
	    (strcmp(action, "leave") == 0 && staff)) {
		json_object_put(o);
		if (!staff) {
			resp_error(r, 403, "forbidden", "Only this round's "
			    "interviewers see its queues.", NULL);
			return;
		}
		if (strcmp(action, "leave") == 0) {
			room_set(&room, r->who.username, round);
			o = json_object_new_object();
			json_object_object_add(o, "interviewer",
			    json_object_new_string(r->who.username));
			tell("interviewer_left", NULL, NULL, &room, o);
		}
		queues_reply(r, 200, round, r->who.user_id);
		return;
	}
	if (strcmp(action, "start_next") == 0 ||
	    strcmp(action, "complete_interview") == 0) {
		if (!staff) {
			json_object_put(o);
			resp_error(r, 403, "forbidden", "Only this round's "
			    "interviewers do that.", NULL);
			return;
		}
		room_set(&room, r->who.username, round);
		if ((rc = db_begin()) != DB_OK ||
		    (rc = db_q(STMT_QUEUE_LOCK, NULL, ro, me)) != DB_OK ||
		    (rc = db_q(STMT_QUEUE_BUSY, &res, ro, me)) != DB_OK)
			goto dberr;
		if (strcmp(action, "start_next") == 0) {
			if (PQntuples(res) > 0) {
				PQclear(res);
				db_rollback();
				json_object_put(o);
				resp_error(r, 409, "busy", "Finish the current "
				    "interview first.", NULL);
				return;
			}
			PQclear(res);
			res = NULL;
			if ((rc = db_q(STMT_QUEUE_CALL_NEXT, &res, ro, me)) !=
			    DB_OK || (rc = db_commit()) != DB_OK)
				goto dberr;
			if (PQntuples(res) == 0) {
				json_object_object_add(o, "called", NULL);
				PQclear(res);
				resp_json(r, 200, o);
				return;
			}
			json_object_object_add(o, "queue_id",
			    json_object_new_int64(db_long(res, 0, 0)));
			json_object_object_add(o, "registration_id",
			    json_object_new_int64(db_long(res, 0, 2)));
			json_object_object_add(o, "candidate",
			    json_object_new_string(PQgetvalue(res, 0, 1)));
			json_object_object_add(o, "interviewer",
			    json_object_new_string(r->who.username));
			qid = db_long(res, 0, 0);
			PQclear(res);
			queue_parties(qid, cand, hr);
			tell("called", cand[0] ? cand : NULL, hr[0] ? hr : NULL,
			    &room, json_object_get(o));
			resp_json(r, 200, o);
			return;
		}
		/* complete_interview: the one in progress (or called). */
		if (PQntuples(res) == 0) {
			PQclear(res);
			db_rollback();
			json_object_put(o);
			resp_error(r, 409, "no_interview", "No interview is in "
			    "progress.", NULL);
			return;
		}
		qid = db_long(res, 0, 0);
		PQclear(res);
		res = NULL;
		if ((rc = entry_move(qid, "done", "{called,in_progress}",
		    &moved)) != DB_OK)
			goto dberr;
		if (!moved) {
			/* The candidate left or was reviewed meanwhile. */
			db_rollback();
			json_object_put(o);
			resp_error(r, 409, "interview_ended", "The interview "
			    "ended meanwhile (the candidate left, declined or "
			    "was reviewed); there is nothing to complete.",
			    NULL);
			return;
		}
		if ((rc = db_commit()) != DB_OK)
			goto dberr;
		json_object_object_add(o, "queue_id", json_object_new_int64(qid));
		json_object_object_add(o, "status", json_object_new_string(
		    "done"));
		queue_parties(qid, cand, hr);
		tell("completed", cand[0] ? cand : NULL, hr[0] ? hr : NULL,
		    &room, json_object_get(o));
		resp_json(r, 200, o);
		return;
	}
	/* Candidate actions. */
	if ((rc = db_begin()) != DB_OK ||
	    (rc = own_entry(round, r->who.user_id, &qid, st, iv, &reg)) !=
	    DB_OK)
		goto dberr;
	if (qid == 0) {
		db_rollback();
		json_object_put(o);
		resp_error(r, 403, "forbidden", "You are not in this round's "
		    "queues.", NULL);
		return;
	}
	room_set(&room, iv, round);
	snprintf(q, sizeof(q), "%ld", qid);
	json_object_object_add(o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(o, "candidate",
	    json_object_new_string(r->who.username));
	if (strcmp(action, "get_result") == 0) {
		db_rollback();
		snprintf(q, sizeof(q), "%ld", reg);
		json_object_put(o);
		if ((rc = db_q(STMT_RESULT_JSON, &res, q)) != DB_OK) {
			resp_db(r, rc);
			return;
		}
		resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
		PQclear(res);
		return;
	}
	if (strcmp(action, "accept_interview") == 0)
		rc = entry_move(qid, "in_progress", "{called}", &moved);
	else if (strcmp(action, "reject_interview") == 0)
		rc = entry_move(qid, "rejected", "{called}", &moved);
	else
		rc = entry_move(qid, "left", "{waiting,called}", &moved);
	if (rc != DB_OK)
		goto dberr;
	if (!moved) {
		db_rollback();
		json_object_put(o);
		resp_error(r, 409, "invalid_state", strcmp(action, "leave") ?
		    "You have not been called." : "You are not waiting.",
		    NULL);
		return;
	}
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(o, "status", json_object_new_string(
	    strcmp(action, "accept_interview") == 0 ? "in_progress" :
	    strcmp(action, "reject_interview") == 0 ? "rejected" : "left"));
	queue_parties(qid, cand, hr);
	tell(action, r->who.username, hr[0] ? hr : NULL, &room,
	    json_object_get(o));
	resp_json(r, 200, o);
	return;
dberr:
	PQclear(res);
	db_rollback();
	json_object_put(o);
	resp_db(r, rc);
}

