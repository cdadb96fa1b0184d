/*
 * s3: AWS Signature Version 4 for S3, and the object calls over libcurl.
 *
 * Our own signer (curl 7.88's CURLOPT_AWS_SIGV4 signs query strings raw
 * and omits x-amz-content-sha256).  Path-style URLs
 * (endpoint/bucket/key) for S3-compatible servers, virtual-hosted ones
 * (https://bucket.s3.region.amazonaws.com/key) for AWS.
 */
#ifndef S3_H
#define S3_H

#include <stddef.h>

#include "buf.h"

struct s3_cfg {
	const char	*endpoint;	/* "http://127.0.0.1:9000", NULL: AWS */
	const char	*region;
	const char	*bucket;
	const char	*access_key;
	const char	*secret_key;
	int		 path_style;	/* forced on when endpoint is set */
};

/*
 * The Authorization header value for a request.  path is the raw
 * (unencoded) path; query the canonical query string ("" if none);
 * headers are "name:value" lines, lowercase names, sorted, '\n'-joined,
 * including host, x-amz-content-sha256 and x-amz-date; signed the list
 * "host;x-amz-content-sha256;x-amz-date".  Caller frees.
 */
char	*s3_authorization(const char *method, const char *path,
	    const char *query, const char *headers, const char *signed_list,
	    const char *payload_hash, const char *amzdate, const char *region,
	    const char *access_key, const char *secret_key);
/* A presigned GET URL valid for expires seconds from amzdate. */
char	*s3_presign(const struct s3_cfg *, const char *key,
	    const char *amzdate, long expires);
/* AWS URI encoding: keep A-Za-z0-9-_.~ and (when keep_slash) '/'. */
void	s3_uri_encode(struct buf *, const char *, int keep_slash);
/* "20130524T000000Z" for a Unix time. */
void	s3_amzdate(long t, char out[17]);

/* Object calls; 0, or -1 with err ("HTTP 403 SignatureDoesNotMatch"...). */
int	s3_put(const struct s3_cfg *, const char *key, const void *, size_t,
	    const char *content_type, char *err, size_t errsz)
	    __attribute__((warn_unused_result));
/* GetObject: 0; -2 when there is no such key (404) or the object is
 * larger than maxlen, which no retry changes; -1 on any other error. */
int	s3_get(const struct s3_cfg *, const char *key, struct buf *out,
	    size_t maxlen, char *err, size_t errsz)
	    __attribute__((warn_unused_result));
/* DeleteObject: 0, also when there was no such key (S3 answers 204). */
int	s3_delete(const struct s3_cfg *, const char *key, char *err,
	    size_t errsz) __attribute__((warn_unused_result));

#endif /* S3_H */
