/*
 * Fuzz the JSON request body path (fcgi/req.c req_json): the input is a
 * body.  An accepted body is one JSON object with nothing but white
 * space after it; its members go through the field getters the
 * handlers use, its serialisation (what a handler may echo back) is
 * accepted again, and each key and string value written as a JSON
 * string literal by json_put_str (lib/buf.c) reads back the same.
 */
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "extern.h"
#include "fuzz.h"
#include "valid.h"

static void
fuzz_literal(const char *s)
{
	struct json_object	*o;
	struct buf		 b = { 0 };

	json_put_str(&b, s);
	o = json_tokener_parse(b.data);
	FUZZ_ASSERT(json_object_is_type(o, json_type_string) &&
	    strcmp(json_object_get_string(o), s) == 0);
	json_object_put(o);
	buf_free(&b);
}

static void
fuzz_members(struct json_object *o)
{
	struct json_object	*errs = json_object_new_object();
	long			 l;
	int			 b;

	json_object_object_foreach(o, key, val) {
		fuzz_literal(key);
		if (json_object_is_type(val, json_type_string))
			fuzz_literal(json_object_get_string(val));
		(void)jv_str(o, key, 1, 1, 200, errs);
		(void)jv_long(o, key, 0, 0, 1000000, &l, errs);
		(void)jv_bool(o, key, 0, &b, errs);
		(void)jv_array(o, key, 0, 100, errs);
	}
	json_object_put(errs);
}

static int
fuzz_body(const char *p, size_t n, struct json_object **out)
{
	struct req	 r;
	int		 rc;

	memset(&r, 0, sizeof(r));
	r.body = fuzz_str((const uint8_t *)p, n);
	r.bodylen = n;
	rc = req_json(&r);
	if (rc == 0) {
		FUZZ_ASSERT(json_object_is_type(r.json, json_type_object));
		*out = json_object_get(r.json);
	} else
		FUZZ_ASSERT(r.json == NULL);
	req_free(&r);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object	*o = NULL, *again = NULL;
	const char		*s;

	if (fuzz_body((const char *)d, n, &o) != 0)
		return 0;
	fuzz_members(o);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	FUZZ_ASSERT(fuzz_body(s, strlen(s), &again) == 0);
	json_object_put(again);
	json_object_put(o);
	return 0;
}
