/*
 * metrics: request counters and latency histograms shared by every
 * process of the pool (one anonymous shared mapping made before fork,
 * updated with atomic adds), rendered as Prometheus text.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

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

struct shared {
	long			 pool_configured;
	long			 pool_alive;
	unsigned long		 cache[2];	/* misses, hits */
	unsigned long		 nchan[2];	/* failed, accepted */
	struct route_stats	 r[];	/* nroutes + 1 (unrouted) */
};

static struct shared	*shm;
static size_t		 shm_routes;

int
metrics_init(size_t n)
{
	size_t	 sz = sizeof(struct shared) + (n + 1) * sizeof(struct route_stats);

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
