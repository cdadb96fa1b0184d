/*
 * route: the one route table, and the checks every request passes before
 * its handler runs (method, path, internal-only, token, role, JSON body).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"

#define UD	"/bulk_hiring/user_data/v1"

const struct route routes[] = {
	/* operations */
	{ "GET", "/healthz", 0, h_healthz, "healthz", NULL },
	{ "GET", "/metrics", 0, h_metrics, "metrics", NULL },
	/* accounts (h_auth.c) */
	{ "POST", UD "/signup", R_JSON | R_OPTAUTH, h_signup, "signup", NULL },
	{ "POST", UD "/login/send-otp", R_JSON, h_send_otp, "send_otp", NULL },
	{ "POST", UD "/login/verify-otp", R_JSON, h_verify_otp, "verify_otp", NULL },
	{ "POST", UD "/token/refresh", R_JSON, h_token_refresh, "token_refresh", NULL },
	{ "POST", UD "/logout", R_JSON, h_logout, "logout", NULL },
	/* users (h_users.c) */
	{ "GET", UD "/me", R_AUTH, h_me, "me", NULL },
	{ "GET", UD "/user-data", R_AUTH | R_HR | R_CACHE, h_user_data,
	    "user_data", f_user_data },
	{ "GET", UD "/fetch-user", R_AUTH | R_HR | R_CACHE, h_fetch_user,
	    "fetch_user", f_fetch_user },
	{ "PATCH", UD "/fetch-user", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_fetch_user_patch, "fetch_user_patch", NULL },
	{ "POST", UD "/register-interviewer", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_register_interviewer, "register_interviewer", NULL },
	/* events (h_events.c, h_event_change.c), the catalog (h_catalog.c),
	 * registrations and analytics (h_registrations.c) */
