/*
 * resp: the one response of a request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "http.h"
#include "log.h"

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

static const char *
status_text(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == code)
			return statuses[i].text;
	return "Unknown";
}

void
resp_text(struct req *r, int status, const char *ctype, const char *body,
    size_t len, const char *extra)
{
	if (r->status != 0) {
		log_error("second response for one request (%d after %d)",
		    status, r->status);
		return;
	}
	r->status = status;
	if (r->cache_key != NULL)
		cache_store(r, status, body, len);
	if (r->capture != NULL) {
		/* The caller answers; headers such as Retry-After drop. */
		if (len > 0)
			buf_append(r->capture, body, len);
		return;
	}
	FCGX_FPrintF(r->fr->out, "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s",
	    status, status_text(status), r->id, extra ? extra : "");
	if (status == 204) {
		FCGX_FPrintF(r->fr->out, "\r\n");
		return;
	}
	FCGX_FPrintF(r->fr->out, "Content-Type: %s\r\n"
	    "Content-Length: %lu\r\n\r\n", ctype, (unsigned long)len);
	if (len > 0)
		FCGX_PutStr(body, (int)len, r->fr->out);
}

/*
 * A response sent in pieces: the head now (no Content-Length; nginx
 * frames it for the client), the body by resp_stream_put.  Not for
 * R_CACHE or R_IDEMP routes, whose answers are kept whole.
 */
void
resp_stream_begin(struct req *r, int status, const char *ctype,
    const char *extra)
{
	if (r->status != 0) {
		log_error("second response for one request (%d after %d)",
		    status, r->status);
		return;
	}
	r->status = status;
	FCGX_FPrintF(r->fr->out, "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Content-Type: %s\r\n"
	    "%s\r\n",
	    status, status_text(status), r->id, ctype, extra ? extra : "");
}

/* Send len bytes of the body; -1 when the client went away. */
int
resp_stream_put(struct req *r, const char *data, size_t len)
{
	if (len == 0)
		return 0;
	if (FCGX_PutStr(data, (int)len, r->fr->out) != (int)len)
		return -1;
	return 0;
}

void
resp_json(struct req *r, int status, struct json_object *o)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	resp_text(r, status, "application/json", s, len, NULL);
	json_object_put(o);
}

void
resp_error(struct req *r, int status, const char *code, const char *msg,
    struct json_object *fields)
{
	struct json_object	*root, *err;

	root = json_object_new_object();
	err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_string(code));
	json_object_object_add(err, "message", json_object_new_string(msg));
	if (fields != NULL)
		json_object_object_add(err, "fields", fields);
	json_object_object_add(err, "request_id",
	    json_object_new_string(r->id));
	json_object_object_add(root, "error", err);
	if (status >= 500)
		log_warn("%d %s: %s", status, code, msg);
	resp_json(r, status, root);
}

void
resp_rate_limited(struct req *r, long wait, const char *msg)
{
	struct json_object	*root, *err;
	const char		*s;
	char			 hdr[48];
	size_t			 len;

	snprintf(hdr, sizeof(hdr), "Retry-After: %ld\r\n", wait);
	root = json_object_new_object();
	err = json_object_new_object();
	json_object_object_add(err, "code",
	    json_object_new_string("rate_limited"));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(err, "retry_after", json_object_new_int64(wait));
	json_object_object_add(err, "request_id",
	    json_object_new_string(r->id));
	json_object_object_add(root, "error", err);
	s = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN,
	    &len);
	resp_text(r, 429, "application/json", s, len, hdr);
	json_object_put(root);
}

void
resp_invalid(struct req *r, struct json_object *fields)
{
	resp_error(r, 400, "validation_failed",
	    "Some fields are missing or invalid.", fields);
}

void
resp_db(struct req *r, int rc)
{
	switch (rc) {
	case DB_CONFLICT:
		resp_error(r, 409, "conflict", "That already exists.", NULL);
		break;
	case DB_FOREIGN:
		resp_error(r, 400, "validation_failed",
		    "A referenced record does not exist.", NULL);
		break;
	case DB_INVALID:
		resp_error(r, 400, "validation_failed",
		    "A value is out of range.", NULL);
		break;
	case DB_DOWN:
		resp_error(r, 503, "database_unavailable", "The database is "
		    "unavailable; try again in a moment.", NULL);
		break;
	default:
		resp_error(r, 500, "internal_error", "Something went wrong on "
		    "our side; the request id identifies it in our logs.",
		    NULL);
		break;
	}
}

/* The URL of this list with page=n, or JSON null when n is out of range. */
static struct json_object *
resp_page_url(struct req *r, long n)
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
resp_page(struct req *r, long count, long page, long size,
    struct json_object *results)
{
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "next", page * size < count ?
	    resp_page_url(r, page + 1) : NULL);
	json_object_object_add(o, "previous", page > 1 ?
	    resp_page_url(r, page - 1) : NULL);
	json_object_object_add(o, "results", results);
	resp_json(r, 200, o);
}

void
resp_page_raw(struct req *r, long count, long page, long size,
    const char *results)
{
	struct json_object	*next, *prev;
	struct buf		 b = { 0 };

	next = page * size < count ? resp_page_url(r, page + 1) : NULL;
	prev = page > 1 ? resp_page_url(r, page - 1) : NULL;
	buf_printf(&b, "{\"count\":%ld,\"next\":%s,\"previous\":%s,"
	    "\"results\":", count,
	    next ? json_object_to_json_string_ext(next,
	    JSON_C_TO_STRING_NOSLASHESCAPE) : "null",
	    prev ? json_object_to_json_string_ext(prev,
	    JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
	buf_puts(&b, results);
	buf_puts(&b, "}");
	resp_text(r, 200, "application/json", buf_str(&b), b.len, NULL);
	buf_free(&b);
	json_object_put(next);
	json_object_put(prev);
}
