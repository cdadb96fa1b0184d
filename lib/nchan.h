/*
 * nchan: publish to nginx's internal nchan publisher.
 *
 * Call only after the transaction that changed the state has committed.
 * Publishing is best effort: subscribers re-read state over REST on
 * reconnect, so a failed publish is logged, never fatal.
 */
#ifndef NCHAN_H
#define NCHAN_H

#include <stddef.h>

/* Where the publisher listens: a unix socket path (or NULL) and a URL
 * prefix such as "http://nchan/pub/".  Copied. */
void	nchan_init(const char *socket, const char *url_prefix);
/*
 * Publish the JSON text msg to channel (or several, comma-separated;
 * names [A-Za-z0-9_.-]).  Returns the publisher's HTTP status (201: some
 * subscriber got it, 202: stored only) or -1 on failure.
 */
int	nchan_publish(const char *channel, const char *msg);
/* Valid channel name: 1 when [A-Za-z0-9_.-]{1,140} (commas allowed). */
int	nchan_channel_valid(const char *);

#endif /* NCHAN_H */
