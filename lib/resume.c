/*
 * resume: see resume.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resume.h"

#define MAXROLES	64

/* Headings, normalized (lower case, letters and spaces). */
static const struct {
	const char	*text;
	int		 kind;
} headings[] = {
	{ "summary", SEC_SUMMARY }, { "professional summary", SEC_SUMMARY },
	{ "profile", SEC_SUMMARY }, { "professional profile", SEC_SUMMARY },
	{ "about", SEC_SUMMARY }, { "about me", SEC_SUMMARY },
	{ "objective", SEC_SUMMARY }, { "career objective", SEC_SUMMARY },
	{ "career summary", SEC_SUMMARY }, { "executive summary", SEC_SUMMARY },
	{ "overview", SEC_SUMMARY }, { "personal statement", SEC_SUMMARY },
	{ "career profile", SEC_SUMMARY }, { "highlights", SEC_SUMMARY },
	{ "skills", SEC_SKILLS }, { "technical skills", SEC_SKILLS },
	{ "key skills", SEC_SKILLS }, { "core skills", SEC_SKILLS },
	{ "core competencies", SEC_SKILLS }, { "competencies", SEC_SKILLS },
	{ "skills tools", SEC_SKILLS }, { "tools", SEC_SKILLS },
	{ "technologies", SEC_SKILLS }, { "tech stack", SEC_SKILLS },
	{ "expertise", SEC_SKILLS }, { "areas of expertise", SEC_SKILLS },
	{ "skill set", SEC_SKILLS }, { "skillset", SEC_SKILLS },
	{ "technical proficiencies", SEC_SKILLS }, { "proficiencies", SEC_SKILLS },
	{ "skills expertise", SEC_SKILLS }, { "tools technologies",
	    SEC_SKILLS }, { "technical expertise", SEC_SKILLS },
	{ "professional skills", SEC_SKILLS }, { "skills summary", SEC_SKILLS },
	{ "key competencies", SEC_SKILLS }, { "technical competencies",
	    SEC_SKILLS }, { "relevant skills", SEC_SKILLS },
	{ "skills abilities", SEC_SKILLS }, { "strengths", SEC_SKILLS },
	{ "experience", SEC_EXPERIENCE }, { "work experience", SEC_EXPERIENCE },
	{ "professional experience", SEC_EXPERIENCE },
	{ "employment", SEC_EXPERIENCE }, { "employment history",
	    SEC_EXPERIENCE }, { "work history", SEC_EXPERIENCE },
	{ "career history", SEC_EXPERIENCE }, { "relevant experience",
	    SEC_EXPERIENCE }, { "experience projects", SEC_EXPERIENCE },
	{ "professional background", SEC_EXPERIENCE },
	{ "internships", SEC_EXPERIENCE }, { "internship", SEC_EXPERIENCE },
	{ "positions held", SEC_EXPERIENCE }, { "career", SEC_EXPERIENCE },
	{ "projects", SEC_PROJECTS }, { "key projects", SEC_PROJECTS },
	{ "personal projects", SEC_PROJECTS }, { "selected projects",
	    SEC_PROJECTS }, { "academic projects", SEC_PROJECTS },
	{ "project experience", SEC_PROJECTS }, { "side projects",
	    SEC_PROJECTS }, { "open source", SEC_PROJECTS },
	{ "education", SEC_EDUCATION }, { "academic background",
	    SEC_EDUCATION }, { "academics", SEC_EDUCATION },
	{ "qualifications", SEC_EDUCATION }, { "educational qualifications",
	    SEC_EDUCATION }, { "education training", SEC_EDUCATION },
	{ "academic qualifications", SEC_EDUCATION },
	{ "certifications", SEC_CERTS }, { "certificates", SEC_CERTS },
	{ "certification", SEC_CERTS }, { "licenses", SEC_CERTS },
	{ "licenses certifications", SEC_CERTS },
	{ "certifications licenses", SEC_CERTS }, { "courses", SEC_CERTS },
	{ "training", SEC_CERTS }, { "professional development", SEC_CERTS },
	{ "awards", SEC_OTHER }, { "achievements", SEC_OTHER },
	{ "honors", SEC_OTHER }, { "honours", SEC_OTHER },
	{ "awards achievements", SEC_OTHER }, { "publications", SEC_OTHER },
	{ "languages", SEC_OTHER }, { "interests", SEC_OTHER },
	{ "hobbies", SEC_OTHER }, { "volunteer", SEC_OTHER },
	{ "volunteering", SEC_OTHER }, { "volunteer experience", SEC_OTHER },
	{ "references", SEC_OTHER }, { "activities", SEC_OTHER },
	{ "extracurricular activities", SEC_OTHER }, { "memberships",
	    SEC_OTHER }, { "personal details", SEC_OTHER },
	{ "contact", SEC_HEADER }, { "contact information", SEC_HEADER },
	{ "contact details", SEC_HEADER },
};

