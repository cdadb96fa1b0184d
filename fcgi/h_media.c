/*
 * Video calls: Zoom Video SDK signatures and TURN/ICE credentials with a
 * platform-wide limit on concurrent holders.
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

/* An optional 0/1 member: ZOOM_UNSET when absent, 2 (invalid) on junk. */
static int
media_flag(struct json_object *body, const char *key, struct json_object *errs)
{
	long	 v;
	int	 rc;

	rc = jv_long(body, key, 0, 0, 1, &v, errs);
	return rc == 1 ? (int)v : rc == 0 ? ZOOM_UNSET : 2;
}

/* geoRegions as the original sent it (a list) or a comma string. */
static char *
media_regions(struct json_object *body, struct json_object *errs)
{
	struct json_object	*v, *e;
	struct buf		 b = { 0 };
	size_t			 i;

	if (!json_object_object_get_ex(body, "geoRegions", &v) || v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string)) {
		buf_puts(&b, json_object_get_string(v));
		return buf_take(&b);
	}
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) > 12) {
		jv_err(errs, "geoRegions", "must be a list of region codes");
		return NULL;
	}
	for (i = 0; i < json_object_array_length(v); i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_string)) {
			jv_err(errs, "geoRegions", "must be a list of region "
			    "codes");
			buf_free(&b);
			return NULL;
		}
		buf_printf(&b, "%s%s", i ? "," : "", json_object_get_string(e));
	}
	return b.len > 0 ? buf_take(&b) : (buf_free(&b), NULL);
}

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
	long			 v;

	errs = json_object_new_object();
	memset(&z, 0, sizeof(z));
	z.role = jv_long(r->json, "role", 1, 0, 1, &v, errs) == 1 ? (int)v : 0;
	z.session_name = jv_str(r->json, "sessionName", 1, 1, 200, errs);
	if (jv_long(r->json, "expirationSeconds", 0, 1800, 172800, &v,
	    errs) == 1)
		z.expiration_seconds = v;
	z.user_identity = jv_str(r->json, "userIdentity", 0, 1, 35, errs);
	z.session_key = jv_str(r->json, "sessionKey", 0, 1, 36, errs);
	regions = media_regions(r->json, errs);
	z.geo_regions = regions;
	z.cloud_recording_option = media_flag(r->json, "cloudRecordingOption",
	    errs);
	z.cloud_recording_election = media_flag(r->json,
	    "cloudRecordingElection", errs);
	z.video_webrtc_mode = media_flag(r->json, "videoWebRtcMode", errs);
	z.audio_compatible_mode = media_flag(r->json, "audioCompatibleMode",
	    errs);
	z.audio_webrtc_mode = media_flag(r->json, "audioWebRtcMode", errs);
	if (json_object_object_length(errs) == 0)
		(void)zoom_sig_validate(&z, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		goto out;
	}
	json_object_put(errs);
	if (z.role == 1 && strcmp(r->who.user_type, "Interviewee") == 0) {
		reply_error(rp, 403, "forbidden", "Only HR and interviewers may "
		    "host a session.", NULL);
		goto out;
	}
	if (cfg.zoom_sdk_client_id == NULL ||
	    cfg.zoom_sdk_client_secret == NULL) {
		reply_error(rp, 503, "zoom_not_configured", "Video sessions are "
		    "not configured on this server (ZOOM_SDK_CLIENT_ID and "
		    "ZOOM_SDK_CLIENT_SECRET).", NULL);
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

/* The user_id parameter, when given, must be the caller: 0 ok, -1 sent. */
static int
media_self(struct req *r, struct reply *rp, const char *v)
{
	struct json_object	*errs;
	long			 id;

	if (v == NULL || *v == '\0')
		return 0;
	if (!valid_long(v, 1, 1L << 62, &id)) {
		errs = json_object_new_object();
		jv_err(errs, "user_id", "must be a user id");
		reply_invalid(rp, errs);
		return -1;
	}
	if (id != r->who.user_id) {
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

/*
 * GET turn-credentials?user_id=
 * 200 {"ice_servers", "ttl"}; 429 with Retry-After when TURN_LIMIT users
 * hold credentials; 502/503 when Twilio refuses or is unavailable (a slot
 * granted for this request is given back; one held before is kept).
 */
void
h_turn_credentials(struct req *r, struct reply *rp)
{
	struct turn_twilio_cfg	 tc;
	struct json_object	*ice = NULL;
	PGresult		*res = NULL;
	const char		*secret;
	char			 uid[24], lim[24], ttl[24], err[256];
	long			 wait;
	enum turn_rc		 trc;
	int			 rc, renewed;

	if (media_self(r, rp, req_qs(r, "user_id")) == -1)
		return;
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	snprintf(lim, sizeof(lim), "%ld", cfg.turn_limit);
	snprintf(ttl, sizeof(ttl), "%ld", cfg.turn_expiry);
	if ((rc = db_q(STMT_TURN_ACQUIRE, &res, uid, lim, ttl)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQgetvalue(res, 0, 0)[0] != 't') {
		wait = db_long(res, 0, 1);
		PQclear(res);
		reply_rate_limited(rp, wait > 0 ? wait : 1, "All TURN relays are "
		    "in use; try again shortly.");
		return;
	}
	renewed = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	if (cfg.turn_provider != NULL &&
	    strcmp(cfg.turn_provider, "twilio") == 0) {
		memset(&tc, 0, sizeof(tc));
		tc.base = cfg.twilio_base_url;
		tc.account_sid = cfg.twilio_account_sid;
		tc.auth_token = cfg.twilio_auth_token;
		tc.api_key = cfg.twilio_api_key;
		tc.api_secret = cfg.twilio_api_secret;
		tc.ttl = cfg.turn_expiry;
		trc = turn_twilio_ice(&tc, &ice, &wait, err, sizeof(err));
		if (trc != TURN_OK) {
			if (!renewed)
				media_release(uid);
			log_warn("turn: %s", err);
			if (trc == TURN_UPSTREAM_BUSY)
				reply_error(rp, 503, "turn_unavailable", "The TURN "
				    "provider is unavailable; try again "
				    "shortly.", NULL);
			else
				reply_error(rp, 502, "turn_provider_error", "The "
				    "TURN provider refused the request.", NULL);
			return;
		}
	} else {
		/* coturn: TURN_SECRET, or in development the SECRET_KEY. */
		secret = cfg.turn_secret;
		if (secret == NULL && !cfg_production())
			secret = cfg.secret_key;
		if (secret == NULL) {
			if (!renewed)
				media_release(uid);
			reply_error(rp, 503, "turn_not_configured", "TURN is not "
			    "configured on this server (TURN_SECRET).", NULL);
			return;
		}
		ice = turn_coturn_ice(secret, uid, cfg.turn_expiry, r->now,
		    cfg.turn_urls);
	}
	reply_json(rp, 200, ice);
}

/* POST turn-disconnect {user_id?}: 200 {"released": bool}. */
void
h_turn_disconnect(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	char			 uid[24], given[24];
	long			 v;
	int			 rc;

	given[0] = '\0';
	if (r->json != NULL) {
		o = json_object_new_object();
		rc = jv_long(r->json, "user_id", 0, 1, 1L << 62, &v, o);
		if (rc == -1) {
			reply_invalid(rp, o);
			return;
		}
		json_object_put(o);
		if (rc == 1)
			snprintf(given, sizeof(given), "%ld", v);
	}
	if (media_self(r, rp, given) == -1)
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

/* The body of call-signal: 0, or -1 after answering 400. */
static int
call_read(struct req *r, struct reply *rp, long *qid, const char **kind,
    struct json_object **data)
{
	struct json_object	*errs;
	size_t			 i;

	errs = json_object_new_object();
	(void)jv_long(r->json, "queue_id", 1, 1, 1L << 62, qid, errs);
	if ((*kind = jv_str(r->json, "kind", 1, 1, 16, errs)) != NULL) {
		for (i = 0; call_kinds[i] != NULL &&
		    strcmp(call_kinds[i], *kind); i++)
			continue;
		if (call_kinds[i] == NULL)
			jv_err(errs, "kind", "must be offer, answer, ice or "
			    "hangup");
	}
	*data = NULL;
	if (json_object_object_get_ex(r->json, "data", data) &&
	    !json_object_is_type(*data, json_type_object))
		jv_err(errs, "data", "must be an object");
	else if (*data != NULL && strlen(json_object_to_json_string_ext(*data,
	    JSON_C_TO_STRING_PLAIN)) > 16384)
		jv_err(errs, "data", "must be at most 16 KB");
	else if (*data == NULL && *kind != NULL && strcmp(*kind, "hangup"))
		jv_err(errs, "data", "is required");
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return -1;
	}
	json_object_put(errs);
	return 0;
}

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

	if (call_read(r, rp, &qid, &kind, &data) == -1)
		return;
	snprintf(q, sizeof(q), "%ld", qid);
	if ((rc = db_q(STMT_CALL_PARTIES, &res, q)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		reply_error(rp, 404, "not_found", "No such queue entry.", NULL);
		goto out;
	}
	iv = db_long(res, 0, 1) == r->who.user_id;
	cand = db_long(res, 0, 3) == r->who.user_id;
	st = PQgetvalue(res, 0, 0);
	if (!iv && !cand) {
		reply_error(rp, 403, "forbidden", "Only the interviewer and the "
		    "candidate of this interview take part in its call.",
		    NULL);
		goto out;
	}
	if (strcmp(kind, "hangup") && strcmp(st, "accepted") &&
	    strcmp(st, "in_interview")) {
		reply_error(rp, 409, "not_in_call", "The candidate has not "
		    "accepted this interview.", NULL);
		goto out;
	}
	peer = PQgetvalue(res, 0, iv ? 4 : 2);
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
