/*
 * wsclient: many WebSocket subscribers from one epoll loop.
 *
 * usage: wsclient [-h host] [-p port] [-m deliveries] [-t idle_s]
 *                 [-r] [-R max_retry_s] < paths
 *
 * Reads one request path a line from stdin, opens a connection for each
 * at once (all connect() calls before the first answer is read) and does
 * an RFC 6455 handshake on each.  It then prints one line of JSON:
 *
 *   READY {"sockets": N, "open": n, "status": {"101": a, "503": b, ...},
 *          "retry_after": r, "json_errors": j, "errors": e, "seconds": s}
 *
 * "retry_after" counts refusals that carried a Retry-After header,
 * "json_errors" those whose body was an {"error": ...} object, "errors"
 * connections that failed below HTTP (refused, reset, closed).  With -r a
 * refusal with Retry-After is tried again after that many seconds (at
 * most -R, default 10), as the browser app does, and READY comes when
 * every path is open or has failed for good.
 *
 * With -m, it then reads frames (answering pings) until that many text
 * messages arrived or nothing came for -t seconds (default 10), and
 * prints:
 *
 *   DONE {"deliveries": d, "p50_ms": x, "p99_ms": y, "max_ms": z,
 *         "seconds": s, "per_second": r, "closed": c}
 *
 * A message's latency is the receive time less its "t" member (the
 * sender's CLOCK_REALTIME in nanoseconds); "seconds" runs from the first
 * delivery to the last.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ		16384
#define NSTATUS		600

enum conn_state { C_CONNECTING, C_HEADERS, C_OPEN, C_WAIT, C_DONE };

struct conn {
	int		 fd;
	enum conn_state	 state;
	const char	*path;
	double		 retry_at;	/* C_WAIT: monotonic seconds */
	size_t		 len;		/* bytes in buf */
	uint64_t	 skip;		/* payload bytes of an oversize frame */
	char		 buf[BUFSZ];
};

static struct sockaddr_in	 addr;
static const char		*host = "127.0.0.1";
static int			 ep, retry, max_retry = 10;
static long			 nstatus[NSTATUS], nretry_after, njson, nerrors;
static long			 nopen, nclosed, ndone;
static uint32_t			*lat;		/* microseconds */
static long			 nlat, caplat;
static double			 first_t, last_t;

static double
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
now_real_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
conn_start(struct conn *c)
{
	struct epoll_event	 ev;
	int			 one = 1;

	c->len = 0;
	c->skip = 0;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd == -1)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) == -1 &&
	    errno != EINPROGRESS) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->state = C_CONNECTING;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT | EPOLLIN;
	ev.data.ptr = c;
	return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

