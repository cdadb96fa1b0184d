/*
 * resume: see resume.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resume.h"
#include "resume_int.h"


static const char *const degree_words[] = { "B.Tech", "B.E.", "BTech",
    "M.Tech", "MTech", "B.Sc", "BSc", "M.Sc", "MSc", "Bachelor", "Master",
    "PhD", "Ph.D", "MBA", "BCA", "MCA", "B.Com", "M.Com", "Diploma",
    "B.A.", "M.A.", "B.S.", "M.S.", "Degree", "University", "College",
    NULL };

static const char *const sep_chars = ",;|()[]:\t";

static int
is_sep(const char *p, const char *e)
{
	return strchr(sep_chars, *p) != NULL || is_bullet(p, e) ||
	    (*p == '/' && p + 1 < e && p[1] == ' ');
}

/* Is [ms, me) a whole item of a list within line [s, e)? */
static int
list_item(const char *s, const char *e, const char *ms, const char *me)
{
	const char	*a = ms, *b = me;

	while (a > s && (a[-1] == ' ' || a[-1] == '.'))
		a--;
	while (b < e && (*b == ' ' || *b == '.'))
		b++;
	if (a > s && !is_sep(a - 1, e) && !((unsigned char)a[-1] >= 0x80))
		return 0;
	if (a - s >= 4 && strncasecmp(a - 4, "and ", 4) == 0)
		return memchr(s, ',', (size_t)(e - s)) != NULL;
	if (b < e && !is_sep(b, e) && !((unsigned char)*b >= 0x80)) {
		if ((size_t)(e - b) >= 4 && strncasecmp(b, "and ", 4) == 0)
			return memchr(s, ',', (size_t)(e - s)) != NULL;
		return 0;
	}
	return 1;
}

static int
has_degree(const char *s, const char *e)
{
	size_t	 i, n;
	const char *p;

	for (i = 0; degree_words[i] != NULL; i++) {
		n = strlen(degree_words[i]);
		for (p = s; p + n <= e; p++)
			if (strncmp(p, degree_words[i], n) == 0)
				return 1;
	}
	return 0;
}

/* A skill the taxonomy only accepts in context: is this such a place? */
static int
ctx_ok(const struct resume *r, const struct rline *l, const struct stok *t,
    size_t ntok, const struct smatch *m)
{
	static const char *const preps[] = { "in", "with", "using", "of",
	    "including", "and", NULL };
	const char	*s = r->text + l->s, *e = r->text + l->e;
	const struct stok *last = &t[m->tok + m->ntok - 1];
	size_t		 i;

	if (l->sec == SEC_EDUCATION || has_degree(s, e))
		return 0;
	if (list_item(s, e, t[m->tok].s, last->s + last->len))
		return 1;
	if (l->sec == SEC_SKILLS)
		return 1;
	if (m->tok == 0 || t[m->tok - 1].s < s)
		return 0;
	if (m->tok + m->ntok < ntok && t[m->tok + m->ntok].len == 4 &&
	    year_at(t[m->tok + m->ntok].s, t[m->tok + m->ntok].s + 4))
		return 0;		/* "in Spring 2019" */
	for (i = 0; preps[i] != NULL; i++)
		if (t[m->tok - 1].len == strlen(preps[i]) && strncmp(
		    t[m->tok - 1].s, preps[i], t[m->tok - 1].len) == 0)
			return i < 5 || memchr(s, ',', (size_t)(e - s)) != NULL;
	return 0;
}

static unsigned
place_of(const struct resume *r, const struct rline *l)
{
	static const unsigned by_sec[SEC_NKINDS] = { PL_SUMMARY, PL_SUMMARY,
	    PL_SKILLS, PL_OLDER, PL_PROJECTS, PL_OTHER, PL_CERTS, PL_OTHER };

	if (l->role >= 0)
		return r->roles[l->role].to >= r->now - 36 ? PL_RECENT :
		    PL_OLDER;
	return by_sec[l->sec];
}

static struct rskill *
rskill_get(struct resume *r, int skill, const char *raw, size_t rawlen)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (skill >= 0 ? r->sk[i].skill == skill : (r->sk[i].skill <
		    0 && strlen(r->sk[i].raw) == rawlen &&
		    strncasecmp(r->sk[i].raw, raw, rawlen) == 0))
			return &r->sk[i];
	if ((r->nsk & (r->nsk - 1)) == 0 && (r->sk = reallocarray(r->sk,
	    r->nsk ? r->nsk * 2 : 16, sizeof(*r->sk))) == NULL)
		abort();
	memset(&r->sk[r->nsk], 0, sizeof(r->sk[0]));
	r->sk[r->nsk].skill = skill;
	if (raw != NULL)
		r->sk[r->nsk].raw = strndup(raw, rawlen);
	return &r->sk[r->nsk++];
}

