/*
 * cfg: the configuration table and its loader.  See cfg.h.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfg.h"
#include "log.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/connectify"
#endif

struct cfg	 cfg;

enum cfg_type {
	CFG_STR,	/* const char * */
	CFG_INT,	/* long */
	CFG_BOOL,	/* int, 0 or 1 */
	CFG_ENUM	/* const char *, one of the key's values */
};

struct cfg_key {
	const char	*name;
	enum cfg_type	 type;
	size_t		 off;	/* offset into struct cfg */
	const char	*def;	/* default, NULL for unset */
	const char	*help;
	const char	*values; /* CFG_ENUM: the allowed values, "a|b|c" */
};

#define S(n, f, d, h) { n, CFG_STR, offsetof(struct cfg, f), d, h, NULL }
#define I(n, f, d, h) { n, CFG_INT, offsetof(struct cfg, f), d, h, NULL }
#define B(n, f, d, h) { n, CFG_BOOL, offsetof(struct cfg, f), d, h, NULL }
/* An enumerated key: v lists the allowed values, "a|b|c". */
#define E(n, f, d, v, h) { n, CFG_ENUM, offsetof(struct cfg, f), d, h, v }

/* One row a key; rows stay whole to be read and grepped (style: wide). */
static const struct cfg_key cfg_keys[] = {
	E("CONNECTIFY_ENV", env, "development", "development|production", "development or production (strict checks)"),
	S("SECRET_KEY", secret_key, NULL, "HMAC key for JWTs, OTP hashes and signed URLs (>= 32 bytes)"),
	S("SECRET_KEY_FILE", secret_key_file, "var/secret_key", "development with SECRET_KEY unset: the key is read from this file (ours, mode 0600, no symlink), created with 32 random bytes on first start; never used in production"),
	E("LOG_LEVEL", log_level, "info", "error|warn|info|debug", "error, warn, info or debug"),
	E("LOG_FORMAT", log_format, "text", "text|json", "text (one line per event) or json (one JSON object per line, for log shippers)"),
	S("DATABASE_URL", database_url, NULL, "libpq URI or conninfo; overrides DB_*"),
	S("DB_NAME", db_name, "bulkhiring_db", "database name"),
	S("DB_USER", db_user, "bulkhiring", "database user"),
	S("DB_PASSWORD", db_password, NULL, "database password"),
	S("DB_HOST", db_host, "localhost", "database host or socket directory"),
	S("DB_PORT", db_port, "5432", "database port"),
	I("FCGI_WORKERS", fcgi_workers, "4", "FastCGI processes in the pool"),
	S("FCGI_SOCKET", fcgi_socket, "var/run/fcgi.sock", "FastCGI listening socket (path or :port)"),
	S("FCGI_SOCKET_GROUP", fcgi_socket_group, NULL, "group of nginx's workers, given the socket (mode 0660); unset: the pool's own group"),
	E("FCGI_PM", fcgi_pm, "static", "static|dynamic|ondemand", "process manager: static (FCGI_WORKERS processes), dynamic (FCGI_START at first, then FCGI_MIN_SPARE to FCGI_MAX_SPARE idle ones, at most FCGI_WORKERS) or ondemand (started when a request waits, stopped after FCGI_IDLE_SECONDS idle, at most FCGI_WORKERS); SIGHUP applies a change"),
	I("FCGI_START", fcgi_start, "2", "dynamic: processes at start"),
	I("FCGI_MIN_SPARE", fcgi_min_spare, "1", "dynamic: fewest idle processes kept"),
	I("FCGI_MAX_SPARE", fcgi_max_spare, "3", "dynamic: most idle processes kept"),
	I("FCGI_IDLE_SECONDS", fcgi_idle_s, "10", "ondemand: a process idle this long is stopped"),
	I("FCGI_BACKLOG", fcgi_backlog, "4096", "listen queue of the pool's socket: connections nginx may open before a process accepts them (a burst of socket handshakes needs one each); the kernel caps it at net.core.somaxconn"),
	I("APP_HOSTS", app_hosts, "1", "application hosts sharing this database (more than 1: local storage needs STORAGE_SHARED)"),
	I("WORKER_CONCURRENCY", worker_concurrency, "2", "job worker processes"),
	E("WORKER_PM", worker_pm, "static", "static|dynamic", "worker process manager: static (WORKER_CONCURRENCY processes) or dynamic (WORKER_MIN at first, one more a second while ready jobs outnumber the idle processes and the oldest has waited a second, at most WORKER_CONCURRENCY; one idle for WORKER_IDLE_SECONDS is stopped, down to WORKER_MIN); SIGHUP applies a change"),
	I("WORKER_MIN", worker_min, "1", "dynamic: fewest worker processes"),
	I("WORKER_IDLE_SECONDS", worker_idle_s, "30", "dynamic: a worker process idle this long is stopped"),
	I("WORKER_DRAIN_SECONDS", worker_drain_s, "60", "on SIGTERM the worker's processes finish the job in hand for up to this long before SIGKILL"),
	I("MAX_BODY_BYTES", max_body_bytes, "26214400", "largest accepted request body (413 beyond)"),
	I("ACCESS_TOKEN_TTL", access_ttl, "900", "access JWT lifetime, seconds"),
	I("REFRESH_TOKEN_TTL", refresh_ttl, "1209600", "refresh JWT lifetime, seconds"),
	I("OTP_TTL", otp_ttl, "300", "OTP lifetime, seconds"),
	I("OTP_MAX_ATTEMPTS", otp_max_attempts, "5", "wrong codes before an OTP is burnt"),
	I("OTP_RATE_PHONE", otp_rate_phone, "5", "OTPs per phone per 15 minutes"),
	I("OTP_RATE_IP", otp_rate_ip, "20", "OTPs per client address per 15 minutes"),
	I("SIGNUP_RATE_IP", signup_rate_ip, "20", "signups per client address per 15 minutes (HR creating accounts is not counted)"),
	B("STAFF_SIGNUP_OPEN", staff_signup_open, NULL, "anyone may sign up as Hr/Interviewer (default: on in development)"),
	S("NCHAN_PUB_SOCKET", nchan_socket, "var/run/nchan/pub.sock", "unix socket of nginx's internal nchan publisher"),
	S("NCHAN_PUB_URL", nchan_url, "http://nchan/pub/", "publisher URL prefix (host ignored on a socket)"),
	E("SMS_BACKEND", sms_backend, "log", "log|twilio|mail", "log (development), twilio, or mail (codes to the account's email)"),
	S("SMS_LOG", sms_log, "var/log/sms.log", "file the log backend appends to"),
	S("TWILIO_BASE_URL", twilio_base_url, "https://api.twilio.com", "Twilio API base URL"),
	S("TWILIO_ACCOUNT_SID", twilio_account_sid, NULL, "Twilio account SID"),
	S("TWILIO_AUTH_TOKEN", twilio_auth_token, NULL, "Twilio auth token"),
	S("TWILIO_API_KEY", twilio_api_key, NULL, "Twilio API key SID (preferred over the auth token)"),
	S("TWILIO_API_SECRET", twilio_api_secret, NULL, "Twilio API key secret"),
	S("TWILIO_FROM_NUMBER", twilio_from, NULL, "sender number for SMS (E.164)"),
	S("TWILIO_MESSAGING_SERVICE_SID", twilio_messaging_service_sid, NULL, "Messaging Service instead of a number"),
	E("STORAGE_BACKEND", storage_backend, "local", "local|s3", "local or s3"),
	S("STORAGE_DIR", storage_dir, "var/storage", "directory of the local backend"),
	B("STORAGE_SHARED", storage_shared, "0", "STORAGE_DIR is one directory every host sees (NFS or alike); required for local storage with APP_HOSTS above 1"),
	S("AWS_ACCESS_KEY_ID", aws_access_key_id, NULL, "S3 access key"),
	S("AWS_SECRET_ACCESS_KEY", aws_secret_access_key, NULL, "S3 secret key"),
	S("AWS_REGION", aws_region, "us-east-1", "S3 region"),
	S("AWS_S3_BUCKET_NAME", aws_s3_bucket_name, NULL, "S3 bucket"),
	S("AWS_S3_ENDPOINT", aws_s3_endpoint, NULL, "S3-compatible endpoint URL (default AWS)"),
	B("AWS_S3_PATH_STYLE", aws_s3_path_style, "0", "path-style S3 URLs"),
	I("PRESIGN_TTL", presign_ttl, "900", "lifetime of resume download URLs, seconds"),
	I("CACHE_TTL", cache_ttl, "10", "seconds a FastCGI process reuses a list answer while nothing changed (0: off)"),
	I("RESUME_MAX_BYTES", resume_max_bytes, "5242880", "largest accepted resume PDF"),
	I("PDF_CPU_SECONDS", pdf_cpu_s, "10", "CPU seconds the PDF parser may use per file"),
	I("PDF_MEMORY_MB", pdf_mem_mb, "512", "address space of the PDF parser, MiB"),
	I("PDF_WALL_MS", pdf_wall_ms, "20000", "wall-clock limit of the PDF parser, ms"),
	E("ATS_PROVIDER", ats_provider, "builtin", "builtin|openai", "builtin or openai"),
	S("OPENAI_API_KEY", openai_api_key, NULL, "key for the OpenAI-compatible scorer"),
	S("OPENAI_BASE_URL", openai_base_url, "https://api.openai.com/v1", "OpenAI-compatible base URL"),
	S("OPENAI_MODEL", openai_model, "gpt-4.1-mini", "model name"),
	E("MAIL_BACKEND", mail_backend, "smtp", "smtp|file", "smtp or file"),
	S("MAIL_DIR", mail_dir, "var/mail", "directory of the file backend"),
	S("MAIL_FROM", mail_from, "Connectify <no-reply@connectify.local>", "sender address"),
	S("SMTP_HOST", smtp_host, "127.0.0.1", "SMTP server"),
	I("SMTP_PORT", smtp_port, "2525", "SMTP port"),
	S("SMTP_USER", smtp_user, NULL, "SMTP login"),
	S("SMTP_PASSWORD", smtp_password, NULL, "SMTP password"),
	E("SMTP_TLS", smtp_tls, "none", "none|starttls|tls", "none, starttls or tls"),
	S("TEMPLATE_DIR", template_dir, PKGDATADIR "/templates", "mail templates and ATS prompt"),
	S("SKILLS_FILE", skills_file, PKGDATADIR "/skills.tsv", "skills taxonomy (TSV), reloaded on SIGHUP"),
	S("FRONTEND_URL", frontend_url, "http://localhost:8080", "base URL used in mails and links"),
	S("PUBLIC_URL", public_url, "http://127.0.0.1:8080", "the API's public base URL (scheme://host[:port]); list pages link from it, never from request headers"),
	I("MAIL_REPEAT_WINDOW", mail_repeat_window, "3600", "seconds within which HR's same event mail is refused as a repeat"),
	S("ZOOM_SDK_CLIENT_ID", zoom_sdk_client_id, NULL, "Zoom Video SDK key"),
	S("ZOOM_SDK_CLIENT_SECRET", zoom_sdk_client_secret, NULL, "Zoom Video SDK secret"),
	S("ZOOM_CLIENT_ID", zoom_client_id, NULL, "Zoom OAuth client id"),
	S("ZOOM_CLIENT_SECRET", zoom_client_secret, NULL, "Zoom OAuth client secret"),
	S("ZOOM_ACCOUNT_ID", zoom_account_id, NULL, "Zoom account id"),
	E("TURN_PROVIDER", turn_provider, "coturn", "coturn|twilio", "coturn (shared secret) or twilio"),
	S("TURN_SECRET", turn_secret, NULL, "coturn static-auth-secret"),
	S("TURN_URLS", turn_urls, "turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp", "TURN/STUN URLs handed to browsers"),
	I("TURN_LIMIT", turn_limit, "1000", "concurrent TURN credential holders"),
	I("TURN_EXPIRY", turn_expiry, "600", "TURN credential and slot lifetime, seconds"),
	I("JOB_POLL_MS", job_poll_ms, "1000", "worker poll interval when no NOTIFY arrives"),
	I("JOB_LEASE_S", job_lease_s, "60", "job lease, seconds (at least 3, and longer than PDF_WALL_MS); renewed while a job runs, also during outbound calls"),
	I("JOB_BATCH", job_batch, "10", "jobs claimed per query"),
	I("JOB_RETENTION_HOURS", job_retention_h, "24", "completed and cancelled jobs are deleted this many hours after they finished"),
	I("JOB_DISCARDED_RETENTION_HOURS", job_discarded_retention_h, "168", "discarded jobs (dead letters, kept for inspection and retry) are deleted this many hours after"),
	B("WEBHOOK_ALLOW_PRIVATE", webhook_allow_private, NULL, "webhooks may go to private, loopback and link-local addresses (tests; default off)"),
	I("WEBHOOK_TIMEOUT_MS", webhook_timeout_ms, "5000", "a webhook delivery (connect, send, answer) is given up after this many milliseconds"),
	I("WEBHOOK_CONNECT_TIMEOUT_MS", webhook_connect_ms, "2000", "connecting to a webhook endpoint is given up after this many milliseconds"),
	I("CONSENT_DAYS", consent_days, "14", "a bulk-uploaded candidate who has not confirmed consent within this many days has their personal data purged"),
	I("RETENTION_DAYS", retention_days, "180", "candidates' personal data and resumes are purged this many days after the event closed"),
	I("RETENTION_INTERVAL_S", retention_interval_s, "3600", "seconds between two runs of the consent and retention purge"),
};
/* style: end */

