/*
 * twilio: one authenticated form POST to Twilio's REST API
 * (/2010-04-01/Accounts/{sid}/{resource}), shared by SMS and TURN.
 */
#ifndef TWILIO_H
#define TWILIO_H

#include "http.h"

struct twilio_auth {
	const char	*base;		/* NULL: https://api.twilio.com */
	const char	*account_sid;
	const char	*auth_token;
	const char	*api_key;	/* preferred when set with api_secret */
	const char	*api_secret;
};

/* 1 when the account and a credential pair are set. */
int	twilio_configured(const struct twilio_auth *);
/*
 * POST form (already encoded) to resource ("Messages.json"); resp as
 * http_do() fills it (caller frees).  0 when Twilio answered, -1 when it
 * could not be reached (resp->err says why).
 */
int	twilio_post(const struct twilio_auth *, const char *resource,
	    const char *form, struct http_resp *resp)
	    __attribute__((warn_unused_result));

#endif /* TWILIO_H */
