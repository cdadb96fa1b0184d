/*
 * skills: see skills.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "skills.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/connectify"
#endif

#define MAXGRAM	6

struct alias {
	char		*key;	/* normalized tokens, space separated */
	char		*cased;	/* tokens as written, space separated */
	unsigned int	 h;
	int		 skill;
	int		 ntok;
	int		 cs;	/* this spelling only in its case ("^OR") */
};

struct skills {
	struct skill	*sk;
	size_t		 nsk, capsk;
	struct alias	*al;
	size_t		 nal, capal;
	int		*tab;	/* open addressing: alias index + 1 */
	size_t		 ntab;
};

static struct skills	*skills_dflt;
static int		 skills_dflt_tried;

static int
tok_char(int c)
{
	return isalnum(c) || c == '+' || c == '#' || c >= 0x80;
}

/* '.', '&' and '\'' inside a token: "Node.js", ".NET", "M&A". */
static int
tok_inner(const char *p, const char *start)
{
	if (*p != '.' && *p != '&' && *p != '\'')
		return 0;
	if (!isalnum((unsigned char)p[1]))
		return 0;
	return p > start || *p == '.';
}

static unsigned int
tok_hash(const char *s, size_t n)
{
	unsigned int	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)tolower((unsigned char)s[i]);
		h *= 16777619u;
	}
	return h;
}

size_t
skills_tokenize(const char *text, size_t len, struct stok **toks)
{
	const char	*p = text, *end = text + len, *s;
	size_t		 n = 0, cap = 0;
	struct stok	*t = NULL;

	while (p < end) {
		if (*p == '/') {
			s = p++;
		} else if (tok_char((unsigned char)*p) ||
		    (*p == '.' && p + 1 < end && tok_inner(p, p + 1))) {
			s = p++;
			while (p < end && (tok_char((unsigned char)*p) ||
			    (p + 1 < end && tok_inner(p, s))))
				p++;
		} else {
			p++;
			continue;
		}
		if (n == cap && (t = reallocarray(t, cap = cap ? cap * 2 :
		    256, sizeof(*t))) == NULL)
			abort();
		t[n].s = s;
		t[n].len = (size_t)(p - s);
		t[n].h = tok_hash(s, t[n].len);
		n++;
	}
	*toks = t;
	return n;
}

static unsigned int
gram_hash(const struct stok *t, size_t n)
{
	unsigned int	 h = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = h * 31u + t[i].h;
	return h;
}

/* Tokens joined by one space; lower: normalized. */
static void
gram_join(const struct stok *t, size_t n, int lower, struct buf *out)
{
	size_t	 i, j;
	char	 c;

	buf_reset(out);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_append(out, " ", 1);
		for (j = 0; j < t[i].len; j++) {
			c = lower ? (char)tolower((unsigned char)t[i].s[j]) :
			    t[i].s[j];
			buf_append(out, &c, 1);
		}
	}
	if (out->data == NULL)
		buf_append(out, "", 0);
}

static int
gram_eq(const struct stok *t, size_t n, const char *key, int lower)
{
	const char	*k = key;
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		if (i > 0 && *k++ != ' ')
			return 0;
		for (j = 0; j < t[i].len; j++, k++)
			if (lower ? tolower((unsigned char)t[i].s[j]) != *k :
			    t[i].s[j] != *k)
				return 0;
	}
	return *k == '\0';
}

static void
skills_rehash(struct skills *sk)
{
	size_t	 i, slot;

	free(sk->tab);
	sk->ntab = 16;
	while (sk->ntab < sk->nal * 2 + 16)
		sk->ntab *= 2;
	if ((sk->tab = calloc(sk->ntab, sizeof(*sk->tab))) == NULL)
		abort();
	for (i = 0; i < sk->nal; i++) {
		slot = sk->al[i].h & (sk->ntab - 1);
		while (sk->tab[slot] != 0)
			slot = (slot + 1) & (sk->ntab - 1);
		sk->tab[slot] = (int)i + 1;
	}
}

/* The alias of normalized key with hash h, or -1. */
static int
alias_lookup(const struct skills *sk, const struct stok *t, size_t n,
    unsigned int h)
{
	size_t	 slot;
	int	 a;

	if (sk->ntab == 0)
		return -1;
	for (slot = h & (sk->ntab - 1); (a = sk->tab[slot]) != 0;
	    slot = (slot + 1) & (sk->ntab - 1))
		if (sk->al[a - 1].h == h && sk->al[a - 1].ntok == (int)n &&
		    gram_eq(t, n, sk->al[a - 1].key, 1))
			return a - 1;
	return -1;
}

static void
alias_add(struct skills *sk, const char *text, int skill)
{
	struct stok	*t;
	struct buf	 b = { 0 };
	struct alias	*a;
	size_t		 n;
	int		 cs = 0;

	if (*text == '^') {
		cs = 1;
		text++;
	}
	n = skills_tokenize(text, strlen(text), &t);
	if (n == 0 || n > MAXGRAM || alias_lookup(sk, t, n,
	    gram_hash(t, n)) >= 0) {
		free(t);
		/* the first skill to claim a spelling keeps it */
		return;
	}
	if (sk->nal == sk->capal && (sk->al = reallocarray(sk->al,
	    sk->capal = sk->capal ? sk->capal * 2 : 1024,
	    sizeof(*sk->al))) == NULL)
		abort();
	a = &sk->al[sk->nal++];
	gram_join(t, n, 1, &b);
	a->key = strdup(b.data);
	gram_join(t, n, 0, &b);
	a->cased = strdup(b.data);
	a->h = gram_hash(t, n);
	a->skill = skill;
	a->ntok = (int)n;
	a->cs = cs;
	buf_free(&b);
	free(t);
	if (sk->nal * 2 + 16 > sk->ntab)
		skills_rehash(sk);
	else {
		size_t slot = a->h & (sk->ntab - 1);

		while (sk->tab[slot] != 0)
			slot = (slot + 1) & (sk->ntab - 1);
		sk->tab[slot] = (int)sk->nal;
	}
}

