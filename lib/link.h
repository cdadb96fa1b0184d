/*
 * link: signed, revocable links that need no sign-in (a registration's
 * status page, a candidate's consent): "<id>.<mac>", mac the base64url of
 * the first 16 bytes of HMAC-SHA256(SECRET_KEY, purpose NUL id NUL
 * nonce).  The nonce lives in the database row: a new one revokes every
 * earlier link, none revokes them all.
 */
#ifndef LINK_H
#define LINK_H

#include <stddef.h>

#define LINK_LEN	64

/* The token for purpose, id and nonce into out. */
void	link_make(const char *purpose, long id, const char *nonce,
	    char out[LINK_LEN]);
/* The id a token names: > 0, or 0 when it is not a token. */
long	link_id(const char *token);
/* 1 when token is purpose's link for id and nonce (not NULL), else 0. */
int	link_valid(const char *purpose, const char *token, long id,
	    const char *nonce);

#endif /* LINK_H */