/* Words that make a short capitalised line a heading of that kind. */
static const struct {
	const char	*stem;
	int		 kind;
} heading_stems[] = {
	{ "skill", SEC_SKILLS }, { "competenc", SEC_SKILLS },
	{ "proficienc", SEC_SKILLS }, { "technolog", SEC_SKILLS },
	{ "expertise", SEC_SKILLS }, { "experience", SEC_EXPERIENCE },
	{ "employment", SEC_EXPERIENCE }, { "project", SEC_PROJECTS },
	{ "education", SEC_EDUCATION }, { "academic", SEC_EDUCATION },
	{ "certif", SEC_CERTS }, { "licen", SEC_CERTS },
	{ "summary", SEC_SUMMARY }, { "profile", SEC_SUMMARY },
	{ "objective", SEC_SUMMARY }, { "award", SEC_OTHER },
	{ "publication", SEC_OTHER }, { "interest", SEC_OTHER },
};

static const char *const sec_names[SEC_NKINDS] = { "contact", "summary",
    "skills", "experience", "projects", "education", "certifications",
    "other" };

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };

static const char *const present_words[] = { "present", "current",
    "currently", "now", "today", "ongoing", "date", "till date", NULL };

static const char *const degree_words[] = { "B.Tech", "B.E.", "BTech",
    "M.Tech", "MTech", "B.Sc", "BSc", "M.Sc", "MSc", "Bachelor", "Master",
    "PhD", "Ph.D", "MBA", "BCA", "MCA", "B.Com", "M.Com", "Diploma",
    "B.A.", "M.A.", "B.S.", "M.S.", "Degree", "University", "College",
    NULL };

const char *
rsec_name(int kind)
{
	return kind >= 0 && kind < SEC_NKINDS ? sec_names[kind] : "other";
}

static int
is_bullet(const char *p, const char *e)
{
	static const char *const b[] = { "\xe2\x80\xa2", "\xe2\x97\x8f",
	    "\xe2\x96\xaa", "\xc2\xb7", "\xe2\x80\x93", "\xe2\x97\xa6",
	    "\xef\x82\xb7", "\xe2\x9e\xa2", "\xc2\xa2 ", "\xc2\xab ", NULL };
	size_t	 i;

	/* (OCR reads round bullets as "e", "o", "¢" or "«") */
	if (p < e && (*p == '-' || *p == '*' || *p == '>' || *p == 'o' ||
	    *p == 'e') && p + 1 < e && p[1] == ' ')
		return 2;
	for (i = 0; b[i] != NULL; i++)
		if ((size_t)(e - p) >= strlen(b[i]) &&
		    memcmp(p, b[i], strlen(b[i])) == 0)
			return (int)strlen(b[i]);
	return 0;
}

/* Line [p, e) normalized for heading lookup; words counted. */
static int
heading_norm(const char *p, const char *e, char *out, size_t outsz,
    int *words, int *upper, int *lower)
{
	size_t	 n = 0;
	int	 sp = 1;

	*words = *upper = *lower = 0;
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalpha(c)) {
			if (sp && n > 0 && n + 1 < outsz)
				out[n++] = ' ';
			if (sp)
				(*words)++;
			sp = 0;
			if (isupper(c))
				(*upper)++;
			else
				(*lower)++;
			if (n + 1 < outsz)
				out[n++] = (char)tolower(c);
		} else if (c == '&' || c == ' ' || c == '/' || c == '-' ||
		    c == '\t' || c == '|' || c == '_')
			sp = 1;
		else if (c == ':' || c >= 0x80 || c == '.')
			sp = 1;	/* dashes, bullets, colons around headings */
		else
			return -1;
	}
	out[n] = '\0';
	return 0;
}

/* The section kind line [p, e) heads, or -1. */
static int
heading_kind(const char *p, const char *e)
{
	char	 norm[64], *a;
	size_t	 i;
	int	 words, up, lo;

	if (e - p > 48 || e - p < 3)
		return -1;
	if (heading_norm(p, e, norm, sizeof(norm), &words, &up, &lo) == -1 ||
	    words == 0 || words > 5)
		return -1;
	/* "and" is written & as often: the table has neither */
	while ((a = strstr(norm, " and ")) != NULL)
		memmove(a + 1, a + 5, strlen(a + 5) + 1);
	for (i = 0; i < sizeof(headings) / sizeof(headings[0]); i++)
		if (norm[0] == headings[i].text[0] &&
		    strcmp(norm, headings[i].text) == 0)
			return headings[i].kind;
	/* A short line in capitals or title case with a heading word. */
	if (words > 4 || !(lo == 0 || (isupper((unsigned char)*p) &&
	    words <= 3)))
		return -1;
	for (i = 0; i < sizeof(heading_stems) / sizeof(heading_stems[0]); i++)
		if (strstr(norm, heading_stems[i].stem) != NULL)
			return heading_stems[i].kind;
	return -1;
}

