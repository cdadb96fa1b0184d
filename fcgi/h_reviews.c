/*
 * Interview day: reviews with the advance rule.
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

/* A review request, as read from its fields. */
struct review {
	long			 reg, round, rating;
	int			 hasrating, amend;
	const char		*comments, *result, *reason;
	struct json_object	*ratings;	/* borrowed, or NULL */
};

/* ratings: each {question_id, rating from 1 to 5}. */
static void
ratings_check(const char *name, struct json_object *list,
    struct json_object *errs)
{
	struct json_object	*e, *q;
	long			 n;
	size_t			 i;

	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (!json_object_is_type(e, json_type_object) ||
		    !json_object_object_get_ex(e, "question_id", &q) ||
		    !json_object_is_type(q, json_type_int) ||
		    jv_long(e, "rating", 1, 1, 5, &n, NULL) != 1) {
			jv_err(errs, name, "each needs a question_id and a "
			    "rating from 1 to 5");
			return;
		}
	}
}

/* Read r's fields into rv; 0, or -1 after a 400 (a reason is required
 * with amend). */
static int
review_read(struct req *r, struct reply *rp, struct review *rv)
{
	struct json_object	*errs;

	memset(rv, 0, sizeof(*rv));
	rv->reg = req_long(r, "registration_id");
	rv->round = req_long(r, "round_id");
	rv->hasrating = req_has(r, "rating");
	rv->rating = req_long(r, "rating");
	rv->comments = req_has(r, "comments") ? req_str(r, "comments") : "";
	rv->result = req_str(r, "result");
	rv->amend = req_bool(r, "amend");
	rv->reason = req_has(r, "reason") ? req_str(r, "reason") : "";
	rv->ratings = req_obj(r, "ratings");
	if (rv->amend && !req_has(r, "reason")) {
		errs = json_object_new_object();
		jv_err(errs, "reason", "is required");
		reply_invalid(rp, errs);
		return -1;
	}
	return 0;
}

/*
 * In the review's transaction: may the caller (me) write rv?  Checks the
 * interviewer saw the candidate, the amend rule and the ratings' questions.
 * DB_OK with *ok 1, or *ok 0 after a 4xx was sent; or the database error.
 * ctx: the REVIEW_CONTEXT row.
 */
static int
review_allowed(struct req *r, struct reply *rp, const struct review *rv,
    const PGresult *ctx, int *ok)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	struct buf		 why = { 0 };
	char			 reg[24], ro[24];
	long			 prev;
	int			 rc;

	*ok = 0;
	snprintf(reg, sizeof(reg), "%ld", rv->reg);
	snprintf(ro, sizeof(ro), "%ld", rv->round);
	prev = db_num(ctx, 0, "reviewer");
	if (db_bool(ctx, 0, "advanced")) {
		reply_error(rp, 409, "already_advanced", "A later round has "
		    "called or reviewed this candidate; this review can no "
		    "longer change.", NULL);
		return DB_OK;
	}
	if ((rc = db_q(STMT_REVIEW_ENTRY, &res, reg, ro)) != DB_OK)
		return rc;
	if (PQntuples(res) == 0 ||
	    db_num(res, 0, "interviewer_id") != r->who.user_id ||
	    !db_bool(res, 0, "took_call")) {
		PQclear(res);
		reply_error(rp, 403, "forbidden", "Only the interviewer who "
		    "interviewed this candidate in this round reviews them.",
		    NULL);
		return DB_OK;
	}
	PQclear(res);
	res = NULL;
	if (prev != 0 && !rv->amend) {
		reply_error(rp, 409, "already_reviewed", "This candidate has a "
		    "review in this round; to change it, send amend: true "
		    "with a reason.", NULL);
		return DB_OK;
	}
	if (prev == 0 && rv->amend) {
		reply_error(rp, 409, "not_reviewed", "There is no review to "
		    "amend yet.", NULL);
		return DB_OK;
	}
	if ((rc = db_q(STMT_REVIEW_BAD_QUESTION, &res, ro, rv->ratings ?
	    json_object_to_json_string(rv->ratings) : "[]")) != DB_OK)
		return rc;
	if (PQntuples(res) > 0) {
		buf_printf(&why, "question_id %s %s", db_text(res, 0, "qid"),
		    db_bool(res, 0, "twice") ? "is rated twice" :
		    "is not a question of this round");
		errs = json_object_new_object();
		jv_err(errs, "ratings", why.data);
		reply_invalid(rp, errs);
		buf_free(&why);
		PQclear(res);
		return DB_OK;
	}
	PQclear(res);
	*ok = 1;
	return DB_OK;
}

