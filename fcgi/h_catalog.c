/*
 * The catalog HR picks from when it describes an event: skills and
 * departments (paged lists, new names), and the skills the taxonomy
 * suggests for a job description.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "log.h"
#include "scorer.h"
#include "skills.h"
#include "valid.h"

#define MAX_DESCRIPTION	20000

/* A page of a name list (skills, departments). */
static void
names_page(struct req *r, struct reply *rp, enum stmt st)
{
	PGresult	*res = NULL;
	struct page	 pg;
	int		 rc;

	req_page(r, &pg);
	if ((rc = db_q(st, &res, pg.limit, pg.offset)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_page_raw(rp, r, db_num(res, 0, "count"), &pg,
	    db_text(res, 0, "results"));
	PQclear(res);
}

/* {name}: 201 {id, name}; 409 when it exists in any letter case. */
static void
names_create(struct req *r, struct reply *rp, enum stmt st, const char *what)
{
	struct json_object	*f;
	PGresult		*res = NULL;
	char			 msg[64];
	int			 rc;

	if ((rc = db_q(st, &res, req_str(r, "name"))) == DB_CONFLICT) {
		f = json_object_new_object();
		jv_err(f, "name", "already exists");
		snprintf(msg, sizeof(msg), "That %s already exists.", what);
		reply_error(rp, 409, "already_exists", msg, f);
		return;
	}
	if (rc != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	reply_text(rp, 201, "application/json", db_text(res, 0, "item"),
	    db_len(res, 0, "item"), NULL);
	PQclear(res);
}

const struct field f_skills_list[] = {
	F_PAGE,
	FIELDS_END
};

/* GET skills?page=&page_size=: skill names, by name. */
void
h_skills_list(struct req *r, struct reply *rp)
{
	names_page(r, rp, STMT_SKILL_PAGE);
}

const struct field f_skills_create[] = {
	{ "name", FT_STR, F_REQ, 1, 100, NULL, NULL },
	FIELDS_END
};

/* POST skills {name} (HR): a new skill name. */
void
h_skills_create(struct req *r, struct reply *rp)
{
	names_create(r, rp, STMT_SKILL_INSERT, "skill");
}

const struct field f_departments_list[] = {
	F_PAGE,
	FIELDS_END
};

/* GET departments?page=&page_size=: department names, by name. */
void
h_departments_list(struct req *r, struct reply *rp)
{
	names_page(r, rp, STMT_DEPT_PAGE);
}

const struct field f_departments_create[] = {
	{ "name", FT_STR, F_REQ, 1, 100, NULL, NULL },
	FIELDS_END
};

/* POST departments {name} (HR): a new department. */
void
h_departments_create(struct req *r, struct reply *rp)
{
	names_create(r, rp, STMT_DEPT_INSERT, "department");
}

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

const struct field f_suggest_skills[] = {
	{ "description", FT_TEXT, F_REQ, 1, MAX_DESCRIPTION, NULL, NULL },
	FIELDS_END
};

/*
 * POST suggest-skills {"description"} (HR): 200 {"required",
 * "preferred", "skills": [{name, category, required, mentions}],
 * "taxonomy_size"}; 503 when the taxonomy is not loaded.
 */
void
h_suggest_skills(struct req *r, struct reply *rp)
{
	if (!skills_ready()) {
		reply_error(rp, 503, "unavailable", "the skills taxonomy is "
		    "not loaded", NULL);
		return;
	}
	reply_json(rp, 200, scorer_suggest(req_str(r, "description")));
}
