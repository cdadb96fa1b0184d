/*
 * h_privacy: a candidate's rights over their data.  Consent through the
 * invitation's link (a bulk-uploaded candidate), the download of what we
 * keep (JSON, with links to the resumes), erasure of one's own account
 * after a fresh sign-in, and erasure of a candidate by an event's HR.
 *
 * Erasure (sql/022_rights.sql, user_erase) removes the personal data,
 * the resumes' rows and what was read from them, mail bodies and chat in
 * one transaction, with a job deleting the stored files; registrations,
 * scores and reviews' outcomes stay under an anonymous account, so the
 * analytics' totals do not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "job.h"
#include "link.h"
#include "log.h"
#include "storage.h"
#include "valid.h"

/* Erase user in one transaction with the deletion of their files; sends
 * the response. */
static void
privacy_erase(struct req *r, struct reply *rp, const char *user)
{
	struct json_object	*o, *keys;
	PGresult		*res = NULL;
	struct buf		 a = { 0 };
	int			 rc;

	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_ERASE_USER, &res, user)) != DB_OK)
		goto dberr;
	keys = json_tokener_parse(PQgetvalue(res, 0, 0));
	if (json_object_array_length(keys) > 0) {
		buf_printf(&a, "{\"keys\":%s}", PQgetvalue(res, 0, 0));
		rc = job_enqueue(JOB_ERASE_FILES, buf_str(&a), NULL, 0, 0,
		    NULL);
		buf_free(&a);
	}
	PQclear(res);
	if (rc != DB_OK || (rc = db_commit()) != DB_OK) {
		json_object_put(keys);
		goto dberr;
	}
	o = json_object_new_object();
	json_object_object_add(o, "erased", json_object_new_boolean(1));
	json_object_object_add(o, "files", json_object_new_int64(
	    (int64_t)json_object_array_length(keys)));
	json_object_put(keys);
	reply_json(rp, 200, o);
	return;
dberr:
	db_rollback();
	reply_db(rp, rc);
}

/* POST {token}: the candidate of a bulk-uploaded resume consents. */
void
h_consent(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	const char		*tok;
	char			 id[24];
	long			 reg;
	int			 rc;

	errs = json_object_new_object();
	if ((tok = jv_str(r->json, "token", 1, 3, 64, errs)) == NULL) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if ((reg = link_id(tok)) == 0)
		goto bad;
	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_CONSENT_LOOKUP, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0 || PQgetvalue(res, 0, 3)[0] == 't' ||
	    !link_valid("consent", tok, reg, db_val(res, 0, 0)))
		goto bad;
	if ((rc = db_q(STMT_CONSENT_GIVE, NULL, id)) != DB_OK) {
		PQclear(res);
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "consented", json_object_new_boolean(1));
	json_object_object_add(o, "event_title",
	    json_object_new_string(PQgetvalue(res, 0, 2)));
	PQclear(res);
	reply_json(rp, 200, o);
	return;
bad:
	PQclear(res);
	reply_error(rp, 404, "not_found", "This consent link is not valid.",
	    NULL);
}

/* GET: everything kept about the caller, with links to their resumes. */
void
h_me_export(struct req *r, struct reply *rp)
{
	struct json_object	*o, *keys, *links;
	PGresult		*res = NULL;
	char			 uid[24], *url;
	size_t			 i;
	int			 rc;

	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_ME_EXPORT, &res, uid)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_tokener_parse(PQgetvalue(res, 0, 0));
	keys = json_tokener_parse(PQgetvalue(res, 0, 1));
	PQclear(res);
	links = json_object_new_array();
	for (i = 0; i < json_object_array_length(keys); i++) {
		url = app_storage() == NULL ? NULL : storage_url(app_storage(),
		    json_object_get_string(json_object_array_get_idx(keys, i)),
		    cfg.presign_ttl, r->now);
		if (url != NULL)
			json_object_array_add(links,
			    json_object_new_string(url));
		free(url);
	}
	json_object_put(keys);
	json_object_object_add(o, "resumes", links);
	json_object_object_add(o, "links_expire_in",
	    json_object_new_int64(cfg.presign_ttl));
	reply_json(rp, 200, o);
}

