/*
 * Mail through the outbox.
 *
 * mail {"outbox_id"}: claim the row (pending/failed -> sending, committed
 * before talking to the server), render its template, send it with a
 * Message-ID fixed by the row, and record the outcome with the server's
 * own reply.  A row found "sending" belonged to an attempt that stopped
 * mid-send (its worker died; the job came back after its lease).  If that
 * attempt had not handed the whole message over (body_sent_at, set just
 * before the final dot), the server cannot have accepted it: it is sent
 * again with the same Message-ID, and the row counts and explains the
 * resend.  If it had, the server most likely accepted it (servers queue a
 * message before they answer the dot): the row becomes "unknown" with the
 * reason and it is not sent again, so no mail goes out twice.  Each
 * attempt's writes are fenced by its number.
 *
 * event_mail {"event_id", "audience", "mailing_id" or "calendar_seq"}:
 * one outbox row (and mail job) per interviewer and/or candidate, keyed by
 * the person and the mailing (HR's send-event-mail) or the calendar change
 * (sql/022_rights.sql), so a retried or repeated job adds nothing while a
 * new mailing (a reminder, changed details) is new mail.
 *
 * A mail whose placeholders hold an "ics" object carries it as an
 * iCalendar invitation (lib/ical.c), a text/calendar part.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "ical.h"
#include "link.h"
#include "log.h"
#include "mail.h"

/* Outbox row + job in the caller's transaction; DB_OK (also when the key
 * was used before). */
static int
outbox_add(const char *key, const char *tmpl, const char *to,
    const char *name, const char *vars)
{
	return db_q(STMT_OUTBOX_ENQUEUE, NULL, key, tmpl, to, name, vars);
}

/* The candidate's placeholders (row of MAIL_CANDIDATE_VARS, its JSON
 * text) with the links that need no sign-in: the registration's status
 * page (none when revoked) and, for a bulk-uploaded candidate who has not
 * confirmed, the consent page.  The caller frees the text. */
