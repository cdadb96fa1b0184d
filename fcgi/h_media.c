/*
 * Video calls: Zoom Video SDK signatures, TURN/ICE credentials with a
 * platform-wide limit on concurrent holders, and the signals of the
 * WebRTC call between an interviewer and a candidate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"
#include "turn.h"
#include "valid.h"
#include "zoom.h"

/* An optional 0/1 member: ZOOM_UNSET when absent. */
static int
media_flag(const struct req *r, const char *name)
{
	return req_has(r, name) ? (int)req_long(r, name) : ZOOM_UNSET;
}

/* geoRegions as the original sent it (a list) or a comma string. */
static void
media_regions_check(const char *name, struct json_object *v,
    struct json_object *errs)
{
	size_t	 i;

	if (json_object_is_type(v, json_type_string))
		return;
	if (json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) <= 12) {
		for (i = 0; i < json_object_array_length(v); i++)
			if (!json_object_is_type(json_object_array_get_idx(v,
			    i), json_type_string))
				break;
		if (i == json_object_array_length(v))
			return;
	}
	jv_err(errs, name, "must be a list of region codes");
}

/* The regions (checked by media_regions_check) as "IN,US", or NULL
 * when there are none. */
static char *
media_regions(struct json_object *v)
{
	struct buf	 b = { 0 };
	size_t		 i;

	if (v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string)) {
		buf_puts(&b, json_object_get_string(v));
		return buf_take(&b);
	}
	for (i = 0; i < json_object_array_length(v); i++)
		buf_printf(&b, "%s%s", i ? "," : "",
		    json_object_get_string(json_object_array_get_idx(v, i)));
	return b.len > 0 ? buf_take(&b) : (buf_free(&b), NULL);
}

const struct field f_zoom_signature[] = {
	{ "role", FT_INT, F_REQ, 0, 1, NULL, NULL },
	{ "sessionName", FT_STR, F_REQ, 1, 200, NULL, NULL },
	{ "expirationSeconds", FT_INT, 0, 1800, 172800, NULL, NULL },
	{ "userIdentity", FT_STR, 0, 1, 35, NULL, NULL },
	{ "sessionKey", FT_STR, 0, 1, 36, NULL, NULL },
	{ "geoRegions", FT_ANY, 0, 0, 0, NULL, media_regions_check },
	{ "cloudRecordingOption", FT_INT, 0, 0, 1, NULL, NULL },
	{ "cloudRecordingElection", FT_INT, 0, 0, 1, NULL, NULL },
	{ "videoWebRtcMode", FT_INT, 0, 0, 1, NULL, NULL },
	{ "audioCompatibleMode", FT_INT, 0, 0, 1, NULL, NULL },
	{ "audioWebRtcMode", FT_INT, 0, 0, 1, NULL, NULL },
	FIELDS_END
};

/*
 * POST generate-zoom-signature {role, sessionName, expirationSeconds, ...}
 * 200 {"signature"}; 400 per-field errors; 403 host role asked by an
 * interviewee; 503 Zoom not configured.
 */
void
h_zoom_signature(struct req *r, struct reply *rp)
{
	struct zoom_sig_req	 z;
	struct json_object	*errs, *o;
	char			*regions, *sig = NULL;

	memset(&z, 0, sizeof(z));
	z.role = (int)req_long(r, "role");
	z.session_name = req_str(r, "sessionName");
	z.expiration_seconds = req_long(r, "expirationSeconds");
	z.user_identity = req_str(r, "userIdentity");
	z.session_key = req_str(r, "sessionKey");
	z.geo_regions = regions = media_regions(req_obj(r, "geoRegions"));
	z.cloud_recording_option = media_flag(r, "cloudRecordingOption");
	z.cloud_recording_election = media_flag(r, "cloudRecordingElection");
	z.video_webrtc_mode = media_flag(r, "videoWebRtcMode");
	z.audio_compatible_mode = media_flag(r, "audioCompatibleMode");
	z.audio_webrtc_mode = media_flag(r, "audioWebRtcMode");
	errs = json_object_new_object();
	if (zoom_sig_validate(&z, errs) > 0) {
		reply_invalid(rp, errs);
		goto out;
	}
	json_object_put(errs);
	if (z.role == 1 && strcmp(r->who.user_type, "Interviewee") == 0) {
		reply_error(rp, 403, "forbidden", "Only HR and interviewers "
		    "may host a session.", NULL);
		goto out;
	}
	if (cfg.zoom_sdk_client_id == NULL ||
	    cfg.zoom_sdk_client_secret == NULL) {
		reply_error(rp, 503, "zoom_not_configured", "Video sessions "
		    "are not configured on this server (ZOOM_SDK_CLIENT_ID "
		    "and ZOOM_SDK_CLIENT_SECRET).", NULL);
		goto out;
	}
	if ((sig = zoom_sig_make(&z, cfg.zoom_sdk_client_id,
	    cfg.zoom_sdk_client_secret, r->now)) == NULL) {
		reply_error(rp, 500, "internal_error", "Could not sign.", NULL);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "signature", json_object_new_string(sig));
	reply_json(rp, 200, o);
out:
	free(sig);
	free(regions);
}

