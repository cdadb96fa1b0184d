/*
 * Fuzz the built-in resume parser and scorer (lib/scorer.c): the first
 * line is the job context as the worker reads it (JSON, through
 * job_context_from_json; not JSON: no job, fields only), the rest the
 * resume's text.  The answer must serialise and the score stay in
 * 0-100.
 */
#include <string.h>

#include <json-c/json.h>

#include "extern.h"
#include "fuzz.h"
#include "scorer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object	*ctx, *res, *v;
	struct scorer_job	 job;
	char			*line, *text;
	int			 has;

	line = fuzz_field(&d, &n, "\n");
	text = fuzz_str(d, n);
	ctx = json_tokener_parse(line);
	has = job_context_from_json(ctx, &job) == 0;
	res = scorer_builtin(text, has ? &job : NULL);
	FUZZ_ASSERT(res != NULL && json_object_to_json_string(res) != NULL);
	if (has) {
		FUZZ_ASSERT(json_object_object_get_ex(res, "score", &v));
		FUZZ_ASSERT(json_object_get_int(v) >= 0 &&
		    json_object_get_int(v) <= 100);
	}
	json_object_put(res);
	job_context_free(&job);
	json_object_put(ctx);
	free(text);
	free(line);
	return 0;
}
