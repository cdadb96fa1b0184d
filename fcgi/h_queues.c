/*
 * Interview day: the queues (the original's "zoom mapping") and the
 * round lookups the day's handlers share (interview.h).  Who is told
 * what after commit is in tell.c; the live actions are in h_actions.c,
 * reviews in h_reviews.c, attendance in h_attend.c, chat in h_chat.c.
 * State lives in PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "valid.h"

/* The round's event; 0 after a 404/500 was sent. */
long
round_event(struct reply *rp, long round)
{
	PGresult	*res = NULL;
	char		 ro[24];
	long		 ev;
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_q(STMT_ROUND_GET, &res, ro)) != DB_OK) {
		reply_db(rp, rc);
		return 0;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such round.", NULL);
		return 0;
	}
	ev = db_num(res, 0, "event_id");
	PQclear(res);
	return ev;
}

/*
 * Is user an interviewer of round?  DB_OK with *yes set (1 or 0), or the
 * database error for reply_db() (*yes 0).
 */
int
round_interviewer(long round, long user, int *yes)
{
	PGresult	*res = NULL;
	char		 ro[24], u[24];
	int		 rc;

	*yes = 0;
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(u, sizeof(u), "%ld", user);
	if ((rc = db_q(STMT_ROUND_IS_INTERVIEWER, &res, ro, u)) != DB_OK)
		return rc;
	*yes = PQntuples(res) > 0;
	PQclear(res);
	return DB_OK;
}

/* Is the caller an owner (HR) of event ev?  1; or 0 after a 404/500, or
 * a 403 with why, was sent. */
static int
event_owner(struct req *r, struct reply *rp, long ev, const char *why)
{
	enum ev_role	 role;

	if ((role = event_role(r, rp, ev, NULL, 0)) == EV_OWNER)
		return 1;
	if (role != EV_NONE)
		reply_error(rp, 403, "forbidden", why, NULL);
	return 0;
}

/* Send the round's queues (all, or one interviewer's). */
void
queues_reply(struct reply *rp, int status, long round,
    long interviewer)
{
	PGresult	*res = NULL;
	char		 ro[24], iv[24];
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(iv, sizeof(iv), "%ld", interviewer);
	rc = interviewer > 0 ? db_q(STMT_QUEUE_JSON_ONE, &res, ro, iv) :
	    db_q(STMT_QUEUE_JSON, &res, ro);
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, status, "application/json", db_text(res, 0, "queues"),
	    db_len(res, 0, "queues"), NULL);
	PQclear(res);
}

/* Send the round's queues with "changes" (consumed) beside them. */
static void
queues_reply_changes(struct reply *rp, long round,
    struct json_object *changes)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 ro[24];
	int			 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_q(STMT_QUEUE_JSON, &res, ro)) != DB_OK) {
		json_object_put(changes);
		reply_db(rp, rc);
		return;
	}
	if ((o = json_tokener_parse(db_text(res, 0, "queues"))) == NULL)
		o = json_object_new_object();
	PQclear(res);
	json_object_object_add(o, "changes", changes);
	reply_json(rp, 200, o);
}

/*
 * In the caller's transaction: HR places reg in interviewer iv's queue of
 * round ro.  DB_OK with what changed in change (see queue_place in
 * sql/015_interview_day.sql), or the database error.  "done" and "busy"
 * are refusals for the caller (queue_place_refused).
 */
static int
queue_place(const char *ro, const char *reg, const char *iv, char change[24])
{
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = db_q(STMT_QUEUE_PLACE_SET, &res, ro, reg, iv)) != DB_OK)
		return rc;
	snprintf(change, 24, "%s", db_text(res, 0, "change"));
	PQclear(res);
	return DB_OK;
}

/* The refusal of a placement that is "done" or "busy"; 0 when none. */
static int
queue_place_refused(struct reply *rp, const char *change)
{
	if (strcmp(change, "done") == 0)
		reply_error(rp, 409, "interviewed", "This candidate was "
		    "interviewed in this round already; they cannot be queued "
		    "again.", NULL);
	else if (strcmp(change, "busy") == 0)
		reply_error(rp, 409, "in_interview", "This candidate is called "
		    "or in an interview now; move them once it is over.", NULL);
	else
		return 0;
	return 1;
}

