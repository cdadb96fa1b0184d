/*
 * turn: see turn.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "crypto.h"
#include "http.h"
#include "turn.h"
#include "twilio.h"

char *
turn_coturn_credential(const char *secret, const char *username)
{
	unsigned char	 mac[SHA1_LEN];

	hmac_sha1(secret, strlen(secret), username, strlen(username), mac);
	return base64_encode(mac, sizeof(mac));
}

struct json_object *
turn_coturn_ice(const char *secret, const char *user, long ttl, long now,
    const char *urls)
{
	struct json_object	*root, *list, *stun, *turn, *su, *tu;
	const char		*p = urls;
	char			 username[128], *cred;
	size_t			 len;

	snprintf(username, sizeof(username), "%ld:%s", now + ttl, user);
	su = json_object_new_array();
	tu = json_object_new_array();
	while (*p != '\0') {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if ((len = strcspn(p, ", \t\n")) == 0)
			break;
		json_object_array_add(strncmp(p, "stun", 4) == 0 ? su : tu,
		    json_object_new_string_len(p, (int)len));
		p += len;
	}
	list = json_object_new_array();
	if (json_object_array_length(su) > 0) {
		stun = json_object_new_object();
		json_object_object_add(stun, "urls", su);
		json_object_array_add(list, stun);
	} else
		json_object_put(su);
	if (json_object_array_length(tu) > 0) {
		cred = turn_coturn_credential(secret, username);
		turn = json_object_new_object();
		json_object_object_add(turn, "urls", tu);
		json_object_object_add(turn, "username",
		    json_object_new_string(username));
		json_object_object_add(turn, "credential",
		    json_object_new_string(cred));
		json_object_object_add(turn, "credentialType",
		    json_object_new_string("password"));
		json_object_array_add(list, turn);
		free(cred);
	} else
		json_object_put(tu);
	root = json_object_new_object();
	json_object_object_add(root, "ice_servers", list);
	json_object_object_add(root, "ttl", json_object_new_int64(ttl));
	return root;
}

/* Copy urls/username/credential of each Twilio entry; NULL if unusable. */
static struct json_object *
turn_twilio_servers(struct json_object *in)
{
	struct json_object	*list, *e, *o, *v;
	static const char *const keep[] = { "urls", "username", "credential",
	    NULL };
	size_t			 i, k;

	if (!json_object_is_type(in, json_type_array) ||
	    json_object_array_length(in) == 0)
		return NULL;
	list = json_object_new_array();
	for (i = 0; i < json_object_array_length(in); i++) {
		e = json_object_array_get_idx(in, i);
		if (!json_object_object_get_ex(e, "urls", &v) &&
		    !json_object_object_get_ex(e, "url", &v))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "urls", json_object_get(v));
		for (k = 1; keep[k] != NULL; k++)
			if (json_object_object_get_ex(e, keep[k], &v) &&
			    json_object_is_type(v, json_type_string))
				json_object_object_add(o, keep[k],
				    json_object_get(v));
		json_object_array_add(list, o);
	}
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

enum turn_rc
turn_twilio_ice(const struct turn_twilio_cfg *c, struct json_object **out,
    long *retry_after, char *err, size_t errsz)
{
	struct twilio_auth	 ta = { c->base, c->account_sid, c->auth_token,
	    c->api_key, c->api_secret };
	struct http_resp	 resp;
	struct json_object	*o = NULL, *v, *list;
	char			*ra, form[32];
	enum turn_rc		 rc = TURN_UPSTREAM_BAD;
	long			 ttl;

	*out = NULL;
	*retry_after = 0;
	if (!twilio_configured(&ta)) {
		snprintf(err, errsz, "Twilio credentials are not configured");
		return TURN_UPSTREAM_AUTH;
	}
	snprintf(form, sizeof(form), "Ttl=%ld", c->ttl);
	if (twilio_post(&ta, "Tokens.json", form, &resp) == -1) {
		snprintf(err, errsz, "Twilio unreachable: %s", resp.err);
		rc = TURN_UPSTREAM_BUSY;
		goto out;
	}
	if (resp.status == 401 || resp.status == 403) {
		snprintf(err, errsz, "Twilio refused our credentials "
		    "(HTTP %ld)", resp.status);
		rc = TURN_UPSTREAM_AUTH;
		goto out;
	}
	if (resp.status == 429 || resp.status >= 500) {
		if ((ra = http_resp_header(&resp, "Retry-After")) != NULL) {
			*retry_after = strtol(ra, NULL, 10);
			free(ra);
		}
		snprintf(err, errsz, "Twilio is busy (HTTP %ld)", resp.status);
		rc = TURN_UPSTREAM_BUSY;
		goto out;
	}
	if (resp.status != 201 && resp.status != 200) {
		snprintf(err, errsz, "Twilio answered HTTP %ld", resp.status);
		goto out;
	}
	o = json_tokener_parse(buf_str(&resp.body));
	if (o == NULL || !json_object_object_get_ex(o, "ice_servers", &v) ||
	    (list = turn_twilio_servers(v)) == NULL) {
		snprintf(err, errsz, "Twilio's answer has no ice_servers");
		goto out;
	}
	ttl = c->ttl;
	if (json_object_object_get_ex(o, "ttl", &v))
		ttl = strtol(json_object_get_string(v), NULL, 10);
	*out = json_object_new_object();
	json_object_object_add(*out, "ice_servers", list);
	json_object_object_add(*out, "ttl", json_object_new_int64(ttl));
	rc = TURN_OK;
out:
	json_object_put(o);
	http_resp_free(&resp);
	return rc;
}
