/*
 * listenq: how many connections wait in the listening socket's accept
 * queue (nginx's requests no process has taken yet), and the queue's
 * length, as the kernel reports them: sock_diag for a unix socket,
 * TCP_INFO for TCP.  php-fpm's "listen queue" and "max listen queue".
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <string.h>
#include <unistd.h>

#include "extern.h"

#define LISTENQ_TCP_LISTEN	10	/* the kernel's TCP_LISTEN state */

static int
listenq_unix(int fd, long *queued, long *max)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	r;
	} req;
	struct sockaddr_nl	 nl = { .nl_family = AF_NETLINK };
	struct unix_diag_msg	*m;
	struct unix_diag_rqlen	*q;
	struct nlmsghdr		*h;
	struct rtattr		*a;
	struct stat		 st;
	char			 buf[8192];
	ssize_t			 n;
	int			 s, rc = -1, len;

	if (fstat(fd, &st) == -1 ||
	    (s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = 1U << LISTENQ_TCP_LISTEN;
	req.r.udiag_ino = (unsigned int)st.st_ino;
	req.r.udiag_show = UDIAG_SHOW_RQLEN;
	req.r.udiag_cookie[0] = req.r.udiag_cookie[1] = ~0U;
	if (sendto(s, &req, sizeof(req), 0, (struct sockaddr *)&nl,
	    sizeof(nl)) == -1 || (n = recv(s, buf, sizeof(buf), 0)) <= 0)
		goto out;
	h = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(h, (unsigned int)n) ||
	    h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		goto out;
	m = NLMSG_DATA(h);
	a = (struct rtattr *)(m + 1);
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == UNIX_DIAG_RQLEN) {
			q = RTA_DATA(a);
			*queued = q->udiag_rqueue;
			*max = q->udiag_wqueue;
			rc = 0;
		}
out:
	close(s);
	return rc;
}

int
listenq_read(int fd, long *queued, long *max)
{
	struct sockaddr_storage	 ss;
	struct tcp_info		 ti;
	socklen_t		 len = sizeof(ss);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (ss.ss_family == AF_UNIX)
		return listenq_unix(fd, queued, max);
	len = sizeof(ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return -1;
	/* On a listening socket: the accept queue and its length. */
	*queued = ti.tcpi_unacked;
	*max = ti.tcpi_sacked;
	return 0;
}
