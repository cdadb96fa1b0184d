/*
 * The audit log (sql/021_decisions.sql): a candidate's history for the
 * event's owners, and connectify-fcgi --verify-audit, which checks the
 * whole chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "log.h"

const struct field f_audit[] = {
	{ "registration_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * GET audit?registration_id=: every audited change of the candidate's
 * registration, oldest first (the event's owners).
 */
void
h_audit_get(struct req *r, struct reply *rp)
{
	PGresult	*res = NULL;
	struct buf	 out = { 0 };
	char		 reg[24];
	long		 id;
	int		 rc, role;

	id = req_long(r, "registration_id");
	snprintf(reg, sizeof(reg), "%ld", id);
	if ((rc = db_q(STMT_REG_EVENT, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		reply_error(rp, 404, "not_found", "No such registration.",
		    NULL);
		return;
	}
	role = event_role(r, rp, db_num(res, 0, "event_id"), NULL, 0);
	PQclear(res);
	res = NULL;
	if (role == EV_NONE)
		return;
	if (role != EV_OWNER) {
		reply_error(rp, 403, "forbidden", "Only the event's owners "
		    "read a candidate's audit log.", NULL);
		return;
	}
	if ((rc = db_q(STMT_AUDIT_JSON, &res, reg)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	buf_printf(&out, "{\"registration_id\":%ld,\"entries\":%s}", id,
	    db_text(res, 0, "entries"));
	PQclear(res);
	reply_text(rp, 200, "application/json", out.data, out.len, NULL);
	buf_free(&out);
}

/*
 * One page of the chain from *seq on, checked against *hash (the
 * previous row's); both advance.  0 when good (*n rows read), or -1
 * after naming the first broken row on stderr.
 */
static int
audit_verify_page(long *seq, char hash[SHA256_HEX_LEN], int *n)
{
	PGresult	*res = NULL;
	struct buf	 in = { 0 };
	char		 after[24], want[SHA256_HEX_LEN];
	long		 s;
	int		 i, bad = 0;

	snprintf(after, sizeof(after), "%ld", *seq);
	if (db_q(STMT_AUDIT_CHAIN_PAGE, &res, after) != DB_OK) {
		fprintf(stderr, "verify-audit: database error\n");
		return -1;
	}
	*n = PQntuples(res);
	for (i = 0; i < *n && !bad; i++) {
		s = db_num(res, i, "seq");
		if (s != *seq + 1) {
			fprintf(stderr, "verify-audit: row %ld is missing (the "
			    "chain goes from %ld to %ld)\n", *seq + 1, *seq, s);
			bad = 1;
			break;
		}
		if (strcmp(db_text(res, i, "prev_hash"), hash) != 0) {
			fprintf(stderr, "verify-audit: row %ld (id %s): its "
			    "prev_hash is not row %ld's hash\n", s,
			    db_text(res, i, "id"), *seq);
			bad = 1;
			break;
		}
		buf_reset(&in);
		buf_printf(&in, "%s%s", hash, db_text(res, i, "canonical"));
		sha256_hex(in.data, in.len, want);
		if (strcmp(want, db_text(res, i, "hash")) != 0) {
			fprintf(stderr, "verify-audit: row %ld (id %s) was "
			    "changed: its hash does not match its content\n",
			    s, db_text(res, i, "id"));
			bad = 1;
			break;
		}
		*seq = s;
		memcpy(hash, want, SHA256_HEX_LEN);
	}
	buf_free(&in);
	PQclear(res);
	return bad ? -1 : 0;
}

/* The head must name the chain's last row (else rows were cut off). */
static int
audit_verify_head(long seq, const char *hash)
{
	PGresult	*res = NULL;
	int		 ok;

	if (db_query(STMT_AUDIT_HEAD, &res, NULL, 0) != DB_OK ||
	    PQntuples(res) != 1) {
		PQclear(res);
		fprintf(stderr, "verify-audit: the chain's head is missing\n");
		return -1;
	}
	ok = db_num(res, 0, "last_seq") == seq &&
	    strcmp(db_text(res, 0, "last_hash"), hash) == 0;
	if (!ok)
		fprintf(stderr, "verify-audit: row %ld is missing (the chain "
		    "ends at %ld, its head says %s)\n", seq + 1, seq,
		    db_text(res, 0, "last_seq"));
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * connectify-fcgi --verify-audit: walk the chain from its first row; 0
 * when every row is in place and unchanged, 1 after naming the first
 * broken one.
 */
int
audit_verify(void)
{
	PGresult	*res = NULL;
	char		*conninfo, hash[SHA256_HEX_LEN];
	long		 seq = 0;
	int		 n, rc = 1;

	conninfo = cfg_conninfo();
	db_open(conninfo);
	free(conninfo);
	memset(hash, '0', SHA256_HEX_LEN - 1);
	hash[SHA256_HEX_LEN - 1] = '\0';
	if (db_query(STMT_AUDIT_UNCHAINED, &res, NULL, 0) != DB_OK) {
		fprintf(stderr, "verify-audit: database unavailable\n");
		goto out;
	}
	if (PQntuples(res) > 0) {
		fprintf(stderr, "verify-audit: row id %s is outside the chain "
		    "(no seq or hash)\n", db_text(res, 0, "id"));
		goto out;
	}
	do {
		if (audit_verify_page(&seq, hash, &n) == -1)
			goto out;
	} while (n > 0);
	if (audit_verify_head(seq, hash) == -1)
		goto out;
	printf("audit log: %ld rows, chain intact, head %s\n", seq, hash);
	rc = 0;
out:
	PQclear(res);
	db_close();
	return rc;
}
