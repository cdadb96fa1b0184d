/*
 * Resume uploads shared by event creation, bulk additions and candidate
 * registration: decode and check each file, store it, and (inside the
 * caller's transaction) record its track and enqueue its scoring job.
 *
 * Objects are content addressed, so one may serve rows of many uploads.
 * An upload holds a shared session lock on each of its keys from before
 * it stores them until uploads_free(), after its transaction ended;
 * uploads_discard() deletes what a rolled back upload stored only under
 * the key's exclusive lock, which it takes only when no other upload
 * holds the key, and only when no row names the key.  So an object is
 * never deleted while a row names it or an upload is about to.
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

/* The keys of u (those set, and of stored files only when stored) as a
 * text[] literal; 0 when there is none. */
static size_t
uploads_keys(const struct upload *u, size_t n, int stored, struct buf *b)
{
	size_t	 i, k = 0;

	buf_reset(b);
	buf_puts(b, "{");
	for (i = 0; i < n; i++)
		if (u[i].key[0] != '\0' && (!stored || u[i].error == NULL))
			buf_printf(b, "%s\"%s\"", k++ ? "," : "", u[i].key);
	buf_puts(b, "}");
	return k;
}

/* Release the keys' shared locks; the keys are forgotten. */
static void
uploads_unlock(struct upload *u, size_t n)
{
	struct buf	 b = { 0 };
	size_t		 i;

	if (uploads_keys(u, n, 0, &b) > 0)
		db_soft(STMT_STORAGE_KEYS_UNLOCK, b.data);
	for (i = 0; i < n; i++)
		u[i].key[0] = '\0';
	buf_free(&b);
}

void
uploads_free(struct upload *u, size_t n)
{
	size_t	 i;

	if (u == NULL)
		return;
	uploads_unlock(u, n);
	for (i = 0; i < n; i++)
		free(u[i].data);
	free(u);
}

/* Delete key's object when no row names it and no upload holds it. */
static void
uploads_delete(struct storage *st, const char *key)
{
	PGresult	*res = NULL;
	const char	*why = "database error";
	char		 err[256];
	int		 intx = 0, gone = 0;

	if (db_begin() != DB_OK)
		goto out;
	intx = 1;
	if (db_q(STMT_STORAGE_KEY_CLAIM, &res, key) != DB_OK)
		goto out;
	why = "an upload of the same bytes is under way";
	if (!db_bool(res, 0, "claimed"))
		goto out;
	PQclear(res);
	res = NULL;
	why = "database error";
	if (db_q(STMT_STORAGE_KEY_USED, &res, key) != DB_OK)
		goto out;
	why = "named by a row";
	if (db_bool(res, 0, "used"))
		goto out;
	if (storage_delete(st, key, err, sizeof(err)) == -1) {
		log_error("storage: cannot delete %s: %s", key, err);
		why = "not deleted";
		goto out;
	}
	gone = 1;
out:
	PQclear(res);
	/* Nothing was written: ending it either way releases the lock. */
	if (intx)
		db_rollback();
	if (gone)
		log_info("storage: deleted %s, left by a rolled back upload",
		    key);
	else
		log_debug("storage: kept %s: %s", key, why);
}

void
uploads_discard(struct upload *u, size_t n)
{
	struct storage	*st;
	char		(*kept)[sizeof(u->key)];
	size_t		 i, j, nkept = 0;

	if (u == NULL || (st = app_storage()) == NULL)
		return;
	/* The stored keys, once each, before the locks go. */
	if ((kept = calloc(n, sizeof(*kept))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (u[i].key[0] == '\0' || u[i].error != NULL)
			continue;
		for (j = 0; j < nkept && strcmp(kept[j], u[i].key); j++)
			continue;
		if (j == nkept)
			memcpy(kept[nkept++], u[i].key, sizeof(u[i].key));
	}
	uploads_unlock(u, n);
	for (i = 0; i < nkept; i++)
		uploads_delete(st, kept[i]);
	free(kept);
}

int
uploads_prepare(struct req *r, struct json_object *list, struct upload **out,
    size_t *nout)
{
	struct json_object	*e, *v;
	struct upload		*u;
	struct storage		*st;
	struct buf		 keys = { 0 };
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
		storage_key(u[i].data, u[i].len, u[i].key);
	}
	(void)r;
	*out = u;
	*nout = n;
	/* Hold the keys before storing (see the top of this file). */
	if (st == NULL || (uploads_keys(u, n, 0, &keys) > 0 &&
	    db_q(STMT_STORAGE_KEYS_LOCK, NULL, keys.data) != DB_OK)) {
		log_error("storage: %s", st != NULL ? "keys not locked" :
		    "unavailable");
		for (i = 0; i < n; i++)
			if (u[i].key[0] != '\0') {
				u[i].key[0] = '\0';
				u[i].error = "could not be stored; try again";
			}
	}
	buf_free(&keys);
	for (i = 0; i < n; i++) {
		if (u[i].key[0] == '\0' || u[i].error != NULL)
			continue;
		if (storage_put(st, u[i].data, u[i].len, u[i].key, err,
		    sizeof(err)) == -1) {
			log_error("storage: %s", err);
			u[i].error = "could not be stored; try again";
		}
	}
	return 0;
}

int
uploads_record(struct upload *u, size_t n, long event_id, long uploader,
    long user_id, long reg_id)
{
	PGresult	*res = NULL;
	char		 ev[24], up[24], us[24], rg[24], sz[24], args[64],
			 key[64];
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
		u[i].track_id = db_num(res, 0, "id");
		PQclear(res);
		res = NULL;
		snprintf(key, sizeof(key), "resume:%ld", u[i].track_id);
		if ((rc = job_enqueue(JOB_RESUME, job_resume_args(args,
		    sizeof(args), u[i].track_id), key, 0, 0, NULL)) != DB_OK)
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
