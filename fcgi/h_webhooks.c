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

/* The events member: a non-empty list of known events, or NULL after an
 * error in errs. */
static struct json_object *
wh_events(struct req *r, struct json_object *errs)
{
	struct json_object	*a, *e;
	size_t			 i, n;

	if ((a = jv_array(r->json, "events", 1, 8, errs)) == NULL)
		return NULL;
	if ((n = json_object_array_length(a)) == 0) {
		jv_err(errs, "events", "must name at least one event");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		if (!json_object_is_type(e, json_type_string) ||
		    !webhook_event_known(json_object_get_string(e))) {
			jv_err(errs, "events", "each must be one of "
			    "registration.scored, candidate.advanced, "
			    "interview.completed, candidate.selected");
			return NULL;
		}
	}
	return a;
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

/* {url, events}: 201 the endpoint and its secret, shown this once. */
void
h_webhook_create(struct req *r)
{
	struct json_object	*errs, *events, *o;
	struct webhook_target	 t;
	PGresult		*res = NULL;
	const char		*url;
	char			 why[256], uid[24], *secret = NULL;
	int			 rc;

	errs = json_object_new_object();
	url = jv_str(r->json, "url", 1, 8, 2000, errs);
	events = wh_events(r, errs);
	if (url != NULL && webhook_target(url, cfg.webhook_allow_private, &t,
	    why, sizeof(why)) != 0)
		jv_err(errs, "url", why);
	if (json_object_object_length(errs) > 0 || events == NULL) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	if ((secret = wh_secret()) == NULL) {
		resp_db(r, DB_ERROR);
		return;
	}
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_WEBHOOK_INSERT, &res, url,
	    json_object_to_json_string(events), secret, uid)) != DB_OK) {
		resp_db(r, rc);
		goto out;
	}
	o = json_tokener_parse(PQgetvalue(res, 0, 0));
	json_object_object_add(o, "secret", json_object_new_string(secret));
	resp_json(r, 201, o);
	PQclear(res);
out:
	free(secret);
}

void
h_webhook_list(struct req *r)
{
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = db_q(STMT_WEBHOOK_LIST, &res)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* {endpoint_id}: the endpoint, disabled (no more deliveries). */
void
h_webhook_disable(struct req *r)
{
	struct json_object	*errs;
	PGresult		*res = NULL;
	char			 id[24];
	long			 ep;
	int			 rc;

	errs = json_object_new_object();
	if (jv_long(r->json, "endpoint_id", 1, 1, 1L << 62, &ep, errs) != 1) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	snprintf(id, sizeof(id), "%ld", ep);
	if ((rc = db_q(STMT_WEBHOOK_DISABLE, &res, id)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	if (PQntuples(res) == 0)
		resp_error(r, 404, "not_found", "No such endpoint.", NULL);
	else
		resp_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

/* ?endpoint_id=&page=&page_size=: its deliveries, newest first. */
void
h_webhook_deliveries(struct req *r)
{
	PGresult	*res = NULL;
	char		 id[24], lim[16], off[24];
	long		 ep, page, size;
	int		 rc;

	if ((ep = req_id_qs(r, "endpoint_id")) == 0 ||
	    req_page(r, &page, &size) == -1)
		return;
	snprintf(id, sizeof(id), "%ld", ep);
	if ((rc = db_q(STMT_WEBHOOK_EXISTS, &res, id)) != DB_OK) {
		resp_db(r, rc);
		return;
	}
	rc = PQntuples(res);
	PQclear(res);
	if (rc == 0) {
		resp_error(r, 404, "not_found", "No such endpoint.", NULL);
		return;
	}
	snprintf(lim, sizeof(lim), "%ld", size);
	snprintf(off, sizeof(off), "%ld", (page - 1) * size);
	if ((rc = db_q(STMT_WEBHOOK_DELIVERIES, &res, id, lim, off)) !=
	    DB_OK) {
		resp_db(r, rc);
		return;
	}
	resp_page_raw(r, db_long(res, 0, 0), page, size, PQgetvalue(res, 0, 1));
	PQclear(res);
}

/* {delivery_id}: send it again (same body, signed anew); 202. */
void
h_webhook_replay(struct req *r)
{
	struct json_object	*errs, *o;
	PGresult		*res = NULL;
	char			 id[24], args[64], key[48];
	long			 d;
	int			 rc;

	errs = json_object_new_object();
	if (jv_long(r->json, "delivery_id", 1, 1, 1L << 62, &d, errs) != 1) {
		resp_invalid(r, errs);
		return;
	}
	json_object_put(errs);
	snprintf(id, sizeof(id), "%ld", d);
	snprintf(args, sizeof(args), "{\"delivery_id\":%ld}", d);
	snprintf(key, sizeof(key), "webhook:%ld", d);
	if ((rc = db_begin()) != DB_OK)
		goto dberr;
	if ((rc = db_q(STMT_WEBHOOK_REPLAY, &res, id)) != DB_OK)
		goto dberr;
	if (PQntuples(res) == 0 || PQgetvalue(res, 0, 1)[0] != 't') {
		db_rollback();
		if (PQntuples(res) == 0)
			resp_error(r, 404, "not_found", "No such delivery.",
			    NULL);
		else
			resp_error(r, 409, "in_progress", "This delivery is "
			    "waiting to be sent already.", NULL);
		PQclear(res);
		return;
	}
	PQclear(res);
	if ((rc = job_enqueue("webhook", args, key, 0, 0, 0, NULL)) !=
	    DB_OK || (rc = db_commit()) != DB_OK)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "delivery_id", json_object_new_int64(d));
	json_object_object_add(o, "status", json_object_new_string("pending"));
	resp_json(r, 202, o);
	return;
dberr:
	db_rollback();
	resp_db(r, rc);
}
