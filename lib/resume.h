/*
 * resume: a resume's text understood as a recruiter reads it.
 *
 * Lines are grouped into sections by their headings (contact, summary,
 * skills, experience, projects, education, certifications, other), in
 * capitals or not, alone on a line or before a colon.  The experience
 * section is cut into roles at the lines that carry a date range ("Jan
 * 2019 - Present", "03/2018 – 06/2020", "2015 to 2018"), and every skill
 * of the taxonomy is located: which section, which role, so each skill
 * gets its years (union of its roles' spans) and when it was last used.
 * The Skills section's items are kept as written too, those not in the
 * taxonomy as raw skills.
 */
#ifndef RESUME_H
#define RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "skills.h"

enum rsec_kind {
	SEC_HEADER, SEC_SUMMARY, SEC_SKILLS, SEC_EXPERIENCE, SEC_PROJECTS,
	SEC_EDUCATION, SEC_CERTS, SEC_OTHER, SEC_NKINDS
};

/* Where a skill is evidenced (bits of rskill.places). */
enum rplace {
	PL_SKILLS = 1, PL_SUMMARY = 2, PL_RECENT = 4, PL_OLDER = 8,
	PL_PROJECTS = 16, PL_CERTS = 32, PL_OTHER = 64
};

struct rline {
	size_t	 s, e;		/* trimmed [s, e) in the text */
	int	 sec;		/* enum rsec_kind */
	int	 role;		/* index in roles, or -1 */
	int	 heading;	/* a heading line (content may follow ':') */
	size_t	 body;		/* where the content starts (after "Skills:") */
};

struct rrole {
	size_t	 first, last;	/* lines */
	size_t	 date_line;
	int	 from, to;	/* months: year * 12 + month - 1 */
	int	 current;
	char	 title[160];
};

struct rskill {
	int	 skill;		/* taxonomy index, or -1 for a raw skill */
	char	*raw;		/* as written in the Skills section, or NULL */
	unsigned places;	/* enum rplace bits */
	uint64_t roles;		/* bit i: evidenced in role i */
	int	 count;		/* mentions */
	int	 months;	/* union of its roles' spans */
	int	 last;		/* month of last use, 0 unknown */
	size_t	 where[8];	/* a line of each place (bit order), +1 */
	int	 in_list;	/* an item of the Skills section */
};

struct resume {
	const char		*text;
	size_t			 len;
	const struct skills	*tax;
	struct rline		*lines;
	size_t			 nlines;
	struct rrole		*roles;
	size_t			 nroles;
	struct rskill		*sk;
	size_t			 nsk;
	int			 has_skills_section;
	int			 total_months;	/* union of the roles */
	double			 stated_years;	/* "8+ years of experience" */
	int			 now;		/* month of today */
};

/* Parse text (kept by reference) with taxonomy tax (may be NULL). */
void	resume_parse(struct resume *, const char *text, const struct skills *,
	    int now_month);
void	resume_free(struct resume *);

/* The rskill of taxonomy skill idx, or NULL. */
const struct rskill *resume_skill(const struct resume *, int idx);
/* Years of experience: as stated ("8+ years"), else the roles' union. */
double	resume_years(const struct resume *);
const char *rsec_name(int kind);
/* The months of a date range at the start of p..e, or 0. */
int	resume_date_range(const char *p, const char *e, int now, int *from,
	    int *to, int *current, size_t *off, size_t *len);

#endif /* RESUME_H */
