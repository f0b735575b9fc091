/* qrlink.h -- the address a QR code carries, and tokens for the CLI. */
#ifndef HAILONG_QRLINK_H
#define HAILONG_QRLINK_H

#include "hailong/buf.h"
#include "hailong/token.h"

struct db;

/* Append "<base>/q/<token>" (base without a trailing slash). */
void qrlink_url(const char *base, const char *token, struct buf *out);

/*
 * Make a token for t with the current key (t->kid is set here), after
 * checking that the unit, counter and procedure exist.  0, or -1 with
 * err filled ("no unit 'H99' in the database").
 */
int qrlink_token(struct db *db, struct token *t, char out[TOKEN_MAX_LEN + 1],
    char *err, size_t errlen);

#endif
