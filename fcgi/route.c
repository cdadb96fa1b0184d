/*
 * route: the one route table, and the checks every request passes before
 * its handler runs (method, path, internal-only, token, role, JSON body).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
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
	{ "GET", "/healthz", 0, h_healthz, "healthz" },
	{ "GET", "/metrics", 0, h_metrics, "metrics" },
	/* accounts (h_auth.c) */
	{ "POST", UD "/signup", R_JSON | R_OPTAUTH, h_signup, "signup" },
	{ "POST", UD "/login/send-otp", R_JSON, h_send_otp, "send_otp" },
	{ "POST", UD "/login/verify-otp", R_JSON, h_verify_otp, "verify_otp" },
	{ "POST", UD "/token/refresh", R_JSON, h_token_refresh, "token_refresh" },
	{ "POST", UD "/logout", R_JSON, h_logout, "logout" },
	/* users (h_users.c) */
	{ "GET", UD "/me", R_AUTH, h_me, "me" },
	{ "GET", UD "/user-data", R_AUTH | R_HR | R_CACHE, h_user_data,
	    "user_data" },
	{ "GET", UD "/fetch-user", R_AUTH | R_HR | R_CACHE, h_fetch_user,
	    "fetch_user" },
	{ "PATCH", UD "/fetch-user", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_fetch_user_patch, "fetch_user_patch" },
	{ "POST", UD "/register-interviewer", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_register_interviewer, "register_interviewer" },
	/* events, registrations, analytics (h_events.c, h_registrations.c,
	 * h_analytics.c, h_files.c) */
