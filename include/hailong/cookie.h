/* cookie.h -- reading one cookie out of a Cookie header. */
#ifndef HAILONG_COOKIE_H
#define HAILONG_COOKIE_H

#include <stddef.h>

/*
 * Find `name` in a Cookie header ("a=1; b=2") and copy its value (at most
 * outlen-1 bytes, else refused) to out.  Values are taken as they are (no
 * quotes, no decoding); only bytes allowed in a cookie value are
 * accepted.  0 found, 1 absent, -1 malformed or too long.
 */
int cookie_get(
    const char *header, size_t len, const char *name, char *out, size_t outlen);

#endif
