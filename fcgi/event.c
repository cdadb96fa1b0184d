/*
 * event: an event's job details as POST and PATCH event take them: the
 * checks of their nested members (skills, rounds), the typed values
 * read into struct event_fields, the checks that need two members or
 * the database, and the rows of skills and rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "event.h"
#include "valid.h"

#define MAX_SKILLS	50	/* skill names of one kind */
#define MAX_INTERVIEWERS 50	/* interviewers of a round */
#define MAX_QUESTIONS	100	/* questions of a round */

const char *const event_statuses[] = { "Pending", "Active", "Inactive",
	NULL };

/* The skill kinds of skills {}: the member and whether it is required. */
static const struct {
	const char	*name;
	const char	*required;	/* event_skills.required */
} skill_kinds[] = {
	{ "required", "t" },
	{ "preferred", "f" },
};

void
event_skills_check(const char *name, struct json_object *skills,
    struct json_object *errs)
{
	struct json_object	*a;
	char			 key[64];
	size_t			 i, k;

	if (!json_object_is_type(skills, json_type_object)) {
		jv_err(errs, name, "must be {\"required\": [...], "
		    "\"preferred\": [...]}");
		return;
	}
	for (k = 0; k < sizeof(skill_kinds) / sizeof(skill_kinds[0]); k++) {
		snprintf(key, sizeof(key), "%s.%s", name, skill_kinds[k].name);
		if (!json_object_object_get_ex(skills, skill_kinds[k].name,
		    &a) || a == NULL)
			continue;
		if (!json_object_is_type(a, json_type_array) ||
		    json_object_array_length(a) > MAX_SKILLS) {
			jv_err(errs, key, "must be a list of at most 50 skill "
			    "names");
			continue;
		}
		for (i = 0; i < json_object_array_length(a); i++)
			if (!valid_json_text(json_object_array_get_idx(a, i), 1,
			    100, 0)) {
				jv_err(errs, key, "each skill must be 1-100 "
				    "characters");
				break;
			}
	}
}

/* A round's interviewers under key: a list of user ids. */
static void
round_interviewers_check(const char *key, struct json_object *v,
    struct json_object *errs)
{
	struct json_object	*q;
	size_t			 j;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) > MAX_INTERVIEWERS) {
		jv_err(errs, key, "must be a list of user ids");
		return;
	}
	for (j = 0; j < json_object_array_length(v); j++) {
		q = json_object_array_get_idx(v, j);
		if (!json_object_is_type(q, json_type_int) ||
		    json_object_get_int64(q) < 1) {
			jv_err(errs, key, "must be a list of user ids");
			return;
		}
	}
}

/* A question: its text, given as a string or as {"text"}. */
static struct json_object *
round_question_text(struct json_object *q)
{
	if (json_object_is_type(q, json_type_object) &&
	    !json_object_object_get_ex(q, "text", &q))
		return NULL;
	return q;
}

/* A round's questions under key. */
static void
round_questions_check(const char *key, struct json_object *v,
    struct json_object *errs)
{
	size_t	 j;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) > MAX_QUESTIONS) {
		jv_err(errs, key, "must be a list of questions");
		return;
	}
	for (j = 0; j < json_object_array_length(v); j++)
		if (!valid_json_text(round_question_text(
		    json_object_array_get_idx(v, j)), 1, 2000, 1)) {
			jv_err(errs, key, "each question needs a text of "
			    "1-2000 characters");
			return;
		}
}

void
event_rounds_check(const char *name, struct json_object *rounds,
    struct json_object *errs)
{
	struct json_object	*ro, *v;
	char			 key[64];
	size_t			 i;

