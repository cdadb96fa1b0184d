/*
 * jobkind: see jobkind.h.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "jobkind.h"

/* Keep in step with sql/026_job_kinds.sql (t/check_jobkind.c). */
const struct job_kind_info job_kind_table[JOB__MAX] = {
	[JOB_NOOP] = { "noop", 3, 10, "no-op" },
	[JOB_RESUME] = { "resume", 5, 120, "score one resume" },
	[JOB_RESCORE] = { "rescore", 3, 3600, "rescore an event" },
	[JOB_MAIL] = { "mail", 8, 120, "send one mail" },
	[JOB_EVENT_MAIL] = { "event_mail", 5, 300,
	    "fan out an event's mail" },
	[JOB_WEBHOOK] = { "webhook", 8, 60, "deliver one webhook" },
	[JOB_RETENTION] = { "retention", 10, 600,
	    "consent and retention purge" },
	[JOB_ERASE_FILES] = { "erase_files", 10, 300, "delete erased files" }
};

const struct job_kind_info *
job_kind_info(enum job_kind k)
{
	return &job_kind_table[k];
}

const char *
job_kind_name(enum job_kind k)
{
	return job_kind_table[k].name;
}

int
job_kind_lookup(const char *name, enum job_kind *k)
{
	int	 i;

	for (i = 0; i < JOB__MAX; i++)
		if (strcmp(job_kind_table[i].name, name) == 0) {
			*k = (enum job_kind)i;
			return 0;
		}
	return -1;
}

const char *
job_resume_args(char *b, size_t sz, long track_id)
{
	snprintf(b, sz, "{\"track_id\": %ld}", track_id);
	return b;
}

const char *
job_webhook_args(char *b, size_t sz, long delivery_id)
{
	snprintf(b, sz, "{\"delivery_id\": %ld}", delivery_id);
	return b;
}

char *
job_erase_files_args(const char *keys)
{
	struct buf	 a = { 0 };

	buf_printf(&a, "{\"keys\": %s}", keys);
	return buf_take(&a);
}
