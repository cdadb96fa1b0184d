/*
 * The built-in scorer's extraction and scoring, PDF text extraction and
 * its limits, templates and message building.
 */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include <cairo.h>
#include <cairo-pdf.h>
#include <check.h>

#include "buf.h"
#include "mail.h"
#include "pdftext.h"
#include "resume.h"
#include "scorer.h"
#include "skills.h"
#include "tmpl.h"

static const char *resume =
    "Ana Lucia Ferreira\n"
    "ana.ferreira@example.org | +91 98765 43210 | linkedin.com/in/anaf\n"
    "Backend engineer with 5+ years of experience.\n"
    "SKILLS: C, Postgres, JS, k8s, Docker\n"
    "Google Cloud certified; Cloud native.\n"
    "Experience\n"
    "Engineer, Foo Ltd (2019 - 2024)\n"
    "Education\n"
    "B.Tech in Computer Science, IIT Madras, 2018\n";

static const char *req[] = { "C", "PostgreSQL", "Go" };
static const char *pref[] = { "JavaScript", "Kubernetes", "Rust" };

static struct json_object *
field(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static int
has(struct json_object *a, const char *s)
{
	size_t	 i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(
		    json_object_array_get_idx(a, i)), s) == 0)
			return 1;
	return 0;
}

START_TEST(test_fields)
{
	struct json_object	*o = scorer_builtin(resume, NULL), *sk;

	ck_assert_str_eq(json_object_get_string(field(o, "name")),
	    "Ana Lucia Ferreira");
	ck_assert_str_eq(json_object_get_string(field(o, "email")),
	    "ana.ferreira@example.org");
	ck_assert_str_eq(json_object_get_string(field(o, "phone")),
	    "+91 98765 43210");
	ck_assert(json_object_get_double(field(o, "years_experience")) == 5);
	sk = field(o, "skills");
	ck_assert(has(sk, "C"));
	ck_assert(has(sk, "PostgreSQL"));	/* from "Postgres" */
	ck_assert(has(sk, "JavaScript"));	/* from "JS" */
	ck_assert(has(sk, "Kubernetes"));	/* from "k8s" */
	ck_assert(!has(sk, "Go"));		/* not inside "Google" */
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(
	    field(o, "education"), 0)),
	    "B.Tech in Computer Science, IIT Madras, 2018");
	ck_assert(has(field(o, "links"), "linkedin.com/in/anaf"));
	ck_assert_ptr_null(field(o, "score"));
	json_object_put(o);
}
END_TEST

START_TEST(test_word_boundaries)
{
	struct json_object	*o;

	o = scorer_builtin("Jo Smith\nCloud and C++ and C# work, Golangish.\n",
	    NULL);
	ck_assert(!has(field(o, "skills"), "C"));
	ck_assert(has(field(o, "skills"), "C++"));
	ck_assert(has(field(o, "skills"), "C#"));
	ck_assert(!has(field(o, "skills"), "Go"));
	json_object_put(o);
	o = scorer_builtin("Worked at X (2015 - 2018) and Y (2018 - 2020)\n",
	    NULL);
	ck_assert(json_object_get_double(field(o, "years_experience")) == 5);
	json_object_put(o);
}
END_TEST

START_TEST(test_score)
{
	struct scorer_job	 job = { "Backend", "Backend services in C on "
	    "Postgres", req, 3, pref, 3, 2, 6 };
	struct json_object	*a, *b, *sub;
	char			*more;
	double			 sa, sb;

	a = scorer_builtin(resume, &job);
	b = scorer_builtin(resume, &job);
	ck_assert_str_eq(json_object_to_json_string(a),
	    json_object_to_json_string(b));	/* deterministic */
	sa = json_object_get_double(field(a, "score"));
	ck_assert(sa >= 0 && sa <= 100);
	sub = field(a, "sub_scores");
	/* C and PostgreSQL only listed in the Skills section: half credit
	 * each; Go missing. */
	ck_assert_double_eq_tol(json_object_get_double(field(sub,
	    "required_skills")), 33.3, 0.05);
	ck_assert_int_eq(json_object_get_int(field(sub, "experience")), 100);
	ck_assert(has(field(a, "missing_skills"), "Go"));
	ck_assert(has(field(a, "matched_skills"), "PostgreSQL"));
	ck_assert_str_eq(json_object_get_string(field(field(a, "evidence"),
	    "PostgreSQL")), "SKILLS: C, Postgres, JS, k8s, Docker");
	/* Adding the missing required skill raises the score. */
	more = malloc(strlen(resume) + 32);
	strcpy(more, resume);
	strcat(more, "Projects\nBuilt services in Go.\n");
	json_object_put(b);
	b = scorer_builtin(more, &job);
	sb = json_object_get_double(field(b, "score"));
	ck_assert(sb > sa);
	free(more);
	json_object_put(a);
	json_object_put(b);
}
END_TEST