/* A heading at the start of [p, e) followed by ':' and content, or by
 * a tab (a heading in the margin, its content beside it). */
static int
heading_inline(const char *p, const char *e, size_t *body)
{
	const char	*c = memchr(p, ':', (size_t)(e - p));
	const char	*t = memchr(p, '\t', (size_t)(e - p));
	int		 k;

	if (t != NULL && (c == NULL || t < c) && t - p <= 40 &&
	    (k = heading_kind(p, t)) != -1) {
		*body = (size_t)(t + 1 - p);
		return k;
	}
	if (c == NULL || c - p > 40 || (k = heading_kind(p, c)) == -1)
		return -1;
	*body = (size_t)(c + 1 - p);
	return k;
}

/* A year 1950..2099 of exactly four digits at p. */
static int
year_at(const char *p, const char *e)
{
	int	 y;

	if (e - p < 4 || !isdigit((unsigned char)p[0]) ||
	    !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) ||
	    !isdigit((unsigned char)p[3]) || (e - p > 4 &&
	    isdigit((unsigned char)p[4])))
		return 0;
	y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
	    (p[3] - '0');
	return y >= 1950 && y <= 2099 ? y : 0;
}

/*
 * A date at p: "Jan 2019", "January, 2019", "Sept. 2019", "01/2019",
 * "1.2019", "2019-01", "2019/1", "2019", or a word for now.  Returns its
 * length and sets *m (months since year 0), *ym (1 when a month was
 * given; a year alone counts from its middle, so "2015 - 2018" is three
 * years last used in 2018), *cur; 0 when none.
 */
static size_t
date_at(const char *p, const char *e, int now, int *m, int *ym, int *cur)
{
	const char	*q = p;
	size_t		 i, n;
	int		 y, mo;

	*cur = *ym = 0;
	for (i = 0; present_words[i] != NULL; i++) {
		n = strlen(present_words[i]);
		if ((size_t)(e - p) >= n && strncasecmp(p, present_words[i],
		    n) == 0 && (p + n == e || !isalpha((unsigned char)p[n]))) {
			*m = now;
			*cur = *ym = 1;
			return n;
		}
	}
	if (isalpha((unsigned char)*p)) {
		for (mo = 0; mo < 12; mo++)
			if (e - p >= 3 && strncasecmp(p, months[mo], 3) == 0)
				break;
		if (mo == 12)
			return 0;
		while (q < e && isalpha((unsigned char)*q))
			q++;
		if (q - p > 9)
			return 0;
		while (q < e && (*q == '.' || *q == ',' || *q == ' ' ||
		    *q == '\''))
			q++;
		if ((y = year_at(q, e)) == 0)
			return 0;
		*m = y * 12 + mo;
		*ym = 1;
		return (size_t)(q + 4 - p);
	}
	if (!isdigit((unsigned char)*p))
		return 0;
	if ((y = year_at(p, e)) != 0) {
		q = p + 4;
		if (q + 1 < e && (*q == '-' || *q == '/' || *q == '.') &&
		    isdigit((unsigned char)q[1])) {
			mo = q[1] - '0';
			n = 2;
			if (q + 2 < e && isdigit((unsigned char)q[2])) {
				mo = mo * 10 + q[2] - '0';
				n = 3;
			}
			if (mo >= 1 && mo <= 12 && (q + n == e ||
			    !isdigit((unsigned char)q[n]))) {
				*m = y * 12 + mo - 1;
				*ym = 1;
				return 4 + n;
			}
		}
		*m = y * 12 + 6;	/* a year alone: its middle */
		return 4;
	}
	/* MM/YYYY */
	mo = *p - '0';
	q = p + 1;
	if (q < e && isdigit((unsigned char)*q))
		mo = mo * 10 + *q++ - '0';
	if (q < e && (*q == '/' || *q == '.' || *q == '-') && mo >= 1 &&
	    mo <= 12 && (y = year_at(q + 1, e)) != 0) {
		*m = y * 12 + mo - 1;
		*ym = 1;
		return (size_t)(q + 5 - p);
	}
	return 0;
}

/* A range separator at p: "-", "–", "—", "to", "till", "until", "~". */
static size_t
range_sep(const char *p, const char *e)
{
	static const char *const seps[] = { "\xe2\x80\x93", "\xe2\x80\x94",
	    "\xe2\x80\x92", "-", "~", "to ", "till ", "until ", "through ",
	    NULL };
	const char	*q = p;
	size_t		 i, n;

	while (q < e && *q == ' ')
		q++;
	for (i = 0; seps[i] != NULL; i++) {
		n = strlen(seps[i]);
		if ((size_t)(e - q) >= n && strncasecmp(q, seps[i], n) == 0) {
			q += n;
			while (q < e && *q == ' ')
				q++;
			return (size_t)(q - p);
		}
	}
	return 0;
}

