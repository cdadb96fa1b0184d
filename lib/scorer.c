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
#include "skills.h"

static const char *const degree_words[] = { "B.Tech", "B.E.", "BTech",
    "M.Tech", "MTech", "B.Sc", "BSc", "M.Sc", "MSc", "Bachelor", "Master",
    "PhD", "Ph.D", "MBA", "BCA", "MCA", "B.Com", "M.Com", "Diploma",
    "B.A.", "M.A.", "B.S.", "M.S.", NULL };
#define NDEGREES (sizeof(degree_words) / sizeof(degree_words[0]) - 1)

static const char *const stopwords[] = { "with", "that", "this", "from",
    "have", "will", "your", "their", "about", "into", "than", "they",
    "work", "team", "years", "year", "experience", "role", "must", "good",
    "strong", "skills", "ability", "using", "also", "more", "able", "and",
    "the", "for", "our", "you", "are", "who", "what", "can", "all", "new",
    "join", "looking", "help", "both", "well", "plus", "nice", "etc",
    "including", "across", "within", "other", "such", "like", "based",
    "required", "preferred", "candidate", "candidates", "we", "or", "to",
    "of", "in", "on", "an", "as", "at", "by", "be", "is", "it", "a", NULL };

/* Is c part of a word for skill matching? */
static int
wordch(int c)
{
	return isalnum(c) || c == '+' || c == '#';
}

/*
 * Find term in text as a whole word, case-insensitive; returns the match
 * or NULL.  "C" does not match inside "Cloud", "C++" or "C#", and "Go"
 * does not match inside "Google".
 */
static const char *
find_word(const char *text, const char *term)
{
	const char	*p = text;
	size_t		 n = strlen(term);

	if (n == 0)
		return NULL;
	while ((p = strcasestr(p, term)) != NULL) {
		int before = p == text ? ' ' : (unsigned char)p[-1];
		int after = (unsigned char)p[n];

		if (!wordch(before) && !wordch(after) && before != '.' &&
		    !(after == '.' && isalnum((unsigned char)p[n + 1])))
			return p;
		p++;
	}
	return NULL;
}

/* The line of text around p, trimmed, at most 200 bytes. */
static struct json_object *
line_at(const char *text, const char *p)
{
	const char	*s = p, *e = p;

	while (s > text && s[-1] != '\n' && s[-1] != '\f')
		s--;
	while (*e != '\0' && *e != '\n' && *e != '\f')
		e++;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return json_object_new_string_len(s, e - s > 200 ? 200 : (int)(e - s));
}

static struct json_object *
extract_email(const char *text)
{
	const char	*at, *s, *e;

	for (at = strchr(text, '@'); at != NULL; at = strchr(at + 1, '@')) {
		for (s = at; s > text && (isalnum((unsigned char)s[-1]) ||
		    strchr("._%+-", s[-1])); s--)
			continue;
		for (e = at + 1; isalnum((unsigned char)*e) || *e == '.' ||
		    *e == '-'; e++)
			continue;
		while (e > at && e[-1] == '.')
			e--;
		if (s < at && memchr(at, '.', (size_t)(e - at)) != NULL)
			return json_object_new_string_len(s, (int)(e - s));
	}
	return NULL;
}

static struct json_object *
extract_phone(const char *text)
{
	const char	*p, *e, *last;
	int		 digits;

	for (p = text; *p != '\0'; p++) {
		if (!(isdigit((unsigned char)*p) || (*p == '+' &&
		    isdigit((unsigned char)p[1]))))
			continue;
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		for (e = p, last = p, digits = 0; *e != '\0'; e++) {
			if (isdigit((unsigned char)*e)) {
				digits++;
				last = e;
			} else if (!(*e == ' ' || *e == '-' || *e == '(' ||
			    *e == ')' || *e == '.' || (*e == '+' && e == p)))
				break;
		}
		if (digits >= 10 && digits <= 15) {
			if (p > text && p[-1] == '(')
				p--;	/* "(555) 123-4567" */
			return json_object_new_string_len(p,
			    (int)(last - p + 1));
		}
		p = e > p ? e - 1 : p;
	}
	return NULL;
}

