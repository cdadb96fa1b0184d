/*
 * Changes to an event by its owners: its job details, status and rounds
 * (PATCH event), a rescore of its registrations, and who owns it.  Each
 * runs in one transaction with the event's row locked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "event.h"
#include "extern.h"
#include "log.h"
#include "valid.h"

/*
 * The job details PATCH event changes: scoring ones are what the scorer
 * reads (a change queues a rescore).
 */
static const struct {
	const char	*name;
	int		 scoring;
} ev_details[] = {
	{ "description", 1 },
	{ "skills", 1 },
	{ "min_experience", 1 },
	{ "max_experience", 1 },
	{ "title", 0 },
	{ "location", 0 },
	{ "employment_type", 0 },
	{ "openings", 0 },
	{ "start_date", 0 },
	{ "end_date", 0 },
	{ "status", 0 },
	{ "show_scores", 0 },
};
#define EV_NDETAILS	(sizeof(ev_details) / sizeof(ev_details[0]))

/*
 * The event's owner only: in a new transaction, the event row locked
 * (EVENT_LOCK into *res).  1 when the caller goes on (*intx set; *rc has
 * any database error, to be answered), 0 after the answer was set (404,
 * also when it went meanwhile, or 403: only its owner may verb it).
 */
static int
ev_owned_locked(struct req *r, struct reply *rp, long id, const char *verb,
    char ev[24], PGresult **res, int *rc, int *intx)
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
	*n = db_num(res, 0, "n");
	if (db_num(res, 0, "queued") > 0)
		*queued = *n;
	PQclear(res);
	return DB_OK;
}

const struct field f_event_patch[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "title", FT_STR, 0, 1, 200, NULL, NULL },
	{ "description", FT_TEXT, 0, 0, 20000, NULL, NULL },
	{ "skills", FT_ANY, 0, 0, 0, NULL, event_skills_check },
	{ "min_experience", FT_NUM, 0, 0, 60, NULL, NULL },
	{ "max_experience", FT_NUM, F_NULL, 0, 60, NULL, NULL },
	{ "location", FT_STR, 0, 0, 200, NULL, NULL },
	{ "employment_type", FT_STR, 0, 0, 50, NULL, NULL },
	{ "openings", FT_INT, 0, 1, 100000, NULL, NULL },
	{ "start_date", FT_DATE, F_NULL, 0, 0, NULL, NULL },
	{ "end_date", FT_DATE, F_NULL, 0, 0, NULL, NULL },
	{ "status", FT_ENUM, 0, 1, 0, event_statuses, NULL },
	{ "show_scores", FT_BOOL, 0, 0, 0, NULL, NULL },
	{ "rounds", FT_ARRAY, 0, 0, MAX_ROUNDS, NULL, event_rounds_check },
	FIELDS_END
};

