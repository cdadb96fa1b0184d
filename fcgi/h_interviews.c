/*
 * Interview day: the queues (the original's "zoom mapping") and the
 * helpers the day's handlers share (interview.h): who is told what after
 * commit.  The live actions are in h_actions.c, reviews in h_reviews.c,
 * attendance in h_attend.c, chat in h_chat.c.  State lives in PostgreSQL.
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


void
room_set(struct room *rm, const char *iv, long round)
{
	snprintf(rm->iv, sizeof(rm->iv), "%s", iv);
	rm->round = round;
}

/* Add user_<u> (u: one username or several, comma-separated) to the
 * channel list ch unless it is there. */
static void
tell_add(struct buf *ch, const char *u)
{
	struct buf	 probe = { 0 };
	size_t		 n;

	for (; *u != '\0'; u += n + (u[n] == ',')) {
		if ((n = strcspn(u, ",")) == 0)
			continue;
		buf_printf(&probe, ",user_%.*s,", (int)n, u);
		if (ch->len == 0 || strstr(ch->data, probe.data) == NULL)
			buf_printf(ch, "%suser_%.*s,", ch->len ? "" : ",",
			    (int)n, u);
		buf_reset(&probe);
	}
	buf_free(&probe);
}

/* Publish o to the channels of ch (",user_a,user_b,"); nchan_publish
 * sends as many requests as the publisher's limits need.  Both are
 * consumed. */
static void
tell_send(struct buf *ch, struct json_object *o)
{
	const char	*msg;

	msg = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (ch->len > 1 && nchan_publish(ch->data + 1, msg) == -1)
		log_warn("tell: some of %zu bytes of channels missed a "
		    "message", ch->len);
	json_object_put(o);
	buf_free(ch);
}

/*
 * After commit: publish {"type": type, ...body} to user_<a>, user_<b>
 * (either may be NULL) and each member of room (may be NULL), once each.
 */
void
tell(const char *type, const char *a, const char *b, const struct room *room,
    struct json_object *body)
{
	struct json_object	*o;
	struct buf		 ch = { 0 };
	PGresult		*res = NULL;
	char			 ro[24];
	int			 i;

	o = body ? body : json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(type));
	if (a != NULL)
		tell_add(&ch, a);
	if (b != NULL)
		tell_add(&ch, b);
	if (room != NULL) {
		snprintf(ro, sizeof(ro), "%ld", room->round);
		tell_add(&ch, room->iv);
		if (db_q(STMT_ROOM_MEMBERS, &res, ro, room->iv) == DB_OK)
			for (i = 0; i < PQntuples(res); i++)
				tell_add(&ch, PQgetvalue(res, i, 0));
		else
			log_warn("room %s/%ld: members unknown; told the "
			    "interviewer only", room->iv, room->round);
		PQclear(res);
	}
	tell_send(&ch, o);
}

/*
 * After commit: each candidate of iv's queue in round but those written
 * (w: a QUEUE_WRITTEN result, told of their own place) hears
 * "queue_changed": their place may have moved.
 */
void
tell_waiters(const char *iv, long round, const PGresult *w)
{
	struct json_object	*o;
	struct buf		 ch = { 0 };
	PGresult		*res = NULL;
	char			 ro[24];
	int			 i, j, nw;

	snprintf(ro, sizeof(ro), "%ld", round);
	if (db_q(STMT_ROOM_MEMBERS, &res, ro, iv) != DB_OK)
		return;
	nw = w != NULL ? PQntuples(w) : 0;
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < nw && strcmp(PQgetvalue(w, j, 0),
		    PQgetvalue(res, i, 0)); j++)
			continue;
		if (j == nw)
			tell_add(&ch, PQgetvalue(res, i, 0));
	}
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "type",
	    json_object_new_string("queue_changed"));
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell_send(&ch, o);
}

/*
 * After commit: the candidate and the event's HR of queue entry qid, for
 * telling them beside the room.  Best effort: "" when unknown.
 */
