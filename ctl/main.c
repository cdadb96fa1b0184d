/*
 * connectifyctl: the administrator's command.
 *
 *	connectifyctl [-c envfile] command [arguments]
 *
 * Reads the same configuration as connectify-fcgi and connectify-worker
 * (lib/cfg.c: defaults, the env file, the environment) and acts on the
 * same database and pool: status, migrate, check-config, create-admin,
 * jobs, purge and scale.  Every command takes --help.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "db.h"
#include "log.h"
#include "extern.h"

const char	*ctl_envfile;

struct ctl_cmd {
	const char	*name;
	int		(*fn)(int, char *[]);
	int		 needs_cfg;	/* refuse to run on a bad config */
	const char	*synopsis;
	const char	*help;
};

/* style: wide (the help texts as they print) */
static const struct ctl_cmd cmds[] = {
	{ "status", cmd_status, 1, "status",
	  "The pools and the queue: FastCGI processes configured, alive, busy\n"
	  "and idle, how often every process was busy, slow requests (asked of\n"
	  "the pool's /metrics over FCGI_SOCKET); worker processes busy (jobs\n"
	  "under a live lease) and idle; jobs ready, delayed and running by\n"
	  "kind, with the age of the oldest ready one.  Exit 1 when the pool\n"
	  "or the database does not answer.\n" },
	{ "migrate", cmd_migrate, 1, "migrate [-l] [-d sqldir]",
	  "Apply the migrations (NNN_name.sql in sqldir, default the installed\n"
	  "ones) not applied yet, in order, each in one transaction, recorded\n"
	  "in schema_migrations; safe to run twice or concurrently.\n"
	  "  -l  list every migration as applied or pending; apply nothing\n" },
	{ "check-config", cmd_check_config, 0, "check-config [-d sqldir]",
	  "Validate the settings and reach every service they name: PostgreSQL\n"
	  "(and pending migrations), SMTP (greeting and EHLO, MAIL_BACKEND=smtp)\n"
	  "or the mail directory, storage (writes and deletes a probe), the\n"
	  "scorer (builtin: scores a sample; openai: lists the models), and the\n"
	  "nchan publisher.  One line per check; exit 1 when any failed.\n" },
	{ "create-admin", cmd_create_admin, 1, "create-admin NAME PHONE EMAIL",
	  "Create an HR account (the organisation's first administrator): the\n"
	  "same as connectify-fcgi --create-hr.  The account signs in with a\n"
	  "code sent to PHONE (or EMAIL with SMS_BACKEND=mail).\n" },
	{ "jobs", cmd_jobs, 1,
	  "jobs list [-s state] [-k kind] [-n count] | retry ID... | discard ID...",
	  "list     the newest jobs (default 20): id, kind, state, attempts,\n"
	  "         run at, last error; -s available|running|completed|\n"
	  "         cancelled|discarded, -k kind\n"
	  "retry    run discarded or cancelled jobs again with fresh attempts,\n"
	  "         or a job waiting for its retry now\n"
	  "discard  give up jobs still waiting (kept as discarded, with the\n"
	  "         reason \"discarded by an operator\"); a running job is\n"
	  "         asked to stop instead\n" },
	{ "purge", cmd_purge, 1, "purge",
	  "Delete what is kept only for a while: finished jobs past\n"
	  "JOB_RETENTION_HOURS (discarded ones past\n"
	  "JOB_DISCARDED_RETENTION_HOURS), sign-in codes expired over a day\n"
	  "ago, expired refresh tokens.  The worker prunes jobs by itself;\n"
	  "purge is for a stopped worker or a cron job.\n" },
	{ "scale", cmd_scale, 1, "scale [-p pid] fcgi|worker N",
	  "Size a pool: FCGI_WORKERS or WORKER_CONCURRENCY=N written into the\n"
	  "env file given with -c (the one the services read), then SIGHUP to\n"
	  "the pool's parent (-p, or systemd's MainPID of connectify-fcgi or\n"
	  "connectify-worker), then a wait until it has N processes (static;\n"
	  "dynamic and ondemand: at most N).  Exit 1 when it does not.\n" },
};
/* style: end */
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: connectifyctl [-c envfile] command [arguments]\n"
	    "       connectifyctl command --help\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %s\n", cmds[i].synopsis);
}

void
ctl_help(const char *name)
{
	size_t	 i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			printf("usage: connectifyctl [-c envfile] %s\n\n%s",
			    cmds[i].synopsis, cmds[i].help);
}

int
ctl_wants_help(int argc, char *argv[])
{
	int	 i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int
ctl_db_open(void)
{
	char	*conninfo = cfg_conninfo();

	db_open(conninfo);
	free(conninfo);
	if (db_ready() == -1) {
		fprintf(stderr, "connectifyctl: the database does not answer "
		    "(or its schema is not migrated: connectifyctl migrate)\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	*c = NULL;
	char			 err[256];
	size_t			 i;
	int			 ch, lvl, rc;

	log_set_prog("connectifyctl");
	log_level = LOG_LVL_WARN;
	/* Options before the command only: "+" stops at the first word. */
	while ((ch = getopt_long(argc, argv, "+c:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctl_envfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_OK;
		default:
			usage(stderr);
			return CTL_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return CTL_USAGE;
	}
	for (i = 0; i < NCMDS && c == NULL; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			c = &cmds[i];
	if (c == NULL) {
		fprintf(stderr, "connectifyctl: unknown command \"%s\"\n",
		    argv[0]);
		usage(stderr);
		return CTL_USAGE;
	}
	if (ctl_wants_help(argc, argv)) {
		ctl_help(c->name);
		return CTL_OK;
	}
	if (cfg_load(ctl_envfile, err, sizeof(err)) == -1 && c->needs_cfg) {
		fprintf(stderr, "connectifyctl: %s\n", err);
		return CTL_FAIL;
	}
	if (c->needs_cfg && (lvl = log_level_parse(cfg.log_level)) >= 0 &&
	    lvl < LOG_LVL_WARN)
		log_level = lvl;
	/* getopt in the command starts afresh on its own argv. */
	optind = 0;
	rc = c->fn(argc, argv);
	db_close();
	cfg_free();
	return rc;
}