/* A resume whose identity (name, email, school with its years, a
 * pronoun) is who[]'s; the rest is the same. */
static char *
swap_resume(const char *const who[4])
{
	char	*t;

	if (asprintf(&t, "%s\n%s | +91 98765 43210 | github.com/%s\n"
	    "Backend engineer in Mumbai; %s led the storage team.\n"
	    "SKILLS: C, Postgres, Docker\n"
	    "Engineer, Foo Ltd (2020 - 2025)\n"
	    "Education\nB.Tech, %s\n", who[0], who[1], who[1], who[3],
	    who[2]) == -1)
		abort();
	return t;
}

/* Scores never depend on names, emails, schools, graduation years or
 * gendered words: swapped between two resumes, the scores are the same. */
START_TEST(test_name_swap)
{
	static const char *const a[4] = { "Meera Iyer", "meera@example.org",
	    "Institute of Technology Mumbai, 2012 - 2018", "she" };
	static const char *const b[4] = { "Kabir Rao", "kabir.postgres@"
	    "example.com", "Anna University Chennai, 2016 - 2020", "he" };
	struct scorer_job	 job = { "Backend", "Storage technology "
	    "engineers in Mumbai", req, 3, pref, 3, 4, 9 };
	struct json_object	*x, *y;
	char			*ta, *tb;

	ta = swap_resume(a);
	tb = swap_resume(b);
	x = scorer_builtin(ta, &job);
	y = scorer_builtin(tb, &job);
	ck_assert_str_eq(json_object_to_json_string(field(x, "sub_scores")),
	    json_object_to_json_string(field(y, "sub_scores")));
	ck_assert_int_eq(json_object_get_int(field(x, "score")),
	    json_object_get_int(field(y, "score")));
	ck_assert_str_eq(json_object_get_string(field(x, "name")),
	    "Meera Iyer");
	json_object_put(x);
	json_object_put(y);
	free(ta);
	free(tb);
}
END_TEST

/* The shipped taxonomy: big, categorised, aliases found. */
START_TEST(test_taxonomy)
{
	static const char *const cats[] = { "engineering", "data", "design",
	    "business", "sales", "finance", "operations", "healthcare" };
	const struct skills	*sk = skills_default();
	size_t			 i, j;
	int			 seen[8] = { 0 };

	ck_assert_ptr_nonnull(sk);
	ck_assert_uint_ge(skills_count(sk), 2000);
	for (i = 0; i < skills_count(sk); i++)
		for (j = 0; j < 8; j++)
			seen[j] += strcmp(skills_get(sk, (int)i)->category,
			    cats[j]) == 0;
	for (j = 0; j < 8; j++)
		ck_assert_msg(seen[j] >= 40, "%s: %d", cats[j], seen[j]);
	ck_assert_str_eq(skills_get(sk, skills_find(sk, "sklearn"))->name,
	    "scikit-learn");
	ck_assert_str_eq(skills_get(sk, skills_find(sk, "postgres"))->name,
	    "PostgreSQL");
	ck_assert_str_eq(skills_get(sk, skills_find(sk, "Google BigQuery"))->
	    name, "BigQuery");
	ck_assert_str_eq(skills_get(sk, skills_find(sk, "Electronic Medical "
	    "Records"))->name, "Electronic Health Records");
	ck_assert_int_eq(skills_find(sk, "Underwater basket weaving"), -1);
}
END_TEST

/* An admin's edited file: loaded as written; a broken one refused with
 * its line. */
