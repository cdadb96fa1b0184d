/*
 * pdf_bench: text extraction speed over a folder of PDFs.
 *
 *   pdf_bench DIR [rounds]
 *
 * Extracts every *.pdf of DIR `rounds` times in this process (poppler-glib,
 * one core), then once more through pdftext_extract() (a child per file
 * under limits, as the worker does), then extraction with the built-in
 * scorer's parse and score against a data-science job, and prints PDFs/s,
 * pages/s and the peak resident memory of this process and of the
 * children.  The taxonomy is $SKILLS_FILE's.
 */
#include <sys/resource.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "pdftext.h"
#include "scorer.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct buf	*pdfs = NULL, text = { 0 };
	struct rusage	 self, kids;
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	char		 path[4096], chunk[65536], err[256];
	size_t		 n = 0, i, k;
	long		 pages = 0;
	static const char *req[] = { "Python", "SQL", "Pandas",
	    "scikit-learn", "Statistics" };
	static const char *pref[] = { "Tableau", "Spark", "Airflow", "NumPy" };
	struct scorer_job job = { "Data Scientist", "Build predictive models "
	    "in Python and SQL, clean data with Pandas, apply statistics",
	    req, 5, pref, 4, 2, 6 };
	double		 t0, t1, t2, t3;
	int		 rounds, r, np, failed = 0;

	if (argc < 2)
		return 2;
	rounds = argc > 2 ? atoi(argv[2]) : 3;
	if ((d = opendir(argv[1])) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) < 5 || strcmp(de->d_name +
		    strlen(de->d_name) - 4, ".pdf"))
			continue;
		pdfs = realloc(pdfs, (n + 1) * sizeof(*pdfs));
		memset(&pdfs[n], 0, sizeof(pdfs[n]));
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&pdfs[n], chunk, k);
		fclose(f);
		n++;
	}
	closedir(d);
	t0 = now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			buf_reset(&text);
			if (pdftext_extract_inproc(pdfs[i].data, pdfs[i].len,
			    1 << 20, &text, &np, err, sizeof(err)) == 0)
				pages += np;
			else
				failed++;
		}
	t1 = now();
	for (i = 0; i < n; i++) {
		buf_reset(&text);
		if (pdftext_extract(pdfs[i].data, pdfs[i].len, NULL, &text,
		    &np, err, sizeof(err)) != 0)
			failed++;
	}
	t2 = now();
	for (i = 0; i < n; i++) {
		buf_reset(&text);
		if (pdftext_extract_inproc(pdfs[i].data, pdfs[i].len,
		    1 << 20, &text, &np, err, sizeof(err)) == 0)
			json_object_put(scorer_builtin(text.data, &job));
	}
	t3 = now();
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("in-process: %zu PDFs x %d rounds in %.2f s: %.0f PDFs/s, "
	    "%.0f pages/s\n", n, rounds, t1 - t0, (double)(n * rounds) /
	    (t1 - t0), (double)pages / (t1 - t0));
	printf("child per PDF (as the worker runs it): %.0f PDFs/s\n",
	    (double)n / (t2 - t1));
	printf("in-process extraction + parse + score: %.0f PDFs/s\n",
	    (double)n / (t3 - t2));
	printf("peak RSS: this process %ld KiB, largest child %ld KiB\n",
	    self.ru_maxrss, kids.ru_maxrss);
	for (i = 0; i < n; i++)
		buf_free(&pdfs[i]);
	free(pdfs);
	buf_free(&text);
	return failed ? 1 : 0;
}
