/*
 * nchan: see nchan.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "log.h"
#include "nchan.h"

static char	*nchan_sock;
static char	*nchan_prefix;
static void	(*nchan_observer)(long);

void
nchan_init(const char *sock, const char *prefix)
{
	free(nchan_sock);
	free(nchan_prefix);
	nchan_sock = sock != NULL && *sock != '\0' ? strdup(sock) : NULL;
	nchan_prefix = strdup(prefix != NULL ? prefix : "http://nchan/pub/");
}

void
nchan_observe(void (*fn)(long))
{
	nchan_observer = fn;
}

int
nchan_channel_valid(const char *ch)
{
	size_t	 n = 0, names = 0;

	for (;; ch++) {
		if (*ch == ',' || *ch == '\0') {
			if (n > 0)
				names++;
			if (n > NCHAN_NAME_MAX)
				return 0;
			if (*ch == '\0')
				break;
			n = 0;
			continue;
		}
		if (!isalnum((unsigned char)*ch) && *ch != '_' &&
		    *ch != '-' && *ch != '.')
			return 0;
		n++;
	}
	return names > 0;
}

/* One publisher request for ids (within the limits): its status or -1. */
static long
nchan_post(const char *ids, const char *msg)
{
	static const char *hdrs[] = {
		"Content-Type: application/json",
		"Accept: text/json",
		NULL
	};
	struct http_req	 req;
	struct http_resp resp;
	struct buf	 url = { 0 };
	long		 status = -1;

	buf_printf(&url, "%s%s", nchan_prefix, ids);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url.data;
	req.headers = hdrs;
	req.body = msg;
	req.bodylen = strlen(msg);
	req.unix_socket = nchan_sock;
	req.timeout_ms = 2000;
	if (http_do(&req, &resp) == -1)
		log_warn("nchan: publish to %s failed: %s", ids, resp.err);
	else if (resp.status != 201 && resp.status != 202)
		log_warn("nchan: publish to %s: HTTP %ld", ids, resp.status);
	else
		status = resp.status;
	if (nchan_observer != NULL)
		nchan_observer(status != -1 ? status : resp.status > 0 ?
		    resp.status : -1);
	http_resp_free(&resp);
	buf_free(&url);
	return status;
}

int
nchan_publish(const char *channels, const char *msg)
{
	struct buf	 ids = { 0 };
	const char	*p, *end;
	size_t		 len, n = 0;
	long		 st;
	int		 rc = 202, failed = 0;

	if (nchan_prefix == NULL || !nchan_channel_valid(channels)) {
		log_warn("nchan: bad channel or not configured: %.200s",
		    channels);
		if (nchan_observer != NULL)
			nchan_observer(-1);
		return -1;
	}
	/* Pack whole names into requests of at most NCHAN_IDS_MAX
	 * characters and NCHAN_BATCH_MAX names. */
	for (p = channels; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((len = (size_t)(end - p)) == 0)
			continue;
		if (n > 0 && (ids.len + 1 + len > NCHAN_IDS_MAX ||
		    n == NCHAN_BATCH_MAX)) {
			if ((st = nchan_post(ids.data, msg)) == -1)
				failed = 1;
			else if (st == 201)
				rc = 201;
			buf_reset(&ids);
			n = 0;
		}
		buf_printf(&ids, "%s%.*s", n > 0 ? "," : "", (int)len, p);
		n++;
	}
	if (n > 0) {
		if ((st = nchan_post(ids.data, msg)) == -1)
			failed = 1;
		else if (st == 201)
			rc = 201;
	}
	buf_free(&ids);
	return failed ? -1 : rc;
}

void
nchan_user_channel(struct buf *b, const char *username, size_t len)
{
	buf_printf(b, "user_%.*s", (int)len, username);
}
