/*
 * mail: see mail.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "cfg.h"
#include "crypto.h"
#include "http.h"
#include "mail.h"
#include "tmpl.h"
#include "valid.h"

static int
mail_header_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

static int
mail_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* RFC 2047 encoded-word when s is not plain ASCII. */
static void
mail_word(struct buf *b, const char *s)
{
	char	*e;

	if (mail_ascii(s)) {
		buf_puts(b, s);
		return;
	}
	e = base64_encode(s, strlen(s));
	buf_printf(b, "=?UTF-8?B?%s?=", e);
	free(e);
}

/* Quoted-printable (RFC 2045) with CRLF line ends and 76-column lines. */
static void
mail_qp(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int	 col = 0;
	char	 e[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r')
			continue;
		if (c == '\n') {
			buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		if (col >= 73) {
			buf_puts(b, "=\r\n");
			col = 0;
		}
		if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' &&
		    s[1] != '\n' && s[1] != '\0' && s[1] != '\r')) {
			buf_append(b, s, 1);
			col++;
		} else {
			e[0] = '=';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			buf_append(b, e, 3);
			col += 3;
		}
	}
}

/* The bare address of "Name <addr>" or "addr". */
static void
mail_addr(const char *s, char *out, size_t outsz)
{
	const char	*lt = strchr(s, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		snprintf(out, outsz, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, outsz, "%s", s);
}

/* The calendar part of a multipart/mixed message, base64 in lines of 76,
 * and the closing boundary. */
static void
mail_calendar(struct buf *out, const char *hex, const char *ics,
    const char *method)
{
	char	*b;
	size_t	 i, n;

	buf_printf(out, "--=_connectify_mix_%s\r\nContent-Type: text/calendar; "
	    "charset=utf-8; method=%s; name=\"invite.ics\"\r\n"
	    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", hex, method);
	if ((b = base64_encode(ics, strlen(ics))) != NULL) {
		n = strlen(b);
		for (i = 0; i < n; i += 76) {
			buf_append(out, b + i, n - i < 76 ? n - i : 76);
			buf_puts(out, "\r\n");
		}
		free(b);
	}
	buf_printf(out, "--=_connectify_mix_%s--\r\n", hex);
}

int
mail_build(const struct mail_cfg *c, const struct mail_msg *m, long now,
    struct buf *out)
{
	unsigned char	 rnd[12];
	char		 date[64], bnd[48], hex[25];
	struct tm	 tm;
	time_t		 t = (time_t)now;

	if (!mail_header_ok(m->to) || !mail_header_ok(m->to_name) ||
	    !mail_header_ok(m->subject) || !mail_header_ok(m->message_id) ||
	    !mail_header_ok(c->from) || !valid_email(m->to))
		return -1;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (random_bytes(rnd, sizeof(rnd)) == -1)
		memset(rnd, 7, sizeof(rnd));
	hex_encode(rnd, sizeof(rnd), hex);
	snprintf(bnd, sizeof(bnd), "=_connectify_%s", hex);
	buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: ", date, c->from);
	if (m->to_name != NULL && *m->to_name != '\0') {
		if (mail_ascii(m->to_name) && strpbrk(m->to_name,
		    "\",;:<>@()[]\\") == NULL)
			buf_puts(out, m->to_name);
		else if (mail_ascii(m->to_name)) {
			buf_puts(out, "\"");
			for (const char *p = m->to_name; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_puts(out, "\\");
				buf_append(out, p, 1);
			}
			buf_puts(out, "\"");
		} else
			mail_word(out, m->to_name);
		buf_printf(out, " <%s>\r\n", m->to);
	} else
		buf_printf(out, "%s\r\n", m->to);
	buf_puts(out, "Subject: ");
	mail_word(out, m->subject);
	buf_printf(out, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n",
	    m->message_id);
	if (m->ics != NULL) {
		if (m->ics_method == NULL || !mail_header_ok(m->ics_method))
			return -1;
		buf_printf(out, "Content-Type: multipart/mixed; boundary="
		    "\"=_connectify_mix_%s\"\r\n\r\nThis is a multi-part "
		    "message in MIME format.\r\n--=_connectify_mix_%s\r\n",
		    hex, hex);
	}
	buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\""
	    "\r\n\r\n"
	    "This is a multi-part message in MIME format.\r\n"
	    "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", bnd, bnd);
	mail_qp(out, m->text);
	buf_printf(out, "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", bnd);
	mail_qp(out, m->html);
	buf_printf(out, "\r\n--%s--\r\n", bnd);
	if (m->ics != NULL)
		mail_calendar(out, hex, m->ics, m->ics_method);
	return 0;
}

struct mail_reader {
	const char		*p;
	size_t			 left;
	const struct mail_cfg	*c;
	int			 told;	/* body_sent called */
};

/* The message for DATA; with its last bytes (libcurl reads no further
 * than the size it was given, then sends the final dot) tell the caller
 * once. */
static size_t
mail_read(char *dst, size_t sz, size_t n, void *arg)
{
	struct mail_reader	*r = arg;
	size_t			 k = sz * n < r->left ? sz * n : r->left;

	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	if (r->left == 0 && !r->told && r->c->body_sent != NULL) {
		r->told = 1;
		r->c->body_sent(r->c->body_arg);
	}
	return k;
}

/* libcurl hands SMTP server replies to the header callback, one line at
 * a time: keep the last (after the transfer, the answer to the final
 * dot), without its line end. */
static size_t
mail_reply(char *p, size_t sz, size_t n, void *arg)
{
	struct buf	*b = arg;
	size_t		 len = sz * n;

	buf_reset(b);
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	buf_append(b, p, len);
	return sz * n;
}

static enum mail_rc
mail_file(const struct mail_cfg *c, const struct mail_msg *m,
    const struct buf *msg, char *detail, size_t dsz)
{
	char	 path[4096], tmp[4200], name[200];
	size_t	 i, o = 0;
	int	 fd;

	/* <outbox-7@host> -> outbox-7@host.eml */
	for (i = 0; m->message_id[i] != '\0' && o < sizeof(name) - 1; i++)
		if (m->message_id[i] != '<' && m->message_id[i] != '>' &&
		    m->message_id[i] != '/')
			name[o++] = m->message_id[i];
	name[o] = '\0';
	snprintf(path, sizeof(path), "%s/%s.eml", c->dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1 || write(fd, msg->data, msg->len) !=
	    (ssize_t)msg->len || fsync(fd) == -1 || close(fd) == -1 ||
	    rename(tmp, path) == -1) {
		snprintf(detail, dsz, "%s: %s", path, strerror(errno));
		return MAIL_TEMPFAIL;
	}
	snprintf(detail, dsz, "written to %s", path);
	return MAIL_OK;
}

enum mail_rc
mail_send(const struct mail_cfg *c, const struct mail_msg *m, char *detail,
    size_t dsz)
{
	struct curl_slist	*rcpt = NULL;
	struct mail_reader	 rd;
	struct buf		 msg = { 0 }, url = { 0 }, to = { 0 },
				 reply = { 0 };
	CURL			*h;
	CURLcode		 cc;
	char			 from[256];
	long			 code = 0;
	enum mail_rc		 rc;

	if (mail_build(c, m, (long)time(NULL), &msg) == -1) {
		snprintf(detail, dsz, "refused: a bad address or a line break "
		    "in a header");
		buf_free(&msg);
		return MAIL_PERMFAIL;
	}
	if (c->backend != NULL && strcmp(c->backend, "file") == 0) {
		rc = mail_file(c, m, &msg, detail, dsz);
		buf_free(&msg);
		return rc;
	}
	if ((h = curl_easy_init()) == NULL) {
		buf_free(&msg);
		snprintf(detail, dsz, "curl init failed");
		return MAIL_TEMPFAIL;
	}
	buf_printf(&url, "%s://%s:%ld", c->tls && strcmp(c->tls, "tls") == 0 ?
	    "smtps" : "smtp", c->host, c->port);
	mail_addr(c->from, from, sizeof(from));
	buf_printf(&to, "<%s>", m->to);
	rcpt = curl_slist_append(NULL, to.data);
	memset(&rd, 0, sizeof(rd));
	rd.p = msg.data;
	rd.left = msg.len;
	rd.c = c;
	curl_easy_setopt(h, CURLOPT_URL, url.data);
	if (c->tls && strcmp(c->tls, "starttls") == 0)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (c->user != NULL && *c->user != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ?
		    c->password : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, mail_reply);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &reply);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms > 0 ?
	    c->timeout_ms : 30000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	http_watch(h);	/* the worker renews its leases meanwhile */
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cc == CURLE_OK) {
		if (reply.len > 0)
			snprintf(detail, dsz, "%s", reply.data);
		else
			snprintf(detail, dsz, "%ld accepted", code);
		rc = MAIL_OK;
	} else {
		if (reply.len > 0 && code != 0)
			snprintf(detail, dsz, "%s (%s)", reply.data,
			    curl_easy_strerror(cc));
		else
			snprintf(detail, dsz, "%ld %s", code,
			    curl_easy_strerror(cc));
		/* a 5xx answer (or a refused login) will not get better */
		rc = (code >= 500 && code < 600) || cc == CURLE_LOGIN_DENIED ?
		    MAIL_PERMFAIL : MAIL_TEMPFAIL;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	buf_free(&msg);
	buf_free(&url);
	buf_free(&to);
	buf_free(&reply);
	return rc;
}

