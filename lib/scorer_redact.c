/*
 * scorer_redact: the text a score reads, without who wrote it (scorer.h,
 * scorer_redact).
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

char *
scorer_redact_named(const char *text, const char *nm)
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
	out = scorer_redact_named(text, name != NULL ?
	    json_object_get_string(name) : NULL);
	json_object_put(name);
	return out;
}
