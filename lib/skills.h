/*
 * skills: the skills taxonomy (data, not code).
 *
 * A TSV file of name, category, aliases (|-separated) and matching rule,
 * loaded once and looked up by normalized token n-grams in a hash table.
 * Rules: SKILL_ANY matches whole words in any case; SKILL_CASE needs the
 * exact case; SKILL_CTX needs the exact case and a context where the word
 * is a skill (decided by the caller: a Skills section item, a list item,
 * after "in/with/using").
 */
#ifndef SKILLS_H
#define SKILLS_H

#include <stddef.h>

enum skill_rule { SKILL_ANY, SKILL_CASE, SKILL_CTX };

struct skill {
	char		*name;
	char		*category;
	enum skill_rule	 rule;
};

struct skills;

/* A token of text: [s, s + len). */
struct stok {
	const char	*s;
	size_t		 len;
	unsigned int	 h;	/* hash of the normalized token */
};

/* One match: skill idx over tokens [tok, tok + ntok). */
struct smatch {
	int	 skill;
	size_t	 tok, ntok;
};

struct skills	*skills_load(const char *path, char *err, size_t errsz);
void		 skills_free(struct skills *);
size_t		 skills_count(const struct skills *);
const struct skill *skills_get(const struct skills *, int idx);
/* The skill a name (any alias, any case) is, or -1. */
int		 skills_find(const struct skills *, const char *name);

/* Tokens of text (caller frees *toks); returns their count. */
size_t		 skills_tokenize(const char *text, size_t len,
		    struct stok **toks);
/*
 * Longest taxonomy match starting at token i, or 0 with m->skill -1.
 * Case is checked for SKILL_CTX always, and for SKILL_CASE and "^"
 * spellings unless list (the words are an item of a list of skills).
 */
int		 skills_match_at(const struct skills *, const struct stok *t,
		    size_t ntok, size_t i, int list, struct smatch *m);

/* The process's taxonomy: set by the worker; when unset, loaded on first
 * use from $SKILLS_FILE or the installed file. */
const struct skills *skills_default(void);
void		 skills_set_default(struct skills *);

#endif /* SKILLS_H */
