/*
 * resume {"track_id"}: a stored resume becomes a scored candidate.
 *
 * Extract the text (in a child under limits), score it against the event,
 * then in one transaction: find or create the candidate (by email, then
 * phone, the reason kept on the track), upsert the registration with the
 * score and its evidence, mark the track scored and complete the job.  A
 * resume that names a staff account, or a candidate whose registration
 * already has another file, changes no account or registration: the track
 * is flagged, keeps its own score and result, and resume_duplicates tells
 * HR.  Progress is published to the event's HR after each commit.
 * Running it twice changes nothing more: a scored track completes at
 * once.  The text and the score: resume_score.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "nchan.h"
#include "openai.h"
#include "tmpl.h"
#include "pdftext.h"
#include "scorer.h"
#include "storage.h"
#include "valid.h"


/* The scorer's score in res (0 when absent). */
static double
resume_score_of(struct json_object *res)
{
	struct json_object	*v;

	return json_object_object_get_ex(res, "score", &v) ?
	    json_object_get_double(v) : 0;
}

/* Tell the event's HR how a file is doing (best effort). */
static void
resume_publish(const char *hr, long event, long track, const char *status,
    const char *error, long reg, double score)
{
	struct json_object	*o;
	struct buf		 ch = { 0 };

	if (hr == NULL)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("resume"));
	json_object_object_add(o, "event_id", json_object_new_int64(event));
	json_object_object_add(o, "track_id", json_object_new_int64(track));
	json_object_object_add(o, "status", json_object_new_string(status));
	if (error != NULL)
		json_object_object_add(o, "error",
		    json_object_new_string(error));
	if (reg > 0) {
		json_object_object_add(o, "registration_id",
		    json_object_new_int64(reg));
		json_object_object_add(o, "ats_score",
		    json_object_new_double(score));
	}
	nchan_user_channel(&ch, hr, strlen(hr));
	(void)nchan_publish(buf_str(&ch), json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_free(&ch);
	json_object_put(o);
}

/* How a resume found its person (resume_tracks.match_reason). */
enum match { M_GIVEN, M_EMAIL, M_PHONE, M_NEW, M_STAFF };
static const char *const match_names[] = { "given", "email", "phone",
    "new", "staff" };

/*
 * The candidate's account: found by email, then phone, else created;
 * *m says which (M_STAFF: the account found is staff, and a resume never
 * attaches to it).  DB_OK, -2 with err when the resume lacks what an
 * account needs, or the database's error.
 */
static int
resume_user(struct json_object *res, long track, long *uid, enum match *m,
    char *err, size_t errsz)
{
	struct json_object	*v;
	PGresult		*r = NULL;
	const char		*email = NULL, *phone_raw = NULL, *name = NULL;
	char			 phone[20], fallback[64];
	int			 rc;

	if (json_object_object_get_ex(res, "email", &v) && v != NULL)
		email = json_object_get_string(v);
	if (json_object_object_get_ex(res, "phone", &v) && v != NULL)
		phone_raw = json_object_get_string(v);
	if (json_object_object_get_ex(res, "name", &v) && v != NULL)
		name = json_object_get_string(v);
	if (email != NULL && !valid_email(email))
		email = NULL;
	if (phone_raw == NULL || !valid_phone(phone_raw, phone, sizeof(phone)))
		phone[0] = '\0';
	if (email != NULL) {
		*m = M_EMAIL;
		if ((rc = db_q(STMT_USER_BY_EMAIL, &r, email)) != DB_OK)
			return rc;
		if (PQntuples(r) > 0)
			goto found;
		PQclear(r);
		r = NULL;
	}
	if (phone[0] != '\0') {
		*m = M_PHONE;
		if ((rc = db_q(STMT_USER_BY_PHONE, &r, phone)) != DB_OK)
			return rc;
		if (PQntuples(r) > 0)
			goto found;
		PQclear(r);
		r = NULL;
	}
	if (email == NULL || phone[0] == '\0') {
		snprintf(err, errsz, "the resume has no %s to create the "
		    "candidate's account with", email == NULL ?
		    "email address" : "phone number");
		return -2;
	}
	if (name == NULL || !valid_text(name, 1, 100, 0)) {
		snprintf(fallback, sizeof(fallback), "Candidate %ld", track);
		name = fallback;
	}
	*m = M_NEW;
	if ((rc = db_q(STMT_USER_CREATE_CANDIDATE, &r, name, email, phone)) !=
	    DB_OK)
		return rc;
found:
	*uid = db_num(r, 0, "id");
	if (*m != M_NEW && strcmp(db_text(r, 0, "user_type"),
	    "Interviewee") != 0)
		*m = M_STAFF;
	PQclear(r);
	return DB_OK;
}

/*
 * Flag track tr for HR instead of attaching it (in the caller's
 * transaction): it names a staff account (reg 0), or registration reg
 * already has another file.  The track keeps its own score and result;
 * no registration changes.
 */
