/*
 * Fuzz request parsing (fcgi/req.c req_parse): the query string, the
 * path, the request id, the content length and the body.  The input is
 * lines: QUERY_STRING, DOCUMENT_URI, REQUEST_ID, CONTENT_LENGTH, then
 * the body (what FastCGI's input stream gives).
 */
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#include "extern.h"
#include "fuzz.h"

#define FUZZ_MAXBODY	4096

/* The end of the input stream: nothing more will come. */
static void
fuzz_fill(FCGX_Stream *s)
{
	s->isClosed = 1;
}

static char *
fuzz_env(const char *name, const uint8_t **d, size_t *n)
{
	char	*v, *e;
	size_t	 len;

	v = fuzz_field(d, n, "\n");
	len = strlen(name) + 1 + strlen(v) + 1;
	if ((e = malloc(len)) == NULL)
		abort();
	snprintf(e, len, "%s=%s", name, v);
	free(v);
	return e;
}

static void
fuzz_qs(struct req *r)
{
	static const char *const keys[] = { "page", "page_size", "q",
	    "status", "event_id", "" };
	size_t	 i;

	FUZZ_ASSERT(r->nqs <= 64);
	for (i = 0; i < r->nqs; i++) {
		FUZZ_ASSERT(r->qs[i].key != NULL && r->qs[i].val != NULL);
		FUZZ_ASSERT(req_qs(r, r->qs[i].key) != NULL);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		(void)req_qs(r, keys[i]);
	FUZZ_ASSERT(strlen(r->path) < sizeof(r->path) &&
	    strlen(r->id) < sizeof(r->id) && r->id[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *const names[] = { "QUERY_STRING", "DOCUMENT_URI",
	    "REQUEST_ID", "CONTENT_LENGTH" };
	FCGX_Request	 fr;
	FCGX_Stream	 in;
	struct req	 r;
	char		*env[6];
	size_t		 i;

	memset(&fr, 0, sizeof(fr));
	memset(&in, 0, sizeof(in));
	for (i = 0; i < 4; i++)
		env[i] = fuzz_env(names[i], &d, &n);
	env[4] = strdup("REQUEST_METHOD=POST");
	env[5] = NULL;
	/* The body exactly as long as the input gives it. */
	in.rdNext = in.stopUnget = (unsigned char *)d;
	in.stop = (unsigned char *)d + n;
	in.isReader = 1;
	in.fillBuffProc = fuzz_fill;
	fr.in = &in;
	fr.envp = env;
	if (req_parse(&r, &fr, FUZZ_MAXBODY) == 0) {
		fuzz_qs(&r);
		FUZZ_ASSERT(r.bodylen <= FUZZ_MAXBODY);
		if (r.body != NULL && req_json(&r) == 0)
			FUZZ_ASSERT(r.json != NULL);
	}
	req_free(&r);
	for (i = 0; i < 5; i++)
		free(env[i]);
	return 0;
}
