/*
 * Hiring events: create (with rounds, interviewers, questions and
 * resumes), list, detail, status changes, more resumes; skills and
 * departments.
 */
#include <math.h>
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

#define MAX_ROUNDS	20
#define MAX_SKILLS	50
#define MAX_QUESTIONS	100
#define MAX_RESUMES	500

static const char *const ev_statuses[] = { "Pending", "Active", "Inactive",
    NULL };

static const char *
ev_status_valid(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && ev_statuses[i] != NULL; i++)
		if (strcasecmp(s, ev_statuses[i]) == 0)
			return ev_statuses[i];
	return NULL;
}

long
req_id_qs(struct req *r, const char *name)
{
	struct json_object	*errs;
	const char		*v;
	long			 id;

	v = req_qs(r, name);
	if (v != NULL && valid_long(v, 1, 1L << 62, &id))
		return id;
	errs = json_object_new_object();
	jv_err(errs, name, v == NULL ? "is required" : "must be an id");
	resp_invalid(r, errs);
	return 0;
}

enum ev_role
event_role(struct req *r, long event_id, char *status, size_t statussz)
{
	PGresult	*res = NULL;
	char		 ev[24], uid[24];
	enum ev_role	 role;
	int		 rc;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, uid)) != DB_OK) {
		resp_db(r, rc);
		return EV_NONE;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_error(r, 404, "not_found", "No such event.", NULL);
		return EV_NONE;
	}
	if (status != NULL)
		snprintf(status, statussz, "%s", PQgetvalue(res, 0, 0));
	if (PQgetvalue(res, 0, 1)[0] == 't')
		role = EV_OWNER;
	else if (PQgetvalue(res, 0, 2)[0] == 't')
		role = EV_INTERVIEWER;
	else if (PQgetvalue(res, 0, 3)[0] == 't')
		role = EV_CANDIDATE;
	else
		role = EV_OTHER;
	PQclear(res);
	return role;
}

/* A number member in [min, max]: 1 present, 0 absent, -1 invalid. */
static int
jv_number(struct json_object *o, const char *key, double min, double max,
    double *out, struct json_object *errs)
{
	struct json_object	*v;
	char			 msg[80];

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if ((json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) &&
	    isfinite(*out = json_object_get_double(v)) && *out >= min &&
	    *out <= max)
		return 1;
	snprintf(msg, sizeof(msg), "must be a number from %g to %g", min, max);
	jv_err(errs, key, msg);
	return -1;
}

/* A list of skill names under skills.<kind>; NULL when absent. */
static struct json_object *
ev_skill_list(struct json_object *skills, const char *kind,
    struct json_object *errs)
{
	struct json_object	*a, *e;
	char			 key[32];
	size_t			 i;

	snprintf(key, sizeof(key), "skills.%s", kind);
	if (skills == NULL || !json_object_object_get_ex(skills, kind, &a) ||
	    a == NULL)
		return NULL;
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) > MAX_SKILLS) {
		jv_err(errs, key, "must be a list of at most 50 skill names");
		return NULL;
	}
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string) ||
		    !valid_text(json_object_get_string(e), 1, 100, 0)) {
			jv_err(errs, key, "each skill must be 1-100 characters");
			return NULL;
		}
	}
	return a;
}

/* Validate rounds; collect every interviewer id into ids. */
static struct json_object *
ev_rounds(struct json_object *body, struct buf *ids, int *nids,
    struct json_object *errs)
{
	struct json_object	*rounds, *ro, *v, *q;
	char			 key[64];
	size_t			 i, j;
	int			 ok = 1;