#define NKEYS (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

/* Values we allocated, freed by cfg_free(). */
static char	*cfg_owned[NKEYS];

/* Nonzero when val is one of the '|'-separated values. */
static int
cfg_enum_ok(const char *values, const char *val)
{
	const char	*p, *bar;
	size_t		 n = strlen(val);

	for (p = values; p != NULL; p = bar == NULL ? NULL : bar + 1) {
		bar = strchr(p, '|');
		if ((bar == NULL ? strlen(p) : (size_t)(bar - p)) == n &&
		    strncmp(p, val, n) == 0 && n > 0)
			return 1;
	}
	return 0;
}

static int
cfg_set(const struct cfg_key *k, size_t idx, const char *val, char *err,
    size_t errsz)
{
	char	*end, *copy;
	long	 n;

	/* An empty number or boolean (a sample line uncommented as it
	 * is) keeps the default. */
	if ((k->type == CFG_INT || k->type == CFG_BOOL) && *val == '\0')
		return 0;
	if (k->type == CFG_ENUM && !cfg_enum_ok(k->values, val)) {
		snprintf(err, errsz, "%s must be one of %s, not \"%s\"",
		    k->name, k->values, val);
		return -1;
	}
	if (k->type == CFG_STR || k->type == CFG_ENUM) {
		if ((copy = strdup(val)) == NULL)
			abort();
		free(cfg_owned[idx]);
		cfg_owned[idx] = copy;
		*(const char **)((char *)&cfg + k->off) = copy;
		return 0;
	}
	if (k->type == CFG_BOOL) {
		if (!strcmp(val, "1") || !strcasecmp(val, "true") ||
		    !strcasecmp(val, "yes") || !strcasecmp(val, "on"))
			n = 1;
		else if (!strcmp(val, "0") || !strcasecmp(val, "false") ||
		    !strcasecmp(val, "no") || !strcasecmp(val, "off"))
			n = 0;
		else {
			snprintf(err, errsz, "%s: expected a boolean, got "
			    "\"%s\"", k->name, val);
			return -1;
		}
		*(int *)((char *)&cfg + k->off) = (int)n;
		return 0;
	}
	errno = 0;
	n = strtol(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0' || n < 0) {
		snprintf(err, errsz, "%s: expected a non-negative integer, "
		    "got \"%s\"", k->name, val);
		return -1;
	}
	*(long *)((char *)&cfg + k->off) = n;
	return 0;
}