/* Lower-case words a name may hold: "Van der Berg", "da Silva". */
static int
name_particle(const char *p, const char *e)
{
	static const char *const w[] = { "van", "der", "de", "la", "da",
	    "di", "von", "al", "bin", "binti", "el", "du", "le", "dos", "del",
	    "y", "ten", "ter", NULL };
	size_t	 i;

	for (i = 0; w[i] != NULL; i++)
		if ((size_t)(e - p) == strlen(w[i]) && strncmp(p, w[i],
		    (size_t)(e - p)) == 0)
			return 1;
	return 0;
}

/* Is [s, e) a name: 2-5 capitalised words (any script) without digits? */
static int
name_like(const char *s, const char *e)
{
	const char	*q, *w;
	int		 words = 0;

	for (q = s; q < e; ) {
		w = q;
		while (q < e && !isspace((unsigned char)*q)) {
			if (!(isalpha((unsigned char)*q) || (unsigned char)*q >=
			    0x80 || *q == '.' || *q == '\'' || *q == '-'))
				return 0;
			q++;
		}
		if (!(isupper((unsigned char)*w) || (unsigned char)*w >= 0x80 ||
		    name_particle(w, q)))
			return 0;
		words++;
		while (q < e && isspace((unsigned char)*q))
			q++;
	}
	return words >= 2 && words <= 5;
}

/* "Resume", "Curriculum Vitae", "CV" as a document's title. */
static int
resume_title_line(const char *s, const char *e)
{
	static const char *const t[] = { "resume", "curriculum vitae", "cv",
	    "r\xc3\xa9sum\xc3\xa9", "curriculum vitae (cv)", "biodata",
	    NULL };
	size_t	 i;

	for (i = 0; t[i] != NULL; i++)
		if ((size_t)(e - s) == strlen(t[i]) && strncasecmp(s, t[i],
		    (size_t)(e - s)) == 0)
			return 1;
	return 0;
}

/* The first cell of the line at s, trimmed, into [*cs, *ce); returns
 * where the next line starts. */
static const char *
first_cell(const char *s, const char **cs, const char **ce)
{
	const char	*e = s + strcspn(s, "\n\f"), *c;

	while (s < e && isspace((unsigned char)*s))
		s++;
	*cs = s;
	if ((c = memchr(s, '\t', (size_t)(e - s))) != NULL)
		*ce = c;
	else
		*ce = e;
	while (*ce > s && isspace((unsigned char)(*ce)[-1]))
		(*ce)--;
	return *e ? e + 1 : e;
}

/* A name: the first line, or the first cell of it, that reads as one;
 * or a name a narrow column wrapped ("Amara" / "Okonkwo"). */
static struct json_object *
extract_name(const char *text)
{
	const char	*s = text, *n, *a, *b, *a2, *b2;
	char		 two[160];

	for (; *s != '\0'; s = n) {
		n = first_cell(s, &a, &b);
		if (a == b || resume_title_line(a, b))
			continue;	/* "Curriculum Vitae" above the name */
		if (name_like(a, b))
			return json_object_new_string_len(a, (int)(b - a));
		(void)first_cell(n, &a2, &b2);
		if (memchr(a, ' ', (size_t)(b - a)) == NULL && a2 < b2 &&
		    (size_t)(b - a + b2 - a2) + 2 < sizeof(two)) {
			snprintf(two, sizeof(two), "%.*s %.*s", (int)(b - a), a,
			    (int)(b2 - a2), a2);
			if (name_like(two, two + strlen(two)))
				return json_object_new_string(two);
		}
		return NULL;	/* only the top line can be the name */
	}
	return NULL;
}

static int
now_month(void)
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static struct json_object *
extract_education(const char *text)
{
	struct json_object	*a = json_object_new_array();
	const char		*s = text, *e;
	char			 line[512];
	size_t			 i;

	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n\f");
		/* within the line only: a search of the rest of the text for
		 * every line took time in the square of its length */
		snprintf(line, sizeof(line), "%.*s", (int)(e - s), s);
		for (i = 0; degree_words[i] != NULL; i++)
			if (find_word(line, degree_words[i]) != NULL) {
				json_object_array_add(a, line_at(text, s));
				break;
			}
		if (json_object_array_length(a) >= 5)
			break;
	}
	return a;
}

