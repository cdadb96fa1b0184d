/*
 * Accounts: signup, OTP login, token refresh and logout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "mail.h"
#include "sms.h"
#include "valid.h"

struct json_object *
user_json(const void *p, int row)
{
	const PGresult		*res = p;
	struct json_object	*o;
	char			 when[21];

	o = json_object_new_object();
	json_object_object_add(o, "id",
	    json_object_new_int64(db_long(res, row, 0)));
	json_object_object_add(o, "name",
	    json_object_new_string(PQgetvalue(res, row, 1)));
	json_object_object_add(o, "username",
	    json_object_new_string(PQgetvalue(res, row, 2)));
	json_object_object_add(o, "email",
	    json_object_new_string(PQgetvalue(res, row, 3)));
	json_object_object_add(o, "phone_number",
	    json_object_new_string(PQgetvalue(res, row, 4)));
	json_object_object_add(o, "user_type",
	    json_object_new_string(PQgetvalue(res, row, 5)));
	json_object_object_add(o, "is_active", json_object_new_boolean(
	    PQgetvalue(res, row, 6)[0] == 't'));
	db_time_iso(PQgetvalue(res, row, 7), when);
	json_object_object_add(o, "date_joined", json_object_new_string(when));
	json_object_object_add(o, "is_admin", json_object_new_boolean(
	    PQgetvalue(res, row, 8)[0] == 't'));
	return o;
}

/*
 * Validate a new user's fields from body into the out parameters.
 * Returns the errors object (caller puts it; empty when all is well).
 */
static struct json_object *
user_fields(struct json_object *body, const char **name, char phone[20],
    const char **email, const char **type, const char **username)
{
	struct json_object	*errs;
	const char		*v;

	errs = json_object_new_object();
	*name = jv_str(body, "name", 1, 1, 100, errs);
	if ((v = jv_str(body, "phone_number", 1, 1, 32, errs)) != NULL &&
	    !valid_phone(v, phone, 20))
		jv_err(errs, "phone_number", "must be 10-15 digits, "
		    "optionally starting with +");
	if ((*email = jv_str(body, "email", 1, 1, 254, errs)) != NULL &&
	    !valid_email(*email))
		jv_err(errs, "email", "must be an email address like "
		    "name@example.com");
	if (type != NULL && (v = jv_str(body, "user_type", 1, 1, 32,
	    errs)) != NULL && (*type = valid_user_type(v)) == NULL)
		jv_err(errs, "user_type", "must be Hr, Interviewer or "
		    "Interviewee");
	if ((*username = jv_str(body, "username", 0, 0, 64, errs)) != NULL &&
	    !valid_username(*username))
		jv_err(errs, "username", "must be 3-64 letters, digits, "
		    "'.', '_' or '-'");
	return errs;
}

/*
 * Insert a user and answer 201 with it, or 409 naming each field that
 * another account already has (phone_number, email, username; the
 * username defaults to the phone's digits).
 */
static void
user_create(struct req *r, struct reply *rp, const char *name, const char *username,
    const char *email, const char *phone, const char *type)
{
	struct json_object	*errs = NULL;
	PGresult		*res = NULL;
	int			 rc;

	if ((rc = db_q(STMT_USER_INSERT, &res, name, username, email, phone,
	    type, NULL)) == DB_OK) {
		log_info("user %s created as %s", PQgetvalue(res, 0, 0), type);
		reply_json(rp, 201, user_json(res, 0));
		goto out;
	}
	if (rc != DB_CONFLICT) {
		reply_db(rp, rc);
		goto out;
	}
	/* Which one?  Ask rather than parse constraint names. */
	errs = json_object_new_object();
	if (db_q(STMT_USER_TAKEN, &res, phone, email, username) == DB_OK) {
		if (PQgetvalue(res, 0, 0)[0] == 't')
			jv_err(errs, "phone_number", "is already registered");
		if (PQgetvalue(res, 0, 1)[0] == 't')
			jv_err(errs, "email", "is already registered");
		/* A default username clashes whenever the phone does. */
		if (PQgetvalue(res, 0, 2)[0] == 't' && (username != NULL ||
		    PQgetvalue(res, 0, 0)[0] != 't'))
			jv_err(errs, "username", username != NULL ?
			    "is already taken" : "is already taken (it "
			    "defaults to the phone number's digits): choose "
			    "a username");
	}
	if (json_object_object_length(errs) == 0) {
		/* The other account went away meanwhile (rolled back). */
		json_object_put(errs);
		errs = NULL;
	}
	reply_error(rp, 409, "already_exists", "An account with these details "
	    "already exists.", errs);
	errs = NULL;
out:
	PQclear(res);
	json_object_put(errs);
}

