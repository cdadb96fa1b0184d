/*
 * link: signed, revocable links.  See link.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfg.h"
#include "crypto.h"
#include "link.h"
#include "valid.h"

void
link_make(const char *purpose, long id, const char *nonce,
    char out[LINK_LEN])
{
	unsigned char	 mac[SHA256_LEN];
	struct buf	 m = { 0 };
	char		*b;

	buf_printf(&m, "%s%c%ld%c%s", purpose, '\0', id, '\0', nonce);
	hmac_sha256(cfg.secret_key, strlen(cfg.secret_key), m.data, m.len,
	    mac);
	buf_free(&m);
	b = base64url_encode(mac, 16);
	snprintf(out, LINK_LEN, "%ld.%s", id, b != NULL ? b : "");
	free(b);
}

long
link_id(const char *token)
{
	char	 num[24];
	size_t	 n;
	long	 id;

	n = strcspn(token, ".");
	if (n == 0 || n >= sizeof(num) || token[n] != '.')
		return 0;
	memcpy(num, token, n);
	num[n] = '\0';
	if (!valid_long(num, 1, 1L << 62, &id))
		return 0;
	return id;
}

int
link_valid(const char *purpose, const char *token, long id,
    const char *nonce)
{
	char	 want[LINK_LEN];

	if (nonce == NULL || *nonce == '\0')
		return 0;
	link_make(purpose, id, nonce, want);
	return strlen(token) == strlen(want) &&
	    crypto_equal(token, want, strlen(want));
}
