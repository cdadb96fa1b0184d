/*
 * Interview day: the live actions of interviewers and candidates
 * (POST interview-action/).  Each action is a row of actions[]: who may
 * ask, from which state of the entry it concerns, to which state, and
 * the function that makes the change.  act_run() checks the caller's
 * right and the from-state before it calls the function, in the one
 * transaction the function commits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"

struct action;

/* One action's context: who asks about which round, the entry it
 * concerns (the subject, read by the row's may) and the answer built. */
struct act {
	struct req		*r;
	struct reply		*rp;
	const struct action	*ac;
	long			 round, ev;
	char			 ro[24], me[24];
	int			 staff;		/* interviews in the round */
	long			 qid;		/* the subject entry, 0: none */
	long			 reg;		/* its registration */
	char			 status[16];	/* its status, "none" or
						 * "ended" (see act_call) */
	char			 iv[72];	/* its room's interviewer */
	struct json_object	*o;		/* the answer (owned) */
};

/* A 409 for a state the action does not start from. */
struct refusal {
	const char	*code, *why;
};

/*
 * An action.  may: the caller's right, which also reads the subject
 * (0 or a db_rc; a refusal is sent in rp).  from: the subject's
 * statuses it starts from (a text[] literal; "none": no one called or
 * in an interview with the interviewer), NULL: any.  to: the status it
 * moves the subject to.  told: the type of the message published.
 * wrong: the refusal from another status, none: from "none".  fn: the
 * change, committed, with the answer in rp (0 or a db_rc).
 */
#define A_QID	0x01	/* the row of requests with queue_id */
struct action {
	const char		*name;
	int			(*may)(struct act *);
	int			 flags;
	const char		*from, *to, *told;
	int			(*fn)(struct act *);
	const struct refusal	*wrong, *none;
};

static const struct refusal
	busy = { "busy", "Finish the current interview first." },
	no_interview = { "no_interview", "No one is called or in an "
	    "interview with you." },
	not_accepted = { "not_accepted", "The candidate has not accepted "
	    "the call." },
	never_accepted = { "not_accepted", "The candidate never accepted the "
	    "call: mark them no_show, skip them or call_again." },
	accepted = { "accepted", "The candidate accepted the call; complete "
	    "the interview." },
	not_called = { "not_called", "No one is called and waiting to "
	    "accept." },
	you_not_called = { "invalid_state", "You have not been called." },
	not_waiting = { "invalid_state", "You are not waiting." },
	ended = { "interview_ended", "The interview ended meanwhile (the "
	    "candidate left or declined); there is nothing to do." };

/* Is st one of the statuses of set (a text[] literal "{a,b}")? */
static int
status_in(const char *set, const char *st)
{
	const char	*p;
	size_t		 n = strlen(st);

	for (p = set + 1; *p != '\0'; p += strcspn(p, ",}") + 1)
		if (strncmp(p, st, n) == 0 && (p[n] == ',' || p[n] == '}'))
			return 1;
	return 0;
}

/* After commit: tell the subject's candidate, the event's HR and the
 * room of the subject's interviewer the row's told, with a copy of the
 * answer. */
static void
act_tell(struct act *a)
{
	struct room	 room;
	char		 cand[72], hr[OWNERS_LEN];

	room_set(&room, a->iv, a->round);
	queue_parties(a->qid, cand, hr);
	tell(a->ac->told, cand[0] ? cand : NULL, hr[0] ? hr : NULL, &room,
	    json_object_get(a->o));
}

/* After commit: answer {queue_id, candidate (when cand), status: the
 * row's to} and tell of it. */
static void
act_done(struct act *a, const char *cand)
{
	json_object_object_add(a->o, "queue_id",
	    json_object_new_int64(a->qid));
	if (cand != NULL)
		json_object_object_add(a->o, "candidate",
		    json_object_new_string(cand));
	json_object_object_add(a->o, "status",
	    json_object_new_string(a->ac->to));
	act_tell(a);
	reply_json(a->rp, 200, a->o);
	a->o = NULL;
}