/*
 * Count a signup from the client's address: 0 when it may go on, 1 after
 * answering 429 (SIGNUP_RATE_IP per 15 minutes) or the database's error.
 */
static int
signup_limited(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	long		 n, wait;
	int		 rc;

	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_SIGNUP_RATE, &res, r->remote_addr)) != DB_OK)
		goto out;
	n = db_long(res, 0, 1);
	wait = db_long(res, 0, 2);
	if (n >= cfg.signup_rate_ip) {
		db_rollback();
		PQclear(res);
		reply_rate_limited(rp, wait > 0 ? wait : 900, "Too many "
		    "signups from this address; wait before trying again.");
		return 1;
	}
	if ((rc = db_q(STMT_SIGNUP_RECORD, NULL, r->remote_addr)) == DB_OK)
		rc = db_commit();
out:
	PQclear(res);
	if (rc == DB_OK)
		return 0;
	db_rollback();
	reply_db(rp, rc);
	return 1;
}

/*
 * POST signup {name, phone_number, email, user_type, username?}
 * 201 the user; 400 per-field errors; 409 phone/email taken; 403 when a
 * staff type is asked for without the admin's token while signup is
 * closed;
 * 429 more than SIGNUP_RATE_IP signups from one address in 15 minutes
 * (not counted when HR creates the account).
 */
void
h_signup(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	const char		*name, *email, *type = NULL, *username;
	char			 phone[20];
	int			 staff;

	errs = user_fields(r->json, &name, phone, &email, &type, &username);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	staff = r->authed && strcmp(r->who.user_type, "Hr") == 0;
	if (strcmp(type, "Interviewee") != 0 && !cfg.staff_signup_open &&
	    !(staff && r->is_admin)) {
		reply_error(rp, 403, "forbidden", "Staff accounts are created "
		    "by the organisation's admin; sign in as the admin to add "
		    "one.", NULL);
		return;
	}
	if (!staff && signup_limited(r, rp))
		return;
	user_create(r, rp, name, username, email, phone, type);
}

/*
 * POST register-interviewer {name, phone_number, email, username?} (the
 * organisation admin) 201 the new interviewer.
 */
void
h_register_interviewer(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	const char		*name, *email, *username;
	char			 phone[20];

	errs = user_fields(r->json, &name, phone, &email, NULL, &username);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	user_create(r, rp, name, username, email, phone, "Interviewer");
}

static void
sms_config(struct sms_cfg *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->backend = cfg.sms_backend;
	sc->log_path = cfg.sms_log;
	sc->twilio_base = cfg.twilio_base_url;
	sc->account_sid = cfg.twilio_account_sid;
	sc->auth_token = cfg.twilio_auth_token;
	sc->api_key = cfg.twilio_api_key;
	sc->api_secret = cfg.twilio_api_secret;
	sc->from = cfg.twilio_from;
	sc->messaging_service_sid = cfg.twilio_messaging_service_sid;
}

/*
 * SMS_BACKEND=mail: the code goes to the account's email, sent now (a
 * code must not wait in a queue, and its plain text is never stored).
 * Templates otp_code.{subject,txt,html} get name, code, minutes, link and
 * year.  Returns what mail_send() returned; detail gets the reason.
 */
