/*
 * prefork: the supervisor both programs share.
 *
 * prefork_run() forks p->n children running p->child(p->arg) and
 * supervises them until SIGTERM/SIGINT: a child that dies is replaced (a
 * child that dies within a second of starting makes the supervisor pause
 * first, so a crash loop cannot spin), SIGHUP calls p->reload and replaces
 * every child, and on SIGTERM each child gets SIGTERM and up to drain_s
 * seconds to finish before SIGKILL.  A child whose parent dies (even by
 * SIGKILL) gets SIGTERM too (Linux: PR_SET_PDEATHSIG), so it drains
 * instead of running on as an orphan.  Children install their own signal
 * handlers; they start with SIGTERM, SIGINT and SIGHUP at their defaults.
 */
#ifndef PREFORK_H
#define PREFORK_H

#include <sys/types.h>

#define PREFORK_MAX	256

/*
 * Process manager modes (php-fpm's pm):
 *  static    n children, always;
 *  dynamic   start children at first, then between min_spare and
 *            max_spare idle ones, at most n;
 *  ondemand  none at first; one more whenever a connection waits on
 *            listen_fd and no child is idle, at most n; a child idle for
 *            idle_s seconds is retired.
 *  queue     start children at first; each second backlog() more while
 *            it asks for them, at most n; a child idle for idle_s seconds
 *            is retired while more than start are alive (the worker's
 *            pool, driven by its job queue).
 * dynamic, ondemand and queue need idle(): how many children are idle,
 * and (in *pick, when not NULL) one that has been idle for at least
 * secs, or 0.
 */
enum prefork_mode {
	PREFORK_STATIC = 0,
	PREFORK_DYNAMIC,
	PREFORK_ONDEMAND,
	PREFORK_QUEUE
};

struct prefork_pm {
	enum prefork_mode mode;
	long		 start;		/* dynamic: children at start;
					 * queue: fewest children */
	long		 min_spare;	/* dynamic */
	long		 max_spare;	/* dynamic */
	long		 idle_s;	/* ondemand, queue: idle time before
					 * retiring */
};

struct prefork {
	long	  n;				/* children wanted, 1..256 */
	void	(*child)(void *);		/* must not return */
	void	 *arg;
	/* SIGHUP: reload, may change *n; 0, or -1 to keep the old setup */
	int	(*reload)(void *, long *n);
	/* told the counts after every change; may be NULL */
	void	(*status)(long configured, long alive);
	int	  drain_s;			/* seconds before SIGKILL */
	const char *what;			/* "process", "worker" (logs) */
	/* the process manager; reload may change it (all zero: static) */
	struct prefork_pm pm;
	int	  listen_fd;			/* ondemand: watched for waiting
						 * connections */
	long	(*idle)(void *, long secs, pid_t *pick);
	/* queue: more children wanted now, given idle ones idle */
	long	(*backlog)(void *, long idle);
};

/* Returns 0 after a clean drain. */
int	prefork_run(struct prefork *);

#endif /* PREFORK_H */