static const struct cfg_key *
cfg_find(const char *name, size_t len, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(cfg_keys[i].name) == len &&
		    strncmp(cfg_keys[i].name, name, len) == 0) {
			*idx = i;
			return &cfg_keys[i];
		}
	return NULL;
}

/*
 * Read KEY=value lines.  Unknown keys are ignored (the same file also
 * feeds other programs through systemd); a missing file is not an error.
 */
static int
cfg_read_file(const char *path, char *err, size_t errsz)
{
	const struct cfg_key	*k;
	FILE			*f;
	char			*line = NULL, *p, *eq, *v, *e;
	size_t			 cap = 0, idx;
	int			 rc = 0;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (getline(&line, &cap, f) != -1) {
		for (p = line; isspace((unsigned char)*p); p++)
			continue;
		if (*p == '#' || *p == '\0' || (eq = strchr(p, '=')) == NULL)
			continue;
		if (strncmp(p, "export ", 7) == 0)
			p += 7;
		for (e = eq; e > p && isspace((unsigned char)e[-1]); e--)
			continue;
		if ((k = cfg_find(p, (size_t)(e - p), &idx)) == NULL)
			continue;
		v = eq + 1;
		while (isspace((unsigned char)*v))
			v++;
		e = v + strlen(v);
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (e - v >= 2 && (*v == '"' || *v == '\'') && e[-1] == *v) {
			e[-1] = '\0';
			v++;
		}
		/* The environment wins over the file. */
		if (getenv(k->name) != NULL)
			continue;
		if ((rc = cfg_set(k, idx, v, err, errsz)) == -1)
			break;
	}
	free(line);
	fclose(f);
	return rc;
}

