/*
 * metrics: request counters and latency histograms shared by every
 * process of the pool (one anonymous shared mapping made before fork,
 * updated with atomic adds), rendered as Prometheus text.
 */
#include <sys/mman.h>
#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "extern.h"
#include "nchan.h"

static const int codes[] = { 200, 201, 202, 204, 400, 401, 403, 404, 405,
    409, 413, 414, 415, 422, 429, 500, 502, 503, 0 /* other */ };
#define NCODES	(sizeof(codes) / sizeof(codes[0]))

static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1, 2.5 };
#define NBOUNDS	(sizeof(bounds) / sizeof(bounds[0]))

struct route_stats {
	unsigned long	 by_code[NCODES];
	unsigned long	 bucket[NBOUNDS + 1];	/* last: +Inf */
	unsigned long	 sum_us;
};

/* A request slower than this counts as slow (php-fpm's slowlog). */
#define SLOW_SECONDS	1.0
#define NSLOTS		256	/* PREFORK_MAX */

/* One pool process: its pid, and whether it is in a request. */
struct slot {
	int		 pid;
	int		 busy;
	long		 since;		/* last change, monotonic seconds */
};

struct shared {
	long			 pool_configured;
	long			 pool_alive;
	unsigned long		 max_reached;	/* requests that made every
						 * process busy */
	unsigned long		 slow;		/* requests over SLOW_SECONDS */
	struct slot		 slot[NSLOTS];
	unsigned long		 cache[2];	/* misses, hits */
	unsigned long		 nchan[2];	/* failed, accepted */
	struct route_stats	 r[];	/* nroutes + 1 (unrouted) */
};

static struct shared	*shm;
static int		 listen_fd = -1;
static size_t		 shm_routes;

int
metrics_init(size_t n)
{
	size_t	 sz;

	sz = sizeof(struct shared) + (n + 1) * sizeof(struct route_stats);
	shm = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (shm == MAP_FAILED) {
		shm = NULL;
		return -1;
	}
	memset(shm, 0, sz);
	shm_routes = n;
	nchan_observe(metrics_nchan);
	return 0;
}

void
metrics_observe(size_t route, int status, double secs)
{
	struct route_stats	*s;
	size_t			 i;

	if (shm == NULL)
		return;
	if (route > shm_routes)
		route = shm_routes;
	s = &shm->r[route];
	for (i = 0; i < NCODES - 1 && codes[i] != status; i++)
		continue;
	__atomic_add_fetch(&s->by_code[i], 1, __ATOMIC_RELAXED);
	for (i = 0; i < NBOUNDS && secs > bounds[i]; i++)
		continue;
	__atomic_add_fetch(&s->bucket[i], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->sum_us, (unsigned long)(secs * 1e6),
	    __ATOMIC_RELAXED);
}

/*
 * This process's slot: a free one, or one whose process is gone (a child
 * killed in a request leaves its slot marked busy until it is reused).
 */
