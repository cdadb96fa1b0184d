/*
 * scorer: see scorer.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "resume.h"
#include "scorer.h"
#include "scorer_int.h"
#include "skills.h"

static const char *const stopwords[] = { "with", "that", "this", "from",
    "have", "will", "your", "their", "about", "into", "than", "they",
    "work", "team", "years", "year", "experience", "role", "must", "good",
    "strong", "skills", "ability", "using", "also", "more", "able", "and",
    "the", "for", "our", "you", "are", "who", "what", "can", "all", "new",
    "join", "looking", "help", "both", "well", "plus", "nice", "etc",
    "including", "across", "within", "other", "such", "like", "based",
    "required", "preferred", "candidate", "candidates", "we", "or", "to",
    "of", "in", "on", "an", "as", "at", "by", "be", "is", "it", "a", NULL };

/* The weighted criteria; they add up to 100. */
enum crit { C_REQ, C_PREF, C_SKYEARS, C_EXP, C_RECENCY, C_TITLE, C_REL,
    C_EDU, C_N };
static const struct {
	const char	*name;
	double		 w;
} crits[C_N] = {
	{ "required_skills", 38 }, { "preferred_skills", 12 },
	{ "skill_years", 10 }, { "experience", 12 }, { "recency", 6 },
	{ "title", 8 }, { "relevance", 10 }, { "education", 4 },
};

/* Mean strength of a job's skills (100 when it lists none). */
static double
score_skills(const struct resume *r, const char *text, const char **names,
    size_t n, struct jskill *js, struct json_object *matched,
    struct json_object *missing, struct json_object *ev,
    struct json_object *detail)
{
	struct json_object	*d;
	double			 sum = 0;
	size_t			 i;

	for (i = 0; i < n; i++) {
		jskill_eval(r, text, names[i], &js[i]);
		sum += js[i].e;
		if (js[i].e <= 0) {
			json_object_array_add(missing,
			    json_object_new_string(js[i].name));
			continue;
		}
		json_object_array_add(matched,
		    json_object_new_string(js[i].name));
		if (js[i].rk != NULL) {
			json_object_object_add(ev, js[i].name,
			    quote_line(r, best_line(js[i].rk)));
			d = skill_detail(r, js[i].rk);
		} else {
			json_object_object_add(ev, js[i].name,
			    line_at(text, js[i].loose));
			d = json_object_new_object();
		}
		json_object_object_add(d, "strength", round1(100 * js[i].e));
		json_object_object_add(detail, js[i].name, d);
	}
	return n == 0 ? 100 : 100 * sum / (double)n;
}

/* Years with each required skill against what the job asks. */
static double
score_skill_years(const struct jskill *js, size_t n, double min)
{
	double	 target = min > 0 ? min : 2, sum = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (js[i].rk == NULL)
			continue;
		/* more years keep counting, each less (1x the target: 0.78) */
		if (js[i].rk->months > 0)
			sum += 1 - exp(-1.5 * js[i].rk->months / 12.0 / target);
		else
			sum += 0.2;	/* listed, no dated role shows it */
	}
	return n == 0 ? 100 : 100 * sum / (double)n;
}

static double
score_experience(double years, double min, double max)
{
	if (years < min)
		return 100 * years / min;
	if (max >= 0 && years > max)
		return fmax(50, 100 - 8 * (years - max));
	return 100;
}

/* How recently the required skills were used. */
static double
score_recency(const struct resume *r, const struct jskill *js, size_t n)
{
	double	 sum = 0, ago;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (js[i].rk == NULL)
			continue;
		if (js[i].rk->last <= 0) {
			sum += 0.4;
			continue;
		}
		ago = (r->now - js[i].rk->last) / 12.0;
		sum += ago <= 1 ? 1 : fmax(0.3, 1 - 0.1 * (ago - 1));
	}
	return n == 0 ? 100 : 100 * sum / (double)n;
}

#define MAXTERMS	64

struct terms {
	char	 w[MAXTERMS][24];
	size_t	 n;
};

