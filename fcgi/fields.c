/*
 * fields: the declared fields of a route, checked before its handler
 * runs (kcgi's way: validation is data, not code in every handler).
 *
 * fields_check() reads every declared query parameter and body member,
 * checks its type and limits, runs its check() and collects every
 * failing field's message; the dispatcher answers one 400 with all of
 * them.  Otherwise the handler reads typed values with req_long(),
 * req_str() and the others.  Undeclared members are ignored, as before.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "extern.h"
#include "log.h"
#include "valid.h"

#define ID_MAX	(1L << 62)

/* "must be A, B or C" for an FT_ENUM field. */
static void
fields_enum_msg(const struct field *f, struct json_object *errs)
{
	struct buf	 b = { 0 };
	size_t		 i;

	buf_puts(&b, "must be ");
	for (i = 0; f->values[i] != NULL; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : f->values[i + 1] ==
		    NULL ? " or " : ", ", f->values[i]);
	jv_err(errs, f->name, buf_str(&b));
	buf_free(&b);
}

/* The canonical spelling of s among f->values, or NULL. */
static const char *
fields_enum(const struct field *f, const char *s)
{
	size_t	 i;

	for (i = 0; f->values[i] != NULL; i++)
		if (strcasecmp(s, f->values[i]) == 0)
			return f->values[i];
	return NULL;
}

/* A query parameter: text, parsed by the declared type. */
static void
fields_query(struct req *r, const struct field *f, struct value *v,
    struct json_object *errs)
{
	const char	*s;
	char		 msg[96], *end;

	if ((s = req_qs(r, f->name)) == NULL || *s == '\0') {
		if (f->flags & F_REQ)
			jv_err(errs, f->name, "is required");
		return;
	}
	switch (f->type) {
	case FT_ID:
		if (!valid_long(s, 1, ID_MAX, &v->l)) {
			jv_err(errs, f->name, "must be an id");
			return;
		}
		break;
	case FT_INT:
		if (!valid_long(s, f->min, f->max, &v->l)) {
			snprintf(msg, sizeof(msg), "must be a whole number "
			    "from %ld to %ld", f->min, f->max);
			jv_err(errs, f->name, msg);
			return;
		}
		break;
	case FT_NUM:
		errno = 0;
		v->d = strtod(s, &end);
		if (errno != 0 || end == s || *end != '\0' || !isfinite(v->d) ||
		    v->d < (double)f->min || v->d > (double)f->max) {
			snprintf(msg, sizeof(msg), "must be a number from %ld "
			    "to %ld", f->min, f->max);
			jv_err(errs, f->name, msg);
			return;
		}
		break;
	case FT_BOOL:
		if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0)
			v->l = 1;
		else if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0)
			v->l = 0;
		else {
			jv_err(errs, f->name, "must be 0 or 1");
			return;
		}
		break;
	case FT_ENUM:
		if ((v->s = fields_enum(f, s)) == NULL) {
			fields_enum_msg(f, errs);
			return;
		}
		break;
	case FT_DATE:
		if (!valid_date(s)) {
			jv_err(errs, f->name, "must be a date YYYY-MM-DD");
			return;
		}
		v->s = s;
		break;
	default:
		if (!valid_text(s, (size_t)f->min, (size_t)f->max, 0)) {
			snprintf(msg, sizeof(msg), "must be %ld to %ld "
			    "characters of one-line text", f->min, f->max);
			jv_err(errs, f->name, msg);
			return;
		}
		v->s = s;
		break;
	}
	v->present = 1;
}

/* A body member: a JSON value of the declared type (strict: "5" is not
 * an integer).  JSON null is absent unless the field takes F_NULL. */
static void
fields_body(struct req *r, const struct field *f, struct value *v,
    struct json_object *errs)
{
	struct json_object	*o = NULL;
	char			 msg[64];
	int			 req = (f->flags & F_REQ) != 0, k, b = 0;

