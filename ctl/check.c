/*
 * connectifyctl check-config: the settings, and every service they
 * name, one line each.  A check answers 0 (ok), 1 (not used with these
 * settings) or -1 (failed), with a sentence in msg.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <libpq-fe.h>

#include "buf.h"
#include "cfg.h"
#include "extern.h"
#include "http.h"
#include "nchan.h"
#include "scorer.h"
#include "storage.h"

static const char	*check_sqldir;

static int
check_database(char *msg, size_t sz)
{
	char	 err[512];
	int	 n;

	if ((n = migrate_pending(check_sqldir, err, sizeof(err))) == -1) {
		snprintf(msg, sz, "%s", err);
		return -1;
	}
	if (n > 0) {
		snprintf(msg, sz, "reached; %d migration%s pending "
		    "(connectifyctl migrate)", n, n == 1 ? "" : "s");
		return -1;
	}
	snprintf(msg, sz, "reached; schema up to date");
	return 0;
}

/* SMTP: libcurl's connection set-up is the greeting, EHLO, STARTTLS
 * when asked and the login; no message is sent. */
static int
check_smtp(char *msg, size_t sz)
{
	struct buf	 url = { 0 };
	CURL		*h;
	CURLcode	 rc;

	if (strcmp(cfg.mail_backend, "file") == 0) {
		if (access(cfg.mail_dir, W_OK) == 0) {
			snprintf(msg, sz, "file backend: %s is writable",
			    cfg.mail_dir);
			return 0;
		}
		snprintf(msg, sz, "file backend: %s is not writable",
		    cfg.mail_dir);
		return -1;
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(msg, sz, "libcurl failed to start");
		return -1;
	}
	buf_printf(&url, "%s://%s:%ld", strcmp(cfg.smtp_tls, "tls") == 0 ?
	    "smtps" : "smtp", cfg.smtp_host, cfg.smtp_port);
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	if (strcmp(cfg.smtp_tls, "starttls") == 0)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg.smtp_user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg.smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg.smtp_password ?
		    cfg.smtp_password : "");
	}
	curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		snprintf(msg, sz, "%s: %s", buf_str(&url),
		    curl_easy_strerror(rc));
	else
		snprintf(msg, sz, "%s answered EHLO", buf_str(&url));
	buf_free(&url);
	return rc == CURLE_OK ? 0 : -1;
}

/* Storage: a probe written, read back and deleted. */
static int
check_storage(char *msg, size_t sz)
{
	struct storage	*st;
	struct buf	 back = { 0 };
	char		 key[STORAGE_KEY_MAX], probe[96], err[256];
	int		 rc = -1;

	if ((st = storage_default()) == NULL) {
		snprintf(msg, sz, "%s backend: cannot be opened (see the log "
		    "line above)", cfg.storage_backend);
		return -1;
	}
	snprintf(probe, sizeof(probe), "connectifyctl check-config probe %ld "
	    "%d", (long)time(NULL), (int)getpid());
	if (storage_put(st, probe, strlen(probe), key, err, sizeof(err)) != 0)
		snprintf(msg, sz, "%s backend: write failed: %s",
		    cfg.storage_backend, err);
	else if (storage_get(st, key, &back, 4096, err, sizeof(err)) != 0 ||
	    back.len != strlen(probe) || memcmp(back.data, probe, back.len))
		snprintf(msg, sz, "%s backend: the probe did not read back: %s",
		    cfg.storage_backend, err);
	else if (storage_delete(st, key, err, sizeof(err)) != 0)
		snprintf(msg, sz, "%s backend: delete failed: %s",
		    cfg.storage_backend, err);
	else {
		snprintf(msg, sz, "%s backend: wrote, read and deleted a probe",
		    cfg.storage_backend);
		rc = 0;
	}
	buf_free(&back);
	return rc;
}

