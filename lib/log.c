/*
 * log: see log.h.  One write(2) per line so lines from several
 * processes sharing stderr never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

int		 log_level = LOG_LVL_INFO;
int		 log_json;
static char	 log_id[64];
static const char *log_prog = "connectify";

static const char *const log_json_names[] = {
	"error", "warn", "info", "debug"
};

static const char *const log_names[] = {
	"ERROR",	/* LOG_LVL_ERROR */
	"WARN",		/* LOG_LVL_WARN */
	"INFO",		/* LOG_LVL_INFO */
	"DEBUG",	/* LOG_LVL_DEBUG */
};

int
log_level_parse(const char *s)
{
	static const char *const lower[] = { "error", "warn", "info", "debug" };
	size_t	 i;

	for (i = 0; i < sizeof(lower) / sizeof(lower[0]); i++)
		if (strcasecmp(s, lower[i]) == 0)
			return (int)i;
	return -1;
}

void
log_set_id(const char *id)
{
	if (id == NULL)
		log_id[0] = '\0';
	else
		snprintf(log_id, sizeof(log_id), "%s", id);
}

void
log_set_prog(const char *prog)
{
	log_prog = prog;
}

/* Append s to line at *n as a JSON string's contents; 0 or -1 (full). */
static int
log_json_escape(char *line, size_t cap, size_t *n, const char *s)
{
	unsigned char	 c;
	int		 m;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\')
			m = snprintf(line + *n, cap - *n, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			m = snprintf(line + *n, cap - *n, "\\u%04x", c);
		else
			m = snprintf(line + *n, cap - *n, "%c", c);
		if (m < 0 || (size_t)m >= cap - *n)
			return -1;
		*n += (size_t)m;
	}
	return 0;
}

/* One JSON object per line (log_json).  A message too long is cut at a
 * character boundary of its escaped form. */
static void
log_json_line(enum log_level lvl, const struct tm *tm, const char *msg)
{
	char	 line[4096];
	size_t	 n;
	int	 m;

	m = snprintf(line, sizeof(line), "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:"
	    "%02dZ\",\"level\":\"%s\",\"prog\":\"", tm->tm_year + 1900,
	    tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
	    log_json_names[lvl]);
	if (m < 0)
		return;
	n = (size_t)m;
	(void)log_json_escape(line, sizeof(line) - 64, &n, log_prog);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\",\"pid\":%d",
	    (int)getpid());
	if (log_id[0] != '\0') {
		n += (size_t)snprintf(line + n, sizeof(line) - n,
		    ",\"rid\":\"");
		(void)log_json_escape(line, sizeof(line) - 64, &n, log_id);
		n += (size_t)snprintf(line + n, sizeof(line) - n, "\"");
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, ",\"msg\":\"");
	(void)log_json_escape(line, sizeof(line) - 4, &n, msg);
	memcpy(line + n, "\"}\n", 3);
	(void)!write(STDERR_FILENO, line, n + 3);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char		 line[2048];
	struct tm	 tm;
	time_t		 now;
	va_list		 ap;
	int		 n, m;
	size_t		 i, start;

	now = time(NULL);
	gmtime_r(&now, &tm);
	if (log_json) {
		va_start(ap, fmt);
		m = vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		if (m >= 0)
			log_json_line(lvl, &tm, line);
		return;
	}
	n = snprintf(line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02dZ %s %s[%d]%s%s%s ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, log_names[lvl], log_prog, (int)getpid(),
	    log_id[0] ? " [" : "", log_id, log_id[0] ? "]" : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	start = (size_t)n;
	va_start(ap, fmt);
	m = vsnprintf(line + start, sizeof(line) - start - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n = (size_t)m > sizeof(line) - start - 2 ?
	    (int)(sizeof(line) - 2) : (int)start + m;
	/* Control characters from request data never reach the log. */
	for (i = start; i < (size_t)n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
