/*
 * nchan hooks.  nginx asks GET /internal/ws-auth (through auth_request,
 * a real subrequest) before admitting a WebSocket or EventSource
 * subscriber; the answer's X-Channels header names the channels nginx
 * subscribes it to.  See nginx/connectify.conf.in.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "valid.h"

/*
 * Params: WS_TOKEN (the ?token= of the handshake), WS_USER (the username
 * in the URL, may be empty for /ws/user/), WS_SESSION (a round id, or
 * empty).  200 with X-Channels: user_<username>, plus the interview room
 * room_<interviewer>_<round> for a session; 401 bad token; 403 a username
 * that is not the token's (the original's close code 4003) or a session
 * the user has no place in (the original's 4004).
 */
void
h_ws_auth(struct req *r)
{
	struct claims	 c;
	PGresult	*res = NULL;
	const char	*tok, *user, *why, *session;
	char		 hdr[320], uid[24];
	long		 round;
	int		 rc = DB_OK;

	tok = req_param(r, "WS_TOKEN");
	user = req_param(r, "WS_USER");
	if (tok == NULL || *tok == '\0' ||
	    auth_verify(tok, cfg.secret_key, "access", r->now, &c, &why) == -1) {
		resp_error(r, 401, "not_authenticated", tok == NULL ||
		    *tok == '\0' ? "missing token" : why, NULL);
		return;
	}
	if (user != NULL && *user != '\0' && strcmp(user, c.username) != 0) {
		log_info("ws: token of %s used for %s", c.username, user);
		resp_error(r, 403, "forbidden", "This token belongs to another "
		    "user.", NULL);
		return;
	}
	if (!valid_username(c.username)) {
		resp_error(r, 403, "forbidden", "Bad username.", NULL);
		return;
	}
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
		snprintf(hdr, sizeof(hdr), "X-Channels: user_%s,room_%s_%ld"
		    "\r\nX-User: %s\r\n", c.username, PQgetvalue(res, 0, 0),
		    round, c.username);
		PQclear(res);
	} else
		snprintf(hdr, sizeof(hdr), "X-Channels: user_%s\r\n"
		    "X-User: %s\r\n", c.username, c.username);
	resp_text(r, 200, "text/plain", "", 0, hdr);
}