#define EV	"/bulk_hiring/event/v1"
	{ "POST", EV "/event", R_AUTH | R_HR | R_JSON | R_IDEMP, h_event_create,
	    "event_create" },
	{ "GET", EV "/event", R_AUTH | R_CACHE, h_event_list, "event_list" },
	{ "PATCH", EV "/event", R_AUTH | R_HR | R_JSON, h_event_patch,
	    "event_patch" },
	{ "GET", EV "/event-detail", R_AUTH | R_CACHE, h_event_detail,
	    "event_detail" },
	{ "POST", EV "/event-resumes", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_event_resumes, "event_resumes" },
	{ "POST", EV "/event-rescore", R_AUTH | R_HR | R_JSON, h_event_rescore,
	    "event_rescore" },
	{ "POST", EV "/event-owner", R_AUTH | R_HR | R_JSON, h_event_owner_add,
	    "event_owner_add" },
	{ "DELETE", EV "/event-owner", R_AUTH | R_HR | R_JSON,
	    h_event_owner_remove, "event_owner_remove" },
	{ "GET", EV "/skills", R_AUTH | R_CACHE, h_skills_list, "skills_list" },
	{ "POST", EV "/skills", R_AUTH | R_HR | R_JSON, h_skills_create,
	    "skills_create" },
	{ "POST", EV "/suggest-skills", R_AUTH | R_HR | R_JSON,
	    h_suggest_skills, "suggest_skills" },
	{ "GET", EV "/departments", R_AUTH | R_CACHE, h_departments_list,
	    "departments_list" },
	{ "POST", EV "/departments", R_AUTH | R_HR | R_JSON,
	    h_departments_create, "departments_create" },
	{ "POST", EV "/event-register", R_AUTH | R_JSON | R_IDEMP,
	    h_event_register, "event_register" },
	{ "GET", EV "/register_user", R_AUTH | R_STAFF | R_CACHE,
	    h_register_user, "register_user" },
	{ "GET", EV "/application-count", R_AUTH | R_HR | R_CACHE,
	    h_application_count, "application_count" },
	{ "GET", EV "/user-event-data", R_AUTH | R_CACHE, h_user_event_data,
	    "user_event_data" },
	{ "PATCH", EV "/modified-shortlisted", R_AUTH | R_HR | R_JSON,
	    h_modified_shortlisted, "modified_shortlisted" },
	{ "GET", EV "/all-selected-users", R_AUTH | R_STAFF | R_CACHE,
	    h_all_selected, "all_selected_users" },
	{ "GET", EV "/assessment-questions", R_AUTH | R_STAFF | R_CACHE,
	    h_assessment_questions, "assessment_questions" },
	{ "GET", EV "/resume-processing-track", R_AUTH | R_HR | R_CACHE,
	    h_resume_tracks, "resume_processing_track" },
	{ "GET", EV "/application-by-department", R_AUTH | R_HR | R_CACHE,
	    h_stats_department, "application_by_department" },
	{ "GET", EV "/job-application-status", R_AUTH | R_HR | R_CACHE,
	    h_stats_status, "job_application_status" },
	{ "POST", UD "/send-event-mail", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_send_event_mail, "send_event_mail" },
	/* signed, expiring resume links: /bulk_hiring/files/<key> */
	{ "GET", "/bulk_hiring/files", R_PREFIX, h_file, "files" },

	/* interview day: queues, actions, reviews, attendance, chat
	 * (h_interviews.c) */
	{ "POST", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_mapping_create, "zoom_mapping_create" },
	{ "GET", EV "/zoom-mapping", R_AUTH, h_mapping_get, "zoom_mapping" },
	{ "PATCH", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON, h_mapping_patch,
	    "zoom_mapping_patch" },
	{ "POST", EV "/interview-action", R_AUTH | R_JSON, h_interview_action,
	    "interview_action" },
	{ "POST", EV "/candidate-review", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_candidate_review, "candidate_review" },
	{ "GET", EV "/candidate-review", R_AUTH | R_STAFF,
	    h_candidate_review_get, "candidate_review_get" },
	{ "POST", EV "/interviewee-join", R_AUTH | R_JSON, h_interviewee_join,
	    "interviewee_join" },
	{ "POST", EV "/zoom-attendance", R_AUTH | R_JSON, h_zoom_attendance,
	    "zoom_attendance" },
	{ "GET", EV "/zoom-joined-user", R_AUTH | R_STAFF, h_zoom_joined,
	    "zoom_joined_user" },
	{ "GET", EV "/hr-user-chatting", R_AUTH, h_chat_get, "chat" },
	{ "POST", EV "/hr-user-chatting", R_AUTH | R_JSON | R_IDEMP,
	    h_chat_post, "chat_post" },

	/* video calls: Zoom signatures, TURN credentials (h_media.c) */
	{ "POST", EV "/generate-zoom-signature", R_AUTH | R_JSON,
	    h_zoom_signature, "zoom_signature" },
	{ "GET", EV "/turn-credentials", R_AUTH, h_turn_credentials,
	    "turn_credentials" },
	{ "POST", EV "/turn-disconnect", R_AUTH | R_OPTJSON, h_turn_disconnect,
	    "turn_disconnect" },
	{ "POST", EV "/call-signal", R_AUTH | R_JSON, h_call_signal,
	    "call_signal" },

	/* a single-use ticket for a socket handshake (h_ws.c) */
	{ "POST", EV "/ws-ticket", R_AUTH | R_OPTJSON, h_ws_ticket,
	    "ws_ticket" },

	/* mail (h_mail.c) */

	/* hiring decisions: the audit log (h_audit.c) */
	{ "GET", EV "/audit", R_AUTH | R_HR, h_audit_get, "audit" },
	/* rubrics and panel scorecards (h_scorecards.c) */
	{ "GET", EV "/round-rubric", R_AUTH | R_STAFF, h_rubric_get,
	    "round_rubric" },
	{ "POST", EV "/round-rubric", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_rubric_create, "round_rubric_create" },
	{ "PATCH", EV "/round-rubric", R_AUTH | R_HR | R_JSON, h_rubric_patch,
	    "round_rubric_patch" },
	{ "GET", EV "/scorecards", R_AUTH | R_STAFF, h_scorecards_get,
	    "scorecards" },
	{ "POST", EV "/scorecards", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_scorecard_post, "scorecard_post" },
	{ "POST", EV "/scorecard-decision", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_scorecard_decide, "scorecard_decision" },
	/* blind screening (h_blind.c) */
	{ "GET", EV "/blind-screening", R_AUTH | R_HR, h_blind_get,
	    "blind_screening" },
	{ "POST", EV "/blind-screening", R_AUTH | R_HR | R_JSON, h_blind_set,
	    "blind_screening_set" },
	/* duplicates with reasons (h_duplicates.c) */
	{ "GET", EV "/duplicates", R_AUTH | R_HR, h_duplicates_get,
	    "duplicates" },
	{ "POST", EV "/duplicates", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_duplicates_post, "duplicates_settle" },
	/* self-identification, adverse impact (h_impact.c) */
	{ "GET", EV "/self-identification", R_AUTH, h_selfid_get,
	    "self_identification" },
	{ "POST", EV "/self-identification", R_AUTH | R_JSON, h_selfid_post,
	    "self_identification_set" },
	{ "GET", EV "/adverse-impact", R_AUTH | R_HR | R_ADMIN, h_impact_get,
	    "adverse_impact" },
	/* candidates' rights and HR's data (h_export.c, h_webhooks.c,
	 * h_status.c, h_privacy.c) */
	{ "GET", EV "/export", R_AUTH | R_HR, h_export, "export" },
	{ "POST", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_create, "webhook_create" },
	{ "GET", EV "/webhooks", R_AUTH | R_HR | R_ADMIN, h_webhook_list,
	    "webhook_list" },
	{ "DELETE", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_disable, "webhook_disable" },
	{ "GET", EV "/webhook-deliveries", R_AUTH | R_HR | R_ADMIN,
	    h_webhook_deliveries, "webhook_deliveries" },
	{ "POST", EV "/webhook-replay", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_replay, "webhook_replay" },
	/* a registration's status link: /bulk_hiring/event/v1/status/<token> */
	{ "GET", EV "/status", R_PREFIX, h_status, "status" },
	{ "POST", EV "/status-link", R_AUTH | R_JSON, h_status_link,
	    "status_link" },
	{ "DELETE", EV "/status-link", R_AUTH | R_JSON, h_status_link_revoke,
	    "status_link_revoke" },
	/* consent, the candidate's own data, erasure (h_privacy.c) */
	{ "POST", UD "/consent", R_JSON, h_consent, "consent" },
	{ "GET", UD "/me/export", R_AUTH, h_me_export, "me_export" },
	{ "DELETE", UD "/me", R_AUTH | R_OPTJSON, h_me_delete, "me_delete" },
	{ "DELETE", EV "/candidate-data", R_AUTH | R_HR | R_JSON,
	    h_candidate_erase, "candidate_erase" },

	/* nchan hooks (h_ws.c), reachable only through internal locations */
	{ "GET", "/internal/ws-auth", R_INTERNAL, h_ws_auth, "ws_auth" },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

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
 * database could not tell (*dbrc for resp_db). */
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