static char *
mail_candidate_links(const PGresult *res, long reg)
{
	struct json_object	*o;
	char			 tok[LINK_LEN], url[512], note[768], *out;

	if ((o = json_tokener_parse(db_text(res, 0, "vars"))) == NULL)
		return strdup(db_text(res, 0, "vars"));
	url[0] = note[0] = '\0';
	if (!db_isnull(res, 0, "status_nonce")) {
		link_make("status", reg, db_text(res, 0, "status_nonce"), tok);
		snprintf(url, sizeof(url), "%s/status/%s/", cfg.frontend_url,
		    tok);
	}
	json_object_object_add(o, "status_link", json_object_new_string(url));
	if (!db_isnull(res, 0, "consent_nonce") &&
	    db_bool(res, 0, "unconfirmed")) {
		link_make("consent", reg, db_text(res, 0, "consent_nonce"),
		    tok);
		snprintf(note, sizeof(note), "Your resume reached us through "
		    "the hiring team. Please confirm that we may process your "
		    "details for this application: %s/consent/%s/ (unconfirmed "
		    "details are deleted after %ld days).", cfg.frontend_url,
		    tok, cfg.consent_days);
	}
	json_object_object_add(o, "consent_note",
	    json_object_new_string(note));
	out = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

/* The candidate's invitation: the one of their registration (suffix
 * ""), of HR's mailing (":m<id>") or of a calendar change (":c<seq>"). */
static int
mail_candidate_add(long reg, const char *suffix)
{
	PGresult	*res = NULL;
	char		 id[24], key[96], *vars;
	int		 rc;

	snprintf(id, sizeof(id), "%ld", reg);
	if ((rc = db_q(STMT_MAIL_CANDIDATE_VARS, &res, id)) != DB_OK)
		return rc;
	if (PQntuples(res) == 1) {
		snprintf(key, sizeof(key), "candidate_invite:%ld%s", reg,
		    suffix);
		vars = mail_candidate_links(res, reg);
		rc = outbox_add(key, "candidate_invite", db_text(res, 0,
		    "email"), db_text(res, 0, "name"), vars);
		free(vars);
	}
	PQclear(res);
	return rc;
}

int
mail_candidate_enqueue(long reg)
{
	return mail_candidate_add(reg, "");
}

/*
 * The message's calendar part when vars has an "ics" object: 0 (m->ics
 * set, or none wanted), or -1 when it cannot be rendered.
 */
static int
mail_ics(struct json_object *vars, struct mail_msg *m, long now,
    struct buf *ics)
{
	struct json_object	*o;

	if (!json_object_object_get_ex(vars, "ics", &o) ||
	    !json_object_is_type(o, json_type_object))
		return 0;
	if (ical_render(o, m->to, m->to_name, cfg.mail_from, now, ics) == -1)
		return -1;
	m->ics = buf_str(ics);
	m->ics_method = ical_method(o);
	return 0;
}

/* The row and attempt whose message is being handed over. */
struct mail_mark {
	const char	*id;
	const char	*att;
};

/* mail_cfg.body_sent: only the final dot remains.  The connection is
 * idle during the SMTP talk. */
static void
mail_body_sent(void *arg)
{
	struct mail_mark	*mk = arg;

	db_soft(STMT_OUTBOX_BODY_SENT, mk->id, mk->att);
}

/*
 * Record a sent message and complete the job in one transaction: 0, -1
 * on a database error (worth another try), -2 when a later attempt has
 * the row or the job (nothing of ours to record).
 */
static int
mail_record_sent(struct job *j, const char *id, const char *att,
    const char *reply)
{
	PGresult	*res = NULL;
	int		 ours;

	if (db_begin() != DB_OK)
		return -1;
	if (db_q(STMT_OUTBOX_FINISH, &res, id, "sent", reply, att) != DB_OK) {
		db_rollback();
		return -1;
	}
	ours = PQntuples(res) == 1;
	PQclear(res);
	if (!ours || job_complete_tx(j) == -1) {
		db_rollback();
		return ours ? -1 : -2;
	}
	if (db_commit() != DB_OK) {
		db_rollback();
		return -1;
	}
	return 0;
}

/* One outbox row claimed for sending. */
struct outbox {
	long			 oid;
	char			 id[24], att[16], tmpl[64], to[256],
				 name[256];
	struct json_object	*vars;
};

/*
 * Claim outbox row ob->oid for this attempt (ob filled): JOB_OK with
 * *claimed set; or how the job ends when it cannot be claimed (JOB_OK: sent
 * already; JOB_FAIL with err; JOB_RETRY).
 */
static enum job_rc
mail_claim(struct outbox *ob, int *claimed, char *err, size_t errsz)
{
	PGresult	*res = NULL;
	const char	*status;

	if (db_q(STMT_OUTBOX_BEGIN_SEND, &res, ob->id) != DB_OK)
		return JOB_RETRY;
	if ((*claimed = PQntuples(res) > 0)) {
		snprintf(ob->tmpl, sizeof(ob->tmpl), "%s",
		    db_text(res, 0, "template"));
		snprintf(ob->to, sizeof(ob->to), "%s",
		    db_text(res, 0, "to_addr"));
		snprintf(ob->name, sizeof(ob->name), "%s",
		    db_text(res, 0, "to_name"));
		ob->vars = json_tokener_parse(db_text(res, 0, "vars"));
		snprintf(ob->att, sizeof(ob->att), "%s",
		    db_text(res, 0, "attempts"));
		if (db_bool(res, 0, "resend"))
			log_warn("outbox %ld: %s", ob->oid,
			    db_text(res, 0, "last_interruption"));
		PQclear(res);
		return JOB_OK;
	}
	PQclear(res);
	res = NULL;
	if (db_q(STMT_OUTBOX_STATUS, &res, ob->id) != DB_OK)
		return JOB_RETRY;
	status = PQntuples(res) ? db_text(res, 0, "status") : "gone";
	if (strcmp(status, "sent") == 0) {
		PQclear(res);
		return JOB_OK;
	}
	if (strcmp(status, "sending") == 0) {
		/* Handed over, then cut off before the server's answer: it
		 * has most likely been accepted (servers queue before they
		 * answer), so never twice. */
		snprintf(err, errsz, "attempt %s stopped after handing the "
		    "message over at %s, before the server's answer: it may "
		    "have been accepted, so it is not sent again",
		    db_text(res, 0, "attempts"),
		    db_text(res, 0, "body_sent_at"));
		db_soft(STMT_OUTBOX_FINISH, ob->id, "unknown", err,
		    db_text(res, 0, "attempts"));
	} else
		snprintf(err, errsz, "outbox %ld is %s", ob->oid, status);
	PQclear(res);
	return JOB_FAIL;
}

/*
 * The message of ob in m (its parts in the buffers, the caller frees
 * them): 0, or -1 with err when it cannot be rendered.
 */
static int
mail_compose(struct outbox *ob, struct mail_msg *m, char *msgid,
    size_t msgidsz, struct buf parts[4], char *err, size_t errsz)
{
	static const char *const later_vars[] = { "calendar_note",
	    "status_link", "consent_note" };
	char		 host[64];
	time_t		 now = time(NULL);
	int		 i;

	if (ob->vars == NULL)
		ob->vars = json_object_new_object();
	/* rows queued before invitations carried calendars and links */
	for (i = 0; i < 3; i++)
		if (!json_object_object_get_ex(ob->vars, later_vars[i], NULL))
			json_object_object_add(ob->vars, later_vars[i],
			    json_object_new_string(""));
	if (mail_render(ob->tmpl, ob->vars, (long)now, &parts[0], &parts[1],
	    &parts[2], err, errsz) == -1)
		return -1;
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "connectify");
	host[sizeof(host) - 1] = '\0';
	snprintf(msgid, msgidsz, "<outbox-%ld@%s>", ob->oid, host);
	memset(m, 0, sizeof(*m));
	m->to = ob->to;
	m->to_name = ob->name;
	m->subject = parts[0].data;
	m->text = parts[1].data;
	m->html = parts[2].data;
	m->message_id = msgid;
	if (mail_ics(ob->vars, m, (long)now, &parts[3]) == -1) {
		snprintf(err, errsz, "outbox %ld: its calendar invitation "
		    "cannot be rendered", ob->oid);
		return -1;
	}
	return 0;
}

