/*
 * pdflayout: a page's text rebuilt from where its glyphs are.
 *
 * poppler's flat text glues table cells together ("CurrentSenior
 * Analyst") and may read a table's last column after the rest of the page.
 * From poppler_page_get_text_layout (a rectangle per character) we cut the
 * text into runs (glyphs on one baseline without a wide gap), gather runs
 * into rows by their vertical centre, and write each row left to right: a
 * tab between runs that a wide gap separates (table cells, right-aligned
 * dates), a space otherwise.  A page with a vertical gutter that nearly
 * no row crosses (a sidebar beside the main column) is written one column
 * after the other.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "buf.h"
#include "pdflayout.h"

struct run {
	double	 x1, x2, yc, h;
	size_t	 s, e;		/* bytes of the page's text */
	int	 col;
};

static int
run_cmp(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (fabs(x->yc - y->yc) > 0.4 * fmin(x->h, y->h))
		return x->yc < y->yc ? -1 : 1;
	return x->x1 < y->x1 ? -1 : x->x1 > y->x1;
}

/* Runs of text t (its layout r, n characters). */
static struct run *
runs_make(const char *t, const PopplerRectangle *r, guint n, size_t *nr)
{
	struct run	*v = NULL, *cur = NULL;
	const char	*p = t;
	size_t		 cap = 0, len;
	double		 h, yc;
	guint		 i;

	*nr = 0;
	for (i = 0; i < n && *p != '\0'; i++, p += len) {
		len = (size_t)(g_utf8_next_char(p) - p);
		if (*p == '\n' || *p == '\r') {
			cur = NULL;
			continue;
		}
		h = r[i].y2 - r[i].y1;
		yc = (r[i].y1 + r[i].y2) / 2;
		if (*p == ' ' || h <= 0) {
			if (cur != NULL)
				cur->e = (size_t)(p - t) + len;
			continue;
		}
		if (cur == NULL || fabs(yc - cur->yc) > 0.5 * cur->h ||
		    r[i].x1 < cur->x2 - 0.5 * h ||
		    r[i].x1 - cur->x2 > 1.2 * h) {
			if (*nr == cap && (v = reallocarray(v, cap = cap ?
			    cap * 2 : 256, sizeof(*v))) == NULL)
				abort();
			cur = &v[(*nr)++];
			cur->x1 = r[i].x1;
			cur->yc = yc;
			cur->h = h;
			cur->s = (size_t)(p - t);
			cur->col = 0;
		}
		cur->x2 = r[i].x2;
		cur->e = (size_t)(p - t) + len;
	}
	return v;
}

/*
 * A gutter: an x no run crosses save a few, with text on both sides in
 * many rows.  Returns it, or -1.
 */
static double
gutter_find(const struct run *v, size_t n, double width)
{
	double	 x, best = -1;
	size_t	 i, cross, left, right, bestc = (size_t)-1;

	for (x = width * 0.2; x <= width * 0.6; x += 2) {
		for (i = 0, cross = left = right = 0; i < n; i++) {
			if (v[i].x1 < x - 4 && v[i].x2 > x + 4)
				cross++;
			else if (v[i].x2 <= x - 4)
				left++;
			else if (v[i].x1 >= x + 4)
				right++;
		}
		if (left < 4 || right < 4 || left < n / 10 || right < n / 10 ||
		    cross > 1 + n / 30)
			continue;
		if (cross < bestc) {
			bestc = cross;
			best = x;
		}
	}
	return best;
}

/* Does run i share its row with a run on the other side of g? */
static int
row_partner(const struct run *v, size_t n, size_t i, double g)
{
	size_t	 j;

	for (j = 0; j < n; j++)
		if (j != i && fabs(v[j].yc - v[i].yc) <= 0.4 * v[i].h &&
		    (v[j].x1 >= g) != (v[i].x1 >= g))
			return 1;
	return 0;
}

/* Is left run i alone: no other left run within two lines of it? */
static int
left_alone(const struct run *v, size_t n, size_t i, double g)
{
	size_t	 j;
	double	 d;

	for (j = 0; j < n; j++) {
		d = fabs(v[j].yc - v[i].yc);
		if (j != i && v[j].x1 < g && d > 0.4 * v[i].h &&
		    d <= 2.2 * v[i].h)
			return 0;
	}
	return 1;
}

/*
 * A table, not two columns: cells beside each other rather than a sidebar
 * at its own pitch.  Either the right side is nearly all cells of left
 * rows (a company column), or left cells stand alone between the right
 * side's rows (a dates column beside the roles' bullets).
 */
static int
table_like(const struct run *v, size_t n, double g)
{
	size_t	 i, left = 0, right = 0, ralign = 0, alone = 0;

	for (i = 0; i < n; i++) {
		if (v[i].x1 >= g) {
			right++;
			ralign += row_partner(v, n, i, g);
		} else {
			left++;
			alone += left_alone(v, n, i, g);
		}
	}
	return (right > 0 && ralign * 10 >= right * 8 && right * 2 <= left) ||
	    (alone >= 2 && alone * 10 >= left);
}

static void
rows_write(const char *t, struct run *v, size_t n, int col, struct buf *out)
{
	size_t	 i, e;
	int	 first = 1;
	double	 yc = 0, h = 0, x2 = 0;

	for (i = 0; i < n; i++) {
		if (v[i].col != col)
			continue;
		if (!first &&
		    fabs(v[i].yc - yc) <= 0.4 * fmin(h, v[i].h))
			buf_append(out,
			    v[i].x1 - x2 > 1.2 * v[i].h ? "\t" : " ", 1);
		else {
			if (!first)
				buf_append(out, "\n", 1);
			yc = v[i].yc;
			h = v[i].h;
		}
		first = 0;
		for (e = v[i].e; e > v[i].s && t[e - 1] == ' '; e--)
			continue;
		buf_append(out, t + v[i].s, e - v[i].s);
		x2 = v[i].x2;
	}
	if (!first)
		buf_append(out, "\n", 1);
}

int
pdflayout_page(PopplerPage *page, struct buf *out)
{
	PopplerRectangle	*r = NULL;
	struct run		*v;
	double			 w, hgt, g;
	char			*t;
	guint			 n = 0;
	size_t			 nr, i;

	if ((t = poppler_page_get_text(page)) == NULL)
		return -1;
	if (!poppler_page_get_text_layout(page, &r, &n) || n == 0) {
		buf_append(out, t, strlen(t));
		g_free(t);
		g_free(r);
		return 0;
	}
	poppler_page_get_size(page, &w, &hgt);
	v = runs_make(t, r, n, &nr);
	qsort(v, nr, sizeof(*v), run_cmp);
	if ((g = gutter_find(v, nr, w)) > 0 && table_like(v, nr, g))
		g = -1;
	if (g > 0)
		for (i = 0; i < nr; i++)
			v[i].col = v[i].x1 >= g;
	rows_write(t, v, nr, 0, out);
	if (g > 0)
		rows_write(t, v, nr, 1, out);
	free(v);
	g_free(r);
	g_free(t);
	return 0;
}
