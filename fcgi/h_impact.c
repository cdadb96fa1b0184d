/*
 * Voluntary self-identification and the adverse-impact report
 * (sql/021_decisions.sql).  Candidates answer for themselves, with
 * consent; only the organisation admin reads the report, and only as
 * counts per stage and group.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "db.h"
#include "extern.h"
#include "stats.h"
#include "valid.h"

#define IMPACT_MIN	5	/* fewer applicants: too few to judge */
#define FOUR_FIFTHS	0.8

/* Send the caller's categories and answers. */
static void
selfid_reply(struct req *r, struct reply *rp, int status)
{
	PGresult	*res = NULL;
	char		 me[24];
	int		 rc;

	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if ((rc = db_q(STMT_SELFID_JSON, &res, me)) != DB_OK)
		reply_db(rp, rc);
	else
		reply_text(rp, status, "application/json",
		    db_text(res, 0, "selfid"), db_len(res, 0, "selfid"), NULL);
	PQclear(res);
}

/* Candidates only: 1, or 0 after a 403. */
static int
selfid_candidate(struct req *r, struct reply *rp)
{
	if (strcmp(r->who.user_type, "Interviewee") == 0)
		return 1;
	reply_error(rp, 403, "forbidden", "Only candidates identify "
	    "themselves.", NULL);
	return 0;
}

const struct field f_self_identification[] = {
	FIELDS_END
};

/* GET self-identification: the categories and the caller's answers. */
void
h_selfid_get(struct req *r, struct reply *rp)
{
	if (selfid_candidate(r, rp))
		selfid_reply(r, rp, 200);
}

#define SELFID_MSG	"an object of category: value, with consent"

/* answers: at most 20 categories. */
static void
selfid_answers_check(const char *name, struct json_object *ans,
    struct json_object *errs)
{
	if (json_object_object_length(ans) > 20)
		jv_err(errs, name, SELFID_MSG);
}

const struct field f_self_identification_set[] = {
	{ "consent", FT_BOOL, F_REQ, 0, 0, NULL, NULL },
	{ "answers", FT_OBJECT, 0, 0, 0, NULL, selfid_answers_check },
	FIELDS_END
};

/*
 * POST self-identification {consent, answers: {category: value}}: with
 * consent, the answers replace the caller's; without, every answer goes.
 */
void
h_selfid_post(struct req *r, struct reply *rp)
{
	struct json_object	*errs = NULL, *ans;
	PGresult		*res = NULL;
	const char		*aj = NULL;
	char			 me[24];
	int			 consent, rc;

	consent = req_bool(r, "consent");
	ans = req_obj(r, "answers");
	if (!selfid_candidate(r, rp))
		return;
	errs = json_object_new_object();
	if (consent && (ans == NULL || json_object_object_length(ans) == 0)) {
		jv_err(errs, "answers", SELFID_MSG);
		goto invalid;
	}
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	if (consent) {
		aj = json_object_to_json_string(ans);
		if ((rc = db_q(STMT_SELFID_BAD, &res, aj)) != DB_OK)
			goto dberr;
		if (PQntuples(res) > 0) {
			jv_err(errs, "answers", "has a category or value that "
			    "is not offered (see GET self-identification)");
			goto invalid;
		}
	}
	if ((rc = db_begin()) != DB_OK ||
	    (rc = db_q(STMT_SELFID_CLEAR, NULL, me)) != DB_OK ||
	    (consent && (rc = db_q(STMT_SELFID_SET, NULL, me, aj)) != DB_OK) ||
	    (rc = db_commit()) != DB_OK) {
		db_rollback();
		goto dberr;
	}
	selfid_reply(r, rp, 200);
	goto out;
invalid:
	reply_invalid(rp, errs);
	errs = NULL;
	goto out;
dberr:
	reply_db(rp, rc);
out:
	json_object_put(errs);
	PQclear(res);
}

/* One group of a stage's category, judged against the rest (tot_n
 * applicants, tot_k advanced) and the highest rate (best, or < 0). */
