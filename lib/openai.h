/*
 * openai: ATS scoring through any OpenAI-compatible Chat Completions API
 * (OPENAI_BASE_URL), with a strict JSON schema response format.
 */
#ifndef OPENAI_H
#define OPENAI_H

#include <stddef.h>

#include <json-c/json.h>

struct openai_cfg {
	const char	*base_url;	/* "https://api.openai.com/v1" */
	const char	*api_key;
	const char	*model;
	long		 timeout_ms;
};

enum openai_rc {
	OPENAI_OK = 0,		/* *out holds the validated result */
	OPENAI_RETRY,		/* 408/409/429/5xx/unreachable: later */
	OPENAI_UNUSABLE		/* refused, truncated, off-schema: fall back */
};

/*
 * Ask the model to score: prompt is the rendered instruction with the
 * resume.  On OPENAI_OK *out (caller puts) has the schema's fields;
 * *retry_after gets the wait the server asked for, in seconds (0 if
 * none): retry-after-ms, or Retry-After as seconds or an HTTP date.
 */
enum openai_rc openai_score(const struct openai_cfg *, const char *prompt,
	    struct json_object **out, long *retry_after, char *err,
	    size_t errsz);

/* Check a result against the schema's rules: 0, or -1 with the reason. */
int	openai_validate(struct json_object *, char *err, size_t errsz);

#endif /* OPENAI_H */
