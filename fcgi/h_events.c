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
req_id_qs(struct req *r, struct reply *rp, const char *name)
{
	struct json_object	*errs;
	const char		*v;
	long			 id;

	v = req_qs(r, name);
	if (v != NULL && valid_long(v, 1, 1L << 62, &id))
		return id;
	errs = json_object_new_object();
	jv_err(errs, name, v == NULL ? "is required" : "must be an id");
	reply_invalid(rp, errs);
	return 0;
}

enum ev_role
event_role(struct req *r, struct reply *rp, long event_id, char *status, size_t statussz)
{
	PGresult	*res = NULL;
	char		 ev[24], uid[24];
	enum ev_role	 role;
	int		 rc;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_ACCESS, &res, ev, uid)) != DB_OK) {
		reply_db(rp, rc);
		return EV_NONE;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such event.", NULL);
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

/* Who the caller is to registration id's event: EV_NONE after a 404 (no
 * such registration or event) or a database error was sent. */
enum ev_role
registration_role(struct req *r, struct reply *rp, long id)
{
	PGresult	*res = NULL;
	char		 reg[24];
	long		 event;
	int		 rc;

	snprintf(reg, sizeof(reg), "%ld", id);
	if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		return EV_NONE;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such registration.", NULL);
		return EV_NONE;
	}
	event = db_long(res, 0, 0);
	PQclear(res);
	return event_role(r, rp, event, NULL, 0);
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
		if (!valid_json_text(e, 1, 100, 0)) {
			jv_err(errs, key, "each skill must be 1-100 characters");
			return NULL;
		}
	}
	return a;
}

/* The job details of an event, as POST and PATCH event read them. */
struct ev_fields {
	const char		*title;
	const char		*desc;
	const char		*loc;
	const char		*etype;
	const char		*status;	/* canonical spelling or NULL */
	const char		*sdate;		/* NULL: none */
	const char		*edate;
	struct json_object	*req_s;		/* borrowed; NULL: not given */
	struct json_object	*pref_s;
	double			 minx;
	double			 maxx;		/* < 0: no upper bound */
	long			 openings;
	int			 has_min;	/* given (JSON null clears */
	int			 has_max;	/* max_experience and dates) */
	int			 has_open;
	int			 has_show;	/* show_scores given */
	int			 show;		/* candidates see scores */
	int			 has_sdate;
	int			 has_edate;
	int			 nscoring;	/* scoring members given */
	int			 given;		/* members given */
};

/* Members of ev_fields; the first four are what the scorer reads. */
static const char *const ev_field_keys[] = { "description", "skills",
    "min_experience", "max_experience", "title", "location",
    "employment_type", "openings", "start_date", "end_date", "status",
    "show_scores", NULL };

/* 1 when key is present with the value JSON null. */
static int
ev_null(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, key, &v) && v == NULL;
}

/*
 * Read and check the job details of body into f, errors into errs.
 * create: POST event (title required, null means absent).  Otherwise
 * PATCH event: only the members given change, null clears max_experience,
 * start_date and end_date and is refused for the others.  Limits that
 * involve two members are ev_fields_check's.
 */
