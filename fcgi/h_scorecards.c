/*
 * Rubrics and panel scorecards (sql/021_decisions.sql): a round's rubric
 * and advance rule, each rater's scorecard, the panel's state, and HR's
 * decision with its reason.  candidate-review (h_reviews.c) stays the
 * one-rater shorthand.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"
#include "valid.h"

/* A round-rubric body, parsed (what is absent keeps its value). */
struct rubric {
	long			 round, min_raters;
	double			 mean;
	int			 has_raters, has_mean, has_veto, veto;
	struct json_object	*criteria;	/* borrowed, or NULL */
};

/* Is each criterion of list well formed?  1 or 0. */
static int
rubric_criteria_ok(struct json_object *list)
{
	struct json_object	*e, *tmp;
	double			 w;
	size_t			 i;
	int			 ok = 1;

	tmp = json_object_new_object();
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (!json_object_is_type(e, json_type_object)) {
			ok = 0;
			break;
		}
		(void)jv_str(e, "name", 1, 1, 100, tmp);
		(void)jv_text(e, "description", 0, 0, 2000, tmp);
		(void)jv_text(e, "anchor_1", 0, 0, 1000, tmp);
		(void)jv_text(e, "anchor_5", 0, 0, 1000, tmp);
		if (jv_number(e, "weight", 0.01, 100, &w, tmp) == -1 ||
		    json_object_object_length(tmp) > 0) {
			ok = 0;
			break;
		}
	}
	json_object_put(tmp);
	return ok;
}

/* Parse a round-rubric body; 0, or -1 after a 400. */
static int
rubric_parse(struct req *r, struct reply *rp, struct rubric *rb, int create)
{
	struct json_object	*errs, *rule = NULL;

	memset(rb, 0, sizeof(*rb));
	errs = json_object_new_object();
	(void)jv_long(r->json, "round_id", 1, 1, 1L << 62, &rb->round, errs);
	rb->criteria = jv_array(r->json, "criteria", create, 20, errs);
	if (rb->criteria != NULL && (json_object_array_length(rb->criteria) ==
	    0 || !rubric_criteria_ok(rb->criteria)))
		jv_err(errs, "criteria", "1 to 20 criteria, each with a name "
		    "(1-100 characters), and optionally a description, a "
		    "weight (0.01-100) and what a 1 and a 5 look like "
		    "(anchor_1, anchor_5)");
	if (json_object_object_get_ex(r->json, "rule", &rule) &&
	    !json_object_is_type(rule, json_type_object))
		jv_err(errs, "rule", "must be an object");
	else if (rule != NULL) {
		rb->has_raters = jv_long(rule, "min_raters", 0, 1, 20,
		    &rb->min_raters, errs) == 1;
		rb->has_mean = jv_number(rule, "min_mean", 1, 5, &rb->mean,
		    errs) == 1;
		rb->has_veto = jv_bool(rule, "no_strong_no", 0, &rb->veto,
		    errs) == 1;
	}
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return -1;
	}
	json_object_put(errs);
	return 0;
}