START_TEST(test_taxonomy_file)
{
	char		 path[] = "/tmp/check_skills_XXXXXX", err[256];
	struct skills	*sk;
	FILE		*f;
	int		 fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("# comment\nFoo Lang\tengineering\tFooLang|FL\tany\n"
	    "Q\tengineering\t\tctx\n", f);
	fclose(f);
	sk = skills_load(path, err, sizeof(err));
	ck_assert_ptr_nonnull(sk);
	ck_assert_uint_eq(skills_count(sk), 2);
	ck_assert_int_eq(skills_find(sk, "fl"), 0);
	ck_assert_int_eq(skills_get(sk, 1)->rule, SKILL_CTX);
	skills_free(sk);
	f = fopen(path, "w");
	fputs("Foo\tengineering\t\tsometimes\n", f);
	fclose(f);
	ck_assert_ptr_null(skills_load(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ":1:"));
	unlink(path);
}
END_TEST

static struct json_object *
detail(struct json_object *o, const char *name)
{
	struct json_object	*a = field(o, "skill_details"), *d;
	size_t			 i;

	for (i = 0; a != NULL && i < json_object_array_length(a); i++) {
		d = json_object_array_get_idx(a, i);
		if (strcmp(json_object_get_string(field(d, "name")), name) == 0)
			return d;
	}
	return NULL;
}

/* "R", "C", "Go", "Excel", "Spring", "Communication", "Testing" only
 * where they are skills. */
START_TEST(test_hard_skills)
{
	static const char *text =
	    "Kim Lee\n"
	    "kim@example.com\n"
	    "Summary\n"
	    "I excel at shipping; will go the extra mile. Cloud person.\n"
	    "Experience\n"
	    "Data Analyst, Shop Inc (Jan 2020 - Present)\n"
	    "- Ran A/B testing for the checkout and built dashboards\n"
	    "- Wrote services in Go and Python\n"
	    "Intern, Lab (Spring 2019 - 2019)\n"
	    "Education\n"
	    "B.Tech in Electronics and Communication, 2018\n"
	    "Technical Skills\n"
	    "Languages: Python, R, SQL, C\n"
	    "Tools: Excel | Tableau | Spring Boot | Looker | Snowflake\n"
	    "Soft skills: Leadership, Stakeholder wrangling\n";
	struct json_object	*o = scorer_builtin(text, NULL), *sk;

	sk = field(o, "skills");
	ck_assert(has(sk, "R"));
	ck_assert(has(sk, "C"));
	ck_assert(has(sk, "Excel"));
	ck_assert(has(sk, "Spring Boot"));
	ck_assert(!has(sk, "Spring"));
	ck_assert(has(sk, "Looker"));
	ck_assert(has(sk, "Snowflake"));
	ck_assert(has(sk, "Leadership"));
	ck_assert(has(sk, "Stakeholder wrangling"));	/* raw, kept */
	ck_assert(!has(sk, "Languages"));
	ck_assert(!has(sk, "Go"));	/* in a role, not the Skills list */
	ck_assert_ptr_nonnull(detail(o, "Go"));		/* "in Go" */
	ck_assert_ptr_nonnull(detail(o, "A/B Testing"));
	ck_assert_ptr_null(detail(o, "Testing"));
	ck_assert_ptr_null(detail(o, "Communication"));
	ck_assert_ptr_null(detail(o, "Spring"));
	json_object_put(o);
}
END_TEST

/* Sections in many spellings, roles dated in many formats, years per
 * skill and when last used. */
