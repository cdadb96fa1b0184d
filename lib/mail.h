/*
 * mail: RFC 5322 messages (multipart/alternative: text, then HTML) sent
 * over SMTP with libcurl, or written as .eml files.
 */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>

#include "buf.h"

struct mail_cfg {
	const char	*backend;	/* "smtp" or "file" */
	const char	*host;
	long		 port;
	const char	*tls;		/* "none", "starttls" or "tls" */
	const char	*user;		/* NULL: no login */
	const char	*password;
	const char	*from;		/* "Name <addr>" or "addr" */
	const char	*dir;		/* file backend */
	long		 timeout_ms;
	/* SMTP: called once when the whole message has been handed over
	 * and only the final dot remains (from then on the server may
	 * accept it); may be NULL */
	void		(*body_sent)(void *);
	void		*body_arg;
};

struct mail_msg {
	const char	*to;		/* address */
	const char	*to_name;	/* may be "" */
	const char	*subject;	/* UTF-8; encoded when not ASCII */
	const char	*text;
	const char	*html;
	const char	*message_id;	/* "<id@host>": the same on a retry */
	/* an iCalendar object and its iTIP method (REQUEST, CANCEL), or
	 * NULL: the message becomes multipart/mixed with a text/calendar
	 * part after the text and HTML */
	const char	*ics;
	const char	*ics_method;
};

enum mail_rc {
	MAIL_OK = 0,	/* accepted (250) or written */
	MAIL_TEMPFAIL,	/* try again later: no connection, 4xx, timeout */
	MAIL_PERMFAIL	/* do not retry: 5xx, bad address, bad config */
};

/* The configuration's mail settings (MAIL_BACKEND, SMTP_*, MAIL_FROM,
 * MAIL_DIR) with a timeout; the strings are borrowed from cfg. */
void	mail_config(struct mail_cfg *, long timeout_ms);
/*
 * A mail template of TEMPLATE_DIR rendered: name.subject and name.txt as
 * they are, name.html HTML-escaped, each without its trailing line
 * breaks, into subject, text and html (the caller frees them).  vars (not
 * consumed) gets "link" (FRONTEND_URL) and "year" (of now).  0, or -1
 * with err set.
 */
struct json_object;
int	mail_render(const char *name, struct json_object *vars, long now,
	    struct buf *subject, struct buf *text, struct buf *html,
	    char *err, size_t errsz) __attribute__((warn_unused_result));
/* Build the message bytes into out (headers CRLF-terminated). 0 or -1
 * when a header value would carry a line break. */
int	mail_build(const struct mail_cfg *, const struct mail_msg *, long now,
	    struct buf *out) __attribute__((warn_unused_result));
/* Send; detail gets the server's last reply line as it sent it (the
 * answer to the final dot on success: "250 2.0.0 Ok: queued as ...") or
 * the reason. */
enum mail_rc mail_send(const struct mail_cfg *, const struct mail_msg *,
	    char *detail, size_t detailsz);

#endif /* MAIL_H */