static struct json_object *
extract_links(const char *text)
{
	static const char *const marks[] = { "http://", "https://",
	    "linkedin.com/", "github.com/", NULL };
	struct json_object	*a = json_object_new_array();
	const char		*p, *s, *e;
	size_t			 i, k;

	for (i = 0; marks[i] != NULL; i++)
		for (p = text; (p = strstr(p, marks[i])) != NULL; p = e) {
			for (s = p; s > text && !isspace((unsigned char)s[-1]) &&
			    s[-1] != '|' && s[-1] != ','; s--)
				continue;
			for (e = p; *e != '\0' && !isspace((unsigned char)*e) &&
			    *e != '|' && *e != ','; e++)
				continue;
			/* the same link found by two marks counts once */
			for (k = 0; k < json_object_array_length(a); k++)
				if (strncmp(json_object_get_string(
				    json_object_array_get_idx(a, k)), s,
				    (size_t)(e - s)) == 0)
					break;
			if (k == json_object_array_length(a) &&
			    json_object_array_length(a) < 10)
				json_object_array_add(a,
				    json_object_new_string_len(s,
				    (int)(e - s)));
		}
	return a;
}

/* Evidence by place, in enum rplace bit order: how much a mention there
 * shows the skill. */
static const struct {
	const char	*name;
	double		 w;
} places[] = {
	{ "skills section", 0.50 }, { "summary", 0.40 },
	{ "recent role", 0.85 }, { "older role", 0.65 },
	{ "projects", 0.55 }, { "certifications", 0.40 }, { "elsewhere", 0.25 },
};
#define NPLACES	(sizeof(places) / sizeof(places[0]))

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

/* How one job skill is evidenced in the resume. */
struct jskill {
	const char		*name;	/* canonical */
	const struct rskill	*rk;	/* NULL: not found */
	const char		*loose;	/* a mention found by plain search */
	double			 e;	/* strength 0..1 */
};

static double
skill_strength(const struct rskill *k)
{
	double	 miss = 1;
	size_t	 i;

	for (i = 0; i < NPLACES; i++)
		if (k->places & (1u << i))
			miss *= 1 - places[i].w;
	return fmin(1, 1 - miss + 0.02 * fmin(k->count - 1, 5));
}

static const struct rskill *
raw_find(const struct resume *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (r->sk[i].skill < 0 && strcasecmp(r->sk[i].raw, name) == 0)
			return &r->sk[i];
	return NULL;
}

static void
jskill_eval(const struct resume *r, const char *text, const char *name,
    struct jskill *js)
{
	const struct skills	*tax = r->tax;
	int			 idx = skills_find(tax, name);

	memset(js, 0, sizeof(*js));
	js->name = idx >= 0 ? skills_get(tax, idx)->name : name;
	js->rk = idx >= 0 ? resume_skill(r, idx) : raw_find(r, name);
	if (js->rk != NULL)
		js->e = skill_strength(js->rk);
	else if (idx < 0 && (js->loose = find_word(text, name)) != NULL)
		js->e = places[NPLACES - 1].w;
}

/* A line of the resume as quoted evidence. */
static struct json_object *
quote_line(const struct resume *r, size_t line)
{
	const struct rline *l = &r->lines[line];

	return json_object_new_string_len(r->text + l->s,
	    l->e - l->s > 200 ? 200 : (int)(l->e - l->s));
}

/* The best place's line for k: recent role first, then by weight. */
static size_t
best_line(const struct rskill *k)
{
	static const int order[] = { 2, 3, 4, 0, 1, 5, 6 };
	size_t	 i;

	for (i = 0; i < NPLACES; i++)
		if (k->where[order[i]] != 0)
			return k->where[order[i]] - 1;
	return 0;
}

static struct json_object *
month_str(int m)
{
	char	 b[16];

	snprintf(b, sizeof(b), "%04d-%02d", m / 12, m % 12 + 1);
	return json_object_new_string(b);
}

static struct json_object *
round1(double v)
{
	return json_object_new_double(round(v * 10) / 10);
}

