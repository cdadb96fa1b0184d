/*
 * storage: where resumes live.
 *
 * Keys are content addresses: "resumes/<sha256 of the bytes>.pdf", so the
 * same file uploaded twice is stored once.  The local backend keeps files
 * under a directory (written to a temporary name, fsync'd, renamed) and
 * hands out signed, expiring URLs that nginx serves after the application
 * checked the signature.  The s3 backend keeps them in a bucket of any
 * S3-compatible server and hands out presigned GET URLs.
 */
#ifndef STORAGE_H
#define STORAGE_H

#include <stddef.h>

#include "buf.h"

#define STORAGE_KEY_MAX	96

struct storage_cfg {
	const char	*backend;	/* "local" or "s3" */
	const char	*dir;		/* local: the root directory */
	const char	*endpoint;	/* s3: server URL, NULL for AWS */
	const char	*region;
	const char	*bucket;
	const char	*access_key;
	const char	*secret_key;
	int		 path_style;
	const char	*url_secret;	/* HMAC key of download URLs */
	const char	*public_base;	/* "" or "https://host" for URLs */
};

struct storage;

/*
 * This process's store, configured from cfg (STORAGE_*, AWS_*), opened on
 * first use; NULL (logged) when it cannot be used.
 */
struct storage *storage_default(void);
/* NULL with a reason in err when the backend cannot be used. */
struct storage *storage_open(const struct storage_cfg *, char *err,
	    size_t errsz);
void	storage_close(struct storage *);

/* The key storage_put() gives the len bytes at data. */
void	storage_key(const void *, size_t len, char key[STORAGE_KEY_MAX]);
/* Store len bytes; key gets their address.  0 or -1 (err filled). */
int	storage_put(struct storage *, const void *, size_t len,
	    char key[STORAGE_KEY_MAX], char *err, size_t errsz)
	    __attribute__((warn_unused_result));
/*
 * Read key into out (at most maxlen bytes).  0; STORAGE_GONE when no
 * retry can help (no such object, a bad key, larger than maxlen); -1 on
 * any other error (a server away or failing, an unreadable file): worth
 * trying again later.  err says which.
 */
#define STORAGE_GONE	(-2)
int	storage_get(struct storage *, const char *key, struct buf *out,
	    size_t maxlen, char *err, size_t errsz)
	    __attribute__((warn_unused_result));
/*
 * Remove key's object: 0, also when there was none, or -1 (err filled).
 * Keys are content addresses, shared by every row naming the same bytes:
 * the caller makes sure no row names key and no upload of the same bytes
 * is under way (fcgi/uploads.c).
 */
int	storage_delete(struct storage *, const char *key, char *err,
	    size_t errsz) __attribute__((warn_unused_result));
/* A download URL for key, valid ttl seconds from now; caller frees. */
char	*storage_url(struct storage *, const char *key, long ttl, long now);
/* Check a local download URL's signature: 1 valid and unexpired. */
int	storage_url_verify(const char *secret, const char *key, long expires,
	    const char *sig, long now);
/* 1 when key has the shape of our keys (no "..", no leading "/"). */
int	storage_key_valid(const char *key);

#endif /* STORAGE_H */
