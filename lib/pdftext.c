/*
 * pdftext: see pdftext.h.
 */
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <poppler.h>

#include "ocr.h"
#include "pdflayout.h"
#include "pdftext.h"

#define MIN_TEXT	40	/* non-space characters of a real resume */

static int
pdftext_magic(const void *pdf, size_t len)
{
	const char	*p = pdf;
	size_t		 i;

	/* The header may follow a little junk (as readers allow). */
	for (i = 0; i + 5 <= len && i < 1024; i++)
		if (memcmp(p + i, "%PDF-", 5) == 0)
			return 1;
	return 0;
}

static size_t
pdftext_visible(const struct buf *b)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->len; i++)
		if (!isspace((unsigned char)b->data[i]))
			n++;
	return n;
}

/* Text of page i into pt: its own, or when it has none, OCR's. */
static void
page_text(PopplerDocument *doc, int i, struct buf *pt, struct ocr **ocr,
    struct pdftext_info *info, long *conf_sum)
{
	PopplerPage	*page;
	int		 conf;

	if ((page = poppler_document_get_page(doc, i)) == NULL)
		return;
	if (pdflayout_page(page, pt) == -1 || pdftext_visible(pt) < 20) {
		if (*ocr == NULL)
			*ocr = ocr_open();
		buf_reset(pt);
		if ((conf = ocr_page(*ocr, page, pt)) >= 0) {
			info->ocr_pages++;
			*conf_sum += conf;
		}
	}
	g_object_unref(page);
}

int
pdftext_inproc_info(const void *pdf, size_t len, size_t max_text,
    struct buf *text, struct pdftext_info *info, char *err, size_t errsz)
{
	PopplerDocument	*doc;
	GBytes		*bytes;
	GError		*gerr = NULL;
	struct buf	 pt = { 0 };
	struct ocr	*ocr = NULL;
	long		 conf_sum = 0;
	int		 i, n;

	memset(info, 0, sizeof(*info));
	if (!pdftext_magic(pdf, len)) {
		snprintf(err, errsz, "not a PDF");
		return -1;
	}
	bytes = g_bytes_new_static(pdf, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		snprintf(err, errsz, "corrupt PDF: %s",
		    gerr ? gerr->message : "unreadable");
		if (gerr)
			g_error_free(gerr);
		g_bytes_unref(bytes);
		return -1;
	}
	n = poppler_document_get_n_pages(doc);
	for (i = 0; i < n && text->len < max_text; i++) {
		buf_reset(&pt);
		page_text(doc, i, &pt, &ocr, info, &conf_sum);
		if (pt.len == 0)
			continue;
		if (i > 0)
			buf_append(text, "\f", 1);
		buf_append(text, pt.data, pt.len < max_text - text->len ?
		    pt.len : max_text - text->len);
	}
	ocr_close(ocr);
	buf_free(&pt);
	g_object_unref(doc);
	g_bytes_unref(bytes);
	info->pages = n;
	if (info->ocr_pages > 0)
		info->ocr_conf = (int)(conf_sum / info->ocr_pages);
	if (pdftext_visible(text) < MIN_TEXT) {
		snprintf(err, errsz, "no extractable text");
		return -1;
	}
	return 0;
}

int
pdftext_extract_inproc(const void *pdf, size_t len, size_t max_text,
    struct buf *text, int *npages, char *err, size_t errsz)
{
	struct pdftext_info	 info;
	int			 rc;

	rc = pdftext_inproc_info(pdf, len, max_text, text, &info, err, errsz);
	*npages = info.pages;
	return rc;
}