	if ((rounds = jv_array(body, "rounds", 0, MAX_ROUNDS, errs)) == NULL)
		return NULL;
	for (i = 0; i < json_object_array_length(rounds); i++) {
		ro = json_object_array_get_idx(rounds, i);
		snprintf(key, sizeof(key), "rounds[%zu]", i);
		if (!json_object_is_type(ro, json_type_object)) {
			jv_err(errs, key, "must be an object");
			ok = 0;
			continue;
		}
		snprintf(key, sizeof(key), "rounds[%zu].name", i);
		if (!json_object_object_get_ex(ro, "name", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    !valid_text(json_object_get_string(v), 1, 100, 0)) {
			jv_err(errs, key, "must be 1-100 characters");
			ok = 0;
		}
		snprintf(key, sizeof(key), "rounds[%zu].interviewers", i);
		if (json_object_object_get_ex(ro, "interviewers", &v) &&
		    v != NULL) {
			if (!json_object_is_type(v, json_type_array) ||
			    json_object_array_length(v) > 50) {
				jv_err(errs, key, "must be a list of user ids");
				ok = 0;
			} else
				for (j = 0; j < json_object_array_length(v);
				    j++) {
					q = json_object_array_get_idx(v, j);
					if (!json_object_is_type(q,
					    json_type_int) ||
					    json_object_get_int64(q) < 1) {
						jv_err(errs, key, "must be a "
						    "list of user ids");
						ok = 0;
						break;
					}
					buf_printf(ids, "%s%lld", *nids ? "," :
					    "", (long long)
					    json_object_get_int64(q));
					(*nids)++;
				}
		}
		snprintf(key, sizeof(key), "rounds[%zu].questions", i);
		if (json_object_object_get_ex(ro, "questions", &v) &&
		    v != NULL) {
			if (!json_object_is_type(v, json_type_array) ||
			    json_object_array_length(v) > MAX_QUESTIONS) {
				jv_err(errs, key, "must be a list of questions");
				ok = 0;
				continue;
			}
			for (j = 0; j < json_object_array_length(v); j++) {
				q = json_object_array_get_idx(v, j);
				if (json_object_is_type(q, json_type_object))
					json_object_object_get_ex(q, "text", &q);
				if (q == NULL ||
				    !json_object_is_type(q, json_type_string) ||
				    !valid_text(json_object_get_string(q), 1,
				    2000, 1)) {
					jv_err(errs, key, "each question needs "
					    "a text of 1-2000 characters");
					ok = 0;
					break;
				}
			}
		}
	}
	return ok ? rounds : NULL;
}

/* Every id in ids (comma list) must be active staff: 0, or -1 (errs). */
static int
ev_staff_check(struct req *r, const char *ids, int nids,
    struct json_object *errs, int *rc)
{
	PGresult	*res = NULL;
	char		 arr[8192];

