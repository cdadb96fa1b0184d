/*
 * replay: run a harness's LLVMFuzzerTestOneInput over files without
 * libFuzzer, so any compiler's build replays the kept corpus.
 *
 *   replay_<name> [FILE | DIR]...
 *
 * A DIR stands for every file in it (sorted).  Without arguments, the
 * corpus $CONNECTIFY_SRCDIR/t/fuzz/corpus/<name>/ (<name> from the
 * program's own name); none there is a failure.  Exits 0 when every
 * input ran; a crash ends the program, and so does an input that runs
 * over FUZZ_HANG_S seconds (a hang: the code at fault is quadratic or
 * worse; libFuzzer's -timeout).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_HANG_S	5

static const char *replay_cur = "";

static void
replay_hang(int sig)
{
	static const char msg[] = ": input ran over the time limit\n";

	(void)sig;
	(void)!write(2, replay_cur, strlen(replay_cur));
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static int
replay_file(const char *path)
{
	uint8_t	*d = NULL, *nd;
	size_t	 n = 0, cap = 0, r;
	FILE	*f;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((nd = realloc(d, cap)) == NULL)
				abort();
			d = nd;
		}
		r = fread(d + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	/* An exact-size copy, as libFuzzer gives, so reads past the end
	 * are caught by a sanitizer. */
	if ((nd = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	memcpy(nd, d, n);
	free(d);
	replay_cur = path;
	alarm(FUZZ_HANG_S);
	LLVMFuzzerTestOneInput(nd, n);
	alarm(0);
	free(nd);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, sorted; the count run or -1. */
static long
replay_dir(const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, path[PATH_MAX];
	size_t		  n = 0, cap = 0, i;
	long		  ran = 0;
	DIR		 *d;

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				abort();
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) == -1)
				ran = -1;
			else if (ran >= 0)
				ran++;
		}
		free(names[i]);
	}
	free(names);
	return ran;
}

static long
replay_path(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		perror(path);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return replay_dir(path);
	return replay_file(path) == -1 ? -1 : 1;
}

int
main(int argc, char *argv[])
{
	const char	*src, *base, *name;
	char		 dir[PATH_MAX];
	long		 ran, total = 0;
	int		 i;

	signal(SIGALRM, replay_hang);
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			if ((ran = replay_path(argv[i])) == -1)
				return 1;
			total += ran;
		}
		printf("%s: %ld inputs replayed\n", argv[0], total);
		return 0;
	}
	if ((src = getenv("CONNECTIFY_SRCDIR")) == NULL)
		src = ".";
	base = (base = strrchr(argv[0], '/')) != NULL ? base + 1 : argv[0];
	name = strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
	snprintf(dir, sizeof(dir), "%s/t/fuzz/corpus/%s", src, name);
	if ((total = replay_dir(dir)) <= 0) {
		fprintf(stderr, "%s: no corpus replayed from %s\n", argv[0],
		    dir);
		return 1;
	}
	printf("%s: %ld inputs of %s replayed\n", argv[0], total, dir);
	return 0;
}