static const struct { const char *name; enum skill_rule rule; } rules[] = {
	{ "any", SKILL_ANY }, { "", SKILL_ANY }, { "case", SKILL_CASE },
	{ "ctx", SKILL_CTX },
};

/* One TSV line into sk; -1 when malformed. */
static int
skills_line(struct skills *sk, char *line)
{
	char		*f[4] = { NULL, "", "", "" }, *p, *a;
	size_t		 n = 0, i;
	struct skill	*s;

	for (p = line; n < 4 && p != NULL; n++) {
		f[n] = p;
		if ((p = strchr(p, '\t')) != NULL)
			*p++ = '\0';
	}
	if (f[0][0] == '\0')
		return -1;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].name, f[3]) == 0)
			break;
	if (i == sizeof(rules) / sizeof(rules[0]))
		return -1;
	if (sk->nsk == sk->capsk && (sk->sk = reallocarray(sk->sk,
	    sk->capsk = sk->capsk ? sk->capsk * 2 : 1024,
	    sizeof(*sk->sk))) == NULL)
		abort();
	s = &sk->sk[sk->nsk++];
	s->name = strdup(f[0]);
	s->category = strdup(f[1]);
	s->rule = rules[i].rule;
	alias_add(sk, f[0], (int)sk->nsk - 1);
	for (a = strtok_r(f[2], "|", &p); a != NULL; a = strtok_r(NULL, "|",
	    &p))
		alias_add(sk, a, (int)sk->nsk - 1);
	return 0;
}

struct skills *
skills_load(const char *path, char *err, size_t errsz)
{
	struct skills	*sk;
	char		*line = NULL;
	size_t		 cap = 0, lineno = 0;
	ssize_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((sk = calloc(1, sizeof(*sk))) == NULL)
		abort();
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (skills_line(sk, line) == -1) {
			snprintf(err, errsz, "%s:%zu: not name<TAB>category"
			    "<TAB>aliases<TAB>any|case|ctx", path, lineno);
			skills_free(sk);
			sk = NULL;
			break;
		}
	}
	free(line);
	fclose(f);
	if (sk != NULL && sk->nsk == 0) {
		snprintf(err, errsz, "%s: no skills", path);
		skills_free(sk);
		sk = NULL;
	}
	return sk;
}

void
skills_free(struct skills *sk)
{
	size_t	 i;

	if (sk == NULL)
		return;
	for (i = 0; i < sk->nsk; i++) {
		free(sk->sk[i].name);
		free(sk->sk[i].category);
	}
	for (i = 0; i < sk->nal; i++) {
		free(sk->al[i].key);
		free(sk->al[i].cased);
	}
	free(sk->sk);
	free(sk->al);
	free(sk->tab);
	free(sk);
}

size_t
skills_count(const struct skills *sk)
{
	return sk == NULL ? 0 : sk->nsk;
}

const struct skill *
skills_get(const struct skills *sk, int idx)
{
	return idx < 0 || (size_t)idx >= sk->nsk ? NULL : &sk->sk[idx];
}

int
skills_find(const struct skills *sk, const char *name)
{
	struct stok	*t;
	size_t		 n;
	int		 a = -1;

	if (sk == NULL)
		return -1;
	n = skills_tokenize(name, strlen(name), &t);
	if (n > 0 && n <= MAXGRAM)
		a = alias_lookup(sk, t, n, gram_hash(t, n));
	free(t);
	return a < 0 ? -1 : sk->al[a].skill;
}

int
skills_match_at(const struct skills *sk, const struct stok *t, size_t ntok,
    size_t i, int list, struct smatch *m)
{
	enum skill_rule	 r;
	size_t		 n;
	int		 a, cs;

	m->skill = -1;
	if (sk == NULL)
		return 0;
	for (n = ntok - i < MAXGRAM ? ntok - i : MAXGRAM; n > 0; n--) {
		if ((a = alias_lookup(sk, t + i, n, gram_hash(t + i, n))) < 0)
			continue;
		r = sk->sk[sk->al[a].skill].rule;
		cs = r == SKILL_CTX || (!list && (r == SKILL_CASE ||
		    sk->al[a].cs));
		if (cs && !gram_eq(t + i, n, sk->al[a].cased, 0))
			continue;
		m->skill = sk->al[a].skill;
		m->tok = i;
		m->ntok = n;
		return 1;
	}
	return 0;
}

const struct skills *
skills_default(void)
{
	const char	*path;
	char		 err[256];

	if (skills_dflt == NULL && !skills_dflt_tried) {
		skills_dflt_tried = 1;
		if ((path = getenv("SKILLS_FILE")) == NULL || *path == '\0')
			path = PKGDATADIR "/skills.tsv";
		if ((skills_dflt = skills_load(path, err, sizeof(err))) ==
		    NULL)
			fprintf(stderr, "skills: %s\n", err);
	}
	return skills_dflt;
}

void
skills_set_default(struct skills *sk)
{
	if (sk != skills_dflt)
		skills_free(skills_dflt);
	skills_dflt = sk;
	skills_dflt_tried = 1;
}
