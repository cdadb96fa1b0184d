/*
 * log: one line per event on stderr.
 *
 * Line format: "2026-11-24T03:30:50Z LEVEL [pid] [rid] message".
 * The request or job id ("rid") is set per request with log_set_id();
 * control characters in the message are replaced by '?', so a client
 * cannot forge log lines.  The level check happens before formatting.
 *
 * With log_json set (LOG_FORMAT=json, applied by cfg_load) each line is
 * one JSON object instead: {"ts", "level", "prog", "pid", "rid" (when
 * set), "msg"}, the message escaped as JSON.
 */
#ifndef LOG_H
#define LOG_H

enum log_level {
	LOG_LVL_ERROR = 0,	/* something failed; an operator should look */
	LOG_LVL_WARN,		/* unexpected, handled */
	LOG_LVL_INFO,		/* one line per request, job, start/stop */
	LOG_LVL_DEBUG		/* details */
};

extern int	log_level;
extern int	log_json;	/* nonzero: one JSON object per line */

/* Parse "error", "warn", "info" or "debug"; -1 when unknown. */
int	log_level_parse(const char *);
/* Set (or clear with NULL) the id printed on every line. Copied. */
void	log_set_id(const char *);
/* Set the program name printed on every line. Not copied. */
void	log_set_prog(const char *);
void	log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...) do { if (log_level >= LOG_LVL_ERROR) \
	log_msg(LOG_LVL_ERROR, __VA_ARGS__); } while (0)
#define log_warn(...) do { if (log_level >= LOG_LVL_WARN) \
	log_msg(LOG_LVL_WARN, __VA_ARGS__); } while (0)
#define log_info(...) do { if (log_level >= LOG_LVL_INFO) \
	log_msg(LOG_LVL_INFO, __VA_ARGS__); } while (0)
#define log_debug(...) do { if (log_level >= LOG_LVL_DEBUG) \
	log_msg(LOG_LVL_DEBUG, __VA_ARGS__); } while (0)

#endif /* LOG_H */
