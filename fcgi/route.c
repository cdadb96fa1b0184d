/*
 * route: the one route table (method, path, flags, handler, name, declared
 * fields), the lookup, and its listing for connectify-fcgi --routes.  The
 * checks every request passes and the one place that answers are in
 * dispatch.c.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "extern.h"

#define UD	"/bulk_hiring/user_data/v1"

const struct route routes[] = {
	/* operations */
	{ "GET", "/healthz", 0, h_healthz, "healthz", f_healthz },
	{ "GET", "/metrics", 0, h_metrics, "metrics", f_metrics },
	/* accounts (h_auth.c) */
	{ "POST", UD "/signup", R_JSON | R_OPTAUTH, h_signup, "signup",
	    f_signup },
	{ "POST", UD "/login/send-otp", R_JSON, h_send_otp, "send_otp",
	    f_send_otp },
	{ "POST", UD "/login/verify-otp", R_JSON, h_verify_otp, "verify_otp",
	    f_verify_otp },
	{ "POST", UD "/token/refresh", R_JSON, h_token_refresh,
	    "token_refresh", f_token_refresh },
	{ "POST", UD "/logout", R_JSON, h_logout, "logout", f_logout },
	/* users (h_users.c) */
	{ "GET", UD "/me", R_AUTH, h_me, "me", f_me },
	{ "GET", UD "/user-data", R_AUTH | R_HR | R_CACHE, h_user_data,
	    "user_data", f_user_data },
	{ "GET", UD "/fetch-user", R_AUTH | R_HR | R_CACHE, h_fetch_user,
	    "fetch_user", f_fetch_user },
	{ "PATCH", UD "/fetch-user", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_fetch_user_patch, "fetch_user_patch", f_fetch_user_patch },
	{ "POST", UD "/register-interviewer", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_register_interviewer, "register_interviewer",
	    f_register_interviewer },
	/* events (h_events.c, h_event_change.c), the catalog (h_catalog.c)
	 * and registrations (h_registrations.c) */
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
	    "event_owner_add", f_event_owner },
	{ "DELETE", EV "/event-owner", R_AUTH | R_HR | R_JSON,
	    h_event_owner_remove, "event_owner_remove", f_event_owner },
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
	    h_event_register, "event_register", f_event_register },
	{ "GET", EV "/register_user", R_AUTH | R_STAFF | R_CACHE,
	    h_register_user, "register_user", f_register_user },
	{ "GET", EV "/user-event-data", R_AUTH | R_CACHE, h_user_event_data,
	    "user_event_data", f_user_event_data },
	{ "PATCH", EV "/modified-shortlisted", R_AUTH | R_HR | R_JSON,
	    h_modified_shortlisted, "modified_shortlisted",
	    f_modified_shortlisted },
	{ "GET", EV "/all-selected-users", R_AUTH | R_STAFF | R_CACHE,
	    h_all_selected, "all_selected_users", f_all_selected_users },
	{ "GET", EV "/assessment-questions", R_AUTH | R_STAFF | R_CACHE,
	    h_assessment_questions, "assessment_questions",
	    f_assessment_questions },
	{ "GET", EV "/resume-processing-track", R_AUTH | R_HR | R_CACHE,
	    h_resume_tracks, "resume_processing_track",
	    f_resume_processing_track },
	/* the HR dashboard's counts (h_stats.c) */
	{ "GET", EV "/application-count", R_AUTH | R_HR | R_CACHE,
	    h_application_count, "application_count", f_application_count },
	{ "GET", EV "/application-by-department", R_AUTH | R_HR | R_CACHE,
	    h_stats_department, "application_by_department",
	    f_application_by_department },
	{ "GET", EV "/job-application-status", R_AUTH | R_HR | R_CACHE,
	    h_stats_status, "job_application_status",
	    f_job_application_status },
	/* signed, expiring resume links: /bulk_hiring/files/<key> */
	{ "GET", "/bulk_hiring/files", R_PREFIX, h_file, "files", f_files },

	/* interview day: queues (h_queues.c), actions (h_actions.c),
	 * reviews (h_reviews.c), attendance (h_attend.c), chat (h_chat.c) */
	{ "POST", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_mapping_create, "zoom_mapping_create", f_zoom_mapping_create },
	{ "GET", EV "/zoom-mapping", R_AUTH, h_mapping_get, "zoom_mapping",
	    f_zoom_mapping },
	{ "PATCH", EV "/zoom-mapping", R_AUTH | R_HR | R_JSON, h_mapping_patch,
	    "zoom_mapping_patch", f_zoom_mapping_patch },
	{ "POST", EV "/interview-action", R_AUTH | R_JSON, h_interview_action,
	    "interview_action", f_interview_action },
	{ "POST", EV "/candidate-review", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_candidate_review, "candidate_review", f_candidate_review },
	{ "GET", EV "/candidate-review", R_AUTH | R_STAFF,
	    h_candidate_review_get, "candidate_review_get",
	    f_candidate_review_get },
	{ "POST", EV "/interviewee-join", R_AUTH | R_JSON, h_interviewee_join,
	    "interviewee_join", f_interviewee_join },
	{ "POST", EV "/zoom-attendance", R_AUTH | R_JSON, h_zoom_attendance,
	    "zoom_attendance", f_zoom_attendance },
	{ "GET", EV "/zoom-joined-user", R_AUTH | R_STAFF, h_zoom_joined,
	    "zoom_joined_user", f_zoom_joined_user },
	{ "GET", EV "/hr-user-chatting", R_AUTH, h_chat_get, "chat", f_chat },
	{ "POST", EV "/hr-user-chatting", R_AUTH | R_JSON | R_IDEMP,
	    h_chat_post, "chat_post", f_chat_post },

	/* video calls: Zoom signatures, TURN credentials (h_media.c) */
	{ "POST", EV "/generate-zoom-signature", R_AUTH | R_JSON,
	    h_zoom_signature, "zoom_signature", f_zoom_signature },
	{ "GET", EV "/turn-credentials", R_AUTH, h_turn_credentials,
	    "turn_credentials", f_turn_credentials },
	{ "POST", EV "/turn-disconnect", R_AUTH | R_OPTJSON, h_turn_disconnect,
	    "turn_disconnect", f_turn_disconnect },
	{ "POST", EV "/call-signal", R_AUTH | R_JSON, h_call_signal,
	    "call_signal", f_call_signal },

	/* a single-use ticket for a socket handshake (h_ws.c) */
	{ "POST", EV "/ws-ticket", R_AUTH | R_OPTJSON, h_ws_ticket,
	    "ws_ticket", f_ws_ticket },

	/* mailing an event's people (h_mail.c) */
	{ "POST", UD "/send-event-mail", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_send_event_mail, "send_event_mail", f_send_event_mail },

	/* hiring decisions: the audit log (h_audit.c) */
	{ "GET", EV "/audit", R_AUTH | R_HR, h_audit_get, "audit", f_audit },
	/* rubrics (h_rubrics.c) and panel scorecards (h_scorecards.c) */
	{ "GET", EV "/round-rubric", R_AUTH | R_STAFF, h_rubric_get,
	    "round_rubric", f_round_rubric },
	{ "POST", EV "/round-rubric", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_rubric_create, "round_rubric_create", f_round_rubric_create },
	{ "PATCH", EV "/round-rubric", R_AUTH | R_HR | R_JSON, h_rubric_patch,
	    "round_rubric_patch", f_round_rubric_patch },
	{ "GET", EV "/scorecards", R_AUTH | R_STAFF, h_scorecards_get,
	    "scorecards", f_scorecards },
	{ "POST", EV "/scorecards", R_AUTH | R_STAFF | R_JSON | R_IDEMP,
	    h_scorecard_post, "scorecard_post", f_scorecard_post },
	{ "POST", EV "/scorecard-decision", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_scorecard_decide, "scorecard_decision", f_scorecard_decision },
	/* blind screening (h_blind.c) */
	{ "GET", EV "/blind-screening", R_AUTH | R_HR, h_blind_get,
	    "blind_screening", f_blind_screening },
	{ "POST", EV "/blind-screening", R_AUTH | R_HR | R_JSON, h_blind_set,
	    "blind_screening_set", f_blind_screening_set },
	/* duplicates with reasons (h_duplicates.c) */
	{ "GET", EV "/duplicates", R_AUTH | R_HR, h_duplicates_get,
	    "duplicates", f_duplicates },
	{ "POST", EV "/duplicates", R_AUTH | R_HR | R_JSON | R_IDEMP,
	    h_duplicates_post, "duplicates_settle", f_duplicates_settle },
	/* self-identification, adverse impact (h_impact.c) */
	{ "GET", EV "/self-identification", R_AUTH, h_selfid_get,
	    "self_identification", f_self_identification },
	{ "POST", EV "/self-identification", R_AUTH | R_JSON, h_selfid_post,
	    "self_identification_set", f_self_identification_set },
	{ "GET", EV "/adverse-impact", R_AUTH | R_HR | R_ADMIN, h_impact_get,
	    "adverse_impact", f_adverse_impact },
	/* candidates' rights and HR's data (h_export.c, h_webhooks.c,
	 * h_status.c, h_privacy.c) */
	{ "GET", EV "/export", R_AUTH | R_HR, h_export, "export", f_export },
	{ "POST", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_create, "webhook_create", f_webhook_create },
	{ "GET", EV "/webhooks", R_AUTH | R_HR | R_ADMIN, h_webhook_list,
	    "webhook_list", f_webhook_list },
	{ "DELETE", EV "/webhooks", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_disable, "webhook_disable", f_webhook_disable },
	{ "GET", EV "/webhook-deliveries", R_AUTH | R_HR | R_ADMIN,
	    h_webhook_deliveries, "webhook_deliveries", f_webhook_deliveries },
	{ "POST", EV "/webhook-replay", R_AUTH | R_HR | R_ADMIN | R_JSON,
	    h_webhook_replay, "webhook_replay", f_webhook_replay },
	/* a registration's status link: /bulk_hiring/event/v1/status/<token> */
	{ "GET", EV "/status", R_PREFIX, h_status, "status", f_status },
	{ "POST", EV "/status-link", R_AUTH | R_JSON, h_status_link,
	    "status_link", f_status_link },
	{ "DELETE", EV "/status-link", R_AUTH | R_JSON, h_status_link_revoke,
	    "status_link_revoke", f_status_link_revoke },
	/* consent, the candidate's own data, erasure (h_privacy.c) */
	{ "POST", UD "/consent", R_JSON, h_consent, "consent", f_consent },
	{ "GET", UD "/me/export", R_AUTH, h_me_export, "me_export",
	    f_me_export },
	{ "DELETE", UD "/me", R_AUTH | R_OPTJSON, h_me_delete, "me_delete",
	    f_me_delete },
	{ "DELETE", EV "/candidate-data", R_AUTH | R_HR | R_JSON,
	    h_candidate_erase, "candidate_erase", f_candidate_erase },

	/* nchan hooks (h_ws.c), reachable only through internal locations */
	{ "GET", "/internal/ws-auth", R_INTERNAL, h_ws_auth, "ws_auth",
	    f_ws_auth },
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

