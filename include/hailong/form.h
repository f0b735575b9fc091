/* form.h -- application/x-www-form-urlencoded bodies and query strings. */
#ifndef HAILONG_FORM_H
#define HAILONG_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS 64

struct form_field {
	char *name;  /* decoded, NUL-terminated, owned */
	char *value; /* decoded, NUL-terminated, owned */
	size_t len;  /* bytes of value */
};

/* The zero value is an empty form. */
struct form {
	int n;
	struct form_field f[FORM_MAX_FIELDS];
};

/*
 * Parse `name=value&...` ('+' is a space, %XX a byte).  Empty pairs are
 * skipped; a pair without '=' has an empty value.  Refused (-1): a bad
 * %-escape, a decoded NUL byte, more than FORM_MAX_FIELDS pairs.  On
 * failure the form is left empty.  Values are bytes: check UTF-8 after.
 */
int form_parse(struct form *f, const char *buf, size_t len);
void form_release(struct form *f);
/* First value of `name`, or NULL.  Borrowed until form_release(). */
const char *form_get(const struct form *f, const char *name);
/* Same, with its length in *len. */
const char *form_get_len(const struct form *f, const char *name, size_t *len);
/* How many times `name` occurs. */
int form_count(const struct form *f, const char *name);

#endif
