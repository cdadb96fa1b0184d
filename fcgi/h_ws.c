/*
 * Socket admission.  nginx asks GET /internal/ws-auth (through
 * auth_request, a real subrequest) before admitting a WebSocket or
 * EventSource subscriber; the answer's X-Channels header names the
 * channels nginx subscribes it to.  Sockets only receive: actions are
 * REST calls (interview-action/).  See nginx/connectify.conf.in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "buf.h"
#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "nchan.h"
#include "valid.h"

/* Seconds a socket ticket lives, and its length (base64url of 32 bytes). */
#define WS_TICKET_TTL	30
#define WS_TICKET_LEN	43

/*
 * The user of ticket (WS_TICKET), used up here whatever the outcome:
 * 0 with c filled, or -1 after a 401 (unknown, used or expired).
 */
static int
ws_ticket_use(struct reply *rp, const char *ticket,
    struct claims *c)
{
	PGresult	*res = NULL;
	char		 hash[SHA256_HEX_LEN];
	size_t		 i, n = strlen(ticket);
	int		 rc;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)ticket[i]) && ticket[i] != '-' &&
		    ticket[i] != '_')
			break;
	if (n != WS_TICKET_LEN || i != n) {
		reply_error(rp, 401, "not_authenticated", "bad ticket", NULL);
		return -1;
	}
	sha256_hex(ticket, n, hash);
	if ((rc = db_q(STMT_WS_TICKET_USE, &res, hash)) != DB_OK) {
		reply_db(rp, rc);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 401, "not_authenticated", "unknown, used or "
		    "expired ticket", NULL);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->user_id = db_num(res, 0, "id");
	snprintf(c->username, sizeof(c->username), "%s",
	    db_text(res, 0, "username"));
	snprintf(c->user_type, sizeof(c->user_type), "%s",
	    db_text(res, 0, "user_type"));
	snprintf(c->token_type, sizeof(c->token_type), "access");
	PQclear(res);
	return 0;
}

/*
 * Who a socket is: the user of WS_TICKET (a ticket from POST ws-ticket/)
 * or else of WS_TOKEN (the original's ?token=), whose username must be
 * WS_USER when given.  0, or -1 after the answer was sent: 401 missing or
 * bad ticket or token, 403 a username that is not its user's (the
 * original's close code 4003).
 */
static int
ws_claims(struct req *r, struct reply *rp, struct claims *c)
{
	const char	*tok, *ticket, *user, *why;
	int		 rc, dbrc = 0;

	tok = req_param(r, "WS_TOKEN");
	ticket = req_param(r, "WS_TICKET");
	user = req_param(r, "WS_USER");
	if (ticket != NULL && *ticket != '\0') {
		if (ws_ticket_use(rp, ticket, c) == -1)
			return -1;
	} else if (tok == NULL || *tok == '\0' ||
	    auth_verify(tok, cfg.secret_key, "access", r->now, c, &why) == -1) {
		reply_error(rp, 401, "not_authenticated", tok == NULL ||
		    *tok == '\0' ? "missing ticket or token" : why, NULL);
		return -1;
	} else {
		/* A token signed out, or of an account deactivated, deleted
		 * or given another role, no longer opens a socket. */
		r->who = *c;
		if ((rc = cache_account(r, &why, &dbrc)) != 0) {
			memset(&r->who, 0, sizeof(r->who));
			if (rc == -1)
				reply_error(rp, 401, "not_authenticated", why,
				    NULL);
			else
				reply_db(rp, dbrc);
			return -1;
		}
	}
	if (user != NULL && *user != '\0' && strcmp(user, c->username)) {
		log_info("ws: ticket or token of %s used for %s", c->username,
		    user);
		reply_error(rp, 403, "forbidden", "This token belongs to "
		    "another user.", NULL);
		return -1;
	}
	if (!valid_username(c->username)) {
		reply_error(rp, 403, "forbidden", "Bad username.", NULL);
		return -1;
	}
	return 0;
}

const struct field f_ws_ticket[] = {
	FIELDS_END
};

/*
 * POST ws-ticket/: a single-use ticket for the signed-in user's next
 * socket handshake (?ticket=), valid WS_TICKET_TTL seconds.  Only its
 * SHA-256 is stored.  200 {"ticket", "expires_in"}.
 */
void
h_ws_ticket(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	unsigned char		 raw[32];
	char			 hash[SHA256_HEX_LEN], uid[24], ttl[16];
	char			*ticket = NULL;
	PGresult		*res = NULL;
	int			 rc;

	if (random_bytes(raw, sizeof(raw)) == -1 ||
	    (ticket = base64url_encode(raw, sizeof(raw))) == NULL) {
		reply_error(rp, 500, "internal_error", "No randomness.", NULL);
		goto out;
	}
	sha256_hex(ticket, strlen(ticket), hash);
	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	snprintf(ttl, sizeof(ttl), "%d", WS_TICKET_TTL);
	if ((rc = db_q(STMT_WS_TICKET_NEW, &res, hash, uid, ttl)) != DB_OK) {
		reply_db(rp, rc);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "ticket", json_object_new_string(ticket));
	json_object_object_add(o, "expires_in",
	    json_object_new_int(WS_TICKET_TTL));
	reply_json(rp, 200, o);
out:
	PQclear(res);
	free(ticket);
}

/*
 * The interview room of session (a round id): 0 when c has a place in
 * it (the round's interviewer, or a candidate waiting for one of its
 * interviewers), or -1 after the answer: 403 (the original's 4004).
 */
static int
ws_room(struct reply *rp, const char *session, const struct claims *c)
{
	PGresult	*res = NULL;
	char		 uid[24];
	long		 round;
	int		 rc = DB_OK;

	snprintf(uid, sizeof(uid), "%ld", c->user_id);
	if (valid_long(session, 1, 1L << 62, &round) &&
	    (rc = db_q(STMT_WS_ROOM, &res, session, uid)) == DB_OK &&
	    PQntuples(res) > 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	if (rc != DB_OK)
		reply_db(rp, rc);
	else
		reply_error(rp, 403, "forbidden", "You have no place in this "
		    "session.", NULL);
	return -1;
}

const struct field f_ws_auth[] = {
	FIELDS_END
};

/*
 * Params: WS_TICKET, WS_TOKEN (the handshake's ?ticket=, ?token=),
 * WS_USER (the username in the URL, may be empty for /ws/user/),
 * WS_SESSION (a round id, or empty).  200 with X-Channels: the user's
 * own channel, and only that one (nchan_user_channel(); a session's room
 * reaches its members there, see tell() in fcgi/tell.c); 401 bad
 * token; 403 a username that is not the token's (the original's close
 * code 4003) or a session the user has no place in (the original's 4004).
 */
void
h_ws_auth(struct req *r, struct reply *rp)
{
	struct claims	 c;
	struct buf	 hdr = { 0 };
	const char	*session;

	if (ws_claims(r, rp, &c) == -1)
		return;
	session = req_param(r, "WS_SESSION");
	if (session != NULL && *session != '\0' &&
	    ws_room(rp, session, &c) == -1)
		return;
	buf_puts(&hdr, "X-Channels: ");
	nchan_user_channel(&hdr, c.username, strlen(c.username));
	buf_printf(&hdr, "\r\nX-User: %s\r\n", c.username);
	reply_text(rp, 200, "text/plain", "", 0, buf_str(&hdr));
	buf_free(&hdr);
}
