/*
 * auth: see auth.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <uuid/uuid.h>

#include "auth.h"
#include "crypto.h"

#define AUTH_LEEWAY	30

char *
auth_issue(struct claims *c, const char *key, long ttl, long now)
{
	jwt_t	*j = NULL;
	char	*tok = NULL;
	uuid_t	 u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, c->jti);
	c->iat = now;
	c->exp = now + ttl;
	if (jwt_new(&j) != 0)
		return NULL;
	if (jwt_add_grant_int(j, "user_id", c->user_id) ||
	    jwt_add_grant(j, "username", c->username) ||
	    jwt_add_grant(j, "user_type", c->user_type) ||
	    jwt_add_grant(j, "token_type", c->token_type) ||
	    jwt_add_grant(j, "jti", c->jti) ||
	    jwt_add_grant_int(j, "iat", c->iat) ||
	    jwt_add_grant_int(j, "exp", c->exp) ||
	    jwt_add_grant_int(j, "tv", c->tv) ||
	    jwt_set_alg(j, JWT_ALG_HS256, (const unsigned char *)key,
	    (int)strlen(key)))
		goto out;
	tok = jwt_encode_str(j);
out:
	jwt_free(j);
	return tok;
}

static int
auth_str(jwt_t *j, const char *name, char *dst, size_t dstsz)
{
	const char	*v;

	if ((v = jwt_get_grant(j, name)) == NULL || strlen(v) >= dstsz)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/*
 * The shape of an HS256 JWT: three base64url segments, the last exactly
 * 43 characters (32 bytes).  Checked before libjwt sees the token: its
 * base64 decoder (1.10) writes past its buffer on empty or one-character
 * segments.
 */
static int
auth_shape_ok(const char *tok)
{
	size_t	 seg[3] = { 0, 0, 0 };
	int	 n = 0;

	for (; *tok != '\0'; tok++) {
		if (*tok == '.') {
			if (++n > 2)
				return 0;
			continue;
		}
		if (!((*tok >= 'A' && *tok <= 'Z') || (*tok >= 'a' &&
		    *tok <= 'z') || (*tok >= '0' && *tok <= '9') ||
		    *tok == '-' || *tok == '_'))
			return 0;
		seg[n]++;
	}
	return n == 2 && seg[0] >= 16 && seg[1] >= 8 && seg[0] % 4 != 1 &&
	    seg[1] % 4 != 1 && seg[2] == 43;
}

int
auth_verify(const char *tok, const char *key, const char *want, long now,
    struct claims *c, const char **why)
{
	jwt_t	*j = NULL;
	long	 nbf;
	int	 rc = -1;

	memset(c, 0, sizeof(*c));
	*why = "malformed token";
	if (tok == NULL || key == NULL || *key == '\0' || strlen(tok) > 4096 ||
	    !auth_shape_ok(tok))
		return -1;
	if (jwt_decode(&j, tok, (const unsigned char *)key,
	    (int)strlen(key)) != 0 || j == NULL) {
		*why = "bad signature or malformed token";
		goto out;
	}
	if (jwt_get_alg(j) != JWT_ALG_HS256) {
		*why = "algorithm not allowed";
		goto out;
	}
	errno = 0;
	c->exp = jwt_get_grant_int(j, "exp");
	if (errno != 0 || c->exp <= 0) {
		*why = "token has no expiry";
		goto out;
	}
	if (now - AUTH_LEEWAY >= c->exp) {	/* exp + leeway may overflow */
		*why = "token expired";
		goto out;
	}
	errno = 0;
	nbf = jwt_get_grant_int(j, "nbf");
	if (errno == 0 && now + AUTH_LEEWAY < nbf) {
		*why = "token not yet valid";
		goto out;
	}
	errno = 0;
	c->iat = jwt_get_grant_int(j, "iat");
	if (errno != 0)
		c->iat = 0;
	errno = 0;
	c->tv = jwt_get_grant_int(j, "tv");
	if (errno != 0)
		c->tv = -1;	/* no version: matches no account */
	errno = 0;
	c->user_id = jwt_get_grant_int(j, "user_id");
	if (errno != 0 || c->user_id <= 0 ||
	    auth_str(j, "username", c->username, sizeof(c->username)) ||
	    auth_str(j, "user_type", c->user_type, sizeof(c->user_type)) ||
	    auth_str(j, "token_type", c->token_type, sizeof(c->token_type)) ||
	    auth_str(j, "jti", c->jti, sizeof(c->jti))) {
		*why = "token lacks required claims";
		goto out;
	}
	if (want != NULL && strcmp(c->token_type, want) != 0) {
		*why = strcmp(want, "access") == 0 ?
		    "not an access token" : "not a refresh token";
		goto out;
	}
	*why = NULL;
	rc = 0;
out:
	if (j != NULL)
		jwt_free(j);
	if (rc == -1)
		memset(c, 0, sizeof(*c));
	return rc;
}

int
auth_otp_new(char out[7])
{
	uint32_t	 v;

	/* Reject values that would bias the modulo. */
	do {
		if (random_bytes(&v, sizeof(v)) == -1)
			return -1;
	} while (v >= 4294000000U);
	snprintf(out, 7, "%06u", (unsigned)(v % 1000000U));
	return 0;
}

void
auth_otp_hash(const char *key, const char *phone, const char *code,
    char out[65])
{
	unsigned char	 mac[SHA256_LEN];
	char		 msg[128];
	int		 n;

	n = snprintf(msg, sizeof(msg), "%s:%s", phone, code);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	hmac_sha256(key, strlen(key), msg, (size_t)n, mac);
	hex_encode(mac, sizeof(mac), out);
}

int
auth_otp_check(const char *key, const char *phone, const char *code,
    const char *hash)
{
	char	 h[65];

	if (strlen(hash) != 64)
		return 0;
	auth_otp_hash(key, phone, code, h);
	return crypto_equal(h, hash, 64);
}