START_TEST(test_sections_roles)
{
	static const char *text =
	    "Ngozi Okafor\n"
	    "ngozi@example.com | +234 803 555 0100\n"
	    "PROFESSIONAL EXPERIENCE\n"
	    "Senior Data Scientist | Acme Health\n"
	    "Mar 2021 \xe2\x80\x93 Present\n"
	    "\xe2\x80\xa2 Built churn models with scikit-learn and Pandas\n"
	    "Data Analyst, Beta Bank    03/2017 - 02/2021\n"
	    "\xe2\x80\xa2 SQL reporting, Tableau dashboards, Pandas\n"
	    "Junior Analyst at Gamma (2014 to 2016)\n"
	    "\xe2\x80\xa2 Built models in Excel\n"
	    "education:\n"
	    "MSc Statistics, University of Lagos, 2014\n"
	    "Skills & Tools\n"
	    "Python, Pandas, scikit-learn, SQL, Tableau\n";
	struct json_object	*o = scorer_builtin(text, NULL), *roles, *d;
	double			 y;

	roles = field(o, "roles");
	ck_assert_uint_eq(json_object_array_length(roles), 3);
	ck_assert_str_eq(json_object_get_string(field(
	    json_object_array_get_idx(roles, 0), "title")),
	    "Senior Data Scientist | Acme Health");
	ck_assert_str_eq(json_object_get_string(field(
	    json_object_array_get_idx(roles, 1), "from")), "2017-03");
	ck_assert_str_eq(json_object_get_string(field(
	    json_object_array_get_idx(roles, 1), "to")), "2021-02");
	ck_assert_str_eq(json_object_get_string(field(
	    json_object_array_get_idx(roles, 0), "to")), "present");
	/* 2014-2016, 2017-03..2021-02, 2021-03..now */
	y = json_object_get_double(field(o, "years_experience"));
	ck_assert(y > 7.9);
	d = detail(o, "Pandas");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(json_object_get_string(field(d, "last_used")),
	    "present");
	ck_assert(json_object_get_double(field(d, "years")) > 7.5);
	d = detail(o, "Tableau");
	ck_assert_str_eq(json_object_get_string(field(d, "last_used")),
	    "2021-02");
	ck_assert(json_object_get_double(field(d, "years")) == 4);
	d = detail(o, "Excel");		/* "in Excel" */
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(json_object_get_string(field(d, "last_used")),
	    "2016-06");	/* a year alone: its middle */
	ck_assert(has(field(o, "sections"), "education"));
	ck_assert(has(field(o, "sections"), "skills"));
	ck_assert(!has(field(o, "skills"), "Excel"));
	json_object_put(o);
}
END_TEST

/* More and better evidence never lowers the score; scores have one
 * decimal and an explanation for every criterion. */
START_TEST(test_score_explained)
{
	static const char *base =
	    "Ana Ruiz\nana@example.com\nExperience\n"
	    "Data Scientist, X (2019 - 2021)\n- Python and SQL\n"
	    "Skills\nPython, SQL, Pandas\n";
	static const char *better =
	    "Ana Ruiz\nana@example.com\nExperience\n"
	    "Data Scientist, X (2019 - Present)\n- Python, SQL and Pandas\n"
	    "Skills\nPython, SQL, Pandas\n";
	static const char *rq[] = { "Python", "SQL", "Pandas" };
	struct scorer_job	 job = { "Data Scientist", "Models in Python",
	    rq, 3, NULL, 0, 2, 6 };
	struct json_object	*a = scorer_builtin(base, &job);
	struct json_object	*b = scorer_builtin(better, &job), *ex;
	double			 sa, sb;
	size_t			 i;

	sa = json_object_get_double(field(a, "score"));
	sb = json_object_get_double(field(b, "score"));
	ck_assert_msg(sb > sa, "%g <= %g", sb, sa);
	ck_assert(fabs(sa * 10 - round(sa * 10)) < 1e-9);
	ex = field(a, "explanation");
	ck_assert_uint_eq(json_object_array_length(ex), 8);
	for (i = 0; i < 8; i++)
		ck_assert_ptr_nonnull(field(json_object_array_get_idx(ex, i),
		    "weight"));
	ck_assert_str_eq(json_object_get_string(field(field(b, "evidence"),
	    "Pandas")), "- Python, SQL and Pandas");
	json_object_put(a);
	json_object_put(b);
}
END_TEST

/* What a browser's PDF of an HTML resume reads as: a name a sidebar
 * wrapped, skills in a table with labels in the margin. */
START_TEST(test_html_resume)
{
	static const char *text =
	    "Amara\n"
	    "Okonkwo\n"
	    "amara@example.com\n"
	    "Technical Skills\n"
	    "Languages\tJava, Kotlin, SQL\n"
	    "Infrastructure\tDocker, Kubernetes, Postgres\n"
	    "Work Experience\n"
	    "06/2022 \xe2\x80\x93 Present\tSenior Software Engineer, Razorpay\n"
	    "Designed REST APIs in Spring Boot on PostgreSQL\n";
	struct json_object	*o = scorer_builtin(text, NULL), *sk;

	ck_assert_str_eq(json_object_get_string(field(o, "name")),
	    "Amara Okonkwo");
	sk = field(o, "skills");
	ck_assert(has(sk, "Kotlin"));
	ck_assert(has(sk, "PostgreSQL"));
	ck_assert(!has(sk, "Infrastructure"));
	ck_assert(!has(sk, "Languages"));
	ck_assert_uint_eq(json_object_array_length(field(o, "roles")), 1);
	json_object_put(o);
}
END_TEST