/* Refuse with 409 rf. */
static void
act_refuse(struct act *a, const struct refusal *rf)
{
	reply_error(a->rp, 409, rf->code, rf->why, NULL);
}

/*
 * The interviewer's call, locked (one call at a time per interviewer and
 * round): the subject is the entry called, accepted or in interview, its
 * status read under the row's lock: "none" when there is none, "ended"
 * when it ended while we waited for the lock.
 */
static int
act_call(struct act *a)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	snprintf(a->status, sizeof(a->status), "none");
	if ((rc = db_q(STMT_QUEUE_LOCK, NULL, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_BUSY, &res, a->ro, a->me)) != DB_OK)
		return rc;
	if (PQntuples(res) > 0)
		a->qid = db_num(res, 0, "id");
	PQclear(res);
	res = NULL;
	if (a->qid == 0)
		return DB_OK;
	snprintf(q, sizeof(q), "%ld", a->qid);
	if ((rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		return rc;
	if (PQntuples(res) > 0 && status_in("{called,accepted,in_interview}",
	    db_text(res, 0, "status"))) {
		snprintf(a->status, sizeof(a->status), "%s",
		    db_text(res, 0, "status"));
		a->reg = db_num(res, 0, "registration_id");
	} else
		snprintf(a->status, sizeof(a->status), "ended");
	PQclear(res);
	return DB_OK;
}

/* may: this round's interviewers; the subject is their call (when the
 * action starts from a state). */
static int
act_staff(struct act *a)
{
	if (!a->staff) {
		reply_error(a->rp, 403, "forbidden", "Only this round's "
		    "interviewers do that.", NULL);
		return DB_OK;
	}
	snprintf(a->iv, sizeof(a->iv), "%s", a->r->who.username);
	return a->ac->from != NULL ? act_call(a) : DB_OK;
}

/* may: this round's interviewers and the event's HR; no subject. */
static int
act_viewer(struct act *a)
{
	enum ev_role	 role;

	if (a->staff)
		return DB_OK;
	if ((role = event_role(a->r, a->rp, a->ev, NULL, 0)) != EV_OWNER &&
	    role != EV_NONE)
		reply_error(a->rp, 403, "forbidden", "Only this round's "
		    "interviewers and the event's HR see its queues.", NULL);
	return DB_OK;
}

/* may: a candidate in this round's queues; the subject is their entry,
 * locked. */
static int
act_queued(struct act *a)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	if ((rc = db_q(STMT_QUEUE_FIND_CANDIDATE, &res, a->ro, a->me)) !=
	    DB_OK)
		return rc;
	if (PQntuples(res) > 0)
		snprintf(q, sizeof(q), "%s", db_text(res, 0, "id"));
	else
		q[0] = '\0';
	PQclear(res);
	res = NULL;
	if (q[0] != '\0' && (rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		return rc;
	if (res == NULL || PQntuples(res) == 0) {
		PQclear(res);
		reply_error(a->rp, 403, "forbidden", "You are not in this "
		    "round's queues.", NULL);
		return DB_OK;
	}
	a->qid = strtol(q, NULL, 10);
	a->reg = db_num(res, 0, "registration_id");
	snprintf(a->status, sizeof(a->status), "%s",
	    db_text(res, 0, "status"));
	snprintf(a->iv, sizeof(a->iv), "%s", db_text(res, 0, "interviewer"));
	PQclear(res);
	return DB_OK;
}

/* start_next: call the next one waiting (the held come back in line). */
static int
act_start_next(struct act *a)
{
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = db_q(STMT_QUEUE_UNHOLD, NULL, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_CALL_NEXT, &res, a->ro, a->me)) != DB_OK ||
	    (rc = db_commit()) != DB_OK) {
		PQclear(res);
		return rc;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		json_object_object_add(a->o, "called", NULL);
		reply_json(a->rp, 200, a->o);
		a->o = NULL;
		return DB_OK;
	}
	a->qid = db_num(res, 0, "id");
	json_object_object_add(a->o, "queue_id", json_object_new_int64(a->qid));
	json_object_object_add(a->o, "registration_id",
	    json_object_new_int64(db_num(res, 0, "registration_id")));
	json_object_object_add(a->o, "candidate",
	    json_object_new_string(db_text(res, 0, "candidate")));
	json_object_object_add(a->o, "interviewer",
	    json_object_new_string(a->iv));
	json_object_object_add(a->o, "status", json_object_new_string(
	    a->ac->to));
	PQclear(res);
	act_tell(a);
	reply_json(a->rp, 200, a->o);
	a->o = NULL;
	return DB_OK;
}

