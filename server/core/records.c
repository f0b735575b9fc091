/* records.c -- flat records from CSV or a JSON array: the import files. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "hailong/csv.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/records.h"

#define JSON_ITEM_MAX_DEPTH 8

void
record_error(struct record *rec, const char *column, const char *fmt, ...)
{
	struct field_error *e;
	va_list ap;

	if (rec->nerrors++ >= RECORD_MAX_ERRORS)
		return;
	e = &rec->errors[rec->nerrors - 1];
	strlcpy_hl(e->column, column, sizeof(e->column));
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

enum records_format
records_guess(const char *name, const char *buf, size_t len)
{
	size_t i = 0;

	if (name != NULL && ends_with(name, ".json"))
		return RECORDS_JSON;
	if (name != NULL && ends_with(name, ".csv"))
		return RECORDS_CSV;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len &&
	    (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
		buf[i] == '\n'))
		i++;
	return i < len && buf[i] == '[' ? RECORDS_JSON : RECORDS_CSV;
}

static int
key_index(const char *const *keys, const char *name, size_t len)
{
	for (int i = 0; keys[i] != NULL; i++)
		if (strlen(keys[i]) == len &&
		    strncasecmp(keys[i], name, len) == 0)
			return i;
	return -1;
}

/* The values of one record, copied out and trimmed. */
struct values {
	struct buf store;
	long off[RECORD_MAX_KEYS]; /* -1: absent */
};

static void
values_reset(struct values *v)
{
	buf_reset(&v->store);
	for (int i = 0; i < RECORD_MAX_KEYS; i++)
		v->off[i] = -1;
}

static void
values_put(struct values *v, int k, const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	v->off[k] = (long)v->store.len;
	buf_add(&v->store, s, len);
	buf_putc(&v->store, '\0');
}

static void
values_point(struct values *v, struct record *rec)
{
	for (int i = 0; i < RECORD_MAX_KEYS; i++)
		rec->value[i] =
		    v->off[i] < 0 ? NULL : v->store.data + v->off[i];
}

static void
known_list(const char *const *keys, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; keys[i] != NULL && n + 1 < size; i++)
		n += (size_t)snprintf(
		    out + n, size - n, "%s%s", i ? "," : "", keys[i]);
}

static int
parse_csv(const char *buf, size_t len, const char *const *keys, record_fn fn,
    void *arg, char *err, size_t errlen)
{
	struct csv c;
	struct csv_record cr;
	struct values v = { 0 };
	int map[CSV_MAX_FIELDS], ncols, count = 0, rc = -1, step;
	char known[400];

	csv_init(&c, buf, len);
	step = csv_next(&c, &cr);
	if (step <= 0) {
		snprintf(err, errlen, "%d: %s", step < 0 ? cr.line : 1,
		    step < 0 ? c.error
			     : "the input is empty; the first line must name "
			       "the columns");
		goto out;
	}
	known_list(keys, known, sizeof(known));
	ncols = cr.n;
	for (int i = 0; i < ncols; i++) {
		const char *f = cr.f[i];
		size_t n = cr.len[i];

		while (n > 0 && *f == ' ') {
			f++;
			n--;
		}
		while (n > 0 && f[n - 1] == ' ')
			n--;
		map[i] = key_index(keys, f, n);
		if (map[i] < 0) {
			snprintf(err, errlen,
			    "1: unknown column '%.*s' (the columns are %s)",
			    (int)(n > 40 ? 40 : n), f, known);
			goto out;
		}
		for (int j = 0; j < i; j++) {
			if (map[j] == map[i]) {
				snprintf(err, errlen,
				    "1: column '%s' appears twice",
				    keys[map[i]]);
				goto out;
			}
		}
	}
	buf_init(&v.store, (size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1));
	while ((step = csv_next(&c, &cr)) != 0) {
		struct record rec;

		memset(&rec, 0, sizeof(rec));
		values_reset(&v);
		rec.line = cr.line;
		if (step > 0 && cr.n == 1 && cr.len[0] == 0)
			continue; /* a blank line */
		rec.index = count++;
		if (step < 0) {
			record_error(&rec, "row", "%s", c.error);
		} else if (cr.n != ncols) {
			record_error(&rec, "row",
			    "has %d fields; the header has %d", cr.n, ncols);
		} else {
			for (int i = 0; i < ncols; i++) {
				if (!utf8_is_valid(cr.f[i], cr.len[i]))
					record_error(&rec, keys[map[i]],
					    "not valid UTF-8");
				else
					values_put(
					    &v, map[i], cr.f[i], cr.len[i]);
			}
		}
		values_point(&v, &rec);
		rec.end = csv_offset(&c);
		if (fn(arg, &rec) < 0) {
			err[0] = '\0';
			goto out;
		}
	}
	rc = count;
out:
	buf_release(&v.store);
	csv_release(&c);
	return rc;
}

/* --- JSON ------------------------------------------------------------------ */

struct scan {
	const char *p;
	size_t len, pos;
	int line;
};

static void
skip_ws(struct scan *s)
{
	while (s->pos < s->len) {
		char ch = s->p[s->pos];

		if (ch == '\n')
			s->line++;
		else if (ch != ' ' && ch != '\t' && ch != '\r')
			break;
		s->pos++;
	}
}

/*
 * Step over one JSON value without building it: strings skipped, brackets
 * counted (jansson checks the item itself).  *depth gets the deepest
 * nesting.  0, or -1 when the text ends inside it.
 */
