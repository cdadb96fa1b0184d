/*
 * scorer_suggest: the skills a job description asks for (scorer.h).
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

/* A line in capitals ("NICE TO HAVE"). */
static int
words_upper(const char *s, const char *e)
{
	int	 up = 0;

	for (; s < e; s++) {
		if (islower((unsigned char)*s))
			return 0;
		up += isupper((unsigned char)*s) != 0;
	}
	return up > 2;
}

/* Words that make a line, or the block a short line heads, a wish. */
static const char *const pref_words[] = { "prefer", "nice to have",
    "nice-to-have", "bonus", "a plus", "desirable", "desired",
    "good to have", "ideally", "familiarity", "helpful", "optional", NULL };
static const char *const req_words[] = { "requir", "must", "qualification",
    "responsibilit", "you will", "what you", "you have", "skills",
    "experience", NULL };

static int
line_has(const char *s, size_t n, const char *const *words)
{
	char	 b[512];
	size_t	 i;

	snprintf(b, sizeof(b), "%.*s", (int)n, s);
	for (i = 0; words[i] != NULL; i++)
		if (strcasestr(b, words[i]) != NULL)
			return 1;
	return 0;
}

/* Sentence [s, s + n) to the required or the preferred part. */
static void
suggest_put(const char *s, size_t n, int block, struct buf *req,
    struct buf *pref)
{
	struct buf	*to = block || line_has(s, n, pref_words) ? pref : req;

	buf_append(to, s, n);
	buf_append(to, "\n", 1);
}

/* The description's sentences split into what it requires and what it
 * would like. */
static void
suggest_split(const char *desc, struct buf *req, struct buf *pref)
{
	const char	*s = desc, *e, *p, *q;
	size_t		 n;
	int		 block = 0;

	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		n = (size_t)(e - s);
		if (n > 0 && n < 60 && (s[n - 1] == ':' || words_upper(s, e))) {
			/* a short heading line starts a block */
			block = line_has(s, n, pref_words) ? 1 :
			    line_has(s, n, req_words) ? 0 : block;
			continue;
		}
		for (p = s; p < e; p = q) {
			for (q = p; q < e && !((*q == '.' || *q == ';') &&
			    (q + 1 == e || q[1] == ' ')); q++)
				continue;
			if (q < e)
				q++;
			suggest_put(p, (size_t)(q - p), block, req, pref);
		}
	}
	if (req->data == NULL)
		buf_append(req, "", 0);
	if (pref->data == NULL)
		buf_append(pref, "", 0);
}

struct json_object *
scorer_suggest(const char *desc)
{
	struct json_object	*o, *req, *pref, *all, *d;
	struct resume		 rr, rp;
	struct buf		 breq = { 0 }, bpref = { 0 };
	const struct skill	*sk;
	size_t			 i;

	suggest_split(desc, &breq, &bpref);
	resume_parse(&rr, breq.data, skills_default(), now_month());
	resume_parse(&rp, bpref.data, skills_default(), now_month());
	req = json_object_new_array();
	pref = json_object_new_array();
	all = json_object_new_array();
	for (i = 0; i < rr.nsk + rp.nsk; i++) {
		const struct rskill *k = i < rr.nsk ? &rr.sk[i] :
		    &rp.sk[i - rr.nsk];

		if (k->skill < 0 || (i >= rr.nsk && resume_skill(&rr,
		    k->skill) != NULL))
			continue;	/* raw, or required already */
		sk = skills_get(rr.tax, k->skill);
		json_object_array_add(i < rr.nsk ? req : pref,
		    json_object_new_string(sk->name));
		d = json_object_new_object();
		json_object_object_add(d, "name",
		    json_object_new_string(sk->name));
		json_object_object_add(d, "category",
		    json_object_new_string(sk->category));
		json_object_object_add(d, "required",
		    json_object_new_boolean(i < rr.nsk));
		json_object_object_add(d, "mentions",
		    json_object_new_int(k->count));
		json_object_array_add(all, d);
	}
	o = json_object_new_object();
	json_object_object_add(o, "required", req);
	json_object_object_add(o, "preferred", pref);
	json_object_object_add(o, "skills", all);
	json_object_object_add(o, "taxonomy_size", json_object_new_int64(
	    (int64_t)skills_count(skills_default())));
	resume_free(&rr);
	resume_free(&rp);
	buf_free(&breq);
	buf_free(&bpref);
	return o;
}
