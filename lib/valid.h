/*
 * valid: validators for request values.
 *
 * Pure functions.  The valid_* predicates return 1 when the value is
 * acceptable and 0 otherwise.  The jv_* getters read one member of a
 * JSON object: they return the value, or record a human sentence under
 * the member's name in errs (a JSON object the caller owns) when it is
 * missing (if required) or malformed.
 */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>

#include <json-c/json.h>

/* Phone: optional leading '+', 10-15 digits after dropping spaces, '-',
 * '.', '(' and ')'.  Writes the normalised form ("+<digits>" or
 * "<digits>") into out (>= 17 bytes). */
int	valid_phone(const char *, char *out, size_t outsz);
/* Email: one '@', non-empty local part, a dotted domain, <= 254 bytes,
 * no spaces or control characters. */
int	valid_email(const char *);
/* Username: [A-Za-z0-9_.-]{3,64}. */
int	valid_username(const char *);
/* Text: valid UTF-8, no control characters except \n and \t when
 * multiline, length in [min, max] bytes. */
int	valid_text(const char *, size_t min, size_t max, int multiline);
/* Decimal integer in [min, max]; writes *out. */
int	valid_long(const char *, long min, long max, long *out);
/* Date "YYYY-MM-DD" that exists in the calendar. */
int	valid_date(const char *);
/* The canonical spelling of a user type (Hr, Interviewer, Interviewee),
 * case-insensitive, or NULL. */
const char *valid_user_type(const char *);

/* A JSON string that is valid_text() and holds no NUL: 1, else 0. */
int	valid_json_text(struct json_object *, size_t min, size_t max,
	    int multiline);

/* Add "msg" under key in errs (first error of a key wins). */
void	jv_err(struct json_object *errs, const char *key, const char *msg);

/* One-line string member: NULL when absent/null (error if req), not a
 * string, or holding a NUL or any control character (CR, LF and tab
 * included). */
const char *jv_str(struct json_object *, const char *key, int req,
	    size_t min, size_t max, struct json_object *errs);
/* The same for multi-line text (comments, chat, descriptions): \n, \r
 * and \t are allowed, other control characters and NUL are not. */
const char *jv_text(struct json_object *, const char *key, int req,
	    size_t min, size_t max, struct json_object *errs);
/* Integer member in [min, max], a JSON integer (a string of digits is
 * refused); 1 present and valid, 0 absent, -1 invalid (error recorded). */
/* A number member in [min, max]: 1 present, 0 absent, -1 invalid (the
 * message in errs). */
int	jv_number(struct json_object *, const char *key, double min,
	    double max, double *out, struct json_object *errs);
int	jv_long(struct json_object *, const char *key, int req, long min,
	    long max, long *out, struct json_object *errs);
/* Boolean member: 1 present, 0 absent, -1 invalid. */
int	jv_bool(struct json_object *, const char *key, int req, int *out,
	    struct json_object *errs);
/* Array member (borrowed): NULL when absent (error if req) or invalid. */
struct json_object *jv_array(struct json_object *, const char *key, int req,
	    size_t max, struct json_object *errs);

#endif /* VALID_H */
