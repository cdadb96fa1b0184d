/*
 * connectify-parse: parse (and optionally score) every PDF of a folder,
 * without the platform running.
 *
 *   connectify-parse DIR [--job JOB.json | --event ID] [--out OUTDIR]
 *
 * Writes OUTDIR/<name>.json per PDF (or one JSON object per line on
 * stdout) with name, email, phone, skills, years_experience, education,
 * links, and with a job the score and its breakdown.  --event reads the
 * job from the database (DATABASE_URL / DB_*).  Exits non-zero when any
 * file failed, one line per failure on stderr.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "pdftext.h"
#include "scorer.h"

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, struct buf *b)
{
	char	 chunk[65536];
	size_t	 n;
	FILE	*f;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: connectify-parse DIR [--job JOB.json | "
	    "--event ID] [--out OUTDIR]\n");
	exit(2);
}

/* The job a score is against: from jobfile or event (neither: NULL), its
 * strings in *jobj.  -1 after saying why. */
static int
job_get(const char *jobfile, long event, struct scorer_job *job,
    struct json_object **jobj)
{
	char	 err[256], *conninfo;

	if (jobfile != NULL) {
		if ((*jobj = json_object_from_file(jobfile)) == NULL ||
		    job_context_from_json(*jobj, job) == -1) {
			fprintf(stderr, "%s: not a job description\n", jobfile);
			return -1;
		}
	} else if (event != 0) {
		if (cfg_load(NULL, err, sizeof(err)) == -1) {
			fprintf(stderr, "connectify-parse: %s\n", err);
			return -1;
		}
		conninfo = cfg_conninfo();
		db_open(conninfo);
		free(conninfo);
		if ((*jobj = job_context_load(event)) == NULL ||
		    job_context_from_json(*jobj, job) == -1) {
			fprintf(stderr, "event %ld: not found or database "
			    "unavailable\n", event);
			return -1;
		}
	}
	return 0;
}

/* The PDFs of dir, sorted (*n of them; the caller frees each and the
 * array), or NULL after saying why. */
static char **
pdf_names(const char *dir, size_t *n)
{
	struct dirent	*de;
	DIR		*d;
	char		**names = NULL;
	size_t		 cap = 0, len;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcasecmp(de->d_name + len - 4, ".pdf") != 0)
			continue;
		if (*n == cap && (names = reallocarray(names, cap = cap ?
		    cap * 2 : 64, sizeof(*names))) == NULL)
			abort();
		names[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (names == NULL && (names = calloc(1, sizeof(*names))) == NULL)
		abort();
	qsort(names, *n, sizeof(*names), name_cmp);
	return names;
}

/* Parse (and score against jp, may be NULL) dir/name; write the result
 * to outdir/<name>.json, or a line on stdout when outdir is NULL.  0, or
 * -1 after saying why. */
static int
pdf_parse(const char *dir, const char *name, const struct scorer_job *jp,
    const char *outdir)
{
	struct pdftext_info	 info;
	struct json_object	*res;
	struct buf		 pdf = { 0 }, text = { 0 }, path = { 0 };
	char			 err[256];
	FILE			*out;
	int			 rc = -1;

	buf_printf(&path, "%s/%s", dir, name);
	if (read_file(path.data, &pdf) == -1) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		goto out;
	}
	if (pdftext_extract_info(pdf.data, pdf.len, NULL, &text, &info,
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		goto out;
	}
	res = scorer_builtin(text.data, jp);
	json_object_object_add(res, "file", json_object_new_string(name));
	json_object_object_add(res, "pages", json_object_new_int(info.pages));
	if (info.ocr_pages > 0) {
		json_object_object_add(res, "ocr_pages",
		    json_object_new_int(info.ocr_pages));
		json_object_object_add(res, "ocr_confidence",
		    json_object_new_int(info.ocr_conf));
	}
	rc = 0;
	if (outdir == NULL)
		printf("%s\n", json_object_to_json_string_ext(res,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	else {
		buf_reset(&path);
		buf_printf(&path, "%s/%.*s.json", outdir,
		    (int)strlen(name) - 4, name);
		if ((out = fopen(path.data, "w")) == NULL) {
			fprintf(stderr, "%s: %s\n", path.data,
			    strerror(errno));
			rc = -1;
		} else {
			fprintf(out, "%s\n", json_object_to_json_string_ext(
			    res, JSON_C_TO_STRING_PRETTY |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			fclose(out);
		}
	}
	json_object_put(res);
out:
	buf_free(&pdf);
	buf_free(&text);
	buf_free(&path);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option lopts[] = {
		{ "job", required_argument, NULL, 'j' },
		{ "event", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct scorer_job	 job;
	struct json_object	*jobj = NULL;
	const char		*jobfile = NULL, *outdir = NULL, *dir;
	char			**names;
	size_t			 n, i;
	long			 event = 0;
	int			 ch, failed = 0;

	log_set_prog("connectify-parse");
	log_level = LOG_LVL_WARN;
	while ((ch = getopt_long(argc, argv, "j:e:o:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			jobfile = optarg;
			break;
		case 'e':
			event = strtol(optarg, NULL, 10);
			if (event < 1)
				usage();
			break;
		case 'o':
			outdir = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (jobfile != NULL && event != 0))
		usage();
	dir = argv[optind];
	memset(&job, 0, sizeof(job));
	if (job_get(jobfile, event, &job, &jobj) == -1)
		return 2;
	if (outdir != NULL && mkdir(outdir, 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", outdir, strerror(errno));
		return 2;
	}
	if ((names = pdf_names(dir, &n)) == NULL)
		return 2;
	for (i = 0; i < n; i++) {
		if (pdf_parse(dir, names[i], jobj != NULL ? &job : NULL,
		    outdir) == -1)
			failed++;
		free(names[i]);
	}
	free(names);
	job_context_free(&job);
	json_object_put(jobj);
	return failed ? 1 : 0;
}
