/*
 * s3: see s3.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "http.h"
#include "s3.h"

void
s3_uri_encode(struct buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	char	 e[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' ||
		    c == '~' || (keep_slash && c == '/'))
			buf_append(b, s, 1);
		else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			buf_append(b, e, 3);
		}
	}
}

void
s3_amzdate(long t, char out[17])
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* hex HMAC-SHA256 signature of sts with the derived key. */
static void
s3_signature(const char *secret, const char *date, const char *region,
    const char *sts, char out[65])
{
	unsigned char	 k[SHA256_LEN], k2[SHA256_LEN];
	char		 first[256];

	snprintf(first, sizeof(first), "AWS4%s", secret);
	hmac_sha256(first, strlen(first), date, strlen(date), k);
	hmac_sha256(k, sizeof(k), region, strlen(region), k2);
	hmac_sha256(k2, sizeof(k2), "s3", 2, k);
	hmac_sha256(k, sizeof(k), "aws4_request", 12, k2);
	hmac_sha256(k2, sizeof(k2), sts, strlen(sts), k);
	hex_encode(k, sizeof(k), out);
}

/* Canonical request -> string to sign -> signature. */
static void
s3_sign(const char *method, const char *path, const char *query,
    const char *headers, const char *signed_list, const char *payload,
    const char *amzdate, const char *region, const char *secret,
    char sig[65])
{
	struct buf	 cr = { 0 }, sts = { 0 };
	char		 date[9], crhash[SHA256_HEX_LEN];

	snprintf(date, sizeof(date), "%.8s", amzdate);
	buf_printf(&cr, "%s\n", method);
	s3_uri_encode(&cr, path, 1);
	buf_printf(&cr, "\n%s\n%s\n\n%s\n%s", query, headers, signed_list,
	    payload);
	sha256_hex(cr.data, cr.len, crhash);
	buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/s3/aws4_request\n%s",
	    amzdate, date, region, crhash);
	s3_signature(secret, date, region, sts.data, sig);
	buf_free(&cr);
	buf_free(&sts);
}

char *
s3_authorization(const char *method, const char *path, const char *query,
    const char *headers, const char *signed_list, const char *payload,
    const char *amzdate, const char *region, const char *access,
    const char *secret)
{
	struct buf	 b = { 0 };
	char		 sig[65];

	s3_sign(method, path, query, headers, signed_list, payload, amzdate,
	    region, secret, sig);
	buf_printf(&b, "AWS4-HMAC-SHA256 "
	    "Credential=%s/%.8s/%s/s3/aws4_request, "
	    "SignedHeaders=%s, Signature=%s", access, amzdate, region,
	    signed_list, sig);
	return buf_take(&b);
}

/* Host (with port) and path of an object. */
static void
s3_where(const struct s3_cfg *c, const char *key, struct buf *host,
    struct buf *path, struct buf *base)
{
	const char	*h;

	if (c->endpoint != NULL && *c->endpoint != '\0') {
		h = strstr(c->endpoint, "://");
		h = h ? h + 3 : c->endpoint;
		buf_printf(host, "%.*s", (int)strcspn(h, "/"), h);
		buf_printf(base, "%.*s", (int)(h - c->endpoint), c->endpoint);
		buf_puts(base, host->data);
		buf_printf(path, "/%s/%s", c->bucket, key);
	} else if (c->path_style) {
		buf_printf(host, "s3.%s.amazonaws.com", c->region);
		buf_printf(base, "https://%s", host->data);
		buf_printf(path, "/%s/%s", c->bucket, key);
	} else if (strcmp(c->region, "us-east-1") == 0) {
		/* the original global endpoint */
		buf_printf(host, "%s.s3.amazonaws.com", c->bucket);
		buf_printf(base, "https://%s", host->data);
		buf_printf(path, "/%s", key);
	} else {
		buf_printf(host, "%s.s3.%s.amazonaws.com", c->bucket,
		    c->region);
		buf_printf(base, "https://%s", host->data);
		buf_printf(path, "/%s", key);
	}
}