/*
 * The development key: SECRET_KEY_FILE, ours and private.  A file that is
 * a symlink, not ours, or readable by others is refused, never followed.
 */
static int
cfg_secret_read(int fd, const char *path, char *err, size_t errsz)
{
	struct stat	 st;
	char		 key[256];
	ssize_t		 n;
	size_t		 idx = 0;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		snprintf(err, errsz, "SECRET_KEY_FILE %s: not a regular file "
		    "of ours with mode 0600; remove it or set SECRET_KEY",
		    path);
		return -1;
	}
	if ((n = read(fd, key, sizeof(key) - 1)) < 0)
		n = 0;
	while (n > 0 && isspace((unsigned char)key[n - 1]))
		n--;
	key[n] = '\0';
	if (n < 32 || strlen(key) != (size_t)n) {
		snprintf(err, errsz, "SECRET_KEY_FILE %s: under 32 bytes; "
		    "remove it to have a new one made", path);
		return -1;
	}
	(void)cfg_find("SECRET_KEY", 10, &idx);
	return cfg_set(&cfg_keys[idx], idx, key, err, errsz);
}

/*
 * A new random key in a private file made beside path, then linked to
 * path: link() never replaces what is there, so of two processes making
 * the key at once one wins and both read its key.
 */
static int
cfg_secret_make(const char *path, char *err, size_t errsz)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 rnd[32];
	char		 text[2 * sizeof(rnd) + 1], tmp[4096];
	size_t		 i;
	int		 fd = -1, rc = -1;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		snprintf(err, errsz, "getrandom: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(rnd); i++) {
		text[2 * i] = hex[rnd[i] >> 4];
		text[2 * i + 1] = hex[rnd[i] & 15];
	}
	text[2 * sizeof(rnd)] = '\n';
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.%02x%02x", path,
	    (long)getpid(), rnd[0] ^ rnd[31], rnd[1] ^ rnd[30]) >=
	    sizeof(tmp)) {
		snprintf(err, errsz, "SECRET_KEY_FILE: path too long");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || fchmod(fd, 0600) == -1 ||
	    write(fd, text, sizeof(text)) != (ssize_t)sizeof(text) ||
	    fsync(fd) == -1 || (link(tmp, path) == -1 && errno != EEXIST)) {
		snprintf(err, errsz, "SECRET_KEY_FILE %s: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	explicit_bzero(rnd, sizeof(rnd));
	explicit_bzero(text, sizeof(text));
	return rc;
}

static int
cfg_secret_load(char *err, size_t errsz)
{
	const char	*path = cfg.secret_key_file;
	int		 fd, rc, tries;

	if (path == NULL || *path == '\0') {
		snprintf(err, errsz, "SECRET_KEY or SECRET_KEY_FILE must be "
		    "set");
		return -1;
	}
	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != -1) {
			rc = cfg_secret_read(fd, path, err, errsz);
			close(fd);
			return rc;
		}
		if (errno != ENOENT)
			break;
		if (cfg_secret_make(path, err, errsz) == -1)
			return -1;
	}
	snprintf(err, errsz, "SECRET_KEY_FILE %s: %s", path,
	    errno == ELOOP ? "a symbolic link, refused" : strerror(errno));
	return -1;
}