static int
stopword(const char *w)
{
	size_t	 i;

	for (i = 0; stopwords[i] != NULL; i++)
		if (strcmp(stopwords[i], w) == 0)
			return 1;
	return 0;
}

/* Next lower-case word of [*p, e) into w; 0 at the end. */
static int
next_word(const char **p, const char *e, char *w, size_t wsz)
{
	const char	*s = *p;
	size_t		 n = 0;

	while (s < e && !isalnum((unsigned char)*s))
		s++;
	if (s >= e) {
		*p = s;
		return 0;
	}
	while (s < e && (isalnum((unsigned char)*s) || *s == '+' ||
	    *s == '#')) {
		if (n + 1 < wsz)
			w[n++] = (char)tolower((unsigned char)*s);
		s++;
	}
	w[n] = '\0';
	*p = s;
	return 1;
}

static int
terms_has(const struct terms *t, const char *w)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->w[i][0] == w[0] && strcmp(t->w[i], w) == 0)
			return (int)i;
	return -1;
}

static void
terms_add(struct terms *t, const char *s, size_t minlen)
{
	const char	*p = s, *e = s + strlen(s);
	char		 w[24];

	while (t->n < MAXTERMS && next_word(&p, e, w, sizeof(w)))
		if (strlen(w) >= minlen && !stopword(w) && terms_has(t, w) < 0)
			snprintf(t->w[t->n++], sizeof(t->w[0]), "%s", w);
}

/* Title words, a few spellings made one. */
static void
title_terms(struct terms *t, const char *s)
{
	static const char *const same[][2] = { { "developer", "engineer" },
	    { "programmer", "engineer" }, { "sr", "senior" },
	    { "jr", "junior" }, { "mgr", "manager" }, { "swe", "engineer" },
	    { "dev", "engineer" }, { "lead", "senior" } };
	size_t	 i, j;

	terms_add(t, s, 2);
	for (i = 0; i < t->n; i++)
		for (j = 0; j < sizeof(same) / sizeof(same[0]); j++)
			if (strcmp(t->w[i], same[j][0]) == 0)
				snprintf(t->w[i], sizeof(t->w[0]), "%s",
				    same[j][1]);
}

/* Share of the job title's words in the candidate's titles, the recent
 * ones weighing more; *best is the title that gave it. */
static double
score_title(const struct resume *r, const char *title, const char **best)
{
	struct terms	 jt = { .n = 0 }, rt;
	double		 top = 0, v, w;
	size_t		 i, hit, k;

	if (title == NULL || (title_terms(&jt, title), jt.n == 0))
		return 50;
	for (i = 0; i < r->nroles + 2 && i < r->nlines + r->nroles; i++) {
		const char *s;

		rt.n = 0;
		if (i < r->nroles) {
			s = r->roles[i].title;
			w = i == 0 ? 1 : i == 1 ? 0.85 : 0.7;
		} else {
			/* the headline under the name */
			k = i - r->nroles;
			if (k >= r->nlines || r->lines[k].sec > SEC_SUMMARY)
				continue;
			s = NULL;
			w = 0.8;
		}
		if (s != NULL)
			title_terms(&rt, s);
		else {
			char line[200];

			snprintf(line, sizeof(line), "%.*s",
			    (int)(r->lines[k].e - r->lines[k].s),
			    r->text + r->lines[k].s);
			title_terms(&rt, line);
		}
		for (k = 0, hit = 0; k < jt.n; k++)
			hit += terms_has(&rt, jt.w[k]) >= 0;
		v = w * (double)hit / (double)jt.n;
		if (v > top) {
			top = v;
			*best = i < r->nroles ? r->roles[i].title : NULL;
		}
	}
	return 100 * top;
}

#define MAXDOCS	48

/* Sections (each role its own) as BM25 documents: line ranges. */
struct docs {
	size_t	 first[MAXDOCS], last[MAXDOCS];
	double	 w[MAXDOCS];
	size_t	 n;
};

