/*
 * dispatch: every request's way through the program.  The route is found
 * (route.c), the request admitted (internal-only, token, role, JSON
 * body), its declared fields checked (fields.c), its handler run or its
 * answer taken from the list cache (cache.c) or its Idempotency-Key
 * (idem.c); then route_finish() sends the reply, the only place that
 * writes to the client, and logs and counts it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "auth.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"

/* Read "Authorization: Bearer <token>" into r->who and check it against
 * its account (cache_account); 0, or -1 (401) with why, or -2 when the
 * database could not tell (*dbrc for reply_db). */
static int
route_token(struct req *r, const char **why, int *dbrc)
{
	const char	*h;

	h = req_param(r, "HTTP_AUTHORIZATION");
	if (h == NULL || *h == '\0') {
		*why = "missing Authorization header";
		return -1;
	}
	if (strncasecmp(h, "Bearer ", 7) != 0) {
		*why = "Authorization must be \"Bearer <access token>\"";
		return -1;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (auth_verify(h, cfg.secret_key, "access", r->now, &r->who,
	    why) == -1)
		return -1;
	switch (cache_account(r, why, dbrc)) {
	case 0:
		break;
	case -1:
		memset(&r->who, 0, sizeof(r->who));
		return -1;
	default:
		memset(&r->who, 0, sizeof(r->who));
		return -2;
	}
	r->authed = 1;
	db_actor(r->who.user_id);
	return 0;
}

/* 405 with the methods the path takes. */
static void
route_allow(struct req *r, struct reply *rp)
{
	char	 hdr[128];
	size_t	 i, n = 0;

	n += (size_t)snprintf(hdr, sizeof(hdr), "Allow: ");
	for (i = 0; i < nroutes && n < sizeof(hdr) - 16; i++)
		if (strcmp(routes[i].path, r->path) == 0)
			n += (size_t)snprintf(hdr + n, sizeof(hdr) - n,
			    "%s%s", n > 7 ? ", " : "", routes[i].method);
	snprintf(hdr + n, sizeof(hdr) - n, "\r\n");
	buf_puts(&rp->head, hdr);
	reply_error(rp, 405, "method_not_allowed",
	    "This path does not accept that method.", NULL);
}

/* The checks every request of rt passes before its handler: 0, or -1
 * with the refusal in rp. */
static int
route_admit(struct req *r, struct reply *rp, const struct route *rt)
{
	const char	*why, *ctype;
	int		 k, dbrc = 0;

	if ((rt->flags & R_INTERNAL) &&
	    req_param(r, "CONNECTIFY_INTERNAL") == NULL) {
		reply_error(rp, 404, "not_found", "No such endpoint.", NULL);
		return -1;
	}
	if (rt->flags & (R_AUTH | R_OPTAUTH)) {
		k = route_token(r, &why, &dbrc);
		if (k == -2) {
			reply_db(rp, dbrc);
			return -1;
		}
		if (k == -1 && ((rt->flags & R_AUTH) ||
		    req_param(r, "HTTP_AUTHORIZATION") != NULL)) {
			reply_error(rp, 401, "not_authenticated", why, NULL);
			return -1;
		}
	}
	if ((rt->flags & R_HR) && strcmp(r->who.user_type, "Hr") != 0) {
		reply_error(rp, 403, "forbidden", "Only HR can do this.", NULL);
		return -1;
	}
	if ((rt->flags & R_ADMIN) && !r->is_admin) {
		reply_error(rp, 403, "forbidden", "Only the organisation's "
		    "admin manages staff accounts and roles.", NULL);
		return -1;
	}
	if ((rt->flags & R_STAFF) && strcmp(r->who.user_type, "Hr") != 0 &&
	    strcmp(r->who.user_type, "Interviewer") != 0) {
		reply_error(rp, 403, "forbidden",
		    "Only HR and interviewers can do this.", NULL);
		return -1;
	}
	if ((rt->flags & R_JSON) ||
	    ((rt->flags & R_OPTJSON) && r->bodylen > 0)) {
		ctype = req_param(r, "CONTENT_TYPE");
		if (ctype == NULL || strncasecmp(ctype, "application/json",
		    16) != 0) {
			reply_error(rp, 415, "unsupported_media_type",
			    "Send the body as application/json.", NULL);
			return -1;
		}
		if (req_json(r) == -1) {
			reply_error(rp, 400, "invalid_json",
			    "The body must be one JSON object.", NULL);
			return -1;
		}
	}
	return 0;
}

/* The route's fields, then its handler. */
static void
route_handle(struct req *r, struct reply *rp)
{
	struct json_object	*errs;

	if ((errs = fields_check(r)) != NULL) {
		reply_invalid(rp, errs);
		return;
	}
	r->route->fn(r, rp);
	if (rp->status == 0) {
		log_error("handler %s set no reply", r->route->name);
		reply_error(rp, 500, "internal_error", "No response.", NULL);
	}
}

/* The FastCGI stream of a streamed reply. */
struct sink {
	FCGX_Stream	*out;
};

int
sink_put(struct sink *k, const char *data, size_t len)
{
	if (len == 0)
		return 0;
	if (FCGX_PutStr(data, (int)len, k->out) != (int)len)
		return -1;
	return 0;
}

/* Write rp to the client: the only place that does. */
static void
route_send(struct req *r, struct reply *rp)
{
	struct sink	 k;

	FCGX_FPrintF(r->fr->out, "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s",
	    rp->status, http_reason(rp->status), r->id, buf_str(&rp->head));
	if (rp->status == 204) {
		FCGX_FPrintF(r->fr->out, "\r\n");
		return;
	}
	if (rp->stream != NULL) {
		FCGX_FPrintF(r->fr->out, "Content-Type: %s\r\n\r\n",
		    rp->ctype);
		k.out = r->fr->out;
		if (rp->stream(rp->arg, &k) == -1)
			log_warn("%s: the streamed body broke off",
			    r->route ? r->route->name : r->path);
		return;
	}
	FCGX_FPrintF(r->fr->out, "Content-Type: %s\r\n"
	    "Content-Length: %lu\r\n\r\n", rp->ctype,
	    (unsigned long)rp->body.len);
	if (rp->body.len > 0)
		FCGX_PutStr(rp->body.data, (int)rp->body.len, r->fr->out);
}

/* Find the route, admit the request, run it (or answer from the cache
 * or the Idempotency-Key), into rp. */
static void
route_run(struct req *r, struct reply *rp)
{
	const struct route	*rt;
	const char		*key, *body;
	size_t			 len;
	int			 known;

	if ((rt = route_find(r->method, r->path, &known)) == NULL) {
		if (known)
			route_allow(r, rp);
		else
			reply_error(rp, 404, "not_found", "No such endpoint.",
			    NULL);
		return;
	}
	r->route = rt;
	db_actor(0);
	if (route_admit(r, rp, rt) == -1)
		return;
	if (rt->flags & R_CACHE) {
		if (cache_lookup(r, &body, &len)) {
			reply_text(rp, 200, "application/json", body, len,
			    "X-Cache: hit\r\n");
			return;
		}
		route_handle(r, rp);
		cache_store(r, rp);
		return;
	}
	if ((rt->flags & R_IDEMP) && r->authed &&
	    (key = req_param(r, "HTTP_IDEMPOTENCY_KEY")) != NULL) {
		if (idem_claim(r, rp, key)) {
			route_handle(r, rp);
			idem_keep(r, rp, key);
		}
		return;
	}
	route_handle(r, rp);
}

/* Send, log and count rp, then free it. */
static void
route_finish(struct req *r, struct reply *rp)
{
	struct timespec	 t1;
	double		 secs;
	size_t		 ri;

	route_send(r, rp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - r->t0.tv_sec) +
	    (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e9;
	ri = r->route != NULL ? (size_t)(r->route - routes) : nroutes;
	metrics_observe(ri, rp->status, secs);
	metrics_end(secs);
	log_info("%s %s %d %.1fms", r->method, r->path, rp->status,
	    secs * 1e3);
	reply_free(rp);
	cache_forget();
}

void
route_dispatch(struct req *r, int parsed)
{
	struct reply	 rp;

	memset(&rp, 0, sizeof(rp));
	rp.rid = r->id;
	if (parsed == 413)
		reply_error(&rp, 413, "body_too_large", "The request body is "
		    "larger than this server accepts.", NULL);
	else if (parsed == 414)
		reply_error(&rp, 414, "uri_too_long", "The path is too long.",
		    NULL);
	else if (parsed != 0)
		reply_error(&rp, 400, "bad_request", "The request body could "
		    "not be read.", NULL);
	else
		route_run(r, &rp);
	route_finish(r, &rp);
}

