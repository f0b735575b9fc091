/* sessions.h -- the sessions table: console sessions started and ended
 * (the cookies, CSRF and checks are web/session.h's). */
#ifndef HAILONG_SESSIONS_H
#define HAILONG_SESSIONS_H

#include <stdint.h>

#include "hailong/crypto.h"

struct db;

/* What the table keeps of a session's cookie value: its SHA-256. */
void session_token_hash(const char *token, unsigned char out[SHA256_LEN]);

/*
 * Start a session for the user: a random 256-bit token (only its SHA-256
 * is stored) and a CSRF token.  Writes the cookie value to token.  0 or
 * -1.
 */
int session_create(
    struct db *db, int64_t user_id, const char *client, char token[44]);
/* End the session whose cookie value is token (if any).  0 or -1. */
int session_destroy(struct db *db, const char *token);
/* End every session of a user (password changed, user disabled). */
int session_destroy_user(struct db *db, int64_t user_id);

#endif