static struct json_object *
impact_group(const PGresult *res, int i, long tot_n, long tot_k, double best)
{
	struct json_object	*g;
	long			 n, k;
	double			 rate, ratio;

	n = db_num(res, i, "applicants");
	k = db_num(res, i, "advanced");
	rate = n > 0 ? (double)k / (double)n : 0;
	g = json_object_new_object();
	json_object_object_add(g, "group",
	    json_object_new_string(db_text(res, i, "value")));
	json_object_object_add(g, "applicants", json_object_new_int64(n));
	json_object_object_add(g, "advanced", json_object_new_int64(k));
	json_object_object_add(g, "selection_rate",
	    json_object_new_double(round(rate * 10000) / 10000));
	if (n < IMPACT_MIN || best <= 0) {
		json_object_object_add(g, "impact_ratio", NULL);
		json_object_object_add(g, "four_fifths_flag", NULL);
		json_object_object_add(g, "fisher_p", NULL);
		json_object_object_add(g, "judgement", json_object_new_string(
		    n < IMPACT_MIN ? "too few to judge" : "no selections"));
		return g;
	}
	ratio = rate / best;
	json_object_object_add(g, "impact_ratio",
	    json_object_new_double(round(ratio * 10000) / 10000));
	json_object_object_add(g, "four_fifths_flag",
	    json_object_new_boolean(ratio < FOUR_FIFTHS));
	json_object_object_add(g, "fisher_p", json_object_new_double(
	    fisher_exact(k, n - k, tot_k - k, (tot_n - n) - (tot_k - k))));
	json_object_object_add(g, "judgement", json_object_new_string(
	    ratio < FOUR_FIFTHS ? "adverse impact (four-fifths rule)" :
	    "within the four-fifths rule"));
	return g;
}

/* Rows [from, to) of res: one stage's category. */
static struct json_object *
impact_category(const PGresult *res, int from, int to)
{
	struct json_object	*c, *groups;
	long			 n = 0, k = 0, gn;
	double			 best = -1, rate;
	int			 i;

	for (i = from; i < to; i++) {
		gn = db_num(res, i, "applicants");
		n += gn;
		k += db_num(res, i, "advanced");
		rate = gn > 0 ? (double)db_num(res, i, "advanced") /
		    (double)gn : 0;
		if (gn >= IMPACT_MIN && rate > best)
			best = rate;
	}
	groups = json_object_new_array();
	for (i = from; i < to; i++)
		json_object_array_add(groups, impact_group(res, i, n, k, best));
	c = json_object_new_object();
	json_object_object_add(c, "category",
	    json_object_new_string(db_text(res, from, "category")));
	json_object_object_add(c, "groups", groups);
	return c;
}

/* Do rows i and i - 1 differ in column name? */
static int
impact_differ(const PGresult *res, int i, const char *name)
{
	return strcmp(db_text(res, i, name), db_text(res, i - 1, name)) != 0;
}

/* Does row i begin another block than row i - 1 (stage, or category)? */
static int
impact_break(const PGresult *res, int i, int cat)
{
	return i == 0 || impact_differ(res, i, "pos") ||
	    impact_differ(res, i, "stage") ||
	    (cat && impact_differ(res, i, "category"));
}

const struct field f_adverse_impact[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	FIELDS_END
};

/*
 * GET adverse-impact?event_id= (the organisation admin): per stage, per
 * self-identified group: applicants, advanced, selection rate, its ratio
 * to the highest rate of a group of at least 5, the four-fifths flag,
 * Fisher's exact p (the group against the rest), or too few to judge.
 */
void
h_impact_get(struct req *r, struct reply *rp)
{
	struct json_object	*o, *stages, *st = NULL, *cats = NULL;
	PGresult		*res = NULL;
	char			 ev[24];
	long			 id;
	int			 rc, i, j, n;

	id = req_long(r, "event_id");
	snprintf(ev, sizeof(ev), "%ld", id);
	if ((rc = db_q(STMT_IMPACT_EVENT, &res, ev)) != DB_OK ||
	    PQntuples(res) == 0) {
		PQclear(res);
		if (rc == DB_OK)
			reply_error(rp, 404, "not_found", "No such event.",
			    NULL);
		else
			reply_db(rp, rc);
		return;
	}
	PQclear(res);
	if ((rc = db_q(STMT_IMPACT_COUNTS, &res, ev)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	stages = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n; i = j) {
		if (impact_break(res, i, 0)) {
			st = json_object_new_object();
			cats = json_object_new_array();
			json_object_object_add(st, "stage",
			    json_object_new_string(db_text(res, i, "stage")));
			json_object_object_add(st, "position",
			    json_object_new_int64(db_num(res, i, "pos")));
			json_object_object_add(st, "categories", cats);
			json_object_array_add(stages, st);
		}
		for (j = i + 1; j < n && !impact_break(res, j, 1); j++)
			continue;
		json_object_array_add(cats, impact_category(res, i, j));
	}
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "event_id", json_object_new_int64(id));
	json_object_object_add(o, "min_group", json_object_new_int(IMPACT_MIN));
	json_object_object_add(o, "stages", stages);
	reply_json(rp, 200, o);
}
