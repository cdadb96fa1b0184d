/*
 * Panel scorecards (sql/021_decisions.sql): each rater's scorecard
 * against the round's rubric (h_rubrics.c), the panel's state, and HR's
 * decision with its reason.  candidate-review (h_reviews.c) stays the
 * one-rater shorthand.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "decisions.h"
#include "extern.h"
#include "interview.h"
#include "valid.h"

#define ID_MAX	(1L << 62)

static const char *const recs[] = { "strong_no", "no", "yes", "strong_yes",
	NULL };
static const char *const decisions[] = { "advance", "reject", NULL };

/* A scorecard or decision body, read. */
struct card {
	long			 reg, round;
	const char		*rec, *comments, *decision, *reason;
	struct json_object	*scores;	/* borrowed, or NULL */
};

/* One score: {criterion_id, score 1-5, note?}. */
static void
card_score_check(struct json_object *e, struct json_object *errs)
{
	long	 n;

	(void)jv_long(e, "criterion_id", 1, 1, ID_MAX, &n, errs);
	(void)jv_long(e, "score", 1, 1, 5, &n, errs);
	(void)jv_text(e, "note", 0, 0, 2000, errs);
}

/* scores' check (f_scorecard_post). */
static void
card_scores_check(const char *name, struct json_object *list,
    struct json_object *errs)
{
	rubric_items_check(name, list, errs, card_score_check);
}

/* The scorecard (decide 0) or decision (1) body's checked values. */
static void
card_read(struct req *r, struct card *c, int decide)
{
	memset(c, 0, sizeof(*c));
	c->reg = req_long(r, "registration_id");
	c->round = req_long(r, "round_id");
	if (decide) {
		c->decision = req_str(r, "decision");
		c->reason = req_str(r, "reason");
	} else {
		c->rec = req_str(r, "recommendation");
		c->comments = req_has(r, "comments") ?
		    req_str(r, "comments") : "";
		c->scores = req_obj(r, "scores");
	}
}

/*
 * In the transaction: lock the registration and check it can be scored
 * (decide 0) or decided (1) in the round.  DB_OK with *ok 1, or *ok 0
 * after a 4xx was sent; or the database error.  cand gets its username.
 */
static int
card_context(struct reply *rp, const struct card *c,
    int decide, int *ok, char cand[72])
{
	PGresult	*res = NULL;
	char		 reg[24], ro[24];
	const char	*st, *why = NULL, *code = "decided";
	int		 rc;

	*ok = 0;
	snprintf(reg, sizeof(reg), "%ld", c->reg);
	snprintf(ro, sizeof(ro), "%ld", c->round);
	if ((rc = db_q(STMT_SC_CONTEXT, &res, reg, ro)) != DB_OK)
		return rc;
	if (PQntuples(res) == 0 || db_num(res, 0, "reg_event") !=
	    db_num(res, 0, "round_event")) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such registration in "
		    "this round's event.", NULL);
		return DB_OK;
	}
	st = db_text(res, 0, "status");
	if (db_bool(res, 0, "decided") || (strcmp(st, "shortlisted") &&
	    strcmp(st, "interviewing")) || (!db_isnull(res, 0,
	    "current_round_id") && db_num(res, 0, "current_round_id") !=
	    c->round))
		why = "This candidate's outcome in this round is decided.";
	else if (!decide && !db_bool(res, 0, "has_rubric")) {
		code = "no_rubric";
		why = "This round has no rubric to score against.";
	} else if (!decide && !db_bool(res, 0, "queued")) {
		code = "not_in_round";
		why = "This candidate is not in this round's queues.";
	}
	snprintf(cand, 72, "%s", db_text(res, 0, "username"));
	PQclear(res);
	if (why != NULL)
		reply_error(rp, 409, code, why, NULL);
	*ok = why == NULL;
	return DB_OK;
}

/* In the transaction: the scores' criteria must be the rubric's, each
 * once.  DB_OK with *ok, or the database error. */
static int
card_scores_match(struct reply *rp, const struct card *c,
    int *ok)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	struct buf		 why = { 0 };
	char			 ro[24];
	int			 rc;

	*ok = 0;
	snprintf(ro, sizeof(ro), "%ld", c->round);
	if ((rc = db_q(STMT_SC_BAD_SCORES, &res, ro,
	    json_object_to_json_string(c->scores))) != DB_OK)
		return rc;
	if (PQntuples(res) > 0) {
		buf_printf(&why, "criterion_id %s %s",
		    db_text(res, 0, "criterion_id"), db_text(res, 0, "why"));
		errs = json_object_new_object();
		jv_err(errs, "scores", buf_str(&why));
		reply_invalid(rp, errs);
		buf_free(&why);
	} else
		*ok = 1;
	PQclear(res);
	return DB_OK;
}