static void
rskill_note(struct resume *r, struct rskill *k, size_t line)
{
	const struct rline *l = &r->lines[line];
	unsigned	 pl = place_of(r, l);
	int		 bit = __builtin_ctz(pl);

	k->places |= pl;
	k->count++;
	if (k->where[bit] == 0)
		k->where[bit] = line + 1;
	if (l->role >= 0)
		k->roles |= (uint64_t)1 << l->role;
}

/* A list-like line: a Skills section's, or items between separators. */
static int
line_listy(const struct resume *r, const struct rline *l)
{
	const char	*p;
	int		 n = 0;

	if (l->sec == SEC_SKILLS)
		return 1;
	for (p = r->text + l->s; p < r->text + l->e; p++)
		if (*p == ',' || *p == '|' || *p == ';')
			n++;
	return n >= 2;
}

/* Every taxonomy skill in the text, located. */
static void
skills_scan(struct resume *r, struct stok *t, size_t ntok, int *covered)
{
	struct smatch	 m;
	struct rskill	*k;
	const struct rline *l;
	size_t		 i = 0, li = 0, j;
	int		 listy = 0;
	size_t		 listy_line = (size_t)-1;

	while (i < ntok) {
		while (li < r->nlines && r->text + r->lines[li].e <= t[i].s)
			li++;
		if (li == r->nlines)
			break;
		l = &r->lines[li];
		if (t[i].s < r->text + l->body) {
			i++;
			continue;
		}
		if (listy_line != li) {
			listy = line_listy(r, l);
			listy_line = li;
		}
		if (!skills_match_at(r->tax, t, ntok, i, listy, &m) ||
		    (skills_get(r->tax, m.skill)->rule == SKILL_CTX &&
		    !ctx_ok(r, l, t, ntok, &m))) {
			i++;
			continue;
		}
		k = rskill_get(r, m.skill, NULL, 0);
		rskill_note(r, k, li);
		if (l->sec == SEC_SKILLS)
			for (j = (size_t)(t[i].s - r->text); j <
			    (size_t)(t[i + m.ntok - 1].s +
			    t[i + m.ntok - 1].len - r->text); j++)
				covered[j] = m.skill + 1;
		i += m.ntok;
	}
}

static int
raw_skill_like(const char *a, const char *b)
{
	static const char *const levels[] = { "advanced", "intermediate",
	    "strong", "good", "excellent", "working", "conversational",
	    "beginner", "expert", "proficient", "familiar", "basic", "native",
	    "fluent", "professional", "and", "etc", "others", "other",
	    "tools", "languages", "frameworks", "databases", "platforms",
	    "libraries", "cloud", "soft skills", "technical", "skills",
	    "years", "yrs", "working knowledge", NULL };
	const char	*p;
	char		 item[48];
	size_t		 i;
	int		 alpha = 0, digit = 0;

	/* two characters the taxonomy does not know: "C1", "A2" levels */
	if (b - a < 3 || b - a > 40 || words_in(a, b) > 4)
		return 0;
	for (p = a; p < b; p++) {
		alpha |= isalpha((unsigned char)*p);
		digit |= isdigit((unsigned char)*p);
	}
	snprintf(item, sizeof(item), "%.*s", (int)(b - a), a);
	if (!alpha || (digit && (strcasestr(item, "year") != NULL ||
	    strcasestr(item, "yr") != NULL)))
		return 0;	/* "5 years" says how long, not what */
	for (i = 0; levels[i] != NULL; i++)
		if ((size_t)(b - a) == strlen(levels[i]) &&
		    strncasecmp(a, levels[i], (size_t)(b - a)) == 0)
			return 0;
	return 1;
}

static int
filler_word(const char *w, size_t n)
{
	static const char *const f[] = { "with", "and", "for", "using", "the",
	    "strong", "advanced", "skills", "skill", "knowledge", "experience",
	    "basic", "expert", "proficient", "proficiency", "tools", "working",
	    "hands", "good", "excellent", "familiar", "familiarity",
	    "including", "etc", "intermediate", "development", NULL };
	size_t	 i;

	for (i = 0; f[i] != NULL; i++)
		if (strlen(f[i]) == n && strncasecmp(w, f[i], n) == 0)
			return 1;
	return 0;
}

/*
 * One item [a, b) of the Skills section (line i).  The taxonomy's skills
 * in it are the item when they are most of its words ("Strong SQL skills"
 * is SQL); otherwise the item is kept as written ("Stakeholder
 * storytelling"), its skills still evidence.
 */