/*
 * A sign-in code in the body ({"otp"}), checked as verify-otp checks it
 * (a wrong one counts as a try) and used up: 1 good, 0 absent, -1 after
 * an error response.
 */
static int
privacy_code(struct req *r, struct reply *rp, const char *uid)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	const char		*otp;
	char			 phone[32], maxa[16];
	long			 dummy;
	int			 rc, ok;

	if (r->json == NULL || !json_object_object_get_ex(r->json, "otp",
	    NULL))
		return 0;
	errs = json_object_new_object();
	if ((otp = jv_str(r->json, "otp", 1, 6, 6, errs)) == NULL ||
	    !valid_long(otp, 0, 999999, &dummy)) {
		jv_err(errs, "otp", "must be the 6-digit code");
		reply_invalid(rp, errs);
		return -1;
	}
	json_object_put(errs);
	snprintf(maxa, sizeof(maxa), "%ld", cfg.otp_max_attempts);
	if ((rc = db_q(STMT_ME_PHONE, &res, uid)) != DB_OK)
		goto dberr;
	snprintf(phone, sizeof(phone), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_OTP_ACTIVE, &res, phone, maxa)) != DB_OK)
		goto dberr;
	ok = PQntuples(res) == 1 && strcmp(db_val(res, 0, 1) ?
	    db_val(res, 0, 1) : "", uid) == 0 && auth_otp_check(
	    cfg.secret_key, phone, otp, PQgetvalue(res, 0, 2));
	if (PQntuples(res) == 1 && ok)
		rc = db_q(STMT_OTP_CONSUME, NULL, PQgetvalue(res, 0, 0));
	else if (PQntuples(res) == 1)
		rc = db_q(STMT_OTP_FAIL, NULL, PQgetvalue(res, 0, 0), maxa);
	PQclear(res);
	if (rc != DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	if (!ok) {
		reply_error(rp, 400, "otp_invalid", "The code is wrong, used or "
		    "expired; request a new one (send-otp).", NULL);
		return -1;
	}
	return 1;
dberr:
	db_rollback();
	reply_db(rp, rc);
	return -1;
}

/* DELETE: the caller erases their own account, having signed in with a
 * code in the last 5 minutes, or with a code in the body. */
void
h_me_delete(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 uid[24];
	int		 rc, fresh;

	if (strcmp(r->who.user_type, "Interviewee") != 0) {
		reply_error(rp, 403, "forbidden", "Staff accounts are closed by "
		    "the organisation's admin.", NULL);
		return;
	}
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((fresh = privacy_code(r, rp, uid)) == -1)
		return;
	if (fresh == 0) {
		if ((rc = db_q(STMT_FRESH_SIGNIN, &res, uid)) != DB_OK) {
			reply_db(rp, rc);
			return;
		}
		fresh = PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
	}
	if (!fresh) {
		reply_error(rp, 403, "fresh_sign_in_required", "Send a new code "
		    "(send-otp) and its \"otp\" in the body, or sign in again "
		    "and erase within 5 minutes.", NULL);
		return;
	}
	privacy_erase(r, rp, uid);
}

/* DELETE {registration_id}: the event's HR erases its candidate. */
void
h_candidate_erase(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	char			 id[24], uid[24], cand[24];
	long			 reg;
	int			 rc;

	errs = json_object_new_object();
	if (jv_long(r->json, "registration_id", 1, 1, 1L << 62, &reg,
	    errs) != 1) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	snprintf(id, sizeof(id), "%ld", reg);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_ERASE_ACCESS, &res, id, uid)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such registration.", NULL);
	else if (PQgetvalue(res, 0, 1)[0] != 't')
		reply_error(rp, 403, "forbidden", "Only the event's HR erases "
		    "its candidates.", NULL);
	else if (strcmp(PQgetvalue(res, 0, 2), "Interviewee") != 0)
		reply_error(rp, 403, "forbidden", "Only candidates' accounts "
		    "are erased this way.", NULL);
	else {
		snprintf(cand, sizeof(cand), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		privacy_erase(r, rp, cand);
		return;
	}
	PQclear(res);
}