	*rc = DB_OK;
	if (nids == 0)
		return 0;
	snprintf(arr, sizeof(arr), "{%s}", ids);
	if ((*rc = db_q(STMT_STAFF_CHECK, &res, arr)) != DB_OK)
		return -1;
	/* Duplicates across rounds are fine: compare distinct counts. */
	{
		struct json_object *seen = json_object_new_object();
		const char	*p = ids;
		char		 one[24];
		size_t		 len;

		while (*p != '\0') {
			len = strcspn(p, ",");
			snprintf(one, sizeof(one), "%.*s", (int)len, p);
			json_object_object_add(seen, one, NULL);
			p += len;
			if (*p == ',')
				p++;
		}
		if (json_object_object_length(seen) != PQntuples(res))
			jv_err(errs, "rounds", "every interviewer must be an "
			    "active Interviewer or Hr user");
		json_object_put(seen);
	}
	PQclear(res);
	(void)r;
	return json_object_object_length(errs) > 0 ? -1 : 0;
}

/* Insert skills of one kind for event ev. */
static int
ev_skills_insert(const char *ev, struct json_object *list, const char *req)
{
	PGresult	*res = NULL;
	size_t		 i;
	int		 rc;

	for (i = 0; list != NULL && i < json_object_array_length(list); i++) {
		if ((rc = db_q(STMT_SKILL_UPSERT, &res, json_object_get_string(
		    json_object_array_get_idx(list, i)))) != DB_OK)
			return rc;
		rc = db_q(STMT_EVENT_SKILL_INSERT, NULL, ev,
		    PQgetvalue(res, 0, 0), req);
		PQclear(res);
		res = NULL;
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* Insert rounds, their interviewers and questions; fill out (array). */
static int
ev_rounds_insert(const char *ev, struct json_object *rounds,
    struct json_object *out)
{
	struct json_object	*ro, *v, *q, *o;
	PGresult		*res = NULL;
	char			 pos[24], rid[24], id[24];
	size_t			 i, j;
	int			 rc;

	for (i = 0; rounds != NULL && i < json_object_array_length(rounds);
	    i++) {
		ro = json_object_array_get_idx(rounds, i);
		json_object_object_get_ex(ro, "name", &v);
		snprintf(pos, sizeof(pos), "%zu", i + 1);
		if ((rc = db_q(STMT_ROUND_INSERT, &res, ev, pos,
		    json_object_get_string(v))) != DB_OK)
			return rc;
		snprintf(rid, sizeof(rid), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
		o = json_object_new_object();
		json_object_object_add(o, "round_id",
		    json_object_new_int64(strtoll(rid, NULL, 10)));
		json_object_object_add(o, "position",
		    json_object_new_int((int)i + 1));
		json_object_object_add(o, "name", json_object_get(v));
		json_object_array_add(out, o);
		if (json_object_object_get_ex(ro, "interviewers", &v) && v)
			for (j = 0; j < json_object_array_length(v); j++) {
				snprintf(id, sizeof(id), "%lld", (long long)
				    json_object_get_int64(
				    json_object_array_get_idx(v, j)));
				if ((rc = db_q(STMT_ROUND_INTERVIEWER_INSERT,
				    NULL, rid, id)) != DB_OK)
					return rc;
			}
		if (json_object_object_get_ex(ro, "questions", &v) && v)
			for (j = 0; j < json_object_array_length(v); j++) {
				q = json_object_array_get_idx(v, j);
				if (json_object_is_type(q, json_type_object))
					json_object_object_get_ex(q, "text", &q);
				snprintf(pos, sizeof(pos), "%zu", j + 1);
				if ((rc = db_q(STMT_QUESTION_INSERT, NULL, rid,
				    pos, json_object_get_string(q))) != DB_OK)
					return rc;
			}
	}
	return DB_OK;
}

/*
 * POST event {title, department, description, skills, min_experience,
 * max_experience, location, employment_type, openings, start_date,
 * end_date, status, rounds, resumes} (HR)
 * 201 {"event_id", "rounds", "resumes"}: one transaction; a bad resume is
 * reported per file, the good ones are queued.  400 per-field errors with
 * nothing written.
 */
void
h_event_create(struct req *r)
{
	struct json_object	*errs, *skills = NULL, *req_s, *pref_s, *rounds,
				*resumes, *out = NULL, *ro;
	struct upload		*up = NULL;
	struct buf		 ids = { 0 };
	PGresult		*res = NULL;
	const char		*title, *dept, *desc, *loc, *etype, *sdate,
				*edate, *status = "Pending", *v;
	char			 mins[32], maxs[32], open_s[24], ev[24],
				 hr[24], dept_id[24];
	double			 minx = 0, maxx = -1;
	long			 openings = 1;
	size_t			 nup = 0;
	int			 nids = 0, rc = DB_OK, hasmax;

	errs = json_object_new_object();
	title = jv_str(r->json, "title", 1, 1, 200, errs);
	dept = jv_str(r->json, "department", 1, 1, 100, errs);
	desc = jv_str(r->json, "description", 0, 0, 20000, errs);
	loc = jv_str(r->json, "location", 0, 0, 200, errs);
	etype = jv_str(r->json, "employment_type", 0, 0, 50, errs);
	if (json_object_object_get_ex(r->json, "skills", &skills) &&
	    skills != NULL && !json_object_is_type(skills, json_type_object)) {
		jv_err(errs, "skills", "must be {\"required\": [...], "
		    "\"preferred\": [...]}");
		skills = NULL;
	}
	req_s = ev_skill_list(skills, "required", errs);
	pref_s = ev_skill_list(skills, "preferred", errs);
	(void)jv_number(r->json, "min_experience", 0, 60, &minx, errs);
	hasmax = jv_number(r->json, "max_experience", 0, 60, &maxx, errs);
	if (hasmax == 1 && maxx < minx)
		jv_err(errs, "max_experience", "must not be below "
		    "min_experience");
	(void)jv_long(r->json, "openings", 0, 1, 100000, &openings, errs);
	if ((sdate = jv_str(r->json, "start_date", 0, 0, 10, errs)) != NULL &&
	    !valid_date(sdate))
		jv_err(errs, "start_date", "must be a date YYYY-MM-DD");
	if ((edate = jv_str(r->json, "end_date", 0, 0, 10, errs)) != NULL &&
	    !valid_date(edate))
		jv_err(errs, "end_date", "must be a date YYYY-MM-DD");
	if (sdate != NULL && edate != NULL && strcmp(edate, sdate) < 0)
		jv_err(errs, "end_date", "must not be before start_date");
	if ((v = jv_str(r->json, "status", 0, 1, 16, errs)) != NULL &&
	    (status = ev_status_valid(v)) == NULL)
		jv_err(errs, "status", "must be Pending, Active or Inactive");
	rounds = ev_rounds(r->json, &ids, &nids, errs);
	resumes = jv_array(r->json, "resumes", 0, MAX_RESUMES, errs);
	if (json_object_object_length(errs) == 0 &&
	    ev_staff_check(r, buf_str(&ids), nids, errs, &rc) == -1 &&
	    rc != DB_OK)
		goto dberr;
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		errs = NULL;
		goto out;
	}
	uploads_prepare(r, resumes, &up, &nup);

	snprintf(mins, sizeof(mins), "%g", minx);
	snprintf(maxs, sizeof(maxs), "%g", maxx);
	snprintf(open_s, sizeof(open_s), "%ld", openings);
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_DEPT_UPSERT, &res, dept)) != DB_OK)
		goto dberr;
	snprintf(dept_id, sizeof(dept_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_INSERT, &res, title, dept_id, desc ? desc :
	    "", mins, hasmax == 1 ? maxs : NULL, loc ? loc : "", etype ? etype :
	    "Full-time", open_s, sdate, edate, status, hr)) != DB_OK)
		goto dberr;
	snprintf(ev, sizeof(ev), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	out = json_object_new_object();
	ro = json_object_new_array();
	json_object_object_add(out, "event_id",
	    json_object_new_int64(strtoll(ev, NULL, 10)));
	json_object_object_add(out, "rounds", ro);
	if ((rc = ev_skills_insert(ev, req_s, "t")) != DB_OK ||
	    (rc = ev_skills_insert(ev, pref_s, "f")) != DB_OK ||
	    (rc = ev_rounds_insert(ev, rounds, ro)) != DB_OK ||
	    (rc = uploads_record(up, nup, strtol(ev, NULL, 10),
	    r->who.user_id, 0, 0)) != DB_OK ||
	    (rc = db_q(STMT_EVENT_DOC_REFRESH, NULL, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(out, "resumes", uploads_json(up, nup));
	log_info("event %s created with %zu rounds, %zu of %zu resumes queued",
	    ev, json_object_array_length(ro), uploads_good(up, nup), nup);
	resp_json(r, 201, out);
	out = NULL;
	goto out;
dberr:
	PQclear(res);
	db_rollback();
	resp_db(r, rc);
out:
	json_object_put(out);
	json_object_put(errs);
	uploads_free(up, nup);
	buf_free(&ids);
}

/*
 * POST event-resumes {event_id, resumes} (HR owner): more resumes for an
 * event, in batches a request body can carry.  201 {"resumes": [...]}.
 */
void
h_event_resumes(struct req *r)
{
	struct json_object	*errs, *resumes, *o;
	struct upload		*up = NULL;
	size_t			 nup = 0;
	long			 ev = 0;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &ev, errs);
	resumes = jv_array(r->json, "resumes", 1, MAX_RESUMES, errs);
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	switch (event_role(r, ev, NULL, 0)) {
	case EV_NONE:
		return;
	case EV_OWNER:
		break;
	default:
		resp_error(r, 403, "forbidden", "Only the HR who created this "
		    "event can add resumes.", NULL);
		return;
	}
	uploads_prepare(r, resumes, &up, &nup);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = uploads_record(up, nup, ev, r->who.user_id, 0, 0)) != DB_OK ||
	    (rc = db_commit()) != DB_OK) {
		db_rollback();
		resp_db(r, rc);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "event_id", json_object_new_int64(ev));
		json_object_object_add(o, "resumes", uploads_json(up, nup));
		resp_json(r, 201, o);
	}
	uploads_free(up, nup);
}