int
cfg_load(const char *envfile, char *err, size_t errsz)
{
	const char	*v;
	size_t		 i;

	cfg_free();
	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < NKEYS; i++)
		if (cfg_keys[i].def != NULL &&
		    cfg_set(&cfg_keys[i], i, cfg_keys[i].def, err, errsz) == -1)
			return -1;
	cfg.staff_signup_open = -1;
	if (envfile != NULL && cfg_read_file(envfile, err, errsz) == -1)
		return -1;
	for (i = 0; i < NKEYS; i++)
		if ((v = getenv(cfg_keys[i].name)) != NULL &&
		    cfg_set(&cfg_keys[i], i, v, err, errsz) == -1)
			return -1;
	if (cfg.staff_signup_open == -1)
		cfg.staff_signup_open = !cfg_production();
	log_json = strcmp(cfg.log_format, "json") == 0;

	if (cfg.fcgi_workers < 1 || cfg.fcgi_workers > 256 ||
	    cfg.worker_concurrency < 1 || cfg.worker_concurrency > 256) {
		snprintf(err, errsz, "FCGI_WORKERS and WORKER_CONCURRENCY "
		    "must be between 1 and 256");
		return -1;
	}
	if (cfg.fcgi_backlog < 16 || cfg.fcgi_backlog > 65535 ||
	    cfg.app_hosts < 1 || cfg.app_hosts > 256) {
		snprintf(err, errsz, "FCGI_BACKLOG must be between 16 and "
		    "65535, APP_HOSTS between 1 and 256");
		return -1;
	}
	/* Local storage is per host: a resume stored on one is missing on
	 * the others, unless the directory is shared. */
	if (cfg.app_hosts > 1 && strcmp(cfg.storage_backend, "local") == 0 &&
	    !cfg.storage_shared) {
		snprintf(err, errsz, "APP_HOSTS=%ld with "
		    "STORAGE_BACKEND=local: each host would keep its own "
		    "resumes; use s3, or a directory every host mounts with "
		    "STORAGE_SHARED=1",
		    cfg.app_hosts);
		return -1;
	}
	if (cfg_production()) {
		if (cfg.secret_key == NULL || strlen(cfg.secret_key) < 32) {
			snprintf(err, errsz, "production: SECRET_KEY must be "
			    "set to at least 32 random bytes");
			return -1;
		}
		if (strcmp(cfg.sms_backend, "log") == 0) {
			snprintf(err, errsz, "production: SMS_BACKEND=log only "
			    "writes codes to a file; configure twilio, or mail "
			    "to send codes by email");
			return -1;
		}
		if (cfg.db_password != NULL &&
		    strcmp(cfg.db_password, "bulkhiring") == 0) {
			snprintf(err, errsz, "production: DB_PASSWORD is the "
			    "well-known default; change it");
			return -1;
		}
		if (cfg.staff_signup_open == 1 &&
		    getenv("STAFF_SIGNUP_OPEN") == NULL)
			cfg.staff_signup_open = 0;
	} else if ((cfg.secret_key == NULL || *cfg.secret_key == '\0') &&
	    cfg_secret_load(err, errsz) == -1)
		return -1;
	return 0;
}

