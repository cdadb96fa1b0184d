/*
 * route: the one route table, and the checks every request passes before
 * its handler runs (method, path, internal-only, token, role, JSON body).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
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
	{ "PATCH", UD "/fetch-user", R_AUTH | R_HR | R_JSON,
	    h_fetch_user_patch, "fetch_user_patch" },
	{ "POST", UD "/register-interviewer", R_AUTH | R_HR | R_JSON,
	    h_register_interviewer, "register_interviewer" },
	/* events, registrations, analytics (h_events.c, h_registrations.c,
	 * h_analytics.c, h_files.c) */
#define EV	"/bulk_hiring/event/v1"
	{ "POST", EV "/event", R_AUTH | R_HR | R_JSON, h_event_create,
	    "event_create" },
	{ "GET", EV "/event", R_AUTH | R_CACHE, h_event_list, "event_list" },
	{ "PATCH", EV "/event", R_AUTH | R_HR | R_JSON, h_event_patch,
	    "event_patch" },
	{ "GET", EV "/event-detail", R_AUTH | R_CACHE, h_event_detail,
	    "event_detail" },
	{ "POST", EV "/event-resumes", R_AUTH | R_HR | R_JSON, h_event_resumes,
	    "event_resumes" },
	{ "POST", EV "/event-rescore", R_AUTH | R_HR | R_JSON, h_event_rescore,
	    "event_rescore" },
	{ "GET", EV "/skills", R_AUTH | R_CACHE, h_skills_list, "skills_list" },
	{ "POST", EV "/skills", R_AUTH | R_HR | R_JSON, h_skills_create,
	    "skills_create" },
	{ "POST", EV "/suggest-skills", R_AUTH | R_HR | R_JSON,
	    h_suggest_skills, "suggest_skills" },
	{ "GET", EV "/departments", R_AUTH | R_CACHE, h_departments_list,
	    "departments_list" },
	{ "POST", EV "/departments", R_AUTH | R_HR | R_JSON,
	    h_departments_create, "departments_create" },
	{ "POST", EV "/event-register", R_AUTH | R_JSON, h_event_register,
	    "event_register" },
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
	{ "POST", UD "/send-event-mail", R_AUTH | R_HR | R_JSON,
	    h_send_event_mail, "send_event_mail" },
	/* signed, expiring resume links: /bulk_hiring/files/<key> */
	{ "GET", "/bulk_hiring/files", R_PREFIX, h_file, "files" },

	/* interview day: queues, actions, reviews, attendance, chat
	 * (h_interviews.c) */
	{ "POST", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON, h_mapping_create,
	    "zoom_mapping_create" },
	{ "GET", EV "/zoom-mapping", R_AUTH, h_mapping_get, "zoom_mapping" },
	{ "PATCH", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON, h_mapping_patch,
	    "zoom_mapping_patch" },
	{ "POST", EV "/interview-action", R_AUTH | R_JSON, h_interview_action,
	    "interview_action" },
	{ "POST", EV "/candidate-review", R_AUTH | R_STAFF | R_JSON,
	    h_candidate_review, "candidate_review" },
	{ "POST", EV "/interviewee-join", R_AUTH | R_JSON, h_interviewee_join,
	    "interviewee_join" },
	{ "POST", EV "/zoom-attendance", R_AUTH | R_JSON, h_zoom_attendance,
	    "zoom_attendance" },
	{ "GET", EV "/zoom-joined-user", R_AUTH | R_STAFF, h_zoom_joined,
	    "zoom_joined_user" },
	{ "GET", EV "/hr-user-chatting", R_AUTH, h_chat_get, "chat" },
	{ "POST", EV "/hr-user-chatting", R_AUTH | R_JSON, h_chat_post,
	    "chat_post" },

	/* video calls: Zoom signatures, TURN credentials (h_media.c) */
	{ "POST", EV "/generate-zoom-signature", R_AUTH | R_JSON,
	    h_zoom_signature, "zoom_signature" },
	{ "GET", EV "/turn-credentials", R_AUTH, h_turn_credentials,
	    "turn_credentials" },
	{ "POST", EV "/turn-disconnect", R_AUTH | R_OPTJSON, h_turn_disconnect,
	    "turn_disconnect" },

	/* mail (h_mail.c) */

	/* nchan hooks (h_ws.c), reachable only through internal locations */
	{ "GET", "/internal/ws-auth", R_INTERNAL, h_ws_auth, "ws_auth" },
	{ "POST", "/internal/ws-action", R_INTERNAL, h_ws_action, "ws_action" },
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

/* Read "Authorization: Bearer <token>" into r->who; 0, or -1 with why. */
static int
route_token(struct req *r, const char **why)
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
	r->authed = 1;
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

void
route_dispatch(struct req *r)
{
	const struct route	*rt;
	const char		*why, *ctype;
	int			 known;

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
	if ((rt->flags & R_INTERNAL) &&
	    req_param(r, "CONNECTIFY_INTERNAL") == NULL) {
		resp_error(r, 404, "not_found", "No such endpoint.", NULL);
		return;
	}
	if (rt->flags & (R_AUTH | R_OPTAUTH)) {
		if (route_token(r, &why) == -1 && ((rt->flags & R_AUTH) ||
		    req_param(r, "HTTP_AUTHORIZATION") != NULL)) {
			resp_error(r, 401, "not_authenticated", why, NULL);
			return;
		}
	}
	if ((rt->flags & R_HR) && strcmp(r->who.user_type, "Hr") != 0) {
		resp_error(r, 403, "forbidden", "Only HR can do this.", NULL);
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
	rt->fn(r);
	if (r->status == 0) {
		log_error("handler %s sent no response", rt->name);
		resp_error(r, 500, "internal_error", "No response.", NULL);
	}
}