static const char *const ftype_names[] = {
	"id", "integer", "number", "boolean", "string", "text", "date",
	"enum", "array", "object", "any"
};

/* The fields of rt as a JSON array. */
static struct json_object *
route_fields_json(const struct route *rt)
{
	const struct field	*f;
	struct json_object	*a, *o, *v;
	size_t			 i;

	a = json_object_new_array();
	for (f = rt->fields; f != NULL && f->name != NULL; f++) {
		o = json_object_new_object();
		json_object_object_add(o, "name",
		    json_object_new_string(f->name));
		json_object_object_add(o, "in", json_object_new_string(
		    (f->flags & F_QUERY) ? "query" : "body"));
		json_object_object_add(o, "type",
		    json_object_new_string(ftype_names[f->type]));
		json_object_object_add(o, "required",
		    json_object_new_boolean((f->flags & F_REQ) != 0));
		json_object_object_add(o, "nullable",
		    json_object_new_boolean((f->flags & F_NULL) != 0));
		if (f->type == FT_INT || f->type == FT_NUM ||
		    f->type == FT_STR || f->type == FT_TEXT ||
		    f->type == FT_ARRAY) {
			json_object_object_add(o, "min",
			    json_object_new_int64(f->min));
			json_object_object_add(o, "max",
			    json_object_new_int64(f->max));
		}
		if (f->values != NULL) {
			v = json_object_new_array();
			for (i = 0; f->values[i] != NULL; i++)
				json_object_array_add(v,
				    json_object_new_string(f->values[i]));
			json_object_object_add(o, "values", v);
		}
		json_object_array_add(a, o);
	}
	return a;
}

void
route_print(FILE *fp)
{
	struct json_object	*a, *o;
	size_t			 i;

	a = json_object_new_array();
	for (i = 0; i < nroutes; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "method",
		    json_object_new_string(routes[i].method));
		json_object_object_add(o, "path",
		    json_object_new_string(routes[i].path));
		json_object_object_add(o, "name",
		    json_object_new_string(routes[i].name));
		json_object_object_add(o, "flags",
		    json_object_new_int(routes[i].flags));
		json_object_object_add(o, "fields",
		    route_fields_json(&routes[i]));
		json_object_array_add(a, o);
	}
	fprintf(fp, "%s\n", json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
}
