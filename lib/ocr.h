/*
 * ocr: the text of a page that has none, read with Tesseract from the
 * page as poppler renders it.
 */
#ifndef OCR_H
#define OCR_H

#include <poppler.h>

struct buf;
struct ocr;

/* A reader for English (NULL when Tesseract or its data is missing). */
struct ocr	*ocr_open(void);
void		 ocr_close(struct ocr *);
/* Append page's text to out; returns the mean word confidence (0-100),
 * or -1. */
int		 ocr_page(struct ocr *, PopplerPage *, struct buf *out);

#endif /* OCR_H */
