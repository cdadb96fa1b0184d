/*
 * connectify-worker: runs the slow work (resume scoring, mail) from the
 * PostgreSQL job table.  This first version connects, LISTENs for new
 * jobs and exits cleanly on SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cfg.h"
#include "db.h"
#include "log.h"

static volatile sig_atomic_t	 got_term;

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	struct pollfd	 pfd;
	PGnotify	*nt;
	PGresult	*res;
	const char	*envfile = NULL;
	char		*conninfo, err[256];
	int		 ch, lvl;

	log_set_prog("connectify-worker");
	while ((ch = getopt(argc, argv, "c:j:")) != -1) {
		switch (ch) {
		case 'c':
			envfile = optarg;
			break;
		case 'j':
			break;
		default:
			fprintf(stderr, "usage: connectify-worker [-c envfile] "
			    "[-j processes]\n");
			return 2;
		}
	}
	if (cfg_load(envfile, err, sizeof(err)) == -1) {
		fprintf(stderr, "connectify-worker: %s\n", err);
		return 1;
	}
	if ((lvl = log_level_parse(cfg.log_level)) >= 0)
		log_level = lvl;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	conninfo = cfg_conninfo();
	db_open(conninfo);
	free(conninfo);
	while (!got_term) {
		if (db_ready() == -1) {
			sleep(1);
			continue;
		}
		res = PQexec(db_conn(), "LISTEN job_available");
		PQclear(res);
		log_info("listening for jobs");
		pfd.fd = PQsocket(db_conn());
		pfd.events = POLLIN;
		while (!got_term && PQstatus(db_conn()) == CONNECTION_OK) {
			if (poll(&pfd, 1, (int)cfg.job_poll_ms) == -1 &&
			    errno != EINTR)
				break;
			if (!PQconsumeInput(db_conn()))
				break;
			while ((nt = PQnotifies(db_conn())) != NULL) {
				log_debug("notified: %s", nt->relname);
				PQfreemem(nt);
			}
		}
	}
	log_info("stopped");
	db_close();
	cfg_free();
	return 0;
}