/* The user_id parameter (0: not given) must be the caller: 0 ok, -1
 * after a 403. */
static int
media_self(struct req *r, struct reply *rp, long id)
{
	if (id != 0 && id != r->who.user_id) {
		reply_error(rp, 403, "forbidden", "TURN credentials are issued "
		    "to the signed-in user only.", NULL);
		return -1;
	}
	return 0;
}

static void
media_release(const char *uid)
{
	if (db_q(STMT_TURN_RELEASE, NULL, uid) != DB_OK)
		log_warn("could not release the TURN slot of %s", uid);
}

/* ICE servers from Twilio's Network Traversal Service, or NULL after
 * the answer (502 refused, 503 unavailable). */
static struct json_object *
media_twilio(struct reply *rp)
{
	struct turn_twilio_cfg	 tc;
	struct json_object	*ice = NULL;
	char			 err[256];
	long			 wait;
	enum turn_rc		 trc;

	memset(&tc, 0, sizeof(tc));
	tc.base = cfg.twilio_base_url;
	tc.account_sid = cfg.twilio_account_sid;
	tc.auth_token = cfg.twilio_auth_token;
	tc.api_key = cfg.twilio_api_key;
	tc.api_secret = cfg.twilio_api_secret;
	tc.ttl = cfg.turn_expiry;
	if ((trc = turn_twilio_ice(&tc, &ice, &wait, err, sizeof(err))) ==
	    TURN_OK)
		return ice;
	log_warn("turn: %s", err);
	if (trc == TURN_UPSTREAM_BUSY)
		reply_error(rp, 503, "turn_unavailable", "The TURN provider is "
		    "unavailable; try again shortly.", NULL);
	else
		reply_error(rp, 502, "turn_provider_error", "The TURN provider "
		    "refused the request.", NULL);
	return NULL;
}

/* coturn's credentials for user uid (TURN_SECRET, or in development the
 * SECRET_KEY), or NULL after a 503. */
static struct json_object *
media_coturn(struct req *r, struct reply *rp, const char *uid)
{
	const char	*secret;

	secret = cfg.turn_secret;
	if (secret == NULL && !cfg_production())
		secret = cfg.secret_key;
	if (secret == NULL) {
		reply_error(rp, 503, "turn_not_configured", "TURN is not "
		    "configured on this server (TURN_SECRET).", NULL);
		return NULL;
	}
	return turn_coturn_ice(secret, uid, cfg.turn_expiry, r->now,
	    cfg.turn_urls);
}

