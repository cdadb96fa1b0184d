/*
 * Round rubrics (sql/021_decisions.sql): a round's criteria and advance
 * rule, which its raters' scorecards (h_scorecards.c) follow.  Also the
 * checks both share: nested items' messages by path, and the caller
 * owning the round's event.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "decisions.h"
#include "extern.h"
#include "interview.h"
#include "valid.h"

/* A round-rubric body, read (what is absent keeps its value). */
struct rubric {
	long			 round, min_raters;
	double			 mean;
	int			 has_raters, has_mean, has_veto, veto;
	struct json_object	*criteria;	/* borrowed, or NULL */
};

/* Add each message of tmp (a nested object's, by member) to errs under
 * "path.member". */
static void
rubric_errs_nest(struct json_object *errs, const char *path,
    struct json_object *tmp)
{
	struct json_object_iterator	 it, end;
	char				 key[96];

	it = json_object_iter_begin(tmp);
	end = json_object_iter_end(tmp);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		snprintf(key, sizeof(key), "%s.%s", path,
		    json_object_iter_peek_name(&it));
		jv_err(errs, key, json_object_get_string(
		    json_object_iter_peek_value(&it)));
	}
}

/* decisions.h */
void
rubric_items_check(const char *name, struct json_object *list,
    struct json_object *errs,
    void (*item_check)(struct json_object *, struct json_object *))
{
	struct json_object	*e, *tmp;
	char			 path[64];
	size_t			 i;

	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		snprintf(path, sizeof(path), "%s[%zu]", name, i);
		if (!json_object_is_type(e, json_type_object)) {
			jv_err(errs, path, "must be an object");
			continue;
		}
		tmp = json_object_new_object();
		item_check(e, tmp);
		rubric_errs_nest(errs, path, tmp);
		json_object_put(tmp);
	}
}

/* One criterion: {name, description?, weight?, anchor_1?, anchor_5?}. */
static void
rubric_criterion_check(struct json_object *e, struct json_object *errs)
{
	double	 w;

	(void)jv_str(e, "name", 1, 1, 100, errs);
	(void)jv_text(e, "description", 0, 0, 2000, errs);
	(void)jv_text(e, "anchor_1", 0, 0, 1000, errs);
	(void)jv_text(e, "anchor_5", 0, 0, 1000, errs);
	(void)jv_number(e, "weight", 0.01, 100, &w, errs);
}

/* criteria's check (f_round_rubric_create, f_round_rubric_patch). */
static void
rubric_criteria_check(const char *name, struct json_object *list,
    struct json_object *errs)
{
	rubric_items_check(name, list, errs, rubric_criterion_check);
}

/* Read the rule {min_raters?, min_mean?, no_strong_no?} into rb; errors
 * (errs may be NULL once checked) under the members' names. */
static void
rubric_rule_read(struct json_object *rule, struct rubric *rb,
    struct json_object *errs)
{
	rb->has_raters = jv_long(rule, "min_raters", 0, 1, 20, &rb->min_raters,
	    errs) == 1;
	rb->has_mean = jv_number(rule, "min_mean", 1, 5, &rb->mean, errs) == 1;
	rb->has_veto = jv_bool(rule, "no_strong_no", 0, &rb->veto, errs) == 1;
}

/* rule's check: its members' messages under "rule.member". */
static void
rubric_rule_check(const char *name, struct json_object *rule,
    struct json_object *errs)
{
	struct json_object	*tmp;
	struct rubric		 rb;

	tmp = json_object_new_object();
	rubric_rule_read(rule, &rb, tmp);
	rubric_errs_nest(errs, name, tmp);
	json_object_put(tmp);
}

/* decisions.h */
long
rubric_owner(struct req *r, struct reply *rp, long round)
{
	long	 ev;
	int	 role;

	if ((ev = round_event(rp, round)) == 0)
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
rubric_reply(struct reply *rp, int status, long round)
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
		reply_text(rp, status, "application/json",
		    db_text(res, 0, "rubric"), db_len(res, 0, "rubric"), NULL);
	PQclear(res);
}

const struct field f_round_rubric[] = {
	{ "round_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET round-rubric?round_id=: the event's HR and interviewers. */
void
h_rubric_get(struct req *r, struct reply *rp)
{
	long	 round, ev;
	int	 role;

	round = req_long(r, "round_id");
	if ((ev = round_event(rp, round)) == 0 ||
	    (role = event_role(r, rp, ev, NULL, 0)) == EV_NONE)
		return;
	if (role != EV_OWNER && role != EV_INTERVIEWER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR and "
		    "interviewers read its rubrics.", NULL);
		return;
	}
	rubric_reply(rp, 200, round);
}

/* The round-rubric body's checked values. */
static void
rubric_read(struct req *r, struct rubric *rb)
{
	memset(rb, 0, sizeof(*rb));
	rb->round = req_long(r, "round_id");
	rb->criteria = req_obj(r, "criteria");
	if (req_has(r, "rule"))
		rubric_rule_read(req_obj(r, "rule"), rb, NULL);
}

/* POST (create) or PATCH round-rubric, in one transaction. */
static void
rubric_write(struct req *r, struct reply *rp, int create)
{
	struct rubric	 rb;
	PGresult	*res = NULL;
	char		 ro[24], mr[16], mm[16], me[24];
	int		 rc;

	rubric_read(r, &rb);
	if (rubric_owner(r, rp, rb.round) == 0)
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
		if (db_bool(res, 0, "scored")) {
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
	rubric_reply(rp, create ? 201 : 200, rb.round);
	goto out;
dberr:
	db_rollback();
	if (rc == DB_CONFLICT)
		reply_error(rp, 409, "rubric_exists", "This round has a "
		    "rubric; change it with PATCH.", NULL);
	else
		reply_db(rp, rc);
out:
	PQclear(res);
}

const struct field f_round_rubric_create[] = {
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "criteria", FT_ARRAY, F_REQ, 1, 20, NULL, rubric_criteria_check },
	{ "rule", FT_OBJECT, 0, 0, 0, NULL, rubric_rule_check },
	FIELDS_END
};

/*
 * POST round-rubric {round_id, criteria: [{name, description?, weight?,
 * anchor_1?, anchor_5?}], rule?: {min_raters?, min_mean?,
 * no_strong_no?}} (the event's HR): 409 rubric_exists when it has one.
 */
void
h_rubric_create(struct req *r, struct reply *rp)
{
	rubric_write(r, rp, 1);
}

const struct field f_round_rubric_patch[] = {
	{ "round_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "criteria", FT_ARRAY, 0, 1, 20, NULL, rubric_criteria_check },
	{ "rule", FT_OBJECT, 0, 0, 0, NULL, rubric_rule_check },
	FIELDS_END
};

/* PATCH round-rubric: what is given replaces what was, until the first
 * scorecard (409 scored). */
void
h_rubric_patch(struct req *r, struct reply *rp)
{
	rubric_write(r, rp, 0);
}