int
resume_date_range(const char *p, const char *e, int now, int *from, int *to,
    int *current, size_t *off, size_t *len)
{
	const char	*s;
	size_t		 a, sep, b;
	int		 m1, m2, ym1, ym2, c1, c2;

	for (s = p; s < e; s++) {
		if (s > p && isalnum((unsigned char)s[-1]))
			continue;
		if ((a = date_at(s, e, now, &m1, &ym1, &c1)) == 0 || c1)
			continue;
		if ((sep = range_sep(s + a, e)) == 0 ||
		    (b = date_at(s + a + sep, e, now, &m2, &ym2, &c2)) == 0)
			continue;
		if (m2 < m1 || m2 > now + 12)
			continue;
		/* "Jan 2019 - Dec 2020" is 24 months; "2019 - 2021" 2 years */
		if (ym1 && ym2 && !c2)
			m2++;
		*from = m1;
		*to = m2;
		*current = c2;
		*off = (size_t)(s - p);
		*len = a + sep + b;
		return 1;
	}
	return 0;
}

static void
lines_split(struct resume *r)
{
	const char	*p = r->text, *end = r->text + r->len, *s, *e;
	size_t		 cap = 0;

	while (p < end) {
		s = p;
		while (p < end && *p != '\n' && *p != '\f')
			p++;
		e = p;
		if (p < end)
			p++;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e)
			continue;
		if (r->nlines == cap && (r->lines = reallocarray(r->lines,
		    cap = cap ? cap * 2 : 128, sizeof(*r->lines))) == NULL)
			abort();
		r->lines[r->nlines].s = (size_t)(s - r->text);
		r->lines[r->nlines].e = (size_t)(e - r->text);
		r->lines[r->nlines].sec = SEC_HEADER;
		r->lines[r->nlines].role = -1;
		r->lines[r->nlines].heading = 0;
		r->lines[r->nlines].body = r->lines[r->nlines].s;
		r->nlines++;
	}
}

static void
sections_find(struct resume *r)
{
	struct rline	*l;
	const char	*s, *e;
	size_t		 i, body;
	int		 sec = SEC_HEADER, k, b;

	for (i = 0; i < r->nlines; i++) {
		l = &r->lines[i];
		s = r->text + l->s;
		e = r->text + l->e;
		b = is_bullet(s, e);
		if (b == 0 && (k = heading_kind(s, e)) != -1) {
			sec = k;
			l->heading = 1;
			l->body = l->e;
		} else if (b == 0 && (k = heading_inline(s, e, &body)) != -1) {
			/* "Languages: ..." in a Skills section labels a list */
			if (!(sec == SEC_SKILLS && (k == SEC_OTHER ||
			    k == SEC_SKILLS)))
				sec = k;
			l->heading = 1;
			l->body = l->s + body;
		}
		l->sec = sec;
		if (sec == SEC_SKILLS)
			r->has_skills_section = 1;
	}
}

/* A line that reads as a role's title rather than a bullet of the last. */
static int
title_like(const char *s, const char *e)
{
	if (is_bullet(s, e) || e - s > 100 || e[-1] == '.')
		return 0;
	return isupper((unsigned char)*s) || isdigit((unsigned char)*s);
}

/* Words (two letters or more) in [s, e). */
static int
words_in(const char *s, const char *e)
{
	int	 n = 0, in = 0, len = 0;

	for (; s < e; s++) {
		if (isalpha((unsigned char)*s)) {
			len++;
			in = 1;
		} else {
			if (in && len >= 2)
				n++;
			in = len = 0;
		}
	}
	return n + (in && len >= 2);
}

/* The title text of a role's header: the date line less its dates. */
static void
role_title(struct resume *r, struct rrole *ro, size_t doff, size_t dlen)
{
	const struct rline *l = &r->lines[ro->date_line];
	const char	*s = r->text + l->s, *e = r->text + l->e;
	char		 t[320];
	size_t		 n = 0, i;

	for (i = 0; s + i < e && n + 1 < sizeof(t); i++)
		if (i < doff || i >= doff + dlen)
			t[n++] = s[i];
	t[n] = '\0';
	if (words_in(t, t + n) < 2 && (ro->first < ro->date_line ||
	    (ro->date_line + 1 < r->nlines && !r->lines[ro->date_line +
	    1].heading && title_like(r->text + r->lines[ro->date_line + 1].s,
	    r->text + r->lines[ro->date_line + 1].e)))) {
		/* the line above ("Title, Company" over the dates), else the
		 * one below (dates over the title) */
		l = ro->first < ro->date_line ? &r->lines[ro->first] :
		    &r->lines[ro->date_line + 1];
		n = (size_t)snprintf(t, sizeof(t), "%.*s", (int)(l->e - l->s),
		    r->text + l->s);
		if (n >= sizeof(t))
			n = sizeof(t) - 1;
	}
	/* trim separators and brackets around what is left */
	for (i = 0; i < n && strchr(" |,()[]-\t@", t[i]) != NULL; i++)
		continue;
	while (n > i && strchr(" |,()[]-\t:", t[n - 1]) != NULL)
		n--;
	snprintf(ro->title, sizeof(ro->title), "%.*s", (int)(n - i), t + i);
}

