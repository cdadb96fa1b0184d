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
 * An entry belongs to one user (id and role) and one exact URL (host,
 * scheme, path and query string), so it only ever repeats to a caller what
 * that caller was answered before.  The route's token and role checks run
 * before the lookup, as for any request.
 */
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

int
cache_answer(struct req *r)
{
	struct entry	*e;
	size_t		 i;
	int		 k;

	if (cfg.cache_ttl <= 0)
		return 0;
	if ((k = db_sync()) != 0) {
		/* Changed (or unknown: the database is away). */
		cache_gen++;
		cache_clear();
		if (k < 0)
			return 0;
	}
	if ((r->cache_key = cache_key(r)) == NULL)
		return 0;
	for (i = 0; i < CACHE_SLOTS; i++) {
		e = &slots[i];
		if (e->key == NULL || strcmp(e->key, r->cache_key) != 0)
			continue;
		if (e->gen != cache_gen || r->now - e->born >= cfg.cache_ttl) {
			entry_free(e);
			break;
		}
		free(r->cache_key);
		r->cache_key = NULL;	/* nothing to store */
		metrics_cache(1);
		resp_text(r, 200, "application/json", e->body, e->len,
		    "X-Cache: hit\r\n");
		return 1;
	}
	r->cache_gen = cache_gen;
	metrics_cache(0);
	return 0;
}

void
cache_store(struct req *r, int status, const char *body, size_t len)
{
	struct entry	*e = NULL;
	size_t		 i;

	if (r->cache_key == NULL || status != 200 || len > CACHE_MAXBODY ||
	    r->cache_gen != cache_gen)
		return;
	for (i = 0; i < CACHE_SLOTS && e == NULL; i++)
		if (slots[i].key == NULL || slots[i].gen != cache_gen)
			e = &slots[i];
	if (e == NULL) {
		e = &slots[next_victim];
		next_victim = (next_victim + 1) % CACHE_SLOTS;
	}
	entry_free(e);
	if ((e->body = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(e->body, body, len);
	e->len = len;
	e->key = r->cache_key;	/* ownership moves to the entry */
	r->cache_key = NULL;
	e->gen = cache_gen;
	e->born = r->now;
}

void
cache_clear(void)
{
	size_t	 i;

	for (i = 0; i < CACHE_SLOTS; i++)
		entry_free(&slots[i]);
}
