/*
 * buf: a growable byte buffer, always NUL-terminated.
 *
 * A zeroed struct buf is an empty buffer.  The owner frees it with
 * buf_free().  Appends abort() on out-of-memory (as kore_malloc does):
 * a process that cannot allocate a few bytes cannot answer either.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated, NULL while empty */
	size_t	 len;	/* bytes used, without the NUL */
	size_t	 cap;	/* bytes allocated */
};

void	buf_append(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_reset(struct buf *);	/* len = 0, keeps the memory */
void	buf_free(struct buf *);
/* Append s as a JSON string literal (quoted, escaped). */
void	json_put_str(struct buf *, const char *s);
/* Take the data out (caller frees); the buffer becomes empty. */
char	*buf_take(struct buf *);
/* Return the data, "" when empty; valid until the next append. */
const char *buf_str(const struct buf *);

#endif /* BUF_H */