static enum mail_rc
otp_mail(const char *to, const char *name, const char *code, char *detail,
    size_t detailsz)
{
	struct json_object	*vars;
	struct mail_cfg		 mc;
	struct mail_msg		 m;
	struct buf		 subj = { 0 }, text = { 0 }, html = { 0 };
	unsigned char		 raw[8];
	char			 min[24], msgid[96], rnd[17];
	long			 now = (long)time(NULL);
	enum mail_rc		 rc = MAIL_PERMFAIL;

	vars = json_object_new_object();
	snprintf(min, sizeof(min), "%ld", (cfg.otp_ttl + 59) / 60);
	json_object_object_add(vars, "name", json_object_new_string(name));
	json_object_object_add(vars, "code", json_object_new_string(code));
	json_object_object_add(vars, "minutes", json_object_new_string(min));
	if (mail_render("otp_code", vars, now, &subj, &text, &html, detail,
	    detailsz) == -1)
		goto out;
	if (random_bytes(raw, sizeof(raw)) == -1) {
		snprintf(detail, detailsz, "no randomness");
		goto out;
	}
	hex_encode(raw, sizeof(raw), rnd);
	snprintf(msgid, sizeof(msgid), "<otp.%ld.%s@connectify>", now, rnd);
	mail_config(&mc, 10000);
	memset(&m, 0, sizeof(m));
	m.to = to;
	m.to_name = name;
	m.subject = subj.data;
	m.text = text.data;
	m.html = html.data;
	m.message_id = msgid;
	rc = mail_send(&mc, &m, detail, detailsz);
out:
	json_object_put(vars);
	buf_free(&subj);
	buf_free(&text);
	buf_free(&html);
	return rc;
}

/* A code that never reached the phone must not count or work. */
static void
otp_drop(const char *id)
{
	if (db_q(STMT_OTP_DELETE, NULL, id) != DB_OK)
		log_warn("could not drop unsent code %s", id);
}

/* How a code travels: by SMS (SMS_BACKEND log or twilio) or by mail. */
static const struct otp_via {
	const char	*channel;	/* the answer's "channel" */
	const char	*sent_msg;
	const char	*busy_code;	/* 503: try again shortly */
	const char	*busy_msg;
	const char	*refused_code;	/* 502: the provider said no */
	const char	*refused_msg;
} otp_via[] = {
	{ "sms", "A code was sent to your phone.", "sms_unavailable",
	    "The SMS service is unavailable; try again in a minute.",
	    "sms_refused", "The SMS service refused this number." },
	{ "email", "A code was sent to your email.", "mail_unavailable",
	    "The mail service is unavailable; try again in a minute.",
	    "mail_refused", "The mail service refused this account's "
	    "address." },
};

/*
 * POST login/send-otp {phone_number}
 * 200 {"message","channel","expires_in"}, the same for a phone with no
 * active account (nothing is sent; the request counts alike); 400 bad
 * phone; 429 too many codes for this phone or address (Retry-After);
 * 502/503 when the SMS provider (or, with SMS_BACKEND=mail, the mail
 * server) refuses or is unreachable (the code is dropped).
 */