/*
 * After a change of the locked subject (rc and res of its statement,
 * res consumed): commit, answer and tell (act_done, with cand), or 409
 * ended when the row was not there to change.  0 or a db_rc.
 */
static int
act_finish(struct act *a, int rc, PGresult *res, const char *cand)
{
	int	 made;

	if (rc != DB_OK)
		return rc;
	made = PQntuples(res) > 0;
	PQclear(res);
	if (!made) {
		act_refuse(a, &ended);
		return DB_OK;
	}
	if ((rc = db_commit()) != DB_OK)
		return rc;
	act_done(a, cand);
	return DB_OK;
}

/* The subject from the row's from to its to; told as the action (the
 * candidate's own name with the room when teller is set). */
static int
act_set(struct act *a, const char *teller)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	snprintf(q, sizeof(q), "%ld", a->qid);
	rc = db_q(STMT_QUEUE_SET_STATUS, &res, q, a->ac->to, a->ac->from);
	return act_finish(a, rc, res, teller);
}

/* begin_interview, complete_interview, no_show (an interviewer). */
static int
act_step(struct act *a)
{
	return act_set(a, NULL);
}

/* skip: the one called goes to the end of the line, waiting. */
static int
act_skip(struct act *a)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	snprintf(q, sizeof(q), "%ld", a->qid);
	rc = db_q(STMT_QUEUE_SKIP, &res, q);
	return act_finish(a, rc, res, NULL);
}

/* call_again: the one called hears the call again (nothing changes). */
static int
act_call_again(struct act *a)
{
	int	 rc;

	if ((rc = db_commit()) != DB_OK)
		return rc;
	act_done(a, NULL);
	return DB_OK;
}

/* call_again {queue_id}: a no-show or waiting candidate of the caller's
 * queue is called now. */
static int
act_recall(struct act *a)
{
	PGresult	*res = NULL;
	char		 q[24];
	int		 rc;

	snprintf(q, sizeof(q), "%ld", req_long(a->r, "queue_id"));
	if ((rc = db_q(STMT_QUEUE_RECALL, &res, q, a->ro, a->me)) != DB_OK)
		return rc;
	a->qid = PQntuples(res) > 0 ? req_long(a->r, "queue_id") : 0;
	PQclear(res);
	if (a->qid == 0) {
		reply_error(a->rp, 409, "invalid_state", "Only a no-show or "
		    "waiting candidate of your queue can be called again.",
		    NULL);
		return DB_OK;
	}
	if ((rc = db_commit()) != DB_OK)
		return rc;
	act_done(a, NULL);
	return DB_OK;
}

/* get_all_queues: the round's queues. */
static int
act_queues(struct act *a)
{
	queues_reply(a->rp, 200, a->round, 0);
	return DB_OK;
}

/*
 * leave (an interviewer): each candidate waiting for them goes to the
 * round's other interviewers, balanced, and hears "queue_moved" with the
 * new place; with no one else, they are held (status held) and hear it.
 * The room and the event's HR hear "interviewer_left".
 */