void
mail_config(struct mail_cfg *mc, long timeout_ms)
{
	memset(mc, 0, sizeof(*mc));
	mc->backend = cfg.mail_backend;
	mc->host = cfg.smtp_host;
	mc->port = cfg.smtp_port;
	mc->tls = cfg.smtp_tls;
	mc->user = cfg.smtp_user;
	mc->password = cfg.smtp_password;
	mc->from = cfg.mail_from;
	mc->dir = cfg.mail_dir;
	mc->timeout_ms = timeout_ms;
}

/* One part: name.ext rendered, trailing line breaks dropped. */
static int
mail_part(const char *name, const char *ext, struct json_object *vars,
    enum tmpl_esc esc, struct buf *out, char *err, size_t errsz)
{
	struct buf	 src = { 0 };
	int		 rc;

	if (tmpl_load(cfg.template_dir, name, ext, &src, err, errsz) == -1)
		return -1;
	/* An empty file leaves src.data NULL. */
	rc = tmpl_render(buf_str(&src), vars, esc, out, err, errsz);
	buf_free(&src);
	while (out->len > 0 && (out->data[out->len - 1] == '\n' ||
	    out->data[out->len - 1] == '\r'))
		out->data[--out->len] = '\0';
	return rc;
}

int
mail_render(const char *name, struct json_object *vars, long now,
    struct buf *subject, struct buf *text, struct buf *html, char *err,
    size_t errsz)
{
	time_t		 t = (time_t)now;
	struct tm	 tm;
	char		 year[16];

	gmtime_r(&t, &tm);
	snprintf(year, sizeof(year), "%d", tm.tm_year + 1900);
	json_object_object_add(vars, "link", json_object_new_string(
	    cfg.frontend_url != NULL ? cfg.frontend_url : ""));
	json_object_object_add(vars, "year", json_object_new_string(year));
	if (mail_part(name, "subject", vars, TMPL_RAW, subject, err,
	    errsz) == -1 ||
	    mail_part(name, "txt", vars, TMPL_RAW, text, err, errsz) == -1 ||
	    mail_part(name, "html", vars, TMPL_HTML, html, err, errsz) == -1)
		return -1;
	return 0;
}
