/*
 * connectify-worker: runs the slow work (resume scoring, mail) from the
 * PostgreSQL job table.
 *
 * The parent supervises N processes (lib/prefork.c; -j or
 * WORKER_CONCURRENCY).  Each process LISTENs for new jobs on a connection
 * of its own and also polls (a missed NOTIFY costs at most JOB_POLL_MS),
 * claims batches with FOR UPDATE SKIP LOCKED under a lease, runs each job
 * through its kind's handler (worker/jobs.c; the kinds are lib/jobkind.c)
 * and records the outcome.  The leases of the batch are renewed while it
 * runs, also during outbound calls (worker/queue.c).  SIGTERM finishes
 * the job in hand, hands back the rest of the batch and exits; so does
 * the death of the parent (lib/prefork.c); a killed process's jobs return
 * to the queue when their lease expires.
 *
 * WORKER_PM=dynamic sizes the pool by the queue (prefork's queue mode):
 * WORKER_MIN processes at first, more while ready jobs outnumber the
 * idle processes and the oldest has waited a second, at most
 * WORKER_CONCURRENCY; a process idle WORKER_IDLE_SECONDS is stopped.  The
 * children tell the parent whether they hold jobs through a scoreboard in
 * shared memory; the parent reads the queue on a connection of its own.
 * Each process names its sessions connectify-worker/<pid>, which is how
 * connectifyctl status counts them.
 */
#include <sys/mman.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "http.h"
#include "log.h"
#include "nchan.h"
#include "prefork.h"
#include "queue.h"
#include "skills.h"

/* A process's line on the scoreboard: busy while it holds jobs. */
struct slot {
	pid_t	 pid;
	int	 busy;
	time_t	 since;		/* busy or idle since */
};

static volatile sig_atomic_t	 stop;
static const char		*envfile;
static struct slot		*board;	/* PREFORK_MAX, shared */
static struct slot		*me;

static const char *const pm_names[] = { "static", "dynamic" };
static const enum prefork_mode pm_modes[] = { PREFORK_STATIC, PREFORK_QUEUE };

static void
board_enter(void)
{
	pid_t	 zero;
	int	 i;

	for (i = 0; board != NULL && i < PREFORK_MAX; i++) {
		zero = 0;
		if (__atomic_compare_exchange_n(&board[i].pid, &zero, getpid(),
		    0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			me = &board[i];
			me->busy = 0;
			me->since = time(NULL);
			return;
		}
	}
}

static void
board_set(int busy)
{
	if (me == NULL || me->busy == busy)
		return;
	me->since = time(NULL);
	me->busy = busy;
}

static void
board_leave(void)
{
	if (me != NULL)
		__atomic_store_n(&me->pid, 0, __ATOMIC_SEQ_CST);
	me = NULL;
}

/* prefork's idle(): idle processes; in *pick one idle secs or more. */
static long
board_idle(void *arg, long secs, pid_t *pick)
{
	time_t	 now = time(NULL);
	pid_t	 pid;
	long	 n = 0;
	int	 i;

	(void)arg;	/* prefork's idle() shape */
	if (pick != NULL)
		*pick = 0;
	for (i = 0; i < PREFORK_MAX; i++) {
		if ((pid = board[i].pid) <= 0)
			continue;
		if (kill(pid, 0) == -1 && errno == ESRCH) {
			/* Killed before it could leave. */
			__atomic_compare_exchange_n(&board[i].pid, &pid, 0,
			    0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			continue;
		}
		if (board[i].busy)
			continue;
		n++;
		if (pick != NULL && *pick == 0 && now - board[i].since >= secs)
			*pick = pid;
	}
	return n;
}

/* prefork's backlog(): ready jobs beyond the idle processes, once the
 * oldest has waited a second. */
static long
queue_backlog(void *arg, long idle)
{
	PGresult	*res;
	long		 ready = 0, oldest = 0;
	int		 i;

	(void)arg;	/* prefork's backlog() shape */
	if (db_query(STMT_CTL_JOBS_WAITING, &res, NULL, 0) != DB_OK)
		return 0;
	for (i = 0; i < PQntuples(res); i++) {
		ready += db_num(res, i, "ready");
		if (db_num(res, i, "oldest_ready") > oldest)
			oldest = db_num(res, i, "oldest_ready");
	}
	PQclear(res);
	return ready > idle && oldest >= 1 ? ready - idle : 0;
}

/* The process manager from WORKER_PM and its numbers: 0, or -1. */
static int
pm_load(struct prefork_pm *pm)
{
	size_t	 i;

	memset(pm, 0, sizeof(*pm));
	for (i = 0; i < sizeof(pm_names) / sizeof(pm_names[0]); i++)
		if (strcmp(cfg.worker_pm, pm_names[i]) == 0)
			pm->mode = pm_modes[i];
	pm->start = cfg.worker_min;
	pm->idle_s = cfg.worker_idle_s;
	if (pm->mode == PREFORK_QUEUE && (pm->start < 1 ||
	    pm->start > cfg.worker_concurrency || pm->idle_s < 1)) {
		log_error("WORKER_PM=dynamic needs 1 <= WORKER_MIN <= "
		    "WORKER_CONCURRENCY and WORKER_IDLE_SECONDS >= 1");
		return -1;
	}
	return 0;
}

static void
on_term(int sig)
{
	(void)sig;	/* SIGTERM and SIGINT alike */
	stop = 1;
}

/* A connection of its own for LISTEN: NULL when the server is away. */
static PGconn *
listen_open(const char *conninfo)
{
	PGconn		*c;
	PGresult	*res;

	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return NULL;
	}
	res = PQexec(c, "LISTEN job_available");
	PQclear(res);
	return c;
}

/* Wait for a NOTIFY, a signal or the poll interval. */
static void
listen_wait(PGconn **lc, const char *conninfo)
{
	struct pollfd	 pfd;
	PGnotify	*nt;

	if (*lc == NULL || PQstatus(*lc) != CONNECTION_OK) {
		if (*lc != NULL)
			PQfinish(*lc);
		*lc = listen_open(conninfo);
	}
	if (*lc == NULL) {
		usleep((useconds_t)cfg.job_poll_ms * 1000);
		return;
	}
	pfd.fd = PQsocket(*lc);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)cfg.job_poll_ms) > 0 &&
	    !PQconsumeInput(*lc)) {
		PQfinish(*lc);
		*lc = NULL;
		return;
	}
	while ((nt = PQnotifies(*lc)) != NULL)
		PQfreemem(nt);
}