void
cfg_free(void)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++) {
		free(cfg_owned[i]);
		cfg_owned[i] = NULL;
	}
	memset(&cfg, 0, sizeof(cfg));
}

int
cfg_production(void)
{
	return cfg.env != NULL && strcmp(cfg.env, "production") == 0;
}

static void
cfg_conninfo_add(struct buf *b, const char *k, const char *v)
{
	const char	*p;

	if (v == NULL || *v == '\0')
		return;
	buf_printf(b, "%s%s='", b->len ? " " : "", k);
	for (p = v; *p != '\0'; p++) {
		if (*p == '\'' || *p == '\\')
			buf_append(b, "\\", 1);
		buf_append(b, p, 1);
	}
	buf_append(b, "'", 1);
}

char *
cfg_conninfo(void)
{
	struct buf	 b = { 0 };

	if (cfg.database_url != NULL && *cfg.database_url != '\0') {
		buf_puts(&b, cfg.database_url);
		return buf_take(&b);
	}
	cfg_conninfo_add(&b, "dbname", cfg.db_name);
	cfg_conninfo_add(&b, "user", cfg.db_user);
	cfg_conninfo_add(&b, "password", cfg.db_password);
	cfg_conninfo_add(&b, "host", cfg.db_host);
	cfg_conninfo_add(&b, "port", cfg.db_port);
	cfg_conninfo_add(&b, "application_name", "connectify");
	return buf_take(&b);
}