/* Is line i one where roles may be dated? */
static int
role_section(const struct resume *r, size_t i, int has_exp)
{
	int	 sec = r->lines[i].sec;

	if (has_exp)
		return sec == SEC_EXPERIENCE;
	return sec == SEC_HEADER || sec == SEC_SUMMARY || sec == SEC_OTHER;
}

/* A role dated at [off, off + len) of line i. */
static void
role_add(struct resume *r, size_t i, size_t off, size_t len, int from,
    int to, int cur)
{
	const struct rline *l = &r->lines[i];
	struct rrole	*ro;

	if (r->nroles == 0 && (r->roles = calloc(MAXROLES,
	    sizeof(*r->roles))) == NULL)
		abort();
	ro = &r->roles[r->nroles];
	ro->first = ro->date_line = i;
	ro->from = from;
	ro->to = to;
	ro->current = cur;
	/* "Title, Company" on the line above a dates-only line */
	if (words_in(r->text + l->s + off + len, r->text + l->e) +
	    words_in(r->text + l->s, r->text + l->s + off) < 2 && i > 0 &&
	    !r->lines[i - 1].heading && r->lines[i - 1].sec == l->sec &&
	    title_like(r->text + r->lines[i - 1].s,
	    r->text + r->lines[i - 1].e) && (r->nroles == 0 ||
	    r->roles[r->nroles - 1].date_line < i - 1))
		ro->first = i - 1;
	role_title(r, ro, off, len);
	r->nroles++;
}

/* A range that a narrow column wrapped: "(Mar 2019 to Sep" / "2025)". */
static void
role_wrapped(struct resume *r, size_t i)
{
	const struct rline *l = &r->lines[i], *nx;
	char		 b[512];
	size_t		 n1, n, off, len;
	int		 from, to, cur;

	if (i + 1 >= r->nlines || r->lines[i + 1].heading)
		return;
	nx = &r->lines[i + 1];
	n1 = l->e - l->s;
	if (n1 + 1 + (nx->e - nx->s) >= sizeof(b))
		return;
	n = (size_t)snprintf(b, sizeof(b), "%.*s %.*s", (int)n1,
	    r->text + l->s, (int)(nx->e - nx->s), r->text + nx->s);
	if (resume_date_range(b, b + n, r->now, &from, &to, &cur, &off,
	    &len) && off < n1 && off + len > n1)
		role_add(r, i, off, n1 - off, from, to, cur);
}

static void
roles_find(struct resume *r)
{
	struct rrole	*ro;
	const struct rline *l;
	const char	*p;
	size_t		 i, j, off, len;
	int		 from, to, cur, has_exp = 0, found;

	for (i = 0; i < r->nlines; i++)
		if (r->lines[i].sec == SEC_EXPERIENCE)
			has_exp = 1;
	for (i = 0; i < r->nlines && r->nroles < MAXROLES; i++) {
		l = &r->lines[i];
		if (l->heading || !role_section(r, i, has_exp))
			continue;
		/* a line may date more than one role */
		for (p = r->text + l->s, found = 0; r->nroles < MAXROLES &&
		    resume_date_range(p, r->text + l->e, r->now, &from, &to,
		    &cur, &off, &len); p += off + len, found = 1)
			role_add(r, i, (size_t)(p - r->text - l->s) + off, len,
			    from, to, cur);
		if (!found && r->nroles < MAXROLES)
			role_wrapped(r, i);
	}
	for (j = 0; j < r->nroles; j++) {
		ro = &r->roles[j];
		ro->last = j + 1 < r->nroles && r->roles[j + 1].first >
		    ro->first ? r->roles[j + 1].first - 1 : ro->first;
		if (j + 1 == r->nroles)
			while (ro->last + 1 < r->nlines &&
			    r->lines[ro->last + 1].sec == r->lines[ro->first].sec &&
			    !r->lines[ro->last + 1].heading)
				ro->last++;
		for (i = ro->first; i <= ro->last; i++)
			r->lines[i].role = (int)j;
	}
}

