/*
 * Interview day: helpers shared by its handlers (h_queues.c: the queues
 * and the round lookups; tell.c: who is told what; h_actions.c,
 * h_reviews.c, h_attend.c, h_chat.c).
 */
#ifndef INTERVIEW_H
#define INTERVIEW_H

#include <libpq-fe.h>
#include <json-c/json.h>

/*
 * An interviewer's room in a round: the interviewer and every candidate of
 * their queue there (whom /internal/ws-auth admits to that session).  It is
 * not an nchan channel: a socket subscribed to several channels loses
 * messages now and then in nchan 1.3.6, so every socket has one channel,
 * its user's, and tell() publishes a room message to each member's.
 */
struct room {
	char	 iv[72];	/* the interviewer's username */
	long	 round;
};

/* tell.c */
void	room_set(struct room *, const char *iv, long round);
/* The event's owners' usernames, comma-separated (OWNER_NAMES). */
#define OWNERS_LEN	2048

/* After commit: publish {"type": type, ...body} to user_<a>, user_<b>
 * (either may be NULL, or several usernames separated by commas) and
 * each member of room (may be NULL), once each; body (may be NULL) is
 * consumed. */
void	tell(const char *type, const char *a, const char *b,
	    const struct room *, struct json_object *body);
/* After commit: the others waiting for iv in round hear "queue_changed". */
void	tell_waiters(const char *iv, long round, const PGresult *w);
/* Tell an interviewer that their queue in round changed. */
void	tell_queue(const char *iv, long round);
/* After commit: who a QUEUE_WRITTEN result w and a holders result held
 * name hear of it (see tell.c). */
void	tell_written(const char *type, const PGresult *w,
	    const PGresult *held);
/* After commit: queue entry qid's candidate and event owners' usernames. */
void	queue_parties(long qid, char cand[72], char hr[OWNERS_LEN]);

/* h_queues.c */
/* The round's event; 0 after a 404/500 was sent. */
long	round_event(struct reply *, long round);
/* Is user an interviewer of round?  DB_OK with *yes, or the db error. */
int	round_interviewer(long round, long user, int *yes);
/* Send the round's queues (all, or one interviewer's: interviewer > 0). */
void	queues_reply(struct reply *, int status, long round,
	    long interviewer);

#endif /* INTERVIEW_H */
