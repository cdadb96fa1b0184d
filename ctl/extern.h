/*
 * connectifyctl: private interfaces of the admin command.
 *
 * Each command is a row of the table in main.c: a function given its
 * own argv (argv[0] is the command's name) after the configuration was
 * loaded, returning the exit status (0 done, 1 failed, 2 usage).
 */
#ifndef CTL_EXTERN_H
#define CTL_EXTERN_H

#include <stddef.h>

#include "buf.h"

/* Exit statuses. */
#define CTL_OK		0
#define CTL_FAIL	1
#define CTL_USAGE	2

/* main.c: the configuration file given with -c (or NULL). */
extern const char	*ctl_envfile;
/* Nonzero when argv has -h or --help: the command prints its help. */
int	ctl_wants_help(int argc, char *argv[]);
/* Print a command's help (its table row) to stdout. */
void	ctl_help(const char *cmd);
/* Open the database with the statement table; 0 or -1 (said on stderr). */
int	ctl_db_open(void);

/* fcgiget.c: GET path from a FastCGI server (FCGI_SOCKET syntax: a unix
 * socket path, or [host]:port).  The body (headers stripped) is appended
 * to out.  0, or -1 with a reason in err. */
int	fcgi_get(const char *sock, const char *path, int timeout_ms,
	    struct buf *out, char *err, size_t errsz);

/* Commands. */
int	cmd_status(int, char *[]);
int	cmd_migrate(int, char *[]);
int	cmd_check_config(int, char *[]);
int	cmd_create_admin(int, char *[]);
int	cmd_jobs(int, char *[]);
int	cmd_purge(int, char *[]);
int	cmd_scale(int, char *[]);

/* migrate.c: applied and pending migrations, for check-config too.
 * Returns the number pending (>= 0) or -1 when the database is away. */
int	migrate_pending(const char *sqldir, char *err, size_t errsz);
const char *migrate_default_dir(void);

#endif /* CTL_EXTERN_H */
