/*
 * webhook {"delivery_id"}: POST one delivery's body to its endpoint,
 * signed (Connectify-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
 * secret over t "." body>), and log the answer.
 *
 * The delivery row is taken ("sending", its attempt counted) and
 * committed before the request, and its outcome is written before the
 * job completes: a job that comes back after its worker died finds a
 * delivered row and sends nothing; one that died in the middle of the
 * request sends again with the same Connectify-Delivery id, which
 * receivers use to drop the second copy.  Failures (no answer, or a
 * status other than 2xx) are retried by the queue with its backoff.
 *
 * The host is resolved here and every address checked (private,
 * loopback and link-local ones refused unless WEBHOOK_ALLOW_PRIVATE=1);
 * libcurl is then pinned to the checked address (CURLOPT_RESOLVE), so a
 * second lookup cannot lead it elsewhere.  Redirects are not followed; no
 * proxy is used; time limits are WEBHOOK_CONNECT_TIMEOUT_MS and
 * WEBHOOK_TIMEOUT_MS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "http.h"
#include "log.h"
#include "webhook.h"

/* Bytes of an answer kept in the log. */
#define WH_KEEP		2048

struct wh_send {
	const char	*id;		/* delivery id */
	const char	*url, *secret, *body, *event;
	long		 status;	/* HTTP status, 0 when none */
	struct buf	 answer;	/* the first WH_KEEP bytes */
	char		 err[256];
};

static size_t
wh_read(char *p, size_t sz, size_t n, void *arg)
{
	struct buf	*b = arg;
	size_t		 len = sz * n;

	if (b->len < WH_KEEP)
		buf_append(b, p, len < WH_KEEP - b->len ? len :
		    WH_KEEP - b->len);
	return len;
}

/* One POST; s->status and s->answer, or s->err. */
static void
wh_post(struct wh_send *s, const struct webhook_target *t)
{
	struct curl_slist	*hdrs = NULL, *pin = NULL;
	CURL			*h;
	char			 line[WEBHOOK_SIG_LEN + 64];
	char			 sig[WEBHOOK_SIG_LEN];
	CURLcode		 cc;

	if ((h = curl_easy_init()) == NULL) {
		snprintf(s->err, sizeof(s->err), "curl_easy_init failed");
		return;
	}
	webhook_sign(s->secret, (long)time(NULL), s->body, strlen(s->body),
	    sig);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, "User-Agent: Connectify-Webhooks/1");
	snprintf(line, sizeof(line), "Connectify-Signature: %s", sig);
	hdrs = curl_slist_append(hdrs, line);
	snprintf(line, sizeof(line), "Connectify-Event: %s", s->event);
	hdrs = curl_slist_append(hdrs, line);
	snprintf(line, sizeof(line), "Connectify-Delivery: %s", s->id);
	hdrs = curl_slist_append(hdrs, line);
	hdrs = curl_slist_append(hdrs, "Expect:");
	pin = curl_slist_append(pin, t->pin);
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_RESOLVE, pin);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg.webhook_connect_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg.webhook_timeout_ms);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(s->body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, wh_read);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s->answer);
	http_watch(h);
	if ((cc = curl_easy_perform(h)) != CURLE_OK)
		snprintf(s->err, sizeof(s->err), "%s", curl_easy_strerror(cc));
	else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &s->status);
	curl_slist_free_all(hdrs);
	curl_slist_free_all(pin);
	curl_easy_cleanup(h);
}

/* Log the attempt and the delivery's outcome. */
static int
wh_record(struct wh_send *s, const char *attempt, long ms, int ok)
{
	char	 st[16], dur[24];

	snprintf(st, sizeof(st), "%ld", s->status);
	snprintf(dur, sizeof(dur), "%ld", ms);
	return db_q(STMT_WEBHOOK_RESULT, NULL, s->id, attempt,
	    s->status > 0 ? st : NULL, buf_str(&s->answer),
	    s->err[0] != '\0' ? s->err : NULL, dur, ok ? "t" : "f");
}

static long
wh_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum job_rc
j_webhook(struct job *j, char *err, size_t errsz)
{
	struct webhook_target	 t;
	struct wh_send		 s;
	struct json_object	*v;
	PGresult		*res = NULL;
	enum job_rc		 jrc = JOB_RETRY;
	char			 id[24];
	long			 t0;
	int			 k, ok;

	memset(&s, 0, sizeof(s));
	if (!json_object_object_get_ex(j->args, "delivery_id", &v) ||
	    json_object_get_int64(v) <= 0) {
		snprintf(err, errsz, "no delivery_id");
		return JOB_FAIL;
	}
	snprintf(id, sizeof(id), "%lld", (long long)json_object_get_int64(v));
	if (db_q(STMT_WEBHOOK_CLAIM, &res, id) != DB_OK) {
		snprintf(err, errsz, "database");
		return JOB_RETRY;
	}
	if (PQntuples(res) == 0) {
		/* delivered already (a job run twice) or gone */
		PQclear(res);
		return JOB_OK;
	}
	s.id = id;
	s.url = db_text(res, 0, "url");
	s.secret = db_text(res, 0, "secret");
	s.body = db_text(res, 0, "body");
	s.event = db_text(res, 0, "event");
	t0 = wh_now_ms();
	if (!db_bool(res, 0, "active")) {
		snprintf(s.err, sizeof(s.err), "the endpoint was disabled");
		jrc = JOB_FAIL;
	} else if ((k = webhook_target(s.url, cfg.webhook_allow_private, &t,
	    s.err, sizeof(s.err))) == -1)
		jrc = JOB_FAIL;
	else if (k == 0)
		wh_post(&s, &t);
	ok = s.err[0] == '\0' && s.status >= 200 && s.status < 300;
	if (ok)
		jrc = JOB_OK;
	else if (s.err[0] == '\0')
		snprintf(s.err, sizeof(s.err), "answered %ld", s.status);
	if (wh_record(&s, db_text(res, 0, "attempts"), wh_now_ms() - t0, ok) !=
	    DB_OK && ok)
		jrc = JOB_RETRY;
	if (jrc != JOB_OK)
		snprintf(err, errsz, "delivery %s: %s", id, s.err);
	log_info("webhook delivery %s (%s) attempt %s: %s", id, s.event,
	    db_text(res, 0, "attempts"), ok ? "delivered" : s.err);
	buf_free(&s.answer);
	PQclear(res);
	return jrc;
}