/* The caller owns the round's event: the event, or 0 after a 4xx. */
static long
sc_owner(struct req *r, struct reply *rp, long round)
{
	long	 ev;
	int	 role;

	if ((ev = round_event(r, rp, round)) == 0)
		return 0;
	if ((role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return 0;
	if (role != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR does "
		    "this.", NULL);
		return 0;
	}
	return ev;
}

/* Send the round's rubric with status (404 when it has none). */
static void
rubric_reply(struct req *r, struct reply *rp, int status, long round)
{
	PGresult	*res = NULL;
	char		 ro[24];
	int		 rc;

	snprintf(ro, sizeof(ro), "%ld", round);
	if ((rc = db_q(STMT_RUBRIC_JSON, &res, ro)) != DB_OK)
		reply_db(rp, rc);
	else if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "This round has no rubric.",
		    NULL);
	else
		reply_text(rp, status, "application/json", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* GET round-rubric?round_id=: the event's HR and interviewers. */
void
h_rubric_get(struct req *r, struct reply *rp)
{
	long	 round, ev;
	int	 role;

	if ((round = req_id_qs(r, rp, "round_id")) == 0 ||
	    (ev = round_event(r, rp, round)) == 0 ||
	    (role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return;
	if (role != EV_OWNER && role != EV_INTERVIEWER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and "
		    "interviewers read its rubrics.", NULL);
		return;
	}
	rubric_reply(r, rp, 200, round);
}

/* POST (create) or PATCH round-rubric, in one transaction. */
static void
rubric_write(struct req *r, struct reply *rp, int create)
{
	struct rubric	 rb;
	PGresult	*res = NULL;
	char		 ro[24], mr[16], mm[16], me[24];
	int		 rc;

	if (rubric_parse(r, rp, &rb, create) == -1 || sc_owner(r, rp, rb.round) == 0)
		return;
	snprintf(ro, sizeof(ro), "%ld", rb.round);
	snprintf(mr, sizeof(mr), "%ld", rb.min_raters);
	snprintf(mm, sizeof(mm), "%.2f", rb.mean);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if (!create) {
		if ((rc = db_q(STMT_RUBRIC_SCORED, &res, ro)) != DB_OK)
			goto dberr;
		if (PQgetvalue(res, 0, 0)[0] == 't') {
			db_rollback();
			reply_error(rp, 409, "scored", "Scorecards were "
			    "submitted in this round; its rubric no longer "
			    "changes.", NULL);
			goto out;
		}
		PQclear(res);
		res = NULL;
	}
	if ((rc = db_q(create ? STMT_RUBRIC_INSERT : STMT_RUBRIC_UPDATE, &res,
	    ro, rb.has_raters ? mr : NULL, rb.has_mean ? mm : NULL,
	    rb.has_veto ? (rb.veto ? "t" : "f") : NULL, me)) != DB_OK)
		goto dberr;
	if (!create && PQntuples(res) == 0) {
		db_rollback();
		reply_error(rp, 404, "not_found", "This round has no rubric: "
		    "POST one.", NULL);
		goto out;
	}
	if (rb.criteria != NULL && ((rc = db_q(STMT_CRITERIA_DELETE, NULL,
	    ro)) != DB_OK || (rc = db_q(STMT_CRITERIA_INSERT, NULL, ro,
	    json_object_to_json_string(rb.criteria))) != DB_OK))
		goto dberr;
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	rubric_reply(r, rp, create ? 201 : 200, rb.round);
	goto out;
dberr:
	db_rollback();
	if (rc == DB_CONFLICT)
		reply_error(rp, 409, "rubric_exists", "This round has a rubric; "
		    "change it with PATCH.", NULL);
	else
		reply_db(rp, rc);
out:
	PQclear(res);
}

void
h_rubric_create(struct req *r, struct reply *rp)
{
	rubric_write(r, rp, 1);
}

void
h_rubric_patch(struct req *r, struct reply *rp)
{
	rubric_write(r, rp, 0);
}

/* A scorecard or decision body, parsed. */
struct card {
	long			 reg, round;
	const char		*rec, *comments, *decision, *reason;
	struct json_object	*scores;	/* borrowed, or NULL */
};

static const char *const recs[] = { "strong_no", "no", "yes", "strong_yes",
	NULL };
static const char *const decisions[] = { "advance", "reject", NULL };

/* Is s one of list?  1 or 0. */
static int
sc_oneof(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Are scores [{criterion_id, score 1-5, note?}]?  1 or 0. */
static int
sc_scores_ok(struct json_object *list)
{
	struct json_object	*e, *tmp;
	long			 n;
	size_t			 i;
	int			 ok = 1;

	tmp = json_object_new_object();
	for (i = 0; i < json_object_array_length(list) && ok; i++) {
		e = json_object_array_get_idx(list, i);
		ok = json_object_is_type(e, json_type_object) &&
		    jv_long(e, "criterion_id", 1, 1, 1L << 62, &n, tmp) == 1 &&
		    jv_long(e, "score", 1, 1, 5, &n, tmp) == 1;
		(void)jv_text(e, "note", 0, 0, 2000, tmp);
		ok = ok && json_object_object_length(tmp) == 0;
	}
	json_object_put(tmp);
	return ok && i > 0;
}

/* Parse a scorecard (decide 0) or a decision (1); 0, or -1 after a 400. */
static int
card_parse(struct req *r, struct reply *rp, struct card *c, int decide)
{
	struct json_object	*errs;

	memset(c, 0, sizeof(*c));
	errs = json_object_new_object();
	(void)jv_long(r->json, "registration_id", 1, 1, 1L << 62, &c->reg,
	    errs);
	(void)jv_long(r->json, "round_id", 1, 1, 1L << 62, &c->round, errs);
	if (decide) {
		c->decision = jv_str(r->json, "decision", 1, 1, 16, errs);
		if (c->decision != NULL && !sc_oneof(c->decision, decisions))
			jv_err(errs, "decision", "must be advance or reject");
		c->reason = jv_text(r->json, "reason", 1, 1, 2000, errs);
	} else {
		c->rec = jv_str(r->json, "recommendation", 1, 1, 16, errs);
		if (c->rec != NULL && !sc_oneof(c->rec, recs))
			jv_err(errs, "recommendation", "must be strong_no, no, "
			    "yes or strong_yes");
		if ((c->comments = jv_text(r->json, "comments", 0, 0, 4000,
		    errs)) == NULL)
			c->comments = "";
		c->scores = jv_array(r->json, "scores", 1, 50, errs);
		if (c->scores != NULL && !sc_scores_ok(c->scores))
			jv_err(errs, "scores", "one {criterion_id, score "
			    "(1-5), note?} per criterion of the round's "
			    "rubric");
	}
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return -1;
	}
	json_object_put(errs);
	return 0;
}

/*
 * In the transaction: lock the registration and check it can be scored
 * (decide 0) or decided (1) in the round.  DB_OK with *ok 1, or *ok 0
 * after a 4xx was sent; or the database error.  cand gets its username.
 */
static int
card_context(struct req *r, struct reply *rp, const struct card *c, int decide, int *ok,
    char cand[72])
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
	if (PQntuples(res) == 0 || db_long(res, 0, 0) != db_long(res, 0, 1)) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such registration in this "
		    "round's event.", NULL);
		return DB_OK;
	}
	st = PQgetvalue(res, 0, 2);
	if (PQgetvalue(res, 0, 6)[0] == 't' || (strcmp(st, "shortlisted") &&
	    strcmp(st, "interviewing")) || (!PQgetisnull(res, 0, 3) &&
	    db_long(res, 0, 3) != c->round))
		why = "This candidate's outcome in this round is decided.";
	else if (!decide && PQgetvalue(res, 0, 5)[0] != 't') {
		code = "no_rubric";
		why = "This round has no rubric to score against.";
	} else if (!decide && PQgetvalue(res, 0, 4)[0] != 't') {
		code = "not_in_round";
		why = "This candidate is not in this round's queues.";
	}
	snprintf(cand, 72, "%s", PQgetvalue(res, 0, 7));
	PQclear(res);
	if (why != NULL)
		reply_error(rp, 409, code, why, NULL);
	*ok = why == NULL;
	return DB_OK;
}