enum job_rc
j_mail(struct job *j, char *err, size_t errsz)
{
	struct json_object	*v;
	struct outbox		 ob;
	struct mail_cfg		 mc;
	struct mail_msg		 m;
	struct mail_mark	 mk;
	struct buf		 parts[4];
	char			 msgid[128], detail[512];
	int			 i, rec = -1, claimed = 0;
	enum mail_rc		 mrc;
	enum job_rc		 out;

	memset(&ob, 0, sizeof(ob));
	memset(parts, 0, sizeof(parts));
	if (!json_object_object_get_ex(j->args, "outbox_id", &v) ||
	    (ob.oid = (long)json_object_get_int64(v)) <= 0) {
		snprintf(err, errsz, "args need an outbox_id");
		return JOB_FAIL;
	}
	snprintf(ob.id, sizeof(ob.id), "%ld", ob.oid);
	if ((out = mail_claim(&ob, &claimed, err, errsz)) != JOB_OK ||
	    !claimed)
		return out;
	if (mail_compose(&ob, &m, msgid, sizeof(msgid), parts, err,
	    errsz) == -1) {
		db_soft(STMT_OUTBOX_FINISH, ob.id, "failed", err, ob.att);
		out = JOB_FAIL;
		goto out;
	}
	mail_config(&mc, 30000);
	mk.id = ob.id;
	mk.att = ob.att;
	mc.body_sent = mail_body_sent;
	mc.body_arg = &mk;
	mrc = mail_send(&mc, &m, detail, sizeof(detail));
	if (mrc != MAIL_OK) {
		db_soft(STMT_OUTBOX_FINISH, ob.id, "failed", detail, ob.att);
		snprintf(err, errsz, "%s", detail);
		out = mrc == MAIL_PERMFAIL ? JOB_FAIL : JOB_RETRY;
		goto out;
	}
	/* Accepted: record it, trying a little while the database is
	 * away, since a row left "sending" would be sent again. */
	for (i = 0; i < 5 && (rec = mail_record_sent(j, ob.id, ob.att,
	    detail)) == -1; i++) {
		sleep(1);
		(void)job_heartbeat();
	}
	if (rec != 0) {
		log_error("outbox %ld sent (%s) but not recorded%s", ob.oid,
		    detail, rec == -2 ? ": a later attempt has it" : "");
		snprintf(err, errsz, "sent; recording failed");
		out = JOB_FAIL;
		goto out;
	}
	log_info("mail %s to %s: %s", ob.tmpl, ob.to, detail);
	out = JOB_OK;
out:
	json_object_put(ob.vars);
	for (i = 0; i < 4; i++)
		buf_free(&parts[i]);
	return out;
}

