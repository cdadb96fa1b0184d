/*
 * crypto: hashes, HMACs, encodings and randomness over OpenSSL.
 *
 * Output buffers are the caller's; sizes are given by the macros below.
 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>

#define SHA256_LEN	32
#define SHA1_LEN	20
#define SHA256_HEX_LEN	(SHA256_LEN * 2 + 1)	/* with the NUL */

void	sha256(const void *, size_t, unsigned char[SHA256_LEN]);
/* Lowercase hex of SHA-256, NUL-terminated. */
void	sha256_hex(const void *, size_t, char[SHA256_HEX_LEN]);
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char[SHA256_LEN]);
void	hmac_sha1(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char[SHA1_LEN]);
/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void	hex_encode(const unsigned char *, size_t n, char *out);

/* Standard base64 with padding. Returns a malloc'd string (caller frees). */
char	*base64_encode(const void *, size_t);
/* base64url without padding (JWT style). Caller frees. */
char	*base64url_encode(const void *, size_t);
/*
 * Decode standard base64 (padding optional, whitespace skipped).
 * Returns a malloc'd buffer (caller frees) and its length in *outlen,
 * or NULL when the input is not valid base64 or is over maxlen bytes
 * decoded (0: no limit).
 */
unsigned char *base64_decode(const char *, size_t inlen, size_t *outlen,
	    size_t maxlen);

/* Fill with cryptographically strong random bytes; 0 or -1. */
int	random_bytes(void *, size_t) __attribute__((warn_unused_result));
/* Constant-time comparison of two equal-length buffers; 1 when equal. */
int	crypto_equal(const void *, const void *, size_t);

#endif /* CRYPTO_H */