/* In the transaction: write rv (a first review or an amendment) and its
 * version; DB_OK with the REVIEW_WRITE row in *res, or the error. */
static int
review_write(const struct review *rv, long me, PGresult **res)
{
	char	 reg[24], ro[24], iv[24], rt[16], id[24], ver[16];
	int	 rc;

	snprintf(reg, sizeof(reg), "%ld", rv->reg);
	snprintf(ro, sizeof(ro), "%ld", rv->round);
	snprintf(iv, sizeof(iv), "%ld", me);
	snprintf(rt, sizeof(rt), "%ld", rv->rating);
	if ((rc = db_q(rv->amend ? STMT_REVIEW_AMEND : STMT_REVIEW_INSERT, res,
	    reg, ro, iv, rv->hasrating ? rt : NULL, rv->ratings ?
	    json_object_to_json_string(rv->ratings) : "[]", rv->comments,
	    rv->result)) != DB_OK)
		return rc;
	if (PQntuples(*res) == 0)
		return DB_CONFLICT;
	snprintf(id, sizeof(id), "%s", db_text(*res, 0, "id"));
	snprintf(ver, sizeof(ver), "%s", db_text(*res, 0, "version"));
	return db_q(STMT_REVIEW_HISTORY_ADD, NULL, id, ver, rv->reason);
}

static const char *const review_results[] = { "pass", "fail", NULL };

const struct field f_candidate_review[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "rating", FT_INT, 0, 1, 5, NULL, NULL },
	{ "ratings", FT_ARRAY, 0, 0, 100, NULL, ratings_check },
	{ "comments", FT_TEXT, 0, 0, 4000, NULL, NULL },
	{ "result", FT_ENUM, F_REQ, 1, 8, review_results, NULL },
	{ "amend", FT_BOOL, 0, 0, 0, NULL, NULL },
	{ "reason", FT_TEXT, 0, 1, 1000, NULL, NULL },
	FIELDS_END
};

/*
 * POST candidate-review {registration_id, round_id, rating, ratings,
 * comments, result: pass|fail, amend?, reason?} (the interviewer who
 * interviewed the candidate in the round).  201 {"review_id", "version",
 * "status"}: a pass moves the candidate to the next round's queue (after
 * the last round: selected), a fail rejects.  Ratings name the round's
 * questions (400 ratings).  403 when you did not interview this
 * candidate in this round; 409 already_reviewed for a second review
 * without amend: true and a reason, already_advanced once a later round
 * reviewed them.  An amendment answers 200 with the new version; every
 * version is kept (GET candidate-review).  After commit the candidate and
 * the event's HR hear "review"; the next round's interviewer whose queue
 * gained (or, on an amendment, lost) the candidate hears "queue_changed",
 * and the candidate "queued" with the new place.
 */
