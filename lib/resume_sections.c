/*
 * resume_sections: a resume's text in lines, its headings and the section
 * each line is in.  See resume.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resume.h"
#include "resume_int.h"

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
	{ "technical proficiencies", SEC_SKILLS },
	{ "proficiencies", SEC_SKILLS },
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

const char *
rsec_name(int kind)
{
	return kind >= 0 && kind < SEC_NKINDS ? sec_names[kind] : "other";
}

int
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

void
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

void
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
