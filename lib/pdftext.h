/*
 * pdftext: the text of a PDF, with poppler-glib, in a child process.
 *
 * A hostile or broken PDF can at worst kill the child: the parent gets a
 * clear reason and carries on.  Pages are separated by '\f'.
 */
#ifndef PDFTEXT_H
#define PDFTEXT_H

#include <stddef.h>

#include "buf.h"

struct pdftext_limits {
	long	 cpu_s;		/* RLIMIT_CPU of the child (default 10) */
	long	 mem_mb;	/* RLIMIT_AS of the child (default 512) */
	long	 wall_ms;	/* killed after this (default 20000) */
	size_t	 max_text;	/* text kept (default 1 MiB) */
};

/* What the extraction did: pages, and those read by OCR. */
struct pdftext_info {
	int	 pages;
	int	 ocr_pages;	/* pages without text read by Tesseract */
	int	 ocr_conf;	/* their mean word confidence, 0-100 */
};

/* Below this mean confidence OCR text wants a human's look. */
#define PDFTEXT_OCR_LOW	70

/*
 * Extract the text of pdf into text; *npages gets the page count.  A page
 * without text (a scan) is rendered and read by OCR.
 * Returns 0, or -1 with err set to one of: "not a PDF", "corrupt PDF:
 * ...", "PDF parser exceeded its CPU limit", "PDF parser exceeded its
 * memory limit", "PDF parser timed out", "no extractable text"; or -2
 * when the system failed (no pipe or process: try again later).
 */
int	pdftext_extract(const void *pdf, size_t len,
	    const struct pdftext_limits *, struct buf *text, int *npages,
	    char *err, size_t errsz) __attribute__((warn_unused_result));

/* The same, telling what it did. */
int	pdftext_extract_info(const void *pdf, size_t len,
	    const struct pdftext_limits *, struct buf *text,
	    struct pdftext_info *info, char *err, size_t errsz)
	    __attribute__((warn_unused_result));

/* In this process, without limits (benchmarks, the child). */
int	pdftext_inproc_info(const void *pdf, size_t len, size_t max_text,
	    struct buf *text, struct pdftext_info *info, char *err,
	    size_t errsz) __attribute__((warn_unused_result));

/* The same in this process, without limits (benchmarks, the child). */
int	pdftext_extract_inproc(const void *pdf, size_t len, size_t max_text,
	    struct buf *text, int *npages, char *err, size_t errsz)
	    __attribute__((warn_unused_result));

#endif /* PDFTEXT_H */
