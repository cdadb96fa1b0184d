/*
 * fcgiget: the smallest FastCGI client, enough to GET /metrics from the
 * pool the way nginx would (one request, no keep-alive).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <netdb.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "extern.h"

#define FCGI_BEGIN_REQUEST	1
#define FCGI_END_REQUEST	3
#define FCGI_PARAMS		4
#define FCGI_STDIN		5
#define FCGI_STDOUT		6
#define FCGI_RESPONDER		1

/* Connect to a unix socket path or [host]:port: fd or -1. */
static int
fcgi_connect(const char *sock)
{
	struct sockaddr_un	 un;
	struct addrinfo		 hints, *ai = NULL, *a;
	const char		*colon;
	char			 host[256];
	int			 fd = -1;

	if ((colon = strrchr(sock, ':')) == NULL) {
		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		if (strlen(sock) >= sizeof(un.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(un.sun_path, sock);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&un, sizeof(un)) == -1) {
			close(fd);
			return -1;
		}
		return fd;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - sock), sock);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host[0] ? host : "127.0.0.1", colon + 1, &hints,
	    &ai) != 0) {
		errno = EHOSTUNREACH;
		return -1;
	}
	for (a = ai; a != NULL; a = a->ai_next) {
		if ((fd = socket(a->ai_family, SOCK_STREAM, 0)) == -1)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static void
fcgi_record(struct buf *b, int type, const void *data, size_t len)
{
	unsigned char	 h[8] = { 1, (unsigned char)type, 0, 1,
	    (unsigned char)(len >> 8), (unsigned char)len, 0, 0 };

	buf_append(b, h, sizeof(h));
	if (len > 0)
		buf_append(b, data, len);
}

static void
fcgi_param(struct buf *p, const char *k, const char *v)
{
	unsigned char	 n[2] = { (unsigned char)strlen(k),
	    (unsigned char)strlen(v) };

	buf_append(p, n, 2);
	buf_puts(p, k);
	buf_puts(p, v);
}

/* Read exactly n bytes within the deadline: 0 or -1. */
static int
fcgi_read(int fd, void *dst, size_t n, int timeout_ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	ssize_t		 r;
	size_t		 got = 0;

	while (got < n) {
		if (poll(&pfd, 1, timeout_ms) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if ((r = read(fd, (char *)dst + got, n - got)) <= 0) {
			if (r == 0)
				errno = ECONNRESET;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int
fcgi_get(const char *sock, const char *path, int timeout_ms,
    struct buf *out, char *err, size_t errsz)
{
	static const unsigned char begin[8] = { 0, FCGI_RESPONDER, 0 };
	struct buf	 req = { 0 }, params = { 0 }, body = { 0 };
	unsigned char	 h[8], pad[256];
	const char	*eoh;
	size_t		 len, n;
	int		 fd, rc = -1, ended = 0;

	if ((fd = fcgi_connect(sock)) == -1) {
		snprintf(err, errsz, "cannot connect to %s: %s", sock,
		    strerror(errno));
		return -1;
	}
	fcgi_param(&params, "REQUEST_METHOD", "GET");
	fcgi_param(&params, "DOCUMENT_URI", path);
	fcgi_param(&params, "SCRIPT_NAME", path);
	fcgi_param(&params, "QUERY_STRING", "");
	fcgi_param(&params, "REMOTE_ADDR", "127.0.0.1");
	fcgi_param(&params, "SERVER_PROTOCOL", "HTTP/1.1");
	fcgi_record(&req, FCGI_BEGIN_REQUEST, begin, sizeof(begin));
	fcgi_record(&req, FCGI_PARAMS, params.data, params.len);
	fcgi_record(&req, FCGI_PARAMS, NULL, 0);
	fcgi_record(&req, FCGI_STDIN, NULL, 0);
	if (write(fd, req.data, req.len) != (ssize_t)req.len) {
		snprintf(err, errsz, "write to %s: %s", sock, strerror(errno));
		goto out;
	}
	while (!ended) {
		if (fcgi_read(fd, h, 8, timeout_ms) == -1)
			break;
		len = (size_t)h[4] << 8 | h[5];
		while (len > 0) {
			n = len > sizeof(pad) ? sizeof(pad) : len;
			if (fcgi_read(fd, pad, n, timeout_ms) == -1)
				goto short_read;
			if (h[1] == FCGI_STDOUT)
				buf_append(&body, pad, n);
			len -= n;
		}
		if (h[6] > 0 && fcgi_read(fd, pad, h[6], timeout_ms) == -1)
			break;
		ended = h[1] == FCGI_END_REQUEST;
	}
short_read:
	if (!ended) {
		snprintf(err, errsz, "%s: no answer (%s): the pool is stopped, "
		    "or every process is busy", sock, strerror(errno));
		goto out;
	}
	if (body.len == 0 || (eoh = strstr(buf_str(&body), "\r\n\r\n")) ==
	    NULL) {
		snprintf(err, errsz, "%s: an answer without headers", sock);
		goto out;
	}
	buf_puts(out, eoh + 4);
	rc = 0;
out:
	close(fd);
	buf_free(&req);
	buf_free(&params);
	buf_free(&body);
	return rc;
}
