/*
 * ical: an interview as an iCalendar object (RFC 5545) for an iTIP
 * message (RFC 5546): METHOD:REQUEST for an invitation or its update,
 * METHOD:CANCEL when it is called off.
 */
#ifndef ICAL_H
#define ICAL_H

#include "buf.h"

struct json_object;

/*
 * Render ics ({uid, sequence, method, start, end, summary, location,
 * description}: dates as YYYY-MM-DD, end inclusive) for the attendee to
 * (name may be "") from organizer (an address, "Name <addr>" allowed),
 * stamped now, into out with CRLF line ends, long lines folded.  0, or -1
 * when a member is missing or malformed.
 */
int	ical_render(struct json_object *ics, const char *to, const char *name,
	    const char *organizer, long now, struct buf *out)
	    __attribute__((warn_unused_result));
/* The METHOD of ics ("REQUEST" or "CANCEL"), or NULL. */
const char *ical_method(struct json_object *ics);

#endif /* ICAL_H */
