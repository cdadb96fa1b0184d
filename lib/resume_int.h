/*
 * resume_int: what the resume parser's files (resume.c, resume_sections.c,
 * resume_roles.c) share; nothing outside them includes it.  The interface
 * is resume.h.
 */
#ifndef RESUME_INT_H
#define RESUME_INT_H

#include <stddef.h>
#include <stdint.h>

#define MAXROLES	64

struct resume;

/* resume_sections.c */
/* The length of the bullet that starts [p, e), or 0. */
int	is_bullet(const char *p, const char *e);
/* r->lines from r->text: each line trimmed, blank ones skipped. */
void	lines_split(struct resume *r);
/* Each line's section (and whether it is a heading) from the headings. */
void	sections_find(struct resume *r);

/* resume_roles.c */
/* A year 1950..2099 of exactly four digits at p, or 0. */
int	year_at(const char *p, const char *e);
/* Words (two letters or more) in [s, e). */
int	words_in(const char *s, const char *e);
/* r->roles from the date ranges of the experience lines. */
void	roles_find(struct resume *r);
/* Months covered by the union of the roles in mask (all when ~0); *last
 * gets the month the last one ended. */
int	roles_union(const struct resume *r, uint64_t mask, int *last);

#endif /* RESUME_INT_H */
