/*
 * ocr: see ocr.h.
 */
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>
#include <tesseract/capi.h>

#include "buf.h"
#include "ocr.h"

#define OCR_DPI	200

struct ocr {
	TessBaseAPI	*api;
};

struct ocr *
ocr_open(void)
{
	struct ocr	*o;

	/* one thread: the parser's CPU limit is per process */
	setenv("OMP_THREAD_LIMIT", "1", 1);
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	if ((o->api = TessBaseAPICreate()) == NULL ||
	    TessBaseAPIInit3(o->api, NULL, "eng") != 0) {
		ocr_close(o);
		return NULL;
	}
	TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
	return o;
}

void
ocr_close(struct ocr *o)
{
	if (o == NULL)
		return;
	if (o->api != NULL) {
		TessBaseAPIEnd(o->api);
		TessBaseAPIDelete(o->api);
	}
	free(o);
}

/* The page at OCR_DPI in 8-bit grey (caller frees), or NULL. */
static unsigned char *
page_grey(PopplerPage *page, int *w, int *h)
{
	cairo_surface_t	*s;
	cairo_t		*cr;
	unsigned char	*g = NULL, *d, *px;
	double		 pw, ph, k = OCR_DPI / 72.0;
	int		 x, y, stride;

	poppler_page_get_size(page, &pw, &ph);
	*w = (int)(pw * k);
	*h = (int)(ph * k);
	if (*w <= 0 || *h <= 0 || *w > 6000 || *h > 6000)
		return NULL;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		goto out;
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	if (d == NULL || (g = malloc((size_t)*w * (size_t)*h)) == NULL)
		goto out;
	for (y = 0; y < *h; y++)
		for (x = 0; x < *w; x++) {
			px = d + (size_t)y * (size_t)stride + (size_t)x * 4;
			/* CAIRO_FORMAT_RGB24 is native-endian xRGB */
			g[(size_t)y * (size_t)*w + (size_t)x] = (unsigned char)
			    ((px[2] * 77 + px[1] * 150 + px[0] * 29) >> 8);
		}
out:
	cairo_surface_destroy(s);
	return g;
}

int
ocr_page(struct ocr *o, PopplerPage *page, struct buf *out)
{
	unsigned char	*g;
	char		*t;
	int		 w, h, conf = -1;

	if (o == NULL || (g = page_grey(page, &w, &h)) == NULL)
		return -1;
	TessBaseAPISetImage(o->api, g, w, h, 1, w);
	TessBaseAPISetSourceResolution(o->api, OCR_DPI);
	if ((t = TessBaseAPIGetUTF8Text(o->api)) != NULL) {
		buf_append(out, t, strlen(t));
		conf = TessBaseAPIMeanTextConf(o->api);
		TessDeleteText(t);
	}
	TessBaseAPIClear(o->api);
	free(g);
	return conf;
}