/* After commit: the event's owners hear of a scorecard or a decision
 * (and of a disagreement); the next round's queue of a move. */
static void
card_tell(const struct card *c, const char *type,
    struct json_object *summary, const PGresult *w, const PGresult *held)
{
	struct json_object	*o, *d;
	PGresult		*res = NULL;
	char			 ro[24], hr[OWNERS_LEN];

	snprintf(ro, sizeof(ro), "%ld", c->round);
	hr[0] = '\0';
	if (db_q(STMT_ROUND_HR, &res, ro) == DB_OK && PQntuples(res) > 0)
		snprintf(hr, sizeof(hr), "%s", db_text(res, 0, "owners"));
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(c->reg));
	json_object_object_add(o, "round_id", json_object_new_int64(c->round));
	json_object_object_add(o, "summary", json_object_get(summary));
	if (hr[0] != '\0' && json_object_object_get_ex(summary,
	    "disagreements", &d) && json_object_array_length(d) > 0)
		tell("scorecard_disagreement", hr, NULL, NULL,
		    json_object_get(o));
	if (hr[0] != '\0')
		tell(type, hr, NULL, NULL, json_object_get(o));
	json_object_put(o);
	tell_written("queued", w, held);
}

/* In the transaction after the card's checks: write it (or HR's decision)
 * and move the candidate when due.  DB_OK with *o the answer (summary
 * and outcome), *w and *held for card_tell, or the database error. */
static int
card_write(struct req *r, const struct card *c, struct json_object **o,
    PGresult **w, PGresult **held)
{
	struct json_object	*s, *h;
	PGresult		*res = NULL;
	char			 reg[24], ro[24], me[24];
	const char		*out = NULL;
	int			 rc, against;

	snprintf(reg, sizeof(reg), "%ld", c->reg);
	snprintf(ro, sizeof(ro), "%ld", c->round);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_QUEUE_LATER_HOLDERS, held, reg, ro)) != DB_OK)
		return rc;
	if (c->decision == NULL)
		rc = db_q(STMT_SC_INSERT, NULL, reg, ro, me, c->rec,
		    c->comments, json_object_to_json_string(c->scores));
	if (rc != DB_OK || (rc = db_q(c->decision ? STMT_SC_SUMMARY :
	    STMT_SC_APPLY, &res, reg, ro)) != DB_OK)
		return rc;
	s = db_isnull(res, 0, "summary") ? json_object_new_object() :
	    json_tokener_parse(db_text(res, 0, "summary"));
	PQclear(res);
	res = NULL;
	*o = json_object_new_object();
	json_object_object_add(*o, "summary", s);
	if (c->decision != NULL) {
		/* against the rule: only where there is one */
		against = json_object_object_get_ex(s, "holds", &h) &&
		    (strcmp(c->decision, "advance") == 0) !=
		    json_object_get_boolean(h);
		if ((rc = db_q(STMT_SC_DECIDE, NULL, reg, ro, c->decision,
		    c->reason, against ? "t" : "f", me)) != DB_OK ||
		    (rc = db_q(STMT_ROUND_OUTCOME,
		    &res, reg, ro, strcmp(c->decision, "advance") == 0 ?
		    "pass" : "fail")) != DB_OK)
			return rc;
		json_object_object_add(*o, "against_rule",
		    json_object_new_boolean(against));
		out = db_text(res, 0, "outcome");
	} else if (json_object_object_get_ex(s, "outcome", NULL))
		out = json_object_get_string(json_object_object_get(s,
		    "outcome"));
	json_object_object_add(*o, "outcome", out ? json_object_new_string(out)
	    : NULL);
	PQclear(res);
	return db_q(STMT_QUEUE_WRITTEN, w, NULL, reg);
}

/* A rater of the round (scorecards): 1, or 0 after a 4xx. */
static int
card_rater(struct req *r, struct reply *rp, long round)
{
	int	 rc, yes;

	if ((rc = round_interviewer(round, r->who.user_id, &yes)) != DB_OK) {
		reply_db(rp, rc);
		return 0;
	}
	if (!yes && round_event(rp, round) != 0)
		reply_error(rp, 403, "forbidden", "You do not interview in "
		    "this round.", NULL);
	return yes;
}