static void
docs_split(const struct resume *r, struct docs *d)
{
	static const double secw[SEC_NKINDS] = { 0.5, 0.6, 0.8, 1, 0.7, 0.3,
	    0.4, 0.3 };
	size_t	 i;

	d->n = 0;
	for (i = 0; i < r->nlines; i++) {
		if (d->n > 0 && d->n < MAXDOCS &&
		    r->lines[i].sec == r->lines[d->last[d->n - 1]].sec &&
		    r->lines[i].role == r->lines[d->last[d->n - 1]].role) {
			d->last[d->n - 1] = i;
			continue;
		}
		if (d->n == MAXDOCS) {
			d->last[d->n - 1] = i;
			continue;
		}
		d->first[d->n] = d->last[d->n] = i;
		d->w[d->n] = secw[r->lines[i].sec];
		d->n++;
	}
}

/*
 * BM25 of the job description's words over the resume's sections, each
 * section weighted by what it says of the candidate (experience most);
 * the sum mapped to 0..100.  *hits counts matched terms per term.
 */
static double
score_relevance(const struct resume *r, const struct terms *q, int *hits)
{
	static unsigned char	 tf[MAXDOCS][MAXTERMS];
	struct docs		 d;
	const char		*p, *e;
	char			 w[24];
	double			 dl[MAXDOCS], avg = 0, s = 0, idf, x;
	size_t			 i, t, k;
	int			 df, j;

	if (q->n == 0)
		return 50;
	docs_split(r, &d);
	memset(tf, 0, sizeof(tf));
	for (i = 0; i < d.n; i++) {
		dl[i] = 0;
		for (k = d.first[i]; k <= d.last[i]; k++) {
			p = r->text + r->lines[k].s;
			e = r->text + r->lines[k].e;
			while (next_word(&p, e, w, sizeof(w))) {
				dl[i]++;
				if ((j = terms_has(q, w)) >= 0 &&
				    tf[i][j] < 255)
					tf[i][j]++;
			}
		}
		avg += dl[i];
	}
	if (d.n == 0)
		return 0;
	avg /= (double)d.n;
	for (t = 0; t < q->n; t++) {
		for (i = 0, df = 0; i < d.n; i++)
			df += tf[i][t] > 0;
		hits[t] = df;
		idf = log(1 + (d.n - df + 0.5) / (df + 0.5));
		for (i = 0; i < d.n; i++) {
			if (tf[i][t] == 0)
				continue;
			x = tf[i][t];
			s += d.w[i] * idf * x * 2.2 / (x + 1.2 * (0.25 + 0.75 *
			    dl[i] / (avg > 0 ? avg : 1)));
		}
	}
	return 100 * (1 - exp(-s / (0.5 * (double)q->n)));
}

static struct json_object *
jstr_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* The explanation of criterion c: weight, score, evidence. */
static void
explain_add(struct json_object *ex, enum crit c, double score,
    struct json_object *evidence)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "criterion",
	    json_object_new_string(crits[c].name));
	json_object_object_add(o, "weight", json_object_new_double(crits[c].w));
	json_object_object_add(o, "score", round1(score));
	json_object_object_add(o, "points", round1(score * crits[c].w / 100));
	json_object_object_add(o, "evidence", evidence);
	json_object_array_add(ex, o);
}