#define EV	"/bulk_hiring/event/v1"
	{ "POST", EV "/event", R_AUTH | R_HR | R_JSON | R_IDEMP, h_event_create,
	    "event_create", f_event_create },
	{ "GET", EV "/event", R_AUTH | R_CACHE, h_event_list, "event_list",
	    f_event_list },
	{ "PATCH", EV "/event", R_AUTH | R_HR | R_JSON, h_event_patch,
	    "event_patch", f_event_patch },
	{ "GET", EV "/event-detail", R_AUTH | R_CACHE, h_event_detail,
	    "event_detail", f_event_detail },
	{ "POST", EV "/event-resumes", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_event_resumes, "event_resumes", f_event_resumes },
	{ "POST", EV "/event-rescore", R_AUTH | R_HR | R_JSON, h_event_rescore,
	    "event_rescore", f_event_rescore },
	{ "POST", EV "/event-owner", R_AUTH | R_HR | R_JSON, h_event_owner_add,
	    "event_owner_add", f_event_owner_add },
	{ "DELETE", EV "/event-owner", R_AUTH | R_HR | R_JSON,
	    h_event_owner_remove, "event_owner_remove", f_event_owner_remove },
	{ "GET", EV "/skills", R_AUTH | R_CACHE, h_skills_list, "skills_list",
	    f_skills_list },
	{ "POST", EV "/skills", R_AUTH | R_HR | R_JSON, h_skills_create,
	    "skills_create", f_skills_create },
	{ "POST", EV "/suggest-skills", R_AUTH | R_HR | R_JSON,
	    h_suggest_skills, "suggest_skills", f_suggest_skills },
	{ "GET", EV "/departments", R_AUTH | R_CACHE, h_departments_list,
	    "departments_list", f_departments_list },
	{ "POST", EV "/departments", R_AUTH | R_HR | R_JSON,
	    h_departments_create, "departments_create", f_departments_create },
	{ "POST", EV "/event-register", R_AUTH | R_JSON | R_IDEMP,
	    h_event_register, "event_register", NULL },
	{ "GET", EV "/register_user", R_AUTH | R_STAFF | R_CACHE,
	    h_register_user, "register_user", f_register_user },
	{ "GET", EV "/application-count", R_AUTH | R_HR | R_CACHE,
	    h_application_count, "application_count", NULL },
	{ "GET", EV "/user-event-data", R_AUTH | R_CACHE, h_user_event_data,
	    "user_event_data", NULL },
	{ "PATCH", EV "/modified-shortlisted", R_AUTH | R_HR | R_JSON,
	    h_modified_shortlisted, "modified_shortlisted", NULL },
	{ "GET", EV "/all-selected-users", R_AUTH | R_STAFF | R_CACHE,
	    h_all_selected, "all_selected_users", f_all_selected_users },
	{ "GET", EV "/assessment-questions", R_AUTH | R_STAFF | R_CACHE,
	    h_assessment_questions, "assessment_questions", NULL },
	{ "GET", EV "/resume-processing-track", R_AUTH | R_HR | R_CACHE,
	    h_resume_tracks, "resume_processing_track", f_resume_processing_track },
	{ "GET", EV "/application-by-department", R_AUTH | R_HR | R_CACHE,
	    h_stats_department, "application_by_department", NULL },
	{ "GET", EV "/job-application-status", R_AUTH | R_HR | R_CACHE,
	    h_stats_status, "job_application_status", NULL },
	{ "POST", UD "/send-event-mail", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_send_event_mail, "send_event_mail", NULL },
	/* signed, expiring resume links: /bulk_hiring/files/<key> */
	{ "GET", "/bulk_hiring/files", R_PREFIX, h_file, "files", NULL },

	/* interview day: queues, actions, reviews, attendance, chat
	 * (h_interviews.c) */
	{ "POST", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_mapping_create, "zoom_mapping_create", NULL },
	{ "GET", EV "/zoom-mapping", R_AUTH, h_mapping_get, "zoom_mapping", NULL },
	{ "PATCH", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON, h_mapping_patch,
	    "zoom_mapping_patch", NULL },
	{ "POST", EV "/interview-action", R_AUTH | R_JSON, h_interview_action,
	    "interview_action", NULL },
	{ "POST", EV "/candidate-review", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_candidate_review, "candidate_review", NULL },
	{ "GET", EV "/candidate-review", R_AUTH | R_STAFF,
	    h_candidate_review_get, "candidate_review_get", NULL },
	{ "POST", EV "/interviewee-join", R_AUTH | R_JSON, h_interviewee_join,
	    "interviewee_join", NULL },
	{ "POST", EV "/zoom-attendance", R_AUTH | R_JSON, h_zoom_attendance,
	    "zoom_attendance", NULL },
	{ "GET", EV "/zoom-joined-user", R_AUTH | R_STAFF, h_zoom_joined,
	    "zoom_joined_user", NULL },
	{ "GET", EV "/hr-user-chatting", R_AUTH, h_chat_get, "chat", f_chat },
	{ "POST", EV "/hr-user-chatting", R_AUTH | R_JSON | R_IDEMP,
	    h_chat_post, "chat_post", NULL },

	/* video calls: Zoom signatures, TURN credentials (h_media.c) */
	{ "POST", EV "/generate-zoom-signature", R_AUTH | R_JSON,
	    h_zoom_signature, "zoom_signature", NULL },
	{ "GET", EV "/turn-credentials", R_AUTH, h_turn_credentials,
	    "turn_credentials", NULL },
	{ "POST", EV "/turn-disconnect", R_AUTH | R_OPTJSON, h_turn_disconnect,
	    "turn_disconnect", NULL },
	{ "POST", EV "/call-signal", R_AUTH | R_JSON, h_call_signal,
	    "call_signal", NULL },

	/* a single-use ticket for a socket handshake (h_ws.c) */
	{ "POST", EV "/ws-ticket", R_AUTH | R_OPTJSON, h_ws_ticket,
	    "ws_ticket", NULL },

	/* mail (h_mail.c) */

	/* hiring decisions: the audit log (h_audit.c) */
	{ "GET", EV "/audit", R_AUTH | R_HR, h_audit_get, "audit", NULL },
	/* rubrics and panel scorecards (h_scorecards.c) */
	{ "GET", EV "/round-rubric", R_AUTH | R_STAFF, h_rubric_get,
	    "round_rubric", NULL },
	{ "POST", EV "/round-rubric", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_rubric_create, "round_rubric_create", NULL },
	{ "PATCH", EV "/round-rubric", R_AUTH | R_HR | R_JSON, h_rubric_patch,
	    "round_rubric_patch", NULL },
	{ "GET", EV "/scorecards", R_AUTH | R_STAFF, h_scorecards_get,
	    "scorecards", NULL },
	{ "POST", EV "/scorecards", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_scorecard_post, "scorecard_post", NULL },
	{ "POST", EV "/scorecard-decision", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_scorecard_decide, "scorecard_decision", NULL },
	/* blind screening (h_blind.c) */
	{ "GET", EV "/blind-screening", R_AUTH | R_HR, h_blind_get,
	    "blind_screening", NULL },
	{ "POST", EV "/blind-screening", R_AUTH | R_HR | R_JSON, h_blind_set,
	    "blind_screening_set", NULL },
	/* duplicates with reasons (h_duplicates.c) */
	{ "GET", EV "/duplicates", R_AUTH | R_HR, h_duplicates_get,
	    "duplicates", NULL },
	{ "POST", EV "/duplicates", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_duplicates_post, "duplicates_settle", NULL },
	/* self-identification, adverse impact (h_impact.c) */
	{ "GET", EV "/self-identification", R_AUTH, h_selfid_get,
	    "self_identification", NULL },
	{ "POST", EV "/self-identification", R_AUTH | R_JSON, h_selfid_post,
	    "self_identification_set", NULL },
	{ "GET", EV "/adverse-impact", R_AUTH | R_HR | R_ADMIN, h_impact_get,
	    "adverse_impact", NULL },
	/* candidates' rights and HR's data (h_export.c, h_webhooks.c,
	 * h_status.c, h_privacy.c) */
	{ "GET", EV "/export", R_AUTH | R_HR, h_export, "export", NULL },
	{ "POST", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_create, "webhook_create", NULL },
	{ "GET", EV "/webhooks", R_AUTH | R_HR | R_ADMIN, h_webhook_list,
	    "webhook_list", NULL },
	{ "DELETE", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_disable, "webhook_disable", NULL },
	{ "GET", EV "/webhook-deliveries", R_AUTH | R_HR | R_ADMIN,
	    h_webhook_deliveries, "webhook_deliveries", f_webhook_deliveries },
	{ "POST", EV "/webhook-replay", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_replay, "webhook_replay", NULL },
	/* a registration's status link: /bulk_hiring/event/v1/status/<token> */
	{ "GET", EV "/status", R_PREFIX, h_status, "status", NULL },
	{ "POST", EV "/status-link", R_AUTH | R_JSON, h_status_link,
	    "status_link", NULL },
	{ "DELETE", EV "/status-link", R_AUTH | R_JSON, h_status_link_revoke,
	    "status_link_revoke", NULL },
	/* consent, the candidate's own data, erasure (h_privacy.c) */
	{ "POST", UD "/consent", R_JSON, h_consent, "consent", NULL },
	{ "GET", UD "/me/export", R_AUTH, h_me_export, "me_export", NULL },
	{ "DELETE", UD "/me", R_AUTH | R_OPTJSON, h_me_delete, "me_delete", NULL },
	{ "DELETE", EV "/candidate-data", R_AUTH | R_HR | R_JSON,
	    h_candidate_erase, "candidate_erase", NULL },

	/* nchan hooks (h_ws.c), reachable only through internal locations */
	{ "GET", "/internal/ws-auth", R_INTERNAL, h_ws_auth, "ws_auth", NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

static void	route_handle(struct req *, struct reply *);

/*
 * The route for method and path, or NULL.  *path_known tells a 405 (the
 * path exists with another method) from a 404.
 */
const struct route *
route_find(const char *method, const char *path, int *path_known)
{
	size_t	 i, n;

	*path_known = 0;
	for (i = 0; i < nroutes; i++) {
		n = strlen(routes[i].path);
		if ((routes[i].flags & R_PREFIX) ? strncmp(routes[i].path, path,
		    n) != 0 || path[n] != '/' || path[n + 1] == '\0' :
		    strcmp(routes[i].path, path) != 0)
			continue;
		*path_known = 1;
		if (strcmp(routes[i].method, method) == 0)
			return &routes[i];
	}
	return NULL;
}

/* Read "Authorization: Bearer <token>" into r->who and check it against
 * its account (cache_account); 0, or -1 (401) with why, or -2 when the
 * database could not tell (*dbrc for reply_db). */
static int
route_token(struct req *r, const char **why, int *dbrc)
{
	const char	*h;

	h = req_param(r, "HTTP_AUTHORIZATION");
	if (h == NULL || *h == '\0') {
		*why = "missing Authorization header";
		return -1;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		*why = "Authorization must be \"Bearer <access token>\"";
		return -1;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (auth_verify(h, cfg.secret_key, "access", r->now, &r->who,
	    why) == -1)
		return -1;
	switch (cache_account(r, why, dbrc)) {
	case 0:
		break;
	case -1:
		memset(&r->who, 0, sizeof(r->who));
		return -1;
	default:
		memset(&r->who, 0, sizeof(r->who));
		return -2;
	}
	r->authed = 1;
	db_actor(r->who.user_id);
	return 0;
}

/* 405 with the methods the path takes. */
static void
route_allow(struct req *r, struct reply *rp)
{
	char	 hdr[128];
	size_t	 i, n = 0;

	n += (size_t)snprintf(hdr, sizeof(hdr), "Allow: ");
	for (i = 0; i < nroutes && n < sizeof(hdr) - 16; i++)
		if (strcmp(routes[i].path, r->path) == 0)
			n += (size_t)snprintf(hdr + n, sizeof(hdr) - n,
			    "%s%s", n > 7 ? ", " : "", routes[i].method);
	snprintf(hdr + n, sizeof(hdr) - n, "\r\n");
	buf_puts(&rp->head, hdr);
	reply_error(rp, 405, "method_not_allowed",
	    "This path does not accept that method.", NULL);
}

/*
 * Idempotency-Key (R_IDEMP routes): the same key from the same user within
 * 24 hours gets the first answer again and runs nothing; with another
 * request (route or body), 422.  The key's row is claimed before the
 * handler runs, so of two concurrent requests with one key only one runs;
 * the other waits for its answer.  Answers of 500 and over are not kept:
 * the request may be tried again with the key.
 */
#define IDEM_WAIT_MS	15000

static int
idem_key_valid(const char *k)
{
	size_t	 n;

	for (n = 0; k[n] != '\0'; n++)
		if (k[n] < 0x21 || k[n] > 0x7e)
			return 0;
	return n >= 1 && n <= 255;
}

/* The kept answer of row 0 of res (IDEM_GET), or 422 when it was another
 * request. */
static void
idem_replay(struct req *r, struct reply *rp, const PGresult *res,
    const char *hash)
{
	if (strcmp(PQgetvalue(res, 0, 0), r->route->name) != 0 ||
	    strcmp(PQgetvalue(res, 0, 1), hash) != 0) {
		reply_error(rp, 422, "idempotency_key_reused", "This "
		    "Idempotency-Key was used for another request; send a "
		    "new key for a new request.", NULL);
		return;
	}
	reply_text(rp, (int)db_long(res, 0, 2), "application/json",
	    PQgetvalue(res, 0, 3), (size_t)PQgetlength(res, 0, 3),
	    "Idempotent-Replayed: true\r\n");
}

/* Run the handler, keeping its answer under the claimed key. */
static void
idem_run(struct req *r, struct reply *rp, const char *uid, const char *key)
{
	char	 st[16];

	route_handle(r, rp);
	snprintf(st, sizeof(st), "%d", rp->status);
	if (rp->status >= 500)
		db_soft(STMT_IDEM_DROP, uid, key);
	else if (db_q(STMT_IDEM_FILL, NULL, uid, key, st,
	    buf_str(&rp->body)) != DB_OK)
		log_warn("idempotency key of %s: answer not kept", uid);
	/* As replayed: headers such as Retry-After are not kept. */
	buf_reset(&rp->head);
}

/* The request of an R_IDEMP route: answered here, or run through idem_run. */
static void
idem_dispatch(struct req *r, struct reply *rp, const char *key)
{
	PGresult	*res = NULL;
	struct buf	 in = { 0 };
	char		 uid[24], hash[SHA256_HEX_LEN];
	int		 rc, waited;

	if (!idem_key_valid(key)) {
		reply_error(rp, 400, "invalid_idempotency_key", "An "
		    "Idempotency-Key is 1 to 255 visible ASCII characters.",
		    NULL);
		return;
	}
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	buf_printf(&in, "%s %s\n", r->method, r->path);
	if (r->bodylen > 0)
		buf_append(&in, r->body, r->bodylen);
	sha256_hex(in.data, in.len, hash);
	buf_free(&in);
	for (waited = 0; ; waited += 100) {
		if ((rc = db_q(STMT_IDEM_CLAIM, &res, uid, key, r->route->name,
		    hash)) != DB_OK)
			break;
		if (PQntuples(res) == 1) {
			PQclear(res);
			idem_run(r, rp, uid, key);
			return;
		}
		PQclear(res);
		if ((rc = db_q(STMT_IDEM_GET, &res, uid, key)) != DB_OK)
			break;
		if (PQntuples(res) == 1 && (!PQgetisnull(res, 0, 2) ||
		    strcmp(PQgetvalue(res, 0, 1), hash) != 0)) {
			idem_replay(r, rp, res, hash);
			PQclear(res);
			return;
		}
		PQclear(res);
		res = NULL;
		if (waited >= IDEM_WAIT_MS) {
			reply_error(rp, 409, "idempotency_in_progress", "A "
			    "request with this Idempotency-Key is still "
			    "running; try again in a moment.", NULL);
			return;
		}
		usleep(100000);
	}
	reply_db(rp, rc);
}

/* The checks every request of rt passes before its handler: 0, or -1
 * with the refusal in rp. */
static int
route_admit(struct req *r, struct reply *rp, const struct route *rt)
{
	const char	*why, *ctype;
	int		 k, dbrc = 0;

	if ((rt->flags & R_INTERNAL) &&
	    req_param(r, "CONNECTIFY_INTERNAL") == NULL) {
		reply_error(rp, 404, "not_found", "No such endpoint.", NULL);
		return -1;
	}
	if (rt->flags & (R_AUTH | R_OPTAUTH)) {
		k = route_token(r, &why, &dbrc);
		if (k == -2) {
			reply_db(rp, dbrc);
			return -1;
		}
		if (k == -1 && ((rt->flags & R_AUTH) ||
		    req_param(r, "HTTP_AUTHORIZATION") != NULL)) {
			reply_error(rp, 401, "not_authenticated", why, NULL);
			return -1;
		}
	}
	if ((rt->flags & R_HR) && strcmp(r->who.user_type, "Hr") != 0) {
		reply_error(rp, 403, "forbidden", "Only HR can do this.", NULL);
		return -1;
	}
	if ((rt->flags & R_ADMIN) && !r->is_admin) {
		reply_error(rp, 403, "forbidden", "Only the organisation's "
		    "admin manages staff accounts and roles.", NULL);
		return -1;
	}
	if ((rt->flags & R_STAFF) && strcmp(r->who.user_type, "Hr") != 0 &&
	    strcmp(r->who.user_type, "Interviewer") != 0) {
		reply_error(rp, 403, "forbidden",
		    "Only HR and interviewers can do this.", NULL);
		return -1;
	}
	if ((rt->flags & R_JSON) ||
	    ((rt->flags & R_OPTJSON) && r->bodylen > 0)) {
		ctype = req_param(r, "CONTENT_TYPE");
		if (ctype == NULL || strncasecmp(ctype, "application/json",
		    16) != 0) {
			reply_error(rp, 415, "unsupported_media_type",
			    "Send the body as application/json.", NULL);
			return -1;
		}
		if (req_json(r) == -1) {
			reply_error(rp, 400, "invalid_json",
			    "The body must be one JSON object.", NULL);
			return -1;
		}
	}
	return 0;
}

/* The route's fields, then its handler. */
static void
route_handle(struct req *r, struct reply *rp)
{
	struct json_object	*errs;

	if ((errs = fields_check(r)) != NULL) {
		reply_invalid(rp, errs);
		return;
	}
	r->route->fn(r, rp);
	if (rp->status == 0) {
		log_error("handler %s set no reply", r->route->name);
		reply_error(rp, 500, "internal_error", "No response.", NULL);
	}
}

/* The FastCGI stream of a streamed reply. */
struct sink {
	FCGX_Stream	*out;
};

int
sink_put(struct sink *k, const char *data, size_t len)
{
	if (len == 0)
		return 0;
	if (FCGX_PutStr(data, (int)len, k->out) != (int)len)
		return -1;
	return 0;
}

/* Write rp to the client: the only place that does. */
static void
route_send(struct req *r, struct reply *rp)
{
	struct sink	 k;

	FCGX_FPrintF(r->fr->out, "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s",
	    rp->status, http_reason(rp->status), r->id, buf_str(&rp->head));
	if (rp->status == 204) {
		FCGX_FPrintF(r->fr->out, "\r\n");
		return;
	}
	if (rp->stream != NULL) {
		FCGX_FPrintF(r->fr->out, "Content-Type: %s\r\n\r\n",
		    rp->ctype);
		k.out = r->fr->out;
		if (rp->stream(rp->arg, &k) == -1)
			log_warn("%s: the streamed body broke off",
			    r->route ? r->route->name : r->path);
		return;
	}
	FCGX_FPrintF(r->fr->out, "Content-Type: %s\r\n"
	    "Content-Length: %lu\r\n\r\n", rp->ctype,
	    (unsigned long)rp->body.len);
	if (rp->body.len > 0)
		FCGX_PutStr(rp->body.data, (int)rp->body.len, r->fr->out);
}

/* Find the route, admit the request, run it (or answer from the cache
 * or the Idempotency-Key), into rp. */
static void
route_run(struct req *r, struct reply *rp)
{
	const struct route	*rt;
	const char		*key, *body;
	size_t			 len;
	int			 known;

	if ((rt = route_find(r->method, r->path, &known)) == NULL) {
		if (known)
			route_allow(r, rp);
		else
			reply_error(rp, 404, "not_found", "No such endpoint.",
			    NULL);
		return;
	}
	r->route = rt;
	db_actor(0);
	if (route_admit(r, rp, rt) == -1)
		return;
	if (rt->flags & R_CACHE) {
		if (cache_lookup(r, &body, &len)) {
			reply_text(rp, 200, "application/json", body, len,
			    "X-Cache: hit\r\n");
			return;
		}
		route_handle(r, rp);
		cache_store(r, rp);
		return;
	}
	if ((rt->flags & R_IDEMP) && r->authed &&
	    (key = req_param(r, "HTTP_IDEMPOTENCY_KEY")) != NULL) {
		idem_dispatch(r, rp, key);
		return;
	}
	route_handle(r, rp);
}

/* Send, log and count rp, then free it. */
static void
route_finish(struct req *r, struct reply *rp)
{
	struct timespec	 t1;
	double		 secs;
	size_t		 ri;

	route_send(r, rp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - r->t0.tv_sec) +
	    (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e9;
	ri = r->route != NULL ? (size_t)(r->route - routes) : nroutes;
	metrics_observe(ri, rp->status, secs);
	metrics_end(secs);
	log_info("%s %s %d %.1fms", r->method, r->path, rp->status,
	    secs * 1e3);
	reply_free(rp);
}

void
route_dispatch(struct req *r, int parsed)
{
	struct reply	 rp;

	memset(&rp, 0, sizeof(rp));
	rp.rid = r->id;
	if (parsed == 413)
		reply_error(&rp, 413, "body_too_large", "The request body is "
		    "larger than this server accepts.", NULL);
	else if (parsed == 414)
		reply_error(&rp, 414, "uri_too_long", "The path is too long.",
		    NULL);
	else if (parsed != 0)
		reply_error(&rp, 400, "bad_request", "The request body could "
		    "not be read.", NULL);
	else
		route_run(r, &rp);
	route_finish(r, &rp);
}
