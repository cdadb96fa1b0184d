/*
 * connectifyctl scale fcgi|worker N: the pool's size (FCGI_WORKERS or
 * WORKER_CONCURRENCY) written into the env file the services read (-c),
 * then SIGHUP to the pool's parent (-p PID, or systemd's MainPID of its
 * unit), then a wait until the pool is that size (static) or within it.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cfg.h"
#include "extern.h"

#define SCALE_WAIT_S	30

static const struct scale_pool {
	const char	*name;
	const char	*key;	/* the setting */
	const char	*unit;	/* systemd's unit, for its MainPID */
	size_t		 pm;	/* offset of its manager in struct cfg */
} scale_pools[] = {
	{ "fcgi", "FCGI_WORKERS", "connectify-fcgi.service",
	  offsetof(struct cfg, fcgi_pm) },
	{ "worker", "WORKER_CONCURRENCY", "connectify-worker.service",
	  offsetof(struct cfg, worker_pm) },
};
#define NSCALE_POOLS	(sizeof(scale_pools) / sizeof(scale_pools[0]))

/* The file with key=n in place of key's line (or added): 0 or -1. */
static int
scale_write(const char *path, const char *key, long n)
{
	struct stat	 st;
	struct buf	 out = { 0 };
	FILE		*in = NULL, *tmp = NULL;
	char		 line[4096], tpath[4096];
	size_t		 klen = strlen(key);
	int		 rc = -1, done = 0;

	snprintf(tpath, sizeof(tpath), "%s.scale.tmp", path);
	if ((in = fopen(path, "r")) == NULL || fstat(fileno(in), &st) == -1)
		goto out;
	while (fgets(line, sizeof(line), in) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			if (!done)
				buf_printf(&out, "%s=%ld\n", key, n);
			done = 1;
		} else
			buf_append(&out, line, strlen(line));
	}
	if (!done)
		buf_printf(&out, "%s=%ld\n", key, n);
	if ((tmp = fopen(tpath, "w")) == NULL)
		goto out;
	/* The same owner and mode: the services' user must read it. */
	(void)fchown(fileno(tmp), st.st_uid, st.st_gid);
	(void)fchmod(fileno(tmp), st.st_mode & 07777);
	if (fputs(buf_str(&out), tmp) == EOF || fflush(tmp) == EOF ||
	    fsync(fileno(tmp)) == -1)
		goto out;
	if (fclose(tmp) == EOF) {
		tmp = NULL;
		goto out;
	}
	tmp = NULL;
	rc = rename(tpath, path);
out:
	if (rc == -1)
		fprintf(stderr, "connectifyctl: %s: %s\n", path,
		    strerror(errno));
	if (tmp != NULL)
		fclose(tmp);
	if (rc == -1)
		(void)unlink(tpath);
	if (in != NULL)
		fclose(in);
	buf_free(&out);
	return rc;
}

/* systemd's MainPID of unit, or 0. */
static pid_t
scale_mainpid(const char *unit)
{
	FILE	*p;
	char	 cmd[256];
	long	 pid = 0;

	snprintf(cmd, sizeof(cmd), "systemctl show -p MainPID --value %s "
	    "2>/dev/null", unit);
	if ((p = popen(cmd, "r")) == NULL)
		return 0;
	if (fscanf(p, "%ld", &pid) != 1)
		pid = 0;
	pclose(p);
	return (pid_t)pid;
}

/* Live children of pid (from /proc). */
static long
scale_children(pid_t pid)
{
	DIR		*d;
	struct dirent	*e;
	FILE		*f;
	char		 path[300], stat[512], *rp, state;
	long		 ppid, n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    (f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(stat, sizeof(stat), f) != NULL &&
		    (rp = strrchr(stat, ')')) != NULL &&
		    sscanf(rp + 1, " %c %ld", &state, &ppid) == 2 &&
		    ppid == (long)pid && state != 'Z')
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Wait for the pool: n processes (static), or at most n. */
static int
scale_wait(pid_t pid, long n, int exact)
{
	time_t	 end = time(NULL) + SCALE_WAIT_S;
	long	 have;

	do {
		have = scale_children(pid);
		if (exact ? have == n : (have >= 0 && have <= n))
			return 0;
		usleep(100000);
	} while (time(NULL) < end && kill(pid, 0) == 0);
	fprintf(stderr, "connectifyctl: the pool (pid %d) has %ld processes, "
	    "not %ld, after %d s\n", (int)pid, have, n, SCALE_WAIT_S);
	return -1;
}

int
cmd_scale(int argc, char *argv[])
{
	const struct scale_pool	*sp = NULL;
	const char		*pm;
	char			*end;
	size_t			 i;
	long			 n;
	pid_t			 pid = 0;
	int			 ch;

	while ((ch = getopt(argc, argv, "p:")) != -1) {
		if (ch != 'p' || (pid = (pid_t)strtol(optarg, &end, 10)) <= 0 ||
		    *end != '\0') {
			ctl_help(argv[0]);
			return CTL_USAGE;
		}
	}
	for (i = 0; optind + 2 == argc && i < NSCALE_POOLS; i++)
		if (strcmp(scale_pools[i].name, argv[optind]) == 0)
			sp = &scale_pools[i];
	if (sp == NULL || (n = strtol(argv[optind + 1], &end, 10)) < 1 ||
	    n > 256 || *end != '\0') {
		ctl_help(argv[0]);
		return CTL_USAGE;
	}
	if (ctl_envfile == NULL) {
		fprintf(stderr, "connectifyctl: scale writes the services' "
		    "env file: give it with -c\n");
		return CTL_USAGE;
	}
	if (pid == 0 && (pid = scale_mainpid(sp->unit)) <= 0) {
		fprintf(stderr, "connectifyctl: %s is not running (or give "
		    "the pool's pid with -p)\n", sp->unit);
		return CTL_FAIL;
	}
	if (scale_write(ctl_envfile, sp->key, n) == -1)
		return CTL_FAIL;
	if (kill(pid, SIGHUP) == -1) {
		fprintf(stderr, "connectifyctl: pid %d: %s\n", (int)pid,
		    strerror(errno));
		return CTL_FAIL;
	}
	pm = *(const char *const *)((const char *)&cfg + sp->pm);
	if (scale_wait(pid, n, strcmp(pm, "static") == 0) == -1)
		return CTL_FAIL;
	printf("%s: %s=%ld in %s; the pool (pid %d) has %ld processes\n",
	    sp->name, sp->key, n, ctl_envfile, (int)pid, scale_children(pid));
	return CTL_OK;
}