static void
item_take(struct resume *r, size_t i, const char *a, const char *b,
    const int *covered)
{
	struct rskill	*rk;
	const char	*p, *w = a;
	char		 raw[64];
	size_t		 n = 0;
	int		 inw = 0, cw = 0, uw = 0, any = 0, k;

	for (p = a; p <= b; p++) {
		if (p < b && isalnum((unsigned char)*p)) {
			if (!inw)
				w = p;
			inw = 1;
			continue;
		}
		if (inw) {
			if (covered[w - r->text])
				cw++;
			else if (p - w >= 3 && !filler_word(w, (size_t)(p - w)))
				uw++;
		}
		inw = 0;
	}
	for (p = a; p < b; p++)
		any |= covered[p - r->text];
	if (any && (uw < cw || words_in(a, b) > 4)) {
		for (p = a; p < b; p++)
			if ((k = covered[p - r->text]) > 0 &&
			    (p == a || covered[p - 1 - r->text] != k))
				rskill_get(r, k - 1, NULL, 0)->in_list = 1;
		return;
	}
	if (!raw_skill_like(a, b))
		return;
	for (p = a; p < b && n + 1 < sizeof(raw); p++)
		if (!isspace((unsigned char)*p))
			raw[n++] = *p;
		else if (n > 0 && raw[n - 1] != ' ')
			raw[n++] = ' ';
	rk = rskill_get(r, -1, raw, n);
	rskill_note(r, rk, i);
	rk->in_list = 1;
}

/* Items of the Skills section: the taxonomy's, and those it lacks kept as
 * written.  An item a narrow column wrapped ("Roadmap" / "grooming") is
 * one. */
static void
raw_items(struct resume *r, const int *covered)
{
	const char	*s, *e, *a, *b, *skip = NULL;
	size_t		 i;

	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sec != SEC_SKILLS)
			continue;
		s = r->text + r->lines[i].body;
		e = r->text + r->lines[i].e;
		if (skip != NULL && skip > s && skip <= e)
			s = skip;
		while (s < e) {
			while (s < e && (is_sep(s, e) || *s == ' '))
				s += is_bullet(s, e) ? is_bullet(s, e) : 1;
			for (b = s; b < e && !is_sep(b, e); b++)
				continue;
			a = s;
			s = b;
			if (s < e && (*s == ':' || (*s == '\t' &&
			    a == r->text + r->lines[i].body &&
			    memchr(s, ',', (size_t)(e - s)) != NULL)))
				continue;	/* "Languages:" labels a list */
			if (b == e && i + 1 < r->nlines &&
			    r->lines[i + 1].sec == SEC_SKILLS &&
			    !r->lines[i + 1].heading && islower((unsigned char)
			    r->text[r->lines[i + 1].s])) {
				e = r->text + r->lines[i + 1].e;
				for (b = r->text + r->lines[i + 1].s; b < e &&
				    !is_sep(b, e); b++)
					continue;
				skip = b;
				s = e;
			}
			while (b > a && (b[-1] == ' ' || b[-1] == '.'))
				b--;
			if (a < b)
				item_take(r, i, a, b, covered);
		}
	}
}

/* "8+ years of experience" in the contact or summary lines. */
static double
stated_years(const struct resume *r)
{
	const char	*p, *q, *e;
	char		*end;
	double		 v, best = 0;
	size_t		 i;

	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sec != SEC_HEADER &&
		    r->lines[i].sec != SEC_SUMMARY)
			continue;
		e = r->text + r->lines[i].e;
		for (p = r->text + r->lines[i].s; p < e; p++) {
			if (!isdigit((unsigned char)*p) || (p > r->text &&
			    isalnum((unsigned char)p[-1])))
				continue;
			/* strtod reads the number only; sscanf would read
			 * the rest of the text (strlen) at every digit. */
			v = strtod(p, &end);
			if (end == p || v <= 0 || v >= 50)
				continue;
			q = end;
			if (*q == '+')
				q++;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, "year", 4) == 0 && v > best)
				best = v;
		}
	}
	return best;
}

void
resume_parse(struct resume *r, const char *text, const struct skills *tax,
    int now)
{
	struct stok	*t;
	int		*covered;
	size_t		 ntok, i;
	int		 last;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = strlen(text);
	r->tax = tax;
	r->now = now;
	lines_split(r);
	sections_find(r);
	roles_find(r);
	if ((covered = calloc(r->len + 1, sizeof(*covered))) == NULL)
		abort();
	ntok = skills_tokenize(text, r->len, &t);
	if (tax != NULL)
		skills_scan(r, t, ntok, covered);
	raw_items(r, covered);
	free(covered);
	free(t);
	for (i = 0; i < r->nsk; i++) {
		r->sk[i].months = roles_union(r, r->sk[i].roles, &last);
		r->sk[i].last = last;
	}
	r->total_months = roles_union(r, ~(uint64_t)0, &last);
	r->stated_years = stated_years(r);
}

void
resume_free(struct resume *r)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		free(r->sk[i].raw);
	free(r->sk);
	free(r->roles);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

const struct rskill *
resume_skill(const struct resume *r, int idx)
{
	size_t	 i;

	for (i = 0; i < r->nsk; i++)
		if (r->sk[i].skill == idx)
			return &r->sk[i];
	return NULL;
}

double
resume_years(const struct resume *r)
{
	/* the candidate's own count, written when the resume was; else
	 * the dated roles as of today */
	return r->stated_years > 0 ? r->stated_years :
	    r->total_months / 12.0;
}
