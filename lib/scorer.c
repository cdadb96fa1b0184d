/*
 * scorer: see scorer.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "scorer.h"

/* Canonical skill, then its other spellings; NULL-terminated rows. */
static const char *const skill_dict[][6] = {
	{ "C", NULL }, { "C++", "cpp", NULL }, { "C#", "csharp", NULL },
	{ "Go", "Golang", NULL }, { "Rust", NULL }, { "Java", NULL },
	{ "Kotlin", NULL }, { "Scala", NULL }, { "Python", NULL },
	{ "Ruby", NULL }, { "PHP", NULL }, { "Perl", NULL }, { "Swift", NULL },
	{ "JavaScript", "JS", "ECMAScript", NULL },
	{ "TypeScript", "TS", NULL }, { "Node.js", "NodeJS", "Node", NULL },
	{ "React", "ReactJS", "React.js", NULL },
	{ "Angular", "AngularJS", NULL }, { "Vue", "Vue.js", "VueJS", NULL },
	{ "HTML", "HTML5", NULL }, { "CSS", "CSS3", NULL },
	{ "SQL", NULL }, { "PostgreSQL", "Postgres", "psql", NULL },
	{ "MySQL", NULL }, { "SQLite", NULL }, { "Oracle", NULL },
	{ "MongoDB", "Mongo", NULL }, { "Redis", NULL },
	{ "Elasticsearch", "Elastic Search", NULL }, { "Kafka", NULL },
	{ "RabbitMQ", NULL }, { "nginx", NULL }, { "Apache", NULL },
	{ "Linux", "Unix", NULL }, { "Bash", "Shell scripting", NULL },
	{ "Git", "GitHub", "GitLab", NULL }, { "Docker", "containers", NULL },
	{ "Kubernetes", "k8s", NULL }, { "Terraform", NULL },
	{ "Ansible", NULL }, { "Jenkins", NULL }, { "CI/CD", "CI CD", NULL },
	{ "AWS", "Amazon Web Services", NULL },
	{ "GCP", "Google Cloud", NULL }, { "Azure", NULL },
	{ "REST APIs", "REST", "RESTful", NULL }, { "GraphQL", NULL },
	{ "gRPC", NULL }, { "Microservices", "micro-services", NULL },
	{ "Django", NULL }, { "Flask", NULL }, { "FastAPI", NULL },
	{ "Spring", "Spring Boot", NULL }, { "Rails", "Ruby on Rails", NULL },
	{ ".NET", "dotnet", NULL }, { "Machine Learning", "ML", NULL },
	{ "Deep Learning", NULL }, { "TensorFlow", NULL },
	{ "PyTorch", NULL }, { "Pandas", NULL }, { "NumPy", NULL },
	{ "Data Analysis", "Data Analytics", NULL }, { "Excel", NULL },
	{ "Tableau", NULL }, { "Power BI", "PowerBI", NULL },
	{ "Spark", "Apache Spark", NULL }, { "Hadoop", NULL },
	{ "Airflow", NULL }, { "Selenium", NULL }, { "Testing", "QA", NULL },
	{ "Agile", "Scrum", NULL }, { "Jira", NULL },
	{ "Project Management", NULL }, { "Communication", NULL },
	{ "Leadership", NULL }, { "Figma", NULL }, { "Android", NULL },
	{ "iOS", NULL }, { "Flutter", NULL }, { "Networking", "TCP/IP", NULL },
	{ "Security", "Cybersecurity", NULL }, { "Embedded", NULL },
	{ "Recruiting", "Recruitment", "Talent Acquisition", NULL },
	{ "Sales", NULL }, { "Marketing", NULL }, { "Accounting", NULL },
};
#define NSKILLS	(sizeof(skill_dict) / sizeof(skill_dict[0]))

static const char *const degree_words[] = { "B.Tech", "B.E.", "BTech",
    "M.Tech", "MTech", "B.Sc", "BSc", "M.Sc", "MSc", "Bachelor", "Master",
    "PhD", "Ph.D", "MBA", "BCA", "MCA", "B.Com", "M.Com", "Diploma",
    "B.A.", "M.A.", "B.S.", "M.S.", NULL };
#define NDEGREES (sizeof(degree_words) / sizeof(degree_words[0]) - 1)

