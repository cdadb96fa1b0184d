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
privacy_erase(struct reply *rp, const char *user)
{
	struct json_object	*o, *keys;
	PGresult		*res = NULL;
	char			*args;
	int			 rc;

	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_ERASE_USER, &res, user)) != DB_OK)
		goto dberr;
	keys = json_tokener_parse(db_text(res, 0, "keys"));
	if (json_object_array_length(keys) > 0) {
		args = job_erase_files_args(db_text(res, 0, "keys"));
		rc = job_enqueue(JOB_ERASE_FILES, args, NULL, 0, 0, NULL);
		free(args);
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

const struct field f_consent[] = {
	{ "token", FT_STR, F_REQ, 3, 64, NULL, NULL },
	FIELDS_END
};

/* POST {token}: the candidate of a bulk-uploaded resume consents. */
void
h_consent(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	const char		*tok;
	char			 id[24];
	long			 reg;
	int			 rc;

	tok = req_str(r, "token");
	if ((reg = link_id(tok)) == 0)
		goto bad;
	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_CONSENT_LOOKUP, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0 || db_bool(res, 0, "erased") ||
	    !link_valid("consent", tok, reg, db_opt(res, 0, "consent_nonce")))
		goto bad;
	if ((rc = db_q(STMT_CONSENT_GIVE, NULL, id)) != DB_OK) {
		PQclear(res);
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "consented", json_object_new_boolean(1));
	json_object_object_add(o, "event_title",
	    json_object_new_string(db_text(res, 0, "title")));
	PQclear(res);
	reply_json(rp, 200, o);
	return;
bad:
	PQclear(res);
	reply_error(rp, 404, "not_found", "This consent link is not valid.",
	    NULL);
}

const struct field f_me_export[] = {
	FIELDS_END
};

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
	o = json_tokener_parse(db_text(res, 0, "data"));
	keys = json_tokener_parse(db_text(res, 0, "keys"));
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

/* The otp member: the 6-digit code. */
static void
privacy_otp(const char *name, struct json_object *o, struct json_object *errs)
{
	long	 v;

	if (!valid_long(json_object_get_string(o), 0, 999999, &v))
		jv_err(errs, name, "must be the 6-digit code");
}

/*
 * The sign-in code in the body ({"otp"}), checked as verify-otp checks
 * it (a wrong one counts as a try) and used up: 1 good, 0 absent, -1
 * after an error response.
 */
static int
privacy_code(struct req *r, struct reply *rp, const char *uid)
{
	PGresult	*res = NULL;
	const char	*otp, *owner;
	char		 phone[32], maxa[16];
	int		 rc, ok;

	if (!req_has(r, "otp"))
		return 0;
	otp = req_str(r, "otp");
	snprintf(maxa, sizeof(maxa), "%ld", cfg.otp_max_attempts);
	if ((rc = db_q(STMT_ME_PHONE, &res, uid)) != DB_OK)
		goto dberr;
	snprintf(phone, sizeof(phone), "%s", db_text(res, 0, "phone_number"));
	PQclear(res);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_OTP_ACTIVE, &res, phone, maxa)) != DB_OK)
		goto dberr;
	ok = 0;
	if (PQntuples(res) == 1) {
		owner = db_text(res, 0, "user_id");
		ok = strcmp(owner, uid) == 0 && auth_otp_check(cfg.secret_key,
		    phone, otp, db_text(res, 0, "code_hash"));
		rc = ok ? db_q(STMT_OTP_CONSUME, NULL, db_text(res, 0, "id")) :
		    db_q(STMT_OTP_FAIL, NULL, db_text(res, 0, "id"), maxa);
	}
	PQclear(res);
	if (rc != DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	if (!ok) {
		reply_error(rp, 400, "otp_invalid", "The code is wrong, used "
		    "or expired; request a new one (send-otp).", NULL);
		return -1;
	}
	return 1;
dberr:
	db_rollback();
	reply_db(rp, rc);
	return -1;
}

const struct field f_me_delete[] = {
	{ "otp", FT_STR, 0, 6, 6, NULL, privacy_otp },
	FIELDS_END
};

/* DELETE: the caller erases their own account, having signed in with a
 * code in the last 5 minutes, or with a code in the body. */
void
h_me_delete(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 uid[24];
	int		 rc, fresh;

	if (strcmp(r->who.user_type, "Interviewee") != 0) {
		reply_error(rp, 403, "forbidden", "Staff accounts are closed "
		    "by the organisation's admin.", NULL);
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
		fresh = db_bool(res, 0, "fresh");
		PQclear(res);
	}
	if (!fresh) {
		reply_error(rp, 403, "fresh_sign_in_required", "Send a new "
		    "code (send-otp) and its \"otp\" in the body, or sign in "
		    "again and erase within 5 minutes.", NULL);
		return;
	}
	privacy_erase(rp, uid);
}

const struct field f_candidate_erase[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* DELETE {registration_id}: the event's HR erases its candidate. */
void
h_candidate_erase(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 id[24], uid[24], cand[24];
	int		 rc;

	snprintf(id, sizeof(id), "%ld", req_long(r, "registration_id"));
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_ERASE_ACCESS, &res, id, uid)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such registration.",
		    NULL);
	else if (!db_bool(res, 0, "is_owner"))
		reply_error(rp, 403, "forbidden", "Only the event's HR erases "
		    "its candidates.", NULL);
	else if (strcmp(db_text(res, 0, "user_type"), "Interviewee") != 0)
		reply_error(rp, 403, "forbidden", "Only candidates' accounts "
		    "are erased this way.", NULL);
	else {
		snprintf(cand, sizeof(cand), "%s", db_text(res, 0, "user_id"));
		PQclear(res);
		privacy_erase(rp, cand);
		return;
	}
	PQclear(res);
}
