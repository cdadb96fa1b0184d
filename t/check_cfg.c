/*
 * Configuration: defaults, env file, environment precedence, types and
 * the production refusals.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "cfg.h"

static char	 envpath[64], keydir[64], keypath[96];

static void
setup(void)
{
	static const char *const keys[] = { "CONNECTIFY_ENV", "SECRET_KEY",
	    "SECRET_KEY_FILE",
	    "FCGI_WORKERS", "SMS_BACKEND", "DB_PASSWORD", "DATABASE_URL",
	    "STAFF_SIGNUP_OPEN", "TURN_LIMIT", "DB_NAME", "STORAGE_BACKEND",
	    "MAIL_BACKEND", "ATS_PROVIDER", "TURN_PROVIDER", "SMTP_TLS",
	    "LOG_LEVEL", "APP_HOSTS", "STORAGE_SHARED", "FCGI_BACKLOG", NULL };
	int	 i, fd;

	for (i = 0; keys[i] != NULL; i++)
		unsetenv(keys[i]);
	snprintf(envpath, sizeof(envpath), "/tmp/check_cfg_XXXXXX");
	fd = mkstemp(envpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(keydir, sizeof(keydir), "/tmp/check_cfg_key_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(keydir));
	snprintf(keypath, sizeof(keypath), "%s/secret_key", keydir);
	setenv("SECRET_KEY_FILE", keypath, 1);
}

static void
teardown(void)
{
	char	 p[128];

	unlink(envpath);
	unlink(keypath);
	snprintf(p, sizeof(p), "%s/other", keydir);
	unlink(p);
	rmdir(keydir);
	cfg_free();
}

static void
write_env(const char *text)
{
	FILE	*f = fopen(envpath, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_defaults)
{
	char	 err[256];

	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.fcgi_workers, 4);
	ck_assert_str_eq(cfg.sms_backend, "log");
	ck_assert_int_eq(cfg.turn_limit, 1000);
	ck_assert_int_eq(cfg.staff_signup_open, 1);
	ck_assert_ptr_nonnull(cfg.secret_key);	/* development key */
	ck_assert_int_ge(strlen(cfg.secret_key), 32);
	ck_assert_int_eq(cfg_production(), 0);
}
END_TEST

START_TEST(test_file_and_env)
{
	char	 err[256], *ci;

	write_env("# comment\nFCGI_WORKERS=7\nexport TURN_LIMIT = 12\n"
	    "DB_NAME=\"from file\"\nUNKNOWN_KEY=x\n");
	setenv("TURN_LIMIT", "99", 1);
	ck_assert_int_eq(cfg_load(envpath, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.fcgi_workers, 7);
	ck_assert_int_eq(cfg.turn_limit, 99);	/* environment wins */
	ck_assert_str_eq(cfg.db_name, "from file");
	ci = cfg_conninfo();
	ck_assert_ptr_nonnull(strstr(ci, "dbname='from file'"));
	free(ci);
	setenv("DATABASE_URL", "postgresql:///x", 1);
	ck_assert_int_eq(cfg_load(envpath, err, sizeof(err)), 0);
	ci = cfg_conninfo();
	ck_assert_str_eq(ci, "postgresql:///x");
	free(ci);
}
END_TEST

START_TEST(test_types)
{
	char	 err[256];

	setenv("FCGI_WORKERS", "many", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "FCGI_WORKERS"));
	setenv("FCGI_WORKERS", "0", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	setenv("FCGI_WORKERS", "3", 1);
	setenv("STAFF_SIGNUP_OPEN", "maybe", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	setenv("STAFF_SIGNUP_OPEN", "off", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.staff_signup_open, 0);
	setenv("SMS_BACKEND", "pigeon", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "SMS_BACKEND must be one of "
	    "log|twilio|mail"));
	setenv("SMS_BACKEND", "mail", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	unsetenv("SMS_BACKEND");
}
END_TEST

/* A typo in an enumerated key refuses to start, naming the key and the
 * allowed values; every allowed value loads. */
START_TEST(test_enums)
{
	static const char *const bad[][2] = {
		{ "STORAGE_BACKEND", "S3" }, { "MAIL_BACKEND", "smpt" },
		{ "ATS_PROVIDER", "openia" }, { "TURN_PROVIDER", "" },
		{ "SMTP_TLS", "ssl" }, { "LOG_LEVEL", "verbose" },
		{ "SMS_BACKEND", "twillio" }, { "CONNECTIFY_ENV", "prod" },
	};
	static const char *const good[][2] = {
		{ "STORAGE_BACKEND", "s3" }, { "MAIL_BACKEND", "file" },
		{ "ATS_PROVIDER", "openai" }, { "TURN_PROVIDER", "twilio" },
		{ "SMTP_TLS", "starttls" }, { "LOG_LEVEL", "debug" },
	};
	char	 err[256];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv(bad[i][0], bad[i][1], 1);
		ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i][0]) != NULL, "%s", err);
		ck_assert_msg(strstr(err, "one of") != NULL, "%s", err);
		unsetenv(bad[i][0]);
	}
	write_env("SMTP_TLS=tsl\n");
	ck_assert_int_eq(cfg_load(envpath, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "none|starttls|tls") != NULL, "%s", err);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		setenv(good[i][0], good[i][1], 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.storage_backend, "s3");
	ck_assert_str_eq(cfg.smtp_tls, "starttls");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		unsetenv(good[i][0]);
}
END_TEST

