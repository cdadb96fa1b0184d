/*
 * Mailing an event's people: invitations and reminders, queued for the
 * worker, which sends each person the mailing once.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"

/* 409 already_sent: the same mail went out at when (ISO). */
static void
mail_refuse_repeat(struct req *r, struct reply *rp, const char *when)
{
	struct json_object	*root, *err;
	char			 msg[160];

	snprintf(msg, sizeof(msg), "This mail was sent at %s; the same mail "
	    "goes again only after %ld minutes, or once the event changed.",
	    when, cfg.mail_repeat_window / 60);
	root = json_object_new_object();
	err = json_object_new_object();
	json_object_object_add(err, "code",
	    json_object_new_string("already_sent"));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(err, "sent_at", json_object_new_string(when));
	json_object_object_add(err, "request_id",
	    json_object_new_string(r->id));
	json_object_object_add(root, "error", err);
	reply_json(rp, 409, root);
}

static const char *const mail_audiences[] = { "interviewers", "candidates",
    "all", NULL };
static const char *const mail_kinds[] = { "invite", "reminder", NULL };

const struct field f_send_event_mail[] = {
	{ "event_id", FT_ID, F_REQ, 0, 0, NULL, NULL },
	{ "audience", FT_ENUM, 0, 1, 16, mail_audiences, NULL },
	{ "kind", FT_ENUM, 0, 1, 16, mail_kinds, NULL },
	FIELDS_END
};

/*
 * POST send-event-mail {event_id, audience: interviewers|candidates|all,
 * kind: invite|reminder} (the event's HR): 202 {queued, mailing_id,
 * kind}; the worker sends the mailing to each person once, across
 * retries and crashes.  The same mail (kind, the event's details, an
 * overlapping audience) within MAIL_REPEAT_WINDOW is refused: 409
 * already_sent with sent_at.  A reminder, or the invitation after the
 * event changed, is a new mail.
 */
void
h_send_event_mail(struct req *r, struct reply *rp)
{
	struct json_object	*o;
	PGresult		*res = NULL;
	const char		*aud, *kind;
	char			 ev[24], me[24], win[24];
	long			 id;
	int			 rc;

	id = req_long(r, "event_id");
	if ((aud = req_str(r, "audience")) == NULL)
		aud = "all";
	if ((kind = req_str(r, "kind")) == NULL)
		kind = "invite";
	if ((rc = event_role(r, rp, id, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "can mail its people.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", id);
	snprintf(me, sizeof(me), "%ld", r->who.user_id);
	snprintf(win, sizeof(win), "%ld", cfg.mail_repeat_window);
	if ((rc = db_q(STMT_MAILING_ADD, &res, ev, aud, kind, me, win)) !=
	    DB_OK) {
		reply_db(rp, rc);
		return;
	}
	if (db_isnull(res, 0, "mailing_id")) {
		mail_refuse_repeat(r, rp, db_text(res, 0, "sent_at"));
		PQclear(res);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "queued", json_object_new_boolean(1));
	json_object_object_add(o, "mailing_id",
	    json_object_new_int64(db_num(res, 0, "mailing_id")));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "audience", json_object_new_string(aud));
	json_object_object_add(o, "message", json_object_new_string(
	    "Mails are on their way."));
	PQclear(res);
	reply_json(rp, 202, o);
}
