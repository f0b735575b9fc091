/* sessions.c -- the sessions table: console sessions started and ended. */
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "core/sessions.h"

void
session_token_hash(const char *token, unsigned char out[SHA256_LEN])
{
	sha256(token, strlen(token), out);
}

int
session_create(
    struct db *db, int64_t user_id, const char *client, char token[44])
{
	unsigned char h[SHA256_LEN];
	char csrf[44];
	int64_t now = hl_now();

	random_token(token);
	random_token(csrf);
	session_token_hash(token, h);
	if (db_run(db,
		"INSERT INTO sessions(token_hash, user_id, csrf, "
		"created_at, last_seen, client) VALUES (?, ?, ?, ?, ?, ?)",
		"bltllt", h, sizeof(h), user_id, csrf, now, now, client) < 0)
		return -1;
	return 0;
}

int
session_destroy(struct db *db, const char *token)
{
	unsigned char h[SHA256_LEN];

	session_token_hash(token, h);
	return db_run(
	    db, "DELETE FROM sessions WHERE token_hash = ?", "b", h, sizeof(h));
}

int
session_destroy_user(struct db *db, int64_t user_id)
{
	return db_run(
	    db, "DELETE FROM sessions WHERE user_id = ?", "l", user_id);
}
