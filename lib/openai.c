/*
 * openai: see openai.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "buf.h"
#include "http.h"
#include "openai.h"

/* The response schema: strict mode needs every property required and no
 * additional ones; optional values are written as [type, "null"]. */
static const char schema[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"name\",\"email\",\"phone\",\"skills\","
    "\"years_experience\",\"education\",\"links\",\"score\",\"sub_scores\","
    "\"matched_skills\",\"missing_skills\",\"summary\"],"
    "\"properties\":{"
    "\"name\":{\"type\":[\"string\",\"null\"]},"
    "\"email\":{\"type\":[\"string\",\"null\"]},"
    "\"phone\":{\"type\":[\"string\",\"null\"]},"
    "\"skills\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"years_experience\":{\"type\":\"number\"},"
    "\"education\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"links\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"score\":{\"type\":\"integer\"},"
    "\"sub_scores\":{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"required_skills\",\"preferred_skills\",\"experience\","
    "\"education\",\"relevance\"],\"properties\":{"
    "\"required_skills\":{\"type\":\"integer\"},"
    "\"preferred_skills\":{\"type\":\"integer\"},"
    "\"experience\":{\"type\":\"integer\"},"
    "\"education\":{\"type\":\"integer\"},"
    "\"relevance\":{\"type\":\"integer\"}}},"
    "\"matched_skills\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"missing_skills\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"summary\":{\"type\":\"string\"}}}";

static int
check_type(struct json_object *o, const char *k, enum json_type t, int null_ok,
    char *err, size_t errsz)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, k, &v)) {
		snprintf(err, errsz, "answer lacks %s", k);
		return -1;
	}
	if (v == NULL && null_ok)
		return 0;
	if (!json_object_is_type(v, t) && !(t == json_type_double &&
	    json_object_is_type(v, json_type_int))) {
		snprintf(err, errsz, "answer's %s has the wrong type", k);
		return -1;
	}
	return 0;
}

static int
check_score(struct json_object *o, const char *k, char *err, size_t errsz)
{
	struct json_object	*v;
	int64_t			 n;

	if (check_type(o, k, json_type_int, 0, err, errsz) == -1)
		return -1;
	json_object_object_get_ex(o, k, &v);
	n = json_object_get_int64(v);
	if (n < 0 || n > 100) {
		snprintf(err, errsz, "answer's %s is outside 0-100", k);
		return -1;
	}
	return 0;
}

int
openai_validate(struct json_object *o, char *err, size_t errsz)
{
	static const char *const subs[] = { "required_skills",
	    "preferred_skills", "experience", "education", "relevance", NULL };
	struct json_object	*sub;
	size_t			 i;

	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errsz, "answer is not a JSON object");
		return -1;
	}
	if (check_type(o, "name", json_type_string, 1, err, errsz) ||
	    check_type(o, "email", json_type_string, 1, err, errsz) ||
	    check_type(o, "phone", json_type_string, 1, err, errsz) ||
	    check_type(o, "skills", json_type_array, 0, err, errsz) ||
	    check_type(o, "years_experience", json_type_double, 0, err,
	    errsz) ||
	    check_type(o, "education", json_type_array, 0, err, errsz) ||
	    check_type(o, "matched_skills", json_type_array, 0, err, errsz) ||
	    check_type(o, "missing_skills", json_type_array, 0, err, errsz) ||
	    check_type(o, "sub_scores", json_type_object, 0, err, errsz) ||
	    check_score(o, "score", err, errsz))
		return -1;
	json_object_object_get_ex(o, "sub_scores", &sub);
	for (i = 0; subs[i] != NULL; i++)
		if (check_score(sub, subs[i], err, errsz) == -1)
			return -1;
	return 0;
}

/*
 * The wait a busy server asks for, in whole seconds (rounded up; 0: none):
 * retry-after-ms (milliseconds, sent by some OpenAI-compatible servers),
 * else Retry-After in seconds or as an HTTP date.
 */
static long
openai_retry_after(const struct http_resp *resp)
{
	char		*v, *end;
	long		 n = 0;
	time_t		 t;

	if ((v = http_resp_header(resp, "retry-after-ms")) != NULL) {
		n = strtol(v, &end, 10);
		n = end != v && n > 0 ? (n + 999) / 1000 : 0;
		free(v);
		if (n > 0)
			return n;
	}
	if ((v = http_resp_header(resp, "retry-after")) == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0') {
		/* "Wed, 21 Oct 2015 07:28:00 GMT" */
		n = 0;
		if ((t = curl_getdate(v, NULL)) != -1 && t > time(NULL))
			n = (long)(t - time(NULL));
	}
	free(v);
	return n > 0 ? n : 0;
}