static int
iv_cmp(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Months covered by the union of the roles in mask (all when ~0). */
static int
roles_union(const struct resume *r, uint64_t mask, int *last)
{
	int	 iv[MAXROLES][2], n = 0, i, total = 0, s, e;
	size_t	 j;

	*last = 0;
	for (j = 0; j < r->nroles; j++)
		if (mask & ((uint64_t)1 << j)) {
			iv[n][0] = r->roles[j].from;
			iv[n][1] = r->roles[j].to;
			if (iv[n][1] > *last)
				*last = iv[n][1];
			n++;
		}
	if (n == 0)
		return 0;
	qsort(iv, (size_t)n, sizeof(iv[0]), iv_cmp);
	s = iv[0][0];
	e = iv[0][1];
	for (i = 1; i < n; i++) {
		if (iv[i][0] > e) {
			total += e - s;
			s = iv[i][0];
			e = iv[i][1];
		} else if (iv[i][1] > e)
			e = iv[i][1];
	}
	return total + e - s;
}

static const char *const sep_chars = ",;|()[]:\t";

static int
is_sep(const char *p, const char *e)
{
	return strchr(sep_chars, *p) != NULL || is_bullet(p, e) ||
	    (*p == '/' && p + 1 < e && p[1] == ' ');
}

/* Is [ms, me) a whole item of a list within line [s, e)? */
static int
list_item(const char *s, const char *e, const char *ms, const char *me)
{
	const char	*a = ms, *b = me;

	while (a > s && (a[-1] == ' ' || a[-1] == '.'))
		a--;
	while (b < e && (*b == ' ' || *b == '.'))
		b++;
	if (a > s && !is_sep(a - 1, e) && !((unsigned char)a[-1] >= 0x80))
		return 0;
	if (a - s >= 4 && strncasecmp(a - 4, "and ", 4) == 0)
		return memchr(s, ',', (size_t)(e - s)) != NULL;
	if (b < e && !is_sep(b, e) && !((unsigned char)*b >= 0x80)) {
		if ((size_t)(e - b) >= 4 && strncasecmp(b, "and ", 4) == 0)
			return memchr(s, ',', (size_t)(e - s)) != NULL;
		return 0;
	}
	return 1;
}

static int
has_degree(const char *s, const char *e)
{
	size_t	 i, n;
	const char *p;

	for (i = 0; degree_words[i] != NULL; i++) {
		n = strlen(degree_words[i]);
		for (p = s; p + n <= e; p++)
			if (strncmp(p, degree_words[i], n) == 0)
				return 1;
	}
	return 0;
}

/* A skill the taxonomy only accepts in context: is this such a place? */
static int
ctx_ok(const struct resume *r, const struct rline *l, const struct stok *t,
    size_t ntok, const struct smatch *m)
{
	static const char *const preps[] = { "in", "with", "using", "of",
	    "including", "and", NULL };
	const char	*s = r->text + l->s, *e = r->text + l->e;
	const struct stok *last = &t[m->tok + m->ntok - 1];
	size_t		 i;

	if (l->sec == SEC_EDUCATION || has_degree(s, e))
		return 0;
	if (list_item(s, e, t[m->tok].s, last->s + last->len))
		return 1;
	if (l->sec == SEC_SKILLS)
		return 1;
	if (m->tok == 0 || t[m->tok - 1].s < s)
		return 0;
	if (m->tok + m->ntok < ntok && t[m->tok + m->ntok].len == 4 &&
	    year_at(t[m->tok + m->ntok].s, t[m->tok + m->ntok].s + 4))
		return 0;		/* "in Spring 2019" */
	for (i = 0; preps[i] != NULL; i++)
		if (t[m->tok - 1].len == strlen(preps[i]) && strncmp(
		    t[m->tok - 1].s, preps[i], t[m->tok - 1].len) == 0)
			return i < 5 || memchr(s, ',', (size_t)(e - s)) != NULL;
	return 0;
}

static unsigned
place_of(const struct resume *r, const struct rline *l)
{
	static const unsigned by_sec[SEC_NKINDS] = { PL_SUMMARY, PL_SUMMARY,
	    PL_SKILLS, PL_OLDER, PL_PROJECTS, PL_OTHER, PL_CERTS, PL_OTHER };

	if (l->role >= 0)
		return r->roles[l->role].to >= r->now - 36 ? PL_RECENT :
		    PL_OLDER;
	return by_sec[l->sec];
}

static struct rskill *
rskill_get(struct resume *r, int skill, const char *raw, size_t rawlen)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (skill >= 0 ? r->sk[i].skill == skill : (r->sk[i].skill <
		    0 && strlen(r->sk[i].raw) == rawlen &&
		    strncasecmp(r->sk[i].raw, raw, rawlen) == 0))
			return &r->sk[i];
	if ((r->nsk & (r->nsk - 1)) == 0 && (r->sk = reallocarray(r->sk,
	    r->nsk ? r->nsk * 2 : 16, sizeof(*r->sk))) == NULL)
		abort();
	memset(&r->sk[r->nsk], 0, sizeof(r->sk[0]));
	r->sk[r->nsk].skill = skill;
	if (raw != NULL)
		r->sk[r->nsk].raw = strndup(raw, rawlen);
	return &r->sk[r->nsk++];
}

