/*
 * fuzz: what the harnesses share.  Each t/fuzz/fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput; linked with -fsanitize=fuzzer it is a
 * libFuzzer program (script/test --fuzz), linked with replay.c it runs
 * the kept corpus t/fuzz/corpus/<name>/ (make check).  A harness aborts
 * when a property of the code under test does not hold.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* d[0..n) as a NUL-terminated string (caller frees). */
static inline char *
fuzz_str(const uint8_t *d, size_t n)
{
	char	*s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

/*
 * The next field of *d: the bytes up to sep (or to the end) as a string
 * (caller frees); *d and *n move past it and sep.
 */
static inline char *
fuzz_field(const uint8_t **d, size_t *n, const char *sep)
{
	const uint8_t	*e;
	char		*s;
	size_t		 len, slen = strlen(sep);

	e = memmem(*d, *n, sep, slen);
	len = e != NULL ? (size_t)(e - *d) : *n;
	s = fuzz_str(*d, len);
	if (e != NULL)
		len += slen;
	*d += len;
	*n -= len;
	return s;
}

/* A property of the code under test does not hold. */
#define FUZZ_ASSERT(x)	do { if (!(x)) abort(); } while (0)

#endif /* FUZZ_H */
