/*
 * nchan hooks.  nginx asks GET /internal/ws-auth (through auth_request,
 * a real subrequest) before admitting a WebSocket or EventSource
 * subscriber; the answer's X-Channels header names the channels nginx
 * subscribes it to.  A text frame on an interview socket comes to POST
 * /internal/ws-action (nchan's publisher upstream, through a loopback
 * hop).  See nginx/connectify.conf.in.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "nchan.h"
#include "valid.h"

/*
 * Frames larger than this are answered with an error and the socket
 * stays: nchan 1.3.6's hook path is unreliable from about 4 KB, and the
 * loopback hop refuses frames over 16 KB, which closes the socket.
 * Bigger requests go to the REST endpoint.
 */
#define WS_FRAME_MAX	3584

/*
 * Who a socket is: the claims of WS_TOKEN (the handshake's ?token=), whose
 * username must be WS_USER when given (required when need_user).  0, or
 * -1 after the answer was sent: 401 missing or bad token, 403 a username
 * that is not the token's (the original's close code 4003).
 */
static int
ws_claims(struct req *r, struct claims *c, int need_user)
{
	const char	*tok, *user, *why;
	int		 rc, dbrc = 0;

	tok = req_param(r, "WS_TOKEN");
	user = req_param(r, "WS_USER");
	if (tok == NULL || *tok == '\0' ||
	    auth_verify(tok, cfg.secret_key, "access", r->now, c, &why) == -1) {
		resp_error(r, 401, "not_authenticated", tok == NULL ||
		    *tok == '\0' ? "missing token" : why, NULL);
		return -1;
	}
	r->who = *c;
	if ((rc = cache_account(r, &why, &dbrc)) != 0) {
		memset(&r->who, 0, sizeof(r->who));
		if (rc == -1)
			resp_error(r, 401, "not_authenticated", why, NULL);
		else
			resp_db(r, dbrc);
		return -1;
	}
	if ((need_user && (user == NULL || *user == '\0')) ||
	    (user != NULL && *user != '\0' && strcmp(user, c->username))) {
		log_info("ws: token of %s used for %s", c->username,
		    user != NULL ? user : "");
		resp_error(r, 403, "forbidden", "This token belongs to another "
		    "user.", NULL);
		return -1;
	}
	if (!valid_username(c->username)) {
		resp_error(r, 403, "forbidden", "Bad username.", NULL);
		return -1;
	}
	return 0;
}

/*
 * Params: WS_TOKEN (the ?token= of the handshake), WS_USER (the username
 * in the URL, may be empty for /ws/user/), WS_SESSION (a round id, or
 * empty).  200 with X-Channels: user_<username> (a session's room reaches
 * its members there, see fcgi/h_interviews.c); 401 bad token; 403 a username
 * that is not the token's (the original's close code 4003) or a session
 * the user has no place in (the original's 4004).
 */
void
h_ws_auth(struct req *r)
{
	struct claims	 c;
	PGresult	*res = NULL;
	const char	*session;
	char		 hdr[320], uid[24];
	long		 round;
	int		 rc = DB_OK;

	if (ws_claims(r, &c, 0) == -1)
		return;
	session = req_param(r, "WS_SESSION");
	if (session != NULL && *session != '\0') {
		/* The interview room: the round's interviewer, or the
		 * interviewer the candidate waits for (else 4004's 403). */
		snprintf(uid, sizeof(uid), "%ld", c.user_id);
		if (!valid_long(session, 1, 1L << 62, &round) ||
		    (rc = db_q(STMT_WS_ROOM, &res, session, uid)) != DB_OK ||
		    PQntuples(res) == 0) {
			PQclear(res);
			if (rc != DB_OK) {
				resp_db(r, rc);
				return;
			}
			resp_error(r, 403, "forbidden", "You have no place in "
			    "this session.", NULL);
			return;
		}
		/* Only the user's channel: the app tells a room's members
		 * one by one (fcgi/h_interviews.c). */
		snprintf(hdr, sizeof(hdr), "X-Channels: user_%s\r\n"
		    "X-User: %s\r\n", c.username, c.username);
		PQclear(res);
	} else
		snprintf(hdr, sizeof(hdr), "X-Channels: user_%s\r\n"
		    "X-User: %s\r\n", c.username, c.username);
	resp_text(r, 200, "text/plain", "", 0, hdr);
}

/*
 * Publish to user_<user>: {"type":"action_result","action":A or null,
 * "status":S,"result":R}, where R is the body the REST call would have
 * answered (null when it had none).
 */
static void
ws_result(const char *user, const char *action, int status,
    const struct buf *body)
{
	struct buf	 m = { 0 }, ch = { 0 };

	buf_puts(&m, "{\"type\":\"action_result\",\"action\":");
	if (action != NULL)
		json_put_str(&m, action);
	else
		buf_puts(&m, "null");
	buf_printf(&m, ",\"status\":%d,\"result\":", status);
	if (body->len > 0)
		buf_append(&m, body->data, body->len);
	else
		buf_puts(&m, "null");
	buf_puts(&m, "}");
	buf_printf(&ch, "user_%s", user);
	(void)nchan_publish(ch.data, m.data);
	buf_free(&ch);
	buf_free(&m);
}

/*
 * A text frame of an interview socket: the body of POST interview-action
 * ({"action", "session_id" defaulting to WS_SESSION, ...}) from the user
 * of WS_TOKEN, who must be WS_USER (as in h_ws_auth).  The outcome goes
 * where the REST call sends it; the REST answer, errors included (bad
 * token 401, another user's token 403, frame over WS_FRAME_MAX 413, not
 * one JSON object 400), goes to user_<WS_USER> (see ws_result).  Always
 * 204 with no body: anything else makes nchan close the socket or publish
 * to the frame's channel.
 */
void
h_ws_action(struct req *r)
{
	struct json_object	*v;
	struct claims		 c;
	struct buf		 out = { 0 };
	const char		*user, *session, *action = NULL;
	long			 round;
	int			 status, known;

	user = req_param(r, "WS_USER");
	session = req_param(r, "WS_SESSION");
	known = user != NULL && valid_username(user);
	r->capture = &out;
	if (ws_claims(r, &c, 1) == -1)
		goto out;
	r->who = c;
	r->authed = 1;
	if (r->bodylen > WS_FRAME_MAX) {
		resp_error(r, 413, "frame_too_large", "Frames on the socket "
		    "take up to 3584 bytes; POST larger requests.", NULL);
		goto out;
	}
	if (req_json(r) == -1) {
		resp_error(r, 400, "invalid_json", "A frame must be one JSON "
		    "object.", NULL);
		goto out;
	}
	if (json_object_object_get_ex(r->json, "action", &v) &&
	    json_object_is_type(v, json_type_string))
		action = json_object_get_string(v);
	if ((!json_object_object_get_ex(r->json, "session_id", &v) ||
	    v == NULL) && session != NULL &&
	    valid_long(session, 1, 1L << 62, &round))
		json_object_object_add(r->json, "session_id",
		    json_object_new_int64(round));
	h_interview_action(r);
	if (r->status == 0)
		resp_error(r, 500, "internal_error", "No response.", NULL);
out:
	status = r->status;
	r->capture = NULL;
	r->status = 0;
	log_info("ws: %s %s: %d", known ? user : "?",
	    action != NULL ? action : "-", status);
	if (known)
		ws_result(user, action, status, &out);
	buf_free(&out);
	resp_text(r, 204, NULL, NULL, 0, NULL);
}