static void
rskill_note(struct resume *r, struct rskill *k, size_t line)
{
	const struct rline *l = &r->lines[line];
	unsigned	 pl = place_of(r, l);
	int		 bit = __builtin_ctz(pl);

	k->places |= pl;
	k->count++;
	if (k->where[bit] == 0)
		k->where[bit] = line + 1;
	if (l->role >= 0)
		k->roles |= (uint64_t)1 << l->role;
}

/* A list-like line: a Skills section's, or items between separators. */
static int
line_listy(const struct resume *r, const struct rline *l)
{
	const char	*p;
	int		 n = 0;

	if (l->sec == SEC_SKILLS)
		return 1;
	for (p = r->text + l->s; p < r->text + l->e; p++)
		if (*p == ',' || *p == '|' || *p == ';')
			n++;
	return n >= 2;
}

/* Every taxonomy skill in the text, located. */
static void
skills_scan(struct resume *r, struct stok *t, size_t ntok, int *covered)
{
	struct smatch	 m;
	struct rskill	*k;
	const struct rline *l;
	size_t		 i = 0, li = 0, j;
	int		 listy = 0;
	size_t		 listy_line = (size_t)-1;

	while (i < ntok) {
		while (li < r->nlines && r->text + r->lines[li].e <= t[i].s)
			li++;
		if (li == r->nlines)
			break;
		l = &r->lines[li];
		if (t[i].s < r->text + l->body) {
			i++;
			continue;
		}
		if (listy_line != li) {
			listy = line_listy(r, l);
			listy_line = li;
		}
		if (!skills_match_at(r->tax, t, ntok, i, listy, &m) ||
		    (skills_get(r->tax, m.skill)->rule == SKILL_CTX &&
		    !ctx_ok(r, l, t, ntok, &m))) {
			i++;
			continue;
		}
		k = rskill_get(r, m.skill, NULL, 0);
		rskill_note(r, k, li);
		if (l->sec == SEC_SKILLS)
			for (j = (size_t)(t[i].s - r->text); j <
			    (size_t)(t[i + m.ntok - 1].s + t[i + m.ntok - 1].len -
			    r->text); j++)
				covered[j] = m.skill + 1;
		i += m.ntok;
	}
}

static int
raw_skill_like(const char *a, const char *b)
{
	static const char *const levels[] = { "advanced", "intermediate",
	    "strong", "good", "excellent", "working", "conversational",
	    "beginner", "expert", "proficient", "familiar", "basic", "native",
	    "fluent", "professional", "and", "etc", "others", "other",
	    "tools", "languages", "frameworks", "databases", "platforms",
	    "libraries", "cloud", "soft skills", "technical", "skills",
	    "years", "yrs", "working knowledge", NULL };
	const char	*p;
	char		 item[48];
	size_t		 i;
	int		 alpha = 0, digit = 0;

	/* two characters the taxonomy does not know: "C1", "A2" levels */
	if (b - a < 3 || b - a > 40 || words_in(a, b) > 4)
		return 0;
	for (p = a; p < b; p++) {
		alpha |= isalpha((unsigned char)*p);
		digit |= isdigit((unsigned char)*p);
	}
	snprintf(item, sizeof(item), "%.*s", (int)(b - a), a);
	if (!alpha || (digit && (strcasestr(item, "year") != NULL ||
	    strcasestr(item, "yr") != NULL)))
		return 0;	/* "5 years" says how long, not what */
	for (i = 0; levels[i] != NULL; i++)
		if ((size_t)(b - a) == strlen(levels[i]) &&
		    strncasecmp(a, levels[i], (size_t)(b - a)) == 0)
			return 0;
	return 1;
}

static int
filler_word(const char *w, size_t n)
{
	static const char *const f[] = { "with", "and", "for", "using", "the",
	    "strong", "advanced", "skills", "skill", "knowledge", "experience",
	    "basic", "expert", "proficient", "proficiency", "tools", "working",
	    "hands", "good", "excellent", "familiar", "familiarity",
	    "including", "etc", "intermediate", "development", NULL };
	size_t	 i;

	for (i = 0; f[i] != NULL; i++)
		if (strlen(f[i]) == n && strncasecmp(w, f[i], n) == 0)
			return 1;
	return 0;
}

/*
 * One item [a, b) of the Skills section (line i).  The taxonomy's skills
 * in it are the item when they are most of its words ("Strong SQL skills"
 * is SQL); otherwise the item is kept as written ("Stakeholder
 * storytelling"), its skills still evidence.
 */
