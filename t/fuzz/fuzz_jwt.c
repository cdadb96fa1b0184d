/*
 * Fuzz JWT verification (lib/auth.c auth_verify) with a fixed key.  The
 * first byte chooses: bit 0 clear, the rest is a token as a client sends
 * it; set, the rest is "header\npayload" JSON that is encoded and signed
 * with the key, so the claims checks past the signature are reached.
 * Bits 1-2 choose the token type wanted.
 */
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "crypto.h"
#include "fuzz.h"

#define FUZZ_KEY	"fuzz-secret-key-0123456789abcdef"
#define FUZZ_NOW	1700000000L

static char *
fuzz_sign(const uint8_t *d, size_t n)
{
	struct buf	 b = { 0 };
	unsigned char	 mac[SHA256_LEN];
	char		*h, *p, *e;

	h = fuzz_field(&d, &n, "\n");
	p = fuzz_str(d, n);
	e = base64url_encode(h, strlen(h));
	buf_puts(&b, e);
	free(e);
	buf_puts(&b, ".");
	e = base64url_encode(p, strlen(p));
	buf_puts(&b, e);
	free(e);
	hmac_sha256(FUZZ_KEY, strlen(FUZZ_KEY), b.data, b.len, mac);
	e = base64url_encode(mac, sizeof(mac));
	buf_puts(&b, ".");
	buf_puts(&b, e);
	free(e);
	free(h);
	free(p);
	return buf_take(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *const wants[] = { NULL, "access", "refresh",
	    "access" };
	struct claims	 c;
	const char	*why;
	char		*tok;

	if (n == 0)
		return 0;
	tok = d[0] & 1 ? fuzz_sign(d + 1, n - 1) : fuzz_str(d + 1, n - 1);
	if (auth_verify(tok, FUZZ_KEY, wants[d[0] >> 1 & 3], FUZZ_NOW, &c,
	    &why) == 0) {
		FUZZ_ASSERT(why == NULL && c.user_id > 0 && c.exp > 0);
		FUZZ_ASSERT(strlen(c.username) < sizeof(c.username) &&
		    strlen(c.jti) < sizeof(c.jti));
	} else
		FUZZ_ASSERT(why != NULL && c.user_id == 0);
	free(tok);
	return 0;
}