void
queue_parties(long qid, char cand[72], char hr[OWNERS_LEN])
{
	PGresult	*res = NULL;
	char		 q[24];

	cand[0] = hr[0] = '\0';
	snprintf(q, sizeof(q), "%ld", qid);
	if (db_q(STMT_QUEUE_PARTIES, &res, q) != DB_OK)
		return;
	if (PQntuples(res) == 1) {
		snprintf(cand, 72, "%s", PQgetvalue(res, 0, 0));
		snprintf(hr, OWNERS_LEN, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
}

/* The round's event and next round; 0 after a 404/500 was sent. */
long
round_event(struct req *r, struct reply *rp, long round)
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
	ev = db_long(res, 0, 0);
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

/* Tell an interviewer that their queue in round changed. */
void
tell_queue(const char *iv, long round)
{
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell("queue_changed", iv, NULL, NULL, o);
}

/* Do row ra of a and row rb of b name the same interviewer and round
 * (username in column ca or cb, the round in the next one)? */
static int
same_queue(const PGresult *a, int ra, int ca, const PGresult *b, int rb,
    int cb)
{
	return strcmp(PQgetvalue(a, ra, ca), PQgetvalue(b, rb, cb)) == 0 &&
	    strcmp(PQgetvalue(a, ra, ca + 1), PQgetvalue(b, rb, cb + 1)) == 0;
}

/*
 * After commit.  w: a QUEUE_WRITTEN result (what the transaction wrote),
 * held: a QUEUE_HOLDERS or QUEUE_LATER_HOLDERS result taken before the
 * change; either may be NULL, neither is freed.  Each interviewer whose
 * queue gained, lost or moved someone hears "queue_changed" once per
 * round; each candidate written hears type with their place.
 */
void
tell_written(const char *type, const PGresult *w, const PGresult *held)
{
	int	 i, j, nw, nh;

	nw = w != NULL ? PQntuples(w) : 0;
	nh = held != NULL ? PQntuples(held) : 0;
	for (i = 0; i < nw; i++)
		if (i == 0 || !same_queue(w, i, 1, w, i - 1, 1))
			tell_queue(PQgetvalue(w, i, 1), db_long(w, i, 2));
	for (j = 0; j < nh; j++) {
		for (i = 0; i < nw && !same_queue(w, i, 1, held, j, 0); i++)
			continue;
		if (i == nw)
			tell_queue(PQgetvalue(held, j, 0), db_long(held, j, 1));
	}
	for (i = 0; i < nw; i++)
		tell(type, PQgetvalue(w, i, 0), NULL, NULL,
		    json_tokener_parse(PQgetvalue(w, i, 3)));
}

/* Send the round's queues (all, or one interviewer's). */
void
queues_reply(struct req *r, struct reply *rp, int status, long round, long interviewer)
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
	reply_text(rp, status, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* Send the round's queues with "changes" (consumed) beside them. */
static void
queues_reply_changes(struct req *r, struct reply *rp, long round, struct json_object *changes)
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
	if ((o = json_tokener_parse(PQgetvalue(res, 0, 0))) == NULL)
		o = json_object_new_object();
	PQclear(res);
	json_object_object_add(o, "changes", changes);
	reply_json(rp, 200, o);
}

/*
 * In the caller's transaction: HR places reg in interviewer iv's queue of
 * round ro.  DB_OK with what changed in change (see queue_place), or the
 * database error.  "done" and "busy" are refusals for the caller.
 */
static int
queue_place(const char *ro, const char *reg, const char *iv, char change[24])
{
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = db_q(STMT_QUEUE_PLACE_SET, &res, ro, reg, iv)) != DB_OK)
		return rc;
	snprintf(change, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return DB_OK;
}

/* The refusal of a placement that is "done" or "busy"; 0 when none. */
static int
queue_place_refused(struct req *r, struct reply *rp, const char *change)
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

/*
 * In the caller's transaction: one manual assignment e of round (of
 * event ev).  DB_OK with what changed appended to ch, or *bad set (the
 * assignment is invalid), or a 409 sent (rp->status set); or the database
 * error.
 */
static int
mapping_assign(struct req *r, struct reply *rp, struct json_object *e, long round, long ev,
    const char **bad, struct json_object *ch)
{
	struct json_object	*v, *o;
	PGresult		*res = NULL;
	char			 ro[24], reg[24], iv[24], change[24];
	int			 rc, yes;

	snprintf(ro, sizeof(ro), "%ld", round);
	json_object_object_get_ex(e, "registration_id", &v);
	snprintf(reg, sizeof(reg), "%lld", (long long)json_object_get_int64(v));
	json_object_object_get_ex(e, "interviewer_id", &v);
	snprintf(iv, sizeof(iv), "%lld", (long long)json_object_get_int64(v));
	if ((rc = round_interviewer(round, (long)json_object_get_int64(v),
	    &yes)) != DB_OK)
		return rc;
	if (!yes) {
		*bad = "an interviewer is not on this round";
		return DB_OK;
	}
	if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK)
		return rc;
	yes = PQntuples(res) > 0 && db_long(res, 0, 0) == ev;
	PQclear(res);
	if (!yes) {
		*bad = "a registration is not in this event";
		return DB_OK;
	}
	if ((rc = queue_place(ro, reg, iv, change)) != DB_OK ||
	    queue_place_refused(r, rp, change))
		return rc;
	o = json_object_new_object();
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(strtol(reg, NULL, 10)));
	json_object_object_add(o, "change", json_object_new_string(change));
	json_object_array_add(ch, o);
	return DB_OK;
}

