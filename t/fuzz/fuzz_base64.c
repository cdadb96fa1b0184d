/*
 * Fuzz base64 upload decoding (lib/crypto.c base64_decode, as
 * fcgi/uploads.c calls it on content_base64, a data: URL's prefix
 * dropped).  What decodes is encoded and decoded again to the same
 * bytes, and the size limit holds.
 */
#include <string.h>

#include "crypto.h"
#include "fuzz.h"

#define FUZZ_LIMIT	64

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	unsigned char	*out, *lim, *again;
	const char	*b64;
	char		*s, *enc;
	size_t		 len, llen, alen;

	s = fuzz_str(d, n);
	b64 = s;
	if (strncmp(b64, "data:", 5) == 0 && strchr(b64, ',') != NULL)
		b64 = strchr(b64, ',') + 1;
	out = base64_decode(b64, strlen(b64), &len, 0);
	lim = base64_decode(b64, strlen(b64), &llen, FUZZ_LIMIT);
	if (out == NULL)
		FUZZ_ASSERT(lim == NULL);
	else {
		FUZZ_ASSERT(len <= strlen(b64) / 4 * 3 + 2);
		FUZZ_ASSERT(lim != NULL ? len <= FUZZ_LIMIT && llen == len &&
		    memcmp(out, lim, len) == 0 : len > FUZZ_LIMIT);
		enc = base64_encode(out, len);
		again = base64_decode(enc, strlen(enc), &alen, 0);
		FUZZ_ASSERT(again != NULL && alen == len &&
		    memcmp(again, out, len) == 0);
		free(again);
		free(enc);
	}
	free(out);
	free(lim);
	free(s);
	return 0;
}
