/*
 * twilio: see twilio.h.
 */
#include <string.h>

#include "buf.h"
#include "twilio.h"

int
twilio_configured(const struct twilio_auth *a)
{
	return a->account_sid != NULL && (a->auth_token != NULL ||
	    (a->api_key != NULL && a->api_secret != NULL));
}

int
twilio_post(const struct twilio_auth *a, const char *resource,
    const char *form, struct http_resp *resp)
{
	static const char *hdrs[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL
	};
	struct http_req	 req;
	struct buf	 url = { 0 }, auth = { 0 };
	int		 rc;

	buf_printf(&url, "%s/2010-04-01/Accounts/%s/%s", a->base ? a->base :
	    "https://api.twilio.com", a->account_sid, resource);
	if (a->api_key != NULL && a->api_secret != NULL)
		buf_printf(&auth, "%s:%s", a->api_key, a->api_secret);
	else
		buf_printf(&auth, "%s:%s", a->account_sid, a->auth_token);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url.data;
	req.headers = hdrs;
	req.body = form;
	req.bodylen = strlen(form);
	req.userpwd = auth.data;
	req.timeout_ms = 10000;
	rc = http_do(&req, resp);
	buf_free(&url);
	/* The credentials do not linger in freed memory. */
	explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	return rc;
}
