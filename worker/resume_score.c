/*
 * Scoring a stored resume, for the resume and rescore jobs: its text
 * (extracted in a child under limits), the configured scorer's result
 * (the built-in one, or an OpenAI-compatible model given the built-in
 * parser's facts, falling back to the built-in) and its storage on the
 * registration.
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

/*
 * Text of a stored resume: JOB_OK; JOB_FAIL with err when no retry can
 * help (no such object, not a PDF, a PDF the parser refused); JOB_RETRY
 * with err when the storage could not be read now (a server away, an I/O
 * or permission error).
 */
enum job_rc
resume_text(const char *key, struct buf *text, struct pdftext_info *info,
    char *err, size_t errsz)
{
	struct pdftext_limits	 lim;
	struct buf		 pdf = { 0 };
	int			 rc;

	lim.cpu_s = cfg.pdf_cpu_s;
	lim.mem_mb = cfg.pdf_mem_mb;
	lim.wall_ms = cfg.pdf_wall_ms;
	lim.max_text = 1 << 20;
	if (storage_default() == NULL) {
		snprintf(err, errsz, "storage unavailable");
		return JOB_RETRY;
	}
	rc = storage_get(storage_default(), key, &pdf,
	    (size_t)cfg.resume_max_bytes + 1, err, errsz);
	if (rc != 0) {
		buf_free(&pdf);
		return rc == STORAGE_GONE ? JOB_FAIL : JOB_RETRY;
	}
	(void)job_heartbeat();
	rc = pdftext_extract_info(pdf.data, pdf.len, &lim, text, info, err,
	    errsz);
	buf_free(&pdf);
	return rc == 0 ? JOB_OK : rc == -2 ? JOB_RETRY : JOB_FAIL;
}

/* How the text was read, into the result: the track shows it too. */
void
resume_extraction(struct json_object *res, const struct pdftext_info *in)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "method", json_object_new_string(
	    in->ocr_pages > 0 ? "ocr" : "text"));
	json_object_object_add(o, "pages", json_object_new_int(in->pages));
	if (in->ocr_pages > 0) {
		json_object_object_add(o, "ocr_pages",
		    json_object_new_int(in->ocr_pages));
		json_object_object_add(o, "ocr_confidence",
		    json_object_new_int(in->ocr_conf));
	}
	json_object_object_add(o, "needs_review", json_object_new_boolean(
	    in->ocr_pages > 0 && in->ocr_conf < PDFTEXT_OCR_LOW));
	json_object_object_add(res, "extraction", o);
}

/*
 * Store a scorer's result on registration reg (in a tx or alone): a
 * resume's first score (rescore 0), or rescore job rescore's, only while
 * the event's scoring digest is still sig (when not NULL); *stale (may be
 * NULL when rescore is 0) is set when it is not.
 */
int
resume_store_score(long reg, struct json_object *res, long rescore,
    const char *sig, int *stale, double *score)
{
	struct json_object	*v;
	PGresult		*r = NULL;
	const char		*who = "builtin", *ver = SCORER_VERSION;
	char			 id[24], sc[16], jid[24];
	int			 rc;

	*score = json_object_object_get_ex(res, "score", &v) ?
	    json_object_get_double(v) : 0;
	if (json_object_object_get_ex(res, "scorer", &v))
		who = json_object_get_string(v);
	if (json_object_object_get_ex(res, "scorer_version", &v))
		ver = json_object_get_string(v);
	snprintf(id, sizeof(id), "%ld", reg);
	snprintf(sc, sizeof(sc), "%.1f", *score);
	if (rescore == 0)
		return db_q(STMT_REG_SET_SCORE, NULL, id, sc,
		    json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN),
		    who, ver);
	snprintf(jid, sizeof(jid), "%ld", rescore);
	if ((rc = db_q(STMT_REG_RESCORE, &r, id, sc,
	    json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN),
	    who, ver, jid, sig)) == DB_OK)
		*stale = PQntuples(r) == 0;
	PQclear(r);
	return rc;
}

/*
 * What the built-in parser found, for the model to score the same facts:
 * sections, roles with their dates, the Skills section, each skill's
 * years, last use and places, and the evidence quoted for the job's
 * skills.
 */
static struct json_object *
resume_facts(struct json_object *b)
{
	static const char *const keys[] = { "years_experience", "sections",
	    "roles", "skills", "skill_details", "matched_skills",
	    "missing_skills", "evidence", "skill_evidence", "education" };
	struct json_object	*f = json_object_new_object(), *v;
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_object_get_ex(b, keys[i], &v))
			json_object_object_add(f, keys[i], json_object_get(v));
	return f;
}

/* The ATS prompt for text (with the parser's facts) against the job
 * context ctxj. */
