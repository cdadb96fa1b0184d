/*
 * Accounts: signup, OTP login, token refresh and logout (what they share
 * is in accounts.c).
 */
#include <stdio.h>
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
	n = db_num(res, 0, "signups");
	wait = db_num(res, 0, "wait");
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

const struct field f_signup[] = {
	{ "name", FT_STR, F_REQ, 1, 100, NULL, NULL },
	{ "phone_number", FT_STR, F_REQ, 1, 32, NULL, user_check_phone },
	{ "email", FT_STR, F_REQ, 1, 254, NULL, user_check_email },
	{ "user_type", FT_ENUM, F_REQ, 1, 32, user_types, NULL },
	{ "username", FT_STR, 0, 0, 64, NULL, user_check_username },
	FIELDS_END
};

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
	const char	*type;
	char		 phone[20];
	int		 staff;

	type = req_str(r, "user_type");
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
	user_create(r, rp, req_str(r, "name"), req_str(r, "username"),
	    req_str(r, "email"), user_phone(r, phone, sizeof(phone)), type);
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

/* Whom a code is for: an active account, or nobody (known 0). */
struct otp_to {
	int	 known;
	char	 uid[24];
	char	 name[256];
	char	 email[256];
};

/* The active account of phone into to: DB_OK or the database's error. */
static int
otp_account(const char *phone, struct otp_to *to)
{
	PGresult	*res = NULL;
	int		 rc;

	memset(to, 0, sizeof(*to));
	if ((rc = db_q(STMT_USER_GET_PHONE, &res, phone)) != DB_OK)
		return rc;
	to->known = PQntuples(res) > 0 && db_bool(res, 0, "is_active");
	if (to->known) {
		snprintf(to->uid, sizeof(to->uid), "%s",
		    db_text(res, 0, "id"));
		snprintf(to->name, sizeof(to->name), "%s",
		    db_text(res, 0, "name"));
		snprintf(to->email, sizeof(to->email), "%s",
		    db_text(res, 0, "email"));
	}
	PQclear(res);
	return DB_OK;
}

/*
 * Record the code's hash for phone: counted and inserted under a
 * per-phone lock so bursts cannot race.  0 with the code's id in otpid,
 * or -1 after answering 429 or the database's error.
 */
static int
otp_record(struct req *r, struct reply *rp, const char *phone,
    const struct otp_to *to, const char *hash, char otpid[24])
{
	PGresult	*res = NULL;
	char		 ttl[16];
	long		 by_phone, by_ip, wait;
	int		 rc;

	snprintf(ttl, sizeof(ttl), "%ld", cfg.otp_ttl);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_OTP_LOCK, NULL, phone)) != DB_OK ||
	    (rc = db_q(STMT_OTP_RATE, &res, phone, r->remote_addr)) != DB_OK)
		goto dberr;
	by_phone = db_num(res, 0, "by_phone");
	by_ip = db_num(res, 0, "by_ip");
	wait = db_num(res, 0, "wait");
	PQclear(res);
	res = NULL;
	if (by_phone >= cfg.otp_rate_phone || by_ip >= cfg.otp_rate_ip) {
		db_rollback();
		if (by_phone < cfg.otp_rate_phone || wait <= 0)
			wait = 900;
		reply_rate_limited(rp, wait, "Too many codes were requested; "
		    "wait before asking again.");
		return -1;
	}
	if ((rc = db_q(STMT_OTP_SUPERSEDE, NULL, phone)) != DB_OK ||
	    (rc = db_q(STMT_OTP_INSERT, &res, to->known ? to->uid : NULL,
	    phone, hash, r->remote_addr, ttl)) != DB_OK)
		goto dberr;
	snprintf(otpid, 24, "%s", db_text(res, 0, "id"));
	PQclear(res);
	res = NULL;
	if ((rc = db_commit()) != DB_OK)
		goto dberr;
	return 0;
dberr:
	PQclear(res);
	db_rollback();
	reply_db(rp, rc);
	return -1;
}

/*
 * Send code to its account by SMS or mail (SMS_BACKEND); for nobody,
 * send nothing.  *via gets how it travels.  0 when sent, else 503 (try
 * again) or 502 (refused), with the reason in detail.
 */
static int
otp_deliver(const char *phone, const struct otp_to *to, const char *code,
    const struct otp_via **via, char *detail, size_t detailsz)
{
	struct sms_cfg	 sc;
	char		 text[160];
	enum mail_rc	 mrc;
	enum sms_rc	 src;
	int		 by_mail = strcmp(cfg.sms_backend, "mail") == 0;

	*via = &otp_via[by_mail];
	if (!to->known)
		return 0;
	if (by_mail) {
		mrc = otp_mail(to->email, to->name, code, detail, detailsz);
		return mrc == MAIL_OK ? 0 : mrc == MAIL_TEMPFAIL ? 503 : 502;
	}
	snprintf(text, sizeof(text), "Your Connectify code is %s. It expires "
	    "in %ld minutes. Never share it.", code, (cfg.otp_ttl + 59) / 60);
	sms_config(&sc);
	src = sms_send(&sc, phone, text, detail, detailsz);
	return src == SMS_OK ? 0 : src == SMS_TEMPFAIL ? 503 : 502;
}