/*
 * Run one job.  A handler that wrote results completed the job in its own
 * transaction (job_complete_tx); one that wrote nothing is completed by
 * the caller in a batch (*done gets its id).
 */
static void
job_run(struct job *j, long *done, size_t *ndone)
{
	job_fn			 fn;
	enum job_kind		 k;
	enum job_rc		 rc;
	char			 err[512], id[24];

	snprintf(id, sizeof(id), "job-%ld", j->id);
	log_set_id(id);
	if (!queue_holds(j->id)) {
		log_info("%s not run: its lease went to another worker",
		    j->kind);
		goto out;
	}
	if ((fn = job_run_fn(j->kind, &k)) == NULL) {
		snprintf(err, sizeof(err), "unknown job kind \"%s\"", j->kind);
		queue_fail(j, 1, err);
		goto out;
	}
	err[0] = '\0';
	/* A handler that runs past its timeout takes the process with it:
	 * the lease then expires and the job is retried elsewhere. */
	queue_set_current(j->id);
	alarm((unsigned int)job_kind_info(k)->timeout_s);
	rc = fn(j, err, sizeof(err));
	alarm(0);
	queue_set_current(0);
	db_rollback();	/* a handler must not leave a transaction open */
	if (rc == JOB_OK) {
		if (!j->completed)
			done[(*ndone)++] = j->id;
		log_debug("%s done (attempt %d)", j->kind, j->attempt);
	} else
		queue_fail(j, rc == JOB_FAIL, err[0] ? err : "failed");
out:
	log_set_id(NULL);
}

/* libcurl's progress tick: renew leases; abort a call whose job is lost. */
static int
worker_tick(void *arg)
{
	(void)arg;	/* the heartbeat's shape */
	return job_heartbeat() == -1;
}

/* The skills taxonomy of this process (each child loads it anew, so a
 * SIGHUP, which replaces the children, reloads it). */
static void
worker_skills(void)
{
	struct skills	*sk;
	char		 err[256];

	if ((sk = skills_load(cfg.skills_file, err, sizeof(err))) == NULL) {
		log_error("skills taxonomy: %s", err);
		return;
	}
	skills_set_default(sk);
	log_info("skills taxonomy: %zu skills from %s", skills_count(sk),
	    cfg.skills_file);
}