static const char *const stopwords[] = { "with", "that", "this", "from",
    "have", "will", "your", "their", "about", "into", "than", "they",
    "work", "team", "years", "year", "experience", "role", "must", "good",
    "strong", "skills", "ability", "using", "also", "more", "able", NULL };

/* Is c part of a word for skill matching? */
static int
wordch(int c)
{
	return isalnum(c) || c == '+' || c == '#';
}

/*
 * Find term in text as a whole word, case-insensitive; returns the match
 * or NULL.  "C" does not match inside "Cloud", "C++" or "C#", and "Go"
 * does not match inside "Google".
 */
static const char *
find_word(const char *text, const char *term)
{
	const char	*p = text;
	size_t		 n = strlen(term);

	if (n == 0)
		return NULL;
	while ((p = strcasestr(p, term)) != NULL) {
		int before = p == text ? ' ' : (unsigned char)p[-1];
		int after = (unsigned char)p[n];

		if (!wordch(before) && !wordch(after) && before != '.' &&
		    !(after == '.' && isalnum((unsigned char)p[n + 1])))
			return p;
		p++;
	}
	return NULL;
}

/* The line of text around p, trimmed, at most 200 bytes. */
static struct json_object *
line_at(const char *text, const char *p)
{
	const char	*s = p, *e = p;

	while (s > text && s[-1] != '\n' && s[-1] != '\f')
		s--;
	while (*e != '\0' && *e != '\n' && *e != '\f')
		e++;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return json_object_new_string_len(s, e - s > 200 ? 200 : (int)(e - s));
}

/* The dictionary row a name belongs to, or -1. */
static int
skill_row(const char *name)
{
	size_t	 i, j;

	for (i = 0; i < NSKILLS; i++)
		for (j = 0; skill_dict[i][j] != NULL; j++)
			if (strcasecmp(skill_dict[i][j], name) == 0)
				return (int)i;
	return -1;
}

/* Where a skill (any spelling) occurs in text, or NULL. */
static const char *
skill_find(const char *text, const char *name)
{
	const char	*p;
	int		 row = skill_row(name);
	size_t		 j;

	if (row < 0)
		return find_word(text, name);
	for (j = 0; skill_dict[row][j] != NULL; j++)
		if ((p = find_word(text, skill_dict[row][j])) != NULL)
			return p;
	return NULL;
}

static const char *
canonical(const char *name)
{
	int	 row = skill_row(name);

	return row >= 0 ? skill_dict[row][0] : name;
}

static struct json_object *
extract_email(const char *text)
{
	const char	*at, *s, *e;

	for (at = strchr(text, '@'); at != NULL; at = strchr(at + 1, '@')) {
		for (s = at; s > text && (isalnum((unsigned char)s[-1]) ||
		    strchr("._%+-", s[-1])); s--)
			continue;
		for (e = at + 1; isalnum((unsigned char)*e) || *e == '.' ||
		    *e == '-'; e++)
			continue;
		while (e > at && e[-1] == '.')
			e--;
		if (s < at && memchr(at, '.', (size_t)(e - at)) != NULL)
			return json_object_new_string_len(s, (int)(e - s));
	}
	return NULL;
}

static struct json_object *
extract_phone(const char *text)
{
	const char	*p, *e, *last;
	int		 digits;

	for (p = text; *p != '\0'; p++) {
		if (!(isdigit((unsigned char)*p) || (*p == '+' &&
		    isdigit((unsigned char)p[1]))))
			continue;
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		for (e = p, last = p, digits = 0; *e != '\0'; e++) {
			if (isdigit((unsigned char)*e)) {
				digits++;
				last = e;
			} else if (!(*e == ' ' || *e == '-' || *e == '(' ||
			    *e == ')' || *e == '.' || (*e == '+' && e == p)))
				break;
		}
		if (digits >= 10 && digits <= 15)
			return json_object_new_string_len(p,
			    (int)(last - p + 1));
		p = e > p ? e - 1 : p;
	}
	return NULL;
}

/* A name: the first line of 2-4 capitalised words without digits or @. */
static struct json_object *
extract_name(const char *text)
{
	const char	*s = text, *e, *q;
	int		 words, ok;

	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n\f");
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s == e)
			continue;
		for (q = s, words = 0, ok = 1; q < e && ok; ) {
			if (!isupper((unsigned char)*q))
				ok = 0;
			while (q < e && !isspace((unsigned char)*q)) {
				if (!isalpha((unsigned char)*q) && *q != '.' &&
				    *q != '\'' && *q != '-')
					ok = 0;
				q++;
			}
			words++;
			while (q < e && isspace((unsigned char)*q))
				q++;
		}
		if (ok && words >= 2 && words <= 4) {
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			return json_object_new_string_len(s, (int)(e - s));
		}
		return NULL;	/* only the top line can be the name */
	}
	return NULL;
}