START_TEST(test_production)
{
	char	 err[256];

	setenv("CONNECTIFY_ENV", "production", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "SECRET_KEY"));
	setenv("SECRET_KEY", "short", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	setenv("SECRET_KEY", "0123456789abcdef0123456789abcdef", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "SMS_BACKEND"));
	setenv("SMS_BACKEND", "twilio", 1);
	setenv("DB_PASSWORD", "bulkhiring", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "DB_PASSWORD"));
	setenv("DB_PASSWORD", "s3cret-enough", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg_production(), 1);
	ck_assert_int_eq(cfg.staff_signup_open, 0);
	setenv("CONNECTIFY_ENV", "staging", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
}
END_TEST

/*
 * Development without SECRET_KEY: a random key made once in
 * SECRET_KEY_FILE (0600) and reused; never a constant, never through a
 * symlink or from a file others could read or have planted.
 */
START_TEST(test_secret_file)
{
	char		 err[256], first[128], other[128];
	struct stat	 st;
	FILE		*f;

	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(strlen(cfg.secret_key), 64);
	ck_assert_ptr_null(strstr(cfg.secret_key, "development"));
	snprintf(first, sizeof(first), "%s", cfg.secret_key);
	ck_assert_int_eq(lstat(keypath, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.secret_key, first);	/* reused */

	/* Another directory: another key. */
	unlink(keypath);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_str_ne(cfg.secret_key, first);

	/* Readable by others: refused. */
	ck_assert_int_eq(chmod(keypath, 0644), 0);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "SECRET_KEY_FILE"));

	/* A symlink: refused, and its target neither read nor written. */
	unlink(keypath);
	snprintf(other, sizeof(other), "%s/other", keydir);
	f = fopen(other, "w");
	ck_assert_ptr_nonnull(f);
	fputs("planted-key-0123456789abcdef0123456789abcdef\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(other, 0600), 0);
	ck_assert_int_eq(symlink(other, keypath), 0);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	ck_assert_int_eq(stat(other, &st), 0);
	ck_assert_int_eq(st.st_size, 45);

	/* An empty SECRET_KEY is no key. */
	unlink(keypath);
	setenv("SECRET_KEY", "", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(strlen(cfg.secret_key), 64);

	/* Production never makes or reads one. */
	unsetenv("SECRET_KEY");
	setenv("CONNECTIFY_ENV", "production", 1);
	setenv("SMS_BACKEND", "twilio", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "SECRET_KEY"));
}
END_TEST

/*
 * Several hosts: local storage is per host, so it is refused unless the
 * directory is shared; S3 is fine.  The pool's backlog is bounded.
 */
START_TEST(test_hosts)
{
	char	 err[256];

	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.app_hosts, 1);
	ck_assert_int_eq(cfg.fcgi_backlog, 4096);
	setenv("APP_HOSTS", "2", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "STORAGE_SHARED"));
	setenv("STORAGE_SHARED", "1", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	unsetenv("STORAGE_SHARED");
	setenv("STORAGE_BACKEND", "s3", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	setenv("FCGI_BACKLOG", "8", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "FCGI_BACKLOG"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("cfg");
	TCase	*tc = tcase_create("cfg");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_file_and_env);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_enums);
	tcase_add_test(tc, test_production);
	tcase_add_test(tc, test_secret_file);
	tcase_add_test(tc, test_hosts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