static void
ev_fields_read(struct json_object *body, int create, struct ev_fields *f,
    struct json_object *errs)
{
	struct json_object	*skills = NULL, *v;
	const char		*s;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	f->maxx = -1;
	f->openings = 1;
	for (i = 0; ev_field_keys[i] != NULL; i++) {
		if (!json_object_object_get_ex(body, ev_field_keys[i], &v))
			continue;
		f->given++;
		if (i < 4)
			f->nscoring++;
		if (!create && v == NULL && strcmp(ev_field_keys[i],
		    "max_experience") && strcmp(ev_field_keys[i],
		    "start_date") && strcmp(ev_field_keys[i], "end_date"))
			jv_err(errs, ev_field_keys[i], "must not be null");
	}
	f->title = jv_str(body, "title", create, 1, 200, errs);
	f->desc = jv_text(body, "description", 0, 0, 20000, errs);
	f->loc = jv_str(body, "location", 0, 0, 200, errs);
	f->etype = jv_str(body, "employment_type", 0, 0, 50, errs);
	if (json_object_object_get_ex(body, "skills", &skills) &&
	    skills != NULL && !json_object_is_type(skills, json_type_object)) {
		jv_err(errs, "skills", "must be {\"required\": [...], "
		    "\"preferred\": [...]}");
		skills = NULL;
	}
	f->req_s = ev_skill_list(skills, "required", errs);
	f->pref_s = ev_skill_list(skills, "preferred", errs);
	f->has_min = jv_number(body, "min_experience", 0, 60, &f->minx,
	    errs) == 1;
	if (!f->has_min)
		f->minx = 0;
	f->has_max = jv_number(body, "max_experience", 0, 60, &f->maxx,
	    errs) == 1;
	if (!f->has_max)
		f->maxx = -1;
	f->has_open = jv_long(body, "openings", 0, 1, 100000, &f->openings,
	    errs) == 1;
	if ((f->sdate = jv_str(body, "start_date", 0, 0, 10, errs)) != NULL &&
	    !valid_date(f->sdate))
		jv_err(errs, "start_date", "must be a date YYYY-MM-DD");
	if ((f->edate = jv_str(body, "end_date", 0, 0, 10, errs)) != NULL &&
	    !valid_date(f->edate))
		jv_err(errs, "end_date", "must be a date YYYY-MM-DD");
	f->has_sdate = f->sdate != NULL;
	f->has_edate = f->edate != NULL;
	if (!create) {
		f->has_max |= ev_null(body, "max_experience");
		f->has_sdate |= ev_null(body, "start_date");
		f->has_edate |= ev_null(body, "end_date");
	}
	if ((s = jv_str(body, "status", 0, 1, 16, errs)) != NULL &&
	    (f->status = ev_status_valid(s)) == NULL)
		jv_err(errs, "status", "must be Pending, Active or Inactive");
	f->has_show = jv_bool(body, "show_scores", 0, &f->show, errs) == 1;
}

/*
 * min_experience <= max_experience and start_date <= end_date on the
 * values the event will have (maxx < 0 and NULL dates: none); the error
 * names the member f was given.
 */
