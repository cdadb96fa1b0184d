/*
 * Registrations and candidates: registering with a resume, the lists HR
 * and interviewers work from, shortlisting, questions, resume processing
 * tracks, resume downloads, and the HR dashboard's counts.
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

/*
 * POST event-register {event_id, resume: {file_name, content_base64}}
 * (Interviewee).  201 {"registration_id", "track_id", "status"}; 409
 * already_registered; 409 event_not_open while the event is Pending (its
 * candidates cannot see it yet) and event_closed once it is Inactive:
 * only Active events take registrations.
 */
void
h_event_register(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *resume, *list = NULL, *o;
	struct upload		*up = NULL;
	PGresult		*res = NULL;
	char			 ev[24], uid[24], status[16];
	size_t			 nup = 0;
	long			 id = 0, reg;
	int			 rc, consent = 1;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	/* Registering consents to processing (the app shows the notice);
	 * an explicit false registers nothing. */
	if (jv_bool(r->json, "consent", 0, &consent, errs) == 1 && !consent)
		jv_err(errs, "consent", "registering needs your consent to "
		    "the processing of your application");
	if (!json_object_object_get_ex(r->json, "resume", &resume) ||
	    !json_object_is_type(resume, json_type_object))
		jv_err(errs, "resume", "is required: {\"file_name\", "
		    "\"content_base64\"}");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (strcmp(r->who.user_type, "Interviewee") != 0) {
		reply_error(rp, 403, "forbidden", "Only candidates register for "
		    "events.", NULL);
		return;
	}
	switch (event_role(r, rp, id, status, sizeof(status))) {
	case EV_NONE:
		return;
	case EV_CANDIDATE:
		reply_error(rp, 409, "already_registered", "You are already "
		    "registered for this event.", NULL);
		return;
	default:
		break;
	}
	if (strcmp(status, "Pending") == 0) {
		reply_error(rp, 409, "event_not_open", "This event does not take "
		    "registrations yet.", NULL);
		return;
	}
	if (strcmp(status, "Active") != 0) {
		reply_error(rp, 409, "event_closed", "This event no longer takes "
		    "registrations.", NULL);
		return;
	}
	list = json_object_new_array();
	json_object_array_add(list, json_object_get(resume));
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
	reg = db_long(res, 0, 0);
	PQclear(res);
	res = NULL;
	if ((rc = uploads_record(up, nup, id, r->who.user_id, r->who.user_id,
	    reg)) != DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "registration_id", json_object_new_int64(reg));
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

const struct field f_register_user[] = {
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
	static const char *const orders[] = { "-ats_score", "ats_score",
	    "-created_at", "created_at", NULL };
	struct json_object	*errs;
	struct buf		 list = { 0 };
	PGresult		*res = NULL;
	const char		*status, *round, *order = "-ats_score", *v,
				*ivp;
	char			 ev[24], iv[24], *url;
	long			 id, dummy, count;
	struct page	 pg;
	size_t			 i;
	int			 rc;

	if ((id = req_id_qs(r, rp, "event_id")) == 0)
		return;
	errs = json_object_new_object();
	status = req_qs(r, "status");
	if (status != NULL && *status == '\0')
		status = NULL;
	if (status != NULL && !valid_text(status, 1, 16, 0))
		jv_err(errs, "status", "is not a registration status");
	round = req_qs(r, "round_id");
	if (round != NULL && *round == '\0')
		round = NULL;
	if (round != NULL && !valid_long(round, 1, 1L << 62, &dummy))
		jv_err(errs, "round_id", "must be an id");
	if ((v = req_qs(r, "ordering")) != NULL) {
		for (i = 0; orders[i] != NULL && strcmp(orders[i], v); i++)
			continue;
		if (orders[i] == NULL)
			jv_err(errs, "ordering", "must be -ats_score, ats_score, "
			    "-created_at or created_at");
		else
			order = orders[i];
	}
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	req_page(r, &pg);
	if (!reg_staff(r, rp, id, iv))
		return;
	snprintf(ev, sizeof(ev), "%ld", id);
	ivp = iv[0] != '\0' ? iv : NULL;
	if ((rc = db_q(STMT_REG_COUNT, &res, ev, status, round, ivp)) !=
	    DB_OK)
		goto out;
	count = db_long(res, 0, 0);
	PQclear(res);
	res = NULL;
	if (strcmp(order, "-ats_score") == 0)
		rc = db_q(STMT_REG_ROWS_SCORE, &res, ev, status, round, pg.limit,
		    pg.offset, ivp);
	else
		rc = db_q(STMT_REG_ROWS_ORDERED, &res, ev, status, round, order,
		    pg.limit, pg.offset, ivp);
	if (rc != DB_OK)
		goto out;
	/* Splice each row's signed resume URL into its JSON text. */
	buf_puts(&list, "[");
	for (i = 0; i < (size_t)PQntuples(res); i++) {
		const char *row = PQgetvalue(res, (int)i, 0);
		size_t len = (size_t)PQgetlength(res, (int)i, 0);

		if (i > 0)
			buf_puts(&list, ",");
		buf_append(&list, row, len - 1);	/* without its '}' */
		if (!PQgetisnull(res, (int)i, 1) && app_storage() != NULL) {
			url = storage_url(app_storage(), PQgetvalue(res,
			    (int)i, 1), cfg.presign_ttl, r->now);
			buf_printf(&list, ", \"resume_url\" : \"%s\"}", url);
			free(url);
		} else
			buf_puts(&list, ", \"resume_url\" : null}");
	}
	buf_puts(&list, "]");
	reply_page_raw(rp, r, count, &pg, list.data);
out:
	if (rc != DB_OK)
		reply_db(rp, rc);
	PQclear(res);
	buf_free(&list);
}

/* GET application-count?event_id= (HR): totals over its events. */
void
h_application_count(struct req *r, struct reply *rp)
{
	struct json_object	*o, *by;
	PGresult		*res = NULL;
	const char		*v;
	char			 hr[24], ev[24];
	long			 id = 0;
	int			 rc;

	if ((v = req_qs(r, "event_id")) != NULL && *v != '\0') {
		if ((id = req_id_qs(r, rp, "event_id")) == 0)
			return;
		if (event_role(r, rp, id, NULL, 0) != EV_OWNER) {
			if (rp->status == 0)
				reply_error(rp, 403, "forbidden", "This event is "
				    "not yours.", NULL);
			return;
		}
	}
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_REG_COUNTS, &res, id ? ev : NULL, hr)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	if (id)
		json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "total",
	    json_object_new_int64(db_long(res, 0, 0)));
	by = json_tokener_parse(PQgetvalue(res, 0, 1));
	json_object_object_add(o, "by_status", by ? by :
	    json_object_new_object());
	PQclear(res);
	reply_json(rp, 200, o);
}

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
	v = json_tokener_parse(PQgetvalue(res, 0, 0));
	json_object_object_add(o, "registrations", v);
	PQclear(res);
	if ((rc = db_q(STMT_ROUNDS_MINE, &res, uid)) != DB_OK)
		goto err;
	v = json_tokener_parse(PQgetvalue(res, 0, 0));
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
		if (PQgetvalue(*q, i, 2)[0] == 't')
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
		    json_object_new_int64(db_long(q, i, 1)));
		json_object_object_add(o, "reason", json_object_new_string(
		    "no longer shortlisted"));
		tell("unqueued", cand, NULL, NULL, o);
		tell_queue(PQgetvalue(q, i, 0), db_long(q, i, 1));
		tell_waiters(PQgetvalue(q, i, 0), db_long(q, i, 1), NULL);
	}
}

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
	struct json_object	*errs;
	PGresult		*res = NULL, *q = NULL;
	struct buf		 msg = { 0 }, ch = { 0 };
	char			 reg[24], cand[72];
	long			 id = 0;
	int			 sl = 0, rc, busy;

	errs = json_object_new_object();
	(void)jv_long(r->json, "registration_id", 1, 1, 1L << 62, &id, errs);
	(void)jv_bool(r->json, "shortlisted", 1, &sl, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
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
	snprintf(cand, sizeof(cand), "%s", PQgetvalue(res, 0, 0));
	buf_printf(&ch, "user_%s", cand);
	PQclear(res);
	res = NULL;
	shortlist_tell(cand, id, q);
	if ((rc = db_q(STMT_REG_JSON, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		goto out;
	}
	buf_printf(&msg, "{\"type\":\"registration\",\"registration\":%s}",
	    PQgetvalue(res, 0, 0));
	(void)nchan_publish(ch.data, msg.data);
	reply_text(rp, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
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

	if ((id = req_id_qs(r, rp, "event_id")) == 0 ||
	    !reg_staff(r, rp, id, iv))
		return;
	req_page(r, &pg);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_REG_PAGE, &res, ev, "selected", NULL, "-ats_score",
	    pg.limit, pg.offset, iv[0] != '\0' ? iv : NULL)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_long(res, 0, 0), &pg, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* GET assessment-questions?event_id=&round_id= (HR, interviewers). */
void
h_assessment_questions(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 ev[24], ro[24], iv[24];
	long		 id, rid;
	int		 rc;

	if ((id = req_id_qs(r, rp, "event_id")) == 0 ||
	    (rid = req_id_qs(r, rp, "round_id")) == 0 || !reg_staff(r, rp, id, iv))
		return;
	snprintf(ev, sizeof(ev), "%ld", id);
	snprintf(ro, sizeof(ro), "%ld", rid);
	if ((rc = db_q(STMT_ROUND_QUESTIONS, &res, ro, ev)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (db_long(res, 0, 1) == 0)
		reply_error(rp, 404, "not_found", "No such round in this event.",
		    NULL);
	else
		reply_text(rp, 200, "application/json", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

const struct field f_resume_processing_track[] = {
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

	if ((id = req_id_qs(r, rp, "event_id")) == 0)
		return;
	if ((rc = event_role(r, rp, id, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "can see its uploads.", NULL);
		return;
	}
	req_page(r, &pg);
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_TRACK_PAGE, &res, ev, pg.limit, pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_long(res, 0, 0), &pg, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/*
 * GET /bulk_hiring/files/<key>?expires=&sig=: a signed resume URL.  200
 * with X-Accel-Redirect (nginx sends the bytes); 403 bad or expired.
 */
void
h_file(struct req *r, struct reply *rp)
{
	const char	*key, *sig, *exp;
	char		 hdr[256];
	long		 expires = 0;
	int		 rc;

	key = r->path + strlen("/bulk_hiring/files/");
	sig = req_qs(r, "sig");
	exp = req_qs(r, "expires");
	if (sig == NULL || exp == NULL ||
	    !valid_long(exp, 1, 1L << 40, &expires) ||
	    !storage_url_verify(cfg.secret_key, key, expires, sig, r->now)) {
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

/* month=&year=: the first day of that month and of the next. */
static int
stats_month(struct req *r, struct reply *rp, char from[16], char to[16])
{
	struct json_object	*errs;
	const char		*m, *y;
	long			 mon = 0, yr = 0;

	errs = json_object_new_object();
	m = req_qs(r, "month");
	y = req_qs(r, "year");
	if (m == NULL || !valid_long(m, 1, 12, &mon))
		jv_err(errs, "month", "must be a month number from 1 to 12");
	if (y == NULL || !valid_long(y, 2000, 2100, &yr))
		jv_err(errs, "year", "must be a year from 2000 to 2100");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return -1;
	}
	json_object_put(errs);
	snprintf(from, 16, "%04d-%02d-01", (int)yr, (int)mon);
	snprintf(to, 16, "%04d-%02d-01", (int)(mon == 12 ? yr + 1 : yr),
	    (int)(mon == 12 ? 1 : mon + 1));
	return 0;
}

static void
stats_reply(struct req *r, struct reply *rp, enum stmt st, const char *key)
{
	struct json_object	*o, *list;
	PGresult		*res = NULL;
	char			 from[16], to[16], hr[24];
	int			 rc;

	if (stats_month(r, rp, from, to) == -1)
		return;
	snprintf(hr, sizeof(hr), "%ld", r->who.user_id);
	if ((rc = db_q(st, &res, hr, from, to)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "month", json_object_new_int(atoi(from + 5)));
	json_object_object_add(o, "year", json_object_new_int(atoi(from)));
	json_object_object_add(o, "total",
	    json_object_new_int64(db_long(res, 0, 1)));
	list = json_tokener_parse(PQgetvalue(res, 0, 0));
	json_object_object_add(o, key, list ? list : json_object_new_array());
	PQclear(res);
	reply_json(rp, 200, o);
}

/* GET application-by-department?month=&year= (HR). */
void
h_stats_department(struct req *r, struct reply *rp)
{
	stats_reply(r, rp, STMT_STATS_BY_DEPT, "departments");
}

/* GET job-application-status?month=&year= (HR). */
void
h_stats_status(struct req *r, struct reply *rp)
{
	stats_reply(r, rp, STMT_STATS_BY_STATUS, "statuses");
}

/* 409 already_sent: the same mail went out at when (ISO). */
static void
mail_refuse_repeat(struct req *r, struct reply *rp, const char *when)
{
	struct json_object	*root, *err;
	char			 msg[160];

	snprintf(msg, sizeof(msg), "This mail was sent at %s; the same mail "
	    "goes again only after %ld minutes, or once the event changed.",
	    when, cfg.mail_repeat_window / 60);
	root = json_object_new_object();
	err = json_object_new_object();
	json_object_object_add(err, "code",
	    json_object_new_string("already_sent"));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(err, "sent_at", json_object_new_string(when));
	json_object_object_add(err, "request_id",
	    json_object_new_string(r->id));
	json_object_object_add(root, "error", err);
	reply_json(rp, 409, root);
}

/*
 * POST send-event-mail {event_id, audience: interviewers|candidates|all,
 * kind: invite|reminder} (the event's HR): 202 {queued, mailing_id,
 * kind}; the worker sends the mailing to each person once, across
 * retries and crashes.  The same mail (kind, the event's details, an
 * overlapping audience) within MAIL_REPEAT_WINDOW is refused: 409
 * already_sent with sent_at.  A reminder, or the invitation after the
 * event changed, is a new mail.
 */
void
h_send_event_mail(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*aud, *kind;
	char			 ev[24], me[24], win[24];
	long			 id = 0;
	int			 rc;

	errs = json_object_new_object();
	(void)jv_long(r->json, "event_id", 1, 1, 1L << 62, &id, errs);
	if ((aud = jv_str(r->json, "audience", 0, 1, 16, errs)) == NULL)
		aud = "all";
	else if (strcmp(aud, "interviewers") && strcmp(aud, "candidates") &&
	    strcmp(aud, "all"))
		jv_err(errs, "audience", "must be interviewers, candidates or "
		    "all");
	if ((kind = jv_str(r->json, "kind", 0, 1, 16, errs)) == NULL)
		kind = "invite";
	else if (strcmp(kind, "invite") && strcmp(kind, "reminder"))
		jv_err(errs, "kind", "must be invite or reminder");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if ((rc = event_role(r, rp, id, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "can mail its people.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	snprintf(win, sizeof(win), "%ld", cfg.mail_repeat_window);
	if ((rc = db_q(STMT_MAILING_ADD, &res, ev, aud, kind, me, win)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		mail_refuse_repeat(r, rp, PQgetvalue(res, 0, 1));
		PQclear(res);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "queued", json_object_new_boolean(1));
	json_object_object_add(o, "mailing_id",
	    json_object_new_int64(db_long(res, 0, 0)));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "audience", json_object_new_string(aud));
	json_object_object_add(o, "message", json_object_new_string(
	    "Mails are on their way."));
	PQclear(res);
	reply_json(rp, 202, o);
}
