/*
 * webhook: events, URL and address rules, signatures.  See webhook.h.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "crypto.h"
#include "webhook.h"

const char *const webhook_events[] = {
	"registration.scored", "candidate.advanced", "interview.completed",
	"candidate.selected", NULL
};

int
webhook_event_known(const char *e)
{
	size_t	 i;

	for (i = 0; webhook_events[i] != NULL; i++)
		if (strcmp(webhook_events[i], e) == 0)
			return 1;
	return 0;
}

/* IPv4 networks no webhook may reach: address, prefix length. */
static const struct {
	const char	*net;
	int		 bits;
} v4_refused[] = {
	{ "0.0.0.0", 8 }, { "10.0.0.0", 8 }, { "100.64.0.0", 10 },
	{ "127.0.0.0", 8 }, { "169.254.0.0", 16 }, { "172.16.0.0", 12 },
	{ "192.0.0.0", 24 }, { "192.168.0.0", 16 }, { "198.18.0.0", 15 },
	{ "224.0.0.0", 4 }, { "240.0.0.0", 4 },
};

static int
v4_ok(const struct in_addr *a)
{
	struct in_addr	 n;
	uint32_t	 mask;
	size_t		 i;

	for (i = 0; i < sizeof(v4_refused) / sizeof(v4_refused[0]); i++) {
		if (inet_pton(AF_INET, v4_refused[i].net, &n) != 1)
			continue;
		mask = htonl(0xffffffffU << (32 - v4_refused[i].bits));
		if ((a->s_addr & mask) == (n.s_addr & mask))
			return 0;
	}
	return 1;
}

static int
v6_ok(const struct in6_addr *a)
{
	struct in_addr	 v4;

	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
		memcpy(&v4.s_addr, &a->s6_addr[12], 4);
		return v4_ok(&v4);
	}
	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
	    IN6_IS_ADDR_MULTICAST(a))
		return 0;
	/* unique local fc00::/7, NAT64 64:ff9b::/96 */
	if ((a->s6_addr[0] & 0xfe) == 0xfc)
		return 0;
	if (a->s6_addr[0] == 0 && a->s6_addr[1] == 0x64 &&
	    a->s6_addr[2] == 0xff && a->s6_addr[3] == 0x9b)
		return 0;
	return 1;
}

/* Scheme, host and port of url: 0, or -1 with why. */
static int
url_parts(const char *url, struct webhook_target *t, char *why,
    size_t whysz)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *user = NULL,
		*frag = NULL;
	int	 rc = -1;

	if ((u = curl_url()) == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		snprintf(why, whysz, "is not a URL");
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		snprintf(why, whysz, "must be http or https");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
		snprintf(why, whysz, "must have no user name or fragment");
		goto out;
	}
	/* An IPv6 literal comes back in brackets. */
	snprintf(t->host, sizeof(t->host), "%s", host[0] == '[' ? host + 1 :
	    host);
	t->host[strcspn(t->host, "]")] = '\0';
	t->port = atoi(port);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(frag);
	curl_url_cleanup(u);
	return rc;
}

int
webhook_target(const char *url, int allow_private, struct webhook_target *t,
    char *why, size_t whysz)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 addr[INET6_ADDRSTRLEN];
	const void	*p;
	int		 ok, rc = -1;

	memset(t, 0, sizeof(*t));
	if (url_parts(url, t, why, whysz) == -1)
		return -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(t->host, NULL, &hints, &res) != 0 || res == NULL) {
		snprintf(why, whysz, "host %s does not resolve", t->host);
		return -2;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			p = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
			ok = v4_ok(p);
		} else if (ai->ai_family == AF_INET6) {
			p = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
			ok = v6_ok(p);
		} else
			continue;
		inet_ntop(ai->ai_family, p, addr, sizeof(addr));
		if (!ok && !allow_private) {
			snprintf(why, whysz, "%s resolves to %s, a private, "
			    "loopback or link-local address", t->host, addr);
			goto out;
		}
		if (t->pin[0] == '\0')
			snprintf(t->pin, sizeof(t->pin), ai->ai_family ==
			    AF_INET6 ? "%s:%d:[%s]" : "%s:%d:%s", t->host,
			    t->port, addr);
	}
	if (t->pin[0] == '\0') {
		snprintf(why, whysz, "host %s has no address", t->host);
		rc = -2;
		goto out;
	}
	rc = 0;
out:
	freeaddrinfo(res);
	return rc;
}

void
webhook_sign(const char *secret, long t, const char *body, size_t len,
    char out[WEBHOOK_SIG_LEN])
{
	unsigned char	 mac[SHA256_LEN];
	char		 hex[2 * SHA256_LEN + 1];
	struct buf	 m = { 0 };

	buf_printf(&m, "%ld.", t);
	buf_append(&m, body, len);
	hmac_sha256(secret, strlen(secret), m.data, m.len, mac);
	buf_free(&m);
	hex_encode(mac, sizeof(mac), hex);
	snprintf(out, WEBHOOK_SIG_LEN, "t=%ld,v1=%s", t, hex);
}
