/*
 * scorer_evidence: how a resume shows each skill (the places it is named
 * in, the lines that say so) and the fields of the resume as the score's
 * answer gives them.  See scorer.h.
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

/* Evidence by place, in enum rplace bit order: how much a mention there
 * shows the skill. */
static const struct {
	const char	*name;
	double		 w;
} places[] = {
	{ "skills section", 0.50 }, { "summary", 0.40 },
	{ "recent role", 0.85 }, { "older role", 0.65 },
	{ "projects", 0.55 }, { "certifications", 0.40 }, { "elsewhere", 0.25 },
};
#define NPLACES	(sizeof(places) / sizeof(places[0]))

static double
skill_strength(const struct rskill *k)
{
	double	 miss = 1;
	size_t	 i;

	for (i = 0; i < NPLACES; i++)
		if (k->places & (1u << i))
			miss *= 1 - places[i].w;
	return fmin(1, 1 - miss + 0.02 * fmin(k->count - 1, 5));
}

static const struct rskill *
raw_find(const struct resume *r, const char *name)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (r->sk[i].skill < 0 && strcasecmp(r->sk[i].raw, name) == 0)
			return &r->sk[i];
	return NULL;
}

void
jskill_eval(const struct resume *r, const char *text, const char *name,
    struct jskill *js)
{
	const struct skills	*tax = r->tax;
	int			 idx = skills_find(tax, name);

	memset(js, 0, sizeof(*js));
	js->name = idx >= 0 ? skills_get(tax, idx)->name : name;
	js->rk = idx >= 0 ? resume_skill(r, idx) : raw_find(r, name);
	if (js->rk != NULL)
		js->e = skill_strength(js->rk);
	else if (idx < 0 && (js->loose = find_word(text, name)) != NULL)
		js->e = places[NPLACES - 1].w;
}

/* A line of the resume as quoted evidence. */
struct json_object *
quote_line(const struct resume *r, size_t line)
{
	const struct rline *l = &r->lines[line];

	return json_object_new_string_len(r->text + l->s,
	    l->e - l->s > 200 ? 200 : (int)(l->e - l->s));
}

/* The best place's line for k: recent role first, then by weight. */
size_t
best_line(const struct rskill *k)
{
	static const int order[] = { 2, 3, 4, 0, 1, 5, 6 };
	size_t	 i;

	for (i = 0; i < NPLACES; i++)
		if (k->where[order[i]] != 0)
			return k->where[order[i]] - 1;
	return 0;
}

static struct json_object *
month_str(int m)
{
	char	 b[16];

	snprintf(b, sizeof(b), "%04d-%02d", m / 12, m % 12 + 1);
	return json_object_new_string(b);
}

struct json_object *
round1(double v)
{
	return json_object_new_double(round(v * 10) / 10);
}

/* {places, years, last_used, quote} of an evidenced skill. */
struct json_object *
skill_detail(const struct resume *r, const struct rskill *k)
{
	struct json_object	*o = json_object_new_object(), *pl;
	size_t			 i;

	pl = json_object_new_array();
	for (i = 0; i < NPLACES; i++)
		if (k->places & (1u << i))
			json_object_array_add(pl,
			    json_object_new_string(places[i].name));
	json_object_object_add(o, "name", json_object_new_string(k->skill >=
	    0 ? skills_get(r->tax, k->skill)->name : k->raw));
	json_object_object_add(o, "category", json_object_new_string(
	    k->skill >= 0 ? skills_get(r->tax, k->skill)->category : "raw"));
	json_object_object_add(o, "places", pl);
	json_object_object_add(o, "years", round1(k->months / 12.0));
	json_object_object_add(o, "last_used", k->last > 0 ?
	    (k->last >= r->now ? json_object_new_string("present") :
	    month_str(k->last - 1)) : NULL);
	json_object_object_add(o, "mentions", json_object_new_int(k->count));
	return o;
}

/* The fields of the resume: skills as the Skills section lists them (all
 * the taxonomy finds when there is none), roles, sections, details. */
void
add_fields(struct json_object *o, const struct resume *r)
{
	struct json_object	*sk, *det, *roles, *ro, *secs;
	const struct rrole	*x;
	size_t			 i;
	int			 seen[SEC_NKINDS] = { 0 };

	sk = json_object_new_array();
	det = json_object_new_array();
	for (i = 0; i < r->nsk; i++) {
		if (!r->has_skills_section || r->sk[i].in_list)
			json_object_array_add(sk, json_object_new_string(
			    r->sk[i].skill >= 0 ? skills_get(r->tax,
			    r->sk[i].skill)->name : r->sk[i].raw));
		json_object_array_add(det, skill_detail(r, &r->sk[i]));
	}
	json_object_object_add(o, "skills", sk);
	json_object_object_add(o, "skill_details", det);
	roles = json_object_new_array();
	for (i = 0; i < r->nroles; i++) {
		x = &r->roles[i];
		ro = json_object_new_object();
		json_object_object_add(ro, "title",
		    json_object_new_string(x->title));
		json_object_object_add(ro, "from", month_str(x->from));
		json_object_object_add(ro, "to", x->current ?
		    json_object_new_string("present") : month_str(x->to - 1));
		json_object_object_add(ro, "months",
		    json_object_new_int(x->to - x->from));
		json_object_array_add(roles, ro);
	}
	json_object_object_add(o, "roles", roles);
	secs = json_object_new_array();
	for (i = 0; i < r->nlines; i++)
		if (!seen[r->lines[i].sec]) {
			seen[r->lines[i].sec] = 1;
			json_object_array_add(secs, json_object_new_string(
			    rsec_name(r->lines[i].sec)));
		}
	json_object_object_add(o, "sections", secs);
}
