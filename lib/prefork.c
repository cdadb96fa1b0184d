/*
 * prefork: see prefork.h.
 */
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "prefork.h"

static volatile sig_atomic_t	 got_term, got_hup, got_chld;

struct kid {
	pid_t	 pid;
	time_t	 started;
	int	 retire;	/* told to exit after a reload */
};

static void
prefork_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
}

static pid_t
prefork_spawn(struct prefork *p, const sigset_t *old)
{
	struct sigaction sa;
	pid_t		 pid, parent = getpid();

	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
#ifdef __linux__
		/* A parent killed outright (SIGKILL after a stop timeout)
		 * leaves no orphans: its children are told to stop, as by
		 * SIGTERM.  It may have died before the call took effect. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
			log_warn("prctl: %s", strerror(errno));
		if (getppid() != parent)
			_exit(0);
#endif
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGCHLD, &sa, NULL);
		sigprocmask(SIG_SETMASK, old, NULL);
		p->child(p->arg);
		_exit(0);
	}
	return pid;
}

static long
prefork_count(const struct kid *k, int include_retiring)
{
	long	 n = 0;
	int	 i;

	for (i = 0; i < PREFORK_MAX; i++)
		if (k[i].pid > 0 && (include_retiring || !k[i].retire))
			n++;
	return n;
}

static void
prefork_kill(struct kid *k, int sig)
{
	int	 i;

	for (i = 0; i < PREFORK_MAX; i++)
		if (k[i].pid > 0)
			kill(k[i].pid, sig);
}

/*
 * The process manager's decision for this turn: how many children to
 * have (spawned up to it, or, for static, retired down to it), and in
 * *retire one idle child to let go (0: none).  waiting: a connection
 * waits on the listening socket.
 */
static long
prefork_target(struct prefork *p, long alive, int waiting, time_t now,
    time_t *last_change, pid_t *retire)
{
	const struct prefork_pm *pm = &p->pm;
	long	 idle, more, want = alive;

	*retire = 0;
	if (pm->mode == PREFORK_STATIC || p->idle == NULL)
		return p->n;
	idle = p->idle(p->arg, 0, NULL);
	if (pm->mode == PREFORK_DYNAMIC) {
		if (alive < pm->start && *last_change == 0)
			want = pm->start;	/* the first turn */
		else if (idle < pm->min_spare)
			want = alive + (pm->min_spare - idle);
		else if (idle > pm->max_spare && now > *last_change)
			/* One a second, like php-fpm. */
			(void)p->idle(p->arg, 0, retire);
	} else if (pm->mode == PREFORK_QUEUE) {
		if (alive < pm->start)
			want = pm->start;
		else if (p->backlog != NULL && now > *last_change &&
		    (more = p->backlog(p->arg, idle)) > 0)
			want = alive + more;
		else if (alive > pm->start)
			(void)p->idle(p->arg, pm->idle_s, retire);
	} else {
		if (waiting && idle == 0 && now >= *last_change)
			want = alive + 1;
		else if (alive > 0)
			(void)p->idle(p->arg, pm->idle_s, retire);
	}
	if (want > p->n)
		want = p->n;
	if (want != alive || *retire != 0)
		*last_change = now;
	return want;
}

/* Wait for a signal, a waiting connection (ondemand), or a second
 * (dynamic, ondemand); signals are unblocked only while waiting.
 * Returns nonzero when a connection waits. */
static int
prefork_wait(struct prefork *p, const sigset_t *unblocked, int seen)
{
	struct timespec	 ts = { 1, 0 };
	struct pollfd	 pfd = { p->listen_fd, POLLIN, 0 };
	nfds_t		 nfds = 0;
	int		 n;

	if (p->pm.mode == PREFORK_STATIC || p->idle == NULL) {
		sigsuspend(unblocked);
		return 0;
	}
	if (p->pm.mode == PREFORK_ONDEMAND && seen) {
		/* Connections wait (the socket stays readable until one is
		 * taken): look again in 100 ms, never spin. */
		ts.tv_sec = 0;
		ts.tv_nsec = 100 * 1000 * 1000;
	} else if (p->pm.mode == PREFORK_ONDEMAND)
		nfds = 1;
	n = ppoll(&pfd, nfds, &ts, unblocked);
	if (seen)
		return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
	return n > 0 && nfds > 0 && (pfd.revents & POLLIN);
}

int
prefork_run(struct prefork *p)
{
	struct sigaction sa;
	struct kid	*k;
	sigset_t	 block, old, empty;
	time_t		 now, term_at = 0, last_change = 0;
	pid_t		 pid, retire;
	long		 alive, want;
	int		 i, status, waiting = 0;

	if ((k = calloc(PREFORK_MAX, sizeof(*k))) == NULL)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prefork_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigemptyset(&empty);

	for (;;) {
		now = time(NULL);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < PREFORK_MAX && k[i].pid != pid; i++)
				continue;
			if (i == PREFORK_MAX)
				continue;
			if (!got_term && !k[i].retire &&
			    (WIFSIGNALED(status) || WEXITSTATUS(status) != 0))
				log_warn("%s %d died (%s %d); replacing",
				    p->what, (int)pid, WIFSIGNALED(status) ?
				    "signal" : "status", WIFSIGNALED(status) ?
				    WTERMSIG(status) : WEXITSTATUS(status));
			if (!got_term && !k[i].retire && now - k[i].started < 1)
				sleep(1);
			k[i].pid = 0;
			k[i].retire = 0;
		}
		if (got_hup) {
			got_hup = 0;
			if (p->reload != NULL &&
			    p->reload(p->arg, &p->n) == 0) {
				last_change = 0;
				log_info("reloaded; %ld %s%s", p->n, p->what,
				    p->what[strlen(p->what) - 1] == 's' ?
				    "es" : "s");
				for (i = 0; i < PREFORK_MAX; i++)
					if (k[i].pid > 0) {
						k[i].retire = 1;
						kill(k[i].pid, SIGTERM);
					}
			}
		}
		if (got_term && term_at == 0) {
			term_at = now;
			log_info("draining");
			prefork_kill(k, SIGTERM);
		}
		if (got_term) {
			if (prefork_count(k, 1) == 0)
				break;
			if (now - term_at > p->drain_s)
				prefork_kill(k, SIGKILL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			usleep(50000);
			sigprocmask(SIG_BLOCK, &block, NULL);
			continue;
		}
		alive = prefork_count(k, 0);
		want = prefork_target(p, alive, waiting, now, &last_change,
		    &retire);
		for (i = 0; i < PREFORK_MAX && alive < want; i++) {
			if (k[i].pid != 0)
				continue;
			if ((k[i].pid = prefork_spawn(p, &old)) > 0) {
				k[i].started = now;
				alive++;
			} else
				k[i].pid = 0;
		}
		for (i = PREFORK_MAX - 1; i >= 0 && alive > p->n; i--)
			if (k[i].pid > 0 && !k[i].retire) {
				k[i].retire = 1;
				kill(k[i].pid, SIGTERM);
				alive--;
			}
		for (i = 0; retire > 0 && i < PREFORK_MAX; i++)
			if (k[i].pid == retire && !k[i].retire) {
				k[i].retire = 1;
				kill(k[i].pid, SIGTERM);
				alive--;
			}
		if (p->status != NULL)
			p->status(p->n, alive);
		if (!got_term && !got_hup && !got_chld)
			waiting = prefork_wait(p, &empty, waiting);
		got_chld = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(k);
	return 0;
}
