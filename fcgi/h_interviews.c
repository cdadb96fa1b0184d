/*
 * Interview day: queues (the original's "zoom mapping"), live actions,
 * reviews with the advance rule, attendance, and HR-candidate chat.
 * State lives in PostgreSQL; every change is published after commit to
 * the people who watch it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "nchan.h"
#include "valid.h"

/*
 * An interviewer's room in a round: the interviewer and every candidate of
 * their queue there (whom /internal/ws-auth admits to that session).  It is
 * not an nchan channel: a socket subscribed to several channels loses
 * messages now and then in nchan 1.3.6, so every socket has one channel,
 * its user's, and tell() publishes a room message to each member's.
 */
struct room {
	char	 iv[72];	/* the interviewer's username */
	long	 round;
};

static void
room_set(struct room *rm, const char *iv, long round)
{
	snprintf(rm->iv, sizeof(rm->iv), "%s", iv);
	rm->round = round;
}

/* Add user_<u> to the channel list ch unless it is there. */
static void
tell_add(struct buf *ch, const char *u)
{
	struct buf	 probe = { 0 };

	buf_printf(&probe, ",user_%s,", u);
	if (ch->len == 0 || strstr(ch->data, probe.data) == NULL)
		buf_printf(ch, "%suser_%s,", ch->len ? "" : ",", u);
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
static void
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
static void
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
static void
queue_parties(long qid, char cand[72], char hr[72])
{
	PGresult	*res = NULL;
	char		 q[24];

	cand[0] = hr[0] = '\0';
	snprintf(q, sizeof(q), "%ld", qid);
	if (db_q(STMT_QUEUE_PARTIES, &res, q) != DB_OK)
		return;
	if (PQntuples(res) == 1) {
		snprintf(cand, 72, "%s", PQgetvalue(res, 0, 0));
		snprintf(hr, 72, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
}

/* The round's event and next round; 0 after a 404/500 was sent. */
static long
round_event(struct req *r, long round)
{
	PGresult	*res = NULL;
	char		 ro[24];
	long		 ev;
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_q(STMT_ROUND_GET, &res, ro)) != DB_OK) {
		resp_db(r, rc);
		return 0;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_error(r, 404, "not_found", "No such round.", NULL);
		return 0;
	}
	ev = db_long(res, 0, 0);
	PQclear(res);
	return ev;
}

/*
 * Is user an interviewer of round?  DB_OK with *yes set (1 or 0), or the
 * database error for resp_db() (*yes 0).
 */
static int
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
static void
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
static void
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
static void
queues_reply(struct req *r, int status, long round, long interviewer)
{
	PGresult	*res = NULL;
	char		 ro[24], iv[24];
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(iv, sizeof(iv), "%ld", interviewer);
	rc = interviewer > 0 ? db_q(STMT_QUEUE_JSON_ONE, &res, ro, iv) :
	    db_q(STMT_QUEUE_JSON, &res, ro);
	if (rc != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, status, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
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
h_mapping_create(struct req *r)
{
	struct json_object	*errs, *list = NULL, *e, *v, *o;
	PGresult		*res = NULL, *held = NULL, *w = NULL;
	struct buf		 regs = { 0 };
	const char		*mode, *bad = NULL;
	char			 ro[24], reg[24], iv[24];
	long			 round = 0, ev;
	size_t			 i, n = 0;
	int			 rc, yes;

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
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if ((ev = round_event(r, round)) == 0)
		return;
	if ((rc = event_role(r, ev, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			resp_error(r, 403, "forbidden", "Only the event's HR "
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
	for (i = 0; rc == DB_OK && i < n; i++) {
		e = json_object_array_get_idx(list, i);
		json_object_object_get_ex(e, "registration_id", &v);
		snprintf(reg, sizeof(reg), "%lld",
		    (long long)json_object_get_int64(v));
		json_object_object_get_ex(e, "interviewer_id", &v);
		snprintf(iv, sizeof(iv), "%lld",
		    (long long)json_object_get_int64(v));
		if ((rc = round_interviewer(round,
		    (long)json_object_get_int64(v), &yes)) != DB_OK)
			break;
		if (!yes) {
			bad = "an interviewer is not on this round";
			break;
		}
		if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK)
			break;
		yes = PQntuples(res) > 0 && db_long(res, 0, 0) == ev;
		PQclear(res);
		res = NULL;
		if (!yes) {
			bad = "a registration is not in this event";
			break;
		}
		rc = db_q(STMT_QUEUE_ASSIGN, NULL, ro, reg, iv);
	}
	if (rc != DB_OK)
		goto dberr;
	if (bad != NULL) {
		db_rollback();
		errs = json_object_new_object();
		jv_err(errs, "assignments", bad);
		resp_invalid(r, errs);
		goto out;
	}
	if ((rc = db_q(STMT_QUEUE_WRITTEN, &w, ro, NULL)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell("queues_changed", r->who.username, NULL, NULL, o);
	tell_written("queued", w, held);
	queues_reply(r, 200, round, 0);
	goto out;
dberr:
	db_rollback();
	resp_db(r, rc);
out:
	PQclear(res);
	PQclear(held);
	PQclear(w);
	buf_free(&regs);
}

/* GET zoom-mapping?round_id=: HR all queues, interviewers theirs,
 * candidates their place. */
void
h_mapping_get(struct req *r)
{
	PGresult	*res = NULL;
	char		 ro[24], u[24];
	long		 round, ev;
	int		 rc, yes;

	if ((round = req_id_qs(r, "round_id")) == 0 ||
	    (ev = round_event(r, round)) == 0)
		return;
	switch (event_role(r, ev, NULL, 0)) {
	case EV_NONE:
		return;
	case EV_OWNER:
		queues_reply(r, 200, round, 0);
		return;
	case EV_INTERVIEWER:
		if ((rc = round_interviewer(round, r->who.user_id, &yes)) !=
		    DB_OK) {
			resp_db(r, rc);
			return;
		}
		if (yes) {
			queues_reply(r, 200, round, r->who.user_id);
			return;
		}
		break;
	case EV_CANDIDATE:
		snprintf(ro, sizeof(ro), "%ld", round);
		snprintf(u, sizeof(u), "%ld", r->who.user_id);
		if ((rc = db_q(STMT_QUEUE_MINE, &res, ro, u)) != DB_OK) {
			resp_db(r, rc);
			return;
		}
		if (PQntuples(res) == 0)
			resp_error(r, 404, "not_found", "You are not in this "
			    "round's queues.", NULL);
		else
			resp_text(r, 200, "application/json",
			    PQgetvalue(res, 0, 0),
			    (size_t)PQgetlength(res, 0, 0), NULL);
		PQclear(res);
		return;
	default:
		break;
	}
	resp_error(r, 403, "forbidden", "This round is not yours.", NULL);
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
h_mapping_patch(struct req *r)
{
	struct json_object	*errs;
	PGresult		*res = NULL, *held = NULL, *w = NULL;
	char			 q[24], ro[24], reg[24], iv[24], pos[24],
				 regs[32];
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
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_QUEUE_GET, &res, q)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		resp_error(r, 404, "not_found", "No such queue entry.", NULL);
		goto out;
	}
	round = db_long(res, 0, 0);
	ev = db_long(res, 0, 1);
	snprintf(reg, sizeof(reg), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	res = NULL;
	if ((rc = event_role(r, ev, NULL, 0)) != EV_OWNER) {
		db_rollback();
		if (rc != EV_NONE)
			resp_error(r, 403, "forbidden", "Only the event's HR "
			    "moves candidates.", NULL);
		goto out;
	}
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(regs, sizeof(regs), "{%s}", reg);
	if ((rc = db_q(STMT_QUEUE_HOLDERS, &held, ro, regs)) != DB_OK)
		goto dberr;
	if (hasiv == 1) {
		if ((rc = round_interviewer(round, niv, &yes)) != DB_OK)
			goto dberr;
		if (!yes) {
			db_rollback();
			errs = json_object_new_object();
			jv_err(errs, "interviewer_id", "is not on this round");
			resp_invalid(r, errs);
			goto out;
		}
		snprintf(iv, sizeof(iv), "%ld", niv);
		if ((rc = db_q(STMT_QUEUE_ASSIGN, NULL, ro, reg, iv)) != DB_OK)
			goto dberr;
	}
	if (haspos == 1) {
		snprintf(pos, sizeof(pos), "%ld", npos);
		if ((rc = db_q(STMT_QUEUE_SET_POSITION, &res, q, pos)) != DB_OK)
			goto dberr;
		if (PQntuples(res) == 0) {
			db_rollback();
			resp_error(r, 409, "not_waiting", "Only a waiting "
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
	tell_written("queue_moved", w, held);
	/* The others of both queues: their places may have moved. */
	if (PQntuples(held) > 0)
		tell_waiters(PQgetvalue(held, 0, 0), round, w);
	if (PQntuples(w) > 0 && (PQntuples(held) == 0 ||
	    strcmp(PQgetvalue(w, 0, 1), PQgetvalue(held, 0, 0)) != 0))
		tell_waiters(PQgetvalue(w, 0, 1), round, w);
	queues_reply(r, 200, round, 0);
	goto out;
dberr:
	db_rollback();
	resp_db(r, rc);
out:
	PQclear(res);
	PQclear(held);
	PQclear(w);
}

/*
 * Attendance: POST zoom-attendance {event_id, round_id?, action:
 * join|leave}; POST interviewee-join {event_id, round_id?} (join).
 */
static void
attend(struct req *r, const char *forced)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*action = forced, *role;
	char			 ev[24], ro[24], u[24];
	long			 event = 0, round = 0;
	int			 rc, hasround, er;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &event, errs);
	hasround = jv_long(r->json, "round_id", 0, 1, 1L << 62, &round, errs);
	if (action == NULL && (action = jv_str(r->json, "action", 1, 1, 8,
	    errs)) != NULL && strcmp(action, "join") && strcmp(action, "leave"))
		jv_err(errs, "action", "must be join or leave");
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	er = event_role(r, event, NULL, 0);
	if (er == EV_NONE)
		return;
	if (er == EV_OTHER || er == EV_OWNER) {
		resp_error(r, 403, "forbidden", "Only the event's interviewers "
		    "and candidates attend it.", NULL);
		return;
	}
	role = er == EV_INTERVIEWER ? "Interviewer" : "Interviewee";
	if (forced != NULL && er != EV_CANDIDATE) {
		resp_error(r, 403, "forbidden", "Only candidates join as "
		    "interviewees.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(u, sizeof(u), "%ld", r->who.user_id);
	if (strcmp(action, "join") == 0)
		rc = db_q(STMT_ATTEND_JOIN, &res, ev, hasround == 1 ? ro : NULL,
		    u, role);
	else
		rc = db_q(STMT_ATTEND_LEAVE, &res, ev, hasround == 1 ? ro :
		    NULL, u);
	if (rc != DB_OK) {
		resp_db(r, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_error(r, 409, "not_joined", "You have not joined.", NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "attendance_id",
	    json_object_new_int64(db_long(res, 0, 0)));
	json_object_object_add(o, "action", json_object_new_string(action));
	json_object_object_add(o, "role", json_object_new_string(role));
	json_object_object_add(o, "at",
	    json_object_new_string(PQgetvalue(res, 0, 1)));
	PQclear(res);
	resp_json(r, strcmp(action, "join") == 0 ? 201 : 200, o);
}

void
h_zoom_attendance(struct req *r)
{
	attend(r, NULL);
}

void
h_interviewee_join(struct req *r)
{
	attend(r, "join");
}

/* GET zoom-joined-user?event_id=&round_id= (HR, interviewers). */
void
h_zoom_joined(struct req *r)
{
	PGresult	*res = NULL;
	const char	*v;
	char		 ev[24];
	long		 event, dummy;
	int		 rc;

	if ((event = req_id_qs(r, "event_id")) == 0)
		return;
	v = req_qs(r, "round_id");
	if (v != NULL && *v != '\0' && !valid_long(v, 1, 1L << 62, &dummy)) {
		(void)req_id_qs(r, "round_id");
		return;
	}
	rc = event_role(r, event, NULL, 0);
	if (rc == EV_NONE)
		return;
	if (rc != EV_OWNER && rc != EV_INTERVIEWER) {
		resp_error(r, 403, "forbidden", "Only the event's HR and "
		    "interviewers can see this.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	if ((rc = db_q(STMT_ATTEND_PRESENT, &res, ev, v && *v ? v : NULL)) !=
	    DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/*
 * POST candidate-review {registration_id, round_id, rating, ratings,
 * comments, result: pass|fail} (an interviewer of the round).
 * 201 {"review_id", "status"}: a pass moves the candidate to the next
 * round's queue (after the last round: selected), a fail rejects.  403
 * when you do not interview in the round or the candidate is not in it;
 * 409 when reviewed already by someone else, or when a later round has a
 * review already; 200 when the same interviewer edits the review.  After
 * commit the candidate and the event's HR hear "review"; the next
 * round's interviewer whose queue gained (or, on an edit, lost) the
 * candidate hears "queue_changed", and the candidate "queued" with the
 * new place.
 */
void
h_candidate_review(struct req *r)
{
	struct json_object	*errs, *ratings = NULL, *o = NULL;
	PGresult		*res = NULL, *held = NULL, *w = NULL;
	const char		*result, *comments;
	char			 reg[24], ro[24], iv[24], rt[16], cand[72],
				 status[16], hr[72], nx[24];
	long			 rid = 0, round = 0, rating = 0, prev;
	int			 rc, hasrating, in_round, yes, last;

	errs = json_object_new_object();
	(void)jv_long(r->json, "registration_id", 1, 1, 1L << 62, &rid, errs);
	(void)jv_long(r->json, "round_id", 1, 1, 1L << 62, &round, errs);
	hasrating = jv_long(r->json, "rating", 0, 1, 5, &rating, errs);
	if ((comments = jv_text(r->json, "comments", 0, 0, 4000, errs)) == NULL)
		comments = "";
	if ((result = jv_str(r->json, "result", 1, 1, 8, errs)) != NULL &&
	    strcmp(result, "pass") && strcmp(result, "fail"))
		jv_err(errs, "result", "must be pass or fail");
	if ((ratings = jv_array(r->json, "ratings", 0, 100, errs)) != NULL) {
		size_t i;
		struct json_object *e, *q, *v;

		for (i = 0; i < json_object_array_length(ratings); i++) {
			e = json_object_array_get_idx(ratings, i);
			if (!json_object_object_get_ex(e, "question_id", &q) ||
			    !json_object_is_type(q, json_type_int) ||
			    !json_object_object_get_ex(e, "rating", &v) ||
			    !json_object_is_type(v, json_type_int) ||
			    json_object_get_int(v) < 1 ||
			    json_object_get_int(v) > 5) {
				jv_err(errs, "ratings", "each needs a "
				    "question_id and a rating from 1 to 5");
				break;
			}
		}
	}
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if ((rc = round_interviewer(round, r->who.user_id, &yes)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	if (!yes) {
		if (round_event(r, round) != 0)
			resp_error(r, 403, "forbidden", "You do not interview "
			    "in this round.", NULL);
		return;
	}
	snprintf(reg, sizeof(reg), "%ld", rid);
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(iv, sizeof(iv), "%ld", r->who.user_id);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_REVIEW_CONTEXT, &res, reg, ro)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		resp_error(r, 404, "not_found", "No such registration.", NULL);
		goto out;
	}
	in_round = PQgetvalue(res, 0, 2)[0] == 't';
	prev = PQgetisnull(res, 0, 3) ? 0 : db_long(res, 0, 3);
	snprintf(cand, sizeof(cand), "%s", PQgetvalue(res, 0, 4));
	snprintf(hr, sizeof(hr), "%s", PQgetvalue(res, 0, 6));
	last = PQgetisnull(res, 0, 7);
	snprintf(nx, sizeof(nx), "%s", PQgetvalue(res, 0, 7));
	if (PQgetvalue(res, 0, 5)[0] == 't') {
		db_rollback();
		resp_error(r, 409, "already_advanced", "This candidate has been "
		    "reviewed in a later round; this review can no longer "
		    "change.", NULL);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (!in_round && prev == 0) {
		db_rollback();
		resp_error(r, 403, "forbidden", "This candidate is not in your "
		    "round.", NULL);
		goto out;
	}
	if (prev != 0 && prev != r->who.user_id) {
		db_rollback();
		resp_error(r, 409, "already_reviewed", "Another interviewer "
		    "reviewed this candidate in this round.", NULL);
		goto out;
	}
	snprintf(rt, sizeof(rt), "%ld", rating);
	if ((rc = db_q(STMT_REVIEW_UPSERT, &res, reg, ro, iv, hasrating == 1 ?
	    rt : NULL, ratings ? json_object_to_json_string(ratings) : "[]",
	    comments, result)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		resp_error(r, 409, "already_reviewed", "Another interviewer "
		    "reviewed this candidate in this round.", NULL);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "review_id",
	    json_object_new_int64(db_long(res, 0, 0)));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_QUEUE_LATER_HOLDERS, &held, reg, ro)) != DB_OK ||
	    (rc = db_q(STMT_REVIEW_ADVANCE, &res, reg, ro)) != DB_OK)
		goto dberr;
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 0));
	if ((!last && (rc = db_q(STMT_QUEUE_WRITTEN, &w, nx, reg)) != DB_OK) ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(o, "registration_id", json_object_new_int64(rid));
	json_object_object_add(o, "result", json_object_new_string(result));
	json_object_object_add(o, "status", json_object_new_string(status));
	tell("review", cand, hr[0] != '\0' ? hr : NULL, NULL,
	    json_object_get(o));
	tell_written("queued", w, held);
	resp_json(r, prev ? 200 : 201, o);
	o = NULL;
	goto out;
dberr:
	db_rollback();
	resp_db(r, rc);
out:
	json_object_put(o);
	PQclear(res);
	PQclear(held);
	PQclear(w);
}

/*
 * GET hr-user-chatting?event_id=&candidate_id= and POST {event_id,
 * candidate_id, message}: the thread between the event's HR and one of
 * its candidates; only those two read or write it.
 */
static int
chat_parties(struct req *r, long event, long *cand, char hr[72],
    char who[72])
{
	PGresult	*res = NULL;
	char		 ev[24], c[24], me[24];
	int		 role, rc;

	role = event_role(r, event, NULL, 0);
	if (role == EV_NONE)
		return -1;
	if (role == EV_CANDIDATE) {
		if (*cand != 0 && *cand != r->who.user_id) {
			resp_error(r, 403, "forbidden", "This thread is not "
			    "yours.", NULL);
			return -1;
		}
		*cand = r->who.user_id;
	} else if (role != EV_OWNER) {
		resp_error(r, 403, "forbidden", "Only the event's HR and its "
		    "candidate can read this thread.", NULL);
		return -1;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", *cand);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_CANDIDATE, &res, ev, c)) != DB_OK) {
		resp_db(r, rc);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_error(r, 404, "not_found", "That candidate is not "
		    "registered for this event.", NULL);
		return -1;
	}
	snprintf(who, 72, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, me)) != DB_OK) {
		resp_db(r, rc);
		return -1;
	}
	snprintf(hr, 72, "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

void
h_chat_get(struct req *r)
{
	PGresult	*res = NULL;
	const char	*v;
	char		 ev[24], c[24], lim[16], off[24], hr[72], who[72];
	long		 event, cand = 0, page, size;
	int		 rc;

	if ((event = req_id_qs(r, "event_id")) == 0)
		return;
	if ((v = req_qs(r, "candidate_id")) != NULL && *v != '\0' &&
	    (cand = req_id_qs(r, "candidate_id")) == 0)
		return;
	if (cand == 0 && strcmp(r->who.user_type, "Hr") == 0) {
		(void)req_id_qs(r, "candidate_id");
		return;
	}
	if (req_page(r, &page, &size) == -1 ||
	    chat_parties(r, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	snprintf(lim, sizeof(lim), "%ld", size);
	snprintf(off, sizeof(off), "%ld", (page - 1) * size);
	if ((rc = db_q(STMT_CHAT_PAGE, &res, ev, c, lim, off)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_page_raw(r, db_long(res, 0, 0), page, size, PQgetvalue(res, 0, 1));
	PQclear(res);
}

void
h_chat_post(struct req *r)
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
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if (chat_parties(r, event, &cand, hr, who) == -1)
		return;
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(c, sizeof(c), "%ld", cand);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_CHAT_INSERT, &res, ev, c, me, msg)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	o = json_tokener_parse(PQgetvalue(res, 0, 0));
	tell("chat", hr, who, NULL, json_tokener_parse(PQgetvalue(res, 0, 0)));
	PQclear(res);
	resp_json(r, 201, o);
}

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