	for (i = 0; i < json_object_array_length(rounds); i++) {
		ro = json_object_array_get_idx(rounds, i);
		if (!json_object_is_type(ro, json_type_object)) {
			snprintf(key, sizeof(key), "%s[%zu]", name, i);
			jv_err(errs, key, "must be an object");
			continue;
		}
		snprintf(key, sizeof(key), "%s[%zu].name", name, i);
		if (!json_object_object_get_ex(ro, "name", &v) ||
		    !valid_json_text(v, 1, 100, 0))
			jv_err(errs, key, "must be 1-100 characters");
		snprintf(key, sizeof(key), "%s[%zu].interviewers", name, i);
		if (json_object_object_get_ex(ro, "interviewers", &v) &&
		    v != NULL)
			round_interviewers_check(key, v, errs);
		snprintf(key, sizeof(key), "%s[%zu].questions", name, i);
		if (json_object_object_get_ex(ro, "questions", &v) &&
		    v != NULL)
			round_questions_check(key, v, errs);
	}
}

/* The list skills.<kind>, or NULL when not given. */
static struct json_object *
skills_list(struct json_object *skills, const char *kind)
{
	struct json_object	*a = NULL;

	if (skills == NULL || !json_object_object_get_ex(skills, kind, &a))
		return NULL;
	return a;
}

void
event_fields_read(const struct req *r, struct event_fields *f)
{
	struct json_object	*skills;

	memset(f, 0, sizeof(*f));
	f->title = req_str(r, "title");
	f->desc = req_str(r, "description");
	f->loc = req_str(r, "location");
	f->etype = req_str(r, "employment_type");
	f->status = req_str(r, "status");
	skills = req_obj(r, "skills");
	f->req_s = skills_list(skills, "required");
	f->pref_s = skills_list(skills, "preferred");
	f->rounds = req_obj(r, "rounds");
	f->has_min = req_has(r, "min_experience");
	f->minx = f->has_min ? req_num(r, "min_experience") : 0;
	f->has_max = req_has(r, "max_experience") ||
	    req_null(r, "max_experience");
	f->maxx = req_has(r, "max_experience") ?
	    req_num(r, "max_experience") : -1;
	f->has_open = req_has(r, "openings");
	f->openings = f->has_open ? req_long(r, "openings") : 1;
	f->sdate = req_str(r, "start_date");
	f->has_sdate = f->sdate != NULL || req_null(r, "start_date");
	f->edate = req_str(r, "end_date");
	f->has_edate = f->edate != NULL || req_null(r, "end_date");
	f->has_show = req_has(r, "show_scores");
	f->show = req_bool(r, "show_scores");
}

void
event_fields_check(const struct event_fields *f, double minx, double maxx,
    const char *sdate, const char *edate, struct json_object *errs)
{
	if (maxx >= 0 && maxx < minx)
		jv_err(errs, f->has_max ? "max_experience" : "min_experience",
		    f->has_max ? "must not be below min_experience" :
		    "must not be above max_experience");
	if (sdate != NULL && edate != NULL && strcmp(edate, sdate) < 0)
		jv_err(errs, f->has_edate ? "end_date" : "start_date",
		    f->has_edate ? "must not be before start_date" :
		    "must not be after end_date");
}

/* The interviewers of rounds into ids ("{1,2,...}", a bigint[]) and,
 * once each, into seen (keys); the number of them, repeats counted. */
static size_t
rounds_interviewers(struct json_object *rounds, struct buf *ids,
    struct json_object *seen)
{
	struct json_object	*v;
	char			 one[24];
	size_t			 i, j, n = 0;

	buf_puts(ids, "{");
	for (i = 0; rounds != NULL && i < json_object_array_length(rounds);
	    i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(
		    rounds, i), "interviewers", &v) || v == NULL)
			continue;
		for (j = 0; j < json_object_array_length(v); j++, n++) {
			snprintf(one, sizeof(one), "%lld", (long long)
			    json_object_get_int64(json_object_array_get_idx(v,
			    j)));
			buf_printf(ids, "%s%s", n > 0 ? "," : "", one);
			json_object_object_add(seen, one, NULL);
		}
	}
	buf_puts(ids, "}");
	return n;
}