/* In the transaction: the scores' criteria must be the rubric's, each
 * once.  DB_OK with *ok, or the database error. */
static int
card_scores_check(struct req *r, struct reply *rp, const struct card *c, int *ok)
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
		buf_printf(&why, "criterion_id %s %s", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1));
		errs = json_object_new_object();
		jv_err(errs, "scores", why.data);
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
		snprintf(hr, sizeof(hr), "%s", PQgetvalue(res, 0, 0));
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
	s = PQgetisnull(res, 0, 0) ? json_object_new_object() :
	    json_tokener_parse(PQgetvalue(res, 0, 0));
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
		out = PQgetvalue(res, 0, 0);
	} else if (json_object_object_get_ex(s, "outcome", NULL))
		out = json_object_get_string(json_object_object_get(s,
		    "outcome"));
	json_object_object_add(*o, "outcome", out ? json_object_new_string(out)
	    : NULL);
	PQclear(res);
	return db_q(STMT_QUEUE_WRITTEN, w, NULL, reg);
}

/* POST scorecards (a rater) or scorecard-decision (the event's HR). */
static void
card_post(struct req *r, struct reply *rp, int decide)
{
	struct json_object	*o = NULL;
	struct card		 c;
	PGresult		*w = NULL, *held = NULL;
	char			 cand[72];
	int			 rc, yes, ok;

	if (card_parse(r, rp, &c, decide) == -1)
		return;
	if (decide && sc_owner(r, rp, c.round) == 0)
		return;
	if (!decide) {
		if ((rc = round_interviewer(c.round, r->who.user_id, &yes)) !=
		    DB_OK) {
			reply_db(rp, rc);
			return;
		}
		if (!yes) {
			if (round_event(r, rp, c.round) != 0)
				reply_error(rp, 403, "forbidden", "You do not "
				    "interview in this round.", NULL);
			return;
		}
	}
	if ((rc = db_begin()) != DB_OK ||
	    (rc = card_context(r, rp, &c, decide, &ok, cand)) != DB_OK)
		goto dberr;
	if (ok && !decide && (rc = card_scores_check(r, rp, &c, &ok)) != DB_OK)
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

void
h_scorecard_post(struct req *r, struct reply *rp)
{
	card_post(r, rp, 0);
}

void
h_scorecard_decide(struct req *r, struct reply *rp)
{
	card_post(r, rp, 1);
}

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

	if ((id = req_id_qs(r, rp, "registration_id")) == 0 ||
	    (round = req_id_qs(r, rp, "round_id")) == 0 ||
	    (ev = round_event(r, rp, round)) == 0 ||
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
	if (role == EV_OWNER || PQgetvalue(res, 0, 0)[0] == 't')
		reply_text(rp, 200, "application/json", PQgetvalue(res, 0, 2),
		    (size_t)PQgetlength(res, 0, 2), NULL);
	else {
		buf_printf(&out, "{\"registration_id\":%ld,\"round_id\":%ld,"
		    "\"hidden\":true,\"submitted\":%s,\"scorecards\":[]}", id,
		    round, PQgetvalue(res, 0, 1));
		reply_text(rp, 200, "application/json", out.data, out.len, NULL);
		buf_free(&out);
	}
	PQclear(res);
}