static int
act_iv_leave(struct act *a)
{
	PGresult	*res = NULL, *w = NULL;
	struct room	 room;
	char		 hr[OWNERS_LEN];
	int		 rc, i, held = 0;

	if ((rc = db_q(STMT_QUEUE_LEAVE, &res, a->ro, a->me)) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_WRITTEN, &w, a->ro, NULL)) != DB_OK ||
	    (rc = db_commit()) != DB_OK) {
		PQclear(res);
		PQclear(w);
		return rc;
	}
	for (i = 0; i < PQntuples(w); i++)
		if (strcmp(db_text(w, i, "interviewer"), a->iv) == 0)
			held++;
	json_object_object_add(a->o, "interviewer",
	    json_object_new_string(a->iv));
	json_object_object_add(a->o, "moved",
	    json_object_new_int64(db_num(res, 0, "moved")));
	json_object_object_add(a->o, "held", json_object_new_int64(held));
	PQclear(res);
	res = NULL;
	room_set(&room, a->iv, a->round);
	hr[0] = '\0';
	if (db_q(STMT_ROUND_HR, &res, a->ro) == DB_OK && PQntuples(res) > 0)
		snprintf(hr, sizeof(hr), "%s", db_text(res, 0, "owners"));
	PQclear(res);
	tell(a->ac->told, hr[0] ? hr : NULL, NULL, &room,
	    json_object_get(a->o));
	tell_written("queue_moved", w, NULL);
	PQclear(w);
	reply_json(a->rp, 200, a->o);
	a->o = NULL;
	return DB_OK;
}

/* accept_interview, reject_interview, leave (a candidate): their entry
 * from the row's from to its to; told as the action. */
static int
act_move(struct act *a)
{
	return act_set(a, a->r->who.username);
}

/* get_result: the candidate's reviews so far. */
static int
act_result(struct act *a)
{
	PGresult	*res = NULL;
	char		 reg[24];
	int		 rc;

	db_rollback();
	snprintf(reg, sizeof(reg), "%ld", a->reg);
	if ((rc = db_q(STMT_RESULT_JSON, &res, reg)) != DB_OK)
		return rc;
	reply_text(a->rp, 200, "application/json", db_text(res, 0, "result"),
	    db_len(res, 0, "result"), NULL);
	PQclear(res);
	return DB_OK;
}

/* The actions.  A name may have several rows: the first the caller's
 * request fits is taken (interviewers' before candidates'; call_again
 * with queue_id before without). */
