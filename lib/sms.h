/*
 * sms: text messages (OTP codes) through a backend.
 *
 *   log     development: one line per message appended to log_path,
 *           "<ISO time>\t<phone>\t<text>\n", in a single write(2) so
 *           concurrent processes never interleave.  Refused in production
 *           by the configuration check.
 *   twilio  Twilio's Messages API over libcurl.
 */
#ifndef SMS_H
#define SMS_H

#include <stddef.h>

struct sms_cfg {
	const char	*backend;	/* "log" or "twilio" */
	const char	*log_path;
	const char	*twilio_base;	/* default https://api.twilio.com */
	const char	*account_sid;
	const char	*auth_token;
	const char	*api_key;		/* preferred over auth_token */
	const char	*api_secret;
	const char	*from;			/* E.164 sender, or */
	const char	*messaging_service_sid;	/* a Messaging Service */
};

enum sms_rc {
	SMS_OK = 0,	/* accepted; detail holds the provider's id */
	SMS_TEMPFAIL,	/* unreachable, 429 or 5xx: try again later */
	SMS_PERMFAIL	/* refused (bad number, bad credentials, config) */
};

/* Send body to the phone number to; detail (may be NULL) gets the
 * provider's id or its error text. */
enum sms_rc sms_send(const struct sms_cfg *, const char *to,
	    const char *body, char *detail, size_t detailsz);

#endif /* SMS_H */