enum job_rc
j_event_mail(struct job *j, char *err, size_t errsz)
{
	struct json_object	*v;
	PGresult		*res = NULL;
	const char		*aud = "all";
	char			 ev[24], key[96], sfx[32] = "";
	long			 event;
	int			 i, rc = DB_OK;

	if (!json_object_object_get_ex(j->args, "event_id", &v) ||
	    (event = (long)json_object_get_int64(v)) <= 0) {
		snprintf(err, errsz, "args need an event_id");
		return JOB_FAIL;
	}
	if (json_object_object_get_ex(j->args, "audience", &v))
		aud = json_object_get_string(v);
	if (json_object_object_get_ex(j->args, "mailing_id", &v))
		snprintf(sfx, sizeof(sfx), ":m%lld",
		    (long long)json_object_get_int64(v));
	else if (json_object_object_get_ex(j->args, "calendar_seq", &v))
		snprintf(sfx, sizeof(sfx), ":c%lld",
		    (long long)json_object_get_int64(v));
	snprintf(ev, sizeof(ev), "%ld", event);
	if (db_begin() != DB_OK)
		return JOB_RETRY;
	if (strcmp(aud, "candidates") != 0) {
		if ((rc = db_q(STMT_MAIL_INTERVIEWERS, &res, ev)) != DB_OK)
			goto fail;
		for (i = 0; i < PQntuples(res) && rc == DB_OK; i++) {
			snprintf(key, sizeof(key), "interviewer_invite:"
			    "%ld:%s%s", event, db_text(res, i, "id"), sfx);
			rc = outbox_add(key, "interviewer_invite",
			    db_text(res, i, "email"), db_text(res, i, "name"),
			    db_text(res, i, "vars"));
		}
		PQclear(res);
		res = NULL;
		if (rc != DB_OK)
			goto fail;
	}
	if (strcmp(aud, "interviewers") != 0) {
		if ((rc = db_q(STMT_MAIL_REGISTRATIONS, &res, ev)) != DB_OK)
			goto fail;
		for (i = 0; i < PQntuples(res) && rc == DB_OK; i++)
			rc = mail_candidate_add(db_num(res, i, "id"), sfx);
		PQclear(res);
		res = NULL;
		if (rc != DB_OK)
			goto fail;
	}
	if (job_complete_tx(j) == -1 || db_commit() != DB_OK)
		goto fail;
	return JOB_OK;
fail:
	PQclear(res);
	db_rollback();
	snprintf(err, errsz, "database error %d", rc);
	return JOB_RETRY;
}