static int
skip_value(struct scan *s, int *depth)
{
	int d = 0;

	*depth = 0;
	while (s->pos < s->len) {
		char ch = s->p[s->pos];

		if (ch == '"') {
			for (s->pos++; s->pos < s->len && s->p[s->pos] != '"';
			     s->pos++) {
				if (s->p[s->pos] == '\\')
					s->pos++;
				else if (s->p[s->pos] == '\n')
					s->line++;
			}
			if (s->pos >= s->len)
				return -1;
			s->pos++;
			if (d == 0)
				return 0; /* a string item */
		} else if (ch == '{' || ch == '[') {
			if (++d > *depth)
				*depth = d;
			s->pos++;
		} else if (ch == '}' || ch == ']') {
			if (d == 0)
				return 0; /* the array's end after a scalar */
			s->pos++;
			if (--d == 0)
				return 0;
		} else if (d == 0 &&
		    (ch == ',' || ch == ' ' || ch == '\t' || ch == '\r' ||
			ch == '\n')) {
			return 0; /* the end of a scalar item */
		} else {
			if (ch == '\n')
				s->line++;
			s->pos++;
		}
	}
	return d > 0 ? -1 : 0;
}

static void
json_item(const char *text, size_t len, int depth, const char *const *keys,
    struct values *v, struct record *rec)
{
	json_error_t je;
	json_t *obj, *val;
	const char *key;

	if (text[0] != '{') {
		record_error(rec, "row", "not a JSON object");
		return;
	}
	if (depth > JSON_ITEM_MAX_DEPTH) {
		record_error(rec, "row", "nested too deeply");
		return;
	}
	obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (obj == NULL) {
		record_error(rec, "row", "invalid JSON at line %d: %s",
		    rec->line + je.line - 1, je.text);
		return;
	}
	json_object_foreach(obj, key, val)
	{
		int k = key_index(keys, key, strlen(key));
		char num[24];

		if (k < 0) {
			record_error(rec, key, "unknown key");
			continue;
		}
		switch (json_typeof(val)) {
		case JSON_STRING: {
			const char *s = json_string_value(val);
			size_t n = json_string_length(val);

			if (strlen(s) != n)
				record_error(rec, keys[k], "contains a NUL");
			else if (n > RECORD_VALUE_MAX)
				record_error(rec, keys[k],
				    "longer than %d bytes", RECORD_VALUE_MAX);
			else
				values_put(v, k, s, n);
			break;
		}
		case JSON_INTEGER:
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(val));
			values_put(v, k, num, strlen(num));
			break;
		case JSON_TRUE: values_put(v, k, "1", 1); break;
		case JSON_FALSE: values_put(v, k, "0", 1); break;
		case JSON_NULL: break;
		case JSON_REAL:
		case JSON_OBJECT:
		case JSON_ARRAY:
		default:
			record_error(
			    rec, keys[k], "must be a string or a whole number");
			break;
		}
	}
	json_decref(obj);
}

static int
parse_json(const char *buf, size_t len, const char *const *keys, record_fn fn,
    void *arg, char *err, size_t errlen)
{
	struct scan s = { buf, len, 0, 1 };
	struct values v = { 0 };
	int count = 0, rc = -1;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		s.pos = 3;
	skip_ws(&s);
	if (s.pos >= len || buf[s.pos] != '[') {
		snprintf(err, errlen,
		    "%d: the input must be a JSON array of objects", s.line);
		goto out;
	}
	s.pos++;
	skip_ws(&s);
	if (s.pos < len && buf[s.pos] == ']') {
		s.pos++;
		goto end;
	}
	for (;;) {
		struct record rec;
		size_t start = s.pos;
		int depth;

		memset(&rec, 0, sizeof(rec));
		values_reset(&v);
		rec.line = s.line;
		rec.index = count++;
		if (s.pos >= len || buf[s.pos] == ',' || buf[s.pos] == ']') {
			snprintf(err, errlen, "%d: expected a value", s.line);
			goto out;
		}
		if (skip_value(&s, &depth) < 0 || s.pos == start) {
			snprintf(err, errlen,
			    s.pos == start ? "%d: expected a value"
					   : "%d: the JSON ends inside the "
					     "item that starts here",
			    rec.line);
			goto out;
		}
		json_item(buf + start, s.pos - start, depth, keys, &v, &rec);
		values_point(&v, &rec);
		rec.end = s.pos;
		if (fn(arg, &rec) < 0) {
			err[0] = '\0';
			goto out;
		}
		skip_ws(&s);
		if (s.pos < len && buf[s.pos] == ',') {
			s.pos++;
			skip_ws(&s);
			continue;
		}
		if (s.pos < len && buf[s.pos] == ']') {
			s.pos++;
			break;
		}
		snprintf(err, errlen, "%d: expected ',' or ']' after an item",
		    s.line);
		goto out;
	}
end:
	skip_ws(&s);
	if (s.pos < len) {
		snprintf(
		    err, errlen, "%d: text after the end of the array", s.line);
		goto out;
	}
	rc = count;
out:
	buf_release(&v.store);
	return rc;
}

int
records_parse(const char *buf, size_t len, enum records_format fmt,
    const char *const *keys, record_fn fn, void *arg, char *err, size_t errlen)
{
	int n = 0;

	while (keys[n] != NULL)
		n++;
	if (n > RECORD_MAX_KEYS) {
		snprintf(err, errlen, "too many keys");
		return -1;
	}
	if (fmt == RECORDS_JSON)
		return parse_json(buf, len, keys, fn, arg, err, errlen);
	return parse_csv(buf, len, keys, fn, arg, err, errlen);
}