static int
current_year(void)
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* Explicit "N years" (the largest), else the sum of "YYYY - YYYY|Present". */
static double
extract_years(const char *text)
{
	const char	*p;
	double		 best = 0, sum = 0, v;
	int		 a, b, n;
	char		 word[16], win[96];
	size_t		 wl;

	for (p = text; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) || (p > text &&
		    isalnum((unsigned char)p[-1])))
			continue;
		/* sscanf reads the rest of its string (strlen) on every
		 * call: scan a window, not the text to its end. */
		wl = strnlen(p, sizeof(win) - 1);
		memcpy(win, p, wl);
		win[wl] = '\0';
		n = 0;
		if (sscanf(win, "%lf%n", &v, &n) == 1 && v > 0 && v < 50) {
			const char *q = p + n;

			if (*q == '+')
				q++;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, "year", 4) == 0 && v > best)
				best = v;
		}
		if (sscanf(win, "%4d - %4d", &a, &b) == 2 ||
		    sscanf(win, "%4d-%4d", &a, &b) == 2 ||
		    sscanf(win, "%4d to %4d", &a, &b) == 2) {
			if (a > 1950 && b >= a && b <= current_year())
				sum += b - a;
		} else if ((sscanf(win, "%4d - %15s", &a, word) == 2 ||
		    sscanf(win, "%4d -%15s", &a, word) == 2) &&
		    (strncasecmp(word, "Present", 7) == 0 ||
		    strncasecmp(word, "Current", 7) == 0 ||
		    strncasecmp(word, "Now", 3) == 0) && a > 1950 &&
		    a <= current_year())
			sum += current_year() - a;
		while (isdigit((unsigned char)p[1]))
			p++;
	}
	return best > 0 ? best : sum;
}

static struct json_object *
extract_education(const char *text)
{
	struct json_object	*a = json_object_new_array();
	const char		*s = text, *e, *next[NDEGREES];
	size_t			 i;

	/* next[i]: the first match of degree_words[i] from the line on
	 * (NULL: none left).  It is searched again only once passed, so
	 * each word reads the text once, not once per line. */
	for (i = 0; i < NDEGREES; i++)
		next[i] = find_word(text, degree_words[i]);
	for (; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n\f");
		for (i = 0; i < NDEGREES; i++) {
			if (next[i] != NULL && next[i] < s)
				next[i] = find_word(s, degree_words[i]);
			if (next[i] != NULL && next[i] < e) {
				json_object_array_add(a, line_at(text,
				    next[i]));
				break;
			}
		}
		if (json_object_array_length(a) >= 5)
			break;
	}
	return a;
}

static struct json_object *
extract_links(const char *text)
{
	static const char *const marks[] = { "http://", "https://",
	    "linkedin.com/", "github.com/", NULL };
	struct json_object	*a = json_object_new_array();
	const char		*p, *s, *e;
	size_t			 i, k;

	for (i = 0; marks[i] != NULL; i++)
		for (p = text; (p = strstr(p, marks[i])) != NULL; p = e) {
			for (s = p; s > text && !isspace((unsigned char)s[-1]) &&
			    s[-1] != '|' && s[-1] != ','; s--)
				continue;
			for (e = p; *e != '\0' && !isspace((unsigned char)*e) &&
			    *e != '|' && *e != ','; e++)
				continue;
			/* the same link found by two marks counts once */
			for (k = 0; k < json_object_array_length(a); k++)
				if (strncmp(json_object_get_string(
				    json_object_array_get_idx(a, k)), s,
				    (size_t)(e - s)) == 0)
					break;
			if (k == json_object_array_length(a) &&
			    json_object_array_length(a) < 10)
				json_object_array_add(a,
				    json_object_new_string_len(s,
				    (int)(e - s)));
		}
	return a;
}

/* Dictionary skills present in text, canonical names, dictionary order. */
static struct json_object *
extract_skills(const char *text)
{
	struct json_object	*a = json_object_new_array();
	size_t			 i;

	for (i = 0; i < NSKILLS; i++)
		if (skill_find(text, skill_dict[i][0]) != NULL)
			json_object_array_add(a,
			    json_object_new_string(skill_dict[i][0]));
	return a;
}