	if (r->json == NULL ||
	    !json_object_object_get_ex(r->json, f->name, &o) || o == NULL) {
		if (o == NULL && r->json != NULL && (f->flags & F_NULL) &&
		    json_object_object_get_ex(r->json, f->name, NULL))
			v->null = 1;
		else if (req)
			jv_err(errs, f->name, "is required");
		return;
	}
	switch (f->type) {
	case FT_ID:
		k = jv_long(r->json, f->name, req, 1, ID_MAX, &v->l, errs);
		break;
	case FT_INT:
		k = jv_long(r->json, f->name, req, f->min, f->max, &v->l,
		    errs);
		break;
	case FT_NUM:
		k = jv_number(r->json, f->name, (double)f->min,
		    (double)f->max, &v->d, errs);
		break;
	case FT_BOOL:
		k = jv_bool(r->json, f->name, req, &b, errs);
		v->l = b;
		break;
	case FT_STR:
	case FT_TEXT:
	case FT_DATE:
	case FT_ENUM:
		v->s = (f->type == FT_TEXT ? jv_text : jv_str)(r->json,
		    f->name, req, (size_t)f->min, f->type == FT_DATE ? 10 :
		    f->type == FT_ENUM ? 64 : (size_t)f->max, errs);
		k = v->s != NULL ? 1 : -1;
		if (k == 1 && f->type == FT_DATE && !valid_date(v->s)) {
			jv_err(errs, f->name, "must be a date YYYY-MM-DD");
			k = -1;
		}
		if (k == 1 && f->type == FT_ENUM &&
		    (v->s = fields_enum(f, v->s)) == NULL) {
			fields_enum_msg(f, errs);
			k = -1;
		}
		break;
	case FT_ARRAY:
		k = jv_array(r->json, f->name, req, (size_t)f->max, errs) ?
		    1 : -1;
		if (k == 1 && json_object_array_length(o) < (size_t)f->min) {
			snprintf(msg, sizeof(msg), "must have at least %ld "
			    "item%s", f->min, f->min == 1 ? "" : "s");
			jv_err(errs, f->name, msg);
			k = -1;
		}
		break;
	case FT_OBJECT:
		if ((k = json_object_is_type(o, json_type_object) ? 1 : -1)
		    == -1)
			jv_err(errs, f->name, "must be an object");
		break;
	default:
		k = 1;
		break;
	}
	if (k != 1)
		return;
	v->o = o;
	v->present = 1;
	if (f->check != NULL)
		f->check(f->name, o, errs);
}

struct json_object *
fields_check(struct req *r)
{
	const struct field	*f;
	struct json_object	*errs;
	size_t			 i;

	memset(r->vals, 0, sizeof(r->vals));
	if (r->route == NULL || r->route->fields == NULL)
		return NULL;
	errs = json_object_new_object();
	for (i = 0, f = r->route->fields; f->name != NULL; f++, i++) {
		if (i == FIELDS_MAX) {
			log_error("route %s declares more than %d fields",
			    r->route->name, FIELDS_MAX);
			abort();
		}
		if (f->flags & F_QUERY)
			fields_query(r, f, &r->vals[i], errs);
		else
			fields_body(r, f, &r->vals[i], errs);
	}
	if (json_object_object_length(errs) > 0)
		return errs;
	json_object_put(errs);
	return NULL;
}

/* The value of the declared field name; a name not declared aborts. */
static const struct value *
req_value(const struct req *r, const char *name)
{
	const struct field	*f;
	size_t			 i;

	if (r->route != NULL && r->route->fields != NULL)
		for (i = 0, f = r->route->fields; f->name != NULL; f++, i++)
			if (strcmp(f->name, name) == 0)
				return &r->vals[i];
	log_error("route %s reads undeclared field \"%s\"",
	    r->route ? r->route->name : "(none)", name);
	abort();
}

int
req_has(const struct req *r, const char *name)
{
	return req_value(r, name)->present;
}

int
req_null(const struct req *r, const char *name)
{
	return req_value(r, name)->null;
}

long
req_long(const struct req *r, const char *name)
{
	return req_value(r, name)->l;
}

double
req_num(const struct req *r, const char *name)
{
	return req_value(r, name)->d;
}

int
req_bool(const struct req *r, const char *name)
{
	return req_value(r, name)->l != 0;
}

const char *
req_str(const struct req *r, const char *name)
{
	return req_value(r, name)->s;
}

struct json_object *
req_obj(const struct req *r, const char *name)
{
	return req_value(r, name)->o;
}

void
req_page(const struct req *r, struct page *pg)
{
	pg->page = req_has(r, "page") ? req_long(r, "page") : 1;
	pg->size = req_has(r, "page_size") ? req_long(r, "page_size") : 20;
	snprintf(pg->limit, sizeof(pg->limit), "%ld", pg->size);
	snprintf(pg->offset, sizeof(pg->offset), "%ld",
	    (pg->page - 1) * pg->size);
}
