/*
 * valid: see valid.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "valid.h"

int
valid_phone(const char *s, char *out, size_t outsz)
{
	size_t	 n = 0, o = 0;

	if (outsz < 17)
		return 0;
	if (*s == '+')
		out[o++] = *s++;
	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (++n > 15)
				return 0;
			out[o++] = *s;
		} else if (*s != ' ' && *s != '-' && *s != '.' &&
		    *s != '(' && *s != ')')
			return 0;
	}
	out[o] = '\0';
	return n >= 10;
}

int
valid_email(const char *s)
{
	const char	*at, *dot, *p;
	size_t		 len = strlen(s);

	if (len < 3 || len > 254 || (at = strchr(s, '@')) == NULL ||
	    at == s || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>' || *p == ',' || *p == ';' || *p == '"')
			return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0' &&
	    strstr(at + 1, "..") == NULL;
}

int
valid_username(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' &&
		    *s != '-')
			return 0;
	return n >= 3 && n <= 64;
}

/* Length of the UTF-8 sequence at s, or 0 when invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t	 n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
valid_text(const char *s, size_t min, size_t max, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 n, len = strlen(s);

	if (len < min || len > max)
		return 0;
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			if (!multiline || (*p != '\n' && *p != '\t' &&
			    *p != '\r'))
				return 0;
		}
		if ((n = utf8_len(p)) == 0)
			return 0;
		p += n;
	}
	return 1;
}

int
valid_long(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

int
valid_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, m, d, n = 0, leap, i;

	/* Digits only: %d alone would take a sign or a space. */
	if (strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

const char *
valid_user_type(const char *s)
{
	static const char *const types[] = { "Hr", "Interviewer",
	    "Interviewee" };
	size_t	 i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < 3; i++)
		if (strcasecmp(s, types[i]) == 0)
			return types[i];
	return NULL;
}

void
jv_err(struct json_object *errs, const char *key, const char *msg)
{
	if (errs == NULL || json_object_object_get_ex(errs, key, NULL))
		return;
	json_object_object_add(errs, key, json_object_new_string(msg));
}

/* The member, or NULL when absent or JSON null. */
static struct json_object *
jv_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

int
valid_json_text(struct json_object *v, size_t min, size_t max, int multiline)
{
	const char	*s;

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return 0;
	s = json_object_get_string(v);
	return (size_t)json_object_get_string_len(v) == strlen(s) &&
	    valid_text(s, min, max, multiline);
}

/* A string member checked as text (multiline: \n, \r and \t allowed):
 * a NUL inside the JSON string or any other control character refuses
 * it. */
static const char *
jv_string(struct json_object *o, const char *key, int req, size_t min,
    size_t max, int multiline, struct json_object *errs)
{
	struct json_object	*v;
	const char		*s;
	char			 msg[96];

	if ((v = jv_get(o, key)) == NULL) {
		if (req)
			jv_err(errs, key, "is required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		jv_err(errs, key, "must be a string");
		return NULL;
	}
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s)) {
		jv_err(errs, key, "must not contain NUL characters");
		return NULL;
	}
	if (req && *s == '\0') {
		jv_err(errs, key, "must not be empty");
		return NULL;
	}
	if (!valid_text(s, min, max, multiline)) {
		snprintf(msg, sizeof(msg), "must be %zu to %zu characters of "
		    "%stext, without control characters", min, max,
		    multiline ? "" : "one-line ");
		jv_err(errs, key, msg);
		return NULL;
	}
	return s;
}

const char *
jv_str(struct json_object *o, const char *key, int req, size_t min,
    size_t max, struct json_object *errs)
{
	return jv_string(o, key, req, min, max, 0, errs);
}

const char *
jv_text(struct json_object *o, const char *key, int req, size_t min,
    size_t max, struct json_object *errs)
{
	return jv_string(o, key, req, min, max, 1, errs);
}

int
jv_long(struct json_object *o, const char *key, int req, long min,
    long max, long *out, struct json_object *errs)
{
	struct json_object	*v;
	char			 msg[96];
	long			 n;

	if ((v = jv_get(o, key)) == NULL) {
		if (req) {
			jv_err(errs, key, "is required");
			return -1;
		}
		return 0;
	}
	if (json_object_is_type(v, json_type_int)) {
		errno = 0;
		n = (long)json_object_get_int64(v);
		if (errno == 0 && n >= min && n <= max) {
			*out = n;
			return 1;
		}
	}
	snprintf(msg, sizeof(msg), "must be an integer from %ld to %ld",
	    min, max);
	jv_err(errs, key, msg);
	return -1;
}

int
jv_bool(struct json_object *o, const char *key, int req, int *out,
    struct json_object *errs)
{
	struct json_object	*v;

	if ((v = jv_get(o, key)) == NULL) {
		if (req) {
			jv_err(errs, key, "is required");
			return -1;
		}
		return 0;
	}
	if (!json_object_is_type(v, json_type_boolean)) {
		jv_err(errs, key, "must be true or false");
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 1;
}

struct json_object *
jv_array(struct json_object *o, const char *key, int req, size_t max,
    struct json_object *errs)
{
	struct json_object	*v;
	char			 msg[64];

	if ((v = jv_get(o, key)) == NULL) {
		if (req)
			jv_err(errs, key, "is required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_array)) {
		jv_err(errs, key, "must be a list");
		return NULL;
	}
	if (json_object_array_length(v) > max) {
		snprintf(msg, sizeof(msg), "must have at most %zu items", max);
		jv_err(errs, key, msg);
		return NULL;
	}
	return v;
}

/* A number member in [min, max]: 1 present, 0 absent, -1 invalid. */
int
jv_number(struct json_object *o, const char *key, double min, double max,
    double *out, struct json_object *errs)
{
	struct json_object	*v;
	char			 msg[80];

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if ((json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) &&
	    isfinite(*out = json_object_get_double(v)) && *out >= min &&
	    *out <= max)
		return 1;
	snprintf(msg, sizeof(msg), "must be a number from %g to %g", min, max);
	jv_err(errs, key, msg);
	return -1;
}