static struct slot *
metrics_slot(void)
{
	static struct slot	*mine;
	int			 i, pid, self = (int)getpid();

	if (mine != NULL && mine->pid == self)
		return mine;
	for (i = 0; i < NSLOTS; i++) {
		pid = __atomic_load_n(&shm->slot[i].pid, __ATOMIC_RELAXED);
		if (pid != 0 && (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		if (__atomic_compare_exchange_n(&shm->slot[i].pid, &pid, self,
		    0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
			shm->slot[i].busy = 0;
			return mine = &shm->slot[i];
		}
	}
	return NULL;
}

static long
metrics_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

/* Processes alive (by their slots) and busy. */
static void
metrics_count(long *alive, long *busy)
{
	int	 i, pid;

	*alive = *busy = 0;
	for (i = 0; i < NSLOTS; i++) {
		pid = __atomic_load_n(&shm->slot[i].pid, __ATOMIC_RELAXED);
		if (pid == 0 || (kill(pid, 0) == -1 && errno == ESRCH))
			continue;
		(*alive)++;
		if (__atomic_load_n(&shm->slot[i].busy, __ATOMIC_RELAXED))
			(*busy)++;
	}
}

void
metrics_idle(void)
{
	struct slot	*sl;

	if (shm != NULL && (sl = metrics_slot()) != NULL) {
		__atomic_store_n(&sl->since, metrics_now(), __ATOMIC_RELAXED);
		__atomic_store_n(&sl->busy, 0, __ATOMIC_RELAXED);
	}
}

long
metrics_idle_pick(void *arg, long secs, pid_t *pick)
{
	long	 n = 0, now = metrics_now();
	int	 i, pid;

	(void)arg;
	if (pick != NULL)
		*pick = 0;
	if (shm == NULL)
		return 0;
	for (i = 0; i < NSLOTS; i++) {
		pid = __atomic_load_n(&shm->slot[i].pid, __ATOMIC_RELAXED);
		if (pid == 0 || (kill(pid, 0) == -1 && errno == ESRCH) ||
		    __atomic_load_n(&shm->slot[i].busy, __ATOMIC_RELAXED))
			continue;
		n++;
		if (pick != NULL && *pick == 0 && now - __atomic_load_n(
		    &shm->slot[i].since, __ATOMIC_RELAXED) >= secs)
			*pick = pid;
	}
	return n;
}

void
metrics_begin(void)
{
	struct slot	*sl;
	long		 alive, busy;

	if (shm == NULL || (sl = metrics_slot()) == NULL)
		return;
	__atomic_store_n(&sl->since, metrics_now(), __ATOMIC_RELAXED);
	__atomic_store_n(&sl->busy, 1, __ATOMIC_SEQ_CST);
	metrics_count(&alive, &busy);
	if (busy >= __atomic_load_n(&shm->pool_configured, __ATOMIC_RELAXED))
		__atomic_add_fetch(&shm->max_reached, 1, __ATOMIC_RELAXED);
}

void
metrics_end(double secs)
{
	if (shm == NULL)
		return;
	if (secs > SLOW_SECONDS)
		__atomic_add_fetch(&shm->slow, 1, __ATOMIC_RELAXED);
	metrics_idle();
}

void
metrics_set_listen(int fd)
{
	listen_fd = fd;
}

void
metrics_set_pool(long configured, long alive)
{
	if (shm == NULL)
		return;
	__atomic_store_n(&shm->pool_configured, configured, __ATOMIC_RELAXED);
	__atomic_store_n(&shm->pool_alive, alive, __ATOMIC_RELAXED);
}

void
metrics_cache(int hit)
{
	if (shm != NULL)
		__atomic_add_fetch(&shm->cache[hit != 0], 1, __ATOMIC_RELAXED);
}

/* One request to nchan's publisher: 201/202 accepted, else failed. */
void
metrics_nchan(long status)
{
	if (shm != NULL)
		__atomic_add_fetch(&shm->nchan[status == 201 ||
		    status == 202], 1, __ATOMIC_RELAXED);
}

void
metrics_render(struct buf *b)
{
	const struct route_stats *s;
	const char		*name;
	unsigned long		 cum, total;
	long			 alive, busy, queued, qmax;
	size_t			 i, j;

	if (shm == NULL)
		return;
	buf_puts(b, "# HELP connectify_http_requests_total Requests by route "
	    "and status.\n# TYPE connectify_http_requests_total counter\n");
	for (i = 0; i <= shm_routes; i++) {
		s = &shm->r[i];
		name = i < shm_routes ? routes[i].name : "unrouted";
		for (j = 0; j < NCODES; j++) {
			if (s->by_code[j] == 0)
				continue;
			if (codes[j] != 0)
				buf_printf(b, "connectify_http_requests_total"
				    "{route=\"%s\",status=\"%d\"} %lu\n", name,
				    codes[j], s->by_code[j]);
			else
				buf_printf(b, "connectify_http_requests_total"
				    "{route=\"%s\",status=\"other\"} %lu\n",
				    name, s->by_code[j]);
		}
	}
	buf_puts(b, "# HELP connectify_http_request_duration_seconds Time "
	    "in the handler.\n# TYPE connectify_http_request_duration_seconds "
	    "histogram\n");
	for (i = 0; i <= shm_routes; i++) {
		s = &shm->r[i];
		name = i < shm_routes ? routes[i].name : "unrouted";
		for (total = 0, j = 0; j <= NBOUNDS; j++)
			total += s->bucket[j];
		if (total == 0)
			continue;
		for (cum = 0, j = 0; j < NBOUNDS; j++) {
			cum += s->bucket[j];
			buf_printf(b, "connectify_http_request_duration_seconds"
			    "_bucket{route=\"%s\",le=\"%g\"} %lu\n", name,
			    bounds[j], cum);
		}
		buf_printf(b, "connectify_http_request_duration_seconds_bucket"
		    "{route=\"%s\",le=\"+Inf\"} %lu\n", name, total);
		buf_printf(b, "connectify_http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", name, s->sum_us / 1e6);
		buf_printf(b, "connectify_http_request_duration_seconds_count"
		    "{route=\"%s\"} %lu\n", name, total);
	}
	buf_printf(b, "# HELP connectify_fcgi_pool_processes FastCGI "
	    "processes.\n# TYPE connectify_fcgi_pool_processes gauge\n"
	    "connectify_fcgi_pool_processes{state=\"configured\"} %ld\n"
	    "connectify_fcgi_pool_processes{state=\"alive\"} %ld\n",
	    shm->pool_configured, shm->pool_alive);
	metrics_count(&alive, &busy);
	buf_printf(b, "# HELP connectify_fcgi_pool_workers FastCGI processes "
	    "in a request (busy) or waiting for one (idle).\n"
	    "# TYPE connectify_fcgi_pool_workers gauge\n"
	    "connectify_fcgi_pool_workers{state=\"busy\"} %ld\n"
	    "connectify_fcgi_pool_workers{state=\"idle\"} %ld\n",
	    busy, alive - busy);
	if (listenq_read(listen_fd, &queued, &qmax) == 0)
		buf_printf(b, "# HELP connectify_fcgi_listen_queue Connections "
		    "waiting for a free process (nginx's requests not yet "
		    "taken).\n# TYPE connectify_fcgi_listen_queue gauge\n"
		    "connectify_fcgi_listen_queue %ld\n"
		    "# HELP connectify_fcgi_listen_queue_max Length of the "
		    "accept queue.\n# TYPE connectify_fcgi_listen_queue_max "
		    "gauge\nconnectify_fcgi_listen_queue_max %ld\n", queued,
		    qmax);
	buf_printf(b, "# HELP connectify_fcgi_pool_max_reached_total Requests "
	    "that found every configured process busy (raise FCGI_WORKERS when "
	    "this grows).\n# TYPE connectify_fcgi_pool_max_reached_total "
	    "counter\nconnectify_fcgi_pool_max_reached_total %lu\n",
	    shm->max_reached);
	buf_printf(b, "# HELP connectify_fcgi_slow_requests_total Requests "
	    "that took over %g s in the handler.\n"
	    "# TYPE connectify_fcgi_slow_requests_total counter\n"
	    "connectify_fcgi_slow_requests_total %lu\n", SLOW_SECONDS,
	    shm->slow);
	buf_printf(b, "# HELP connectify_cache_lookups_total Cacheable list "
	    "requests answered from a process's cache (hit) or not (miss).\n"
	    "# TYPE connectify_cache_lookups_total counter\n"
	    "connectify_cache_lookups_total{result=\"hit\"} %lu\n"
	    "connectify_cache_lookups_total{result=\"miss\"} %lu\n",
	    shm->cache[1], shm->cache[0]);
	buf_printf(b, "# HELP connectify_nchan_publishes_total Requests to "
	    "nchan's publisher, accepted (201/202) or failed (logged).\n"
	    "# TYPE connectify_nchan_publishes_total counter\n"
	    "connectify_nchan_publishes_total{result=\"accepted\"} %lu\n"
	    "connectify_nchan_publishes_total{result=\"failed\"} %lu\n",
	    shm->nchan[1], shm->nchan[0]);
}
