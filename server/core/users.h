/* users.h -- staff accounts: create, look up, check a password. */
#ifndef HAILONG_USERS_H
#define HAILONG_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum role {
	ROLE_VIEWER,
	ROLE_REPORTER,
	ROLE_MANAGER,
	ROLE_ADMIN,
};

#define PASSWORD_MIN 10
#define PASSWORD_MAX 128

const char *role_name(enum role r);
int role_parse(const char *s, enum role *out);

/* A username: 3-32 of a-z, 0-9, '.', '_', '-', starting with a letter. */
bool username_is_valid(const char *s);

/*
 * Check a new password: PASSWORD_MIN..PASSWORD_MAX bytes of UTF-8, not
 * the username.  NULL when acceptable, else why (English).
 */
const char *password_problem(const char *username, const char *password);

/*
 * Add a user.  `must_change` forces a new password at first login.
 * 0, or -1 with err filled (taken username, unknown unit, weak password).
 */
int users_add(struct db *db, const char *username, const char *unit,
    enum role role, const char *name, const char *password, bool must_change,
    char *err, size_t errlen);

/* The id of user `username`: 0, 1 when there is none, -1 on error. */
int users_id(struct db *db, const char *username, int64_t *id);

/*
 * Lock (users_disable) or unlock (users_enable) the account `username`,
 * by `actor`, audited as user.disable / user.enable on the username in
 * one transaction with the change (or inside the caller's).  Disabling
 * ends every session of the user.  Enabling lets the user log in again
 * with the password they had, and clears the failed-login count and its
 * lock; it ends no session (a disabled user has none).  0, 1 when the
 * account is in that state already (nothing changed, nothing audited),
 * 2 when there is no such user, -1 on a database error.
 */
int users_disable(struct db *db, const char *username, const char *actor);
int users_enable(struct db *db, const char *username, const char *actor);

/* A random one-time password of `len` (<= 32) unambiguous characters. */
void users_random_password(char *out, size_t len);

#endif
