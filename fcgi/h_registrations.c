/*
 * Registrations and candidates: registering with a resume, the lists HR
 * and interviewers work from, shortlisting, questions, resume processing
 * tracks and resume downloads.  The HR dashboard's counts are in
 * h_stats.c, mailing an event's people in h_mail.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"
#include "nchan.h"
#include "storage.h"
#include "valid.h"

/*
 * Staff of the event (its owners or interviewers): 1, or 0 after 403/404.
 * iv gets "" for an owner, or the caller's id for an interviewer, who
 * sees only the candidates of their own rounds (IV_SEES).
 */
static int
reg_staff(struct req *r, struct reply *rp, long event_id, char iv[24])
{
	switch (event_role(r, rp, event_id, NULL, 0)) {
	case EV_NONE:
		return 0;
	case EV_OWNER:
		iv[0] = '\0';
		return 1;
	case EV_INTERVIEWER:
		snprintf(iv, 24, "%ld", r->who.user_id);
		return 1;
	default:
		reply_error(rp, 403, "forbidden", "Only this event's HR and "
		    "interviewers can see this.", NULL);
		return 0;
	}
}

/* Why an event that is not Active takes no registrations (the last row:
 * any other status). */
static const struct reg_shut {
	const char	*status;
	const char	*code;
	const char	*msg;
} reg_shut[] = {
	{ "Pending", "event_not_open",
	    "This event does not take registrations yet." },
	{ NULL, "event_closed", "This event no longer takes registrations." },
};

/* Event id takes the caller's registration: 1, or 0 after 403/404/409. */
static int
reg_open(struct req *r, struct reply *rp, long id)
{
	const struct reg_shut	*sh;
	char			 status[16];

	if (strcmp(r->who.user_type, "Interviewee") != 0) {
		reply_error(rp, 403, "forbidden", "Only candidates register "
		    "for events.", NULL);
		return 0;
	}
	switch (event_role(r, rp, id, status, sizeof(status))) {
	case EV_NONE:
		return 0;
	case EV_CANDIDATE:
		reply_error(rp, 409, "already_registered", "You are already "
		    "registered for this event.", NULL);
		return 0;
	default:
		break;
	}
	if (strcmp(status, "Active") == 0)
		return 1;
	for (sh = reg_shut; sh->status != NULL; sh++)
		if (strcmp(status, sh->status) == 0)
			break;
	reply_error(rp, 409, sh->code, sh->msg, NULL);
	return 0;
}

/* Registering consents to processing (the app shows the notice); an
 * explicit false registers nothing. */
static void
reg_check_consent(const char *name, struct json_object *v,
    struct json_object *errs)
{
	if (!json_object_get_boolean(v))
		jv_err(errs, name, "registering needs your consent to the "
		    "processing of your application");
}

const struct field f_event_register[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "consent", FT_BOOL, 0, 0, 0, NULL, reg_check_consent },
	{ "resume", FT_OBJECT, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * POST event-register {event_id, resume: {file_name, content_base64},
 * consent?} (Interviewee).  201 {"registration_id", "track_id",
 * "status"}; 409 already_registered; 409 event_not_open while the event
 * is Pending (its candidates cannot see it yet) and event_closed once it
 * is Inactive: only Active events take registrations.
 */
void
h_event_register(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *list = NULL, *o;
	struct upload		*up = NULL;
	PGresult		*res = NULL;
	char			 ev[24], uid[24];
	size_t			 nup = 0;
	long			 id, reg;
	int			 rc;

	id = req_long(r, "event_id");
	if (!reg_open(r, rp, id))
		return;
	list = json_object_new_array();
	json_object_array_add(list, json_object_get(req_obj(r, "resume")));
	uploads_prepare(r, list, &up, &nup);
	if (up[0].error != NULL) {
		errs = json_object_new_object();
		jv_err(errs, "resume", up[0].error);
		reply_invalid(rp, errs);
		goto out;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_REG_INSERT, &res, ev, uid, up[0].key)) != DB_OK)
		goto dberr;
	reg = db_num(res, 0, "id");
	PQclear(res);
	res = NULL;
	if ((rc = uploads_record(up, nup, id, r->who.user_id, r->who.user_id,
	    reg)) != DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "registration_id",
	    json_object_new_int64(reg));
	json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "track_id",
	    json_object_new_int64(up[0].track_id));
	json_object_object_add(o, "status", json_object_new_string("applied"));
	reply_json(rp, 201, o);
	goto out;