/* Share of a job's skills found (100 when it lists none). */
static double
match_skills(const char *text, const char **names, size_t n,
    struct json_object *matched, struct json_object *missing,
    struct json_object *evidence)
{
	const char	*p;
	size_t		 i, hit = 0;

	for (i = 0; i < n; i++) {
		if ((p = skill_find(text, names[i])) != NULL) {
			hit++;
			json_object_array_add(matched,
			    json_object_new_string(canonical(names[i])));
			json_object_object_add(evidence, canonical(names[i]),
			    line_at(text, p));
		} else
			json_object_array_add(missing,
			    json_object_new_string(canonical(names[i])));
	}
	return n == 0 ? 100 : 100.0 * (double)hit / (double)n;
}

/* Share of the description's distinctive words found in the resume. */
static double
relevance(const char *text, const char *desc)
{
	char		 word[48];
	const char	*p = desc;
	size_t		 n, i, total = 0, hit = 0;

	if (desc == NULL)
		return 50;
	while (*p != '\0' && total < 200) {
		while (*p != '\0' && !isalnum((unsigned char)*p))
			p++;
		for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '+'; n++)
			continue;
		if (n >= 4 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			for (i = 0; stopwords[i] != NULL &&
			    strcasecmp(stopwords[i], word); i++)
				continue;
			if (stopwords[i] == NULL) {
				total++;
				if (find_word(text, word) != NULL)
					hit++;
			}
		}
		p += n;
	}
	return total == 0 ? 50 : 100.0 * (double)hit / (double)total;
}

static double
experience_fit(double years, double min, double max)
{
	if (years < min)
		return min <= 0 ? 100 : 100.0 * years / min;
	if (max >= 0 && years > max)
		return fmax(60, 100 - 10 * (years - max));
	return 100;
}

struct json_object *
scorer_builtin(const char *text, const struct scorer_job *job)
{
	static const struct { const char *name; double w; } weights[] = {
		{ "required_skills", 45 }, { "preferred_skills", 15 },
		{ "experience", 20 }, { "education", 10 }, { "relevance", 10 },
	};
	struct json_object	*o, *v, *sub, *w, *matched, *missing, *ev,
				*edu;
	double			 years, s[5], total = 0;
	size_t			 i;

	o = json_object_new_object();
	json_object_object_add(o, "name", extract_name(text));
	json_object_object_add(o, "email", extract_email(text));
	json_object_object_add(o, "phone", extract_phone(text));
	json_object_object_add(o, "skills", extract_skills(text));
	years = extract_years(text);
	json_object_object_add(o, "years_experience",
	    json_object_new_double(round(years * 10) / 10));
	edu = extract_education(text);
	json_object_object_add(o, "education", edu);
	json_object_object_add(o, "links", extract_links(text));
	json_object_object_add(o, "scorer", json_object_new_string("builtin"));
	json_object_object_add(o, "scorer_version",
	    json_object_new_string(SCORER_VERSION));
	if (job == NULL)
		return o;

	matched = json_object_new_array();
	missing = json_object_new_array();
	ev = json_object_new_object();
	s[0] = match_skills(text, job->required, job->nrequired, matched,
	    missing, ev);
	s[1] = match_skills(text, job->preferred, job->npreferred, matched,
	    missing, ev);
	s[2] = experience_fit(years, job->min_exp, job->max_exp);
	s[3] = json_object_array_length(edu) > 0 ? 100 : 40;
	s[4] = relevance(text, job->description);
	sub = json_object_new_object();
	w = json_object_new_object();
	for (i = 0; i < 5; i++) {
		total += s[i] * weights[i].w / 100;
		json_object_object_add(sub, weights[i].name,
		    json_object_new_int((int)lround(s[i])));
		json_object_object_add(w, weights[i].name,
		    json_object_new_int((int)weights[i].w));
	}
	v = json_object_new_int((int)lround(fmin(100, fmax(0, total))));
	json_object_object_add(o, "score", v);
	json_object_object_add(o, "sub_scores", sub);
	json_object_object_add(o, "weights", w);
	json_object_object_add(o, "matched_skills", matched);
	json_object_object_add(o, "missing_skills", missing);
	json_object_object_add(o, "evidence", ev);
	return o;
}
