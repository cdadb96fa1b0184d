/*
 * Logging: LOG_FORMAT=json writes one JSON object per line with ts,
 * level, prog, pid, rid and msg, the message escaped so that any text
 * round-trips; text lines are unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <json-c/json.h>

#include "cfg.h"
#include "log.h"

static char	 path[64];
static int	 saved = -1;

/* stderr goes to a temporary file for the test. */
static void
setup(void)
{
	int	 fd;

	snprintf(path, sizeof(path), "/tmp/check_log_XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_level = LOG_LVL_DEBUG;
	log_set_prog("check_log");
	log_set_id(NULL);
}

static void
teardown(void)
{
	dup2(saved, STDERR_FILENO);
	close(saved);
	unlink(path);
	log_json = 0;
	unsetenv("LOG_FORMAT");
	cfg_free();
}

/* The lines written so far; caller frees. */
static char *
captured(void)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static const char *
field(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		return NULL;
	return json_object_get_string(v);
}

START_TEST(json_fields)
{
	struct json_object *o;
	char		*out, *nl;
	char		 pid[16];

	log_json = 1;
	log_set_id("req-42");
	log_info("GET %s %d", "/healthz", 200);
	out = captured();
	nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_str_eq(nl + 1, "");	/* exactly one line */
	o = json_tokener_parse(out);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(field(o, "level"), "info");
	ck_assert_str_eq(field(o, "prog"), "check_log");
	ck_assert_str_eq(field(o, "rid"), "req-42");
	ck_assert_str_eq(field(o, "msg"), "GET /healthz 200");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ck_assert_str_eq(field(o, "pid"), pid);
	ck_assert_int_eq((int)strlen(field(o, "ts")), 20);
	ck_assert_int_eq(field(o, "ts")[19], 'Z');
	json_object_put(o);
	free(out);
}
END_TEST

START_TEST(json_escapes_and_no_rid)
{
	static const char msg[] =
	    "a \"quoted\" back\\slash\nnew line\ttab \x01 é";
	struct json_object *o;
	char		*out;

	log_json = 1;
	log_warn("%s", msg);
	out = captured();
	/* One line: the only newline is the last character. */
	ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);
	o = json_tokener_parse(out);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(field(o, "msg"), msg);
	ck_assert_str_eq(field(o, "level"), "warn");
	ck_assert_ptr_null(field(o, "rid"));
	json_object_put(o);
	free(out);
}
END_TEST

START_TEST(json_long_message_stays_one_object)
{
	struct json_object *o;
	char		 big[3000], *out;

	memset(big, '"', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_json = 1;
	log_error("%s", big);
	out = captured();
	o = json_tokener_parse(out);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_gt((int)strlen(field(o, "msg")), 1000);
	json_object_put(o);
	free(out);
}
END_TEST

START_TEST(text_unchanged)
{
	char	*out;

	log_set_id("r1");
	log_info("hello\nworld");
	out = captured();
	ck_assert_ptr_nonnull(strstr(out, " INFO check_log["));
	ck_assert_ptr_nonnull(strstr(out, "] [r1] hello?world\n"));
	ck_assert_int_eq(out[0], '2');
	free(out);
}
END_TEST

START_TEST(cfg_sets_format)
{
	char	 err[256];

	setenv("SECRET_KEY", "check-log-secret-0123456789abcdef0123", 1);
	setenv("LOG_FORMAT", "json", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(log_json, 1);
	setenv("LOG_FORMAT", "text", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(log_json, 0);
	setenv("LOG_FORMAT", "xml", 1);
	ck_assert_int_eq(cfg_load(NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "LOG_FORMAT must be one of text|json"));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("log");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_fields);
	tcase_add_test(tc, json_escapes_and_no_rid);
	tcase_add_test(tc, json_long_message_stays_one_object);
	tcase_add_test(tc, text_unchanged);
	tcase_add_test(tc, cfg_sets_format);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