/* 1 when the route declares a field name. */
static int
ev_declared(const struct req *r, const char *name)
{
	const struct field	*f;

	for (f = r->route->fields; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return 1;
	return 0;
}

/*
 * The members of a PATCH event body as a whole, errors into errs: every
 * member is one the route declares, a job detail is null only where null
 * clears it (the field takes F_NULL), the rounds keep one at least and
 * their interviewers are staff, and something is to change.  *nscoring
 * gets the scoring details given.  0, or a database error.
 */
static int
ev_patch_members(struct req *r, struct json_object *errs, int *nscoring)
{
	struct json_object_iterator it, end;
	struct json_object	*rounds;
	const char		*key;
	size_t			 i;
	int			 rc = DB_OK, given = 0;

	*nscoring = 0;
	if ((rounds = req_obj(r, "rounds")) != NULL &&
	    json_object_array_length(rounds) == 0)
		jv_err(errs, "rounds", "an event needs at least one round");
	else if (rounds != NULL)
		(void)event_staff_check(rounds, errs, &rc);
	it = json_object_iter_begin(r->json);
	end = json_object_iter_end(r->json);
	for (; !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		for (i = 0; i < EV_NDETAILS &&
		    strcmp(ev_details[i].name, key) != 0; i++)
			continue;
		if (i == EV_NDETAILS) {
			if (!ev_declared(r, key))
				jv_err(errs, key, "cannot be changed here");
			continue;
		}
		given++;
		*nscoring += ev_details[i].scoring;
		if (json_object_iter_peek_value(&it) == NULL &&
		    !req_null(r, key))
			jv_err(errs, key, "must not be null");
	}
	if (json_object_object_length(errs) == 0 && given == 0 &&
	    rounds == NULL)
		jv_err(errs, "status", "give the status or a job detail to "
		    "change");
	return rc;
}

/*
 * The limits of f against the event as kept (res: its EVENT_LOCK row),
 * errors into errs; *cur gets its status and sig its scoring digest.
 */
static void
ev_patch_limits(const struct event_fields *f, const PGresult *res,
    char cur[16], char sig[40], struct json_object *errs)
{
	const char	*start, *fin;
	double		 minx, maxx;

	snprintf(cur, 16, "%s", db_text(res, 0, "status"));
	snprintf(sig, 40, "%s", db_text(res, 0, "sig"));
	minx = f->has_min ? f->minx : strtod(db_text(res, 0,
	    "min_experience"), NULL);
	maxx = f->has_max ? f->maxx : db_isnull(res, 0, "max_experience") ?
	    -1 : strtod(db_text(res, 0, "max_experience"), NULL);
	start = f->has_sdate ? f->sdate : db_opt(res, 0, "start_date");
	fin = f->has_edate ? f->edate : db_opt(res, 0, "end_date");
	event_fields_check(f, minx, maxx, start, fin, errs);
}

/* Replace the skill lists of ev that f gives (both cleared first). */
static int
ev_skills_replace(const char *ev, const struct event_fields *f)
{
	int	 rc;

	if ((f->req_s != NULL && (rc = db_q(STMT_EVENT_SKILLS_CLEAR, NULL, ev,
	    "t")) != DB_OK) || (f->pref_s != NULL &&
	    (rc = db_q(STMT_EVENT_SKILLS_CLEAR, NULL, ev, "f")) != DB_OK))
		return rc;
	if ((rc = event_skills_insert(ev, f->req_s, "t")) != DB_OK)
		return rc;
	return event_skills_insert(ev, f->pref_s, "f");
}

/*
 * PATCH event's changes to ev, in its transaction: DB_OK, or the
 * database error; *started set (the rounds not changed) once an
 * interview of the event began.
 */
static int
ev_patch_write(const char *ev, const struct event_fields *f, int *started)
{
	PGresult	*res = NULL;
	char		 mins[32], maxs[32], open_s[24];
	int		 rc;

	*started = 0;
	snprintf(mins, sizeof(mins), "%g", f->minx);
	snprintf(maxs, sizeof(maxs), "%g", f->maxx);
	snprintf(open_s, sizeof(open_s), "%ld", f->openings);
	if ((rc = db_q(STMT_EVENT_UPDATE, NULL, ev, f->title, f->desc,
	    f->has_min ? mins : NULL, f->has_max ? "t" : "f", f->maxx >= 0 ?
	    maxs : NULL, f->loc, f->etype, f->has_open ? open_s : NULL,
	    f->has_sdate ? "t" : "f", f->sdate, f->has_edate ? "t" : "f",
	    f->edate, f->status)) != DB_OK ||
	    (rc = ev_skills_replace(ev, f)) != DB_OK)
		return rc;
	if (f->has_show && (rc = db_q(STMT_EVENT_SHOW_SCORES, NULL, ev,
	    f->show ? "t" : "f")) != DB_OK)
		return rc;
	if (f->rounds == NULL)
		return DB_OK;
	if ((rc = db_q(STMT_EVENT_ROUNDS_SET, &res, ev,
	    json_object_to_json_string(f->rounds))) != DB_OK)
		return rc;
	*started = strcmp(db_text(res, 0, "event_rounds_set"),
	    "started") == 0;
	PQclear(res);
	return DB_OK;
}

/* After a change to what the scorer reads, in its transaction: queue a
 * rescore of ev when its scoring digest moved on from sig. */
static int
ev_patch_rescore(const char *ev, const char *sig, long *queued)
{
	PGresult	*res = NULL;
	long		 n;
	int		 rc;

	if ((rc = db_q(STMT_EVENT_SCORING_SIG, &res, ev)) != DB_OK)
		return rc;
	if (strcmp(sig, db_text(res, 0, "sig")) != 0)
		rc = ev_rescore_enqueue(ev, db_text(res, 0, "sig"), queued,
		    &n);
	PQclear(res);
	return rc;
}

/*
 * PATCH event {event_id, and any of title, description, skills
 * {required, preferred}, min_experience, max_experience, location,
 * employment_type, openings, start_date, end_date, status, show_scores,
 * rounds} (HR owner).  The members given change and nothing else; they
 * are checked as POST event checks them, limits against the values kept
 * (null clears max_experience and the dates, and is refused for the
 * others).  Status: Pending -> Active | Inactive, Active <-> Inactive,
 * nothing returns to Pending.  When what the scorer reads changed
 * (description, skills, experience), the same transaction queues one
 * rescore of every registration with a resume.
 * 200 the event with "rescore_queued" (registrations queued for
 * rescoring); 400 per-field errors with nothing changed; 403 not the
 * owner; 404; 409 a transition that is not allowed.  Rounds (as POST
 * event gives them: names, interviewers, questions) change only until the
 * event's first interview starts: then 409 interviews_started.
 */
void
h_event_patch(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	struct event_fields	 f;
	struct buf		 b = { 0 };
	PGresult		*res = NULL;
	char			 ev[24], cur[16], sig[40];
	long			 queued = 0;
	int			 rc, intx = 0, started, nscoring;

	errs = json_object_new_object();
	event_fields_read(r, &f);
	if ((rc = ev_patch_members(r, errs, &nscoring)) != DB_OK)
		goto dberr;
	if (json_object_object_length(errs) > 0)
		goto invalid;
	if (!ev_owned_locked(r, rp, req_long(r, "event_id"), "change", ev,
	    &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	ev_patch_limits(&f, res, cur, sig, errs);
	PQclear(res);
	res = NULL;
	if (json_object_object_length(errs) > 0)
		goto invalid;
	if (f.status != NULL && strcmp(cur, f.status) != 0 &&
	    strcmp(f.status, "Pending") == 0) {
		reply_error(rp, 409, "invalid_transition", "An event that left "
		    "Pending cannot go back to it.", NULL);
		goto out;
	}
	if ((rc = ev_patch_write(ev, &f, &started)) != DB_OK)
		goto dberr;
	if (started) {
		reply_error(rp, 409, "interviews_started", "This event's "
		    "interviews have started: its rounds can no longer "
		    "change.", NULL);
		goto out;
	}
	if ((nscoring > 0 && (rc = ev_patch_rescore(ev, sig, &queued)) !=
	    DB_OK) || (rc = db_q(STMT_EVENT_DOC_REFRESH, NULL, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	intx = 0;
	if (queued > 0)
		log_info("event %s changed: %ld registrations queued for "
		    "rescoring", ev, queued);
	if ((rc = db_q(STMT_EVENT_JSON, &res, ev, "f")) != DB_OK)
		goto dberr;
	/* The event's JSON text with one more member. */
	buf_append(&b, db_text(res, 0, "event"), db_len(res, 0, "event") - 1);
	buf_printf(&b, ", \"rescore_queued\" : %ld}", queued);
	reply_text(rp, 200, "application/json", b.data, b.len, NULL);
	goto out;
invalid:
	reply_invalid(rp, errs);
	errs = NULL;
	goto out;
dberr:
	reply_db(rp, rc);
out:
	PQclear(res);
	if (intx)
		db_rollback();
	json_object_put(errs);
	buf_free(&b);
}

const struct field f_event_rescore[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

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
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 ev[24];
	long			 id, queued = 0, n = 0;
	int			 rc = DB_OK, intx = 0;

	id = req_long(r, "event_id");
	if (!ev_owned_locked(r, rp, id, "rescore", ev, &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	if ((rc = ev_rescore_enqueue(ev, db_text(res, 0, "sig"), &queued,
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
ev_owner_change(struct req *r, struct reply *rp, int add)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 ev[24], uid[24], me[24];
	long			 id;
	int			 rc = DB_OK, intx = 0;

	id = req_long(r, "event_id");
	if (!ev_owned_locked(r, rp, id, "share", ev, &res, &rc, &intx))
		goto out;
	if (rc != DB_OK)
		goto dberr;
	PQclear(res);
	res = NULL;
	snprintf(uid, sizeof(uid), "%ld", req_long(r, "user_id"));
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(add ? STMT_EVENT_OWNER_ADD : STMT_EVENT_OWNER_REMOVE,
	    &res, ev, uid, me)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		reply_error(rp, 404, "not_found", "No such user.", NULL);
		goto out;
	}
	if (db_text(res, 0, "outcome")[0] != 'o') {
		reply_error(rp, 409, "conflict", add ? "Only an active HR "
		    "account can own an event." : "That user is not an owner, "
		    "or is the event's last one.", NULL);
		goto out;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_EVENT_OWNERS, &res, ev)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	intx = 0;
	log_info("event %s: user %s %s by %s", ev, uid, add ?
	    "added as owner" : "no longer owner", me);
	o = json_object_new_object();
	json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "owners",
	    json_tokener_parse(db_text(res, 0, "owners")));
	reply_json(rp, 200, o);
	goto out;
dberr:
	reply_db(rp, rc);
out:
	PQclear(res);
	if (intx)
		db_rollback();
}

/* POST and DELETE event-owner take the same fields. */
const struct field f_event_owner[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "user_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

void
h_event_owner_add(struct req *r, struct reply *rp)
{
	ev_owner_change(r, rp, 1);
}

void
h_event_owner_remove(struct req *r, struct reply *rp)
{
	ev_owner_change(r, rp, 0);
}