dberr:
	PQclear(res);
	db_rollback();
	uploads_discard(up, nup);
	if (rc == DB_CONFLICT)
		reply_error(rp, 409, "already_registered", "You are already "
		    "registered for this event.", NULL);
	else
		reply_db(rp, rc);
out:
	json_object_put(list);
	uploads_free(up, nup);
}

/* Rows of REG_ROWS_*, each row's JSON with its signed resume URL spliced
 * in, as a JSON array into b. */
static void
reg_rows(struct req *r, struct buf *b, const PGresult *res)
{
	const char	*row;
	char		*url;
	size_t		 len;
	int		 i;

	buf_puts(b, "[");
	for (i = 0; i < PQntuples(res); i++) {
		row = db_text(res, i, "registration");
		len = db_len(res, i, "registration");
		if (i > 0)
			buf_puts(b, ",");
		buf_append(b, row, len - 1);	/* without its '}' */
		if (!db_isnull(res, i, "resume_key") &&
		    app_storage() != NULL) {
			url = storage_url(app_storage(), db_text(res, i,
			    "resume_key"), cfg.presign_ttl, r->now);
			buf_printf(b, ", \"resume_url\" : \"%s\"}", url);
			free(url);
		} else
			buf_puts(b, ", \"resume_url\" : null}");
	}
	buf_puts(b, "]");
}

static const char *const reg_orders[] = { "-ats_score", "ats_score",
    "-created_at", "created_at", NULL };

const struct field f_register_user[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "status", FT_STR, F_QUERY, 1, 16, NULL, NULL },
	{ "round_id", FT_ID, F_QUERY, 0, 0, NULL, NULL },
	{ "ordering", FT_ENUM, F_QUERY, 0, 0, reg_orders, NULL },
	F_PAGE,
	FIELDS_END
};

/*
 * GET register_user?event_id=&status=&round_id=&ordering=&page=
 * (the event's HR and interviewers): registrations, best score first by
 * default, each with a download URL for the resume.
 */
void
h_register_user(struct req *r, struct reply *rp)
{
	struct buf	 list = { 0 };
	PGresult	*res = NULL;
	const char	*status, *order, *ivp, *round = NULL;
	char		 ev[24], iv[24], ro[24];
	long		 id, count;
	struct page	 pg;
	int		 rc;

	id = req_long(r, "event_id");
	status = req_str(r, "status");
	if (req_has(r, "round_id")) {
		snprintf(ro, sizeof(ro), "%ld", req_long(r, "round_id"));
		round = ro;
	}
	if ((order = req_str(r, "ordering")) == NULL)
		order = "-ats_score";
	req_page(r, &pg);
	if (!reg_staff(r, rp, id, iv))
		return;
	snprintf(ev, sizeof(ev), "%ld", id);
	ivp = iv[0] != '\0' ? iv : NULL;
	if ((rc = db_q(STMT_REG_COUNT, &res, ev, status, round, ivp)) !=
	    DB_OK)
		goto out;
	count = db_num(res, 0, "total");
	PQclear(res);
	res = NULL;
	if (strcmp(order, "-ats_score") == 0)
		rc = db_q(STMT_REG_ROWS_SCORE, &res, ev, status, round,
		    pg.limit, pg.offset, ivp);
	else
		rc = db_q(STMT_REG_ROWS_ORDERED, &res, ev, status, round,
		    order, pg.limit, pg.offset, ivp);
	if (rc != DB_OK)
		goto out;
	reg_rows(r, &list, res);
	reply_page_raw(rp, r, count, &pg, list.data);
out:
	if (rc != DB_OK)
		reply_db(rp, rc);
	PQclear(res);
	buf_free(&list);
}

const struct field f_user_event_data[] = {
	FIELDS_END
};

