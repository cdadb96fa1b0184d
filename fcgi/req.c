/*
 * req: turn a FastCGI request into a struct req.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "extern.h"
#include "log.h"
#include "valid.h"

const char *
req_param(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fr->envp);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into a new string (caller frees). */
static char *
req_decode(const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;
	int	 h, l;

	if ((out = malloc(n + 1)) == NULL)
		abort();
	for (i = 0, o = out; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0) {
			*o++ = (char)(h << 4 | l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static void
req_parse_qs(struct req *r, const char *qs)
{
	const char	*p, *amp, *eq;
	size_t		 cap = 0;

	for (p = qs; p != NULL && *p != '\0'; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		eq = memchr(p, '=', amp ? (size_t)(amp - p) : strlen(p));
		if (p == amp || (amp == NULL && *p == '\0'))
			continue;
		if (r->nqs == 64)	/* enough for any endpoint of ours */
			break;
		if (r->nqs == cap) {
			cap = cap ? cap * 2 : 8;
			if ((r->qs = reallocarray(r->qs, cap,
			    sizeof(*r->qs))) == NULL)
				abort();
		}
		if (eq != NULL) {
			r->qs[r->nqs].key = req_decode(p, (size_t)(eq - p));
			r->qs[r->nqs].val = req_decode(eq + 1,
			    amp ? (size_t)(amp - eq - 1) : strlen(eq + 1));
		} else {
			r->qs[r->nqs].key = req_decode(p,
			    amp ? (size_t)(amp - p) : strlen(p));
			r->qs[r->nqs].val = strdup("");
		}
		r->nqs++;
	}
}

const char *
req_qs(const struct req *r, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->nqs; i++)
		if (strcmp(r->qs[i].key, key) == 0)
			return r->qs[i].val;
	return NULL;
}

/*
 * Fill r from fr.  Returns 0, or an HTTP status (400, 413) after which
 * the caller answers with an error.
 */
int
req_parse(struct req *r, FCGX_Request *fr, long maxbody)
{
	const char	*v;
	size_t		 len;
	long		 clen = 0;
	int		 n;

	memset(r, 0, sizeof(*r));
	r->fr = fr;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->now = (long)time(NULL);
	if ((r->method = req_param(r, "REQUEST_METHOD")) == NULL)
		r->method = "GET";
	if ((r->remote_addr = req_param(r, "REMOTE_ADDR")) == NULL)
		r->remote_addr = "";
	v = req_param(r, "REQUEST_ID");
	if (v != NULL && valid_text(v, 1, sizeof(r->id) - 1, 0))
		snprintf(r->id, sizeof(r->id), "%s", v);
	else {
		static unsigned long seq;
		snprintf(r->id, sizeof(r->id), "%lx-%d-%lu",
		    (unsigned long)r->now, (int)getpid(), ++seq);
	}
	log_set_id(r->id);

	if ((v = req_param(r, "DOCUMENT_URI")) == NULL &&
	    (v = req_param(r, "SCRIPT_NAME")) == NULL)
		v = "/";
	len = strlen(v);
	if (len >= sizeof(r->path))
		return 414;
	memcpy(r->path, v, len + 1);
	while (len > 1 && r->path[len - 1] == '/')
		r->path[--len] = '\0';
	req_parse_qs(r, req_param(r, "QUERY_STRING"));

	if ((v = req_param(r, "CONTENT_LENGTH")) != NULL && *v != '\0' &&
	    !valid_long(v, 0, 1L << 40, &clen))
		return 400;
	if (clen > maxbody)
		return 413;
	if (clen > 0) {
		if ((r->body = malloc((size_t)clen + 1)) == NULL)
			abort();
		n = FCGX_GetStr(r->body, (int)clen, fr->in);
		if (n != clen)
			return 400;
		r->body[clen] = '\0';
		r->bodylen = (size_t)clen;
	}
	return 0;
}

void
req_free(struct req *r)
{
	size_t	 i;

	for (i = 0; i < r->nqs; i++) {
		free(r->qs[i].key);
		free(r->qs[i].val);
	}
	free(r->qs);
	free(r->body);
	if (r->json != NULL)
		json_object_put(r->json);
	log_set_id(NULL);
	memset(r, 0, sizeof(*r));
}

int
req_json(struct req *r)
{
	struct json_tokener	*tok;
	const char		*p;
	int			 ok;

	if (r->body == NULL)
		return -1;
	tok = json_tokener_new_ex(32);
	r->json = json_tokener_parse_ex(tok, r->body, (int)r->bodylen);
	ok = r->json != NULL &&
	    json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(r->json, json_type_object);
	for (p = r->body + json_tokener_get_parse_end(tok);
	    ok && p < r->body + r->bodylen; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			ok = 0;
	json_tokener_free(tok);
	if (!ok) {
		json_object_put(r->json);
		r->json = NULL;
	}
	return ok ? 0 : -1;
}
