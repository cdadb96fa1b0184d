/*
 * connectify-fcgi: a prefork pool of FastCGI processes.
 *
 * The parent opens the socket and supervises N children with
 * lib/prefork.c: a child that dies is replaced, SIGTERM/SIGINT drains
 * (children finish the request in hand, then exit), SIGHUP reloads the
 * configuration and replaces the children.  Each child owns one
 * PostgreSQL connection with every statement prepared, LISTENs for the
 * changes that drop its cached lists (fcgi/cache.c), and answers requests
 * until told to stop.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "cfg.h"
#include "db.h"
#include "extern.h"
#include "http.h"
#include "log.h"
#include "nchan.h"
#include "prefork.h"

static volatile sig_atomic_t	 child_stop;
static const char		*envfile;
static int			 listen_fd;

/* FCGI_PM's values, in prefork's order. */
static const char *const pm_names[] = { "static", "dynamic", "ondemand" };

/*
 * In a child: stop taking requests; one in hand is finished first.  The
 * handler only sets a flag (with SA_RESTART, so no read of a request in
 * hand is cut short): libfcgi's FCGX_ShutdownPending would make every
 * later read of the request look like its end, and a request whose
 * parameters or body were still arriving was lost (seen on SIGHUP under
 * load).  A child waiting for a connection notices the flag within
 * CHILD_ACCEPT_WAIT_MS: it waits in poll(2), and the listening socket is
 * non-blocking, so a child that lost the race for a connection to
 * another goes back to waiting instead of blocking in accept(2).  (An
 * accepted socket does not inherit O_NONBLOCK; a timeout set on the
 * listener, SO_RCVTIMEO, would be inherited and cut slow requests.)
 */
#define CHILD_ACCEPT_WAIT_MS	1000

static void
child_signal(int sig)
{
	(void)sig;	/* a handler's shape: SIGTERM and SIGINT alike */
	child_stop = 1;
}

static void
child_handle(FCGX_Request *fr)
{
	struct req	 r;

	metrics_begin();
	route_dispatch(&r, req_parse(&r, fr, cfg.max_body_bytes));
	req_free(&r);
}

static void
child_main(void *arg)
{
	struct sigaction sa;
	FCGX_Request	 fr;
	struct pollfd	 pfd;
	char		*conninfo;
	int		 rc;

	(void)arg;	/* prefork's shape: the pool passes nothing */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = child_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	if (http_init() == -1)
		log_warn("libcurl init failed");
	nchan_init(cfg.nchan_socket, cfg.nchan_url);
	conninfo = cfg_conninfo();
	db_listen("connectify_changed");	/* fcgi/cache.c */
	db_open(conninfo);
	free(conninfo);

	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0)
		_exit(1);
	metrics_idle();
	(void)fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		if (child_stop)
			break;
		pfd.fd = listen_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, CHILD_ACCEPT_WAIT_MS) <= 0)
			continue;	/* the wait ran out, or a signal */
		if ((rc = FCGX_Accept_r(&fr)) < 0) {
			/* another process took the connection, or a signal */
			if (rc == -EAGAIN || rc == -EWOULDBLOCK ||
			    rc == -EINTR || rc == -ECONNABORTED)
				continue;
			break;
		}
		child_handle(&fr);
		FCGX_Finish_r(&fr);
	}
	cache_clear();
	db_close();
	http_cleanup();
	_exit(0);
}

/*
 * The process manager from the configuration (FCGI_PM and its numbers,
 * at most max processes): 0, or -1 with the reason logged.
 */
static int
pm_load(struct prefork_pm *pm, long max)
{
	size_t	 i;

	memset(pm, 0, sizeof(*pm));
	for (i = 0; i < sizeof(pm_names) / sizeof(pm_names[0]); i++)
		if (strcmp(cfg.fcgi_pm, pm_names[i]) == 0)
			pm->mode = (enum prefork_mode)i;
	pm->start = cfg.fcgi_start < max ? cfg.fcgi_start : max;
	pm->min_spare = cfg.fcgi_min_spare;
	pm->max_spare = cfg.fcgi_max_spare;
	pm->idle_s = cfg.fcgi_idle_s;
	if (pm->mode == PREFORK_DYNAMIC && (pm->min_spare < 1 ||
	    pm->max_spare < pm->min_spare)) {
		log_error("FCGI_PM=dynamic needs 1 <= FCGI_MIN_SPARE <= "
		    "FCGI_MAX_SPARE");
		return -1;
	}
	return 0;
}

/* SIGHUP in the parent: reload the configuration for new children. */
static int
reload(void *arg, long *n)
{
	struct prefork		*pf = arg;
	struct prefork_pm	 pm;

	if (cfg_reload(envfile) == -1 || pm_load(&pm, cfg.fcgi_workers) == -1)
		return -1;
	*n = cfg.fcgi_workers;
	pf->pm = pm;
	log_info("process manager: %s", pm_names[pm.mode]);
	return 0;
}

/*
 * Only nginx may talk to the pool: it alone sets the parameters the pool
 * trusts (CONNECTIFY_INTERNAL for the nchan hooks, REMOTE_ADDR for rate
 * limits and /metrics).  A unix socket is 0660, in FCGI_SOCKET_GROUP (the
 * group nginx's workers run as) when set.  A TCP socket should listen on
 * loopback only.
 */
