/*
 * ical: interviews as iCalendar objects.  See ical.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "ical.h"

/* Append one content line, folded at 75 octets without splitting a UTF-8
 * sequence (RFC 5545 3.1), ended with CRLF. */
static void
ical_line(struct buf *out, const char *s)
{
	size_t	 n, len = strlen(s), col = 0;

	while (len > 0) {
		n = len;
		if (n > 75 - col) {
			n = 75 - col;
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		}
		buf_append(out, s, n);
		s += n;
		len -= n;
		if (len > 0) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
	}
	buf_puts(out, "\r\n");
}

/* A TEXT value: backslash, semicolon, comma and line breaks escaped. */
static void
ical_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			buf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s != '\r')
			buf_append(b, s, 1);
	}
}

/* A parameter value: quoted, without the characters it cannot hold. */
static void
ical_param(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s != '\0'; s++)
		if (*s != '"' && (unsigned char)*s >= 0x20)
			buf_append(b, s, 1);
	buf_puts(b, "\"");
}

static const char *
ical_str(struct json_object *o, const char *k)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* YYYY-MM-DD, plus days, as YYYYMMDD: 0 or -1. */
static int
ical_date(const char *s, int days, char out[9])
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_hour = 12;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 9, "%Y%m%d", &tm);
	return 0;
}

const char *
ical_method(struct json_object *ics)
{
	const char	*m;

	m = ical_str(ics, "method");
	if (m == NULL || (strcmp(m, "REQUEST") != 0 &&
	    strcmp(m, "CANCEL") != 0))
		return NULL;
	return m;
}

/* The address inside "Name <addr>", or s. */
static void
ical_addr(const char *s, char *out, size_t outsz)
{
	const char	*lt;

	if ((lt = strchr(s, '<')) != NULL)
		s = lt + 1;
	snprintf(out, outsz, "%s", s);
	out[strcspn(out, ">")] = '\0';
}

int
ical_render(struct json_object *ics, const char *to, const char *name,
    const char *organizer, long now, struct buf *out)
{
	struct json_object	*v;
	struct buf		 l = { 0 };
	const char		*method, *uid, *summary, *loc, *desc;
	char			 start[9], end[9], stamp[20], org[256];
	time_t			 t = (time_t)now;
	struct tm		 tm;

	method = ical_method(ics);
	uid = ical_str(ics, "uid");
	summary = ical_str(ics, "summary");
	loc = ical_str(ics, "location");
	desc = ical_str(ics, "description");
	if (method == NULL || uid == NULL || summary == NULL ||
	    !json_object_object_get_ex(ics, "sequence", &v) ||
	    ical_date(ical_str(ics, "start"), 0, start) == -1 ||
	    ical_date(ical_str(ics, "end"), 1, end) == -1)
		return -1;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	ical_addr(organizer, org, sizeof(org));
	ical_line(out, "BEGIN:VCALENDAR");
	ical_line(out, "PRODID:-//Connectify//Bulk hiring//EN");
	ical_line(out, "VERSION:2.0");
	ical_line(out, "CALSCALE:GREGORIAN");
	buf_printf(&l, "METHOD:%s", method);
	ical_line(out, buf_str(&l));
	ical_line(out, "BEGIN:VEVENT");
	buf_reset(&l);
	buf_printf(&l, "UID:%s", uid);
	if (strchr(uid, '@') == NULL && strchr(org, '@') != NULL)
		buf_puts(&l, strchr(org, '@'));
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_printf(&l, "SEQUENCE:%lld", (long long)json_object_get_int64(v));
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_printf(&l, "DTSTAMP:%s", stamp);
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_printf(&l, "DTSTART;VALUE=DATE:%s", start);
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_printf(&l, "DTEND;VALUE=DATE:%s", end);
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_puts(&l, "SUMMARY:");
	ical_text(&l, summary);
	ical_line(out, buf_str(&l));
	if (loc != NULL && *loc != '\0') {
		buf_reset(&l);
		buf_puts(&l, "LOCATION:");
		ical_text(&l, loc);
		ical_line(out, buf_str(&l));
	}
	if (desc != NULL && *desc != '\0') {
		buf_reset(&l);
		buf_puts(&l, "DESCRIPTION:");
		ical_text(&l, desc);
		ical_line(out, buf_str(&l));
	}
	buf_reset(&l);
	buf_printf(&l, "ORGANIZER;CN=Connectify:mailto:%s", org);
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_puts(&l, "ATTENDEE;CN=");
	ical_param(&l, name != NULL && *name != '\0' ? name : to);
	buf_printf(&l, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
	    "RSVP=FALSE:mailto:%s", to);
	ical_line(out, buf_str(&l));
	buf_reset(&l);
	buf_printf(&l, "STATUS:%s", strcmp(method, "CANCEL") == 0 ?
	    "CANCELLED" : "CONFIRMED");
	ical_line(out, buf_str(&l));
	ical_line(out, "TRANSP:OPAQUE");
	ical_line(out, "END:VEVENT");
	ical_line(out, "END:VCALENDAR");
	buf_free(&l);
	return 0;
}
