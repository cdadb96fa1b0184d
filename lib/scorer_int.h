/*
 * scorer_int: what the scorer's files (scorer.c, scorer_fields.c,
 * scorer_evidence.c, scorer_redact.c, scorer_suggest.c) share; nothing
 * outside them includes it.  The interface is scorer.h.
 */
#ifndef SCORER_INT_H
#define SCORER_INT_H

#include <stddef.h>

#include <json-c/json.h>

struct resume;
struct rskill;

/* scorer_fields.c: degree names (NULL-terminated). */
extern const char *const degree_words[];
/*
 * Find term in text as a whole word, case-insensitive; returns the match
 * or NULL.  "C" does not match inside "Cloud", "C++" or "C#", and "Go"
 * does not match inside "Google".
 */
const char *find_word(const char *text, const char *term);
/* The line of text around p, trimmed, at most 200 bytes. */
struct json_object *line_at(const char *text, const char *p);
/* This month as year * 12 + month - 1 (UTC). */
int	now_month(void);
/* The candidate's fields from the whole text: a JSON value or NULL. */
struct json_object *extract_email(const char *text);
struct json_object *extract_phone(const char *text);
struct json_object *extract_name(const char *text);
struct json_object *extract_education(const char *text);
struct json_object *extract_links(const char *text);

/* scorer_evidence.c: how one job skill is evidenced in the resume. */
struct jskill {
	const char		*name;	/* canonical */
	const struct rskill	*rk;	/* NULL: not found */
	const char		*loose;	/* a mention found by plain search */
	double			 e;	/* strength 0..1 */
};

/* The evidence of skill name (canonical or raw) in r and text, in js. */
void	jskill_eval(const struct resume *r, const char *text,
	    const char *name, struct jskill *js);
/* A line of the resume as quoted evidence. */
struct json_object *quote_line(const struct resume *r, size_t line);
/* The best place's line for k: recent role first, then by weight. */
size_t	best_line(const struct rskill *k);
/* v rounded to one decimal, as a JSON number. */
struct json_object *round1(double v);
/* {places, years, last_used, quote} of an evidenced skill. */
struct json_object *skill_detail(const struct resume *r,
	    const struct rskill *k);
/* The fields of the resume: skills as the Skills section lists them (all
 * the taxonomy finds when there is none), roles, sections, details. */
void	add_fields(struct json_object *o, const struct resume *r);

/* scorer_redact.c: scorer_redact with the name already read (nm, or
 * NULL).  Caller frees. */
char	*scorer_redact_named(const char *text, const char *nm);

#endif /* SCORER_INT_H */
