/*
 * Fuzz the request field validators (lib/valid.c): the input is one
 * field's value; every validator sees it, and what a validator accepts
 * must have the shape it promises.
 */
#include <ctype.h>
#include <string.h>

#include <json-c/json.h>

#include "fuzz.h"
#include "valid.h"

static void
fuzz_phone(const char *s)
{
	char	*out;
	size_t	 i = 0;

	/* Exactly the documented minimum, so an overflow is caught. */
	if ((out = malloc(17)) == NULL)
		abort();
	if (valid_phone(s, out, 17)) {
		if (out[0] == '+')
			i = 1;
		FUZZ_ASSERT(strlen(out + i) >= 10 && strlen(out + i) <= 15);
		for (; out[i] != '\0'; i++)
			FUZZ_ASSERT(isdigit((unsigned char)out[i]));
	}
	free(out);
}

static void
fuzz_date(const char *s)
{
	size_t	 i;

	if (!valid_date(s))
		return;
	FUZZ_ASSERT(strlen(s) == 10);
	for (i = 0; i < 10; i++)
		FUZZ_ASSERT(i == 4 || i == 7 ?
		    s[i] == '-' : isdigit((unsigned char)s[i]));
}

static void
fuzz_getters(const char *s)
{
	struct json_object	*o, *errs;
	long			 l;
	int			 b;

	o = json_object_new_object();
	errs = json_object_new_object();
	json_object_object_add(o, "s", json_object_new_string(s));
	json_object_object_add(o, "a", json_object_new_array());
	json_object_object_add(o, "n", json_object_new_null());
	(void)jv_str(o, "s", 1, 1, 200, errs);
	(void)jv_str(o, "s", 0, 0, 20, errs);
	(void)jv_long(o, "s", 1, -5, 1000000, &l, errs);
	(void)jv_bool(o, "s", 0, &b, errs);
	(void)jv_array(o, "s", 0, 10, errs);
	(void)jv_array(o, "a", 1, 0, errs);
	(void)jv_str(o, "n", 1, 1, 10, errs);
	(void)jv_long(o, s, 0, 0, 1, &l, errs);	/* the value as a key */
	jv_err(errs, s, "bad");
	FUZZ_ASSERT(json_object_to_json_string(errs) != NULL);
	json_object_put(errs);
	json_object_put(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char	*t;
	char		*s = fuzz_str(d, n);
	long		 l;

	fuzz_phone(s);
	if (valid_email(s))
		FUZZ_ASSERT(strlen(s) <= 254 && strchr(s, '@') != NULL);
	if (valid_username(s))
		FUZZ_ASSERT(strlen(s) >= 3 && strlen(s) <= 64);
	if (valid_text(s, 1, 64, 0))
		FUZZ_ASSERT(strpbrk(s, "\n\t\r") == NULL);
	(void)valid_text(s, 0, 100000, 1);
	if (valid_long(s, -100, 100, &l))
		FUZZ_ASSERT(l >= -100 && l <= 100);
	(void)valid_long(s, 0, 1L << 40, &l);
	fuzz_date(s);
	if ((t = valid_user_type(s)) != NULL)
		FUZZ_ASSERT(strcasecmp(s, t) == 0);
	fuzz_getters(s);
	free(s);
	return 0;
}
