/*
 * Users: lists for HR, role changes, the caller's own account, and the
 * command that creates the first HR account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "valid.h"

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
		db_time_iso(PQgetvalue(res, i, 7), when);
		buf_printf(b, "%s{\"id\":%s,\"name\":", i ? "," : "",
		    PQgetvalue(res, i, 0));
		json_put_str(b, PQgetvalue(res, i, 1));
		buf_puts(b, ",\"username\":");
		json_put_str(b, PQgetvalue(res, i, 2));
		buf_puts(b, ",\"email\":");
		json_put_str(b, PQgetvalue(res, i, 3));
		buf_puts(b, ",\"phone_number\":");
		json_put_str(b, PQgetvalue(res, i, 4));
		buf_printf(b, ",\"user_type\":\"%s\",\"is_active\":%s,"
		    "\"date_joined\":\"%s\"}", PQgetvalue(res, i, 5),
		    PQgetvalue(res, i, 6)[0] == 't' ? "true" : "false", when);
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
	struct page		 pg;
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
	count = db_long(res, 0, 0);
	PQclear(res);
	if (type != NULL)
		rc = db_q(STMT_USER_PAGE_TYPE, &res, type, act, pg.limit, pg.offset, hr);
	else
		rc = db_q(STMT_USER_PAGE_ALL, &res, act, pg.limit, pg.offset, hr);
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

/* The user_type query parameter: 1 ok (*type may be NULL), 0 after 400. */
static int
users_type_param(struct req *r, struct reply *rp, const char **type)
{
	struct json_object	*errs;
	const char		*v;

	*type = NULL;
	if ((v = req_qs(r, "user_type")) == NULL || *v == '\0')
		return 1;
	if ((*type = valid_user_type(v)) != NULL)
		return 1;
	errs = json_object_new_object();
	jv_err(errs, "user_type", "must be Hr, Interviewer or Interviewee");
	reply_invalid(rp, errs);
	return 0;
}

const struct field f_user_data[] = {
	F_PAGE,
	FIELDS_END
};

/* GET user-data?user_type=&page=&page_size= (HR): users by type. */
void
h_user_data(struct req *r, struct reply *rp)
{
	const char	*type;

	if (users_type_param(r, rp, &type))
		users_page(r, rp, type, 0);
}

const struct field f_fetch_user[] = {
	F_PAGE,
	FIELDS_END
};

/* GET fetch-user?user_type= (HR): active users. */
void
h_fetch_user(struct req *r, struct reply *rp)
{
	const char	*type;

	if (users_type_param(r, rp, &type))
		users_page(r, rp, type, 1);
}

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
	const char		*v, *type = NULL;
	char			 id[24];
	long			 uid = 0;
	int			 rc, active = 1, hasact;

	errs = json_object_new_object();
	(void)jv_long(r->json, "user_id", 1, 1, 1L << 62, &uid, errs);
	if ((v = jv_str(r->json, "user_type", 0, 1, 32, errs)) != NULL &&
	    (type = valid_user_type(v)) == NULL)
		jv_err(errs, "user_type", "must be Hr, Interviewer or "
		    "Interviewee");
	hasact = jv_bool(r->json, "is_active", 0, &active, errs);
	if (v == NULL && hasact == 0)
		jv_err(errs, "user_type", "is required (or is_active)");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (uid == r->who.user_id && ((type != NULL && strcmp(type, "Hr") !=
	    0) || (hasact == 1 && !active))) {
		reply_error(rp, 409, "conflict", "You cannot remove your own HR "
		    "role or deactivate yourself.", NULL);
		return;
	}
	snprintf(id, sizeof(id), "%ld", uid);
	if ((rc = db_q(STMT_USER_SET_TYPE, &res, id, type, hasact == 1 ?
	    (active ? "t" : "f") : NULL)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such user.", NULL);
	else {
		log_info("user %s is now %s, %s (by %ld)", id,
		    PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 6)[0] == 't' ?
		    "active" : "inactive", r->who.user_id);
		reply_json(rp, 200, user_json(res, 0));
	}
	PQclear(res);
}

/*
 * connectify-fcgi --create-hr NAME PHONE EMAIL: the first HR account of
 * a production deployment.  Returns 0 or -1 (message on stderr).
 */
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
		    PQgetvalue(res, 0, 0), phone);
	else
		fprintf(stderr, "create-hr: %s\n", rc == DB_CONFLICT ?
		    "phone or email already registered" :
		    "database error (see log)");
	PQclear(res);
	db_close();
	return rc == DB_OK ? 0 : -1;
}