/* In the child: extract, then write "T<pages>\n<text>" or "E<reason>". */
static void __attribute__((noreturn))
pdftext_child(int fd, const void *pdf, size_t len,
    const struct pdftext_limits *lim)
{
	struct rlimit	 rl;
	struct pdftext_info info;
	struct buf	 out = { 0 }, text = { 0 };
	char		 err[256];
	size_t		 off = 0;
	ssize_t		 w;

	rl.rlim_cur = (rlim_t)lim->cpu_s;
	rl.rlim_max = (rlim_t)lim->cpu_s + 1;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer reserves terabytes of address space: a sanitizer
	 * build cannot limit it, and relies on the CPU and wall limits.) */
	rl.rlim_cur = rl.rlim_max = (rlim_t)lim->mem_mb * 1024 * 1024;
	setrlimit(RLIMIT_AS, &rl);
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	if (pdftext_inproc_info(pdf, len, lim->max_text, &text, &info,
	    err, sizeof(err)) == 0) {
		buf_printf(&out, "T%d %d %d\n", info.pages, info.ocr_pages,
		    info.ocr_conf);
		buf_append(&out, text.data, text.len);
	} else
		buf_printf(&out, "E%s", err);
	while (off < out.len) {
		if ((w = write(fd, out.data + off, out.len - off)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		off += (size_t)w;
	}
	_exit(0);
}

static long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
pdftext_extract(const void *pdf, size_t len, const struct pdftext_limits *l,
    struct buf *text, int *npages, char *err, size_t errsz)
{
	struct pdftext_info	 info;
	int			 rc;

	rc = pdftext_extract_info(pdf, len, l, text, &info, err, errsz);
	*npages = info.pages;
	return rc;
}

int
pdftext_extract_info(const void *pdf, size_t len,
    const struct pdftext_limits *l, struct buf *text,
    struct pdftext_info *info, char *err, size_t errsz)
{
	struct pdftext_limits	 lim = { 10, 512, 20000, 1 << 20 };
	struct pollfd		 pfd;
	struct buf		 in = { 0 };
	char			 chunk[16384], *nl;
	long			 deadline, left;
	ssize_t			 n;
	pid_t			 pid;
	int			 fds[2], status, killed = 0, rc = -1;

	memset(info, 0, sizeof(*info));
	if (l != NULL) {
		if (l->cpu_s > 0)
			lim.cpu_s = l->cpu_s;
		if (l->mem_mb > 0)
			lim.mem_mb = l->mem_mb;
		if (l->wall_ms > 0)
			lim.wall_ms = l->wall_ms;
		if (l->max_text > 0)
			lim.max_text = l->max_text;
	}
	if (!pdftext_magic(pdf, len)) {
		snprintf(err, errsz, "not a PDF");
		return -1;
	}
	/* The system failing us says nothing of the PDF: -2, try again. */
	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -2;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -2;
	}
	if (pid == 0) {
#ifdef __linux__
		/* A parser never outlives the worker that waits for it. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		close(fds[0]);
		pdftext_child(fds[1], pdf, len, &lim);
	}
	close(fds[1]);
	deadline = now_ms() + lim.wall_ms;
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - now_ms()) <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((n = read(fds[0], chunk, sizeof(chunk))) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (in.len < lim.max_text + 64)
			buf_append(&in, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (killed)
		snprintf(err, errsz, "PDF parser timed out");
	else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU ||
	    WTERMSIG(status) == SIGKILL))
		snprintf(err, errsz, "PDF parser exceeded its CPU limit");
	else if (WIFSIGNALED(status) || (WIFEXITED(status) &&
	    WEXITSTATUS(status) != 0) || in.len == 0)
		/* glib aborts when an allocation fails under RLIMIT_AS */
		snprintf(err, errsz, "PDF parser exceeded its memory limit "
		    "or crashed");
	else if (in.data[0] == 'E')
		snprintf(err, errsz, "%s", in.data + 1);
	else if (in.data[0] == 'T' && (nl = strchr(in.data, '\n')) != NULL) {
		if (sscanf(in.data + 1, "%d %d %d", &info->pages,
		    &info->ocr_pages, &info->ocr_conf) < 1)
			info->pages = 0;
		buf_append(text, nl + 1, in.len - (size_t)(nl + 1 - in.data));
		rc = 0;
	} else
		snprintf(err, errsz, "PDF parser answered nonsense");
	buf_free(&in);
	return rc;
}