/* The scorer: builtin scores a sample; openai lists its models. */
static int
check_scorer(char *msg, size_t sz)
{
	static const char *skills[] = { "python" };
	struct scorer_job job = { "Engineer", "Python", skills, 1, NULL, 0,
	    0, -1 };
	struct json_object *o = NULL, *data;
	struct http_req	 req;
	struct http_resp resp;
	struct buf	 url = { 0 }, auth = { 0 };
	const char	*hdrs[2];
	int		 rc = -1;

	if (strcmp(cfg.ats_provider, "builtin") == 0) {
		if ((o = scorer_builtin("Five years of Python.", &job)) ==
		    NULL) {
			snprintf(msg, sz, "builtin: no score for a sample");
			return -1;
		}
		json_object_put(o);
		snprintf(msg, sz, "builtin: scored a sample");
		return 0;
	}
	if (cfg.openai_api_key == NULL) {
		snprintf(msg, sz, "openai: OPENAI_API_KEY is not set");
		return -1;
	}
	buf_printf(&url, "%s/models", cfg.openai_base_url);
	buf_printf(&auth, "Authorization: Bearer %s", cfg.openai_api_key);
	hdrs[0] = buf_str(&auth);
	hdrs[1] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = buf_str(&url);
	req.headers = hdrs;
	req.timeout_ms = 10000;
	if (http_do(&req, &resp) == -1)
		snprintf(msg, sz, "openai: %s: %s", buf_str(&url), resp.err);
	else if (resp.status != 200)
		snprintf(msg, sz, "openai: %s: HTTP %ld", buf_str(&url),
		    resp.status);
	else if ((o = json_tokener_parse(buf_str(&resp.body))) == NULL ||
	    !json_object_object_get_ex(o, "data", &data) ||
	    !json_object_is_type(data, json_type_array))
		snprintf(msg, sz, "openai: %s: not a list of models",
		    buf_str(&url));
	else {
		snprintf(msg, sz, "openai: %s answered", buf_str(&url));
		rc = 0;
	}
	json_object_put(o);
	http_resp_free(&resp);
	buf_free(&url);
	buf_free(&auth);
	return rc;
}

static int
check_nchan(char *msg, size_t sz)
{
	nchan_init(cfg.nchan_socket, cfg.nchan_url);
	if (nchan_publish("connectifyctl_probe", "{\"probe\":true}") == -1) {
		snprintf(msg, sz, "no publisher on %s (is nginx running?)",
		    cfg.nchan_socket);
		return -1;
	}
	snprintf(msg, sz, "published a probe through %s", cfg.nchan_socket);
	return 0;
}

static const struct check {
	const char	*name;
	int		(*fn)(char *, size_t);
} checks[] = {
	{ "database", check_database },
	{ "mail", check_smtp },
	{ "storage", check_storage },
	{ "scorer", check_scorer },
	{ "nchan", check_nchan },
};
#define NCHECKS	(sizeof(checks) / sizeof(checks[0]))

int
cmd_check_config(int argc, char *argv[])
{
	char	 msg[768];
	size_t	 i;
	int	 ch, r, rc = CTL_OK;

	check_sqldir = migrate_default_dir();
	while ((ch = getopt(argc, argv, "d:")) != -1) {
		if (ch != 'd') {
			ctl_help(argv[0]);
			return CTL_USAGE;
		}
		check_sqldir = optarg;
	}
	if (cfg_load(ctl_envfile, msg, sizeof(msg)) == -1) {
		printf("FAIL settings: %s\n", msg);
		return CTL_FAIL;
	}
	printf("ok   settings: %s%s\n", ctl_envfile ? ctl_envfile :
	    "environment only", cfg_production() ? " (production)" : "");
	fflush(stdout);
	if (http_init() == -1) {
		printf("FAIL libcurl failed to start\n");
		return CTL_FAIL;
	}
	for (i = 0; i < NCHECKS; i++) {
		msg[0] = '\0';
		if ((r = checks[i].fn(msg, sizeof(msg))) != 0)
			rc = CTL_FAIL;
		printf("%-4s %s: %s\n", r == 0 ? "ok" : "FAIL", checks[i].name,
		    msg);
		fflush(stdout);	/* in order with the log lines on stderr */
	}
	http_cleanup();
	return rc;
}
