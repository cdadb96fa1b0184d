/*
 * storage: see storage.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "crypto.h"
#include "log.h"
#include "s3.h"
#include "storage.h"

struct storage {
	char		*dir;		/* local, or NULL for s3 */
	char		*secret;
	char		*base;
	struct s3_cfg	 s3;		/* s3: strings owned here */
};

struct storage *
storage_open(const struct storage_cfg *c, char *err, size_t errsz)
{
	struct storage	*st;
	char		 sub[4096];

	if (c->backend != NULL && strcmp(c->backend, "s3") == 0) {
		if (c->bucket == NULL || c->access_key == NULL ||
		    c->secret_key == NULL || c->region == NULL) {
			snprintf(err, errsz, "the s3 backend needs "
			    "AWS_S3_BUCKET_NAME, AWS_ACCESS_KEY_ID, "
			    "AWS_SECRET_ACCESS_KEY and AWS_REGION");
			return NULL;
		}
		if ((st = calloc(1, sizeof(*st))) == NULL)
			abort();
		st->s3.endpoint = c->endpoint ? strdup(c->endpoint) : NULL;
		st->s3.region = strdup(c->region);
		st->s3.bucket = strdup(c->bucket);
		st->s3.access_key = strdup(c->access_key);
		st->s3.secret_key = strdup(c->secret_key);
		st->s3.path_style = c->path_style || c->endpoint != NULL;
		st->secret = strdup("");
		st->base = strdup("");
		return st;
	}
	if (c->backend != NULL && strcmp(c->backend, "local") != 0) {
		snprintf(err, errsz, "STORAGE_BACKEND must be local or s3, not "
		    "\"%s\"", c->backend);
		return NULL;
	}
	if (c->dir == NULL || *c->dir == '\0') {
		snprintf(err, errsz, "STORAGE_DIR is not set");
		return NULL;
	}
	snprintf(sub, sizeof(sub), "%s/resumes", c->dir);
	if ((mkdir(c->dir, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(sub, 0755) == -1 && errno != EEXIST)) {
		snprintf(err, errsz, "cannot create %s: %s", sub,
		    strerror(errno));
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		abort();
	st->dir = strdup(c->dir);
	st->secret = strdup(c->url_secret ? c->url_secret : "");
	st->base = strdup(c->public_base ? c->public_base : "");
	if (st->dir == NULL || st->secret == NULL || st->base == NULL)
		abort();
	return st;
}

void
storage_close(struct storage *st)
{
	if (st == NULL)
		return;
	free((char *)st->s3.endpoint);
	free((char *)st->s3.region);
	free((char *)st->s3.bucket);
	free((char *)st->s3.access_key);
	free((char *)st->s3.secret_key);
	free(st->dir);
	free(st->secret);
	free(st->base);
	free(st);
}

int
storage_key_valid(const char *key)
{
	const char	*p;
	size_t		 n = strlen(key);

	if (n == 0 || n >= STORAGE_KEY_MAX || key[0] == '/' ||
	    strstr(key, "..") != NULL)
		return 0;
	for (p = key; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '.' ||
		    *p == '_' || *p == '-'))
			return 0;
	return 1;
}

void
storage_key(const void *data, size_t len, char key[STORAGE_KEY_MAX])
{
	char	 hex[SHA256_HEX_LEN];

	sha256_hex(data, len, hex);
	snprintf(key, STORAGE_KEY_MAX, "resumes/%s.pdf", hex);
}

int
storage_put(struct storage *st, const void *data, size_t len,
    char key[STORAGE_KEY_MAX], char *err, size_t errsz)
{
	char		 path[4096], tmp[4160];
	const char	*p = data;
	ssize_t		 w;
	size_t		 off = 0;
	int		 fd;

	storage_key(data, len, key);
	if (st->dir == NULL)
		return s3_put(&st->s3, key, data, len, "application/pdf", err,
		    errsz);
	snprintf(path, sizeof(path), "%s/%s", st->dir, key);
	if (access(path, F_OK) == 0)
		return 0;	/* the same bytes are already here */
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		snprintf(err, errsz, "cannot store: %s", strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((w = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "cannot store: %s",
			    strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, errsz, "cannot store: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
storage_get(struct storage *st, const char *key, struct buf *out,
    size_t maxlen, char *err, size_t errsz)
{
	char	 path[4096], chunk[65536];
	ssize_t	 n;
	int	 fd, rc, e;

	if (!storage_key_valid(key)) {
		snprintf(err, errsz, "bad storage key");
		return STORAGE_GONE;
	}
	if (st->dir == NULL) {
		rc = s3_get(&st->s3, key, out, maxlen, err, errsz);
		return rc == -2 ? STORAGE_GONE : rc;
	}
	snprintf(path, sizeof(path), "%s/%s", st->dir, key);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		e = errno;
		snprintf(err, errsz, "%s: %s", key, strerror(e));
		/* anything but "not there" (permissions, I/O) may pass */
		return e == ENOENT || e == ENOTDIR ? STORAGE_GONE : -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)n > maxlen) {
			snprintf(err, errsz, "%s: larger than %zu bytes", key,
			    maxlen);
			close(fd);
			return STORAGE_GONE;
		}
		buf_append(out, chunk, (size_t)n);
	}
	close(fd);
	if (n == -1) {
		snprintf(err, errsz, "%s: %s", key, strerror(errno));
		return -1;
	}
	return 0;
}

int
storage_delete(struct storage *st, const char *key, char *err, size_t errsz)
{
	char	 path[4096];

	if (!storage_key_valid(key)) {
		snprintf(err, errsz, "bad storage key");
		return -1;
	}
	if (st->dir == NULL)
		return s3_delete(&st->s3, key, err, errsz);
	snprintf(path, sizeof(path), "%s/%s", st->dir, key);
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(err, errsz, "%s: %s", key, strerror(errno));
		return -1;
	}
	return 0;
}

/* hex HMAC-SHA256(secret, key "\n" expires) into out[65]. */
static void
storage_sign(const char *secret, const char *key, long expires, char out[65])
{
	unsigned char	 mac[SHA256_LEN];
	char		 msg[STORAGE_KEY_MAX + 32];
	int		 n;

	n = snprintf(msg, sizeof(msg), "%s\n%ld", key, expires);
	hmac_sha256(secret, strlen(secret), msg, (size_t)n, mac);
	hex_encode(mac, sizeof(mac), out);
}

char *
storage_url(struct storage *st, const char *key, long ttl, long now)
{
	struct buf	 b = { 0 };
	char		 sig[65], amz[17];

	if (st->dir == NULL) {
		s3_amzdate(now, amz);
		return s3_presign(&st->s3, key, amz, ttl);
	}
	storage_sign(st->secret, key, now + ttl, sig);
	buf_printf(&b, "%s/bulk_hiring/files/%s?expires=%ld&sig=%s", st->base,
	    key, now + ttl, sig);
	return buf_take(&b);
}

int
storage_url_verify(const char *secret, const char *key, long expires,
    const char *sig, long now)
{
	char	 want[65];

	if (expires < now || strlen(sig) != 64 || !storage_key_valid(key))
		return 0;
	storage_sign(secret, key, expires, want);
	return crypto_equal(want, sig, 64);
}

struct storage *
storage_default(void)
{
	static struct storage	*store;
	struct storage_cfg	 sc;
	char			 err[256];

	if (store != NULL)
		return store;
	memset(&sc, 0, sizeof(sc));
	sc.backend = cfg.storage_backend;
	sc.dir = cfg.storage_dir;
	sc.url_secret = cfg.secret_key;
	sc.endpoint = cfg.aws_s3_endpoint;
	sc.region = cfg.aws_region;
	sc.bucket = cfg.aws_s3_bucket_name;
	sc.access_key = cfg.aws_access_key_id;
	sc.secret_key = cfg.aws_secret_access_key;
	sc.path_style = cfg.aws_s3_path_style;
	sc.public_base = "";
	if ((store = storage_open(&sc, err, sizeof(err))) == NULL)
		log_error("storage: %s", err);
	return store;
}
