/*
 * nchan: publish to nginx's internal nchan publisher.
 *
 * Call only after the transaction that changed the state has committed.
 * Publishing is best effort: subscribers re-read state over REST on
 * reconnect, so a failed publish is logged and counted, never fatal.
 */
#ifndef NCHAN_H
#define NCHAN_H

#include <stddef.h>

/*
 * What one publish may name: the publisher location takes up to
 * NCHAN_IDS_MAX characters of channel ids (nginx/connectify.conf.in), and
 * nchan splits one id into at most 255 channels.
 */
#define NCHAN_IDS_MAX		1024
#define NCHAN_BATCH_MAX		255
/* One channel name: [A-Za-z0-9_.-]{1,NCHAN_NAME_MAX}. */
#define NCHAN_NAME_MAX		140

/* Where the publisher listens: a unix socket path (or NULL) and a URL
 * prefix such as "http://nchan/pub/".  Copied. */
void	nchan_init(const char *socket, const char *url_prefix);
/*
 * Called once per publisher request with its HTTP status (-1: no
 * answer); fn NULL: none.  The FastCGI pool counts them in /metrics.
 */
void	nchan_observe(void (*fn)(long status));
/*
 * Publish the JSON text msg to channels: one name or a comma-separated
 * list of any length (empty names skipped), sent in as many requests as
 * the limits above need.  Returns 201 when every request was accepted
 * and some subscriber got it, 202 when every request was accepted and
 * none had a subscriber, or -1 when any request failed (each failure is
 * logged with its channels and status; the other requests are still
 * made).
 */
int	nchan_publish(const char *channels, const char *msg);
/*
 * The one spelling of a user's own channel: append "user_" and the first
 * len bytes of username to b (the only channel a socket subscribes to;
 * nginx's ws-auth hook names it, every publisher writes to it).
 */
struct buf;
void	nchan_user_channel(struct buf *b, const char *username, size_t len);
/* Valid channel list: 1 when it is names [A-Za-z0-9_.-]{1,140} separated
 * by commas (at least one name). */
int	nchan_channel_valid(const char *);

#endif /* NCHAN_H */