/*
 * POST zoom-mapping {round_id, mode: auto|manual, assignments:
 * [{registration_id, interviewer_id}]} (the event's HR).  auto queues
 * everyone due in the round, balanced by queue length; manual puts (or
 * moves) each registration at the end of the interviewer's queue.  200
 * the queues.  After commit the HR hears "queues_changed", each
 * interviewer whose queue changed "queue_changed", each candidate queued
 * "queued" with their place.
 */
void
h_mapping_create(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *list = NULL, *e, *v, *o, *ch = NULL;
	PGresult		*held = NULL, *w = NULL;
	struct buf		 regs = { 0 };
	const char		*mode, *bad = NULL;
	char			 ro[24];
	long			 round = 0, ev;
	size_t			 i, n = 0;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "round_id", 1, 1, 1L << 62, &round, errs);
	if ((mode = jv_str(r->json, "mode", 0, 1, 10, errs)) == NULL)
		mode = "auto";
	if (strcmp(mode, "auto") && strcmp(mode, "manual"))
		jv_err(errs, "mode", "must be auto or manual");
	if (strcmp(mode, "manual") == 0 &&
	    (list = jv_array(r->json, "assignments", 1, 1000, errs)) != NULL)
		for (i = 0; i < json_object_array_length(list); i++) {
			e = json_object_array_get_idx(list, i);
			if (!json_object_object_get_ex(e, "registration_id",
			    &v) || json_object_get_int64(v) < 1 ||
			    !json_object_object_get_ex(e, "interviewer_id",
			    &v) || json_object_get_int64(v) < 1) {
				jv_err(errs, "assignments", "each needs "
				    "registration_id and interviewer_id");
				break;
			}
		}
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if ((ev = round_event(r, rp, round)) == 0)
		return;
	if ((rc = event_role(r, rp, ev, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "assigns candidates.", NULL);
		return;
	}
	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if (list == NULL)
		rc = db_q(STMT_QUEUE_AUTO_ASSIGN, NULL, ro);
	else {
		n = json_object_array_length(list);
		buf_puts(&regs, "{");
		for (i = 0; i < n; i++) {
			e = json_object_array_get_idx(list, i);
			json_object_object_get_ex(e, "registration_id", &v);
			buf_printf(&regs, "%s%lld", i > 0 ? "," : "",
			    (long long)json_object_get_int64(v));
		}
		buf_puts(&regs, "}");
		rc = db_q(STMT_QUEUE_HOLDERS, &held, ro, regs.data);
	}
	if (ch == NULL && list != NULL)
		ch = json_object_new_array();
	for (i = 0; rc == DB_OK && bad == NULL && i < n; i++) {
		rc = mapping_assign(r, rp, json_object_array_get_idx(list, i),
		    round, ev, &bad, ch);
		if (rc == DB_OK && rp->status != 0) {
			db_rollback();
			goto out;
		}
	}
	if (rc != DB_OK)
		goto dberr;
	if (bad != NULL) {
		db_rollback();
		errs = json_object_new_object();
		jv_err(errs, "assignments", bad);
		reply_invalid(rp, errs);
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
		queues_reply_changes(r, rp, round, ch);
		ch = NULL;
	} else
		queues_reply(r, rp, 200, round, 0);
	goto out;
dberr:
	db_rollback();
	reply_db(rp, rc);
out:
	PQclear(held);
	PQclear(w);
	json_object_put(ch);
	buf_free(&regs);
}

/* GET zoom-mapping?round_id=: HR all queues, interviewers theirs,
 * candidates their place. */
void
h_mapping_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ro[24], u[24];
	long		 round, ev;
	int		 rc, yes;

	if ((round = req_id_qs(r, rp, "round_id")) == 0 ||
	    (ev = round_event(r, rp, round)) == 0)
		return;
	switch (event_role(r, rp, ev, NULL, 0)) {
	case EV_NONE:
		return;
	case EV_OWNER:
		queues_reply(r, rp, 200, round, 0);
		return;
	case EV_INTERVIEWER:
		if ((rc = round_interviewer(round, r->who.user_id, &yes)) !=
		    DB_OK) {
			reply_db(rp, rc);
			return;
		}
		if (yes) {
			queues_reply(r, rp, 200, round, r->who.user_id);
			return;
		}
		break;
	case EV_CANDIDATE:
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
			    PQgetvalue(res, 0, 0),
			    (size_t)PQgetlength(res, 0, 0), NULL);
		PQclear(res);
		return;
	default:
		break;
	}
	reply_error(rp, 403, "forbidden", "This round is not yours.", NULL);
}

/* The queues with what changed for entry qid ("nothing changed" when
 * nothing did). */