/* POST scorecards (a rater) or scorecard-decision (the event's HR). */
static void
card_post(struct req *r, struct reply *rp, int decide)
{
	struct json_object	*o = NULL;
	struct card		 c;
	PGresult		*w = NULL, *held = NULL;
	char			 cand[72];
	int			 rc, ok;

	card_read(r, &c, decide);
	if (decide ? rubric_owner(r, rp, c.round) == 0 :
	    !card_rater(r, rp, c.round))
		return;
	if ((rc = db_begin()) != DB_OK ||
	    (rc = card_context(rp, &c, decide, &ok, cand)) != DB_OK)
		goto dberr;
	if (ok && !decide &&
	    (rc = card_scores_match(rp, &c, &ok)) != DB_OK)
		goto dberr;
	if (!ok) {
		db_rollback();
		return;
	}
	if ((rc = card_write(r, &c, &o, &w, &held)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(c.reg));
	json_object_object_add(o, "round_id", json_object_new_int64(c.round));
	if (decide)
		json_object_object_add(o, "decision",
		    json_object_new_string(c.decision));
	card_tell(&c, decide ? "scorecard_decision" : "scorecard",
	    json_object_object_get(o, "summary"), w, held);
	reply_json(rp, 201, o);
	o = NULL;
	goto out;
dberr:
	db_rollback();
	if (rc == DB_CONFLICT)
		reply_error(rp, 409, decide ? "decided" : "already_submitted",
		    decide ? "This candidate's outcome in this round is "
		    "decided." : "You submitted your scorecard for this "
		    "candidate in this round.", NULL);
	else
		reply_db(rp, rc);
out:
	json_object_put(o);
	PQclear(w);
	PQclear(held);
}

const struct field f_scorecard_post[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "recommendation", FT_ENUM, F_REQ, 0, 0, recs, NULL },
	{ "comments", FT_TEXT, 0, 0, 4000, NULL, NULL },
	{ "scores", FT_ARRAY, F_REQ, 1, 50, NULL, card_scores_check },
	FIELDS_END
};

/*
 * POST scorecards {registration_id, round_id, recommendation, comments?,
 * scores: [{criterion_id, score, note?}]} (a rater of the round): one
 * score per criterion of the round's rubric; the candidate moves on
 * when the rule holds.
 */
void
h_scorecard_post(struct req *r, struct reply *rp)
{
	card_post(r, rp, 0);
}

const struct field f_scorecard_decision[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "decision", FT_ENUM, F_REQ, 0, 0, decisions, NULL },
	{ "reason", FT_TEXT, F_REQ, 1, 2000, NULL, NULL },
	FIELDS_END
};

/* POST scorecard-decision {registration_id, round_id, decision: advance
 * | reject, reason} (the event's HR), against the rule or with it. */
void
h_scorecard_decide(struct req *r, struct reply *rp)
{
	card_post(r, rp, 1);
}

const struct field f_scorecards[] = {
	{ "registration_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * GET scorecards?registration_id=&round_id=: the event's HR read every
 * scorecard, the panel's state and the decision; a rater of the round
 * reads them once they submitted theirs, before only how many did.
 */
void
h_scorecards_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	struct buf	 out = { 0 };
	char		 reg[24], ro[24], me[24];
	long		 id, round, ev;
	int		 rc, role, yes = 0;

	id = req_long(r, "registration_id");
	round = req_long(r, "round_id");
	if ((ev = round_event(rp, round)) == 0 ||
	    (role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return;
	if (role != EV_OWNER && ((rc = round_interviewer(round,
	    r->who.user_id, &yes)) != DB_OK || !yes)) {
		if (yes || rc == DB_OK)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "and the round's raters read its scorecards.",
			    NULL);
		else
			reply_db(rp, rc);
		return;
	}
	snprintf(reg, sizeof(reg), "%ld", id);
	snprintf(ro, sizeof(ro), "%ld", round);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_SC_JSON, &res, reg, ro, me)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (role == EV_OWNER || db_bool(res, 0, "mine"))
		reply_text(rp, 200, "application/json",
		    db_text(res, 0, "cards"), db_len(res, 0, "cards"), NULL);
	else {
		buf_printf(&out, "{\"registration_id\":%ld,\"round_id\":%ld,"
		    "\"hidden\":true,\"submitted\":%s,\"scorecards\":[]}", id,
		    round, db_text(res, 0, "submitted"));
		reply_text(rp, 200, "application/json", out.data, out.len,
		    NULL);
		buf_free(&out);
	}
	PQclear(res);
}
