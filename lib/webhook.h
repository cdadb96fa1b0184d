/*
 * webhook: what the API and the worker share about signed webhooks: the
 * events, the URL and address rules, and the signature.
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include <stddef.h>

#include "crypto.h"

/* The events an endpoint may ask for, NULL-terminated. */
extern const char *const webhook_events[];
int	webhook_event_known(const char *);

/* Where a URL goes: its host (without brackets) and port. */
struct webhook_target {
	char	host[256];
	int	port;
	char	pin[320];	/* "host:port:address" for CURLOPT_RESOLVE */
};

/*
 * Check url (http or https, a host, no user name or fragment), resolve
 * its host and check every address: a private, loopback, link-local,
 * multicast or unspecified one is refused unless allow_private.  0 with
 * *t filled (pin holds the first address, to connect to that one and no
 * other); -1 with why (the URL or an address is refused); -2 with why
 * when the host does not resolve now.
 */
int	webhook_target(const char *url, int allow_private,
	    struct webhook_target *t, char *why, size_t whysz);

/* "t=<t>,v1=<hex HMAC-SHA256(secret, t "." body)>" into out. */
#define WEBHOOK_SIG_LEN	(32 + 4 + 2 * SHA256_LEN + 1)
void	webhook_sign(const char *secret, long t, const char *body,
	    size_t len, char out[WEBHOOK_SIG_LEN]);

#endif /* WEBHOOK_H */