char *
s3_presign(const struct s3_cfg *c, const char *key, const char *amzdate,
    long expires)
{
	struct buf	 host = { 0 }, path = { 0 }, base = { 0 }, q = { 0 },
			 cred = { 0 }, hdr = { 0 }, url = { 0 };
	char		 sig[65];

	s3_where(c, key, &host, &path, &base);
	buf_printf(&cred, "%s/%.8s/%s/s3/aws4_request", c->access_key, amzdate,
	    c->region);
	buf_puts(&q, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
	s3_uri_encode(&q, cred.data, 0);
	buf_printf(&q, "&X-Amz-Date=%s&X-Amz-Expires=%ld"
	    "&X-Amz-SignedHeaders=host", amzdate, expires);
	buf_printf(&hdr, "host:%s", host.data);
	s3_sign("GET", path.data, q.data, hdr.data, "host", "UNSIGNED-PAYLOAD",
	    amzdate, c->region, c->secret_key, sig);
	buf_puts(&url, base.data);
	s3_uri_encode(&url, path.data, 1);
	buf_printf(&url, "?%s&X-Amz-Signature=%s", q.data, sig);
	buf_free(&host);
	buf_free(&path);
	buf_free(&base);
	buf_free(&q);
	buf_free(&cred);
	buf_free(&hdr);
	return buf_take(&url);
}

/* One signed request: 0 on 2xx, else -1 with err. */
static int
s3_request(const struct s3_cfg *c, const char *method, const char *key,
    const void *body, size_t len, const char *ctype, struct http_resp *resp,
    char *err, size_t errsz)
{
	struct http_req	 req;
	struct buf	 host = { 0 }, path = { 0 }, base = { 0 }, hdrs = { 0 },
			 url = { 0 }, h_auth = { 0 }, h_sha = { 0 },
			 h_date = { 0 }, h_type = { 0 };
	const char	*list[6];
	char		 amz[17], hash[SHA256_HEX_LEN], *auth, *code;
	int		 n = 0, rc = -1;

	s3_amzdate((long)time(NULL), amz);
	sha256_hex(body ? body : "", body ? len : 0, hash);
	s3_where(c, key, &host, &path, &base);
	buf_printf(&hdrs, "host:%s\nx-amz-content-sha256:%s\nx-amz-date:%s",
	    host.data, hash, amz);
	auth = s3_authorization(method, path.data, "", hdrs.data,
	    "host;x-amz-content-sha256;x-amz-date", hash, amz, c->region,
	    c->access_key, c->secret_key);
	buf_printf(&h_auth, "Authorization: %s", auth);
	buf_printf(&h_sha, "x-amz-content-sha256: %s", hash);
	buf_printf(&h_date, "x-amz-date: %s", amz);
	list[n++] = h_auth.data;
	list[n++] = h_sha.data;
	list[n++] = h_date.data;
	if (ctype != NULL) {
		buf_printf(&h_type, "Content-Type: %s", ctype);
		list[n++] = h_type.data;
	}
	list[n] = NULL;
	buf_puts(&url, base.data);
	s3_uri_encode(&url, path.data, 1);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url.data;
	req.headers = list;
	req.body = body;
	req.bodylen = len;
	req.timeout_ms = 30000;
	if (http_do(&req, resp) == -1)
		snprintf(err, errsz, "S3 unreachable: %s", resp->err);
	else if (resp->status >= 200 && resp->status < 300)
		rc = 0;
	else {
		code = NULL;
		if (resp->body.data != NULL && (code = strstr(resp->body.data,
		    "<Code>")) != NULL)
			code += 6;
		snprintf(err, errsz, "S3 HTTP %ld %.*s", resp->status,
		    code ? (int)strcspn(code, "<") : 0, code ? code : "");
	}
	free(auth);
	buf_free(&host);
	buf_free(&path);
	buf_free(&base);
	buf_free(&hdrs);
	buf_free(&url);
	buf_free(&h_auth);
	buf_free(&h_sha);
	buf_free(&h_date);
	buf_free(&h_type);
	return rc;
}

int
s3_put(const struct s3_cfg *c, const char *key, const void *data, size_t len,
    const char *ctype, char *err, size_t errsz)
{
	struct http_resp	 resp;
	int			 rc;

	rc = s3_request(c, "PUT", key, data, len, ctype, &resp, err, errsz);
	http_resp_free(&resp);
	return rc;
}

int
s3_get(const struct s3_cfg *c, const char *key, struct buf *out,
    size_t maxlen, char *err, size_t errsz)
{
	struct http_resp	 resp;
	int			 rc;

	rc = s3_request(c, "GET", key, NULL, 0, NULL, &resp, err, errsz);
	if (rc == -1 && resp.status == 404)
		rc = -2;
	if (rc == 0 && resp.body.len > maxlen) {
		snprintf(err, errsz, "%s: larger than %zu bytes", key, maxlen);
		rc = -2;
	}
	if (rc == 0)
		buf_append(out, resp.body.data ? resp.body.data : "",
		    resp.body.len);
	http_resp_free(&resp);
	return rc;
}

int
s3_delete(const struct s3_cfg *c, const char *key, char *err, size_t errsz)
{
	struct http_resp	 resp;
	int			 rc;

	rc = s3_request(c, "DELETE", key, NULL, 0, NULL, &resp, err, errsz);
	http_resp_free(&resp);
	return rc;
}
