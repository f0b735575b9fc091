/* text.c -- UTF-8 checks and the identifiers of the one-stop system. */
#include <string.h>

#include "hailong/text.h"
#include "hailong/util.h"

bool
utf8_is_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

bool
text_has_no_controls(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return false;
	}
	return true;
}

bool
text_is_clean_line(const char *s, size_t len, size_t max)
{
	return len > 0 && len <= max && utf8_is_valid(s, len) &&
	    text_has_no_controls(s, len) && memchr(s, '\n', len) == NULL;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

bool
is_procedure_code(const char *s, size_t len)
{
	return len == 8 && is_digit(s[0]) && s[1] == '.' &&
	    all_digits(s + 2, 6);
}

bool
is_unit_code(const char *s, size_t len)
{
	size_t seg = 0;

	if (len < 3 || len > 40 || (s[0] != 'H' && s[0] != 'G') ||
	    !is_digit(s[1]) || !is_digit(s[2]))
		return false;
	for (size_t i = 3; i < len; i++) {
		if (s[i] == '.') {
			if (i + 1 == len || s[i + 1] == '.')
				return false;
			seg = 0;
		} else if (is_digit(s[i])) {
			if (++seg > 4)
				return false;
		} else {
			return false;
		}
	}
	return len == 3 || s[3] == '.';
}

static bool
is_calendar_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int max;

	if (m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool
is_dossier_code(const char *s, size_t len)
{
	const char *d1, *d2;
	size_t agency, seq;
	int yy, mm, dd;

	if (len > 64)
		return false;
	d1 = memchr(s, '-', len);
	if (d1 == NULL)
		return false;
	agency = (size_t)(d1 - s);
	if (agency < 2 || agency > 40 || s[0] == '.' || s[agency - 1] == '.')
		return false;
	for (size_t i = 0; i < agency; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !is_alnum(s[i]))
			return false;
	}
	if (len - agency - 1 < 8)
		return false;
	d2 = d1 + 7;
	if (!all_digits(d1 + 1, 6) || *d2 != '-')
		return false;
	seq = len - (size_t)(d2 + 1 - s);
	if (seq < 4 || seq > 7 || !all_digits(d2 + 1, seq))
		return false;
	yy = (d1[1] - '0') * 10 + (d1[2] - '0');
	mm = (d1[3] - '0') * 10 + (d1[4] - '0');
	dd = (d1[5] - '0') * 10 + (d1[6] - '0');
	return is_calendar_date(2000 + yy, mm, dd);
}

bool
dossier_code_unit(const char *code, char out[41])
{
	const char *dash = strchr(code, '-');
	size_t n = dash != NULL ? (size_t)(dash - code) : 0;

	out[0] = '\0';
	if (n == 0 || n > 40 || !is_unit_code(code, n))
		return false;
	memcpy(out, code, n);
	out[n] = '\0';
	return true;
}

bool
unit_code_is_within(const char *unit, const char *ancestor)
{
	size_t n = strlen(ancestor);

	return n > 0 && strncmp(unit, ancestor, n) == 0 &&
	    (unit[n] == '\0' || unit[n] == '.');
}

bool
is_officer_id(const char *s, size_t len)
{
	if (len < 1 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-')
			return false;
	return true;
}

bool
phone_normalize(const char *s, size_t len, char out[11])
{
	char d[16];
	size_t n = 0, i = 0;

	while (i < len && s[i] == ' ')
		i++;
	while (len > i && s[len - 1] == ' ')
		len--;
	if (len - i >= 3 && s[i] == '+' && s[i + 1] == '8' && s[i + 2] == '4') {
		d[n++] = '0';
		i += 3;
	} else if (i < len && s[i] == '+') {
		return false;
	}
	for (; i < len; i++) {
		if (is_digit(s[i])) {
			if (n >= 10)
				return false;
			d[n++] = s[i];
		} else if (s[i] != ' ' && s[i] != '.' && s[i] != '-') {
			return false;
		}
	}
	if (n != 10 || d[0] != '0' || d[1] == '0')
		return false;
	memcpy(out, d, 10);
	out[10] = '\0';
	return true;
}

/*
 * Bytes of the separator at s[j] that may sit inside a written number:
 * ' ', '.', '-', U+00A0 (the no-break space word processors put in
 * "0912 345 678"), or the full-width space, '-' and '.'; 0 when none.
 */
static size_t
number_separator(const char *s, size_t j, size_t len)
{
	const unsigned char *u = (const unsigned char *)s + j;

	if (s[j] == ' ' || s[j] == '.' || s[j] == '-')
		return 1;
	if (u[0] == 0xc2 && j + 1 < len && u[1] == 0xa0)
		return 2; /* no-break space */
	if (j + 2 < len &&
	    ((u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||
		(u[0] == 0xef && u[1] == 0xbc &&
		    (u[2] == 0x8d || u[2] == 0x8e))))
		return 3; /* ideographic space, full-width '-' and '.' */
	return 0;
}

/*
 * Bytes of the digit at s[j]: 1 for 0-9, 3 for the full-width digits
 * U+FF10..U+FF19 (an IME on a phone types them), 0 for anything else.
 */
static size_t
digit_width(const char *s, size_t j, size_t len)
{
	const unsigned char *u = (const unsigned char *)s + j;

	if (is_digit(s[j]))
		return 1;
	if (u[0] == 0xef && j + 2 < len && u[1] == 0xbc && u[2] >= 0x90 &&
	    u[2] <= 0x99)
		return 3;
	return 0;
}

/* Separators allowed between two digits: "0912 - 345 - 678" has three. */
#define MASK_GAP_MAX 3

char *
text_mask_numbers(const char *s)
{
	size_t len = strlen(s);
	char *out = xstrndup(s, len);
	size_t i = 0;

	while (i < len) {
		size_t j = i, digits = 0, end = i, w;

		if (digit_width(s, i, len) == 0) {
			i++;
			continue;
		}
		/* a run of digits with short gaps of separators inside */
		while (j < len) {
			size_t k = j, gap = 0;

			if ((w = digit_width(s, j, len)) > 0) {
				digits++;
				j += w;
				end = j;
				continue;
			}
			while (k < len && gap < MASK_GAP_MAX &&
			    (w = number_separator(s, k, len)) > 0) {
				k += w;
				gap++;
			}
			if (gap == 0 || k >= len || digit_width(s, k, len) == 0)
				break;
			j = k;
		}
		/* '*', or U+FF0A '＊' for a full-width digit: the same bytes */
		if (digits >= 9)
			for (size_t k = i; k < end; k++) {
				w = digit_width(s, k, len);
				if (w == 1)
					out[k] = '*';
				else if (w == 3)
					out[k + 2] = (char)0x8a;
				if (w > 1)
					k += w - 1;
			}
		i = end;
	}
	return out;
}

char *
text_clean(const char *s)
{
	size_t n = 0, len = strlen(s);
	char *out = xmalloc(len + 1);

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			out[n++] = *s;
	while (n > 0 &&
	    (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\r' ||
		out[n - 1] == '\n'))
		n--;
	out[n] = '\0';
	return out;
}
