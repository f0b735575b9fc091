/* form.c -- application/x-www-form-urlencoded bodies and query strings. */
#include <stdlib.h>
#include <string.h>

#include "hailong/encode.h"
#include "hailong/form.h"
#include "hailong/util.h"

/* Decode s[0..len) into a new string; NULL when malformed. */
static char *
decode(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (len - i < 3 || (hi = hex_digit(s[i + 1])) < 0 ||
			    (lo = hex_digit(s[i + 2])) < 0)
				goto bad;
			c = (char)(hi << 4 | lo);
			i += 2;
			if (c == '\0')
				goto bad;
		} else if (c == '\0') {
			goto bad;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	*outlen = n;
	return out;
bad:
	free(out);
	return NULL;
}

int
form_parse(struct form *f, const char *buf, size_t len)
{
	size_t i = 0;

	memset(f, 0, sizeof(*f));
	while (i < len) {
		const char *pair = buf + i, *amp, *eq;
		size_t plen, nlen, vlen;
		struct form_field *fld;

		amp = memchr(pair, '&', len - i);
		plen = amp ? (size_t)(amp - pair) : len - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		if (f->n == FORM_MAX_FIELDS)
			goto bad;
		eq = memchr(pair, '=', plen);
		nlen = eq ? (size_t)(eq - pair) : plen;
		fld = &f->f[f->n];
		fld->name = decode(pair, nlen, &vlen);
		if (fld->name == NULL)
			goto bad;
		fld->value = eq ? decode(eq + 1, plen - nlen - 1, &fld->len)
				: xstrdup("");
		if (fld->value == NULL) {
			free(fld->name);
			goto bad;
		}
		f->n++;
	}
	return 0;
bad:
	form_release(f);
	return -1;
}

void
form_release(struct form *f)
{
	for (int i = 0; i < f->n; i++) {
		free(f->f[i].name);
		free(f->f[i].value);
	}
	f->n = 0;
}

const char *
form_get_len(const struct form *f, const char *name, size_t *len)
{
	for (int i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0) {
			if (len != NULL)
				*len = f->f[i].len;
			return f->f[i].value;
		}
	}
	return NULL;
}

const char *
form_get(const struct form *f, const char *name)
{
	return form_get_len(f, name, NULL);
}

int
form_count(const struct form *f, const char *name)
{
	int n = 0;

	for (int i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			n++;
	return n;
}