static int
resume_flag(const char *tr, const char *ev, long reg, long uid,
    enum match m, struct json_object *res)
{
	char	 rg[24], us[24], sc[16];
	int	 rc;

	snprintf(rg, sizeof(rg), "%ld", reg);
	snprintf(us, sizeof(us), "%ld", uid);
	snprintf(sc, sizeof(sc), "%.1f", resume_score_of(res));
	if ((rc = db_q(STMT_TRACK_FLAGGED, NULL, tr, m == M_STAFF ? NULL : us,
	    reg > 0 ? rg : NULL, match_names[m], sc,
	    json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN),
	    m == M_STAFF ? "the resume names a staff account; HR should look "
	    "at it" : "the candidate already has a resume in this event; "
	    "kept beside it for HR")) != DB_OK)
		return rc;
	return db_q(STMT_DUPLICATE_INSERT, NULL, tr, ev, reg > 0 ? rg : NULL,
	    us, match_names[m]);
}

/*
 * In the caller's transaction: attach a scored resume to its person and
 * registration (created when new), or flag it (*flagged set).  *reg and
 * *uid are in/out (given: the track already names them).  DB_OK, -2 with
 * err, or the database's error.
 */
static int
resume_attach(const char *tr, const char *ev, const char *key, int given,
    struct json_object *res, long *uid, long *reg, int *created,
    int *flagged, char *err, size_t errsz)
{
	PGresult	*r = NULL;
	enum match	 m = M_GIVEN;
	char		 us[24], rg[24], sc[16];
	double		 score;
	int		 rc, other;

	if (!given) {
		if ((rc = resume_user(res, strtol(tr, NULL, 10), uid, &m, err,
		    errsz)) != DB_OK)
			return rc;
		if (m == M_STAFF) {
			*flagged = 1;
			return resume_flag(tr, ev, 0, *uid, m, res);
		}
		snprintf(us, sizeof(us), "%ld", *uid);
		if ((rc = db_q(STMT_REG_UPSERT, &r, ev, us, key)) != DB_OK)
			return rc;
		*reg = db_num(r, 0, "id");
		*created = db_bool(r, 0, "created");
		other = strcmp(db_text(r, 0, "resume_key"), key) != 0;
		PQclear(r);
		if (other) {
			*flagged = 1;
			return resume_flag(tr, ev, *reg, *uid, m, res);
		}
	}
	snprintf(us, sizeof(us), "%ld", *uid);
	snprintf(rg, sizeof(rg), "%ld", *reg);
	if ((rc = resume_store_score(*reg, res, 0, NULL, NULL, &score)) !=
	    DB_OK)
		return rc;
	snprintf(sc, sizeof(sc), "%.1f", score);
	return db_q(STMT_TRACK_SCORED, NULL, tr, us, rg, match_names[m], sc,
	    json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN));
}

/* One resume job's track, as it goes. */
struct rrun {
	long		 track, event, uid, reg;
	char		 tr[24], ev[24], key[128];
	const char	*hr;		/* the event's HR (publishing) */
	int		 given_user, created, flagged;
	double		 score;
};

/*
 * The job's track into rr: JOB_OK to go on; JOB_FAIL with err (no track);
 * JOB_RETRY; or JOB_OK with *done set when an earlier attempt did it.
 */
static enum job_rc
resume_track_load(struct job *j, struct rrun *rr, int *done, char *err,
    size_t errsz)
{
	struct json_object	*v;
	PGresult		*r = NULL;
	const char		*st;

	if (!json_object_object_get_ex(j->args, "track_id", &v) ||
	    (rr->track = (long)json_object_get_int64(v)) <= 0) {
		snprintf(err, errsz, "args need a track_id");
		return JOB_FAIL;
	}
	snprintf(rr->tr, sizeof(rr->tr), "%ld", rr->track);
	if (db_q(STMT_TRACK_GET, &r, rr->tr) != DB_OK)
		return JOB_RETRY;
	if (PQntuples(r) == 0) {
		PQclear(r);
		snprintf(err, errsz, "track %ld no longer exists", rr->track);
		return JOB_FAIL;
	}
	st = db_text(r, 0, "status");
	*done = strcmp(st, "scored") == 0 || strcmp(st, "flagged") == 0;
	rr->event = db_num(r, 0, "event_id");
	snprintf(rr->ev, sizeof(rr->ev), "%ld", rr->event);
	snprintf(rr->key, sizeof(rr->key), "%s", db_text(r, 0,
	    "storage_key"));
	rr->given_user = !db_isnull(r, 0, "user_id");
	rr->uid = db_num(r, 0, "user_id");
	rr->reg = db_num(r, 0, "registration_id");
	PQclear(r);
	return JOB_OK;
}

/*
 * In one transaction: what was read, the person and registration (or the
 * flag), the candidate's welcome mail and the job's completion.  JOB_OK;
 * JOB_FAIL with err when the resume cannot make a candidate; JOB_RETRY
 * with err.
 */
