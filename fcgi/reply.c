/*
 * reply: a handler's answer, built in memory.  Nothing here writes to
 * the FastCGI stream: route_dispatch() sends the reply (dispatch.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "http.h"
#include "log.h"

/* The one table of the statuses this program answers with. */
static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
	{ 204, "No Content" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" }, { 410, "Gone" },
	{ 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 415, "Unsupported Media Type" }, { 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
	{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
};

const char *
http_reason(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == code)
			return statuses[i].text;
	return "Unknown";
}

/* 1 when rp may take a reply (none yet); a second one is a bug. */
static int
reply_open(const struct reply *rp, int status)
{
	if (rp->status == 0)
		return 1;
	log_error("second reply for one request (%d after %d)", status,
	    rp->status);
	return 0;
}

void
reply_text(struct reply *rp, int status, const char *ctype,
    const char *body, size_t len, const char *extra)
{
	if (!reply_open(rp, status))
		return;
	rp->status = status;
	rp->ctype = ctype;
	if (extra != NULL)
		buf_puts(&rp->head, extra);
	if (len > 0)
		buf_append(&rp->body, body, len);
}

void
reply_stream(struct reply *rp, int status, const char *ctype,
    const char *extra, int (*fn)(void *, struct sink *), void *arg,
    void (*afree)(void *))
{
	if (!reply_open(rp, status)) {
		if (afree != NULL)
			afree(arg);
		return;
	}
	rp->status = status;
	rp->ctype = ctype;
	if (extra != NULL)
		buf_puts(&rp->head, extra);
	rp->stream = fn;
	rp->arg = arg;
	rp->arg_free = afree;
}

void
reply_json(struct reply *rp, int status, struct json_object *o)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	reply_text(rp, status, "application/json", s, len, NULL);
	json_object_put(o);
}

/* {"error": {"code", "message", more..., "request_id"}} */
static struct json_object *
reply_error_doc(const char *code, const char *msg, struct json_object **err)
{
	struct json_object	*root;

	root = json_object_new_object();
	*err = json_object_new_object();
	json_object_object_add(*err, "code", json_object_new_string(code));
	json_object_object_add(*err, "message", json_object_new_string(msg));
	json_object_object_add(root, "error", *err);
	return root;
}

void
reply_error(struct reply *rp, int status, const char *code, const char *msg,
    struct json_object *fields)
{
	struct json_object	*root, *err;

	root = reply_error_doc(code, msg, &err);
	if (fields != NULL)
		json_object_object_add(err, "fields", fields);
	json_object_object_add(err, "request_id",
	    json_object_new_string(rp->rid ? rp->rid : ""));
	if (status >= 500)
		log_warn("%d %s: %s", status, code, msg);
	reply_json(rp, status, root);
}

void
reply_rate_limited(struct reply *rp, long wait, const char *msg)
{
	struct json_object	*root, *err;
	const char		*s;
	char			 hdr[48];
	size_t			 len;

	snprintf(hdr, sizeof(hdr), "Retry-After: %ld\r\n", wait);
	root = reply_error_doc("rate_limited", msg, &err);
	json_object_object_add(err, "retry_after", json_object_new_int64(wait));
	json_object_object_add(err, "request_id",
	    json_object_new_string(rp->rid ? rp->rid : ""));
	s = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN,
	    &len);
	reply_text(rp, 429, "application/json", s, len, hdr);
	json_object_put(root);
}

void
reply_invalid(struct reply *rp, struct json_object *fields)
{
	reply_error(rp, 400, "validation_failed",
	    "Some fields are missing or invalid.", fields);
}

void
reply_db(struct reply *rp, int rc)
{
	switch (rc) {
	case DB_CONFLICT:
		reply_error(rp, 409, "conflict", "That already exists.", NULL);
		break;
	case DB_FOREIGN:
		reply_error(rp, 400, "validation_failed",
		    "A referenced record does not exist.", NULL);
		break;
	case DB_INVALID:
		reply_error(rp, 400, "validation_failed",
		    "A value is out of range.", NULL);
		break;
	case DB_DOWN:
		reply_error(rp, 503, "database_unavailable", "The database is "
		    "unavailable; try again in a moment.", NULL);
		break;
	default:
		reply_error(rp, 500, "internal_error", "Something went wrong "
		    "on our side; the request id identifies it in our logs.",
		    NULL);
		break;
	}
}

/* The URL of this list with page=n, as a JSON string. */
static struct json_object *
reply_page_url(const struct req *r, long n)
{
	struct json_object *o;
	struct buf	 b = { 0 };
	const char	*base, *uri;
	char		*e;
	size_t		 i, blen;
	int		 first = 1;

	/* Never from Host or X-Forwarded-*: a client chooses those. */
	base = cfg.public_url;
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if ((uri = req_param(r, "DOCUMENT_URI")) == NULL || *uri != '/')
		uri = r->path;
	buf_printf(&b, "%.*s%s", (int)blen, base, uri);
	for (i = 0; i < r->nqs; i++) {
		if (strcmp(r->qs[i].key, "page") == 0)
			continue;
		e = http_form_escape(r->qs[i].key);
		buf_printf(&b, "%c%s=", first ? '?' : '&', e);
		free(e);
		e = http_form_escape(r->qs[i].val);
		buf_puts(&b, e);
		free(e);
		first = 0;
	}
	buf_printf(&b, "%cpage=%ld", first ? '?' : '&', n);
	o = json_object_new_string(buf_str(&b));
	buf_free(&b);
	return o;
}

void
reply_page(struct reply *rp, const struct req *r, long count,
    const struct page *pg, struct json_object *results)
{
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "next", pg->page * pg->size < count ?
	    reply_page_url(r, pg->page + 1) : NULL);
	json_object_object_add(o, "previous", pg->page > 1 ?
	    reply_page_url(r, pg->page - 1) : NULL);
	json_object_object_add(o, "results", results);
	reply_json(rp, 200, o);
}

void
reply_page_raw(struct reply *rp, const struct req *r, long count,
    const struct page *pg, const char *results)
{
	struct json_object	*next, *prev;
	struct buf		 b = { 0 };

	next = pg->page * pg->size < count ?
	    reply_page_url(r, pg->page + 1) : NULL;
	prev = pg->page > 1 ? reply_page_url(r, pg->page - 1) : NULL;
	buf_printf(&b, "{\"count\":%ld,\"next\":%s,\"previous\":%s,"
	    "\"results\":", count,
	    next ? json_object_to_json_string_ext(next,
	    JSON_C_TO_STRING_NOSLASHESCAPE) : "null",
	    prev ? json_object_to_json_string_ext(prev,
	    JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
	buf_puts(&b, results);
	buf_puts(&b, "}");
	reply_text(rp, 200, "application/json", buf_str(&b), b.len, NULL);
	buf_free(&b);
	json_object_put(next);
	json_object_put(prev);
}

void
reply_free(struct reply *rp)
{
	if (rp->arg_free != NULL)
		rp->arg_free(rp->arg);
	buf_free(&rp->head);
	buf_free(&rp->body);
	memset(rp, 0, sizeof(*rp));
}
