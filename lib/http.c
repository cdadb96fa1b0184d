/*
 * http: see http.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http.h"

static CURL	*http_curl;
static int	(*http_tick_fn)(void *);
static void	*http_tick_arg;

void
http_set_tick(int (*fn)(void *), void *arg)
{
	http_tick_fn = fn;
	http_tick_arg = arg;
}

static int
http_xferinfo(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	/* libcurl's progress callback: the transfer's counts go unused. */
	(void)arg;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return http_tick_fn != NULL ? http_tick_fn(http_tick_arg) : 0;
}

void
http_watch(void *h)
{
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, http_xferinfo);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

int
http_init(void)
{
	if (http_curl != NULL)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	if ((http_curl = curl_easy_init()) == NULL)
		return -1;
	return 0;
}

void
http_cleanup(void)
{
	if (http_curl != NULL)
		curl_easy_cleanup(http_curl);
	http_curl = NULL;
}

static size_t
http_write(char *p, size_t sz, size_t n, void *arg)
{
	buf_append(arg, p, sz * n);
	return sz * n;
}

int
http_do(const struct http_req *req, struct http_resp *resp)
{
	struct curl_slist	*hl = NULL, *tmp;
	CURLcode		 rc;
	size_t			 i;
	int			 ret = -1;

	memset(resp, 0, sizeof(*resp));
	if (http_curl == NULL && http_init() == -1) {
		snprintf(resp->err, sizeof(resp->err), "curl init failed");
		return -1;
	}
	curl_easy_reset(http_curl);
	for (i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
		if ((tmp = curl_slist_append(hl, req->headers[i])) == NULL)
			goto out;
		hl = tmp;
	}
	/* No "Expect: 100-continue" round trip for our small bodies. */
	if ((tmp = curl_slist_append(hl, "Expect:")) == NULL)
		goto out;
	hl = tmp;
	curl_easy_setopt(http_curl, CURLOPT_URL, req->url);
	curl_easy_setopt(http_curl, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(http_curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(http_curl, CURLOPT_TIMEOUT_MS,
	    req->timeout_ms > 0 ? req->timeout_ms : 10000L);
	curl_easy_setopt(http_curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(http_curl, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(http_curl, CURLOPT_WRITEDATA, &resp->body);
	curl_easy_setopt(http_curl, CURLOPT_HEADERFUNCTION, http_write);
	curl_easy_setopt(http_curl, CURLOPT_HEADERDATA, &resp->headers);
	http_watch(http_curl);
	if (req->unix_socket != NULL)
		curl_easy_setopt(http_curl, CURLOPT_UNIX_SOCKET_PATH,
		    req->unix_socket);
	if (req->userpwd != NULL) {
		curl_easy_setopt(http_curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(http_curl, CURLOPT_USERPWD, req->userpwd);
	}
	if (req->method == NULL || strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(http_curl, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(http_curl, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(http_curl, CURLOPT_POST, 1L);
		curl_easy_setopt(http_curl, CURLOPT_POSTFIELDS,
		    req->body != NULL ? req->body : "");
		curl_easy_setopt(http_curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->bodylen);
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(http_curl, CURLOPT_CUSTOMREQUEST,
			    req->method);
	}
	if ((rc = curl_easy_perform(http_curl)) != CURLE_OK) {
		snprintf(resp->err, sizeof(resp->err), "%s",
		    curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(http_curl, CURLINFO_RESPONSE_CODE, &resp->status);
	ret = 0;
out:
	/* The handle keeps pointers into hl until the next reset. */
	curl_easy_setopt(http_curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	return ret;
}

char *
http_resp_header(const struct http_resp *resp, const char *name)
{
	const char	*p, *eol, *v;
	size_t		 nlen = strlen(name);

	for (p = buf_str(&resp->headers); *p != '\0'; p = eol) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		else
			eol++;
		if ((size_t)(eol - p) > nlen &&
		    strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			v = p + nlen + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			nlen = (size_t)(eol - v);
			while (nlen > 0 && isspace((unsigned char)v[nlen - 1]))
				nlen--;
			return strndup(v, nlen);
		}
	}
	return NULL;
}

void
http_resp_free(struct http_resp *resp)
{
	buf_free(&resp->body);
	buf_free(&resp->headers);
}

char *
http_form_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf	 b = { 0 };
	char		 e[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_append(&b, s, 1);
		else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			buf_append(&b, e, 3);
		}
	}
	return buf_take(&b);
}