static void
child_main(void *arg)
{
	struct sigaction sa;
	struct job	 jobs[64];
	PGconn		*lc = NULL;
	char		*conninfo;
	long		 done[64];
	size_t		 ndone;
	char		 app[48];
	int		 i, n, batch;

	(void)arg;	/* the pool passes nothing */
	db_forget();	/* the parent's, for the queue's figures */
	board_enter();
	snprintf(app, sizeof(app), "connectify-worker/%d", (int)getpid());
	setenv("PGAPPNAME", app, 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	queue_init();
	worker_skills();
	if (http_init() == -1)
		log_warn("libcurl init failed");
	http_set_tick(worker_tick, NULL);
	nchan_init(cfg.nchan_socket, cfg.nchan_url);
	conninfo = cfg_conninfo();
	db_open(conninfo);
	batch = cfg.job_batch < 1 ? 1 : cfg.job_batch > 64 ? 64 :
	    (int)cfg.job_batch;
	log_info("worker %s ready (batch %d, lease %ld s)", worker_id, batch,
	    queue_lease());
	ndone = 0;
	while (!stop) {
		queue_maintain();
		n = queue_claim(jobs, batch, done, ndone);
		if (n < 0)
			queue_complete_many(done, ndone);
		ndone = 0;
		board_set(n > 0);
		if (n <= 0) {
			if (n < 0)
				sleep(1);
			else
				listen_wait(&lc, conninfo);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (stop) {
				/* Not started: back to the queue. */
				queue_complete_many(done, ndone);
				ndone = 0;
				queue_release_inhand();
				break;
			}
			job_run(&jobs[i], done, &ndone);
			(void)job_heartbeat();
		}
		for (i = 0; i < n; i++)
			json_object_put(jobs[i].args);
		if (stop) {
			queue_complete_many(done, ndone);
			ndone = 0;
		}
	}
	queue_complete_many(done, ndone);
	if (lc != NULL)
		PQfinish(lc);
	free(conninfo);
	db_close();
	http_cleanup();
	board_leave();
	log_info("worker %s stopped", worker_id);
	_exit(0);
}

static int
reload(void *arg, long *n)
{
	struct prefork	*pf = arg;
	struct prefork_pm pm;
	struct skills	*sk;
	char		 err[256];

	if (cfg_reload(envfile) == -1 || pm_load(&pm) == -1)
		return -1;
	/* A taxonomy that does not load keeps the children (and theirs). */
	if ((sk = skills_load(cfg.skills_file, err, sizeof(err))) == NULL) {
		log_error("reload refused: skills taxonomy: %s", err);
		return -1;
	}
	skills_free(sk);
	*n = cfg.worker_concurrency;
	pf->drain_s = (int)cfg.worker_drain_s;
	pf->pm = pm;
	log_info("process manager: %s", cfg.worker_pm);
	return 0;
}

/* --stats: jobs by kind and state. */
static int
stats(void)
{
	PGresult	*res = NULL;
	char		*conninfo;
	int		 i;

	conninfo = cfg_conninfo();
	db_open(conninfo);
	free(conninfo);
	if (db_query(STMT_JOB_STATS, &res, NULL, 0) != DB_OK) {
		fprintf(stderr, "connectify-worker: database unavailable\n");
		return 1;
	}
	printf("%-20s %-10s %10s %s\n", "kind", "state", "jobs",
	    "oldest ready (s)");
	for (i = 0; i < PQntuples(res); i++)
		printf("%-20s %-10s %10s %s\n", db_text(res, i, "kind"),
		    db_text(res, i, "state"), db_text(res, i, "jobs"),
		    db_text(res, i, "oldest_ready"));
	PQclear(res);
	db_close();
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: connectify-worker [-j processes] [-c envfile]\n"
	    "       connectify-worker --stats [-c envfile]\n"
	    "       connectify-worker --help-config\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const struct option lopts[] = {
		{ "stats", no_argument, NULL, 'S' },
		{ "help-config", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct prefork	 pf;
	char		*conninfo;
	char		 err[256];
	long		 n = 0;
	int		 ch, lvl, want_stats = 0, rc;

	log_set_prog("connectify-worker");
	while ((ch = getopt_long(argc, argv, "c:j:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			envfile = optarg;
			break;
		case 'j':
			n = strtol(optarg, NULL, 10);
			if (n < 1 || n > PREFORK_MAX)
				usage();
			break;
		case 'S':
			want_stats = 1;
			break;
		case 'H':
			cfg_usage();
			return 0;
		default:
			usage();
		}
	}
	if (cfg_load(envfile, err, sizeof(err)) == -1) {
		fprintf(stderr, "connectify-worker: %s\n", err);
		return 1;
	}
	if ((lvl = log_level_parse(cfg.log_level)) >= 0)
		log_level = lvl;
	if (want_stats)
		return stats();
	if (n == 0)
		n = cfg.worker_concurrency;
	memset(&pf, 0, sizeof(pf));
	if (pm_load(&pf.pm) == -1)
		return 1;
	board = mmap(NULL, PREFORK_MAX * sizeof(*board), PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (board == MAP_FAILED) {
		fprintf(stderr, "connectify-worker: mmap: %s\n",
		    strerror(errno));
		return 1;
	}
	setenv("PGAPPNAME", "connectify-worker", 1);
	conninfo = cfg_conninfo();
	db_open(conninfo);	/* the queue's figures (dynamic) */
	free(conninfo);
	log_info("starting %ld worker processes (process manager: %s)",
	    pf.pm.mode == PREFORK_QUEUE ? pf.pm.start : n, cfg.worker_pm);
	pf.n = n;
	pf.child = child_main;
	pf.arg = &pf;
	pf.reload = reload;
	pf.drain_s = (int)cfg.worker_drain_s;
	pf.what = "worker";
	pf.idle = board_idle;
	pf.backlog = queue_backlog;
	rc = prefork_run(&pf);
	db_close();
	log_info("stopped");
	cfg_free();
	return rc == 0 ? 0 : 1;
}