static void
ev_fields_check(const struct ev_fields *f, double minx, double maxx,
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
		    !valid_json_text(v, 1, 100, 0)) {
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
				if (!valid_json_text(q, 1, 2000, 1)) {
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
h_event_create(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *rounds, *resumes, *out = NULL, *ro;
	struct ev_fields	 f;
	struct upload		*up = NULL;
	struct buf		 ids = { 0 };
	PGresult		*res = NULL;
	const char		*dept;
	char			 mins[32], maxs[32], open_s[24], ev[24],
				 hr[24], dept_id[24];
	size_t			 nup = 0;
	int			 nids = 0, rc = DB_OK;

	errs = json_object_new_object();
	ev_fields_read(r->json, 1, &f, errs);
	if ((dept = jv_str(r->json, "department", 1, 1, 100, errs)) != NULL &&
	    !valid_text(dept, 1, 100, 0))
		jv_err(errs, "department", "must be one line of 1 to 100 "
		    "characters");
	ev_fields_check(&f, f.minx, f.maxx, f.sdate, f.edate, errs);
	rounds = ev_rounds(r->json, &ids, &nids, errs);
	resumes = jv_array(r->json, "resumes", 0, MAX_RESUMES, errs);
	if (json_object_object_length(errs) == 0 &&
	    ev_staff_check(r, buf_str(&ids), nids, errs, &rc) == -1 &&
	    rc != DB_OK)
		goto dberr;
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		errs = NULL;
		goto out;
	}
	uploads_prepare(r, resumes, &up, &nup);

	snprintf(mins, sizeof(mins), "%g", f.minx);
	snprintf(maxs, sizeof(maxs), "%g", f.maxx);
	snprintf(open_s, sizeof(open_s), "%ld", f.openings);
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_DEPT_UPSERT, &res, dept)) != DB_OK)
		goto dberr;
	snprintf(dept_id, sizeof(dept_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_INSERT, &res, f.title, dept_id, f.desc ?
	    f.desc : "", mins, f.maxx >= 0 ? maxs : NULL, f.loc ? f.loc : "",
	    f.etype ? f.etype : "Full-time", open_s, f.sdate, f.edate,
	    f.status ? f.status : "Pending", hr)) != DB_OK)
		goto dberr;
	snprintf(ev, sizeof(ev), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	out = json_object_new_object();
	ro = json_object_new_array();
	json_object_object_add(out, "event_id",
	    json_object_new_int64(strtoll(ev, NULL, 10)));
	json_object_object_add(out, "rounds", ro);
	if ((rc = ev_skills_insert(ev, f.req_s, "t")) != DB_OK ||
	    (rc = ev_skills_insert(ev, f.pref_s, "f")) != DB_OK ||
	    (rc = ev_rounds_insert(ev, rounds, ro)) != DB_OK ||
	    (rc = uploads_record(up, nup, strtol(ev, NULL, 10),
	    r->who.user_id, 0, 0)) != DB_OK ||
	    (f.has_show && (rc = db_q(STMT_EVENT_SHOW_SCORES, NULL, ev,
	    f.show ? "t" : "f")) != DB_OK) ||
	    (rc = db_q(STMT_EVENT_DOC_REFRESH, NULL, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(out, "resumes", uploads_json(up, nup));
	log_info("event %s created with %zu rounds, %zu of %zu resumes queued",
	    ev, json_object_array_length(ro), uploads_good(up, nup), nup);
	reply_json(rp, 201, out);
	out = NULL;
	goto out;
dberr:
	PQclear(res);
	db_rollback();
	uploads_discard(up, nup);
	reply_db(rp, rc);
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
h_event_resumes(struct req *r, struct reply *rp)
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
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	switch (event_role(r, rp, ev, NULL, 0)) {
	case EV_NONE:
		return;
	case EV_OWNER:
		break;
	default:
		reply_error(rp, 403, "forbidden", "Only the HR who created this "
		    "event can add resumes.", NULL);
		return;
	}
	uploads_prepare(r, resumes, &up, &nup);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = uploads_record(up, nup, ev, r->who.user_id, 0, 0)) != DB_OK ||
	    (rc = db_commit()) != DB_OK) {
		db_rollback();
		uploads_discard(up, nup);
		reply_db(rp, rc);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "event_id", json_object_new_int64(ev));
		json_object_object_add(o, "resumes", uploads_json(up, nup));
		reply_json(rp, 201, o);
	}
	uploads_free(up, nup);
}

const struct field f_event_list[] = {
	F_PAGE,
	FIELDS_END
};