void
h_candidate_review(struct req *r, struct reply *rp)
{
	struct json_object	*o = NULL;
	PGresult		*res = NULL, *held = NULL, *w = NULL;
	struct review		 rv;
	char			 reg[24], ro[24], cand[72], status[16],
				 hr[OWNERS_LEN], nx[24];
	int			 rc, yes, last, ok;

	if (review_read(r, rp, &rv) == -1)
		return;
	if ((rc = round_interviewer(rv.round, r->who.user_id, &yes)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (!yes) {
		if (round_event(rp, rv.round) != 0)
			reply_error(rp, 403, "forbidden", "You do not "
			    "interview in this round.", NULL);
		return;
	}
	snprintf(reg, sizeof(reg), "%ld", rv.reg);
	snprintf(ro, sizeof(ro), "%ld", rv.round);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_REVIEW_CONTEXT, &res, reg, ro)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		db_rollback();
		reply_error(rp, 404, "not_found", "No such registration.",
		    NULL);
		goto out;
	}
	snprintf(cand, sizeof(cand), "%s", db_text(res, 0, "candidate"));
	snprintf(hr, sizeof(hr), "%s", db_text(res, 0, "owners"));
	last = db_isnull(res, 0, "next_round");
	snprintf(nx, sizeof(nx), "%s", db_text(res, 0, "next_round"));
	if ((rc = review_allowed(r, rp, &rv, res, &ok)) != DB_OK)
		goto dberr;
	PQclear(res);
	res = NULL;
	if (!ok) {
		db_rollback();
		goto out;
	}
	if ((rc = review_write(&rv, r->who.user_id, &res)) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "review_id",
	    json_object_new_int64(db_num(res, 0, "id")));
	json_object_object_add(o, "version",
	    json_object_new_int64(db_num(res, 0, "version")));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_QUEUE_LATER_HOLDERS, &held, reg, ro)) != DB_OK ||
	    (rc = db_q(STMT_REVIEW_ADVANCE, &res, reg, ro)) != DB_OK)
		goto dberr;
	snprintf(status, sizeof(status), "%s", db_text(res, 0, "status"));
	if ((!last && (rc = db_q(STMT_QUEUE_WRITTEN, &w, nx, reg)) != DB_OK) ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(rv.reg));
	json_object_object_add(o, "round_id", json_object_new_int64(rv.round));
	json_object_object_add(o, "result", json_object_new_string(rv.result));
	json_object_object_add(o, "status", json_object_new_string(status));
	tell("review", cand, hr[0] != '\0' ? hr : NULL, NULL,
	    json_object_get(o));
	tell_written("queued", w, held);
	reply_json(rp, rv.amend ? 200 : 201, o);
	o = NULL;
	goto out;
dberr:
	db_rollback();
	if (rc == DB_CONFLICT)
		reply_error(rp, 409, "already_reviewed", "Another review of "
		    "this candidate in this round was written meanwhile.",
		    NULL);
	else
		reply_db(rp, rc);
out:
	json_object_put(o);
	PQclear(res);
	PQclear(held);
	PQclear(w);
}

const struct field f_candidate_review_get[] = {
	{ "registration_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * GET candidate-review?registration_id=: the candidate's reviews, each
 * with its reviewer, result, ratings, comments and every version.  The
 * event's HR read all; an interviewer of the event those of the rounds
 * before their own and their own (403 when that is none).
 */
void
h_candidate_review_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 reg[24], me[24];
	long		 id;
	int		 rc, role;

	id = req_long(r, "registration_id");
	snprintf(reg, sizeof(reg), "%ld", id);
	role = registration_role(r, rp, id);
	if (role == EV_NONE)
		return;
	if (role != EV_OWNER && role != EV_INTERVIEWER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and its "
		    "later rounds' interviewers read its reviews.", NULL);
		return;
	}
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_REVIEWS_JSON, &res, reg, role == EV_OWNER ? NULL :
	    me)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (role != EV_OWNER && db_num(res, 0, "seen") == 0)
		reply_error(rp, 403, "forbidden", "No review of this candidate "
		    "is yours to read: interviewers read those of the rounds "
		    "before theirs.", NULL);
	else
		reply_text(rp, 200, "application/json",
		    db_text(res, 0, "reviews"), db_len(res, 0, "reviews"),
		    NULL);
	PQclear(res);
}
