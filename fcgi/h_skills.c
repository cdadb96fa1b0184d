/*
 * The skills taxonomy for HR: from a job description to the skills to ask
 * for.
 */
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "extern.h"
#include "log.h"
#include "scorer.h"
#include "skills.h"
#include "valid.h"

#define MAX_DESCRIPTION	20000

/* This process's taxonomy, loaded on first use (a SIGHUP replaces the
 * process, so the next one reads the file again). */
static int
skills_ready(void)
{
	static int	 tried;
	struct skills	*sk;
	char		 err[256];

	if (!tried) {
		tried = 1;
		if ((sk = skills_load(cfg.skills_file, err, sizeof(err))) ==
		    NULL)
			log_error("skills taxonomy: %s", err);
		else
			skills_set_default(sk);
	}
	return skills_count(skills_default()) > 0;
}

/*
 * POST /bulk_hiring/event/v1/suggest-skills {"description"}: 200
 * {"required", "preferred", "skills": [{name, category, required,
 * mentions}], "taxonomy_size"}.
 */
void
h_suggest_skills(struct req *r, struct reply *rp)
{
	struct json_object	*errs;
	const char		*desc;

	errs = json_object_new_object();
	desc = jv_text(r->json, "description", 1, 1, MAX_DESCRIPTION, errs);
	if (json_object_object_length(errs) > 0) {
		reply_invalid(rp, errs);
		return;
	}
	json_object_put(errs);
	if (!skills_ready()) {
		reply_error(rp, 503, "unavailable", "the skills taxonomy is not "
		    "loaded", NULL);
		return;
	}
	reply_json(rp, 200, scorer_suggest(desc));
}