/* GET event?status=&page=&page_size=: the events the caller may see. */
void
h_event_list(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	const char		*st = NULL, *v;
	char			 uid[24];
	struct page			 pg;
	int			 rc;

	if ((v = req_qs(r, "status")) != NULL && *v != '\0' &&
	    (st = ev_status_valid(v)) == NULL) {
		errs = json_object_new_object();
		jv_err(errs, "status", "must be Pending, Active or Inactive");
		reply_invalid(rp, errs);
		return;
	}
	req_page(r, &pg);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_PAGE, &res, uid, r->who.user_type, st, pg.limit,
	    pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_long(res, 0, 0), &pg, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* GET event-detail?event_id=: the event, for those who may see it (a
 * candidate's copy has no questions and no interviewers' usernames). */
void
h_event_detail(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], status[16];
	enum ev_role	 role;
	long		 id;
	int		 rc;

	if ((id = req_id_qs(r, rp, "event_id")) == 0)
		return;
	switch ((role = event_role(r, rp, id, status, sizeof(status)))) {
	case EV_NONE:
		return;
	case EV_OTHER:
		if (strcmp(r->who.user_type, "Interviewee") == 0 &&
		    strcmp(status, "Active") == 0)
			break;
		reply_error(rp, 403, "forbidden", "This event is not yours.",
		    NULL);
		return;
	default:
		break;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	/* Candidates never see questions or interviewers' usernames. */
	if ((rc = db_q(STMT_EVENT_JSON, &res, ev, role == EV_OWNER ||
	    role == EV_INTERVIEWER ? "f" : "t")) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* Replace the skill lists of ev that f gives (both cleared first). */
static int
ev_skills_replace(const char *ev, const struct ev_fields *f)
{
	int	 rc;

	if ((f->req_s != NULL && (rc = db_q(STMT_EVENT_SKILLS_CLEAR, NULL, ev,
	    "t")) != DB_OK) || (f->pref_s != NULL &&
	    (rc = db_q(STMT_EVENT_SKILLS_CLEAR, NULL, ev, "f")) != DB_OK))
		return rc;
	if ((rc = ev_skills_insert(ev, f->req_s, "t")) != DB_OK)
		return rc;
	return ev_skills_insert(ev, f->pref_s, "f");
}

/*
 * In the caller's transaction: queue a rescore of event ev for the
 * scoring digest sig.  *n gets the registrations with a resume, *queued
 * the same number, or 0 when a rescore for this digest already waits or
 * runs.
 */
static int
ev_rescore_enqueue(const char *ev, const char *sig, long *queued, long *n)
{
	PGresult	*res = NULL;
	int		 rc;

	*queued = *n = 0;
	if ((rc = db_q(STMT_RESCORE_ENQUEUE, &res, ev, sig)) != DB_OK)
		return rc;
	*n = db_long(res, 0, 1);
	if (db_long(res, 0, 0) > 0)
		*queued = *n;
	PQclear(res);
	return DB_OK;
}

/*
 * The event's owner only: in a new transaction, the event row locked
 * (EVENT_LOCK into *res).  1 when the caller goes on (*intx set; *rc has
 * any database error, to be answered), 0 after the answer was sent (404,
 * also when it went meanwhile, or 403: only its owner may verb it).
 */
static int
event_owned_locked(struct req *r, struct reply *rp, long id, const char *verb, char ev[24],
    PGresult **res, int *rc, int *intx)
{
	char	 msg[96];

	switch (event_role(r, rp, id, NULL, 0)) {
	case EV_NONE:
		return 0;
	case EV_OWNER:
		break;
	default:
		snprintf(msg, sizeof(msg), "Only the HR who own this event "
		    "can %s it.", verb);
		reply_error(rp, 403, "forbidden", msg, NULL);
		return 0;
	}
	snprintf(ev, 24, "%ld", id);
	if ((*rc = db_begin()) != DB_OK)
		return 1;
	*intx = 1;
	if ((*rc = db_q(STMT_EVENT_LOCK, res, ev)) == DB_OK &&
	    PQntuples(*res) == 0) {
		reply_error(rp, 404, "not_found", "No such event.", NULL);
		return 0;
	}
	return 1;
}

/* PATCH event's rounds (NULL when not given), checked as POST event
 * checks them (*rc: a database error of that); an event keeps one round
 * at least. */
static struct json_object *
ev_rounds_read(struct req *r, struct buf *ids, struct json_object *errs,
    int *rc)
{
	struct json_object	*rounds;
	int			 nids = 0;

	*rc = DB_OK;
	if ((rounds = ev_rounds(r->json, ids, &nids, errs)) != NULL &&
	    json_object_array_length(rounds) == 0) {
		jv_err(errs, "rounds", "an event needs at least one round");
		return NULL;
	}
	if (json_object_object_length(errs) == 0)
		(void)ev_staff_check(r, buf_str(ids), nids, errs, rc);
	return rounds;
}

/*
 * PATCH event's rounds, in its transaction: DB_OK, or the database error;
 * *started set (nothing changed) once an interview of the event began.
 */
static int
ev_rounds_patch(const char *ev, struct json_object *rounds, int *started)
{
	PGresult	*res = NULL;
	int		 rc;

	*started = 0;
	if (rounds == NULL)
		return DB_OK;
	if ((rc = db_q(STMT_EVENT_ROUNDS_SET, &res, ev,
	    json_object_to_json_string(rounds))) != DB_OK)
		return rc;
	*started = strcmp(PQgetvalue(res, 0, 0), "started") == 0;
	PQclear(res);
	return DB_OK;
}

/*
 * PATCH event {event_id, and any of title, description, skills
 * {required, preferred}, min_experience, max_experience, location,
 * employment_type, openings, start_date, end_date, status, rounds} (HR
 * owner).  The members given change and nothing else; they are checked as POST
 * event checks them, limits against the values kept (null clears
 * max_experience and the dates).  Status: Pending -> Active | Inactive,
 * Active <-> Inactive, nothing returns to Pending.  When what the scorer
 * reads changed (description, skills, experience), the same transaction
 * queues one rescore of every registration with a resume.
 * 200 the event with "rescore_queued" (registrations queued for
 * rescoring); 400 per-field errors with nothing changed; 403 not the
 * owner; 404; 409 a transition that is not allowed.  Rounds (as POST
 * event gives them: names, interviewers, questions) change only until the
 * event's first interview starts: then 409 interviews_started.
 */
void
h_event_patch(struct req *r, struct reply *rp)
{
	struct json_object_iterator it, end;
	struct json_object	*errs, *rounds;
	struct ev_fields	 f;
	struct buf		 b = { 0 }, ids = { 0 };
	PGresult		*res = NULL;
	const char		*key, *start, *fin;
	char			 ev[24], cur[16], mins[32], maxs[32],
				 open_s[24], smin[32], smax[32], sstart[16],
				 send[16], sig[40];
	double			 minx, maxx;
	size_t			 i;
	long			 id = 0, queued = 0, n;
	int			 rc = DB_OK, intx = 0, started;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	ev_fields_read(r->json, 0, &f, errs);
	rounds = ev_rounds_read(r, &ids, errs, &rc);
	if (rc != DB_OK)
		goto dberr;
	it = json_object_iter_begin(r->json);
	end = json_object_iter_end(r->json);
	for (; !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		for (i = 0; ev_field_keys[i] != NULL &&
		    strcmp(ev_field_keys[i], key); i++)
			continue;
		if (ev_field_keys[i] == NULL && strcmp(key, "event_id") &&
		    strcmp(key, "rounds"))
			jv_err(errs, key, "cannot be changed here");
	}
	if (json_object_object_length(errs) == 0 && f.given == 0 &&
	    rounds == NULL)
		jv_err(errs, "status", "give the status or a job detail to "
		    "change");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		errs = NULL;
		goto out;
	}
	if (!event_owned_locked(r, rp, id, "change", ev, &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	snprintf(cur, sizeof(cur), "%s", PQgetvalue(res, 0, 0));
	snprintf(smin, sizeof(smin), "%s", PQgetvalue(res, 0, 1));
	snprintf(smax, sizeof(smax), "%s", PQgetvalue(res, 0, 2));
	snprintf(sstart, sizeof(sstart), "%s", PQgetvalue(res, 0, 3));
	snprintf(send, sizeof(send), "%s", PQgetvalue(res, 0, 4));
	snprintf(sig, sizeof(sig), "%s", PQgetvalue(res, 0, 5));
	minx = f.has_min ? f.minx : strtod(smin, NULL);
	maxx = f.has_max ? f.maxx : smax[0] != '\0' ? strtod(smax, NULL) : -1;
	start = f.has_sdate ? f.sdate : sstart[0] != '\0' ? sstart : NULL;
	fin = f.has_edate ? f.edate : send[0] != '\0' ? send : NULL;
	PQclear(res);
	res = NULL;
	ev_fields_check(&f, minx, maxx, start, fin, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		errs = NULL;
		goto out;
	}
	if (f.status != NULL && strcmp(cur, f.status) != 0 &&
	    strcmp(f.status, "Pending") == 0) {
		reply_error(rp, 409, "invalid_transition", "An event that left "
		    "Pending cannot go back to it.", NULL);
		goto out;
	}
	snprintf(mins, sizeof(mins), "%g", f.minx);
	snprintf(maxs, sizeof(maxs), "%g", f.maxx);
	snprintf(open_s, sizeof(open_s), "%ld", f.openings);
	if ((rc = db_q(STMT_EVENT_UPDATE, NULL, ev, f.title, f.desc,
	    f.has_min ? mins : NULL, f.has_max ? "t" : "f", f.maxx >= 0 ? maxs :
	    NULL, f.loc, f.etype, f.has_open ? open_s : NULL, f.has_sdate ?
	    "t" : "f", f.sdate, f.has_edate ? "t" : "f", f.edate,
	    f.status)) != DB_OK || (rc = ev_skills_replace(ev, &f)) != DB_OK ||
	    (rc = ev_rounds_patch(ev, rounds, &started)) != DB_OK)
		goto dberr;
	if (started) {
		reply_error(rp, 409, "interviews_started", "This event's "
		    "interviews have started: its rounds can no longer "
		    "change.", NULL);
		goto out;
	}
	if (f.nscoring > 0) {
		if ((rc = db_q(STMT_EVENT_SCORING_SIG, &res, ev)) != DB_OK)
			goto dberr;
		if (strcmp(sig, PQgetvalue(res, 0, 0)) != 0 &&
		    (rc = ev_rescore_enqueue(ev, PQgetvalue(res, 0, 0),
		    &queued, &n)) != DB_OK)
			goto dberr;
		PQclear(res);
		res = NULL;
	}
	if ((f.has_show && (rc = db_q(STMT_EVENT_SHOW_SCORES, NULL, ev,
	    f.show ? "t" : "f")) != DB_OK) ||
	    (rc = db_q(STMT_EVENT_DOC_REFRESH, NULL, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	intx = 0;
	if (queued > 0)
		log_info("event %s changed: %ld registrations queued for "
		    "rescoring", ev, queued);
	if ((rc = db_q(STMT_EVENT_JSON, &res, ev, "f")) != DB_OK)
		goto dberr;
	/* The event's JSON text with one more member. */
	buf_append(&b, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0) -
	    1);
	buf_printf(&b, ", \"rescore_queued\" : %ld}", queued);
	reply_text(rp, 200, "application/json", b.data, b.len, NULL);
	goto out;
dberr:
	reply_db(rp, rc);
out:
	PQclear(res);
	if (intx)
		db_rollback();
	json_object_put(errs);
	buf_free(&b);
	buf_free(&ids);
}

/*
 * POST event-rescore {event_id} (HR owner): score every registration
 * with a resume again against the event as it is now, keeping each
 * previous score.  202 {"event_id", "queued": registrations queued, 0
 * when a rescore for the event as it is already waits or runs,
 * "message"}.
 */
void
h_event_rescore(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	char			 ev[24];
	long			 id = 0, queued = 0, n;
	int			 rc = DB_OK, intx = 0;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		errs = NULL;
		goto out;
	}
	if (!event_owned_locked(r, rp, id, "rescore", ev, &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	if ((rc = ev_rescore_enqueue(ev, PQgetvalue(res, 0, 5), &queued,
	    &n)) != DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	intx = 0;
	o = json_object_new_object();
	json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "queued", json_object_new_int64(queued));
	json_object_object_add(o, "message", json_object_new_string(
	    queued > 0 ? "Registrations are queued for rescoring." : n == 0 ?
	    "No registration has a resume to score yet." :
	    "A rescore of this event as it is now is already on its way."));
	reply_json(rp, 202, o);
	goto out;
dberr:
	reply_db(rp, rc);
out:
	PQclear(res);
	if (intx)
		db_rollback();
	json_object_put(errs);
}

/*
 * POST event-owner {event_id, user_id} (an owner of the event): user_id,
 * an active HR account, owns the event too.  DELETE event-owner {event_id,
 * user_id}: it no longer does (an owner may remove itself), but an event
 * always keeps one owner.  200 {"event_id", "owners": [user ids]}; 400;
 * 403 not an owner; 404 no such event or user; 409 not an active HR (add),
 * not an owner or the last one (remove).
 */
static void
event_owner_change(struct req *r, struct reply *rp, int add)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	char			 ev[24], uid[24], me[24];
	long			 id = 0, user = 0;
	int			 rc = DB_OK, intx = 0;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	(void)jv_long(r->json, "user_id", 1, 1, 1L << 62, &user, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (!event_owned_locked(r, rp, id, "share", ev, &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	PQclear(res);
	res = NULL;
	snprintf(uid, sizeof(uid), "%ld", user);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(add ? STMT_EVENT_OWNER_ADD : STMT_EVENT_OWNER_REMOVE,
	    &res, ev, uid, me)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0 || PQgetvalue(res, 0, 0)[0] != 'o') {
		if (PQntuples(res) == 0)
			reply_error(rp, 404, "not_found", "No such user.", NULL);
		else
			reply_error(rp, 409, "conflict", add ? "Only an active "
			    "HR account can own an event." : "That user is "
			    "not an owner, or is the event's last one.", NULL);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_OWNERS, &res, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	intx = 0;
	log_info("event %s: user %s %s by %s", ev, uid, add ? "added as owner" :
	    "no longer owner", me);
	o = json_object_new_object();
	json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "owners",
	    json_tokener_parse(PQgetvalue(res, 0, 0)));
	reply_json(rp, 200, o);
	goto out;
dberr:
	reply_db(rp, rc);
out:
	PQclear(res);
	if (intx)
		db_rollback();
}

void
h_event_owner_add(struct req *r, struct reply *rp)
{
	event_owner_change(r, rp, 1);
}

void
h_event_owner_remove(struct req *r, struct reply *rp)
{
	event_owner_change(r, rp, 0);
}

/* A page of a name list (skills, departments). */
static void
names_page(struct req *r, struct reply *rp, enum stmt st)
{
	PGresult	*res = NULL;
	struct page		 pg;
	int		 rc;

	req_page(r, &pg);
	if ((rc = db_q(st, &res, pg.limit, pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_long(res, 0, 0), &pg, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* {name}: 201 {id, name}; 409 when it exists in any letter case. */
static void
names_create(struct req *r, struct reply *rp, enum stmt st, const char *what)
{
	struct json_object	*errs, *f;
	PGresult		*res = NULL;
	const char		*name;
	char			 msg[64];
	int			 rc;

	errs = json_object_new_object();
	if ((name = jv_str(r->json, "name", 1, 1, 100, errs)) != NULL &&
	    !valid_text(name, 1, 100, 0))
		jv_err(errs, "name", "must be one line of 1 to 100 characters");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if ((rc = db_q(st, &res, name)) == DB_CONFLICT) {
		f = json_object_new_object();
		jv_err(f, "name", "already exists");
		snprintf(msg, sizeof(msg), "That %s already exists.", what);
		reply_error(rp, 409, "already_exists", msg, f);
		return;
	}
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 201, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

const struct field f_skills_list[] = {
	F_PAGE,
	FIELDS_END
};

void
h_skills_list(struct req *r, struct reply *rp)
{
	names_page(r, rp, STMT_SKILL_PAGE);
}

void
h_skills_create(struct req *r, struct reply *rp)
{
	names_create(r, rp, STMT_SKILL_INSERT, "skill");
}

const struct field f_departments_list[] = {
	F_PAGE,
	FIELDS_END
};

void
h_departments_list(struct req *r, struct reply *rp)
{
	names_page(r, rp, STMT_DEPT_PAGE);
}

void
h_departments_create(struct req *r, struct reply *rp)
{
	names_create(r, rp, STMT_DEPT_INSERT, "department");
}
