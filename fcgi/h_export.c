/*
 * h_export: an event's candidates as CSV (RFC 4180, UTF-8) or NDJSON,
 * streamed row by row from PostgreSQL (single-row mode) to the client,
 * never built whole in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "extern.h"
#include "log.h"

/* Bytes gathered before they go to the client. */
#define EXPORT_CHUNK	(64 * 1024)

enum col_kind { COL_TEXT, COL_NUM, COL_BOOL };

/* The columns of STMT_EXPORT_ROWS (by name), in the order sent. */
static const struct {
	const char	*name;
	enum col_kind	 kind;
} export_cols[] = {
	{ "registration_id", COL_NUM }, { "candidate_id", COL_NUM },
	{ "name", COL_TEXT }, { "email", COL_TEXT }, { "phone", COL_TEXT },
	{ "status", COL_TEXT }, { "shortlisted", COL_BOOL },
	{ "current_round", COL_TEXT }, { "ats_score", COL_NUM },
	{ "score_required_skills", COL_NUM },
	{ "score_preferred_skills", COL_NUM },
	{ "score_experience", COL_NUM }, { "score_education", COL_NUM },
	{ "score_relevance", COL_NUM }, { "reviews", COL_TEXT },
	{ "registered_at", COL_TEXT }, { "scored_at", COL_TEXT },
	{ "updated_at", COL_TEXT },
};
#define NCOLS	(sizeof(export_cols) / sizeof(export_cols[0]))

struct export_fmt {
	const char	*name;
	const char	*ctype;
	const char	*ext;
	void		(*head)(struct buf *);
	void		(*row)(struct buf *, const PGresult *);
};

/*
 * One CSV cell.  A cell a spreadsheet would read as a formula (its first
 * character one of = + - @ tab CR) gets a leading apostrophe; a cell with
 * a comma, quote, CR or LF is quoted, its quotes doubled (RFC 4180).
 */
static void
csv_cell(struct buf *b, const char *s)
{
	const char	*p;
	int		 quote;

	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_puts(b, "\"");
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_puts(b, "'");
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	while ((p = strchr(s, '"')) != NULL) {
		buf_append(b, s, (size_t)(p - s) + 1);
		buf_puts(b, "\"");
		s = p + 1;
	}
	buf_puts(b, s);
	buf_puts(b, "\"");
}

static void
csv_head(struct buf *b)
{
	size_t	 i;

	for (i = 0; i < NCOLS; i++) {
		if (i > 0)
			buf_puts(b, ",");
		buf_puts(b, export_cols[i].name);
	}
	buf_puts(b, "\r\n");
}

static void
csv_row(struct buf *b, const PGresult *res)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < NCOLS; i++) {
		if (i > 0)
			buf_puts(b, ",");
		if ((v = db_opt(res, 0, export_cols[i].name)) == NULL)
			continue;
		if (export_cols[i].kind == COL_BOOL)
			buf_puts(b, v[0] == 't' ? "true" : "false");
		else if (export_cols[i].kind == COL_NUM)
			buf_puts(b, v);
		else
			csv_cell(b, v);
	}
	buf_puts(b, "\r\n");
}

static void
ndjson_head(struct buf *b)
{
	(void)b;
}

static void
ndjson_row(struct buf *b, const PGresult *res)
{
	const char	*v;
	size_t		 i;

	buf_puts(b, "{");
	for (i = 0; i < NCOLS; i++) {
		buf_printf(b, "%s\"%s\":", i > 0 ? "," : "",
		    export_cols[i].name);
		if ((v = db_opt(res, 0, export_cols[i].name)) == NULL)
			buf_puts(b, "null");
		else if (export_cols[i].kind == COL_BOOL)
			buf_puts(b, v[0] == 't' ? "true" : "false");
		else if (export_cols[i].kind == COL_NUM)
			buf_puts(b, v);
		else
			json_put_str(b, v);
	}
	buf_puts(b, "}\n");
}

static const struct export_fmt export_fmts[] = {
	{ "csv", "text/csv; charset=utf-8; header=present", "csv", csv_head,
	    csv_row },
	{ "ndjson", "application/x-ndjson", "ndjson", ndjson_head,
	    ndjson_row },
};

/* The format called name (f_export allows only those of export_fmts). */
static const struct export_fmt *
export_fmt(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(export_fmts) / sizeof(export_fmts[0]); i++)
		if (strcmp(name, export_fmts[i].name) == 0)
			return &export_fmts[i];
	return &export_fmts[0];
}

/* What the stream function of an export needs. */
struct export_job {
	const struct export_fmt	*fmt;
	long			 event;
	int			 bom;
};

/* Send the head and the rows of the open database stream (the
 * dispatcher calls this after the reply's head); 0, or -1 when it broke
 * off. */
static int
export_rows(void *arg, struct sink *k)
{
	const struct export_job	*j = arg;
	struct buf		 b = { 0 };
	PGresult		*res;
	int			 n, rc = 0;

	if (j->bom && j->fmt->head == csv_head)
		buf_puts(&b, "\xef\xbb\xbf");
	j->fmt->head(&b);
	while ((n = db_stream_row(&res)) == 1) {
		j->fmt->row(&b, res);
		PQclear(res);
		if (b.len >= EXPORT_CHUNK) {
			if (sink_put(k, b.data, b.len) == -1) {
				db_stream_close();
				rc = -1;
				break;
			}
			buf_reset(&b);
		}
	}
	if (rc == 0 && (n == -1 || sink_put(k, b.data, b.len) == -1))
		rc = -1;
	if (rc == -1)
		log_warn("export of event %ld broke off", j->event);
	buf_free(&b);
	return rc;
}

static const char *const export_formats[] = { "csv", "ndjson", NULL };
static const char *const export_bom[] = { "0", "1", NULL };

const struct field f_export[] = {
	{ "event_id", FT_ID, F_QUERY | F_REQ, 0, 0, NULL, NULL },
	{ "format", FT_ENUM, F_QUERY, 0, 0, export_formats, NULL },
	{ "bom", FT_ENUM, F_QUERY, 0, 0, export_bom, NULL },
	FIELDS_END
};

/*
 * GET ?event_id=&format=csv|ndjson&bom=0|1: the event's candidates, to
 * its HR only; bom=1 puts a byte order mark before a CSV (for Excel).
 */
void
h_export(struct req *r, struct reply *rp)
{
	const struct export_fmt	*fmt;
	struct export_job	*j;
	char			 ev[24], hdr[128];
	long			 event;
	int			 rc;

	event = req_long(r, "event_id");
	fmt = export_fmt(req_has(r, "format") ? req_str(r, "format") : "csv");
	if ((rc = event_role(r, rp, event, NULL, 0)) != EV_OWNER) {
		if (rc != EV_NONE)
			reply_error(rp, 403, "forbidden", "Only the event's HR "
			    "exports its candidates.", NULL);
		return;
	}
	snprintf(ev, sizeof(ev), "%ld", event);
	if ((rc = db_stream(STMT_EXPORT_ROWS, ev)) != DB_OK) {
		reply_db(rp, rc);
		return;
	}
	snprintf(hdr, sizeof(hdr), "Content-Disposition: attachment; "
	    "filename=\"event-%ld.%s\"\r\n", event, fmt->ext);
	if ((j = calloc(1, sizeof(*j))) == NULL)
		abort();
	j->fmt = fmt;
	j->event = event;
	j->bom = req_has(r, "bom") && strcmp(req_str(r, "bom"), "1") == 0;
	reply_stream(rp, 200, fmt->ctype, hdr, export_rows, j, free);
}