static int
resume_prompt(struct json_object *ctxj, const char *text,
    struct json_object *facts, struct buf *out, char *err, size_t errsz)
{
	struct json_object	*vars, *v, *sk;
	struct buf		 src = { 0 };
	const char		*fs;
	int			 rc;

	vars = json_object_new_object();
	json_object_object_add(vars, "title", json_object_new_string(
	    json_object_object_get_ex(ctxj, "title", &v) ?
	    json_object_get_string(v) : ""));
	json_object_object_add(vars, "description", json_object_new_string(
	    json_object_object_get_ex(ctxj, "description", &v) ?
	    json_object_get_string(v) : ""));
	json_object_object_get_ex(ctxj, "skills", &sk);
	json_object_object_add(vars, "required", json_object_new_string(
	    sk && json_object_object_get_ex(sk, "required", &v) ?
	    json_object_to_json_string(v) : "[]"));
	json_object_object_add(vars, "preferred", json_object_new_string(
	    sk && json_object_object_get_ex(sk, "preferred", &v) ?
	    json_object_to_json_string(v) : "[]"));
	json_object_object_add(vars, "min_experience", json_object_new_string(
	    json_object_object_get_ex(ctxj, "min_experience", &v) && v ?
	    json_object_get_string(v) : "0"));
	json_object_object_add(vars, "max_experience", json_object_new_string(
	    json_object_object_get_ex(ctxj, "max_experience", &v) && v ?
	    json_object_get_string(v) : "any"));
	/* A resume is a few pages; cap what a hostile one can send. */
	json_object_object_add(vars, "resume", json_object_new_string_len(text,
	    strlen(text) > 30000 ? 30000 : (int)strlen(text)));
	fs = json_object_to_json_string_ext(facts, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_object_add(vars, "facts", json_object_new_string_len(fs,
	    strlen(fs) > 20000 ? 20000 : (int)strlen(fs)));
	rc = tmpl_load(cfg.template_dir, "ats_prompt", "txt", &src, err, errsz);
	if (rc == 0)
		rc = tmpl_render(src.data, vars, TMPL_RAW, out, err, errsz);
	buf_free(&src);
	json_object_put(vars);
	return rc;
}

/*
 * Score with the configured scorer.  The OpenAI-compatible one retries
 * the job on 429/5xx (honouring Retry-After) and falls back to the
 * built-in scorer, saying so in the result, when its answer is unusable
 * or the attempts run out.  Returns the result (caller puts) or NULL
 * with *rc = JOB_RETRY.
 */
struct json_object *
resume_score(struct job *j, const char *text, struct scorer_job *ctx,
    struct json_object *ctxj, enum job_rc *jrc, char *err, size_t errsz)
{
	struct openai_cfg	 oc;
	struct json_object	*res = NULL, *b, *facts, *v;
	struct buf		 prompt = { 0 };
	char			 why[256];
	long			 ra = 0;
	enum openai_rc		 orc;
	int			 rc;

	if (cfg.ats_provider == NULL || strcmp(cfg.ats_provider, "openai"))
		return scorer_builtin(text, ctx);
	/* the built-in parse first: its facts go with the text, and it is
	 * the fallback */
	b = scorer_builtin(text, ctx);
	facts = resume_facts(b);
	rc = resume_prompt(ctxj, text, facts, &prompt, why, sizeof(why));
	json_object_put(facts);
	if (rc == -1)
		goto fallback;
	memset(&oc, 0, sizeof(oc));
	oc.base_url = cfg.openai_base_url;
	oc.api_key = cfg.openai_api_key;
	oc.model = cfg.openai_model;
	orc = openai_score(&oc, prompt.data, &res, &ra, why, sizeof(why));
	buf_free(&prompt);
	if (orc == OPENAI_OK) {
		json_object_object_add(res, "scorer",
		    json_object_new_string("openai"));
		json_object_object_add(res, "scorer_version",
		    json_object_new_string(cfg.openai_model));
		/* the parser's facts the model was given, and its score */
		json_object_object_add(res, "parser", resume_facts(b));
		if (json_object_object_get_ex(b, "score", &v))
			json_object_object_add(res, "builtin_score",
			    json_object_get(v));
		json_object_put(b);
		return res;
	}
	if (orc == OPENAI_RETRY && j != NULL && j->attempt < j->max_attempts) {
		/* as long as the server asked (an hour at most) */
		j->retry_after = ra > 3600 ? 3600 : ra;
		snprintf(err, errsz, "%s", why);
		*jrc = JOB_RETRY;
		json_object_put(b);
		return NULL;
	}
fallback:
	log_warn("scorer fell back to builtin: %s", why);
	json_object_object_add(b, "fallback_reason",
	    json_object_new_string(why));
	return b;
}