void
h_send_otp(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o;
	struct sms_cfg		 sc;
	const struct otp_via	*via;
	PGresult		*res = NULL;
	const char		*v;
	char			 phone[20], code[7], hash[65], ttl[16],
				 text[160], detail[256], uid[24],
				 otpid[24], email[256], name[256];
	long			 by_phone, by_ip, wait;
	enum mail_rc		 mrc;
	enum sms_rc		 src;
	int			 rc, out, known;

	errs = json_object_new_object();
	if ((v = jv_str(r->json, "phone_number", 1, 1, 32, errs)) != NULL &&
	    !valid_phone(v, phone, sizeof(phone)))
		jv_err(errs, "phone_number", "must be 10-15 digits, "
		    "optionally starting with +");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);

	if ((rc = db_q(STMT_USER_GET_PHONE, &res, phone)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	/* An unknown or inactive phone is answered and counted like any
	 * other: a code nobody receives is recorded (no account). */
	known = PQntuples(res) > 0 && PQgetvalue(res, 0, 6)[0] == 't';
	uid[0] = name[0] = email[0] = '\0';
	if (known) {
		snprintf(uid, sizeof(uid), "%s", PQgetvalue(res, 0, 0));
		snprintf(name, sizeof(name), "%s", PQgetvalue(res, 0, 1));
		snprintf(email, sizeof(email), "%s", PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	res = NULL;

	if (auth_otp_new(code) == -1) {
		reply_error(rp, 500, "internal_error", "No randomness.", NULL);
		return;
	}
	auth_otp_hash(cfg.secret_key, phone, code, hash);
	snprintf(ttl, sizeof(ttl), "%ld", cfg.otp_ttl);

	/* Count and insert under a per-phone lock so bursts cannot race. */
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_OTP_LOCK, NULL, phone)) != DB_OK ||
	    (rc = db_q(STMT_OTP_RATE, &res, phone, r->remote_addr)) != DB_OK)
		goto dberr;
	by_phone = db_long(res, 0, 0);
	by_ip = db_long(res, 0, 1);
	wait = db_long(res, 0, 2);
	PQclear(res);
	res = NULL;
	if (by_phone >= cfg.otp_rate_phone || by_ip >= cfg.otp_rate_ip) {
		db_rollback();
		if (by_phone < cfg.otp_rate_phone || wait <= 0)
			wait = 900;
		reply_rate_limited(rp, wait, "Too many codes were requested; "
		    "wait before asking again.");
		return;
	}
	if ((rc = db_q(STMT_OTP_SUPERSEDE, NULL, phone)) != DB_OK ||
	    (rc = db_q(STMT_OTP_INSERT, &res, known ? uid : NULL, phone,
	    hash, r->remote_addr, ttl)) != DB_OK)
		goto dberr;
	snprintf(otpid, sizeof(otpid), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = NULL;
	if ((rc = db_commit()) != DB_OK)
		goto dberr;

	if (!known) {
		via = &otp_via[strcmp(cfg.sms_backend, "mail") == 0];
		out = 0;
	} else if (strcmp(cfg.sms_backend, "mail") == 0) {
		via = &otp_via[1];
		mrc = otp_mail(email, name, code, detail, sizeof(detail));
		out = mrc == MAIL_OK ? 0 : mrc == MAIL_TEMPFAIL ? 503 : 502;
	} else {
		via = &otp_via[0];
		snprintf(text, sizeof(text), "Your Connectify code is %s. It "
		    "expires in %ld minutes. Never share it.", code,
		    (cfg.otp_ttl + 59) / 60);
		sms_config(&sc);
		src = sms_send(&sc, phone, text, detail, sizeof(detail));
		out = src == SMS_OK ? 0 : src == SMS_TEMPFAIL ? 503 : 502;
	}
	if (out != 0) {
		otp_drop(otpid);
		log_warn("%s code for user %s not sent: %s", via->channel, uid,
		    detail);
		if (out == 503)
			reply_error(rp, 503, via->busy_code, via->busy_msg, NULL);
		else
			reply_error(rp, 502, via->refused_code, via->refused_msg,
			    NULL);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "message",
	    json_object_new_string(via->sent_msg));
	json_object_object_add(o, "channel",
	    json_object_new_string(via->channel));
	json_object_object_add(o, "expires_in",
	    json_object_new_int64(cfg.otp_ttl));
	reply_json(rp, 200, o);
	return;
dberr:
	PQclear(res);
	db_rollback();
	reply_db(rp, rc);
}

/*
 * Sign an access and a refresh token for the user in row 0 of res and
 * record the refresh token (family: NULL starts a new one).  Returns the
 * response object, or NULL with *rc set.
 */
static struct json_object *
tokens_issue(struct req *r, PGresult *res, const char *family, int *rc)
{
	struct json_object	*o;
	struct claims		 c;
	char			*access, *refresh, ttl[16];

	memset(&c, 0, sizeof(c));
	c.user_id = db_long(res, 0, 0);
	snprintf(c.username, sizeof(c.username), "%s", PQgetvalue(res, 0, 2));
	snprintf(c.user_type, sizeof(c.user_type), "%s", PQgetvalue(res, 0, 5));
	c.tv = db_long(res, 0, 9);
	snprintf(c.token_type, sizeof(c.token_type), "access");
	access = auth_issue(&c, cfg.secret_key, cfg.access_ttl, r->now);
	snprintf(c.token_type, sizeof(c.token_type), "refresh");
	refresh = auth_issue(&c, cfg.secret_key, cfg.refresh_ttl, r->now);
	if (access == NULL || refresh == NULL) {
		free(access);
		free(refresh);
		*rc = DB_ERROR;
		return NULL;
	}
	snprintf(ttl, sizeof(ttl), "%ld", cfg.refresh_ttl);
	*rc = db_q(STMT_REFRESH_INSERT, NULL, c.jti, PQgetvalue(res, 0, 0),
	    family != NULL ? family : c.jti, ttl);
	if (*rc != DB_OK) {
		free(access);
		free(refresh);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "access_token",
	    json_object_new_string(access));
	json_object_object_add(o, "refresh_token",
	    json_object_new_string(refresh));
	json_object_object_add(o, "token_type",
	    json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_in",
	    json_object_new_int64(cfg.access_ttl));
	json_object_object_add(o, "user", user_json(res, 0));
	free(access);
	free(refresh);
	return o;
}

/*
 * POST login/verify-otp {phone_number, otp}
 * 200 {access_token, refresh_token, user}; 400 wrong, expired or burnt
 * code (a wrong code counts an attempt; the fifth burns the code).
 */
void
h_verify_otp(struct req *r, struct reply *rp)
{
	struct json_object	*errs, *o = NULL;
	PGresult		*res = NULL, *ures = NULL;
	const char		*v, *otp;
	char			 phone[20], maxa[16], id[24], uid[24];
	long			 left, dummy;
	int			 rc;

	errs = json_object_new_object();
	if ((v = jv_str(r->json, "phone_number", 1, 1, 32, errs)) != NULL &&
	    !valid_phone(v, phone, sizeof(phone)))
		jv_err(errs, "phone_number", "must be 10-15 digits, "
		    "optionally starting with +");
	if ((otp = jv_str(r->json, "otp", 1, 1, 16, errs)) != NULL &&
	    (strlen(otp) != 6 || !valid_long(otp, 0, 999999, &dummy)))
		jv_err(errs, "otp", "must be the 6-digit code");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	snprintf(maxa, sizeof(maxa), "%ld", cfg.otp_max_attempts);

	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_OTP_ACTIVE, &res, phone, maxa)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_rollback();
		reply_error(rp, 400, "otp_invalid", "There is no valid code for "
		    "this number (expired, used or too many tries); request a "
		    "new one.", NULL);
		return;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	snprintf(uid, sizeof(uid), "%s", PQgetvalue(res, 0, 1));
	if (PQgetisnull(res, 0, 1) || !auth_otp_check(cfg.secret_key, phone,
	    otp, PQgetvalue(res, 0, 2))) {
		PQclear(res);
		res = NULL;
		if ((rc = db_q(STMT_OTP_FAIL, &res, id, maxa)) != DB_OK)
			goto dberr;
		left = db_long(res, 0, 0);
		PQclear(res);
		res = NULL;
		if ((rc = db_commit()) != DB_OK)
			goto dberr;
		errs = json_object_new_object();
		json_object_object_add(errs, "otp", json_object_new_string(
		    left > 0 ? "is wrong" : "is wrong; the code is now "
		    "invalid, request a new one"));
		reply_error(rp, 400, "otp_invalid", left > 0 ? "The code is "
		    "wrong." : "The code is wrong and no tries are left.",
		    errs);
		return;
	}
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_OTP_CONSUME, NULL, id)) != DB_OK ||
	    (rc = db_q(STMT_USER_TOUCH_LOGIN, NULL, uid)) != DB_OK ||
	    (rc = db_q(STMT_USER_GET, &ures, uid)) != DB_OK)
		goto dberr;
	if ((o = tokens_issue(r, ures, NULL, &rc)) == NULL)
		goto dberr;
	if ((rc = db_commit()) != DB_OK) {
		json_object_put(o);
		goto dberr;
	}
	PQclear(ures);
	reply_json(rp, 200, o);
	return;