const struct field f_turn_credentials[] = {
	{ "user_id", FT_ID, F_QUERY, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * GET turn-credentials?user_id=
 * 200 {"ice_servers", "ttl"}; 429 with Retry-After when TURN_LIMIT users
 * hold credentials; 502/503 when Twilio refuses or is unavailable (a slot
 * granted for this request is given back; one held before is kept).
 */
void
h_turn_credentials(struct req *r, struct reply *rp)
{
	struct json_object	*ice;
	PGresult		*res = NULL;
	char			 uid[24], lim[24], ttl[24];
	long			 wait;
	int			 rc, renewed;

	if (media_self(r, rp, req_long(r, "user_id")) == -1)
		return;
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	snprintf(lim, sizeof(lim), "%ld", cfg.turn_limit);
	snprintf(ttl, sizeof(ttl), "%ld", cfg.turn_expiry);
	if ((rc = db_q(STMT_TURN_ACQUIRE, &res, uid, lim, ttl)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (!db_bool(res, 0, "granted")) {
		wait = db_num(res, 0, "retry_after");
		PQclear(res);
		reply_rate_limited(rp, wait > 0 ? wait : 1, "All TURN relays "
		    "are in use; try again shortly.");
		return;
	}
	renewed = db_bool(res, 0, "renewed");
	PQclear(res);
	if (cfg.turn_provider != NULL &&
	    strcmp(cfg.turn_provider, "twilio") == 0)
		ice = media_twilio(rp);
	else
		ice = media_coturn(r, rp, uid);
	if (ice == NULL) {
		if (!renewed)
			media_release(uid);
		return;
	}
	reply_json(rp, 200, ice);
}

const struct field f_turn_disconnect[] = {
	{ "user_id", FT_ID, 0, 0, 0, NULL, NULL },
	FIELDS_END
};

/* POST turn-disconnect {user_id?}: 200 {"released": bool}. */
void
h_turn_disconnect(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 uid[24];
	int			 rc;

	if (media_self(r, rp, req_long(r, "user_id")) == -1)
		return;
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_TURN_RELEASE, &res, uid)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "released",
	    json_object_new_boolean(PQntuples(res) > 0));
	PQclear(res);
	reply_json(rp, 200, o);
}

/* What call-signal relays: the WebRTC steps between two browsers. */
static const char *const call_kinds[] = { "offer", "answer", "ice",
    "hangup", NULL };

/* The data member: at most 16 KB of JSON. */
static void
call_data_check(const char *name, struct json_object *v,
    struct json_object *errs)
{
	if (strlen(json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN)) > 16384)
		jv_err(errs, name, "must be at most 16 KB");
}

const struct field f_call_signal[] = {
	{ "queue_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "kind", FT_ENUM, F_REQ, 0, 0, call_kinds, NULL },
	{ "data", FT_OBJECT, 0, 0, 0, NULL, call_data_check },
	FIELDS_END
};

/*
 * POST call-signal {queue_id, kind, data}: a step of the WebRTC call
 * between an interview's interviewer and its candidate, relayed to the
 * other one's channel as "call_signal" {queue_id, kind, data, from}.
 * Only those two; offer, answer and ice only while the candidate has
 * accepted or is in interview (409 not_in_call), hangup at any time.
 */
void
h_call_signal(struct req *r, struct reply *rp)
{
	struct json_object	*data, *o;
	PGresult		*res = NULL;
	const char		*kind, *st, *peer;
	char			 q[24];
	long			 qid;
	int			 rc, iv, cand;

	qid = req_long(r, "queue_id");
	kind = req_str(r, "kind");
	data = req_obj(r, "data");
	if (data == NULL && strcmp(kind, "hangup") != 0) {
		o = json_object_new_object();
		jv_err(o, "data", "is required");
		reply_invalid(rp, o);
		return;
	}
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_q(STMT_CALL_PARTIES, &res, q)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		reply_error(rp, 404, "not_found", "No such queue entry.", NULL);
		goto out;
	}
	iv = db_num(res, 0, "interviewer_id") == r->who.user_id;
	cand = db_num(res, 0, "candidate_id") == r->who.user_id;
	st = db_text(res, 0, "status");
	if (!iv && !cand) {
		reply_error(rp, 403, "forbidden", "Only the interviewer and "
		    "the candidate of this interview take part in its call.",
		    NULL);
		goto out;
	}
	if (strcmp(kind, "hangup") && strcmp(st, "accepted") &&
	    strcmp(st, "in_interview")) {
		reply_error(rp, 409, "not_in_call", "The candidate has not "
		    "accepted this interview.", NULL);
		goto out;
	}
	peer = db_text(res, 0, iv ? "candidate" : "interviewer");
	o = json_object_new_object();
	json_object_object_add(o, "queue_id", json_object_new_int64(qid));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	if (data != NULL)
		json_object_object_add(o, "data", json_object_get(data));
	json_object_object_add(o, "from",
	    json_object_new_string(r->who.username));
	tell("call_signal", peer, NULL, NULL, o);
	o = json_object_new_object();
	json_object_object_add(o, "sent", json_object_new_boolean(1));
	reply_json(rp, 202, o);
out:
	PQclear(res);
}