/* A one-page PDF with text, made with cairo. */
static void
make_pdf(struct buf *out, const char *text)
{
	cairo_surface_t	*s;
	cairo_t		*cr;
	char		 path[] = "/tmp/check_scorer_XXXXXX";
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;
	int		 fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	s = cairo_pdf_surface_create(path, 595, 842);
	cr = cairo_create(s);
	cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	cairo_move_to(cr, 50, 80);
	if (text != NULL)
		cairo_show_text(cr, text);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	f = fdopen(fd, "rb");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	unlink(path);
}

START_TEST(test_pdftext)
{
	struct pdftext_limits	 lim = { 5, 512, 10000, 1 << 20 };
	struct buf		 pdf = { 0 }, text = { 0 };
	char			 err[256];
	int			 pages, status;

	make_pdf(&pdf, "Priya Nair, priya@example.com, +91 90000 11111, "
	    "PostgreSQL and C for eight years");
	ck_assert_int_eq(pdftext_extract(pdf.data, pdf.len, &lim, &text,
	    &pages, err, sizeof(err)), 0);
	ck_assert_int_eq(pages, 1);
	ck_assert_ptr_nonnull(strstr(text.data, "priya@example.com"));
	/* Truncated: corrupt. */
	buf_reset(&text);
	ck_assert_int_eq(pdftext_extract(pdf.data, pdf.len / 3, &lim, &text,
	    &pages, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PDF"));
	/* Not a PDF at all. */
	ck_assert_int_eq(pdftext_extract("GIF89a....", 10, &lim, &text,
	    &pages, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "not a PDF");
	/* No text. */
	buf_free(&pdf);
	make_pdf(&pdf, NULL);
	ck_assert_int_eq(pdftext_extract(pdf.data, pdf.len, &lim, &text,
	    &pages, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no extractable text");
#ifndef __SANITIZE_ADDRESS__
	/* A memory limit too small for poppler: the child fails, we don't.
	 * (Not under valgrind, which cannot start in so little.) */
	if (!RUNNING_ON_VALGRIND) {
		lim.mem_mb = 8;
		buf_free(&pdf);
		make_pdf(&pdf, "some text that is long enough to count as a "
		    "resume");
		ck_assert_int_eq(pdftext_extract(pdf.data, pdf.len, &lim,
		    &text, &pages, err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "limit"));
	}
#endif
	/* No child is left behind. */
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), -1);
	buf_free(&pdf);
	buf_free(&text);
}
END_TEST

/* A bad scan: noise% of the pixels set to random greys (fixed seed). */
static void
scan_speckle(cairo_surface_t *img, int noise)
{
	unsigned char	*d, *p;
	unsigned	 r = 12345;
	int		 x, y, st;

	cairo_surface_flush(img);
	d = cairo_image_surface_get_data(img);
	st = cairo_image_surface_get_stride(img);
	for (y = 0; y < cairo_image_surface_get_height(img); y++)
		for (x = 0; x < cairo_image_surface_get_width(img); x++) {
			r = r * 1103515245 + 12345;
			if ((r >> 16) % 100 >= (unsigned)noise)
				continue;
			p = d + y * st + x * 4;
			p[0] = p[1] = p[2] = (unsigned char)(r >> 8);
		}
	cairo_surface_mark_dirty(img);
}

/* A scanned resume: an image of text and no text layer, read by OCR. */
static void
make_scan_pdf(struct buf *out, int noise)
{
	static const char *lines[] = { "Ravi Kumar", "ravi.kumar@example.com",
	    "Skills", "Python, SQL, Tableau", NULL };
	cairo_surface_t	*img, *s;
	cairo_t		*cr;
	char		 path[] = "/tmp/check_scan_XXXXXX", chunk[4096];
	size_t		 n, i;
	FILE		*f;
	int		 fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1240, 1754);
	cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 36);
	for (i = 0; lines[i] != NULL; i++) {
		cairo_move_to(cr, 100, 150 + 60 * (double)i);
		cairo_show_text(cr, lines[i]);
	}
	cairo_destroy(cr);
	if (noise)
		scan_speckle(img, noise);
	s = cairo_pdf_surface_create(path, 595, 842);
	cr = cairo_create(s);
	cairo_scale(cr, 595.0 / 1240, 842.0 / 1754);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	cairo_surface_destroy(img);
	f = fdopen(fd, "rb");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	unlink(path);
}

START_TEST(test_ocr)
{
	struct pdftext_limits	 lim = { 20, 1024, 60000, 1 << 20 };
	struct pdftext_info	 info;
	struct buf		 pdf = { 0 }, text = { 0 };
	char			 err[256];
	int			 rc;

	make_scan_pdf(&pdf, 0);
	rc = pdftext_extract_info(pdf.data, pdf.len, &lim, &text, &info, err,
	    sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_int_eq(info.pages, 1);
	ck_assert_int_eq(info.ocr_pages, 1);
	ck_assert_int_gt(info.ocr_conf, PDFTEXT_OCR_LOW);
	ck_assert_ptr_nonnull(strstr(text.data, "ravi.kumar@example.com"));
	ck_assert_ptr_nonnull(strstr(text.data, "Tableau"));
	/* A speckled scan reads, but with a confidence that wants a human. */
	buf_reset(&pdf);
	buf_reset(&text);
	make_scan_pdf(&pdf, 1);
	rc = pdftext_extract_info(pdf.data, pdf.len, &lim, &text, &info, err,
	    sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_int_eq(info.ocr_pages, 1);
	ck_assert_int_lt(info.ocr_conf, PDFTEXT_OCR_LOW);
	buf_free(&pdf);
	buf_free(&text);
}
END_TEST

START_TEST(test_tmpl_and_mail)
{
	struct json_object	*vars;
	struct mail_cfg		 mc;
	struct mail_msg		 m;
	struct buf		 out = { 0 };
	char			 err[128];

	vars = json_tokener_parse("{\"name\":\"R&D <x>\",\"n\":\"3\"}");
	ck_assert_int_eq(tmpl_render("Hi {{name}}, {{ n }}!", vars, TMPL_HTML,
	    &out, err, sizeof(err)), 0);
	ck_assert_str_eq(out.data, "Hi R&amp;D &lt;x&gt;, 3!");
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render("Hi {{name}}", vars, TMPL_RAW, &out, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(out.data, "Hi R&D <x>");
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render("Hi {{nmae}}", vars, TMPL_RAW, &out, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "no value for {{nmae}}");
	json_object_put(vars);

	memset(&mc, 0, sizeof(mc));
	mc.from = "Connectify <no-reply@connectify.test>";
	memset(&m, 0, sizeof(m));
	m.to = "asha@example.com";
	m.to_name = "Asha";
	m.subject = "Caf\xc3\xa9 interview";
	m.text = "line one\nline = two\n";
	m.html = "<p>hi</p>";
	m.message_id = "<outbox-1@test>";
	buf_reset(&out);
	ck_assert_int_eq(mail_build(&mc, &m, 1700000000, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.data, "Subject: =?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(out.data,
	    "To: Asha <asha@example.com>\r\n"));
	ck_assert_ptr_nonnull(strstr(out.data,
	    "Date: Tue, 14 Nov 2023 22:13:20 +0000"));
	ck_assert_ptr_nonnull(strstr(out.data, "line =3D two"));
	ck_assert_ptr_nonnull(strstr(out.data, "multipart/alternative"));
	ck_assert(strstr(out.data, "text/plain") <
	    strstr(out.data, "text/html"));
	/* Header injection is refused. */
	m.subject = "hi\r\nBcc: x@evil.test";
	buf_reset(&out);
	ck_assert_int_eq(mail_build(&mc, &m, 1700000000, &out), -1);
	buf_free(&out);
}
END_TEST

/* No descriptor left for the parser's pipe: a failure of the system,
 * told apart (-2: try again) from a bad PDF (-1). */
START_TEST(test_pdftext_system_failure)
{
	struct pdftext_limits	 lim = { 5, 512, 10000, 1 << 20 };
	struct rlimit		 old, low;
	struct buf		 pdf = { 0 }, text = { 0 };
	char			 err[256];
	int			 pages, fd, fds[64], n = 0;

	make_pdf(&pdf, "Asha Rao, asha@example.com, +91 90000 22222, C and "
	    "PostgreSQL for six years");
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 64;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (n < 64 && (fd = open("/dev/null", O_RDONLY)) != -1)
		fds[n++] = fd;
	ck_assert_int_eq(pdftext_extract(pdf.data, pdf.len, &lim, &text,
	    &pages, err, sizeof(err)), -2);
	ck_assert_ptr_nonnull(strstr(err, "pipe"));
	while (n > 0)
		(void)close(fds[--n]);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	/* The same PDF, with descriptors again: fine. */
	ck_assert_msg(pdftext_extract(pdf.data, pdf.len, &lim, &text, &pages,
	    err, sizeof(err)) == 0, "%s", err);
	buf_free(&pdf);
	buf_free(&text);
}
END_TEST

/*
 * Every mail template renders with exactly the placeholders
 * templates/README.md lists for it, and uses each of them.
 */
START_TEST(test_templates)
{
	static const struct {
		const char	*name;
		const char	*keys[14];
	} t[] = {
		/* never the ATS score or its evidence */
		{ "candidate_invite", { "name", "event_title", "department",
		    "status", "start_date", "location", "calendar_note", "link",
		    "status_link", "consent_note", "year", NULL } },
		{ "interviewer_invite", { "name", "event_title", "department",
		    "rounds", "start_date", "location", "calendar_note", "link",
		    "year", NULL } },
		{ "otp_code", { "name", "code", "minutes", "link", "year",
		    NULL } },
	};
	static const char *const exts[] = { "subject", "txt", "html" };
	struct json_object	*vars;
	struct buf		 src = { 0 }, out = { 0 }, all = { 0 };
	const char		*srcdir;
	char			 dir[512], err[128], val[64];
	size_t			 i, j, k;

	srcdir = getenv("CONNECTIFY_SRCDIR");
	snprintf(dir, sizeof(dir), "%s/templates", srcdir ? srcdir : "..");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		vars = json_object_new_object();
		for (k = 0; t[i].keys[k] != NULL; k++) {
			snprintf(val, sizeof(val), "V-%s-V", t[i].keys[k]);
			json_object_object_add(vars, t[i].keys[k],
			    json_object_new_string(val));
		}
		buf_reset(&all);
		for (j = 0; j < 3; j++) {
			buf_reset(&src);
			buf_reset(&out);
			ck_assert_msg(tmpl_load(dir, t[i].name, exts[j], &src,
			    err, sizeof(err)) == 0, "%s.%s: %s", t[i].name,
			    exts[j], err);
			ck_assert_msg(tmpl_render(src.data, vars, j == 2 ?
			    TMPL_HTML : TMPL_RAW, &out, err, sizeof(err)) == 0,
			    "%s.%s: %s", t[i].name, exts[j], err);
			buf_puts(&all, out.data);
		}
		for (k = 0; t[i].keys[k] != NULL; k++) {
			snprintf(val, sizeof(val), "V-%s-V", t[i].keys[k]);
			ck_assert_msg(strstr(all.data, val) != NULL,
			    "%s never uses {{%s}}", t[i].name, t[i].keys[k]);
		}
		json_object_put(vars);
	}
	buf_free(&src);
	buf_free(&out);
	buf_free(&all);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("scorer");
	TCase	*tc = tcase_create("scorer");
	SRunner	*sr;
	int	 failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_word_boundaries);
	tcase_add_test(tc, test_score);
	tcase_add_test(tc, test_name_swap);
	tcase_add_test(tc, test_taxonomy);
	tcase_add_test(tc, test_taxonomy_file);
	tcase_add_test(tc, test_hard_skills);
	tcase_add_test(tc, test_sections_roles);
	tcase_add_test(tc, test_score_explained);
	tcase_add_test(tc, test_html_resume);
	tcase_add_test(tc, test_pdftext);
	tcase_add_test(tc, test_ocr);
	tcase_add_test(tc, test_tmpl_and_mail);
	tcase_add_test(tc, test_templates);
	tcase_add_test(tc, test_pdftext_system_failure);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
