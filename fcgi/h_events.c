/*
 * Hiring events: create (with rounds, interviewers, questions and
 * resumes), more resumes, the list and one event.  Changes to an event
 * are h_event_change.c's; its job details are event.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "event.h"
#include "extern.h"
#include "log.h"

const struct field f_event_create[] = {
	{ "title", FT_STR, F_REQ, 1, 200, NULL, NULL },
	{ "department", FT_STR, F_REQ, 1, 100, NULL, NULL },
	{ "description", FT_TEXT, 0, 0, 20000, NULL, NULL },
	{ "skills", FT_ANY, 0, 0, 0, NULL, event_skills_check },
	{ "min_experience", FT_NUM, 0, 0, 60, NULL, NULL },
	{ "max_experience", FT_NUM, 0, 0, 60, NULL, NULL },
	{ "location", FT_STR, 0, 0, 200, NULL, NULL },
	{ "employment_type", FT_STR, 0, 0, 50, NULL, NULL },
	{ "openings", FT_INT, 0, 1, 100000, NULL, NULL },
	{ "start_date", FT_DATE, 0, 0, 0, NULL, NULL },
	{ "end_date", FT_DATE, 0, 0, 0, NULL, NULL },
	{ "status", FT_ENUM, 0, 1, 0, event_statuses, NULL },
	{ "show_scores", FT_BOOL, 0, 0, 0, NULL, NULL },
	{ "rounds", FT_ARRAY, 0, 0, MAX_ROUNDS, NULL, event_rounds_check },
	{ "resumes", FT_ARRAY, 0, 0, MAX_RESUMES, NULL, NULL },
	FIELDS_END
};

/* In the caller's transaction: event f in department dept by the caller,
 * its skills, rounds (into out's "rounds") and resumes.  Its id in ev. */
static int
event_insert(struct req *r, const struct event_fields *f, struct upload *up,
    size_t nup, char ev[24], struct json_object *out)
{
	struct json_object	*ro;
	PGresult		*res = NULL;
	char			 mins[32], maxs[32], open_s[24], hr[24],
				 dept[24];
	int			 rc;

	snprintf(mins, sizeof(mins), "%g", f->minx);
	snprintf(maxs, sizeof(maxs), "%g", f->maxx);
	snprintf(open_s, sizeof(open_s), "%ld", f->openings);
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_DEPT_UPSERT, &res, req_str(r, "department"))) !=
	    DB_OK)
		return rc;
	snprintf(dept, sizeof(dept), "%s", db_text(res, 0, "id"));
	PQclear(res);
	if ((rc = db_q(STMT_EVENT_INSERT, &res, f->title, dept, f->desc ?
	    f->desc : "", mins, f->maxx >= 0 ? maxs : NULL, f->loc ? f->loc :
	    "", f->etype ? f->etype : "Full-time", open_s, f->sdate, f->edate,
	    f->status ? f->status : "Pending", hr)) != DB_OK)
		return rc;
	snprintf(ev, 24, "%s", db_text(res, 0, "id"));
	json_object_object_add(out, "event_id",
	    json_object_new_int64(db_num(res, 0, "id")));
	PQclear(res);
	ro = json_object_new_array();
	json_object_object_add(out, "rounds", ro);
	if ((rc = event_skills_insert(ev, f->req_s, "t")) != DB_OK ||
	    (rc = event_skills_insert(ev, f->pref_s, "f")) != DB_OK ||
	    (rc = event_rounds_insert(ev, f->rounds, ro)) != DB_OK ||
	    (rc = uploads_record(up, nup, strtol(ev, NULL, 10),
	    r->who.user_id, 0, 0)) != DB_OK)
		return rc;
	if (f->has_show && (rc = db_q(STMT_EVENT_SHOW_SCORES, NULL, ev,
	    f->show ? "t" : "f")) != DB_OK)
		return rc;
	return db_q(STMT_EVENT_DOC_REFRESH, NULL, ev);
}

/*
 * POST event {title, department, description, skills, min_experience,
 * max_experience, location, employment_type, openings, start_date,
 * end_date, status, show_scores, rounds, resumes} (HR)
 * 201 {"event_id", "rounds", "resumes"}: one transaction; a bad resume is
 * reported per file, the good ones are queued.  400 per-field errors with
 * nothing written.
 */
void
h_event_create(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *out = NULL;
	struct event_fields	 f;
	struct upload		*up = NULL;
	char			 ev[24];
	size_t			 nup = 0;
	int			 rc = DB_OK;

	errs = json_object_new_object();
	event_fields_read(r, &f);
	event_fields_check(&f, f.minx, f.maxx, f.sdate, f.edate, errs);
	if (json_object_object_length(errs) == 0 &&
	    event_staff_check(f.rounds, errs, &rc) == -1 && rc != DB_OK)
		goto dberr;
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		errs = NULL;
		goto out;
	}
	uploads_prepare(r, req_obj(r, "resumes"), &up, &nup);
	out = json_object_new_object();
	if ((rc = db_begin()) != DB_OK ||
	    (rc = event_insert(r, &f, up, nup, ev, out)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	json_object_object_add(out, "resumes", uploads_json(up, nup));
	log_info("event %s created with %zu rounds, %zu of %zu resumes queued",
	    ev, f.rounds ? json_object_array_length(f.rounds) : 0,
	    uploads_good(up, nup), nup);
	reply_json(rp, 201, out);
	out = NULL;
	goto out;
dberr:
	db_rollback();
	uploads_discard(up, nup);
	reply_db(rp, rc);
out:
	json_object_put(out);
	json_object_put(errs);
	uploads_free(up, nup);
}

const struct field f_event_resumes[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "resumes", FT_ARRAY, F_REQ, 0, MAX_RESUMES, NULL, NULL },
	FIELDS_END
};

/*
 * POST event-resumes {event_id, resumes} (HR owner): more resumes for an
 * event, in batches a request body can carry.  201 {"event_id",
 * "resumes": [...]}.
 */
void
h_event_resumes(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	struct upload		*up = NULL;
	size_t			 nup = 0;
	long			 ev;
	int			 rc;

	ev = req_long(r, "event_id");
	switch (event_role(r, rp, ev, NULL, 0)) {
	case EV_NONE:
		return;
	case EV_OWNER:
		break;
	default:
		reply_error(rp, 403, "forbidden", "Only the HR who created "
		    "this event can add resumes.", NULL);
		return;
	}
	uploads_prepare(r, req_obj(r, "resumes"), &up, &nup);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = uploads_record(up, nup, ev, r->who.user_id, 0, 0)) !=
	    DB_OK || (rc = db_commit()) != DB_OK) {
		db_rollback();
		uploads_discard(up, nup);
		reply_db(rp, rc);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "event_id",
		    json_object_new_int64(ev));
		json_object_object_add(o, "resumes", uploads_json(up, nup));
		reply_json(rp, 201, o);
	}
	uploads_free(up, nup);
}

const struct field f_event_list[] = {
	{ "status", FT_ENUM, F_QUERY, 0, 0, event_statuses, NULL },
	F_PAGE,
	FIELDS_END
};

/* GET event?status=&page=&page_size=: the events the caller may see. */
void
h_event_list(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	struct page	 pg;
	char		 uid[24];
	int		 rc;

	req_page(r, &pg);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_EVENT_PAGE, &res, uid, r->who.user_type,
	    req_str(r, "status"), pg.limit, pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "count"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

const struct field f_event_detail[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

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

	id = req_long(r, "event_id");
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
	reply_text(rp, 200, "application/json", db_text(res, 0, "event"),
	    db_len(res, 0, "event"), NULL);
	PQclear(res);
}
