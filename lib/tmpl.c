/*
 * tmpl: see tmpl.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tmpl.h"

static void
tmpl_html(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		default:
			buf_append(out, s, 1);
		}
}

int
tmpl_render(const char *src, struct json_object *vars, enum tmpl_esc esc,
    struct buf *out, char *err, size_t errsz)
{
	struct json_object	*v;
	const char		*p, *open, *close, *val;
	char			 key[64];
	size_t			 n;

	for (p = src; (open = strstr(p, "{{")) != NULL; p = close + 2) {
		buf_append(out, p, (size_t)(open - p));
		if ((close = strstr(open + 2, "}}")) == NULL) {
			snprintf(err, errsz, "unclosed {{");
			return -1;
		}
		for (open += 2; open < close && isspace((unsigned char)*open);
		    open++)
			continue;
		n = (size_t)(close - open);
		while (n > 0 && isspace((unsigned char)open[n - 1]))
			n--;
		if (n == 0 || n >= sizeof(key)) {
			snprintf(err, errsz, "bad placeholder");
			return -1;
		}
		memcpy(key, open, n);
		key[n] = '\0';
		if (vars == NULL || !json_object_object_get_ex(vars, key, &v)) {
			snprintf(err, errsz, "no value for {{%s}}", key);
			return -1;
		}
		val = v == NULL ? "" : json_object_get_string(v);
		if (esc == TMPL_HTML)
			tmpl_html(out, val);
		else
			buf_puts(out, val);
	}
	buf_puts(out, p);
	return 0;
}

int
tmpl_load(const char *dir, const char *name, const char *ext,
    struct buf *out, char *err, size_t errsz)
{
	char	 path[4096], chunk[8192];
	size_t	 n;
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	return 0;
}