/* Score r against job into o. */
static void
score_job(struct json_object *o, const struct resume *r, const char *text,
    const struct scorer_job *job, int has_degree)
{
	struct jskill		*jreq, *jpref;
	struct json_object	*sub, *w, *matched, *missing, *ev, *det, *ex,
				*a;
	struct terms		 q = { .n = 0 };
	const char		*best = NULL;
	double			 s[C_N], total = 0, years = resume_years(r),
				 strength = 0;
	int			 hits[MAXTERMS];
	size_t			 i;

	jreq = calloc(job->nrequired + 1, sizeof(*jreq));
	jpref = calloc(job->npreferred + 1, sizeof(*jpref));
	if (jreq == NULL || jpref == NULL)
		abort();
	matched = json_object_new_array();
	missing = json_object_new_array();
	ev = json_object_new_object();
	det = json_object_new_object();
	ex = json_object_new_array();
	s[C_REQ] = score_skills(r, text, job->required, job->nrequired, jreq,
	    matched, missing, ev, det);
	s[C_PREF] = score_skills(r, text, job->preferred, job->npreferred,
	    jpref, matched, missing, ev, det);
	s[C_SKYEARS] = score_skill_years(jreq, job->nrequired, job->min_exp);
	s[C_EXP] = score_experience(years, job->min_exp, job->max_exp);
	s[C_RECENCY] = score_recency(r, jreq, job->nrequired);
	s[C_TITLE] = score_title(r, job->title, &best);
	if (job->description != NULL)
		terms_add(&q, job->description, 3);
	s[C_REL] = score_relevance(r, &q, hits);
	s[C_EDU] = has_degree ? 100 : 40;

	explain_add(ex, C_REQ, s[C_REQ], json_object_get(matched));
	explain_add(ex, C_PREF, s[C_PREF], NULL);
	explain_add(ex, C_SKYEARS, s[C_SKYEARS], json_object_get(det));
	explain_add(ex, C_EXP, s[C_EXP], round1(years));
	explain_add(ex, C_RECENCY, s[C_RECENCY], NULL);
	explain_add(ex, C_TITLE, s[C_TITLE], jstr_or_null(best));
	a = json_object_new_array();
	for (i = 0; i < q.n; i++)
		if (q.n <= MAXTERMS && hits[i] > 0 &&
		    json_object_array_length(a) < 10)
			json_object_array_add(a,
			    json_object_new_string(q.w[i]));
	explain_add(ex, C_REL, s[C_REL], a);
	explain_add(ex, C_EDU, s[C_EDU], NULL);

	sub = json_object_new_object();
	w = json_object_new_object();
	for (i = 0; i < C_N; i++) {
		total += s[i] * crits[i].w / 100;
		json_object_object_add(sub, crits[i].name, round1(s[i]));
		json_object_object_add(w, crits[i].name,
		    json_object_new_int((int)crits[i].w));
	}
	for (i = 0; i < job->nrequired; i++)
		strength += jreq[i].e;
	total = fmin(100, fmax(0, total));
	json_object_object_add(o, "score", round1(total));
	json_object_object_add(o, "score_exact",
	    json_object_new_double(round(total * 10000) / 10000));
	/* ties at one decimal: the stronger required evidence first */
	json_object_object_add(o, "tie_break", json_object_new_double(
	    round(strength * 10000) / 10000));
	json_object_object_add(o, "sub_scores", sub);
	json_object_object_add(o, "weights", w);
	json_object_object_add(o, "matched_skills", matched);
	json_object_object_add(o, "missing_skills", missing);
	json_object_object_add(o, "evidence", ev);
	json_object_object_add(o, "skill_evidence", det);
	json_object_object_add(o, "explanation", ex);
	free(jreq);
	free(jpref);
}

struct json_object *
scorer_builtin(const char *text, const struct scorer_job *job)
{
	struct json_object	*o, *edu, *name;
	struct resume		 r;
	char			*blind;

	/* Who wrote it is read from the text; everything else, and so the
	 * score, from the text without them (scorer_redact), parsed once. */
	name = extract_name(text);
	blind = scorer_redact_named(text, name != NULL ?
	    json_object_get_string(name) : NULL);
	resume_parse(&r, blind, skills_default(), now_month());
	o = json_object_new_object();
	json_object_object_add(o, "name", name);
	json_object_object_add(o, "email", extract_email(text));
	json_object_object_add(o, "phone", extract_phone(text));
	add_fields(o, &r);
	json_object_object_add(o, "years_experience",
	    round1(resume_years(&r)));
	edu = extract_education(text);
	json_object_object_add(o, "education", edu);
	json_object_object_add(o, "links", extract_links(text));
	json_object_object_add(o, "scorer", json_object_new_string("builtin"));
	json_object_object_add(o, "scorer_version",
	    json_object_new_string(SCORER_VERSION));
	/* a degree's words stay in the redacted text: the same answer */
	if (job != NULL)
		score_job(o, &r, blind, job, json_object_array_length(edu) > 0);
	resume_free(&r);
	free(blind);
	return o;
}