static const struct action actions[] = {
	/* Interviewers: their call. */
	{ "start_next", act_staff, 0, "{none}", "called", "called",
	    act_start_next, &busy, NULL },
	{ "begin_interview", act_staff, 0, "{accepted}", "in_interview",
	    "in_interview", act_step, &not_accepted, &no_interview },
	{ "complete_interview", act_staff, 0, "{accepted,in_interview}",
	    "done", "completed", act_step, &never_accepted, &no_interview },
	{ "no_show", act_staff, 0, "{called}", "no_show", "no_show",
	    act_step, &accepted, &no_interview },
	{ "skip", act_staff, 0, "{called}", "waiting", "skipped", act_skip,
	    &accepted, &no_interview },
	{ "call_again", act_staff, A_QID, "{none}", "called", "called",
	    act_recall, &busy, NULL },
	{ "call_again", act_staff, 0, "{called}", "called", "called",
	    act_call_again, &not_called, &not_called },
	{ "leave", act_staff, 0, NULL, NULL, "interviewer_left",
	    act_iv_leave, NULL, NULL },
	/* Interviewers and the event's HR. */
	{ "get_all_queues", act_viewer, 0, NULL, NULL, NULL, act_queues,
	    NULL, NULL },
	/* Candidates: their entry. */
	{ "accept_interview", act_queued, 0, "{called}", "accepted",
	    "accept_interview", act_move, &you_not_called, NULL },
	{ "reject_interview", act_queued, 0, "{called}", "declined",
	    "reject_interview", act_move, &you_not_called, NULL },
	{ "leave", act_queued, 0, "{waiting,called,accepted,held}", "left",
	    "leave", act_move, &not_waiting, NULL },
	{ "get_result", act_queued, 0, NULL, NULL, NULL, act_result, NULL,
	    NULL },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

/* The names of actions[], for the action field. */
static const char *const action_names[] = { "start_next",
	"begin_interview", "complete_interview", "skip", "no_show",
	"call_again", "get_all_queues", "leave", "accept_interview",
	"reject_interview", "get_result", NULL };

/* The row of name for a caller (staff: interviews in the round; qid:
 * queue_id given): the first that fits, else the first of the name
 * (whose may refuses), else NULL. */
static const struct action *
action_find(const char *name, int staff, int qid)
{
	const struct action	*ac, *first = NULL;

	for (ac = actions; ac < actions + NACTIONS; ac++) {
		if (strcmp(ac->name, name) != 0 ||
		    ((ac->flags & A_QID) && !qid))
			continue;
		if (first == NULL)
			first = ac;
		if (ac->may != act_staff || staff)
			return ac;
	}
	return first;
}

/* Does the subject's state allow the action?  1, or 0 after a 409.  A
 * call that ended while we waited counts as none where none is allowed. */
static int
act_from(struct act *a)
{
	const struct action	*ac = a->ac;

	if (ac->from == NULL || status_in(ac->from, a->status))
		return 1;
	if (strcmp(a->status, "ended") == 0 && status_in(ac->from, "none")) {
		a->qid = 0;
		return 1;
	}
	if (strcmp(a->status, "ended") == 0)
		act_refuse(a, &ended);
	else if (strcmp(a->status, "none") == 0 && ac->none != NULL)
		act_refuse(a, ac->none);
	else
		act_refuse(a, ac->wrong);
	return 0;
}

/*
 * The validator: in one transaction, the caller's right (the row's may,
 * which reads the subject), the subject's from-state, then the row's
 * function, which commits.  Refusals and database errors roll back.
 */
static void
act_run(struct act *a)
{
	int	 rc;

	if ((rc = db_begin()) == DB_OK && (rc = a->ac->may(a)) == DB_OK &&
	    a->rp->status == 0 && act_from(a))
		rc = a->ac->fn(a);
	db_rollback();
	if (rc != DB_OK)
		reply_db(a->rp, rc);
}

const struct field f_interview_action[] = {
	{ "action", FT_ENUM, F_REQ, 1, 32, action_names, NULL },
	{ "session_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "queue_id", FT_ID, 0, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * POST interview-action {action, session_id (the round id), queue_id?}:
 * the original's WebSocket actions and the day's (actions[]).
 * Interviewers: start_next, begin_interview, complete_interview (only
 * once the candidate accepted the call), skip (the one called goes to
 * the end of the line), no_show, call_again {queue_id?}, get_all_queues
 * (the round's queues; the event's HR too), leave (their line goes to
 * the others or is held).  Candidates: accept_interview,
 * reject_interview, leave, get_result.  404 no such round; 403 not the
 * caller's to ask; 409 from a state the action does not start from.
 * Each change is one transaction; the outcome is published after commit
 * to the room, the candidate and the event's HR, and returned.
 */
void
h_interview_action(struct req *r, struct reply *rp)
{
	struct act	 a;
	int		 rc;

	memset(&a, 0, sizeof(a));
	a.r = r;
	a.rp = rp;
	a.round = req_long(r, "session_id");
	if ((a.ev = round_event(rp, a.round)) == 0)
		return;
	if ((rc = round_interviewer(a.round, r->who.user_id, &a.staff)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if ((a.ac = action_find(req_str(r, "action"), a.staff,
	    req_has(r, "queue_id"))) == NULL) {
		log_error("interview-action: no row for %s",
		    req_str(r, "action"));
		reply_error(rp, 500, "internal_error", "Unknown action.", NULL);
		return;
	}
	snprintf(a.ro, sizeof(a.ro), "%ld", a.round);
	snprintf(a.me, sizeof(a.me), "%ld", r->who.user_id);
	a.o = json_object_new_object();
	json_object_object_add(a.o, "action",
	    json_object_new_string(a.ac->name));
	json_object_object_add(a.o, "session_id",
	    json_object_new_int64(a.round));
	act_run(&a);
	json_object_put(a.o);
}
