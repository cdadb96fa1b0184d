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
#include "log.h"
#include "nchan.h"
#include "valid.h"

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
	if ((comments = jv_str(r->json, "comments", 0, 0, 4000, errs)) == NULL)
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

