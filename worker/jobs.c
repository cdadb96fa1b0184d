/*
 * The job kinds this worker runs: one row per kind, with the seconds a run
 * may take and the attempts before a failing job is discarded (applied to
 * every job of the kind whose enqueuer did not choose its own).
 */
#include <string.h>

#include "extern.h"

const struct job_kind job_kinds[] = {
	/* does nothing: queue benchmarks and tests */
	{ "noop", j_noop, 10, 3, "no-op" },
	/* a stored resume: extract, score, candidate, registration */
	{ "resume", j_resume, 120, 5, "score one resume" },
	/* every registration of an event scored again */
	{ "rescore", j_rescore, 3600, 3, "rescore an event" },
	/* one outbox message over SMTP (or to files) */
	{ "mail", j_mail, 120, 8, "send one mail" },
	/* an event's mails: one outbox row and mail job per person */
	{ "event_mail", j_event_mail, 300, 5, "fan out an event's mail" },
	/* one signed webhook delivery */
	{ "webhook", j_webhook, 60, 8, "deliver one webhook" },
	/* the consent and retention sweep; queues its next run */
	{ "retention", j_retention, 600, 10, "consent and retention purge" },
	/* stored resumes of erased people, deleted */
	{ "erase_files", j_erase_files, 300, 10, "delete erased files" },
	{ NULL, NULL, 0, 0, NULL }
};

const struct job_kind *
job_kind_find(const char *kind)
{
	const struct job_kind	*k;

	for (k = job_kinds; k->kind != NULL; k++)
		if (strcmp(k->kind, kind) == 0)
			return k;
	return NULL;
}
