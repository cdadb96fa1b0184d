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

#define PREFORK_MAX	256

struct prefork {
	long	  n;				/* children wanted, 1..256 */
	void	(*child)(void *);		/* must not return */
	void	 *arg;
	/* SIGHUP: reload, may change *n; 0, or -1 to keep the old setup */
	int	(*reload)(void *, long *n);
	/* told the counts after every change; may be NULL */
	void	(*status)(long configured, long alive);
	int	  drain_s;			/* seconds before SIGKILL */
	const char *what;			/* "process", "worker" in logs */
};

/* Returns 0 after a clean drain. */
int	prefork_run(struct prefork *);

#endif /* PREFORK_H */
