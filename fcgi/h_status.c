/*
 * h_status: a registration's status link, which needs no sign-in: the
 * event, the round, the state in words, the place in line and the
 * estimated wait (sql/022_rights.sql, registration_status_json).  The link
 * is signed over the registration's nonce (lib/link.c): making a new one
 * or revoking replaces the nonce; it stops working when the event closes
 * (Inactive, or past its end date).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "link.h"

#define STATUS_PREFIX	"/bulk_hiring/event/v1/status/"

const struct field f_status[] = {
	FIELDS_END
};

/* GET /bulk_hiring/event/v1/status/<token>/ */
void
h_status(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	const char	*token;
	char		 id[24];
	long		 reg;
	int		 rc;

	token = r->path + strlen(STATUS_PREFIX);
	if ((reg = link_id(token)) == 0)
		goto bad;
	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_STATUS_LINK, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0 || !link_valid("status", token, reg,
	    db_opt(res, 0, "status_nonce")))
		goto bad;
	if (db_bool(res, 0, "closed"))
		reply_error(rp, 410, "link_expired", "The event is closed; "
		    "this status link has expired.", NULL);
	else
		reply_text(rp, 200, "application/json", db_text(res, 0,
		    "status"), db_len(res, 0, "status"), NULL);
	PQclear(res);
	return;
bad:
	PQclear(res);
	reply_error(rp, 404, "not_found", "This status link is not valid: it "
	    "may have been replaced or revoked.", NULL);
}

/* The registration_id of the body, if the caller is its candidate or
 * owns its event: > 0, or 0 after an error response. */
static long
status_reg(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 id[24], uid[24];
	long		 reg;
	int		 rc;

	reg = req_long(r, "registration_id");
	snprintf(id, sizeof(id), "%ld", reg);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_STATUS_ACCESS, &res, id, uid)) != DB_OK) {
		reply_db(rp, rc);
		return 0;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such registration.",
		    NULL);
	else if (!db_bool(res, 0, "is_candidate") &&
	    !db_bool(res, 0, "is_owner"))
		reply_error(rp, 403, "forbidden", "Only the candidate and the "
		    "event's HR manage its status link.", NULL);
	else {
		PQclear(res);
		return reg;
	}
	PQclear(res);
	return 0;
}

const struct field f_status_link[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* {registration_id}: a new link; every earlier one stops working. */
void
h_status_link(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 id[24], tok[LINK_LEN], url[512];
	long			 reg;
	int			 rc;

	if ((reg = status_reg(r, rp)) == 0)
		return;
	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_STATUS_ROTATE, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	link_make("status", reg, db_text(res, 0, "status_nonce"), tok);
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "token", json_object_new_string(tok));
	snprintf(url, sizeof(url), "%s/status/%s/", cfg.frontend_url, tok);
	json_object_object_add(o, "url", json_object_new_string(url));
	snprintf(url, sizeof(url), "%s%s%s/", cfg.public_url, STATUS_PREFIX,
	    tok);
	json_object_object_add(o, "api_url", json_object_new_string(url));
	reply_json(rp, 201, o);
}

const struct field f_status_link_revoke[] = {
	{ "registration_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* {registration_id}: no link works until a new one is made. */
void
h_status_link_revoke(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	char			 id[24];
	long			 reg;
	int			 rc;

	if ((reg = status_reg(r, rp)) == 0)
		return;
	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_STATUS_REVOKE, NULL, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "revoked", json_object_new_boolean(1));
	reply_json(rp, 200, o);
}