/* A 400 naming field with msg. */
static void
queue_invalid(struct reply *rp, const char *field, const char *msg)
{
	struct json_object	*errs;

	errs = json_object_new_object();
	jv_err(errs, field, msg);
	reply_invalid(rp, errs);
}

/* assignments: each an object with the ids registration_id and
 * interviewer_id. */
static void
assignments_check(const char *name, struct json_object *list,
    struct json_object *errs)
{
	struct json_object	*e;
	size_t			 i;
	long			 id;

	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (jv_long(e, "registration_id", 1, 1, 1L << 62, &id,
		    NULL) != 1 || jv_long(e, "interviewer_id", 1, 1, 1L << 62,
		    &id, NULL) != 1) {
			jv_err(errs, name, "each needs registration_id and "
			    "interviewer_id");
			return;
		}
	}
}

/*
 * In the caller's transaction: one manual assignment e (checked by
 * assignments_check) of round (of event ev).  DB_OK with what changed
 * appended to ch, or a 400/409 sent (rp->status set); or the database
 * error.
 */
static int
mapping_assign(struct reply *rp, struct json_object *e, long round, long ev,
    struct json_object *ch)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 ro[24], reg[24], iv[24], change[24];
	long			 rid = 0, ivid = 0;
	int			 rc, yes;

	(void)jv_long(e, "registration_id", 1, 1, 1L << 62, &rid, NULL);
	(void)jv_long(e, "interviewer_id", 1, 1, 1L << 62, &ivid, NULL);
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(reg, sizeof(reg), "%ld", rid);
	snprintf(iv, sizeof(iv), "%ld", ivid);
	if ((rc = round_interviewer(round, ivid, &yes)) != DB_OK)
		return rc;
	if (!yes) {
		queue_invalid(rp, "assignments", "an interviewer is not on "
		    "this round");
		return DB_OK;
	}
	if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK)
		return rc;
	yes = PQntuples(res) > 0 && db_num(res, 0, "event_id") == ev;
	PQclear(res);
	if (!yes) {
		queue_invalid(rp, "assignments", "a registration is not in "
		    "this event");
		return DB_OK;
	}
	if ((rc = queue_place(ro, reg, iv, change)) != DB_OK ||
	    queue_place_refused(rp, change))
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(rid));
	json_object_object_add(o, "change", json_object_new_string(change));
	json_object_array_add(ch, o);
	return DB_OK;
}

/*
 * In the caller's transaction: the assignments of list in round (of
 * event ev), in order.  DB_OK with *held (QUEUE_HOLDERS before the
 * change, the caller clears it) and what changed appended to ch, or a
 * 400/409 sent (rp->status set); or the database error.
 */
static int
mapping_manual(struct reply *rp, struct json_object *list, long round,
    long ev, PGresult **held, struct json_object *ch)
{
	struct buf	 regs = { 0 };
	char		 ro[24];
	long		 id;
	size_t		 i, n;
	int		 rc;

	n = json_object_array_length(list);
	buf_puts(&regs, "{");
	for (i = 0; i < n; i++) {
		(void)jv_long(json_object_array_get_idx(list, i),
		    "registration_id", 1, 1, 1L << 62, &id, NULL);
		buf_printf(&regs, "%s%ld", i > 0 ? "," : "", id);
	}
	buf_puts(&regs, "}");
	snprintf(ro, sizeof(ro), "%ld", round);
	rc = db_q(STMT_QUEUE_HOLDERS, held, ro, regs.data);
	buf_free(&regs);
	for (i = 0; rc == DB_OK && rp->status == 0 && i < n; i++)
		rc = mapping_assign(rp, json_object_array_get_idx(list, i),
		    round, ev, ch);
	return rc;
}

static const char *const mapping_modes[] = { "auto", "manual", NULL };

const struct field f_zoom_mapping_create[] = {
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "mode", FT_ENUM, 0, 1, 10, mapping_modes, NULL },
	{ "assignments", FT_ARRAY, 0, 0, 1000, NULL, assignments_check },
	FIELDS_END
};

/*
 * POST zoom-mapping {round_id, mode: auto|manual, assignments:
 * [{registration_id, interviewer_id}]} (the event's HR; assignments
 * required with manual).  auto queues everyone due in the round,
 * balanced by queue length; manual puts (or moves) each registration at
 * the end of the interviewer's queue.  200 the queues (manual: with the
 * "changes").  After commit the HR hears "queues_changed", each
 * interviewer whose queue changed "queue_changed", each candidate queued
 * "queued" with their place.
 */