/* {places, years, last_used, quote} of an evidenced skill. */
static struct json_object *
skill_detail(const struct resume *r, const struct rskill *k)
{
	struct json_object	*o = json_object_new_object(), *pl;
	size_t			 i;

	pl = json_object_new_array();
	for (i = 0; i < NPLACES; i++)
		if (k->places & (1u << i))
			json_object_array_add(pl,
			    json_object_new_string(places[i].name));
	json_object_object_add(o, "name", json_object_new_string(k->skill >=
	    0 ? skills_get(r->tax, k->skill)->name : k->raw));
	json_object_object_add(o, "category", json_object_new_string(
	    k->skill >= 0 ? skills_get(r->tax, k->skill)->category : "raw"));
	json_object_object_add(o, "places", pl);
	json_object_object_add(o, "years", round1(k->months / 12.0));
	json_object_object_add(o, "last_used", k->last > 0 ?
	    (k->last >= r->now ? json_object_new_string("present") :
	    month_str(k->last - 1)) : NULL);
	json_object_object_add(o, "mentions", json_object_new_int(k->count));
	return o;
}

/* The fields of the resume: skills as the Skills section lists them (all
 * the taxonomy finds when there is none), roles, sections, details. */
static void
add_fields(struct json_object *o, const struct resume *r)
{
	struct json_object	*sk, *det, *roles, *ro, *secs;
	const struct rrole	*x;
	size_t			 i;
	int			 seen[SEC_NKINDS] = { 0 };

	sk = json_object_new_array();
	det = json_object_new_array();
	for (i = 0; i < r->nsk; i++) {
		if (!r->has_skills_section || r->sk[i].in_list)
			json_object_array_add(sk, json_object_new_string(
			    r->sk[i].skill >= 0 ? skills_get(r->tax,
			    r->sk[i].skill)->name : r->sk[i].raw));
		json_object_array_add(det, skill_detail(r, &r->sk[i]));
	}
	json_object_object_add(o, "skills", sk);
	json_object_object_add(o, "skill_details", det);
	roles = json_object_new_array();
	for (i = 0; i < r->nroles; i++) {
		x = &r->roles[i];
		ro = json_object_new_object();
		json_object_object_add(ro, "title",
		    json_object_new_string(x->title));
		json_object_object_add(ro, "from", month_str(x->from));
		json_object_object_add(ro, "to", x->current ?
		    json_object_new_string("present") : month_str(x->to - 1));
		json_object_object_add(ro, "months",
		    json_object_new_int(x->to - x->from));
		json_object_array_add(roles, ro);
	}
	json_object_object_add(o, "roles", roles);
	secs = json_object_new_array();
	for (i = 0; i < r->nlines; i++)
		if (!seen[r->lines[i].sec]) {
			seen[r->lines[i].sec] = 1;
			json_object_array_add(secs, json_object_new_string(
			    rsec_name(r->lines[i].sec)));
		}
	json_object_object_add(o, "sections", secs);
}

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

			snprintf(line, sizeof(line), "%.*s", (int)(r->lines[k].e -
			    r->lines[k].s), r->text + r->lines[k].s);
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
				if ((j = terms_has(q, w)) >= 0 && tf[i][j] < 255)
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
/* Words naming a school (their lines keep only the degree). */
static const char *const school_words[] = { "University", "College",
    "Institute", "School", "Academy", "Polytechnic", "IIT", "NIT", "IIM",
    "IIIT", "BITS", NULL };
/* Words telling a gender. */
static const char *const gender_words[] = { "he", "she", "him", "her",
    "his", "hers", "himself", "herself", "mr", "mrs", "ms", "miss", "male",
    "female", "man", "woman", "boy", "girl", "husband", "wife", "mother",
    "father", "sir", "madam", NULL };

/* Does line [s, e) hold one of words (as a word)?  The first, or NULL.
 * Searched within the line (its first 511 bytes): never the rest of the
 * text, which would take time in the square of its length. */
static const char *
line_word(const char *s, const char *e, const char *const *words)
{
	char	 line[512];
	size_t	 i;

	snprintf(line, sizeof(line), "%.*s", (int)(e - s), s);
	for (i = 0; words[i] != NULL; i++)
		if (find_word(line, words[i]) != NULL)
			return words[i];
	return NULL;
}

/* Does token [t, t + n) say who someone is (email, link, phone, a
 * gendered word)? */
