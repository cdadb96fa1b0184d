/*
 * scorer_fields: the candidate's fields as a resume's text gives them (name,
 * email, phone, education, links), and the word search every part of the
 * scorer shares.  See scorer.h.
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

const char *const degree_words[] = { "B.Tech", "B.E.", "BTech",
    "M.Tech", "MTech", "B.Sc", "BSc", "M.Sc", "MSc", "Bachelor", "Master",
    "PhD", "Ph.D", "MBA", "BCA", "MCA", "B.Com", "M.Com", "Diploma",
    "B.A.", "M.A.", "B.S.", "M.S.", NULL };

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
const char *
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
struct json_object *
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

struct json_object *
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

struct json_object *
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
struct json_object *
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

int
now_month(void)
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

struct json_object *
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

struct json_object *
extract_links(const char *text)
{
	static const char *const marks[] = { "http://", "https://",
	    "linkedin.com/", "github.com/", NULL };
	struct json_object	*a = json_object_new_array();
	const char		*p, *s, *e;
	size_t			 i, k;

	for (i = 0; marks[i] != NULL; i++)
		for (p = text; (p = strstr(p, marks[i])) != NULL; p = e) {
			for (s = p; s > text &&
			    !isspace((unsigned char)s[-1]) &&
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