static void
mapping_patch_reply(struct req *r, struct reply *rp, long round, long qid, const char *change)
{
	struct json_object	*ch, *o;

	ch = json_object_new_array();
	o = json_object_new_object();
	json_object_object_add(o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(o, "change", json_object_new_string(change));
	json_object_array_add(ch, o);
	queues_reply_changes(r, rp, round, ch);
}

/* After commit: the event's HR hears that entry qid moved (change). */
static void
mapping_patch_tell(long qid, const char *change)
{
	struct json_object	*o;
	char			 cand[72], hr[OWNERS_LEN];

	queue_parties(qid, cand, hr);
	if (hr[0] == '\0')
		return;
	o = json_object_new_object();
	json_object_object_add(o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(o, "candidate", json_object_new_string(cand));
	json_object_object_add(o, "change", json_object_new_string(change));
	tell("queue_moved", hr, NULL, NULL, o);
}

/*
 * PATCH zoom-mapping {queue_id, interviewer_id?, position?} (the event's
 * HR): move a candidate to another interviewer and/or place (position 1:
 * the next one called; the other waiting candidates keep their order).
 * 200 the queues; 409 not_waiting for a place given to a candidate
 * already called or seen.  After commit the candidate hears "queue_moved"
 * with their place; the old and the new interviewer, and the others
 * waiting for them, "queue_changed".
 */
void
h_mapping_patch(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	PGresult		*res = NULL, *held = NULL, *w = NULL;
	char			 q[24], ro[24], reg[24], iv[24], pos[24],
				 regs[32], change[24];
	long			 qid = 0, niv = 0, npos = 0, round, ev;
	int			 rc, hasiv, haspos, yes;

	errs = json_object_new_object();
	(void)jv_long(r->json, "queue_id", 1, 1, 1L << 62, &qid, errs);
	hasiv = jv_long(r->json, "interviewer_id", 0, 1, 1L << 62, &niv, errs);
	haspos = jv_long(r->json, "position", 0, 1, 100000, &npos, errs);
	if (json_object_object_length(errs) == 0 && hasiv != 1 && haspos != 1)
		jv_err(errs, "interviewer_id", "give interviewer_id and/or "
		    "position");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		reply_error(rp, 404, "not_found", "No such queue entry.", NULL);
		goto out;
	}
	round = db_long(res, 0, 0);
	ev = db_long(res, 0, 1);
	snprintf(reg, sizeof(reg), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	res = NULL;
	if ((rc = event_role(r, rp, ev, NULL, 0)) != EV_OWNER) {
		db_rollback();
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "moves candidates.", NULL);
		goto out;
	}
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(regs, sizeof(regs), "{%s}", reg);
	if ((rc = db_q(STMT_QUEUE_HOLDERS, &held, ro, regs)) != DB_OK)
		goto dberr;
	snprintf(change, sizeof(change), "nothing changed");
	if (hasiv == 1) {
		if ((rc = round_interviewer(round, niv, &yes)) != DB_OK)
			goto dberr;
		if (!yes) {
			db_rollback();
			errs = json_object_new_object();
			jv_err(errs, "interviewer_id", "is not on this round");
			reply_invalid(rp, errs);
			goto out;
		}
		snprintf(iv, sizeof(iv), "%ld", niv);
		if ((rc = queue_place(ro, reg, iv, change)) != DB_OK)
			goto dberr;
		if (queue_place_refused(r, rp, change)) {
			db_rollback();
			goto out;
		}
	}
	if (haspos == 1) {
		if (strcmp(change, "nothing changed") == 0)
			snprintf(change, sizeof(change), "moved");
		snprintf(pos, sizeof(pos), "%ld", npos);
		if ((rc = db_q(STMT_QUEUE_SET_POSITION, &res, q, pos)) != DB_OK)
			goto dberr;
		if (PQntuples(res) == 0) {
			db_rollback();
			reply_error(rp, 409, "not_waiting", "Only a waiting "
			    "candidate can be given a place in the queue.",
			    NULL);
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	if ((rc = db_q(STMT_QUEUE_WRITTEN, &w, ro, reg)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	if (PQntuples(w) == 0) {
		mapping_patch_reply(r, rp, round, qid, change);
		goto out;
	}
	tell_written("queue_moved", w, held);
	mapping_patch_tell(qid, change);
	/* The others of both queues: their places may have moved. */
	if (PQntuples(held) > 0)
		tell_waiters(PQgetvalue(held, 0, 0), round, w);
	if (PQntuples(w) > 0 && (PQntuples(held) == 0 ||
	    strcmp(PQgetvalue(w, 0, 1), PQgetvalue(held, 0, 0)) != 0))
		tell_waiters(PQgetvalue(w, 0, 1), round, w);
	mapping_patch_reply(r, rp, round, qid, change);
	goto out;
dberr:
	db_rollback();
	reply_db(rp, rc);
out:
	PQclear(res);
	PQclear(held);
	PQclear(w);
}