/* Done with c for good (failed, refused, or closed by the server). */
static void
conn_end(struct conn *c, int failed)
{
	if (c->fd != -1) {
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	if (c->state == C_OPEN)
		nclosed++;
	else if (failed)
		nerrors++;
	if (c->state != C_OPEN)
		ndone++;
	c->state = C_DONE;
}

static void
conn_send_handshake(struct conn *c)
{
	struct epoll_event	 ev;
	char			 req[2048];
	int			 n;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", c->path, host);
	if (n <= 0 || (size_t)n >= sizeof(req) ||
	    write(c->fd, req, (size_t)n) != n) {
		conn_end(c, 1);
		return;
	}
	c->state = C_HEADERS;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The handshake's answer, whole in c->buf: count it, keep or drop c. */
static void
conn_answer(struct conn *c, char *end)
{
	char	*ra;
	int	 status = 0;
	long	 secs;
	size_t	 rest;

	*end = '\0';
	if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1 || status < 0 ||
	    status >= NSTATUS)
		status = 0;
	if (status == 101) {
		nstatus[101]++;
		nopen++;
		ndone++;
		c->state = C_OPEN;
		rest = c->len - (size_t)(end + 4 - c->buf);
		memmove(c->buf, end + 4, rest);
		c->len = rest;
		return;
	}
	ra = strcasestr(c->buf, "\r\nRetry-After:");
	/* The body may still be coming: a JSON error fits in one read. */
	if (strstr(end + 4, "{\"error\"") != NULL)
		njson++;
	if (ra != NULL && retry) {
		secs = strtol(ra + 14, NULL, 10);
		if (secs < 1)
			secs = 1;
		if (secs > max_retry)
			secs = max_retry;
		nretry_after++;
		epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
		c->state = C_WAIT;
		c->retry_at = now_mono() + (double)secs;
		return;
	}
	nstatus[status]++;
	if (ra != NULL)
		nretry_after++;
	conn_end(c, 0);
}

static void
lat_add(int64_t ns)
{
	uint32_t	*n;
	double		 t = now_mono();

	if (nlat == caplat) {
		caplat = caplat ? caplat * 2 : 65536;
		if ((n = realloc(lat, (size_t)caplat * sizeof(*lat))) == NULL)
			abort();
		lat = n;
	}
	if (ns < 0)
		ns = 0;
	lat[nlat++] = (uint32_t)(ns / 1000 > UINT32_MAX ? UINT32_MAX :
	    ns / 1000);
	if (first_t == 0)
		first_t = t;
	last_t = t;
}

/* A text message: its "t" stamp gives the latency. */
static void
msg_seen(const char *p, size_t n, int64_t now)
{
	const char	*t;
	char		 tmp[64];
	size_t		 i;

	t = memmem(p, n, "\"t\":", 4);
	if (t == NULL) {
		lat_add(0);
		return;
	}
	t += 4;
	for (i = 0; i < sizeof(tmp) - 1 && t + i < p + n &&
	    ((t[i] >= '0' && t[i] <= '9') || t[i] == ' '); i++)
		tmp[i] = t[i];
	tmp[i] = '\0';
	lat_add(now - strtoll(tmp, NULL, 10));
}

static void
pong_send(struct conn *c, const char *p, size_t n)
{
	unsigned char	 f[2 + 4 + 125];
	size_t		 i;

	if (n > 125)
		n = 125;
	f[0] = 0x8a;
	f[1] = (unsigned char)(0x80 | n);
	memset(f + 2, 0, 4);		/* a zero mask */
	for (i = 0; i < n; i++)
		f[6 + i] = (unsigned char)p[i];
	(void)!write(c->fd, f, 6 + n);
}

/* Every whole frame in c->buf; returns -1 when the server closed. */
static int
frames_read(struct conn *c, int64_t now)
{
	unsigned char	*b = (unsigned char *)c->buf;
	size_t		 off = 0, hl;
	uint64_t	 pl;
	int		 op, i;

	for (;;) {
		if (c->skip > 0) {
			pl = c->skip < c->len - off ? c->skip : c->len - off;
			c->skip -= pl;
			off += pl;
			if (c->skip > 0)
				break;
		}
		if (c->len - off < 2)
			break;
		op = b[off] & 0x0f;
		pl = b[off + 1] & 0x7f;
		hl = 2;
		if (pl == 126) {
			if (c->len - off < 4)
				break;
			pl = ((uint64_t)b[off + 2] << 8) | b[off + 3];
			hl = 4;
		} else if (pl == 127) {
			if (c->len - off < 10)
				break;
			for (pl = 0, i = 0; i < 8; i++)
				pl = (pl << 8) | b[off + 2 + i];
			hl = 10;
		}
		if (hl + pl > BUFSZ) {		/* not ours: skip it */
			c->skip = pl;
			off += hl;
			if (op == 1 || op == 2)
				lat_add(0);
			continue;
		}
		if (c->len - off < hl + pl)
			break;
		if (op == 1 || op == 2)
			msg_seen(c->buf + off + hl, pl, now);
		else if (op == 9)
			pong_send(c, c->buf + off + hl, pl);
		else if (op == 8)
			return -1;
		off += hl + pl;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	return 0;
}

static void
conn_readable(struct conn *c)
{
	char	*end;
	ssize_t	 n;

	for (;;) {
		if (c->len == BUFSZ) {
			conn_end(c, 1);
			return;
		}
		n = read(c->fd, c->buf + c->len, BUFSZ - c->len - 1);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			if (c->state == C_HEADERS && c->len > 0) {
				c->buf[c->len] = '\0';
				end = strstr(c->buf, "\r\n\r\n");
				if (end != NULL) {
					conn_answer(c, end);
					if (c->state != C_DONE)
						return;
				}
			}
			if (c->state != C_DONE && c->state != C_WAIT)
				conn_end(c, 1);
			return;
		}
		c->len += (size_t)n;
		c->buf[c->len] = '\0';
		if (c->state == C_HEADERS) {
			if ((end = strstr(c->buf, "\r\n\r\n")) == NULL)
				continue;
			/* Wait for a refusal's body: it ends the answer. */
			if (strncmp(c->buf, "HTTP/1.1 101", 12) != 0 &&
			    strchr(end + 4, '}') == NULL &&
			    strcasestr(c->buf, "Content-Length: 0") == NULL)
				continue;
			conn_answer(c, end);
			if (c->state != C_OPEN)
				return;
		}
		if (c->state == C_OPEN && frames_read(c, now_real_ns()) == -1) {
			conn_end(c, 0);
			return;
		}
	}
}

static void
conn_event(struct conn *c, uint32_t events)
{
	int		 err = 0;
	socklen_t	 len = sizeof(err);

	if (c->state == C_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			conn_end(c, 1);
			return;
		}
		if (events & EPOLLOUT)
			conn_send_handshake(c);
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_readable(c);
}

/* Refused sockets whose Retry-After has passed try again. */
static void
retries_due(struct conn *cs, long n)
{
	double	 t = now_mono();
	long	 i;

	for (i = 0; i < n; i++)
		if (cs[i].state == C_WAIT && cs[i].retry_at <= t &&
		    conn_start(&cs[i]) == -1)
			conn_end(&cs[i], 1);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
ready_print(long n, double secs)
{
	int	 i, first = 1;

	printf("READY {\"sockets\": %ld, \"open\": %ld, \"status\": {", n,
	    nopen);
	for (i = 0; i < NSTATUS; i++)
		if (nstatus[i] > 0) {
			printf("%s\"%d\": %ld", first ? "" : ", ", i,
			    nstatus[i]);
			first = 0;
		}
	printf("}, \"retry_after\": %ld, \"json_errors\": %ld, \"errors\": "
	    "%ld, \"seconds\": %.3f}\n", nretry_after, njson, nerrors, secs);
	fflush(stdout);
}

static void
done_print(void)
{
	double	 p50 = 0, p99 = 0, mx = 0, secs = last_t - first_t;

	if (nlat > 0) {
		qsort(lat, (size_t)nlat, sizeof(*lat), cmp_u32);
		p50 = lat[nlat / 2] / 1e3;
		p99 = lat[(nlat * 99) / 100] / 1e3;
		mx = lat[nlat - 1] / 1e3;
	}
	printf("DONE {\"deliveries\": %ld, \"p50_ms\": %.2f, \"p99_ms\": "
	    "%.2f, \"max_ms\": %.2f, \"seconds\": %.3f, \"per_second\": "
	    "%.0f, \"closed\": %ld}\n", nlat, p50, p99, mx, secs,
	    secs > 0 ? (double)nlat / secs : 0.0, nclosed);
	fflush(stdout);
}

static char **
paths_read(long *np)
{
	char	**v = NULL, line[4096];
	long	 n = 0, cap = 0;
	size_t	 l;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		l = strcspn(line, "\r\n");
		line[l] = '\0';
		if (l == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((v = realloc(v, (size_t)cap * sizeof(*v))) == NULL)
				abort();
		}
		if ((v[n++] = strdup(line)) == NULL)
			abort();
	}
	*np = n;
	return v;
}

static void
loop(struct conn *cs, long n, long want, double idle)
{
	struct epoll_event	 evs[512];
	double			 t0 = now_mono(), seen = t0;
	long			 before;
	int			 k, i, ready = 0;

	for (;;) {
		if (!ready && ndone == n) {
			ready_print(n, now_mono() - t0);
			ready = 1;
			if (want == 0)
				return;
			seen = now_mono();
		}
		if (ready && (nlat >= want || nopen - nclosed == 0 ||
		    now_mono() - seen > idle))
			return;
		before = nlat;
		k = epoll_wait(ep, evs, 512, 100);
		for (i = 0; i < k; i++)
			conn_event(evs[i].data.ptr, evs[i].events);
		if (nlat > before)
			seen = now_mono();
		if (retry && !ready)
			retries_due(cs, n);
		if (!ready && now_mono() - t0 > 120) {	/* give up */
			for (i = 0; i < n; i++)
				if (cs[i].state != C_OPEN &&
				    cs[i].state != C_DONE)
					conn_end(&cs[i], 1);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct addrinfo	 hints, *ai;
	struct rlimit	 rl;
	struct conn	*cs;
	char		**paths;
	const char	*port = "8080";
	double		 idle = 10;
	long		 n, i, want = 0;
	int		 ch;

	while ((ch = getopt(argc, argv, "h:p:m:t:rR:")) != -1) {
		switch (ch) {
		case 'h':
			host = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'm':
			want = strtol(optarg, NULL, 10);
			break;
		case 't':
			idle = strtod(optarg, NULL);
			break;
		case 'r':
			retry = 1;
			break;
		case 'R':
			max_retry = (int)strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: wsclient [-h host] [-p port] "
			    "[-m deliveries] [-t idle_s] [-r] [-R max_s] "
			    "< paths\n");
			return 2;
		}
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0) {
		fprintf(stderr, "wsclient: cannot resolve %s\n", host);
		return 1;
	}
	memcpy(&addr, ai->ai_addr, sizeof(addr));
	freeaddrinfo(ai);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	paths = paths_read(&n);
	if ((cs = calloc((size_t)n + 1, sizeof(*cs))) == NULL ||
	    (ep = epoll_create1(0)) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		cs[i].path = paths[i];
		cs[i].fd = -1;
		if (conn_start(&cs[i]) == -1)
			conn_end(&cs[i], 1);
	}
	loop(cs, n, want, idle);
	if (want > 0)
		done_print();
	for (i = 0; i < n; i++) {
		if (cs[i].fd != -1)
			close(cs[i].fd);
		free(paths[i]);
	}
	free(paths);
	free(cs);
	close(ep);
	return 0;
}