static int
token_identifies(const char *t, size_t n)
{
	static const char *const marks[] = { "@", "http:", "https:", "www.",
	    "linkedin.com/", "github.com/", NULL };
	char		 w[16];
	size_t		 i, k, digits = 0;
	int		 dash = 0;

	for (i = 0; marks[i] != NULL; i++)
		for (k = 0; k + strlen(marks[i]) <= n; k++)
			if (strncasecmp(t + k, marks[i], strlen(marks[i])) == 0)
				return 1;
	for (i = 0; i < n && (isdigit((unsigned char)t[i]) ||
	    strchr("+()-.", t[i]) != NULL); i++) {
		digits += isdigit((unsigned char)t[i]) != 0;
		dash |= t[i] == '-';
	}
	/* a phone, not a span of years such as 2015-2018 */
	if (i == n && ((t[0] == '+' && digits > 0) || digits >= 10 ||
	    (digits >= 7 && !dash)))
		return 1;
	while (n > 0 && !isalpha((unsigned char)*t))
		t++, n--;
	while (n > 0 && !isalpha((unsigned char)t[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(w))
		return 0;
	for (i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)t[i]);
	w[n] = '\0';
	for (i = 0; gender_words[i] != NULL; i++)
		if (strcmp(w, gender_words[i]) == 0)
			return 1;
	return 0;
}

/* Append n spaces to out (what was there keeps its place). */
static void
blank(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_append(out, " ", 1);
}

/* Append line [s, e) to out with its identifying tokens blanked. */
static void
redact_line(struct buf *out, const char *s, const char *e)
{
	const char	*q;

	for (; s < e; s = q) {
		for (q = s; q < e && isspace((unsigned char)*q); q++)
			continue;
		buf_append(out, s, (size_t)(q - s));
		for (s = q; q < e && !isspace((unsigned char)*q); q++)
			continue;
		if (token_identifies(s, (size_t)(q - s)))
			blank(out, (size_t)(q - s));
		else
			buf_append(out, s, (size_t)(q - s));
	}
}

/* Append line [s, e) to out with all but its degree words (in its first
 * 511 bytes) blanked. */
static void
degree_line(struct buf *out, const char *s, const char *e)
{
	char		 line[512], keep[512];
	const char	*p;
	size_t		 i, n, len;

	len = (size_t)(e - s) < sizeof(line) - 1 ? (size_t)(e - s) :
	    sizeof(line) - 1;
	memcpy(line, s, len);
	line[len] = '\0';
	memset(keep, 0, sizeof(keep));
	for (i = 0; degree_words[i] != NULL; i++) {
		n = strlen(degree_words[i]);
		for (p = line; (p = find_word(p, degree_words[i])) != NULL;
		    p += n)
			memset(keep + (p - line), 1, n);
	}
	for (i = 0; i < (size_t)(e - s); i++)
		buf_append(out, i < len && keep[i] ? s + i : " ", 1);
}

/* scorer_redact with the name already read (nm, or NULL). */
static char *
redact(const char *text, const char *nm)
{
	struct buf		 out = { 0 };
	const char		*s, *e, *t;
	int			 top = 1;

	for (s = text; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n\f");
		for (t = s; t < e && isspace((unsigned char)*t); t++)
			continue;
		if (top && t < e) {
			top = 0;
			if (nm != NULL && strncmp(t, nm, strlen(nm)) == 0) {
				blank(&out, (size_t)(e - s));
				buf_append(&out, e, *e ? 1 : 0);
				continue;
			}
		}
		if (line_word(s, e, school_words) != NULL ||
		    line_word(s, e, degree_words) != NULL)
			degree_line(&out, s, e);
		else
			redact_line(&out, s, e);
		buf_append(&out, e, *e ? 1 : 0);
	}
	return out.data != NULL ? out.data : strdup("");
}

char *
scorer_redact(const char *text)
{
	struct json_object	*name;
	char			*out;

	name = extract_name(text);
	out = redact(text, name != NULL ? json_object_get_string(name) :
	    NULL);
	json_object_put(name);
	return out;
}

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
			json_object_array_add(a, json_object_new_string(q.w[i]));
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
	blind = redact(text, name != NULL ? json_object_get_string(name) :
	    NULL);
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

/* A line in capitals ("NICE TO HAVE"). */
static int
words_upper(const char *s, const char *e)
{
	int	 up = 0;

	for (; s < e; s++) {
		if (islower((unsigned char)*s))
			return 0;
		up += isupper((unsigned char)*s) != 0;
	}
	return up > 2;
}

/* Words that make a line, or the block a short line heads, a wish. */
static const char *const pref_words[] = { "prefer", "nice to have",
    "nice-to-have", "bonus", "a plus", "desirable", "desired",
    "good to have", "ideally", "familiarity", "helpful", "optional", NULL };
static const char *const req_words[] = { "requir", "must", "qualification",
    "responsibilit", "you will", "what you", "you have", "skills",
    "experience", NULL };

static int
line_has(const char *s, size_t n, const char *const *words)
{
	char	 b[512];
	size_t	 i;

	snprintf(b, sizeof(b), "%.*s", (int)n, s);
	for (i = 0; words[i] != NULL; i++)
		if (strcasestr(b, words[i]) != NULL)
			return 1;
	return 0;
}

/* Sentence [s, s + n) to the required or the preferred part. */
static void
suggest_put(const char *s, size_t n, int block, struct buf *req,
    struct buf *pref)
{
	struct buf	*to = block || line_has(s, n, pref_words) ? pref : req;

	buf_append(to, s, n);
	buf_append(to, "\n", 1);
}

/* The description's sentences split into what it requires and what it
 * would like. */
static void
suggest_split(const char *desc, struct buf *req, struct buf *pref)
{
	const char	*s = desc, *e, *p, *q;
	size_t		 n;
	int		 block = 0;

	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		n = (size_t)(e - s);
		if (n > 0 && n < 60 && (s[n - 1] == ':' || words_upper(s, e))) {
			/* a short heading line starts a block */
			block = line_has(s, n, pref_words) ? 1 :
			    line_has(s, n, req_words) ? 0 : block;
			continue;
		}
		for (p = s; p < e; p = q) {
			for (q = p; q < e && !((*q == '.' || *q == ';') &&
			    (q + 1 == e || q[1] == ' ')); q++)
				continue;
			if (q < e)
				q++;
			suggest_put(p, (size_t)(q - p), block, req, pref);
		}
	}
	if (req->data == NULL)
		buf_append(req, "", 0);
	if (pref->data == NULL)
		buf_append(pref, "", 0);
}

