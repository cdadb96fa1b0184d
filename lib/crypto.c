/*
 * crypto: see crypto.h.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "crypto.h"

void
sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
	EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL);
}

void
sha256_hex(const void *p, size_t n, char out[SHA256_HEX_LEN])
{
	unsigned char	 md[SHA256_LEN];

	sha256(p, n, md);
	hex_encode(md, sizeof(md), out);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[SHA256_LEN])
{
	unsigned int	 len = SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &len);
}

void
hmac_sha1(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[SHA1_LEN])
{
	unsigned int	 len = SHA1_LEN;

	HMAC(EVP_sha1(), key, (int)keylen, msg, msglen, out, &len);
}

void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

char *
base64_encode(const void *p, size_t n)
{
	char	*out;

	if ((out = malloc(4 * ((n + 2) / 3) + 1)) == NULL)
		abort();
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

char *
base64url_encode(const void *p, size_t n)
{
	char	*s, *q;
	size_t	 len;

	s = base64_encode(p, n);
	for (q = s; *q != '\0'; q++) {
		if (*q == '+')
			*q = '-';
		else if (*q == '/')
			*q = '_';
	}
	len = strlen(s);
	while (len > 0 && s[len - 1] == '=')
		s[--len] = '\0';
	return s;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

unsigned char *
base64_decode(const char *in, size_t inlen, size_t *outlen, size_t maxlen)
{
	unsigned char	*out;
	unsigned int	 acc = 0;
	size_t		 i, o = 0, pad = 0;
	int		 bits = 0, v;

	if ((out = malloc(inlen / 4 * 3 + 3)) == NULL)
		abort();
	for (i = 0; i < inlen; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64val(c)) < 0)
			goto bad;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			if (maxlen > 0 && o > maxlen)
				goto bad;
		}
	}
	if (pad > 2 || bits >= 6)
		goto bad;
	*outlen = o;
	return out;
bad:
	free(out);
	return NULL;
}

int
random_bytes(void *p, size_t n)
{
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
