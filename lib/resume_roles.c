/*
 * resume_roles: dates, date ranges and the roles (title, dates, lines) of a
 * resume's experience.  See resume.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resume.h"
#include "resume_int.h"

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };

static const char *const present_words[] = { "present", "current",
    "currently", "now", "today", "ongoing", "date", "till date", NULL };

/* A year 1950..2099 of exactly four digits at p. */
int
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

/* A line that reads as a role's title rather than a bullet of the last. */
static int
title_like(const char *s, const char *e)
{
	if (is_bullet(s, e) || e - s > 100 || e[-1] == '.')
		return 0;
	return isupper((unsigned char)*s) || isdigit((unsigned char)*s);
}

/* Words (two letters or more) in [s, e). */
int
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

void
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
			    r->lines[ro->last + 1].sec ==
			    r->lines[ro->first].sec &&
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
int
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
