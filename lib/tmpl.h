/*
 * tmpl: {{placeholder}} templates (templates/README.md).
 */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

enum tmpl_esc {
	TMPL_RAW,	/* values as they are (subject, plain text) */
	TMPL_HTML	/* values HTML-escaped */
};

/*
 * Render src with the string members of vars into out.  A placeholder
 * missing from vars is an error: -1 with its name in err.
 */
int	tmpl_render(const char *src, struct json_object *vars, enum tmpl_esc,
	    struct buf *out, char *err, size_t errsz)
	    __attribute__((warn_unused_result));
/* Read dir/name.ext into out: 0 or -1 (err). */
int	tmpl_load(const char *dir, const char *name, const char *ext,
	    struct buf *out, char *err, size_t errsz)
	    __attribute__((warn_unused_result));

#endif /* TMPL_H */