static int
open_socket(const char *path, const char *group, int backlog)
{
	struct group	*gr;
	int		 fd;

	if (path[0] != ':' && strchr(path, ':') == NULL)
		(void)unlink(path);
	if ((fd = FCGX_OpenSocket(path, backlog)) < 0)
		return -1;
	if (path[0] == ':' || strchr(path, ':') != NULL)
		return fd;
	if (group != NULL && *group != '\0') {
		if ((gr = getgrnam(group)) == NULL) {
			log_error("FCGI_SOCKET_GROUP: no group \"%s\"", group);
			close(fd);
			return -1;
		}
		if (chown(path, (uid_t)-1, gr->gr_gid) == -1) {
			log_error("chown %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (chmod(path, 0660) == -1) {
		log_error("chmod %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A burst of socket handshakes (every client of a restarted host at once)
 * opens one connection to the pool each; those the listen queue cannot
 * hold fail at nginx (EAGAIN), which answers 503 with Retry-After.  The
 * kernel silently caps the queue at net.core.somaxconn: say so.
 */
static void
backlog_check(long backlog)
{
	FILE	*f;
	long	 max = 0;

	if ((f = fopen("/proc/sys/net/core/somaxconn", "r")) == NULL)
		return;
	if (fscanf(f, "%ld", &max) == 1 && max < backlog)
		log_warn("FCGI_BACKLOG %ld is capped at net.core.somaxconn "
		    "%ld: raise it (sysctl) for larger bursts", backlog, max);
	fclose(f);
}

static void
usage(void)
{
	fprintf(stderr, "usage: connectify-fcgi [-n processes] [-s socket] "
	    "[-c envfile]\n"
	    "       connectify-fcgi --create-hr NAME PHONE EMAIL [-c envfile]\n"
	    "       connectify-fcgi --verify-audit [-c envfile]\n"
	    "       connectify-fcgi --help-config | --sample-env | --routes\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const struct option lopts[] = {
		{ "help-config", no_argument, NULL, 'H' },
		{ "create-hr", no_argument, NULL, 'C' },
		{ "verify-audit", no_argument, NULL, 'V' },
		{ "sample-env", no_argument, NULL, 'E' },
		{ "routes", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa;
	struct prefork	 pf;
	struct prefork_pm pm;
	const char	*sockpath = NULL;
	char		 err[256], sockbuf[1024];
	long		 n = 0;
	int		 ch, mkhr = 0, verify = 0, lvl, rc;

	log_set_prog("connectify-fcgi");
	while ((ch = getopt_long(argc, argv, "n:s:c:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			if (n < 1 || n > PREFORK_MAX)
				usage();
			break;
		case 's':
			sockpath = optarg;
			break;
		case 'c':
			envfile = optarg;
			break;
		case 'H':
			cfg_usage();
			return 0;
		case 'C':
			mkhr = 1;
			break;
		case 'V':
			verify = 1;
			break;
		case 'E':
			cfg_sample(stdout);
			return 0;
		case 'R':
			route_print(stdout);
			return 0;
		default:
			usage();
		}
	}
	if (cfg_load(envfile, err, sizeof(err)) == -1) {
		fprintf(stderr, "connectify-fcgi: %s\n", err);
		return 1;
	}
	if ((lvl = log_level_parse(cfg.log_level)) >= 0)
		log_level = lvl;
	if (verify)
		return audit_verify();
	if (mkhr) {
		if (argc - optind != 3)
			usage();
		return create_hr(argv[optind], argv[optind + 1],
		    argv[optind + 2]) == 0 ? 0 : 1;
	}
	if (n == 0)
		n = cfg.fcgi_workers;
	if (pm_load(&pm, n) == -1) {
		fprintf(stderr, "connectify-fcgi: FCGI_PM=dynamic needs 1 <= "
		    "FCGI_MIN_SPARE <= FCGI_MAX_SPARE\n");
		return 1;
	}
	/* A copy: a reload (SIGHUP) frees the configuration's strings. */
	snprintf(sockbuf, sizeof(sockbuf), "%s", sockpath != NULL ? sockpath :
	    cfg.fcgi_socket);
	sockpath = sockbuf;

	FCGX_Init();
	backlog_check(cfg.fcgi_backlog);
	if ((listen_fd = open_socket(sockpath, cfg.fcgi_socket_group,
	    (int)cfg.fcgi_backlog)) < 0) {
		fprintf(stderr, "connectify-fcgi: cannot listen on %s: %s\n",
		    sockpath, strerror(errno));
		return 1;
	}
	metrics_set_listen(listen_fd);
	if (metrics_init(nroutes) == -1) {
		fprintf(stderr, "connectify-fcgi: shared memory: %s\n",
		    strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	log_info("listening on %s with at most %ld processes (%s), backlog %ld",
	    sockpath, n, cfg.fcgi_pm, cfg.fcgi_backlog);
	memset(&pf, 0, sizeof(pf));
	pf.n = n;
	pf.child = child_main;
	pf.arg = &pf;
	pf.reload = reload;
	pf.listen_fd = listen_fd;
	pf.idle = metrics_idle_pick;
	pf.pm = pm;
	pf.status = metrics_set_pool;
	pf.drain_s = 30;
	pf.what = "process";
	rc = prefork_run(&pf);
	if (sockpath[0] != ':' && strchr(sockpath, ':') == NULL)
		(void)unlink(sockpath);
	log_info("stopped");
	cfg_free();
	return rc == 0 ? 0 : 1;
}