const struct field f_send_otp[] = {
	{ "phone_number", FT_STR, F_REQ, 1, 32, NULL, user_check_phone },
	FIELDS_END
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
	struct json_object	*o;
	const struct otp_via	*via;
	struct otp_to		 to;
	char			 phone[20], code[7], hash[65], detail[256],
				 otpid[24];
	int			 rc, out;

	user_phone(r, phone, sizeof(phone));
	/* An unknown or inactive phone is answered and counted like any
	 * other: a code nobody receives is recorded (no account). */
	if ((rc = otp_account(phone, &to)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (auth_otp_new(code) == -1) {
		reply_error(rp, 500, "internal_error", "No randomness.", NULL);
		return;
	}
	auth_otp_hash(cfg.secret_key, phone, code, hash);
	if (otp_record(r, rp, phone, &to, hash, otpid) == -1)
		return;
	if ((out = otp_deliver(phone, &to, code, &via, detail,
	    sizeof(detail))) != 0) {
		otp_drop(otpid);
		log_warn("%s code for user %s not sent: %s", via->channel,
		    to.uid, detail);
		if (out == 503)
			reply_error(rp, 503, via->busy_code, via->busy_msg,
			    NULL);
		else
			reply_error(rp, 502, via->refused_code,
			    via->refused_msg, NULL);
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
}

/* otp: six digits. */
static void
otp_check(const char *name, struct json_object *v, struct json_object *errs)
{
	const char	*s = json_object_get_string(v);
	long		 dummy;

	if (strlen(s) != 6 || !valid_long(s, 0, 999999, &dummy))
		jv_err(errs, name, "must be the 6-digit code");
}

const struct field f_verify_otp[] = {
	{ "phone_number", FT_STR, F_REQ, 1, 32, NULL, user_check_phone },
	{ "otp", FT_STR, F_REQ, 1, 16, NULL, otp_check },
	FIELDS_END
};

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
	const char		*otp;
	char			 phone[20], maxa[16], id[24], uid[24];
	long			 left;
	int			 rc;

	user_phone(r, phone, sizeof(phone));
	otp = req_str(r, "otp");
	snprintf(maxa, sizeof(maxa), "%ld", cfg.otp_max_attempts);

	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_OTP_ACTIVE, &res, phone, maxa)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_rollback();
		reply_error(rp, 400, "otp_invalid", "There is no valid code "
		    "for this number (expired, used or too many tries); "
		    "request a new one.", NULL);
		return;
	}
	snprintf(id, sizeof(id), "%s", db_text(res, 0, "id"));
	snprintf(uid, sizeof(uid), "%s", db_text(res, 0, "user_id"));
	if (db_isnull(res, 0, "user_id") || !auth_otp_check(cfg.secret_key,
	    phone, otp, db_text(res, 0, "code_hash"))) {
		PQclear(res);
		res = NULL;
		if ((rc = db_q(STMT_OTP_FAIL, &res, id, maxa)) != DB_OK)
			goto dberr;
		left = db_num(res, 0, "tries_left");
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
 * "refresh": REFRESH_FIELDS), verified; NULL after answering 400/401. */
#define REFRESH_FIELDS \
	{ "refresh_token", FT_STR, 0, 1, 4096, NULL, NULL }, \
	{ "refresh", FT_STR, 0, 1, 4096, NULL, NULL }
static const char *
refresh_read(struct req *r, struct reply *rp, struct claims *c)
{
	struct json_object	*errs;
	const char		*tok, *why;

	if ((tok = req_str(r, "refresh_token")) == NULL &&
	    (tok = req_str(r, "refresh")) == NULL) {
		errs = json_object_new_object();
		jv_err(errs, "refresh_token", "is required");
		reply_invalid(rp, errs);
		return NULL;
	}
	if (auth_verify(tok, cfg.secret_key, "refresh", r->now, c, &why) ==
	    -1) {
		reply_error(rp, 401, "not_authenticated", why, NULL);
		return NULL;
	}
	return tok;
}

const struct field f_token_refresh[] = {
	REFRESH_FIELDS,
	FIELDS_END
};

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
	snprintf(uid, sizeof(uid), "%s", db_text(res, 0, "user_id"));
	snprintf(family, sizeof(family), "%s", db_text(res, 0, "family"));
	PQclear(res);
	res = NULL;
	if ((rc = db_q(STMT_USER_GET, &ures, uid)) != DB_OK)
		goto dberr;
	if (PQntuples(ures) == 0 || !db_bool(ures, 0, "is_active")) {
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

const struct field f_logout[] = {
	REFRESH_FIELDS,
	FIELDS_END
};

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
