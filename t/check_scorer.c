/*
 * The built-in scorer's extraction and scoring, PDF text extraction and
 * its limits, templates and message building.
 */
#include <fcntl.h>
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
#include "scorer.h"
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
	int			 sa, sb;

	a = scorer_builtin(resume, &job);
	b = scorer_builtin(resume, &job);
	ck_assert_str_eq(json_object_to_json_string(a),
	    json_object_to_json_string(b));	/* deterministic */
	sa = json_object_get_int(field(a, "score"));
	ck_assert_int_ge(sa, 0);
	ck_assert_int_le(sa, 100);
	sub = field(a, "sub_scores");
	ck_assert_int_eq(json_object_get_int(field(sub, "required_skills")),
	    67);
	ck_assert_int_eq(json_object_get_int(field(sub, "experience")), 100);
	ck_assert(has(field(a, "missing_skills"), "Go"));
	ck_assert(has(field(a, "matched_skills"), "PostgreSQL"));
	ck_assert_str_eq(json_object_get_string(field(field(a, "evidence"),
	    "PostgreSQL")), "SKILLS: C, Postgres, JS, k8s, Docker");
	/* Adding the missing required skill raises the score. */
	more = malloc(strlen(resume) + 32);
	strcpy(more, resume);
	strcat(more, "Also Go services.\n");
	json_object_put(b);
	b = scorer_builtin(more, &job);
	sb = json_object_get_int(field(b, "score"));
	ck_assert_int_gt(sb, sa);
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
	ck_assert_ptr_nonnull(strstr(out.data, "To: Asha <asha@example.com>\r\n"));
	ck_assert_ptr_nonnull(strstr(out.data, "Date: Tue, 14 Nov 2023 22:13:20 +0000"));
	ck_assert_ptr_nonnull(strstr(out.data, "line =3D two"));
	ck_assert_ptr_nonnull(strstr(out.data, "multipart/alternative"));
	ck_assert(strstr(out.data, "text/plain") < strstr(out.data, "text/html"));
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
		const char	*keys[10];
	} t[] = {
		/* never the ATS score or its evidence */
		{ "candidate_invite", { "name", "event_title", "department",
		    "status", "start_date", "location", "link", "year",
		    NULL } },
		{ "interviewer_invite", { "name", "event_title", "department",
		    "rounds", "start_date", "location", "link", "year",
		    NULL } },
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
	tcase_add_test(tc, test_pdftext);
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
