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
#include "extern.h"
#include "log.h"
#include "valid.h"

/*
 * Params: WS_TOKEN (the ?token= of the handshake), WS_USER (the username
 * in the URL, may be empty for /ws/user/), WS_SESSION (may be empty).
 * 200 with X-Channels: user_<username>; 401 bad token; 403 a username
 * that is not the token's (the original's close code 4003).
 */
void
h_ws_auth(struct req *r)
{
	struct claims	 c;
	const char	*tok, *user, *why;
	char		 hdr[160];

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
	snprintf(hdr, sizeof(hdr), "X-Channels: user_%s\r\nX-User: %s\r\n",
	    c.username, c.username);
	resp_text(r, 200, "text/plain", "", 0, hdr);
}