/* GET user-event-data: the caller's registrations (and rounds to run). */
void
h_user_event_data(struct req *r, struct reply *rp)
{
	struct json_object	*o, *v;
	PGresult		*res = NULL;
	char			 uid[24];
	int			 rc;

	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	o = json_object_new_object();
	if ((rc = db_q(STMT_REG_MINE, &res, uid)) != DB_OK)
		goto err;
	v = json_tokener_parse(db_text(res, 0, "registrations"));
	json_object_object_add(o, "registrations", v);
	PQclear(res);
	if ((rc = db_q(STMT_ROUNDS_MINE, &res, uid)) != DB_OK)
		goto err;
	v = json_tokener_parse(db_text(res, 0, "interviewing"));
	json_object_object_add(o, "interviewing", v);
	PQclear(res);
	reply_json(rp, 200, o);
	return;
err:
	json_object_put(o);
	reply_db(rp, rc);
}

/*
 * In a transaction, before unticking reg's shortlist: take it out of the
 * queues it waits in.  DB_OK with *q the SHORTLIST_UNQUEUE rows (NULL when
 * sl) and *busy set when it was called or seen already; or the db error.
 */
static int
shortlist_unqueue(const char *reg, int sl, PGresult **q, int *busy)
{
	int	 i, rc;

	*q = NULL;
	*busy = 0;
	if (sl)
		return DB_OK;
	if ((rc = db_q(STMT_SHORTLIST_UNQUEUE, q, reg)) != DB_OK)
		return rc;
	for (i = 0; i < PQntuples(*q); i++)
		if (db_bool(*q, i, "busy"))
			*busy = 1;
	return DB_OK;
}

/* After commit: the candidate taken out of queues q hears "unqueued" per
 * round, each interviewer "queue_changed", and the others waiting their
 * place may have moved. */
static void
shortlist_tell(const char *cand, long reg, const PGresult *q)
{
	struct json_object	*o;
	int			 i;

	for (i = 0; q != NULL && i < PQntuples(q); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "registration_id",
		    json_object_new_int64(reg));
		json_object_object_add(o, "round_id",
		    json_object_new_int64(db_num(q, i, "round_id")));
		json_object_object_add(o, "reason", json_object_new_string(
		    "no longer shortlisted"));
		tell("unqueued", cand, NULL, NULL, o);
		tell_queue(db_text(q, i, "interviewer"),
		    db_num(q, i, "round_id"));
		tell_waiters(db_text(q, i, "interviewer"),
		    db_num(q, i, "round_id"), NULL);
	}
}