static enum job_rc
resume_commit(struct job *j, struct rrun *rr, struct json_object *res,
    const struct pdftext_info *info, char *err, size_t errsz)
{
	char	 conf[8];
	int	 rc, ocr = info->ocr_pages > 0;

	snprintf(conf, sizeof(conf), "%d", info->ocr_conf);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	/* The track's row first, then the registration's: the order every
	 * other writer of both takes (the other way round deadlocked with an
	 * event's round change). */
	if ((rc = db_q(STMT_TRACK_EXTRACTION, NULL, rr->tr, ocr ? "ocr" :
	    "text", ocr ? conf : NULL, ocr && info->ocr_conf <
	    PDFTEXT_OCR_LOW ? "true" : "false")) != DB_OK)
		goto dberr;
	rc = resume_attach(rr->tr, rr->ev, rr->key, rr->given_user, res,
	    &rr->uid, &rr->reg, &rr->created, &rr->flagged, err, errsz);
	if (rc == -2) {
		db_rollback();
		return JOB_FAIL;
	}
	if (rc != DB_OK)
		goto dberr;
	rr->score = resume_score_of(res);
	if (rr->created && (rc = mail_candidate_enqueue(rr->reg)) != DB_OK)
		goto dberr;
	if (job_complete_tx(j) == -1) {
		db_rollback();
		snprintf(err, errsz, "lease lost");
		return JOB_RETRY;
	}
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	return JOB_OK;
dberr:
	db_rollback();
	snprintf(err, errsz, "database error %d storing the result", rc);
	return JOB_RETRY;
}

/* Say on the track and to HR how the job ended (out: scored or flagged,
 * or failed for good); a retry says nothing. */
static void
resume_told(const struct rrun *rr, enum job_rc out, const char *err)
{
	if (out == JOB_OK && rr->flagged) {
		resume_publish(rr->hr, rr->event, rr->track, "flagged", NULL, 0,
		    0);
		log_info("track %ld flagged for HR (registration %ld)",
		    rr->track, rr->reg);
	} else if (out == JOB_OK) {
		resume_publish(rr->hr, rr->event, rr->track, "scored", NULL,
		    rr->reg, rr->score);
		log_info("track %ld scored %.1f for registration %ld",
		    rr->track, rr->score, rr->reg);
	} else if (out == JOB_FAIL) {
		/* A bad or missing file, or the last attempt: say so on its
		 * track; the job is discarded. */
		db_soft(STMT_TRACK_SET_STATUS, rr->tr, "failed", err);
		resume_publish(rr->hr, rr->event, rr->track, "failed", err, 0,
		    0);
	}
}

enum job_rc
j_resume(struct job *j, char *err, size_t errsz)
{
	struct json_object	*v, *ctxj = NULL, *res = NULL;
	struct scorer_job	 ctx;
	struct pdftext_info	 info;
	struct buf		 text = { 0 };
	struct rrun		 rr;
	enum job_rc		 out;
	int			 done = 0;

	memset(&ctx, 0, sizeof(ctx));
	memset(&rr, 0, sizeof(rr));
	if ((out = resume_track_load(j, &rr, &done, err, errsz)) != JOB_OK ||
	    done)
		return out;		/* (done: by an earlier attempt) */
	if ((ctxj = job_context_load(rr.event)) == NULL) {
		snprintf(err, errsz, "event %ld is gone", rr.event);
		out = JOB_FAIL;
		goto out;
	}
	if (json_object_object_get_ex(ctxj, "hr_username", &v))
		rr.hr = json_object_get_string(v);
	db_soft(STMT_TRACK_SET_STATUS, rr.tr, "parsing", NULL);
	resume_publish(rr.hr, rr.event, rr.track, "parsing", NULL, 0, 0);

	if ((out = resume_text(rr.key, &text, &info, err, errsz)) ==
	    JOB_FAIL || (out == JOB_RETRY && j->attempt >= j->max_attempts)) {
		resume_told(&rr, JOB_FAIL, err);
		goto out;
	}
	if (out == JOB_RETRY) {
		/* The storage will be back: the job tries again later. */
		db_soft(STMT_TRACK_SET_STATUS, rr.tr, "queued", err);
		resume_publish(rr.hr, rr.event, rr.track, "queued", err, 0, 0);
		goto out;
	}
	out = JOB_RETRY;
	(void)job_heartbeat();
	(void)job_context_from_json(ctxj, &ctx);
	if ((res = resume_score(j, text.data, &ctx, ctxj, &out, err,
	    errsz)) == NULL) {
		db_soft(STMT_TRACK_SET_STATUS, rr.tr, "queued", err);
		goto out;
	}
	resume_extraction(res, &info);
	out = resume_commit(j, &rr, res, &info, err, errsz);
	resume_told(&rr, out, err);
out:
	json_object_put(res);
	job_context_free(&ctx);
	json_object_put(ctxj);
	buf_free(&text);
	return out;
}
