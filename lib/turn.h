/*
 * turn: ICE server lists for WebRTC, in the RTCIceServer shape a browser
 * hands to RTCPeerConnection: {"ice_servers": [{"urls": [...],
 * "username", "credential"}...], "ttl": seconds}.
 *
 *   coturn  time-limited credentials from coturn's shared secret (its
 *           REST API scheme): username "<expiry>:<user>", credential
 *           base64(HMAC-SHA1(secret, username)).
 *   twilio  Twilio's Network Traversal Service tokens.
 */
#ifndef TURN_H
#define TURN_H

#include <stddef.h>

#include <json-c/json.h>

/* base64 HMAC-SHA1 of username under secret; caller frees. */
char	*turn_coturn_credential(const char *secret, const char *username);

/*
 * ICE servers for user, valid ttl seconds from now, for urls (a comma or
 * space separated list; stun: entries get no credentials).  Caller puts
 * the result.
 */
struct json_object *turn_coturn_ice(const char *secret, const char *user,
	    long ttl, long now, const char *urls);

struct turn_twilio_cfg {
	const char	*base;		/* default https://api.twilio.com */
	const char	*account_sid;
	const char	*auth_token;
	const char	*api_key;	/* preferred when set with api_secret */
	const char	*api_secret;
	long		 ttl;
};

enum turn_rc {
	TURN_OK = 0,		/* *out holds the ICE servers */
	TURN_UPSTREAM_AUTH,	/* Twilio refused our credentials: 502 */
	TURN_UPSTREAM_BUSY,	/* 429, 5xx, unreachable: 503 */
	TURN_UPSTREAM_BAD	/* an answer we cannot use: 502 */
};

/*
 * Ask Twilio for ICE servers.  On TURN_OK *out gets {"ice_servers",
 * "ttl"} with only urls/username/credential of each entry.  *retry_after
 * gets Twilio's Retry-After seconds on TURN_UPSTREAM_BUSY (0 if none).
 */
enum turn_rc turn_twilio_ice(const struct turn_twilio_cfg *,
	    struct json_object **out, long *retry_after, char *err,
	    size_t errsz);

#endif /* TURN_H */
