/*
 * rescore {"event_id", "sig"?}: score every stored resume of the event
 * again, keeping the previous score beside the new one.  With sig (the
 * event's scoring digest when the job was queued, lib/sql/events.def) it
 * stops once the event changed again: the rescore queued by that change
 * does the work with what the event says now.  Each registration records
 * the rescore job that scored it, so a retry of the job goes on with
 * those it did not reach and keeps the previous score from before the
 * job began.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "nchan.h"
#include "openai.h"
#include "tmpl.h"
#include "pdftext.h"
#include "scorer.h"
#include "storage.h"
#include "valid.h"

enum job_rc
j_rescore(struct job *j, char *err, size_t errsz)
{
	struct json_object	*v, *ctxj, *res;
	struct scorer_job	 ctx;
	struct pdftext_info	 info;
	struct buf		 text = { 0 };
	PGresult		*r = NULL;
	const char		*sig = NULL;
	char			 ev[24], jid[24], e2[256];
	long			 event;
	double			 score;
	int			 i, n, done = 0, bad = 0, stale = 0,
				 later = 0;
	enum job_rc		 trc;

	if (!json_object_object_get_ex(j->args, "event_id", &v) ||
	    (event = (long)json_object_get_int64(v)) <= 0) {
		snprintf(err, errsz, "args need an event_id");
		return JOB_FAIL;
	}
	if (json_object_object_get_ex(j->args, "sig", &v) &&
	    json_object_is_type(v, json_type_string))
		sig = json_object_get_string(v);
	if ((ctxj = job_context_load(event)) == NULL) {
		snprintf(err, errsz, "event %ld is gone", event);
		return JOB_FAIL;
	}
	(void)job_context_from_json(ctxj, &ctx);
	snprintf(ev, sizeof(ev), "%ld", event);
	snprintf(jid, sizeof(jid), "%ld", j->id);
	if (db_q(STMT_REG_RESUMES, &r, ev, jid) != DB_OK) {
		job_context_free(&ctx);
		json_object_put(ctxj);
		return JOB_RETRY;
	}
	n = PQntuples(r);
	for (i = 0; i < n && !stale; i++) {
		buf_reset(&text);
		if ((trc = resume_text(db_text(r, i, "resume_key"), &text,
		    &info, e2, sizeof(e2))) != JOB_OK) {
			if (trc == JOB_FAIL)
				bad++;
			else if (later++ == 0)
				snprintf(err, errsz, "%s", e2);
			continue;
		}
		if ((res = resume_score(NULL, text.data, &ctx, ctxj, NULL, e2,
		    sizeof(e2))) == NULL)
			continue;
		resume_extraction(res, &info);
		if (resume_store_score(db_num(r, i, "id"), res, j->id, sig,
		    &stale, &score) == DB_OK && !stale)
			done++;
		json_object_put(res);
		(void)job_heartbeat();
	}
	PQclear(r);
	log_info("event %ld rescored: %d done, %d unreadable, %d to try "
	    "again%s", event, done, bad, later,
	    stale ? "; stopped, the event changed since" : "");
	job_context_free(&ctx);
	json_object_put(ctxj);
	buf_free(&text);
	if (later > 0 && !stale) {
		/* the storage will be back: the retry does the rest */
		snprintf(e2, sizeof(e2), "%d resumes could not be read now: %s",
		    later, err);
		snprintf(err, errsz, "%s", e2);
		return JOB_RETRY;
	}
	return JOB_OK;
}