static void
route_allow(struct req *r)
{
	static const char body[] = "{\"error\":{\"code\":"
	    "\"method_not_allowed\",\"message\":\"This path does not accept "
	    "that method.\"}}";
	char	 hdr[128];
	size_t	 i, n = 0;

	n += (size_t)snprintf(hdr, sizeof(hdr), "Allow: ");
	for (i = 0; i < nroutes && n < sizeof(hdr) - 16; i++)
		if (strcmp(routes[i].path, r->path) == 0)
			n += (size_t)snprintf(hdr + n, sizeof(hdr) - n,
			    "%s%s", n > 7 ? ", " : "", routes[i].method);
	snprintf(hdr + n, sizeof(hdr) - n, "\r\n");
	resp_text(r, 405, "application/json", body, strlen(body), hdr);
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

/* Send the kept answer of row 0 of res (IDEM_GET), or 422 when it was
 * another request. */
static void
idem_replay(struct req *r, const PGresult *res, const char *hash)
{
	if (strcmp(PQgetvalue(res, 0, 0), r->route->name) != 0 ||
	    strcmp(PQgetvalue(res, 0, 1), hash) != 0) {
		resp_error(r, 422, "idempotency_key_reused", "This "
		    "Idempotency-Key was used for another request; send a "
		    "new key for a new request.", NULL);
		return;
	}
	resp_text(r, (int)db_long(res, 0, 2), "application/json",
	    PQgetvalue(res, 0, 3), (size_t)PQgetlength(res, 0, 3),
	    "Idempotent-Replayed: true\r\n");
}

/* Run the handler, keeping its answer under the claimed key. */
static void
idem_run(struct req *r, const char *uid, const char *key)
{
	struct buf	 out = { 0 };
	char		 st[16];
	int		 status;

	r->capture = &out;
	r->route->fn(r);
	if (r->status == 0) {
		log_error("handler %s sent no response", r->route->name);
		resp_error(r, 500, "internal_error", "No response.", NULL);
	}
	status = r->status;
	r->capture = NULL;
	r->status = 0;
	snprintf(st, sizeof(st), "%d", status);
	if (status >= 500)
		db_soft(STMT_IDEM_DROP, uid, key);
	else if (db_q(STMT_IDEM_FILL, NULL, uid, key, st, buf_str(&out)) !=
	    DB_OK)
		log_warn("idempotency key of %s: answer not kept", uid);
	resp_text(r, status, "application/json", buf_str(&out), out.len,
	    NULL);
	buf_free(&out);
}

/* The request of an R_IDEMP route: answered here, or run through idem_run. */
static void
idem_dispatch(struct req *r, const char *key)
{
	PGresult	*res = NULL;
	struct buf	 in = { 0 };
	char		 uid[24], hash[SHA256_HEX_LEN];
	int		 rc, waited;

	if (!idem_key_valid(key)) {
		resp_error(r, 400, "invalid_idempotency_key", "An "
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
			idem_run(r, uid, key);
			return;
		}
		PQclear(res);
		if ((rc = db_q(STMT_IDEM_GET, &res, uid, key)) != DB_OK)
			break;
		if (PQntuples(res) == 1 && (!PQgetisnull(res, 0, 2) ||
		    strcmp(PQgetvalue(res, 0, 1), hash) != 0)) {
			idem_replay(r, res, hash);
			PQclear(res);
			return;
		}
		PQclear(res);
		res = NULL;
		if (waited >= IDEM_WAIT_MS) {
			resp_error(r, 409, "idempotency_in_progress", "A "
			    "request with this Idempotency-Key is still "
			    "running; try again in a moment.", NULL);
			return;
		}
		usleep(100000);
	}
	resp_db(r, rc);
}

void
route_dispatch(struct req *r)
{
	const struct route	*rt;
	const char		*why, *ctype, *key;
	int			 known, k, dbrc = 0;

	rt = route_find(r->method, r->path, &known);
	if (rt == NULL) {
		if (known)
			route_allow(r);
		else
			resp_error(r, 404, "not_found", "No such endpoint.",
			    NULL);
		return;
	}
	r->route = rt;
	db_actor(0);
	if ((rt->flags & R_INTERNAL) &&
	    req_param(r, "CONNECTIFY_INTERNAL") == NULL) {
		resp_error(r, 404, "not_found", "No such endpoint.", NULL);
		return;
	}
	if (rt->flags & (R_AUTH | R_OPTAUTH)) {
		k = route_token(r, &why, &dbrc);
		if (k == -2) {
			resp_db(r, dbrc);
			return;
		}
		if (k == -1 && ((rt->flags & R_AUTH) ||
		    req_param(r, "HTTP_AUTHORIZATION") != NULL)) {
			resp_error(r, 401, "not_authenticated", why, NULL);
			return;
		}
	}
	if ((rt->flags & R_HR) && strcmp(r->who.user_type, "Hr") != 0) {
		resp_error(r, 403, "forbidden", "Only HR can do this.", NULL);
		return;
	}
	if ((rt->flags & R_ADMIN) && !r->is_admin) {
		resp_error(r, 403, "forbidden", "Only the organisation's admin "
		    "manages staff accounts and roles.", NULL);
		return;
	}
	if ((rt->flags & R_STAFF) && strcmp(r->who.user_type, "Hr") != 0 &&
	    strcmp(r->who.user_type, "Interviewer") != 0) {
		resp_error(r, 403, "forbidden",
		    "Only HR and interviewers can do this.", NULL);
		return;
	}
	if ((rt->flags & R_JSON) ||
	    ((rt->flags & R_OPTJSON) && r->bodylen > 0)) {
		ctype = req_param(r, "CONTENT_TYPE");
		if (ctype == NULL || strncasecmp(ctype, "application/json",
		    16) != 0) {
			resp_error(r, 415, "unsupported_media_type",
			    "Send the body as application/json.", NULL);
			return;
		}
		if (req_json(r) == -1) {
			resp_error(r, 400, "invalid_json",
			    "The body must be one JSON object.", NULL);
			return;
		}
	}
	if ((rt->flags & R_CACHE) && cache_answer(r))
		return;
	if ((rt->flags & R_IDEMP) && r->authed &&
	    (key = req_param(r, "HTTP_IDEMPOTENCY_KEY")) != NULL) {
		idem_dispatch(r, key);
		return;
	}
	rt->fn(r);
	if (r->status == 0) {
		log_error("handler %s sent no response", rt->name);
		resp_error(r, 500, "internal_error", "No response.", NULL);
	}
}