int
event_staff_check(struct json_object *rounds, struct json_object *errs,
    int *rc)
{
	struct json_object	*seen;
	PGresult		*res = NULL;
	struct buf		 ids = { 0 };

	*rc = DB_OK;
	seen = json_object_new_object();
	if (rounds_interviewers(rounds, &ids, seen) == 0)
		goto out;
	if ((*rc = db_q(STMT_STAFF_CHECK, &res, buf_str(&ids))) != DB_OK)
		goto out;
	/* Repeats across rounds are fine: compare distinct counts. */
	if (json_object_object_length(seen) != PQntuples(res))
		jv_err(errs, "rounds", "every interviewer must be an active "
		    "Interviewer or Hr user");
out:
	PQclear(res);
	json_object_put(seen);
	buf_free(&ids);
	return *rc != DB_OK || json_object_object_length(errs) > 0 ? -1 : 0;
}

int
event_skills_insert(const char *ev, struct json_object *list,
    const char *req)
{
	PGresult	*res = NULL;
	size_t		 i;
	int		 rc;

	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		if ((rc = db_q(STMT_SKILL_UPSERT, &res, json_object_get_string(
		    json_object_array_get_idx(list, i)))) != DB_OK)
			return rc;
		rc = db_q(STMT_EVENT_SKILL_INSERT, NULL, ev,
		    db_text(res, 0, "id"), req);
		PQclear(res);
		res = NULL;
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* Round rid's interviewers and questions (ro: the round as given). */
static int
round_members_insert(const char *rid, struct json_object *ro)
{
	struct json_object	*v;
	char			 pos[24], id[24];
	size_t			 j;
	int			 rc;

	if (json_object_object_get_ex(ro, "interviewers", &v) && v != NULL)
		for (j = 0; j < json_object_array_length(v); j++) {
			snprintf(id, sizeof(id), "%lld", (long long)
			    json_object_get_int64(json_object_array_get_idx(v,
			    j)));
			if ((rc = db_q(STMT_ROUND_INTERVIEWER_INSERT, NULL, rid,
			    id)) != DB_OK)
				return rc;
		}
	if (json_object_object_get_ex(ro, "questions", &v) && v != NULL)
		for (j = 0; j < json_object_array_length(v); j++) {
			snprintf(pos, sizeof(pos), "%zu", j + 1);
			if ((rc = db_q(STMT_QUESTION_INSERT, NULL, rid, pos,
			    json_object_get_string(round_question_text(
			    json_object_array_get_idx(v, j))))) != DB_OK)
				return rc;
		}
	return DB_OK;
}

int
event_rounds_insert(const char *ev, struct json_object *rounds,
    struct json_object *out)
{
	struct json_object	*ro, *name, *o;
	PGresult		*res = NULL;
	char			 pos[24], rid[24];
	size_t			 i;
	int			 rc;

	for (i = 0; rounds != NULL && i < json_object_array_length(rounds);
	    i++) {
		ro = json_object_array_get_idx(rounds, i);
		json_object_object_get_ex(ro, "name", &name);
		snprintf(pos, sizeof(pos), "%zu", i + 1);
		if ((rc = db_q(STMT_ROUND_INSERT, &res, ev, pos,
		    json_object_get_string(name))) != DB_OK)
			return rc;
		snprintf(rid, sizeof(rid), "%s", db_text(res, 0, "id"));
		o = json_object_new_object();
		json_object_object_add(o, "round_id",
		    json_object_new_int64(db_num(res, 0, "id")));
		json_object_object_add(o, "position",
		    json_object_new_int((int)i + 1));
		json_object_object_add(o, "name", json_object_get(name));
		json_object_array_add(out, o);
		PQclear(res);
		res = NULL;
		if ((rc = round_members_insert(rid, ro)) != DB_OK)
			return rc;
	}
	return DB_OK;
}
