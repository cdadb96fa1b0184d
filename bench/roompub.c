/*
 * roompub: publish timed messages the way the application tells a room,
 * through lib/nchan.c (channel names packed into publisher requests).
 *
 * usage: roompub SOCKET CHANNELS_FILE COUNT RATE
 *
 * CHANNELS_FILE holds one comma-separated channel list (one name: a
 * plain one-channel publish).  COUNT messages go out RATE a second
 * (0: as fast as they go), each {"type":"bench","seq":k,"t":NS} with NS
 * the CLOCK_REALTIME at its publish, which bench/wsclient turns into a
 * latency.  Prints "PUBLISHED n failed f seconds s".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nchan.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
file_read(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "r")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) == -1 ||
	    (s = malloc((size_t)n + 1)) == NULL)
		exit(1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	s[n] = '\0';
	s[strcspn(s, "\r\n")] = '\0';
	fclose(f);
	return s;
}

int
main(int argc, char *argv[])
{
	struct timespec	 ts;
	char		*chans, msg[128];
	double		 t0, rate, due;
	long		 i, count, failed = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: roompub SOCKET CHANNELS_FILE COUNT "
		    "RATE\n");
		return 2;
	}
	nchan_init(argv[1], "http://nchan/pub/");
	chans = file_read(argv[2]);
	count = strtol(argv[3], NULL, 10);
	rate = strtod(argv[4], NULL);
	t0 = now();
	for (i = 0; i < count; i++) {
		if (rate > 0) {
			due = t0 + (double)i / rate - now();
			if (due > 0) {
				ts.tv_sec = (time_t)due;
				ts.tv_nsec = (long)((due - (double)ts.tv_sec) *
				    1e9);
				nanosleep(&ts, NULL);
			}
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(msg, sizeof(msg), "{\"type\":\"bench\",\"seq\":%ld,"
		    "\"t\":%lld}", i, (long long)ts.tv_sec * 1000000000LL +
		    ts.tv_nsec);
		if (nchan_publish(chans, msg) == -1)
			failed++;
	}
	printf("PUBLISHED %ld failed %ld seconds %.3f\n", count, failed,
	    now() - t0);
	free(chans);
	return failed > 0;
}