struct json_object *
scorer_suggest(const char *desc)
{
	struct json_object	*o, *req, *pref, *all, *d;
	struct resume		 rr, rp;
	struct buf		 breq = { 0 }, bpref = { 0 };
	const struct skill	*sk;
	size_t			 i;

	suggest_split(desc, &breq, &bpref);
	resume_parse(&rr, breq.data, skills_default(), now_month());
	resume_parse(&rp, bpref.data, skills_default(), now_month());
	req = json_object_new_array();
	pref = json_object_new_array();
	all = json_object_new_array();
	for (i = 0; i < rr.nsk + rp.nsk; i++) {
		const struct rskill *k = i < rr.nsk ? &rr.sk[i] :
		    &rp.sk[i - rr.nsk];

		if (k->skill < 0 || (i >= rr.nsk && resume_skill(&rr,
		    k->skill) != NULL))
			continue;	/* raw, or required already */
		sk = skills_get(rr.tax, k->skill);
		json_object_array_add(i < rr.nsk ? req : pref,
		    json_object_new_string(sk->name));
		d = json_object_new_object();
		json_object_object_add(d, "name",
		    json_object_new_string(sk->name));
		json_object_object_add(d, "category",
		    json_object_new_string(sk->category));
		json_object_object_add(d, "required",
		    json_object_new_boolean(i < rr.nsk));
		json_object_object_add(d, "mentions",
		    json_object_new_int(k->count));
		json_object_array_add(all, d);
	}
	o = json_object_new_object();
	json_object_object_add(o, "required", req);
	json_object_object_add(o, "preferred", pref);
	json_object_object_add(o, "skills", all);
	json_object_object_add(o, "taxonomy_size", json_object_new_int64(
	    (int64_t)skills_count(skills_default())));
	resume_free(&rr);
	resume_free(&rp);
	buf_free(&breq);
	buf_free(&bpref);
	return o;
}
