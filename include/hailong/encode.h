/* encode.h -- base64url and hex, the text forms of our binary values. */
#ifndef HAILONG_ENCODE_H
#define HAILONG_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the unpadded base64url text of n bytes (without NUL). */
size_t b64url_len(size_t n);
/* Write unpadded base64url of `in` and a NUL; out holds b64url_len(n)+1. */
void b64url_encode(const void *in, size_t n, char *out);
/*
 * Decode unpadded base64url (padding refused, non-alphabet bytes refused,
 * non-zero trailing bits refused so every value has exactly one text).
 * Writes at most `max` bytes.  Returns the number of bytes, or -1.
 */
long b64url_decode(const char *in, size_t len, void *out, size_t max);

/* Lower-case hex of n bytes and a NUL; out holds 2n+1. */
void hex_encode(const void *in, size_t n, char *out);
/* Decode exactly 2*max hex digits into out; 0 or -1. */
int hex_decode(const char *in, size_t len, void *out, size_t max);
/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);

#endif
