/*
 * Interview day: the live actions of interviewers and candidates
 * (POST interview-action/), one table of them.
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

/* One action's context: who asks about which round, the answer built. */
struct act {
	struct req		*r;
	struct reply		*rp;
	const char		*name;
	long			 round;
	char			 ro[24], me[24];
	int			 staff;		/* interviews in the round */
	struct json_object	*o;		/* the answer (owned) */
};

/* Send a's answer (consumed) with status. */
static void
act_reply(struct act *a, int status)
{
	reply_json(a->rp, status, a->o);
	a->o = NULL;
}

/* After commit: tell entry qid's candidate, the event's HR and room
 * (may be NULL) of step type, with a copy of the answer. */
static void
act_tell(struct act *a, const char *type, long qid, const struct room *room)
{
	char	 cand[72], hr[OWNERS_LEN];

	queue_parties(qid, cand, hr);
	tell(type, cand[0] ? cand : NULL, hr[0] ? hr : NULL, room,
	    json_object_get(a->o));
}

/*
 * In a transaction locking the interviewer's calls: their entry called,
 * accepted or in interview.  DB_OK with *qid (0: none) and its status, or
 * the database error (rolled back by the caller).
 */
static int
act_current(struct act *a, long *qid, char st[16])
{
	PGresult	*res = NULL;
	int		 rc;

	*qid = 0;
	st[0] = '\0';
	if ((rc = db_q(STMT_QUEUE_LOCK, NULL, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_BUSY, &res, a->ro, a->me)) != DB_OK)
		return rc;
	if (PQntuples(res) > 0) {
		*qid = db_long(res, 0, 0);
		snprintf(st, 16, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return DB_OK;
}

/* Refuse with 409 code/msg after rolling back. */
static void
act_refuse(struct act *a, const char *code, const char *msg)
{
	db_rollback();
	reply_error(a->rp, 409, code, msg, NULL);
}

/* start_next: call the next one waiting (the held come back in line). */
static void
act_start_next(struct act *a)
{
	PGresult	*res = NULL;
	struct room	 room;
	long		 qid;
	char		 st[16];
	int		 rc;

	if ((rc = db_begin()) != DB_OK || (rc = act_current(a, &qid, st)) !=
	    DB_OK)
		goto dberr;
	if (qid != 0) {
		act_refuse(a, "busy", "Finish the current interview first.");
		return;
	}
	if ((rc = db_q(STMT_QUEUE_UNHOLD, NULL, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_CALL_NEXT, &res, a->ro, a->me)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		json_object_object_add(a->o, "called", NULL);
		PQclear(res);
		act_reply(a, 200);
		return;
	}
	qid = db_long(res, 0, 0);
	json_object_object_add(a->o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(a->o, "registration_id",
	    json_object_new_int64(db_long(res, 0, 2)));
	json_object_object_add(a->o, "candidate",
	    json_object_new_string(PQgetvalue(res, 0, 1)));
	json_object_object_add(a->o, "interviewer",
	    json_object_new_string(a->r->who.username));
	json_object_object_add(a->o, "status", json_object_new_string(
	    "called"));
	PQclear(res);
	room_set(&room, a->r->who.username, a->round);
	act_tell(a, "called", qid, &room);
	act_reply(a, 200);
	return;
dberr:
	PQclear(res);
	db_rollback();
	reply_db(a->rp, rc);
}

/*
 * The interviewer's steps on the candidate called, accepted or in
 * interview: from the statuses of from (a text[] literal) to to, told as
 * type; refused (409 code) from the others.
 */
static const struct step {
	const char	*action, *from, *to, *type, *code, *why;
} steps[] = {
	{ "begin_interview", "{accepted}", "in_interview", "in_interview",
	    "not_accepted", "The candidate has not accepted the call." },
	{ "complete_interview", "{accepted,in_interview}", "done",
	    "completed", "not_accepted", "The candidate never accepted the "
	    "call: mark them no_show, skip them or call_again." },
	{ "no_show", "{called}", "no_show", "no_show", "accepted",
	    "The candidate accepted the call; complete the interview." },
	{ "skip", "{called}", "waiting", "skipped", "accepted",
	    "The candidate accepted the call; complete the interview." },
};

static void
act_step(struct act *a)
{
	const struct step	*sp;
	PGresult		*res = NULL;
	struct room		 room;
	char			 st[16], q[24];
	long			 qid;
	size_t			 i;
	int			 rc, moved;

	for (i = 0; strcmp(steps[i].action, a->name) != 0; i++)
		continue;
	sp = &steps[i];
	if ((rc = db_begin()) != DB_OK || (rc = act_current(a, &qid, st)) !=
	    DB_OK)
		goto dberr;
	if (qid == 0) {
		act_refuse(a, "no_interview", "No one is called or in an "
		    "interview with you.");
		return;
	}
	snprintf(q, sizeof(q), "%ld", qid);
	if (strcmp(sp->to, "waiting") == 0)
		rc = db_q(STMT_QUEUE_SKIP, &res, q);
	else
		rc = db_q(STMT_QUEUE_SET_STATUS, &res, q, sp->to, sp->from);
	if (rc != DB_OK)
		goto dberr;
	moved = PQntuples(res) > 0;
	PQclear(res);
	res = NULL;
	if (!moved) {
		/* The candidate left or declined meanwhile, or not yet. */
		if ((rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
			goto dberr;
		if (PQntuples(res) > 0 && strstr(",called,accepted,"
		    "in_interview,", PQgetvalue(res, 0, 5)) != NULL)
			act_refuse(a, sp->code, sp->why);
		else
			act_refuse(a, "interview_ended", "The interview ended "
			    "meanwhile (the candidate left or declined); there "
			    "is nothing to do.");
		PQclear(res);
		return;
	}
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(a->o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(a->o, "status", json_object_new_string(sp->to));
	room_set(&room, a->r->who.username, a->round);
	act_tell(a, sp->type, qid, &room);
	act_reply(a, 200);
	return;
dberr:
	db_rollback();
	reply_db(a->rp, rc);
}

/*
 * call_again {queue_id?}: without queue_id the one called hears the call
 * again; with it, a no-show or waiting candidate of the caller's queue is
 * called now (when no one else is).
 */
static void
act_call_again(struct act *a)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	struct room		 room;
	char			 st[16], q[24];
	long			 qid, want = 0;
	int			 rc, has;

	errs = json_object_new_object();
	has = jv_long(a->r->json, "queue_id", 0, 1, 1L << 62, &want, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(a->rp, errs);
		return;
	}
	json_object_put(errs);
	if ((rc = db_begin()) != DB_OK || (rc = act_current(a, &qid, st)) !=
	    DB_OK)
		goto dberr;
	if (has != 1) {
		db_rollback();
		if (qid == 0 || strcmp(st, "called") != 0) {
			reply_error(a->rp, 409, "not_called", "No one is called "
			    "and waiting to accept.", NULL);
			return;
		}
	} else {
		if (qid != 0) {
			act_refuse(a, "busy", "Finish the current interview "
			    "first.");
			return;
		}
		snprintf(q, sizeof(q), "%ld", want);
		if ((rc = db_q(STMT_QUEUE_RECALL, &res, q, a->ro, a->me)) !=
		    DB_OK)
			goto dberr;
		qid = PQntuples(res) > 0 ? want : 0;
		PQclear(res);
		if (qid == 0) {
			act_refuse(a, "invalid_state", "Only a no-show or "
			    "waiting candidate of your queue can be called "
			    "again.");
			return;
		}
		if ((rc = db_commit()) != DB_OK)
			goto dberr;
	}
	json_object_object_add(a->o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(a->o, "status", json_object_new_string(
	    "called"));
	room_set(&room, a->r->who.username, a->round);
	act_tell(a, "called", qid, &room);
	act_reply(a, 200);
	return;
dberr:
	db_rollback();
	reply_db(a->rp, rc);
}

/* get_all_queues: the round's queues, for its interviewers and the
 * event's HR. */
static void
act_queues(struct act *a)
{
	long	 ev;
	int	 role;

	if (!a->staff) {
		if ((ev = round_event(a->r, a->rp, a->round)) == 0)
			return;
		if ((role = event_role(a->r, a->rp, ev, NULL, 0)) == EV_NONE)
			return;
		if (role != EV_OWNER) {
			reply_error(a->rp, 403, "forbidden", "Only this round's "
			    "interviewers and the event's HR see its queues.",
			    NULL);
			return;
		}
	}
	queues_reply(a->r, a->rp, 200, a->round, 0);
}

/*
 * leave (an interviewer): each candidate waiting for them goes to the
 * round's other interviewers, balanced, and hears "queue_moved" with the
 * new place; with no one else, they are held (status held) and hear it.
 * The room and the event's HR hear "interviewer_left".
 */
static void
act_iv_leave(struct act *a)
{
	PGresult	*res = NULL, *w = NULL;
	struct room	 room;
	char		 hr[OWNERS_LEN];
	int		 rc, i, held = 0;

	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_LEAVE, &res, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_WRITTEN, &w, a->ro, NULL)) != DB_OK ||
	    (rc = db_commit()) != DB_OK) {
		PQclear(res);
		PQclear(w);
		db_rollback();
		reply_db(a->rp, rc);
		return;
	}
	for (i = 0; i < PQntuples(w); i++)
		if (strcmp(PQgetvalue(w, i, 1), a->r->who.username) == 0)
			held++;
	json_object_object_add(a->o, "interviewer",
	    json_object_new_string(a->r->who.username));
	json_object_object_add(a->o, "moved",
	    json_object_new_int64(db_long(res, 0, 0)));
	json_object_object_add(a->o, "held", json_object_new_int64(held));
	PQclear(res);
	res = NULL;
	room_set(&room, a->r->who.username, a->round);
	hr[0] = '\0';
	if (db_q(STMT_ROUND_HR, &res, a->ro) == DB_OK && PQntuples(res) > 0)
		snprintf(hr, sizeof(hr), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	tell("interviewer_left", hr[0] ? hr : NULL, NULL, &room,
	    json_object_get(a->o));
	tell_written("queue_moved", w, NULL);
	PQclear(w);
	act_reply(a, 200);
}

/* The candidate's own steps: from (a text[] literal) to to. */
static const struct cstep {
	const char	*action, *from, *to, *why;
} csteps[] = {
	{ "accept_interview", "{called}", "accepted", "You have not been "
	    "called." },
	{ "reject_interview", "{called}", "declined", "You have not been "
	    "called." },
	{ "leave", "{waiting,called,accepted,held}", "left", "You are not "
	    "waiting." },
};

/* The candidate actions, get_result among them. */
static void
act_candidate(struct act *a)
{
	const struct cstep	*cs;
	PGresult		*res = NULL;
	struct room		 room;
	char			 st[16], iv[72], q[24];
	long			 qid, reg = 0;
	size_t			 i;
	int			 rc, moved;

	if ((rc = db_begin()) != DB_OK || (rc = own_entry(a->round,
	    a->r->who.user_id, &qid, st, iv, &reg)) != DB_OK)
		goto dberr;
	if (qid == 0) {
		db_rollback();
		reply_error(a->rp, 403, "forbidden", "You are not in this "
		    "round's queues.", NULL);
		return;
	}
	if (strcmp(a->name, "get_result") == 0) {
		db_rollback();
		snprintf(q, sizeof(q), "%ld", reg);
		if ((rc = db_q(STMT_RESULT_JSON, &res, q)) != DB_OK) {
			reply_db(a->rp, rc);
			return;
		}
		reply_text(a->rp, 200, "application/json", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
		PQclear(res);
		return;
	}
	for (i = 0; strcmp(csteps[i].action, a->name) != 0; i++)
		continue;
	cs = &csteps[i];
	if ((rc = entry_move(qid, cs->to, cs->from, &moved)) != DB_OK)
		goto dberr;
	if (!moved) {
		act_refuse(a, "invalid_state", cs->why);
		return;
	}
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(a->o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(a->o, "candidate",
	    json_object_new_string(a->r->who.username));
	json_object_object_add(a->o, "status", json_object_new_string(cs->to));
	room_set(&room, iv, a->round);
	act_tell(a, a->name, qid, &room);
	act_reply(a, 200);
	return;
dberr:
	db_rollback();
	reply_db(a->rp, rc);
}

static void
act_leave(struct act *a)
{
	if (a->staff)
		act_iv_leave(a);
	else
		act_candidate(a);
}

/* Who may ask for an action. */
enum act_who { ACT_STAFF, ACT_CANDIDATE, ACT_ANY };

static const struct {
	const char	*name;
	enum act_who	 who;
	void		(*fn)(struct act *);
} acts[] = {
	{ "start_next", ACT_STAFF, act_start_next },
	{ "begin_interview", ACT_STAFF, act_step },
	{ "complete_interview", ACT_STAFF, act_step },
	{ "no_show", ACT_STAFF, act_step },
	{ "skip", ACT_STAFF, act_step },
	{ "call_again", ACT_STAFF, act_call_again },
	{ "get_all_queues", ACT_ANY, act_queues },
	{ "leave", ACT_ANY, act_leave },
	{ "accept_interview", ACT_CANDIDATE, act_candidate },
	{ "reject_interview", ACT_CANDIDATE, act_candidate },
	{ "get_result", ACT_CANDIDATE, act_candidate },
};
#define NACTS	(sizeof(acts) / sizeof(acts[0]))

/*
 * POST interview-action {action, session_id (the round id), ...}: the
 * original's WebSocket actions and the day's.  Interviewers: start_next,
 * begin_interview, complete_interview (only once the candidate accepted
 * the call), skip (the one called goes to the end of the line), no_show,
 * call_again {queue_id?}, get_all_queues (the round's queues; the event's
 * HR too), leave (their line goes to the others or is held).  Candidates:
 * accept_interview, reject_interview, leave, get_result.  Each change is
 * one transaction; the outcome is published after commit to the room,
 * the candidate and the event's HR, and returned.
 */
void
h_interview_action(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	struct act		 a;
	size_t			 i = NACTS;
	int			 rc;

	memset(&a, 0, sizeof(a));
	a.r = r;
	a.rp = rp;
	errs = json_object_new_object();
	a.name = jv_str(r->json, "action", 1, 1, 32, errs);
	for (i = 0; a.name != NULL && i < NACTS && strcmp(acts[i].name,
	    a.name); i++)
		continue;
	if (a.name != NULL && i == NACTS)
		jv_err(errs, "action", "must be start_next, begin_interview, "
		    "complete_interview, skip, no_show, call_again, "
		    "get_all_queues, leave, accept_interview, "
		    "reject_interview or get_result");
	(void)jv_long(r->json, "session_id", 1, 1, 1L << 62, &a.round, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (round_event(r, rp, a.round) == 0)
		return;
	if ((rc = round_interviewer(a.round, r->who.user_id, &a.staff)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (acts[i].who == ACT_STAFF && !a.staff) {
		reply_error(rp, 403, "forbidden", "Only this round's "
		    "interviewers do that.", NULL);
		return;
	}
	snprintf(a.ro, sizeof(a.ro), "%ld", a.round);
	snprintf(a.me, sizeof(a.me), "%ld", r->who.user_id);
	a.o = json_object_new_object();
	json_object_object_add(a.o, "action", json_object_new_string(a.name));
	json_object_object_add(a.o, "session_id",
	    json_object_new_int64(a.round));
	acts[i].fn(&a);
	json_object_put(a.o);
}
