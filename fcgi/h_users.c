/*
 * Users: the caller's own account, lists for HR, and the organisation
 * admin's staff accounts (new interviewers, role changes).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "log.h"
#include "valid.h"

const struct field f_me[] = {
	FIELDS_END
};

/* GET me: 200 the caller's account. */
void
h_me(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 uid[24];
	int		 rc;

	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_USER_GET, &res, uid)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "This account no longer "
		    "exists.", NULL);
	else
		reply_json(rp, 200, user_json(res, 0));
	PQclear(res);
}

/*
 * Rows of USER_COLS as a JSON array, written straight into b: the hottest
 * list of the platform, so no intermediate objects.
 */
static void
users_rows(struct buf *b, const PGresult *res)
{
	char	 when[21];
	int	 i, n = PQntuples(res);

	buf_puts(b, "[");
	for (i = 0; i < n; i++) {
		db_time_iso(db_text(res, i, "date_joined"), when);
		buf_printf(b, "%s{\"id\":%s,\"name\":", i ? "," : "",
		    db_text(res, i, "id"));
		json_put_str(b, db_text(res, i, "name"));
		buf_puts(b, ",\"username\":");
		json_put_str(b, db_text(res, i, "username"));
		buf_puts(b, ",\"email\":");
		json_put_str(b, db_text(res, i, "email"));
		buf_puts(b, ",\"phone_number\":");
		json_put_str(b, db_text(res, i, "phone_number"));
		buf_printf(b, ",\"user_type\":\"%s\",\"is_active\":%s,"
		    "\"date_joined\":\"%s\"}", db_text(res, i, "user_type"),
		    db_bool(res, i, "is_active") ? "true" : "false", when);
	}
	buf_puts(b, "]");
}

/*
 * A page of users of type (NULL: all), active only or not: the admin sees
 * everyone, another HR the staff and the candidates of its events.
 */
static void
users_page(struct req *r, struct reply *rp, const char *type, int active)
{
	struct buf	 list = { 0 };
	PGresult	*res = NULL;
	char		 me[24];
	const char	*act = active ? "t" : "f", *hr = NULL;
	long		 count;
	struct page	 pg;
	int		 rc;

	req_page(r, &pg);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if (!r->is_admin)
		hr = me;
	if (hr == NULL || (type != NULL && strcmp(type, "Interviewee") != 0))
		rc = db_q(STMT_USER_COUNT, &res, type, act);
	else
		rc = db_q(STMT_USER_COUNT_SEEN, &res, type, act, hr);
	if (rc != DB_OK)
		goto out;
	count = db_num(res, 0, "total");
	PQclear(res);
	if (type != NULL)
		rc = db_q(STMT_USER_PAGE_TYPE, &res, type, act, pg.limit,
		    pg.offset, hr);
	else
		rc = db_q(STMT_USER_PAGE_ALL, &res, act, pg.limit, pg.offset,
		    hr);
	if (rc != DB_OK)
		goto out;
	users_rows(&list, res);
	reply_page_raw(rp, r, count, &pg, list.data);
out:
	buf_free(&list);
	if (rc != DB_OK)
		reply_db(rp, rc);
	PQclear(res);
}

/* The fields of a list of users (f_user_data, f_fetch_user). */
#define USERS_FIELDS \
	{ "user_type", FT_ENUM, F_QUERY, 1, 32, user_types, NULL }, \
	F_PAGE

const struct field f_user_data[] = {
	USERS_FIELDS,
	FIELDS_END
};

/* GET user-data?user_type=&page=&page_size= (HR): users by type. */
void
h_user_data(struct req *r, struct reply *rp)
{
	users_page(r, rp, req_str(r, "user_type"), 0);
}

const struct field f_fetch_user[] = {
	USERS_FIELDS,
	FIELDS_END
};

/* GET fetch-user?user_type= (HR): active users. */
void
h_fetch_user(struct req *r, struct reply *rp)
{
	users_page(r, rp, req_str(r, "user_type"), 1);
}

const struct field f_fetch_user_patch[] = {
	{ "user_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "user_type", FT_ENUM, 0, 1, 32, user_types, NULL },
	{ "is_active", FT_BOOL, 0, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * PATCH fetch-user {user_id, user_type?, is_active?} (the organisation
 * admin): change a user's role or deactivate (reactivate) it; either ends
 * the user's tokens.  200 the user; 400 neither given; 404 unknown user;
 * 409 when the admin would demote or deactivate itself.
 */
void
h_fetch_user_patch(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	const char		*type;
	char			 id[24];
	long			 uid;
	int			 rc, active, hasact;

	uid = req_long(r, "user_id");
	type = req_str(r, "user_type");
	hasact = req_has(r, "is_active");
	active = req_bool(r, "is_active");
	if (type == NULL && !hasact) {
		errs = json_object_new_object();
		jv_err(errs, "user_type", "is required (or is_active)");
		reply_invalid(rp, errs);
		return;
	}
	if (uid == r->who.user_id && ((type != NULL && strcmp(type, "Hr") !=
	    0) || (hasact && !active))) {
		reply_error(rp, 409, "conflict", "You cannot remove your own "
		    "HR role or deactivate yourself.", NULL);
		return;
	}
	snprintf(id, sizeof(id), "%ld", uid);
	if ((rc = db_q(STMT_USER_SET_TYPE, &res, id, type, hasact ?
	    (active ? "t" : "f") : NULL)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such user.", NULL);
	else {
		log_info("user %s is now %s, %s (by %ld)", id,
		    db_text(res, 0, "user_type"), db_bool(res, 0, "is_active") ?
		    "active" : "inactive", r->who.user_id);
		reply_json(rp, 200, user_json(res, 0));
	}
	PQclear(res);
}

const struct field f_register_interviewer[] = {
	{ "name", FT_STR, F_REQ, 1, 100, NULL, NULL },
	{ "phone_number", FT_STR, F_REQ, 1, 32, NULL, user_check_phone },
	{ "email", FT_STR, F_REQ, 1, 254, NULL, user_check_email },
	{ "username", FT_STR, 0, 0, 64, NULL, user_check_username },
	FIELDS_END
};

/*
 * POST register-interviewer {name, phone_number, email, username?} (the
 * organisation admin) 201 the new interviewer; 400 per-field errors; 409
 * phone, email or username taken.
 */
void
h_register_interviewer(struct req *r, struct reply *rp)
{
	char	 phone[20];

	user_create(r, rp, req_str(r, "name"), req_str(r, "username"),
	    req_str(r, "email"), user_phone(r, phone, sizeof(phone)),
	    "Interviewer");
}
