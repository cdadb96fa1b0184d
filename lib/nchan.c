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

void
nchan_init(const char *sock, const char *prefix)
{
	free(nchan_sock);
	free(nchan_prefix);
	nchan_sock = sock != NULL && *sock != '\0' ? strdup(sock) : NULL;
	nchan_prefix = strdup(prefix != NULL ? prefix : "http://nchan/pub/");
}

int
nchan_channel_valid(const char *ch)
{
	size_t	 n = 0;

	for (; *ch != '\0'; ch++, n++)
		if (!isalnum((unsigned char)*ch) && *ch != '_' &&
		    *ch != '-' && *ch != '.' && *ch != ',')
			return 0;
	return n > 0 && n <= 1024;
}

int
nchan_publish(const char *channel, const char *msg)
{
	static const char *hdrs[] = {
		"Content-Type: application/json",
		"Accept: text/json",
		NULL
	};
	struct http_req	 req;
	struct http_resp resp;
	struct buf	 url = { 0 };
	int		 rc = -1;

	if (nchan_prefix == NULL || !nchan_channel_valid(channel)) {
		log_warn("nchan: bad channel or not configured: %s", channel);
		return -1;
	}
	buf_printf(&url, "%s%s", nchan_prefix, channel);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url.data;
	req.headers = hdrs;
	req.body = msg;
	req.bodylen = strlen(msg);
	req.unix_socket = nchan_sock;
	req.timeout_ms = 2000;
	if (http_do(&req, &resp) == -1)
		log_warn("nchan: publish to %s failed: %s", channel, resp.err);
	else if (resp.status != 201 && resp.status != 202)
		log_warn("nchan: publish to %s: HTTP %ld", channel,
		    resp.status);
	else
		rc = (int)resp.status;
	http_resp_free(&resp);
	buf_free(&url);
	return rc;
}