void
cfg_usage(void)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++) {
		printf("%-28s %-12s %s", cfg_keys[i].name,
		    cfg_keys[i].def ? cfg_keys[i].def : "(unset)",
		    cfg_keys[i].help);
		if (cfg_keys[i].type == CFG_ENUM)
			printf(" [one of: %s]", cfg_keys[i].values);
		printf("\n");
	}
}

int
cfg_reload(const char *envfile)
{
	struct cfg	 old = cfg;
	char		*owned[NKEYS];
	char		 err[256];
	int		 lvl;

	/* Keep the old values alive until the new ones are good. */
	memcpy(owned, cfg_owned, sizeof(owned));
	memset(cfg_owned, 0, sizeof(cfg_owned));
	if (cfg_load(envfile, err, sizeof(err)) == -1) {
		cfg_free();
		memcpy(cfg_owned, owned, sizeof(owned));
		cfg = old;
		log_error("reload refused: %s", err);
		return -1;
	}
	for (size_t i = 0; i < NKEYS; i++)
		free(owned[i]);
	if ((lvl = log_level_parse(cfg.log_level)) >= 0)
		log_level = lvl;
	return 0;
}

/*
 * A sample env file (--sample-env): every key, commented out at its
 * default, under its meaning and allowed values, so the shipped
 * connectify.env is this output and cannot drift from the table.
 */
void
cfg_sample(FILE *f)
{
	const char	*d, *q;
	size_t		 i;

	fprintf(f, "# connectify.env: the configuration of connectify-fcgi, "
	    "connectify-worker and\n# connectifyctl (see connectify.env(5)). "
	    "KEY=value lines; # starts a comment;\n# the environment wins over "
	    "this file.  Every key is listed at its default,\n# commented out; "
	    "uncomment and change what you need.\n# Generated by "
	    "connectify-fcgi --sample-env.\n");
	for (i = 0; i < NKEYS; i++) {
		fprintf(f, "\n# %s", cfg_keys[i].help);
		if (cfg_keys[i].type == CFG_ENUM)
			fprintf(f, "\n# One of: %s.", cfg_keys[i].values);
		else if (cfg_keys[i].type == CFG_BOOL)
			fprintf(f, "\n# A boolean: 1/0, yes/no, on/off, "
			    "true/false.");
		else if (cfg_keys[i].type == CFG_INT)
			fprintf(f, "\n# A non-negative integer.");
		/* A value with blanks is quoted, as systemd would read it. */
		d = cfg_keys[i].def != NULL ? cfg_keys[i].def : "";
		q = strpbrk(d, " \t#") != NULL ? "\"" : "";
		fprintf(f, "\n#%s=%s%s%s\n", cfg_keys[i].name, q, d, q);
	}
}
