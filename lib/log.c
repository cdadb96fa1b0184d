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
static char	 log_id[64];
static const char *log_prog = "connectify";

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
	n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02dZ %s %s[%d]%s%s%s ",
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