void
h_mapping_create(struct req *r, struct reply *rp)
{
	struct json_object	*list = NULL, *o, *ch = NULL;
	PGresult		*held = NULL, *w = NULL;
	const char		*mode;
	char			 ro[24];
	long			 round, ev;
	int			 rc;

	round = req_long(r, "round_id");
	mode = req_str(r, "mode");
	if (mode != NULL && strcmp(mode, "manual") == 0 &&
	    (list = req_obj(r, "assignments")) == NULL) {
		queue_invalid(rp, "assignments", "is required");
		return;
	}
	if ((ev = round_event(rp, round)) == 0 || !event_owner(r, rp, ev,
	    "Only the event's HR assigns candidates."))
		return;
	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if (list == NULL)
		rc = db_q(STMT_QUEUE_AUTO_ASSIGN, NULL, ro);
	else {
		ch = json_object_new_array();
		rc = mapping_manual(rp, list, round, ev, &held, ch);
	}
	if (rc != DB_OK)
		goto dberr;
	if (rp->status != 0) {
		db_rollback();
		goto out;
	}
	if ((rc = db_q(STMT_QUEUE_WRITTEN, &w, ro, NULL)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell("queues_changed", r->who.username, NULL, NULL, o);
	tell_written("queued", w, held);
	if (ch != NULL) {
		queues_reply_changes(rp, round, ch);
		ch = NULL;
	} else
		queues_reply(rp, 200, round, 0);
	goto out;
dberr:
	db_rollback();
	reply_db(rp, rc);
out:
	PQclear(held);
	PQclear(w);
	json_object_put(ch);
}

/* A candidate's own place in round's queues. */
static void
mapping_mine(struct req *r, struct reply *rp, long round)
{
	PGresult	*res = NULL;
	char		 ro[24], u[24];
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(u, sizeof(u), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_QUEUE_MINE, &res, ro, u)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "You are not in this "
		    "round's queues.", NULL);
	else
		reply_text(rp, 200, "application/json",
		    db_text(res, 0, "place"), db_len(res, 0, "place"), NULL);
	PQclear(res);
}

const struct field f_zoom_mapping[] = {
	{ "round_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET zoom-mapping?round_id=: HR all queues, interviewers theirs,
 * candidates their place. */
void
h_mapping_get(struct req *r, struct reply *rp)
{
	enum ev_role	 role;
	long		 round, ev;
	int		 rc, yes = 0;

	round = req_long(r, "round_id");
	if ((ev = round_event(rp, round)) == 0 ||
	    (role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return;
	if (role == EV_OWNER)
		queues_reply(rp, 200, round, 0);
	else if (role == EV_CANDIDATE)
		mapping_mine(r, rp, round);
	else if (role == EV_INTERVIEWER && (rc = round_interviewer(round,
	    r->who.user_id, &yes)) != DB_OK)
		reply_db(rp, rc);
	else if (yes)
		queues_reply(rp, 200, round, r->who.user_id);
	else
		reply_error(rp, 403, "forbidden", "This round is not yours.",
		    NULL);
}

/* The queues with what changed for entry qid ("nothing changed" when
 * nothing did). */
static void
mapping_patch_reply(struct reply *rp, long round, long qid,
    const char *change)
{
	struct json_object	*ch, *o;

	ch = json_object_new_array();
	o = json_object_new_object();
	json_object_object_add(o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(o, "change", json_object_new_string(change));
	json_object_array_add(ch, o);
	queues_reply_changes(rp, round, ch);
}

/*
 * After commit: entry qid moved (change) in round.  w: QUEUE_WRITTEN,
 * held: QUEUE_HOLDERS before.  The candidate hears "queue_moved" with
 * their place, the event's HR "queue_moved"; the old and the new
 * interviewer, and the others waiting for them, "queue_changed".
 */
static void
mapping_patch_tell(long qid, long round, const char *change,
    const PGresult *w, const PGresult *held)
{
	struct json_object	*o;
	const char		*old;
	char			 cand[72], hr[OWNERS_LEN];

	tell_written("queue_moved", w, held);
	queue_parties(qid, cand, hr);
	if (hr[0] != '\0') {
		o = json_object_new_object();
		json_object_object_add(o, "queue_id",
		    json_object_new_int64(qid));
		json_object_object_add(o, "candidate",
		    json_object_new_string(cand));
		json_object_object_add(o, "change",
		    json_object_new_string(change));
		tell("queue_moved", hr, NULL, NULL, o);
	}
	old = PQntuples(held) > 0 ? db_text(held, 0, "interviewer") : NULL;
	if (old != NULL)
		tell_waiters(old, round, w);
	if (old == NULL || strcmp(db_text(w, 0, "interviewer"), old) != 0)
		tell_waiters(db_text(w, 0, "interviewer"), round, w);
}

/*
 * In the caller's transaction: move entry q (registration reg) of round
 * ro to the interviewer and/or the position r asks for.  DB_OK with what
 * changed in change, or a 400/409 sent (rp->status set); or the database
 * error.
 */
static int
mapping_move(struct req *r, struct reply *rp, long round, const char *q,
    const char *reg, char change[24])
{
	PGresult	*res = NULL;
	char		 ro[24], iv[24], pos[24];
	int		 rc, yes;

	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(change, 24, "nothing changed");
	if (req_has(r, "interviewer_id")) {
		if ((rc = round_interviewer(round, req_long(r,
		    "interviewer_id"), &yes)) != DB_OK)
			return rc;
		if (!yes) {
			queue_invalid(rp, "interviewer_id", "is not on this "
			    "round");
			return DB_OK;
		}
		snprintf(iv, sizeof(iv), "%ld", req_long(r, "interviewer_id"));
		if ((rc = queue_place(ro, reg, iv, change)) != DB_OK ||
		    queue_place_refused(rp, change))
			return rc;
	}
	if (!req_has(r, "position"))
		return DB_OK;
	if (strcmp(change, "nothing changed") == 0)
		snprintf(change, 24, "moved");
	snprintf(pos, sizeof(pos), "%ld", req_long(r, "position"));
	if ((rc = db_q(STMT_QUEUE_SET_POSITION, &res, q, pos)) != DB_OK)
		return rc;
	if (PQntuples(res) == 0)
		reply_error(rp, 409, "not_waiting", "Only a waiting candidate "
		    "can be given a place in the queue.", NULL);
	PQclear(res);
	return DB_OK;
}

const struct field f_zoom_mapping_patch[] = {
	{ "queue_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "interviewer_id", FT_ID, 0, 0, 0, NULL, NULL },
	{ "position", FT_INT, 0, 1, 100000, NULL, NULL },
	FIELDS_END
};

/*
 * PATCH zoom-mapping {queue_id, interviewer_id?, position?} (the event's
 * HR; one of the two at least): move a candidate to another interviewer
 * and/or place (position 1: the next one called; the other waiting
 * candidates keep their order).  200 the queues; 409 not_waiting for a
 * place given to a candidate already called or seen.  Who hears of it:
 * mapping_patch_tell.
 */
void
h_mapping_patch(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL, *held = NULL, *w = NULL;
	char		 q[24], ro[24], reg[24], regs[32], change[24];
	long		 qid, round, ev;
	int		 rc;

	if (!req_has(r, "interviewer_id") && !req_has(r, "position")) {
		queue_invalid(rp, "interviewer_id", "give interviewer_id "
		    "and/or position");
		return;
	}
	qid = req_long(r, "queue_id");
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		reply_error(rp, 404, "not_found", "No such queue entry.", NULL);
		goto out;
	}
	round = db_num(res, 0, "round_id");
	ev = db_num(res, 0, "event_id");
	snprintf(reg, sizeof(reg), "%s", db_text(res, 0, "registration_id"));
	if (!event_owner(r, rp, ev, "Only the event's HR moves candidates.")) {
		db_rollback();
		goto out;
	}
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(regs, sizeof(regs), "{%s}", reg);
	if ((rc = db_q(STMT_QUEUE_HOLDERS, &held, ro, regs)) != DB_OK ||
	    (rc = mapping_move(r, rp, round, q, reg, change)) != DB_OK)
		goto dberr;
	if (rp->status != 0) {
		db_rollback();
		goto out;
	}
	if ((rc = db_q(STMT_QUEUE_WRITTEN, &w, ro, reg)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	if (PQntuples(w) > 0)
		mapping_patch_tell(qid, round, change, w, held);
	mapping_patch_reply(rp, round, qid, change);
	goto out;
dberr:
	db_rollback();
	reply_db(rp, rc);
out:
	PQclear(res);
	PQclear(held);
	PQclear(w);
}