static void
item_take(struct resume *r, size_t i, const char *a, const char *b,
    const int *covered)
{
	struct rskill	*rk;
	const char	*p, *w = a;
	char		 raw[64];
	size_t		 n = 0;
	int		 inw = 0, cw = 0, uw = 0, any = 0, k;

	for (p = a; p <= b; p++) {
		if (p < b && isalnum((unsigned char)*p)) {
			if (!inw)
				w = p;
			inw = 1;
			continue;
		}
		if (inw) {
			if (covered[w - r->text])
				cw++;
			else if (p - w >= 3 && !filler_word(w, (size_t)(p - w)))
				uw++;
		}
		inw = 0;
	}
	for (p = a; p < b; p++)
		any |= covered[p - r->text];
	if (any && (uw < cw || words_in(a, b) > 4)) {
		for (p = a; p < b; p++)
			if ((k = covered[p - r->text]) > 0 &&
			    (p == a || covered[p - 1 - r->text] != k))
				rskill_get(r, k - 1, NULL, 0)->in_list = 1;
		return;
	}
	if (!raw_skill_like(a, b))
		return;
	for (p = a; p < b && n + 1 < sizeof(raw); p++)
		if (!isspace((unsigned char)*p))
			raw[n++] = *p;
		else if (n > 0 && raw[n - 1] != ' ')
			raw[n++] = ' ';
	rk = rskill_get(r, -1, raw, n);
	rskill_note(r, rk, i);
	rk->in_list = 1;
}

/* Items of the Skills section: the taxonomy's, and those it lacks kept as
 * written.  An item a narrow column wrapped ("Roadmap" / "grooming") is
 * one. */
static void
raw_items(struct resume *r, const int *covered)
{
	const char	*s, *e, *a, *b, *skip = NULL;
	size_t		 i;

	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sec != SEC_SKILLS)
			continue;
		s = r->text + r->lines[i].body;
		e = r->text + r->lines[i].e;
		if (skip != NULL && skip > s && skip <= e)
			s = skip;
		while (s < e) {
			while (s < e && (is_sep(s, e) || *s == ' '))
				s += is_bullet(s, e) ? is_bullet(s, e) : 1;
			for (b = s; b < e && !is_sep(b, e); b++)
				continue;
			a = s;
			s = b;
			if (s < e && (*s == ':' || (*s == '\t' &&
			    a == r->text + r->lines[i].body &&
			    memchr(s, ',', (size_t)(e - s)) != NULL)))
				continue;	/* "Languages:" labels a list */
			if (b == e && i + 1 < r->nlines &&
			    r->lines[i + 1].sec == SEC_SKILLS &&
			    !r->lines[i + 1].heading && islower((unsigned char)
			    r->text[r->lines[i + 1].s])) {
				e = r->text + r->lines[i + 1].e;
				for (b = r->text + r->lines[i + 1].s; b < e &&
				    !is_sep(b, e); b++)
					continue;
				skip = b;
				s = e;
			}
			while (b > a && (b[-1] == ' ' || b[-1] == '.'))
				b--;
			if (a < b)
				item_take(r, i, a, b, covered);
		}
	}
}

/* "8+ years of experience" in the contact or summary lines. */
static double
stated_years(const struct resume *r)
{
	const char	*p, *q, *e;
	char		*end;
	double		 v, best = 0;
	size_t		 i;

	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sec != SEC_HEADER &&
		    r->lines[i].sec != SEC_SUMMARY)
			continue;
		e = r->text + r->lines[i].e;
		for (p = r->text + r->lines[i].s; p < e; p++) {
			if (!isdigit((unsigned char)*p) || (p > r->text &&
			    isalnum((unsigned char)p[-1])))
				continue;
			/* strtod reads the number only; sscanf would read
			 * the rest of the text (strlen) at every digit. */
			v = strtod(p, &end);
			if (end == p || v <= 0 || v >= 50)
				continue;
			q = end;
			if (*q == '+')
				q++;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, "year", 4) == 0 && v > best)
				best = v;
		}
	}
	return best;
}

void
resume_parse(struct resume *r, const char *text, const struct skills *tax,
    int now)
{
	struct stok	*t;
	int		*covered;
	size_t		 ntok, i;
	int		 last;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = strlen(text);
	r->tax = tax;
	r->now = now;
	lines_split(r);
	sections_find(r);
	roles_find(r);
	if ((covered = calloc(r->len + 1, sizeof(*covered))) == NULL)
		abort();
	ntok = skills_tokenize(text, r->len, &t);
	if (tax != NULL)
		skills_scan(r, t, ntok, covered);
	raw_items(r, covered);
	free(covered);
	free(t);
	for (i = 0; i < r->nsk; i++) {
		r->sk[i].months = roles_union(r, r->sk[i].roles, &last);
		r->sk[i].last = last;
	}
	r->total_months = roles_union(r, ~(uint64_t)0, &last);
	r->stated_years = stated_years(r);
}

void
resume_free(struct resume *r)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		free(r->sk[i].raw);
	free(r->sk);
	free(r->roles);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

const struct rskill *
resume_skill(const struct resume *r, int idx)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (r->sk[i].skill == idx)
			return &r->sk[i];
	return NULL;
}

double
resume_years(const struct resume *r)
{
	/* the candidate's own count, written when the resume was; else
	 * the dated roles as of today */
	return r->stated_years > 0 ? r->stated_years :
	    r->total_months / 12.0;
}