dberr:
	PQclear(res);
	PQclear(ures);
	db_rollback();
	reply_db(rp, rc);
}

/* The refresh token of the body ("refresh_token" or simplejwt's
 * "refresh"), verified; NULL after answering 400/401. */
static const char *
refresh_read(struct req *r, struct reply *rp, struct claims *c)
{
	struct json_object	*errs;
	const char		*tok, *why;

	errs = json_object_new_object();
	if ((tok = jv_str(r->json, "refresh_token", 0, 1, 4096, errs)) == NULL &&
	    json_object_object_length(errs) == 0)
		tok = jv_str(r->json, "refresh", 1, 1, 4096, errs);
	if (tok == NULL) {
		if (json_object_object_length(errs) == 0)
			jv_err(errs, "refresh_token", "is required");
		reply_invalid(rp, errs);
		return NULL;
	}
	json_object_put(errs);
	if (auth_verify(tok, cfg.secret_key, "refresh", r->now, c, &why) == -1) {
		reply_error(rp, 401, "not_authenticated", why, NULL);
		return NULL;
	}
	return tok;
}

/*
 * POST token/refresh {refresh_token}
 * 200 a new pair; the presented token stops working.  401 when the token
 * is invalid, expired, revoked or already used (a reuse revokes every
 * token descended from the same login).
 */
