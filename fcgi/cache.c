/*
 * cache: this process's copies of recent 200 answers of the read-only
 * lists (routes flagged R_CACHE), kept until the data changes.
 *
 * Every table those lists read NOTIFYs connectify_changed when a
 * transaction that wrote it commits (sql/010_change_notify.sql), and each
 * process LISTENs.  Before a cached answer is used, db_sync() makes one
 * empty round trip, ahead of whose answer PostgreSQL delivers every
 * notification committed before it: a change committed by anyone (this
 * pool, the worker, an admin's psql) before the request arrived is never
 * hidden.  Any notification drops every entry.  Entries also expire after
 * CACHE_TTL seconds, for answers that depend on the clock (signed links).
 *
 * The same notifications keep cache_account() honest: it remembers each
 * account's token_version, role, activity and admin flag, and forgets
 * them all when users (or anything else) changed, so a logout, a
 * deactivation, a deletion or a change of role ends that account's
 * tokens on the next request of every process.
 *
 * An entry belongs to one user (id and role) and one exact URL (host,
 * scheme, path and query string), so it only ever repeats to a caller what
 * that caller was answered before.  The route's token and role checks run
 * before the lookup, as for any request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"

#define CACHE_SLOTS	64		/* entries per process */
#define CACHE_MAXBODY	(128 * 1024)	/* larger answers are not kept */

struct entry {
	char		*key;		/* owned; NULL when free */
	char		*body;		/* owned */
	size_t		 len;
	unsigned long	 gen;		/* cache_gen when it was filled */
	long		 born;		/* time(NULL) when it was filled */
};

/* An account as the token check last read it (STMT_USER_AUTH). */
struct acct {
	long		 user_id;	/* 0 when free */
	unsigned long	 gen;		/* cache_gen when read */
	long		 tv;		/* token_version */
	char		 type[16];	/* user_type */
	int		 active;
	int		 admin;
	int		 gone;		/* no such row */
};

#define ACCT_SLOTS	256

static struct acct	 accts[ACCT_SLOTS];
static struct entry	 slots[CACHE_SLOTS];
static unsigned long	 cache_gen = 1;
static size_t		 next_victim;

/* The key of this request: user, role, route, host, scheme, URL. */
static char *
cache_key(const struct req *r)
{
	struct buf	 b = { 0 };
	const char	*p;

	buf_printf(&b, "%ld|%s|%zu|", r->who.user_id, r->who.user_type,
	    (size_t)(r->route - routes));
	p = req_param(r, "HTTP_HOST");
	buf_puts(&b, p ? p : "");
	buf_puts(&b, "|");
	p = req_param(r, "HTTP_X_FORWARDED_PROTO");
	buf_puts(&b, p ? p : (req_param(r, "HTTPS") ? "https" : "http"));
	buf_puts(&b, "|");
	p = req_param(r, "DOCUMENT_URI");
	buf_puts(&b, p ? p : r->path);
	buf_puts(&b, "?");
	p = req_param(r, "QUERY_STRING");
	buf_puts(&b, p ? p : "");
	return b.data;		/* the caller frees */
}

static void
entry_free(struct entry *e)
{
	free(e->key);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

/*
 * One db_sync() per request, shared by the token check and the list
 * cache: a change drops every kept answer and every kept account.
 * Returns 0 nothing changed, 1 changed, -1 unknown (database away).
 */
static int
cache_sync(struct req *r)
{
	size_t	 i;
	int	 k;

	if (r->synced)
		return r->sync_rc;
	r->synced = 1;
	if ((k = db_sync()) != 0) {
		/* Changed (or unknown: the database is away). */
		cache_gen++;
		cache_clear();
		for (i = 0; i < ACCT_SLOTS; i++)
			accts[i].user_id = 0;
	}
	r->sync_rc = k < 0 ? -1 : k > 0;
	return r->sync_rc;
}

int
cache_account(struct req *r, const char **why, int *dbrc)
{
	struct acct	*a;
	PGresult	*res = NULL;
	char		 uid[24];
	int		 rc, k;

	k = cache_sync(r);
	a = &accts[(unsigned long)r->who.user_id % ACCT_SLOTS];
	if (k < 0 || a->user_id != r->who.user_id || a->gen != cache_gen) {
		snprintf(uid, sizeof(uid), "%ld", r->who.user_id);
		if ((rc = db_q(STMT_USER_AUTH, &res, uid)) != DB_OK) {
			*why = "the account could not be checked";
			*dbrc = rc;
			return -2;
		}
		a->user_id = r->who.user_id;
		a->gen = cache_gen;
		a->gone = PQntuples(res) == 0;
		if (!a->gone) {
			a->tv = db_num(res, 0, "token_version");
			a->active = db_bool(res, 0, "is_active");
			snprintf(a->type, sizeof(a->type), "%s",
			    db_text(res, 0, "user_type"));
			a->admin = db_bool(res, 0, "is_admin");
		}
		PQclear(res);
		if (k < 0)
			a->user_id = 0;	/* not known to be current */
	}
	if (a->gone || !a->active || a->tv != r->who.tv ||
	    strcmp(a->type, r->who.user_type) != 0) {
		*why = "this token was signed out or the account changed; "
		    "sign in again";
		return -1;
	}
	r->is_admin = a->admin;
	return 0;
}

/* The key of the request being answered, kept by cache_lookup for
 * cache_store, and the generation it was looked up in. */
static char		*pending;
static unsigned long	 pending_gen;

int
cache_lookup(struct req *r, const char **body, size_t *len)
{
	struct entry	*e;
	size_t		 i;

	cache_forget();
	if (cfg.cache_ttl <= 0)
		return 0;
	if (cache_sync(r) < 0)
		return 0;
	pending = cache_key(r);
	for (i = 0; i < CACHE_SLOTS; i++) {
		e = &slots[i];
		if (e->key == NULL || strcmp(e->key, pending) != 0)
			continue;
		if (e->gen != cache_gen || r->now - e->born >= cfg.cache_ttl) {
			entry_free(e);
			break;
		}
		cache_forget();		/* nothing to store */
		metrics_cache(1);
		*body = e->body;
		*len = e->len;
		return 1;
	}
	pending_gen = cache_gen;
	metrics_cache(0);
	return 0;
}

void
cache_store(struct req *r, const struct reply *rp)
{
	struct entry	*e = NULL;
	size_t		 i;

	if (pending == NULL || rp->status != 200 || rp->stream != NULL ||
	    rp->body.len > CACHE_MAXBODY || pending_gen != cache_gen) {
		cache_forget();
		return;
	}
	for (i = 0; i < CACHE_SLOTS && e == NULL; i++)
		if (slots[i].key == NULL || slots[i].gen != cache_gen)
			e = &slots[i];
	if (e == NULL) {
		e = &slots[next_victim];
		next_victim = (next_victim + 1) % CACHE_SLOTS;
	}
	entry_free(e);
	if ((e->body = malloc(rp->body.len ? rp->body.len : 1)) == NULL) {
		cache_forget();
		return;
	}
	memcpy(e->body, rp->body.data, rp->body.len);
	e->len = rp->body.len;
	e->key = pending;	/* ownership moves to the entry */
	pending = NULL;
	e->gen = cache_gen;
	e->born = r->now;
}

void
cache_forget(void)
{
	free(pending);
	pending = NULL;
}

void
cache_clear(void)
{
	size_t	 i;

	for (i = 0; i < CACHE_SLOTS; i++)
		entry_free(&slots[i]);
}
