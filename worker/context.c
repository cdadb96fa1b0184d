/*
 * The job context a scorer needs, from an event (database) or a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "scorer.h"

struct json_object *
job_context_load(long event_id)
{
	PGresult		*res = NULL;
	struct json_object	*o = NULL;
	char			 ev[24];

	snprintf(ev, sizeof(ev), "%ld", event_id);
	if (db_q(STMT_JOB_CONTEXT, &res, ev) != DB_OK)
		return NULL;
	if (PQntuples(res) == 1) {
		o = json_tokener_parse(db_text(res, 0, "context"));
		if (o != NULL)
			json_object_object_add(o, "hr_username",
			    json_object_new_string(db_text(res, 0,
			    "hr_username")));
	}
	PQclear(res);
	return o;
}

/* Borrow the strings of a list into a malloc'd array. */
static const char **
context_list(struct json_object *o, size_t *n)
{
	const char	**a;
	size_t		  i;

	*n = 0;
	if (o == NULL || !json_object_is_type(o, json_type_array))
		return NULL;
	if ((a = calloc(json_object_array_length(o) + 1, sizeof(*a))) == NULL)
		abort();
	for (i = 0; i < json_object_array_length(o); i++)
		if (json_object_is_type(json_object_array_get_idx(o, i),
		    json_type_string))
			a[(*n)++] = json_object_get_string(
			    json_object_array_get_idx(o, i));
	return a;
}

int
job_context_from_json(struct json_object *o, struct scorer_job *job)
{
	struct json_object	*v, *sk;

	memset(job, 0, sizeof(*job));
	job->max_exp = -1;
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return -1;
	if (json_object_object_get_ex(o, "title", &v))
		job->title = json_object_get_string(v);
	if (json_object_object_get_ex(o, "description", &v))
		job->description = json_object_get_string(v);
	if (json_object_object_get_ex(o, "min_experience", &v) && v != NULL)
		job->min_exp = json_object_get_double(v);
	if (json_object_object_get_ex(o, "max_experience", &v) && v != NULL)
		job->max_exp = json_object_get_double(v);
	if (json_object_object_get_ex(o, "skills", &sk) && sk != NULL) {
		if (json_object_object_get_ex(sk, "required", &v))
			job->required = context_list(v, &job->nrequired);
		if (json_object_object_get_ex(sk, "preferred", &v))
			job->preferred = context_list(v, &job->npreferred);
	}
	return 0;
}

void
job_context_free(struct scorer_job *job)
{
	free(job->required);
	free(job->preferred);
	memset(job, 0, sizeof(*job));
}
