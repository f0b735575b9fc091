/* cookie.c -- reading one cookie out of a Cookie header. */
#include <string.h>

#include "hailong/cookie.h"

/* RFC 6265 cookie-octet */
static int
is_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

int
cookie_get(
    const char *h, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), i = 0;

	while (i < len) {
		size_t start, end, v;

		while (i < len && (h[i] == ' ' || h[i] == '\t'))
			i++;
		start = i;
		while (i < len && h[i] != ';')
			i++;
		end = i;
		i++; /* past the ';' */
		if (end - start > nlen && h[start + nlen] == '=' &&
		    memcmp(h + start, name, nlen) == 0) {
			v = start + nlen + 1;
			while (end > v &&
			    (h[end - 1] == ' ' || h[end - 1] == '\t'))
				end--;
			if (end - v >= outlen)
				return -1;
			for (size_t k = v; k < end; k++)
				if (!is_octet((unsigned char)h[k]))
					return -1;
			memcpy(out, h + v, end - v);
			out[end - v] = '\0';
			return 0;
		}
	}
	return 1;
}
