/*
 * idem: Idempotency-Key for creating POSTs (R_IDEMP routes).  The
 * dispatcher claims the key before the handler runs (idem_claim) and
 * keeps the answer under it after (idem_keep).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"

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
	if (strcmp(db_text(res, 0, "route"), r->route->name) != 0 ||
	    strcmp(db_text(res, 0, "request_hash"), hash) != 0) {
		reply_error(rp, 422, "idempotency_key_reused", "This "
		    "Idempotency-Key was used for another request; send a "
		    "new key for a new request.", NULL);
		return;
	}
	reply_text(rp, (int)db_num(res, 0, "status"), "application/json",
	    db_text(res, 0, "body"), db_len(res, 0, "body"),
	    "Idempotent-Replayed: true\r\n");
}

void
idem_keep(struct req *r, struct reply *rp, const char *key)
{
	char	 st[16], uid[24];

	snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
	snprintf(st, sizeof(st), "%d", rp->status);
	if (rp->status >= 500)
		db_soft(STMT_IDEM_DROP, uid, key);
	else if (db_q(STMT_IDEM_FILL, NULL, uid, key, st,
	    buf_str(&rp->body)) != DB_OK)
		log_warn("idempotency key of %s: answer not kept", uid);
	/* As replayed: headers such as Retry-After are not kept. */
	buf_reset(&rp->head);
}

int
idem_claim(struct req *r, struct reply *rp, const char *key)
{
	PGresult	*res = NULL;
	struct buf	 in = { 0 };
	char		 uid[24], hash[SHA256_HEX_LEN];
	int		 rc, waited;

	if (!idem_key_valid(key)) {
		reply_error(rp, 400, "invalid_idempotency_key", "An "
		    "Idempotency-Key is 1 to 255 visible ASCII characters.",
		    NULL);
		return 0;
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
			return 1;
		}
		PQclear(res);
		if ((rc = db_q(STMT_IDEM_GET, &res, uid, key)) != DB_OK)
			break;
		if (PQntuples(res) == 1 && (!db_isnull(res, 0, "status") ||
		    strcmp(db_text(res, 0, "request_hash"), hash) != 0)) {
			idem_replay(r, rp, res, hash);
			PQclear(res);
			return 0;
		}
		PQclear(res);
		res = NULL;
		if (waited >= IDEM_WAIT_MS) {
			reply_error(rp, 409, "idempotency_in_progress", "A "
			    "request with this Idempotency-Key is still "
			    "running; try again in a moment.", NULL);
			return 0;
		}
		usleep(100000);
	}
	reply_db(rp, rc);
	return 0;
}
