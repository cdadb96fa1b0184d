/*
 * scorer: the built-in, deterministic ATS scorer.
 *
 * From a resume's text and the job it applies to, it extracts the
 * candidate's fields and scores the fit from weighted criteria, returning
 * the evidence for every matched skill.  Pure computation: the same input
 * always gives the same output.
 */
#ifndef SCORER_H
#define SCORER_H

#include <stddef.h>

#include <json-c/json.h>

#define SCORER_VERSION	"builtin-2"

struct scorer_job {
	const char	 *title;
	const char	 *description;
	const char	**required;	/* skill names */
	size_t		  nrequired;
	const char	**preferred;
	size_t		  npreferred;
	double		  min_exp;	/* years */
	double		  max_exp;	/* < 0: no upper bound */
};

/*
 * Score text against job (NULL: extract fields only).  Returns a new JSON
 * object (caller puts it) with name, email, phone (as written), skills,
 * years_experience, education, links, and with a job: score (0-100),
 * sub_scores, weights, matched_skills, missing_skills, evidence, scorer,
 * scorer_version.
 */
struct json_object *scorer_builtin(const char *text,
	    const struct scorer_job *job);

/*
 * The text a score reads: text without who wrote it.  The name line,
 * emails, phones, links and gendered words go; a line naming a school or
 * a degree keeps only its degrees (no school, no graduation year).  So
 * a score never depends on them: the evidence quotes this text.  The
 * fields extracted (name, email, ...) still read the whole text.
 * Caller frees.
 */
char	*scorer_redact(const char *text);

/*
 * Skills of the taxonomy a job description asks for: {"required": [...],
 * "preferred": [...], "skills": [{name, category, required, mentions}]}.
 * Preferred are those named only in lines, or blocks under a heading,
 * that say "preferred", "nice to have", "a plus", "bonus" and the like.
 */
struct json_object *scorer_suggest(const char *description);

#endif /* SCORER_H */
