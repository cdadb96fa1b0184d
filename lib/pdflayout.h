/*
 * pdflayout: a PDF page's text in reading order from its glyph positions
 * (rows left to right, table cells apart, a sidebar column before the main
 * one).
 */
#ifndef PDFLAYOUT_H
#define PDFLAYOUT_H

#include <poppler.h>

struct buf;

/* Append page's text to out; -1 when the page has none. */
int	pdflayout_page(PopplerPage *, struct buf *out);

#endif /* PDFLAYOUT_H */
