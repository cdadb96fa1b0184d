/*
 * Interview day: who is told what after commit (interview.h).  Every
 * message goes to its readers' own channels (nchan_user_channel()): a
 * room is its interviewer and the candidates of their queue, told one by
 * one.  Publishing is best effort (lib/nchan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "interview.h"
#include "log.h"
#include "nchan.h"

void
room_set(struct room *rm, const char *iv, long round)
{
	snprintf(rm->iv, sizeof(rm->iv), "%s", iv);
	rm->round = round;
}

/* Add the channel of u (one username or several, comma-separated) to
 * the channel list ch (",user_a,user_b,") unless it is there. */
static void
tell_add(struct buf *ch, const char *u)
{
	struct buf	 probe = { 0 };
	size_t		 n;

	for (; *u != '\0'; u += n + (u[n] == ',')) {
		if ((n = strcspn(u, ",")) == 0)
			continue;
		buf_puts(&probe, ",");
		nchan_user_channel(&probe, u, n);
		buf_puts(&probe, ",");
		if (ch->len == 0 || strstr(ch->data, probe.data) == NULL) {
			if (ch->len == 0)
				buf_puts(ch, ",");
			nchan_user_channel(ch, u, n);
			buf_puts(ch, ",");
		}
		buf_reset(&probe);
	}
	buf_free(&probe);
}

/* Publish o to the channels of ch (",user_a,user_b,"); nchan_publish
 * sends as many requests as the publisher's limits need.  Both are
 * consumed. */
static void
tell_send(struct buf *ch, struct json_object *o)
{
	const char	*msg;

	msg = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (ch->len > 1 && nchan_publish(ch->data + 1, msg) == -1)
		log_warn("tell: some of %zu bytes of channels missed a "
		    "message", ch->len);
	json_object_put(o);
	buf_free(ch);
}

/*
 * After commit: publish {"type": type, ...body} to the channels of a and
 * b (either may be NULL) and each member of room (may be NULL), once
 * each.
 */
void
tell(const char *type, const char *a, const char *b, const struct room *room,
    struct json_object *body)
{
	struct json_object	*o;
	struct buf		 ch = { 0 };
	PGresult		*res = NULL;
	char			 ro[24];
	int			 i;

	o = body ? body : json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(type));
	if (a != NULL)
		tell_add(&ch, a);
	if (b != NULL)
		tell_add(&ch, b);
	if (room != NULL) {
		snprintf(ro, sizeof(ro), "%ld", room->round);
		tell_add(&ch, room->iv);
		if (db_q(STMT_ROOM_MEMBERS, &res, ro, room->iv) == DB_OK)
			for (i = 0; i < PQntuples(res); i++)
				tell_add(&ch, db_text(res, i, "username"));
		else
			log_warn("room %s/%ld: members unknown; told the "
			    "interviewer only", room->iv, room->round);
		PQclear(res);
	}
	tell_send(&ch, o);
}

/*
 * After commit: each candidate of iv's queue in round but those written
 * (w: a QUEUE_WRITTEN result, told of their own place) hears
 * "queue_changed": their place may have moved.
 */
void
tell_waiters(const char *iv, long round, const PGresult *w)
{
	struct json_object	*o;
	struct buf		 ch = { 0 };
	PGresult		*res = NULL;
	const char		*u;
	char			 ro[24];
	int			 i, j, nw;

	snprintf(ro, sizeof(ro), "%ld", round);
	if (db_q(STMT_ROOM_MEMBERS, &res, ro, iv) != DB_OK)
		return;
	nw = w != NULL ? PQntuples(w) : 0;
	for (i = 0; i < PQntuples(res); i++) {
		u = db_text(res, i, "username");
		for (j = 0; j < nw && strcmp(db_text(w, j, "candidate"), u);
		    j++)
			continue;
		if (j == nw)
			tell_add(&ch, u);
	}
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "type",
	    json_object_new_string("queue_changed"));
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell_send(&ch, o);
}

/*
 * After commit: the candidate and the event's HR of queue entry qid, for
 * telling them beside the room.  Best effort: "" when unknown.
 */
void
queue_parties(long qid, char cand[72], char hr[OWNERS_LEN])
{
	PGresult	*res = NULL;
	char		 q[24];

	cand[0] = hr[0] = '\0';
	snprintf(q, sizeof(q), "%ld", qid);
	if (db_q(STMT_QUEUE_PARTIES, &res, q) != DB_OK)
		return;
	if (PQntuples(res) == 1) {
		snprintf(cand, 72, "%s", db_text(res, 0, "candidate"));
		snprintf(hr, OWNERS_LEN, "%s", db_text(res, 0, "owners"));
	}
	PQclear(res);
}

/* Tell an interviewer that their queue in round changed. */
void
tell_queue(const char *iv, long round)
{
	struct json_object	*o;

	o = json_object_new_object();
	json_object_object_add(o, "round_id", json_object_new_int64(round));
	tell("queue_changed", iv, NULL, NULL, o);
}

/* Do row ra of a and row rb of b (QUEUE_WRITTEN or QUEUE_HOLDERS rows)
 * name the same interviewer and round? */
static int
same_queue(const PGresult *a, int ra, const PGresult *b, int rb)
{
	return strcmp(db_text(a, ra, "interviewer"),
	    db_text(b, rb, "interviewer")) == 0 &&
	    db_num(a, ra, "round_id") == db_num(b, rb, "round_id");
}

/*
 * After commit.  w: a QUEUE_WRITTEN result (what the transaction wrote),
 * held: a QUEUE_HOLDERS or QUEUE_LATER_HOLDERS result taken before the
 * change; either may be NULL, neither is freed.  Each interviewer whose
 * queue gained, lost or moved someone hears "queue_changed" once per
 * round; each candidate written hears type with their place.
 */
void
tell_written(const char *type, const PGresult *w, const PGresult *held)
{
	int	 i, j, nw, nh;

	nw = w != NULL ? PQntuples(w) : 0;
	nh = held != NULL ? PQntuples(held) : 0;
	for (i = 0; i < nw; i++)
		if (i == 0 || !same_queue(w, i, w, i - 1))
			tell_queue(db_text(w, i, "interviewer"),
			    db_num(w, i, "round_id"));
	for (j = 0; j < nh; j++) {
		for (i = 0; i < nw && !same_queue(w, i, held, j); i++)
			continue;
		if (i == nw)
			tell_queue(db_text(held, j, "interviewer"),
			    db_num(held, j, "round_id"));
	}
	for (i = 0; i < nw; i++)
		tell(type, db_text(w, i, "candidate"), NULL, NULL,
		    json_tokener_parse(db_text(w, i, "place")));
}