void
h_token_refresh(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	struct claims		 c;
	PGresult		*res = NULL, *ures = NULL;
	char			 family[AUTH_JTI_LEN], uid[24];
	int			 rc;

	if (refresh_read(r, rp, &c) == NULL)
		return;
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_REFRESH_ROTATE, &res, c.jti)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		PQclear(res);
		res = NULL;
		/* Replayed or revoked: end the whole login. */
		if ((rc = db_q(STMT_REFRESH_REVOKE_FAMILY, NULL, c.jti)) !=
		    DB_OK || (rc = db_commit()) != DB_OK)
			goto dberr;
		log_warn("refresh token %s reused or revoked (user %ld)",
		    c.jti, c.user_id);
		reply_error(rp, 401, "not_authenticated", "This refresh token "
		    "was revoked or already used; sign in again.", NULL);
		return;
	}
	snprintf(uid, sizeof(uid), "%s", PQgetvalue(res, 0, 0));
	snprintf(family, sizeof(family), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_USER_GET, &ures, uid)) != DB_OK)
		goto dberr;
	if (PQntuples(ures) == 0 || PQgetvalue(ures, 0, 6)[0] != 't') {
		PQclear(ures);
		db_rollback();
		reply_error(rp, 401, "not_authenticated", "This account is no "
		    "longer active.", NULL);
		return;
	}
	if ((o = tokens_issue(r, ures, family, &rc)) == NULL)
		goto dberr;
	if ((rc = db_commit()) != DB_OK) {
		json_object_put(o);
		goto dberr;
	}
	PQclear(ures);
	reply_json(rp, 200, o);
	return;
dberr:
	PQclear(res);
	PQclear(ures);
	db_rollback();
	reply_db(rp, rc);
}

/*
 * POST logout {refresh_token}
 * 204; the refresh token no longer works, and neither does any access
 * token of the account signed before (its token_version moves on; other
 * logins keep their refresh tokens and sign in again with them).  401
 * when it is not a valid refresh token.
 */
void
h_logout(struct req *r, struct reply *rp)
{
	struct claims	 c;
	PGresult	*res = NULL;
	char		 uid[24];
	int		 rc;

	if (refresh_read(r, rp, &c) == NULL)
		return;
	snprintf(uid, sizeof(uid), "%ld", c.user_id);
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_REFRESH_REVOKE, &res, c.jti, uid)) != DB_OK)
		goto out;
	if (PQntuples(res) > 0 &&
	    (rc = db_q(STMT_USER_TOKENS_END, NULL, uid)) != DB_OK)
		goto out;
	rc = db_commit();
out:
	PQclear(res);
	if (rc != DB_OK) {
		db_rollback();
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 204, "", "", 0, NULL);
}