enum openai_rc
openai_score(const struct openai_cfg *c, const char *prompt,
    struct json_object **out, long *retry_after, char *err, size_t errsz)
{
	struct json_object	*req_o, *msgs, *m, *rf, *js, *resp_o = NULL,
				*v, *choice, *msg, *ans = NULL;
	struct http_req		 req;
	struct http_resp	 resp;
	struct buf		 url = { 0 }, auth = { 0 };
	const char		*hdrs[4], *body, *content;
	enum openai_rc		 rc = OPENAI_UNUSABLE;

	*out = NULL;
	*retry_after = 0;
	req_o = json_object_new_object();
	json_object_object_add(req_o, "model", json_object_new_string(
	    c->model));
	json_object_object_add(req_o, "temperature", json_object_new_double(0));
	msgs = json_object_new_array();
	m = json_object_new_object();
	json_object_object_add(m, "role", json_object_new_string("user"));
	json_object_object_add(m, "content", json_object_new_string(prompt));
	json_object_array_add(msgs, m);
	json_object_object_add(req_o, "messages", msgs);
	rf = json_object_new_object();
	json_object_object_add(rf, "type", json_object_new_string(
	    "json_schema"));
	js = json_object_new_object();
	json_object_object_add(js, "name", json_object_new_string(
	    "resume_score"));
	json_object_object_add(js, "strict", json_object_new_boolean(1));
	json_object_object_add(js, "schema", json_tokener_parse(schema));
	json_object_object_add(rf, "json_schema", js);
	json_object_object_add(req_o, "response_format", rf);
	body = json_object_to_json_string_ext(req_o, JSON_C_TO_STRING_PLAIN);

	buf_printf(&url, "%s/chat/completions", c->base_url);
	buf_printf(&auth, "Authorization: Bearer %s", c->api_key ?
	    c->api_key : "");
	hdrs[0] = "Content-Type: application/json";
	hdrs[1] = auth.data;
	hdrs[2] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url.data;
	req.headers = hdrs;
	req.body = body;
	req.bodylen = strlen(body);
	req.timeout_ms = c->timeout_ms > 0 ? c->timeout_ms : 60000;
	if (http_do(&req, &resp) == -1) {
		snprintf(err, errsz, "scorer unreachable: %s", resp.err);
		rc = OPENAI_RETRY;
		goto out;
	}
	if (resp.status == 408 || resp.status == 409 || resp.status == 429 ||
	    resp.status >= 500) {
		*retry_after = openai_retry_after(&resp);
		/* insufficient_quota is billing: retrying will not help */
		if (resp.body.data && strstr(resp.body.data,
		    "insufficient_quota") != NULL) {
			snprintf(err, errsz, "scorer quota exhausted");
			goto out;
		}
		snprintf(err, errsz, "scorer busy (HTTP %ld)", resp.status);
		rc = OPENAI_RETRY;
		goto out;
	}
	if (resp.status != 200) {
		snprintf(err, errsz, "scorer refused the request (HTTP %ld)",
		    resp.status);
		goto out;
	}
	resp_o = json_tokener_parse(buf_str(&resp.body));
	if (resp_o == NULL || !json_object_object_get_ex(resp_o, "choices",
	    &v) || (choice = json_object_array_get_idx(v, 0)) == NULL ||
	    !json_object_object_get_ex(choice, "message", &msg)) {
		snprintf(err, errsz, "scorer answer is not a chat completion");
		goto out;
	}
	if (json_object_object_get_ex(choice, "finish_reason", &v) &&
	    strcmp(json_object_get_string(v), "stop") != 0) {
		snprintf(err, errsz, "scorer answer ended with %s",
		    json_object_get_string(v));
		goto out;
	}
	if (!json_object_object_get_ex(msg, "content", &v) || v == NULL ||
	    (content = json_object_get_string(v)) == NULL) {
		snprintf(err, errsz, "scorer declined to answer");
		goto out;
	}
	if ((ans = json_tokener_parse(content)) == NULL) {
		snprintf(err, errsz, "scorer answer is not JSON");
		goto out;
	}
	if (openai_validate(ans, err, errsz) == -1)
		goto out;
	*out = ans;
	ans = NULL;
	rc = OPENAI_OK;
out:
	json_object_put(ans);
	json_object_put(resp_o);
	json_object_put(req_o);
	http_resp_free(&resp);
	buf_free(&url);
	if (auth.data != NULL)
		explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	return rc;
}