const struct field f_modified_shortlisted[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "shortlisted", FT_BOOL, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * PATCH modified-shortlisted {registration_id, shortlisted} (the event's
 * HR).  200 the registration; the candidate is told on their channel.
 * Unticking a candidate who waits in a queue takes them out of it (they
 * hear "unqueued", the interviewer "queue_changed"); once called or seen,
 * 409 in_interview and nothing changes.
 */
void
h_modified_shortlisted(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL, *q = NULL;
	struct buf	 msg = { 0 }, ch = { 0 };
	char		 reg[24], cand[72];
	long		 id;
	int		 sl, rc, busy;

	id = req_long(r, "registration_id");
	sl = req_bool(r, "shortlisted");
	snprintf(reg, sizeof(reg), "%ld", id);
	rc = registration_role(r, rp, id);
	if (rc == EV_NONE)
		return;
	if (rc != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's HR can "
		    "shortlist.", NULL);
		return;
	}
	if ((rc = db_begin()) != DB_OK ||
	    (rc = shortlist_unqueue(reg, sl, &q, &busy)) != DB_OK)
		goto dberr;
	if (busy) {
		db_rollback();
		reply_error(rp, 409, "in_interview", "This candidate has been "
		    "called or interviewed already; they stay shortlisted.",
		    NULL);
		goto out;
	}
	if ((rc = db_q(STMT_REG_SHORTLIST, &res, reg, sl ? "t" : "f")) !=
	    DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	snprintf(cand, sizeof(cand), "%s", db_text(res, 0, "username"));
	nchan_user_channel(&ch, cand, strlen(cand));
	PQclear(res);
	res = NULL;
	shortlist_tell(cand, id, q);
	if ((rc = db_q(STMT_REG_JSON, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		goto out;
	}
	buf_printf(&msg, "{\"type\":\"registration\",\"registration\":%s}",
	    db_text(res, 0, "registration"));
	(void)nchan_publish(ch.data, msg.data);
	reply_text(rp, 200, "application/json", db_text(res, 0,
	    "registration"), db_len(res, 0, "registration"), NULL);
	goto out;
dberr:
	db_rollback();
	reply_db(rp, rc);
out:
	PQclear(res);
	PQclear(q);
	buf_free(&msg);
	buf_free(&ch);
}

const struct field f_all_selected_users[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	F_PAGE,
	FIELDS_END
};

/*
 * GET all-selected-users?event_id=&page=&page_size= (HR, interviewers):
 * the selected, best score first, a page at a time.
 */
void
h_all_selected(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], iv[24];
	long		 id;
	struct page	 pg;
	int		 rc;

	id = req_long(r, "event_id");
	if (!reg_staff(r, rp, id, iv))
		return;
	req_page(r, &pg);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_REG_PAGE, &res, ev, "selected", NULL, "-ats_score",
	    pg.limit, pg.offset, iv[0] != '\0' ? iv : NULL)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "total"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

const struct field f_assessment_questions[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "round_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* GET assessment-questions?event_id=&round_id= (HR, interviewers). */
void
h_assessment_questions(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], ro[24], iv[24];
	long		 id;
	int		 rc;

	id = req_long(r, "event_id");
	if (!reg_staff(r, rp, id, iv))
		return;
	snprintf(ev, sizeof(ev), "%ld", id);
	snprintf(ro, sizeof(ro), "%ld", req_long(r, "round_id"));
	if ((rc = db_q(STMT_ROUND_QUESTIONS, &res, ro, ev)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (db_num(res, 0, "rounds") == 0)
		reply_error(rp, 404, "not_found", "No such round in this "
		    "event.", NULL);
	else
		reply_text(rp, 200, "application/json", db_text(res, 0,
		    "questions"), db_len(res, 0, "questions"), NULL);
	PQclear(res);
}

const struct field f_resume_processing_track[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	F_PAGE,
	FIELDS_END
};

/* GET resume-processing-track?event_id= (the event's HR). */
void
h_resume_tracks(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24];
	long		 id;
	struct page	 pg;
	int		 rc;

	id = req_long(r, "event_id");
	if ((rc = event_role(r, rp, id, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "can see its uploads.", NULL);
		return;
	}
	req_page(r, &pg);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_TRACK_PAGE, &res, ev, pg.limit, pg.offset)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "total"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

const struct field f_files[] = {
	{ "expires", FT_INT, F_QUERY, 0, 1L << 40, NULL, NULL },
	{ "sig", FT_STR, F_QUERY, 1, 512, NULL, NULL },
	FIELDS_END
};

/*
 * GET /bulk_hiring/files/<key>?expires=&sig=: a signed resume URL.  200
 * with X-Accel-Redirect (nginx sends the bytes); 403 bad or expired (400
 * when expires is not a number).
 */
void
h_file(struct req *r, struct reply *rp)
{
	const char	*key, *sig;
	char		 hdr[256];
	int		 rc;

	key = r->path + strlen("/bulk_hiring/files/");
	sig = req_str(r, "sig");
	if (sig == NULL || !req_has(r, "expires") ||
	    !storage_url_verify(cfg.secret_key, key, req_long(r, "expires"),
	    sig, r->now)) {
		reply_error(rp, 403, "forbidden", "This link is invalid or has "
		    "expired.", NULL);
		return;
	}
	if ((rc = db_q(STMT_AUDIT_DOWNLOAD, NULL, key, r->remote_addr)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	snprintf(hdr, sizeof(hdr), "X-Accel-Redirect: /_files/%s\r\n", key);
	reply_text(rp, 200, "application/pdf", "", 0, hdr);
}
