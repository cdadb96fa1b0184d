/*
 * sms: see sms.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "http.h"
#include "sms.h"
#include "twilio.h"

static enum sms_rc
sms_log(const struct sms_cfg *c, const char *to, const char *body,
    char *detail, size_t dsz)
{
	struct buf	 line = { 0 };
	struct tm	 tm;
	time_t		 now = time(NULL);
	const char	*p;
	ssize_t		 n;
	int		 fd;

	if (c->log_path == NULL || *c->log_path == '\0') {
		snprintf(detail, dsz, "SMS_LOG is not set");
		return SMS_PERMFAIL;
	}
	gmtime_r(&now, &tm);
	buf_printf(&line, "%04d-%02d-%02dT%02d:%02d:%02dZ\t%s\t",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, to);
	/* One message, one line. */
	for (p = body; *p != '\0'; p++)
		buf_append(&line, *p == '\n' || *p == '\t' || *p == '\r' ?
		    " " : p, 1);
	buf_append(&line, "\n", 1);
	if ((fd = open(c->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1) {
		snprintf(detail, dsz, "cannot open %s", c->log_path);
		buf_free(&line);
		return SMS_TEMPFAIL;
	}
	n = write(fd, line.data, line.len);
	close(fd);
	if (n != (ssize_t)line.len) {
		snprintf(detail, dsz, "short write to %s", c->log_path);
		buf_free(&line);
		return SMS_TEMPFAIL;
	}
	snprintf(detail, dsz, "logged");
	buf_free(&line);
	return SMS_OK;
}

static void
sms_form_add(struct buf *b, const char *k, const char *v)
{
	char	*e = http_form_escape(v);

	buf_printf(b, "%s%s=%s", b->len ? "&" : "", k, e);
	free(e);
}

/* Twilio's error text: {"code","message"} (or RFC 9457 "detail"). */
static void
sms_twilio_error(const struct http_resp *resp, char *detail, size_t dsz)
{
	struct json_object	*o, *v;
	const char		*msg = NULL;
	long			 code = 0;

	o = json_tokener_parse(buf_str(&resp->body));
	if (o != NULL) {
		if (json_object_object_get_ex(o, "message", &v) ||
		    json_object_object_get_ex(o, "detail", &v))
			msg = json_object_get_string(v);
		if (json_object_object_get_ex(o, "code", &v))
			code = (long)json_object_get_int64(v);
	}
	snprintf(detail, dsz, "twilio HTTP %ld code %ld: %s", resp->status,
	    code, msg ? msg : "(no message)");
	json_object_put(o);
}

static enum sms_rc
sms_twilio(const struct sms_cfg *c, const char *to, const char *body,
    char *detail, size_t dsz)
{
	struct twilio_auth	 ta = { c->twilio_base, c->account_sid,
	    c->auth_token, c->api_key, c->api_secret };
	struct http_resp	 resp;
	struct json_object	*o, *v;
	struct buf		 form = { 0 };
	enum sms_rc		 rc;

	if (!twilio_configured(&ta) ||
	    (c->from == NULL && c->messaging_service_sid == NULL)) {
		snprintf(detail, dsz, "Twilio is not configured (account, "
		    "credentials and a sender are needed)");
		return SMS_PERMFAIL;
	}
	sms_form_add(&form, "To", to);
	sms_form_add(&form, "Body", body);
	if (c->messaging_service_sid != NULL)
		sms_form_add(&form, "MessagingServiceSid",
		    c->messaging_service_sid);
	else
		sms_form_add(&form, "From", c->from);
	if (twilio_post(&ta, "Messages.json", form.data, &resp) == -1) {
		snprintf(detail, dsz, "twilio unreachable: %s", resp.err);
		rc = SMS_TEMPFAIL;
	} else if (resp.status == 201 || resp.status == 200) {
		o = json_tokener_parse(buf_str(&resp.body));
		snprintf(detail, dsz, "%s", o != NULL &&
		    json_object_object_get_ex(o, "sid", &v) ?
		    json_object_get_string(v) : "accepted");
		json_object_put(o);
		rc = SMS_OK;
	} else {
		sms_twilio_error(&resp, detail, dsz);
		rc = resp.status == 429 || resp.status >= 500 ?
		    SMS_TEMPFAIL : SMS_PERMFAIL;
	}
	http_resp_free(&resp);
	buf_free(&form);
	return rc;
}

enum sms_rc
sms_send(const struct sms_cfg *c, const char *to, const char *body,
    char *detail, size_t dsz)
{
	char	 scratch[8];

	if (detail == NULL) {
		detail = scratch;
		dsz = sizeof(scratch);
	}
	if (c->backend != NULL && strcmp(c->backend, "twilio") == 0)
		return sms_twilio(c, to, body, detail, dsz);
	if (c->backend == NULL || strcmp(c->backend, "log") == 0)
		return sms_log(c, to, body, detail, dsz);
	snprintf(detail, dsz, "unknown SMS_BACKEND \"%s\"", c->backend);
	return SMS_PERMFAIL;
}
