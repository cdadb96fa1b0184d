/*
 * accounts: what the account handlers share (h_auth.c, h_users.c)
 * and connectify-fcgi --create-hr: a user row as JSON, the checks of a
 * user's fields, creating a user, and signing a user's tokens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "valid.h"

/* The account types, for FT_ENUM fields. */
const char *const user_types[] = { "Hr", "Interviewer", "Interviewee", NULL };

struct json_object *
user_json(const void *p, int row)
{
	const PGresult		*res = p;
	struct json_object	*o;
	char			 when[21];

	o = json_object_new_object();
	json_object_object_add(o, "id",
	    json_object_new_int64(db_num(res, row, "id")));
	json_object_object_add(o, "name",
	    json_object_new_string(db_text(res, row, "name")));
	json_object_object_add(o, "username",
	    json_object_new_string(db_text(res, row, "username")));
	json_object_object_add(o, "email",
	    json_object_new_string(db_text(res, row, "email")));
	json_object_object_add(o, "phone_number",
	    json_object_new_string(db_text(res, row, "phone_number")));
	json_object_object_add(o, "user_type",
	    json_object_new_string(db_text(res, row, "user_type")));
	json_object_object_add(o, "is_active",
	    json_object_new_boolean(db_bool(res, row, "is_active")));
	db_time_iso(db_text(res, row, "date_joined"), when);
	json_object_object_add(o, "date_joined", json_object_new_string(when));
	json_object_object_add(o, "is_admin",
	    json_object_new_boolean(db_bool(res, row, "is_admin")));
	return o;
}

void
user_check_phone(const char *name, struct json_object *v,
    struct json_object *errs)
{
	char	 phone[20];

	if (!valid_phone(json_object_get_string(v), phone, sizeof(phone)))
		jv_err(errs, name, "must be 10-15 digits, optionally starting "
		    "with +");
}

void
user_check_email(const char *name, struct json_object *v,
    struct json_object *errs)
{
	if (!valid_email(json_object_get_string(v)))
		jv_err(errs, name, "must be an email address like "
		    "name@example.com");
}

void
user_check_username(const char *name, struct json_object *v,
    struct json_object *errs)
{
	if (!valid_username(json_object_get_string(v)))
		jv_err(errs, name, "must be 3-64 letters, digits, '.', '_' or "
		    "'-'");
}

const char *
user_phone(const struct req *r, char *out, size_t outsz)
{
	if (!valid_phone(req_str(r, "phone_number"), out, outsz))
		out[0] = '\0';
	return out;
}

/* After a unique violation: the fields another account already has
 * (NULL when none does any more: it rolled back meanwhile). */
static struct json_object *
user_taken(const char *phone, const char *email, const char *username)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	int			 by_phone;

	errs = json_object_new_object();
	/* Ask rather than parse constraint names. */
	if (db_q(STMT_USER_TAKEN, &res, phone, email, username) == DB_OK) {
		by_phone = db_bool(res, 0, "phone_taken");
		if (by_phone)
			jv_err(errs, "phone_number", "is already registered");
		if (db_bool(res, 0, "email_taken"))
			jv_err(errs, "email", "is already registered");
		/* A default username clashes whenever the phone does. */
		if (db_bool(res, 0, "username_taken") && (username != NULL ||
		    !by_phone))
			jv_err(errs, "username", username != NULL ?
			    "is already taken" : "is already taken (it "
			    "defaults to the phone number's digits): choose "
			    "a username");
	}
	PQclear(res);
	if (json_object_object_length(errs) == 0) {
		json_object_put(errs);
		return NULL;
	}
	return errs;
}

void
user_create(struct req *r, struct reply *rp, const char *name,
    const char *username, const char *email, const char *phone,
    const char *type)
{
	PGresult	*res = NULL;
	int		 rc;

	(void)r;
	if ((rc = db_q(STMT_USER_INSERT, &res, name, username, email, phone,
	    type, NULL)) == DB_OK) {
		log_info("user %s created as %s", db_text(res, 0, "id"),
		    type);
		reply_json(rp, 201, user_json(res, 0));
		PQclear(res);
		return;
	}
	if (rc != DB_CONFLICT)
		reply_db(rp, rc);
	else
		reply_error(rp, 409, "already_exists", "An account with these "
		    "details already exists.", user_taken(phone, email,
		    username));
}

/*
 * Sign an access and a refresh token for the user in row 0 of res and
 * record the refresh token (family: NULL starts a new one).  Returns the
 * response object, or NULL with *rc set.
 */
struct json_object *
tokens_issue(struct req *r, const PGresult *res, const char *family,
    int *rc)
{
	struct json_object	*o;
	struct claims		 c;
	char			*access, *refresh, ttl[16];

	memset(&c, 0, sizeof(c));
	c.user_id = db_num(res, 0, "id");
	snprintf(c.username, sizeof(c.username), "%s",
	    db_text(res, 0, "username"));
	snprintf(c.user_type, sizeof(c.user_type), "%s",
	    db_text(res, 0, "user_type"));
	c.tv = db_num(res, 0, "token_version");
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
	*rc = db_q(STMT_REFRESH_INSERT, NULL, c.jti, db_text(res, 0, "id"),
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

int
create_hr(const char *name, const char *phone_in, const char *email)
{
	PGresult	*res = NULL;
	char		*conninfo, phone[20];
	int		 rc;

	if (!valid_text(name, 1, 100, 0) || !valid_email(email) ||
	    !valid_phone(phone_in, phone, sizeof(phone))) {
		fprintf(stderr, "create-hr: need a name, a phone of 10-15 "
		    "digits and an email address\n");
		return -1;
	}
	conninfo = cfg_conninfo();
	db_open(conninfo);
	free(conninfo);
	rc = db_q(STMT_USER_INSERT, &res, name, NULL, email, phone, "Hr",
	    "t");
	if (rc == DB_OK)
		printf("created HR user %s (%s), the organisation admin\n",
		    db_text(res, 0, "id"), phone);
	else
		fprintf(stderr, "create-hr: %s\n", rc == DB_CONFLICT ?
		    "phone or email already registered" :
		    "database error (see log)");
	PQclear(res);
	db_close();
	return rc == DB_OK ? 0 : -1;
}
