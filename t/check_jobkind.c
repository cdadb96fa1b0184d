/*
 * The job kinds: lib/jobkind.c's table and the job_kinds rows the
 * migrations insert (each sql/NNN_x.sql, "INSERT INTO job_kinds ... VALUES
 * ('name', attempts, timeout), ...;") must be the same set of rows; the
 * payload builders give JSON objects.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "jobkind.h"

struct row {
	char	 name[64];
	int	 attempts, timeout;
};

static struct row	 rows[64];
static int		 nrows;

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of every INSERT INTO job_kinds of one migration. */
static void
rows_read(const char *path)
{
	FILE	*f;
	char	 line[512];
	int	 in = 0;

	ck_assert_msg((f = fopen(path, "r")) != NULL, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "INSERT INTO job_kinds") != NULL)
			in = 1;
		if (!in)
			continue;
		if (nrows < 64 && sscanf(line, " ('%63[^']', %d, %d)",
		    rows[nrows].name, &rows[nrows].attempts,
		    &rows[nrows].timeout) == 3)
			nrows++;
		if (strchr(line, ';') != NULL)
			in = 0;
	}
	fclose(f);
}

static void
rows_load(void)
{
	struct dirent	*e;
	DIR		*d;
	const char	*src;
	char		 dir[1024], path[1400];
	char		*names[256];
	int		 i, n = 0;

	src = getenv("CONNECTIFY_SRCDIR");
	snprintf(dir, sizeof(dir), "%s/sql", src != NULL ? src : "..");
	ck_assert_msg((d = opendir(dir)) != NULL, "%s", dir);
	while ((e = readdir(d)) != NULL && n < 256)
		if (strstr(e->d_name, ".sql") != NULL)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), name_cmp);
	nrows = 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rows_read(path);
		free(names[i]);
	}
}

START_TEST(test_table_matches_sql)
{
	const struct job_kind_info	*k;
	int				 i, j, found;

	rows_load();
	ck_assert_int_eq(nrows, JOB__MAX);
	for (i = 0; i < JOB__MAX; i++) {
		k = job_kind_info((enum job_kind)i);
		found = 0;
		for (j = 0; j < nrows; j++) {
			if (strcmp(rows[j].name, k->name) != 0)
				continue;
			found++;
			ck_assert_msg(rows[j].attempts == k->max_attempts,
			    "%s: %d attempts in SQL, %d in C", k->name,
			    rows[j].attempts, k->max_attempts);
			ck_assert_msg(rows[j].timeout == k->timeout_s,
			    "%s: timeout %d in SQL, %d in C", k->name,
			    rows[j].timeout, k->timeout_s);
		}
		ck_assert_msg(found == 1, "%s: %d rows in SQL", k->name, found);
	}
}
END_TEST

/* No statement of lib/sql/ inserts into jobs but through job_enqueue(). */
START_TEST(test_statements_enqueue_through_function)
{
	struct dirent	*e;
	DIR		*d;
	FILE		*f;
	const char	*src;
	char		 dir[1024], path[1400], line[512];

	src = getenv("CONNECTIFY_SRCDIR");
	snprintf(dir, sizeof(dir), "%s/lib/sql", src != NULL ? src : "..");
	ck_assert_msg((d = opendir(dir)) != NULL, "%s", dir);
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".def") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ck_assert_msg((f = fopen(path, "r")) != NULL, "%s", path);
		while (fgets(line, sizeof(line), f) != NULL)
			ck_assert_msg(strstr(line, "INTO jobs ") == NULL &&
			    strstr(line, "INTO jobs\"") == NULL,
			    "%s inserts into jobs: %s", e->d_name, line);
		fclose(f);
	}
	closedir(d);
}
END_TEST

START_TEST(test_lookup)
{
	enum job_kind	 k;
	int		 i;

	for (i = 0; i < JOB__MAX; i++) {
		ck_assert_int_eq(job_kind_lookup(job_kind_name(
		    (enum job_kind)i), &k), 0);
		ck_assert_int_eq(k, i);
	}
	ck_assert_int_eq(job_kind_lookup("no_such_kind", &k), -1);
	ck_assert_int_eq(job_kind_lookup("", &k), -1);
}
END_TEST

static long
member(const char *text, const char *name)
{
	struct json_object	*o, *v;
	long			 n;

	o = json_tokener_parse(text);
	ck_assert_msg(o != NULL && json_object_is_type(o, json_type_object),
	    "%s", text);
	ck_assert(json_object_object_get_ex(o, name, &v));
	n = json_object_is_type(v, json_type_array) ?
	    (long)json_object_array_length(v) : json_object_get_int64(v);
	json_object_put(o);
	return n;
}

START_TEST(test_builders)
{
	char	 b[JOB_ARGS_MAX];
	char	*s;

	ck_assert_int_eq(member(job_resume_args(b, sizeof(b),
	    9223372036854775807L), "track_id"), 9223372036854775807L);
	ck_assert_int_eq(member(job_webhook_args(b, sizeof(b), 42),
	    "delivery_id"), 42);
	s = job_erase_files_args("[\"a\", \"b\"]");
	ck_assert_int_eq(member(s, "keys"), 2);
	free(s);
}
END_TEST

int
main(void)
{
	Suite	*s;
	SRunner	*sr;
	TCase	*tc;
	int	 nf;

	s = suite_create("jobkind");
	tc = tcase_create("core");
	tcase_add_test(tc, test_table_matches_sql);
	tcase_add_test(tc, test_statements_enqueue_through_function);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_builders);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