/* GET event?status=&page=&page_size=: the events the caller may see. */
void
h_event_list(struct req *r)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	const char		*st = NULL, *v;
	char			 uid[24], lim[16], off[24];
	long			 page, size;
	int			 rc;

	if ((v = req_qs(r, "status")) != NULL && *v != '\0' &&
	    (st = ev_status_valid(v)) == NULL) {
		errs = json_object_new_object();
		jv_err(errs, "status", "must be Pending, Active or Inactive");
		resp_invalid(r, errs);
		return;
	}
	if (req_page(r, &page, &size) == -1)
		return;
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	snprintf(lim, sizeof(lim), "%ld", size);
	snprintf(off, sizeof(off), "%ld", (page - 1) * size);
	if ((rc = db_q(STMT_EVENT_PAGE, &res, uid, r->who.user_type, st, lim,
	    off)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_page_raw(r, db_long(res, 0, 0), page, size, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* GET event-detail?event_id=: the event, for those who may see it. */
void
h_event_detail(struct req *r)
{
	PGresult	*res = NULL;
	char		 ev[24], status[16];
	long		 id;
	int		 rc;

	if ((id = req_id_qs(r, "event_id")) == 0)
		return;
	switch (event_role(r, id, status, sizeof(status))) {
	case EV_NONE:
		return;
	case EV_OTHER:
		if (strcmp(r->who.user_type, "Interviewee") == 0 &&
		    strcmp(status, "Active") == 0)
			break;
		resp_error(r, 403, "forbidden", "This event is not yours.",
		    NULL);
		return;
	default:
		break;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_EVENT_JSON, &res, ev)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/*
 * PATCH event {event_id, status} (HR owner).  Pending -> Active |
 * Inactive; Active <-> Inactive; nothing returns to Pending.  200 the
 * event; 409 a transition that is not allowed.
 */
void
h_event_patch(struct req *r)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	const char		*v, *to = NULL;
	char			 ev[24], cur[16];
	long			 id = 0;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	if ((v = jv_str(r->json, "status", 1, 1, 16, errs)) != NULL &&
	    (to = ev_status_valid(v)) == NULL)
		jv_err(errs, "status", "must be Pending, Active or Inactive");
	if (json_object_object_length(errs) > 0) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	switch (event_role(r, id, cur, sizeof(cur))) {
	case EV_NONE:
		return;
	case EV_OWNER:
		break;
	default:
		resp_error(r, 403, "forbidden", "Only the HR who created this "
		    "event can change it.", NULL);
		return;
	}
	if (strcmp(cur, to) != 0 && strcmp(to, "Pending") == 0) {
		resp_error(r, 409, "invalid_transition", "An event that left "
		    "Pending cannot go back to it.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	if (strcmp(cur, to) != 0 &&
	    ((rc = db_q(STMT_EVENT_SET_STATUS, &res, ev, to)) != DB_OK ||
	    (rc = db_q(STMT_EVENT_DOC_REFRESH, NULL, ev)) != DB_OK)) {
		PQclear(res);
		resp_db(r, rc);
		return;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_JSON, &res, ev)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* A page of a name list (skills, departments). */
static void
names_page(struct req *r, enum stmt st)
{
	PGresult	*res = NULL;
	char		 lim[16], off[24];
	long		 page, size;
	int		 rc;

	if (req_page(r, &page, &size) == -1)
		return;
	snprintf(lim, sizeof(lim), "%ld", size);
	snprintf(off, sizeof(off), "%ld", (page - 1) * size);
	if ((rc = db_q(st, &res, lim, off)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_page_raw(r, db_long(res, 0, 0), page, size, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* {name}: 201 {id, name}; 409 when it exists in any letter case. */
static void
names_create(struct req *r, enum stmt st, const char *what)
{
	struct json_object	*errs, *f;
	PGresult		*res = NULL;
	const char		*name;
	char			 msg[64];
	int			 rc;

	errs = json_object_new_object();
	if ((name = jv_str(r->json, "name", 1, 1, 100, errs)) == NULL) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if ((rc = db_q(st, &res, name)) == DB_CONFLICT) {
		f = json_object_new_object();
		jv_err(f, "name", "already exists");
		snprintf(msg, sizeof(msg), "That %s already exists.", what);
		resp_error(r, 409, "already_exists", msg, f);
		return;
	}
	if (rc != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, 201, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

void
h_skills_list(struct req *r)
{
	names_page(r, STMT_SKILL_PAGE);
}

void
h_skills_create(struct req *r)
{
	names_create(r, STMT_SKILL_INSERT, "skill");
}

void
h_departments_list(struct req *r)
{
	names_page(r, STMT_DEPT_PAGE);
}

void
h_departments_create(struct req *r)
{
	names_create(r, STMT_DEPT_INSERT, "department");
}
