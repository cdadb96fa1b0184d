/*
 * Resume uploads shared by event creation, bulk additions and candidate
 * registration: decode and check each file, store it, and (inside the
 * caller's transaction) record its track and enqueue its scoring job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "crypto.h"
#include "db.h"
#include "extern.h"
#include "job.h"
#include "log.h"
#include "storage.h"
#include "valid.h"

struct storage *
app_storage(void)
{
	return storage_default();
}

/* A file name as shown back: its last path part, printable, <= 200. */
static int
upload_name_ok(const char *s)
{
	return valid_text(s, 1, 200, 0) && strchr(s, '/') == NULL &&
	    strchr(s, '\\') == NULL;
}

void
uploads_free(struct upload *u, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(u[i].data);
	free(u);
}

int
uploads_prepare(struct req *r, struct json_object *list, struct upload **out,
    size_t *nout)
{
	struct json_object	*e, *v;
	struct upload		*u;
	struct storage		*st;
	const char		*b64;
	char			 err[256];
	size_t			 i, n;

	*out = NULL;
	*nout = 0;
	if (list == NULL || (n = json_object_array_length(list)) == 0)
		return 0;
	if ((u = calloc(n, sizeof(*u))) == NULL)
		abort();
	st = app_storage();
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		u[i].file_name = "";
		if (json_object_object_get_ex(e, "file_name", &v) &&
		    json_object_is_type(v, json_type_string))
			u[i].file_name = json_object_get_string(v);
		if (!upload_name_ok(u[i].file_name)) {
			u[i].error = "file_name must be 1-200 characters, "
			    "without '/'";
			u[i].file_name = "";
			continue;
		}
		if (!json_object_object_get_ex(e, "content_base64", &v) ||
		    !json_object_is_type(v, json_type_string)) {
			u[i].error = "content_base64 is required";
			continue;
		}
		b64 = json_object_get_string(v);
		if (strncmp(b64, "data:", 5) == 0 && strchr(b64, ',') != NULL)
			b64 = strchr(b64, ',') + 1;	/* a data: URL */
		u[i].data = base64_decode(b64, strlen(b64), &u[i].len,
		    (size_t)cfg.resume_max_bytes);
		if (u[i].data == NULL) {
			u[i].error = strlen(b64) / 4 * 3 >
			    (size_t)cfg.resume_max_bytes ?
			    "larger than the resume size limit" :
			    "content_base64 is not valid base64";
			continue;
		}
		if (u[i].len == 0) {
			u[i].error = "empty file";
			continue;
		}
		if (u[i].len < 5 || memcmp(u[i].data, "%PDF-", 5) != 0) {
			u[i].error = "not a PDF";
			continue;
		}
		if (st == NULL || storage_put(st, u[i].data, u[i].len, u[i].key,
		    err, sizeof(err)) == -1) {
			log_error("storage: %s", st ? err : "unavailable");
			u[i].error = "could not be stored; try again";
			continue;
		}
		(void)r;
	}
	*out = u;
	*nout = n;
	return 0;
}

int
uploads_record(struct upload *u, size_t n, long event_id, long uploader,
    long user_id, long reg_id)
{
	PGresult	*res = NULL;
	char		 ev[24], up[24], us[24], rg[24], sz[24], args[64], key[64];
	size_t		 i;
	int		 rc;

	snprintf(ev, sizeof(ev), "%ld", event_id);
	snprintf(up, sizeof(up), "%ld", uploader);
	snprintf(us, sizeof(us), "%ld", user_id);
	snprintf(rg, sizeof(rg), "%ld", reg_id);
	for (i = 0; i < n; i++) {
		if (u[i].error != NULL)
			continue;
		snprintf(sz, sizeof(sz), "%zu", u[i].len);
		rc = db_q(STMT_TRACK_INSERT, &res, ev, u[i].file_name, u[i].key,
		    sz, up, user_id > 0 ? us : NULL, reg_id > 0 ? rg : NULL);
		if (rc != DB_OK)
			return rc;
		u[i].track_id = db_long(res, 0, 0);
		PQclear(res);
		res = NULL;
		snprintf(args, sizeof(args), "{\"track_id\": %ld}",
		    u[i].track_id);
		snprintf(key, sizeof(key), "resume:%ld", u[i].track_id);
		if ((rc = job_enqueue("resume", args, key, 0, 0, 5, NULL)) !=
		    DB_OK)
			return rc;
	}
	return DB_OK;
}

struct json_object *
uploads_json(const struct upload *u, size_t n)
{
	struct json_object	*a, *o;
	size_t			 i;

	a = json_object_new_array_ext((int)n);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "file_name",
		    json_object_new_string(u[i].file_name));
		if (u[i].error != NULL)
			json_object_object_add(o, "error",
			    json_object_new_string(u[i].error));
		else {
			json_object_object_add(o, "track_id",
			    json_object_new_int64(u[i].track_id));
			json_object_object_add(o, "status",
			    json_object_new_string("queued"));
		}
		json_object_array_add(a, o);
	}
	return a;
}

size_t
uploads_good(const struct upload *u, size_t n)
{
	size_t	 i, good = 0;

	for (i = 0; i < n; i++)
		if (u[i].error == NULL)
			good++;
	return good;
}
