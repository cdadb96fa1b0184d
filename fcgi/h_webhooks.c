/*
 * h_webhooks: the organisation admin's webhook endpoints, their
 * deliveries (with every attempt's answer) and replays.  Deliveries are
 * made by triggers (sql/022_rights.sql) and sent by the worker
 * (worker/j_webhook.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "job.h"
#include "log.h"
#include "valid.h"
#include "webhook.h"

/* The events member: a non-empty list of known events. */
static void
wh_events(const char *name, struct json_object *a, struct json_object *errs)
{
	struct json_object	*e;
	size_t			 i, n;

	if ((n = json_object_array_length(a)) == 0) {
		jv_err(errs, name, "must name at least one event");
		return;
	}
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string) ||
		    !webhook_event_known(json_object_get_string(e))) {
			jv_err(errs, name, "each must be one of "
			    "registration.scored, candidate.advanced, "
			    "interview.completed, candidate.selected");
			return;
		}
	}
}

/* The url member: http(s), to an address the rules allow (its host is
 * resolved now). */
static void
wh_url(const char *name, struct json_object *o, struct json_object *errs)
{
	struct webhook_target	 t;
	char			 why[256];

	if (webhook_target(json_object_get_string(o),
	    cfg.webhook_allow_private, &t, why, sizeof(why)) != 0)
		jv_err(errs, name, why);
}

/* A new secret: "whsec_" and 32 random bytes; NULL when none. */
static char *
wh_secret(void)
{
	unsigned char	 raw[32];
	char		*b, *s;

	if (random_bytes(raw, sizeof(raw)) == -1 ||
	    (b = base64url_encode(raw, sizeof(raw))) == NULL)
		return NULL;
	if (asprintf(&s, "whsec_%s", b) == -1)
		s = NULL;
	free(b);
	return s;
}

const struct field f_webhook_create[] = {
	{ "url", FT_STR, F_REQ, 8, 2000, NULL, wh_url },
	{ "events", FT_ARRAY, F_REQ, 0, 8, NULL, wh_events },
	FIELDS_END
};

/* {url, events}: 201 the endpoint and its secret, shown this once. */
void
h_webhook_create(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 uid[24], *secret = NULL;
	int			 rc;

	if ((secret = wh_secret()) == NULL) {
		reply_db(rp, DB_ERROR);
		return;
	}
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_WEBHOOK_INSERT, &res, req_str(r, "url"),
	    json_object_to_json_string(req_obj(r, "events")), secret,
	    uid)) != DB_OK) {
		reply_db(rp, rc);
		goto out;
	}
	o = json_tokener_parse(db_text(res, 0, "endpoint"));
	json_object_object_add(o, "secret", json_object_new_string(secret));
	reply_json(rp, 201, o);
	PQclear(res);
out:
	free(secret);
}

const struct field f_webhook_list[] = {
	FIELDS_END
};

/* Every endpoint, with its deliveries counted by status. */
void
h_webhook_list(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	int		 rc;

	(void)r;	/* the route reads nothing of the request */
	if ((rc = db_q(STMT_WEBHOOK_LIST, &res)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 200, "application/json", db_text(res, 0, "endpoints"),
	    db_len(res, 0, "endpoints"), NULL);
	PQclear(res);
}

const struct field f_webhook_disable[] = {
	{ "endpoint_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* {endpoint_id}: the endpoint, disabled (no more deliveries). */
void
h_webhook_disable(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 id[24];
	int		 rc;

	snprintf(id, sizeof(id), "%ld", req_long(r, "endpoint_id"));
	if ((rc = db_q(STMT_WEBHOOK_DISABLE, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0)
		reply_error(rp, 404, "not_found", "No such endpoint.", NULL);
	else
		reply_text(rp, 200, "application/json",
		    db_text(res, 0, "endpoint"), db_len(res, 0, "endpoint"),
		    NULL);
	PQclear(res);
}

const struct field f_webhook_deliveries[] = {
	{ "endpoint_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	F_PAGE,
	FIELDS_END
};

/* ?endpoint_id=&page=&page_size=: its deliveries, newest first. */
void
h_webhook_deliveries(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	char		 id[24];
	struct page	 pg;
	int		 rc;

	req_page(r, &pg);
	snprintf(id, sizeof(id), "%ld", req_long(r, "endpoint_id"));
	if ((rc = db_q(STMT_WEBHOOK_EXISTS, &res, id)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	rc = PQntuples(res);
	PQclear(res);
	if (rc == 0) {
		reply_error(rp, 404, "not_found", "No such endpoint.", NULL);
		return;
	}
	if ((rc = db_q(STMT_WEBHOOK_DELIVERIES, &res, id, pg.limit,
	    pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "count"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

const struct field f_webhook_replay[] = {
	{ "delivery_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/* {delivery_id}: send it again (same body, signed anew); 202. */
void
h_webhook_replay(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 id[24], args[64], key[48];
	long			 d;
	int			 rc;

	d = req_long(r, "delivery_id");
	snprintf(id, sizeof(id), "%ld", d);
	snprintf(args, sizeof(args), "{\"delivery_id\":%ld}", d);
	snprintf(key, sizeof(key), "webhook:%ld", d);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_WEBHOOK_REPLAY, &res, id)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0 || !db_bool(res, 0, "requeued")) {
		db_rollback();
		if (PQntuples(res) == 0)
			reply_error(rp, 404, "not_found", "No such delivery.",
			    NULL);
		else
			reply_error(rp, 409, "in_progress", "This delivery is "
			    "waiting to be sent already.", NULL);
		PQclear(res);
		return;
	}
	PQclear(res);
	if ((rc = job_enqueue(JOB_WEBHOOK, job_webhook_args(args,
	    sizeof(args), d), key, 0, 0, NULL)) != DB_OK ||
	    (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "delivery_id", json_object_new_int64(d));
	json_object_object_add(o, "status", json_object_new_string("pending"));
	reply_json(rp, 202, o);
	return;
dberr:
	db_rollback();
	reply_db(rp, rc);
}
