/*
 * http: outbound HTTP(S) requests with libcurl.
 *
 * One CURL easy handle per process is kept and reused so connections
 * stay alive across calls (http_init/http_cleanup).  Not thread-safe;
 * our processes are single-threaded.
 *
 * A process may set a tick: a function libcurl calls about once a second
 * (more often while data flows) during every transfer of this module and
 * of any handle given to http_watch() (mail), so long calls can renew
 * what the process holds (the worker's job leases).
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include "buf.h"

struct http_req {
	const char	 *method;	/* GET, POST, PUT, DELETE, HEAD */
	const char	 *url;
	const char	**headers;	/* "Name: value", NULL-ended; or NULL */
	const void	 *body;		/* request body or NULL */
	size_t		  bodylen;
	const char	 *userpwd;	/* "user:password" (Basic) or NULL */
	const char	 *unix_socket;	/* AF_UNIX path to use, or NULL */
	long		  timeout_ms;	/* whole request; 0 means 10 s */
};

struct http_resp {
	long		 status;	/* HTTP status, 0 when no answer */
	struct buf	 body;		/* response body */
	struct buf	 headers;	/* raw response headers */
	char		 err[256];	/* transport error if status is 0 */
};

int	http_init(void);	/* once per process, after fork */
void	http_cleanup(void);
/*
 * Perform req; fill resp (caller calls http_resp_free).  Returns 0 when
 * an HTTP answer arrived (any status), -1 on a transport error.
 */
int	http_do(const struct http_req *, struct http_resp *)
	    __attribute__((warn_unused_result));
/*
 * The tick: fn(arg) during transfers; a nonzero return aborts the
 * transfer (it then fails as a transport error).  NULL: none.
 */
void	http_set_tick(int (*fn)(void *), void *arg);
/* Have libcurl easy handle h (a CURL *) call the tick too; again after
 * every curl_easy_reset. */
void	http_watch(void *h);
/* Value of response header name (case-insensitive), malloc'd, or NULL. */
char	*http_resp_header(const struct http_resp *, const char *name);
void	http_resp_free(struct http_resp *);
/* Percent-encode for application/x-www-form-urlencoded (caller frees). */
char	*http_form_escape(const char *);

#endif /* HTTP_H */
