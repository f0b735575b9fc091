/* csv.c -- RFC 4180 records from a buffer: quotes, CRLF, an optional BOM. */
#include <stdio.h>
#include <string.h>

#include "hailong/csv.h"

void
csv_init(struct csv *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->p = buf;
	c->len = len;
	c->line = 1;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->pos = 3;
}

void
csv_release(struct csv *c)
{
	buf_release(&c->store);
}

size_t
csv_offset(const struct csv *c)
{
	return c->pos;
}

/* Skip to just after the next line end, counting the line. */
static void
skip_line(struct csv *c)
{
	while (c->pos < c->len && c->p[c->pos] != '\n')
		c->pos++;
	if (c->pos < c->len) {
		c->pos++;
		c->line++;
	}
}

static int
fail(struct csv *c, struct csv_record *rec, const char *why)
{
	snprintf(c->error, sizeof(c->error), "%s", why);
	rec->n = 0;
	skip_line(c);
	return -1;
}

int
csv_next(struct csv *c, struct csv_record *rec)
{
	size_t offs[CSV_MAX_FIELDS];
	int n = 0;

	if (c->pos >= c->len)
		return 0;
	buf_reset(&c->store);
	buf_init(&c->store, (size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1));
	rec->line = c->line;
	for (;;) {
		size_t start = c->store.len;
		const char *p = c->p;

		if (n == CSV_MAX_FIELDS)
			return fail(c, rec, "more than 64 fields");
		offs[n] = start;
		if (c->pos < c->len && p[c->pos] == '"') {
			c->pos++;
			for (;;) {
				if (c->pos >= c->len)
					return fail(c, rec,
					    "quoted field never closed");
				if (p[c->pos] == '"') {
					if (c->pos + 1 < c->len &&
					    p[c->pos + 1] == '"') {
						buf_putc(&c->store, '"');
						c->pos += 2;
						continue;
					}
					c->pos++;
					break;
				}
				if (p[c->pos] == '\n')
					c->line++;
				buf_putc(&c->store, p[c->pos++]);
			}
			if (c->pos < c->len && p[c->pos] != ',' &&
			    p[c->pos] != '\n' &&
			    !(p[c->pos] == '\r' && c->pos + 1 < c->len &&
				p[c->pos + 1] == '\n') &&
			    !(p[c->pos] == '\r' && c->pos + 1 == c->len))
				return fail(
				    c, rec, "text after a closing quote");
		} else {
			while (c->pos < c->len && p[c->pos] != ',' &&
			    p[c->pos] != '\n') {
				if (p[c->pos] == '"')
					return fail(c, rec,
					    "quote inside an unquoted field");
				if (p[c->pos] == '\r' &&
				    (c->pos + 1 == c->len ||
					p[c->pos + 1] == '\n'))
					break;
				buf_putc(&c->store, p[c->pos++]);
			}
		}
		if (c->store.len - start > CSV_MAX_FIELD)
			return fail(c, rec, "field longer than 8192 bytes");
		buf_putc(&c->store, '\0');
		rec->len[n] = c->store.len - start - 1;
		n++;
		if (c->pos < c->len && p[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->pos < c->len && p[c->pos] == '\r')
			c->pos++;
		if (c->pos < c->len && p[c->pos] == '\n') {
			c->pos++;
			c->line++;
		}
		break;
	}
	if (buf_failed(&c->store))
		return fail(c, rec, "record too large");
	rec->n = n;
	for (int i = 0; i < n; i++)
		rec->f[i] = c->store.data + offs[i];
	return 1;
}
