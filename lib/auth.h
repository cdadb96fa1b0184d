/*
 * auth: JWTs (HS256, libjwt 1.10) and one-time passwords.
 *
 * Tokens carry user_id, username, user_type, token_type (access|refresh),
 * iat, exp, jti and tv (the account's token_version when it was signed:
 * fcgi/dispatch.c refuses a token whose tv the account has moved past).
 * auth_verify() is the only place a token is checked: it always passes
 * the key (libjwt 1.10 skips the signature check for a
 * NULL key), requires alg HS256, and checks exp and nbf itself (1.10 does
 * not).
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#define AUTH_JTI_LEN	37	/* uuid text with NUL */

struct claims {
	long	 user_id;
	char	 username[65];
	char	 user_type[16];
	char	 token_type[8];		/* "access" or "refresh" */
	char	 jti[AUTH_JTI_LEN];
	long	 iat;
	long	 exp;
	long	 tv;			/* token version; -1 when absent */
};

/*
 * Sign a token for c (user_id, username, user_type, token_type) valid
 * for ttl seconds from now.  Fills c->jti, c->iat, c->exp.  Returns a
 * malloc'd token (caller frees) or NULL.
 */
char	*auth_issue(struct claims *c, const char *key, long ttl, long now);

/*
 * Verify tok with key: signature, alg HS256, exp/nbf against now (30 s
 * leeway), and token_type equal to want ("access"/"refresh", NULL: any).
 * Returns 0 and fills c, or -1 with a short reason in *why (static).
 */
int	auth_verify(const char *tok, const char *key, const char *want,
	    long now, struct claims *c, const char **why)
	    __attribute__((warn_unused_result));

/* A uniformly random 6-digit code in out[7]; 0 or -1. */
int	auth_otp_new(char out[7]) __attribute__((warn_unused_result));
/* Hex HMAC-SHA256(key, phone ":" code) into out[65]. */
void	auth_otp_hash(const char *key, const char *phone, const char *code,
	    char out[65]);
/* Constant-time check of code against a stored hash: 1 when equal. */
int	auth_otp_check(const char *key, const char *phone, const char *code,
	    const char *hash);

#endif /* AUTH_H */
