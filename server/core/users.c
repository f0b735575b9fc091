/* users.c -- staff accounts: create, look up, check a password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/sessions.h"
#include "core/store.h"
#include "core/users.h"

static const char *const role_names[] = { "viewer", "reporter", "manager",
	"admin" };

const char *
role_name(enum role r)
{
	return (unsigned)r < ARRAY_SIZE(role_names) ? role_names[r] : "?";
}

int
role_parse(const char *s, enum role *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(role_names); i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	}
	return -1;
}

bool
username_is_valid(const char *s)
{
	size_t len = strlen(s);

	if (len < 3 || len > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

const char *
password_problem(const char *username, const char *password)
{
	size_t len = strlen(password);

	if (len < PASSWORD_MIN)
		return "a password needs at least 10 characters";
	if (len > PASSWORD_MAX)
		return "a password may have at most 128 bytes";
	if (!utf8_is_valid(password, len))
		return "a password must be UTF-8 text";
	if (username != NULL && strcmp(password, username) == 0)
		return "a password must not be the username";
	return NULL;
}

int
users_add(struct db *db, const char *username, const char *unit, enum role role,
    const char *name, const char *password, bool must_change, char *err,
    size_t errlen)
{
	const char *why;
	char *hash;
	int64_t one;
	int rc;

	if (!username_is_valid(username)) {
		snprintf(err, errlen,
		    "username '%s': 3-32 of a-z, 0-9, '.', "
		    "'_', '-', starting with a letter",
		    username);
		return -1;
	}
	if (!store_has_unit(db, unit)) {
		snprintf(err, errlen, "no unit '%s'", unit);
		return -1;
	}
	if (strlen(name) == 0 || strlen(name) > 200 ||
	    !utf8_is_valid(name, strlen(name)) ||
	    !text_has_no_controls(name, strlen(name))) {
		snprintf(err, errlen, "name: 1-200 bytes of UTF-8 text");
		return -1;
	}
	why = password_problem(username, password);
	if (why != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (db_int(db, &one, "SELECT 1 FROM users WHERE username = ?", "t",
		username) == 0) {
		snprintf(err, errlen, "username '%s' is taken", username);
		return -1;
	}
	hash = password_hash(password);
	if (hash == NULL) {
		snprintf(err, errlen, "cannot hash the password");
		return -1;
	}
	rc = db_run(db,
	    "INSERT INTO users(username, unit, role, name, "
	    "password, must_change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    "tttttil", username, unit, role_name(role), name, hash,
	    must_change ? 1 : 0, hl_now());
	free(hash);
	if (rc < 0)
		snprintf(err, errlen, "cannot add user: %s", db_errmsg(db));
	return rc;
}

void
users_random_password(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	unsigned char r[32];

	if (len > sizeof(r))
		len = sizeof(r);
	random_bytes(r, len);
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[r[i] % 32];
	out[len] = '\0';
}

int
users_id(struct db *db, const char *username, int64_t *id)
{
	return db_int(
	    db, id, "SELECT id FROM users WHERE username = ?", "t", username);
}

static int
users_set_active(
    struct db *db, const char *username, bool active, const char *actor)
{
	bool own = !db_in_transaction(db);
	int64_t id, was;
	int rc = -1, got;

	if (own && db_begin(db) < 0)
		return -1;
	got = db_int(db, &was, "SELECT active FROM users WHERE username = ?",
	    "t", username);
	if (got != 0) {
		rc = got == 1 ? 2 : -1;
		goto out;
	}
	if ((was != 0) == active) {
		rc = 1;
		goto out;
	}
	if (users_id(db, username, &id) != 0)
		goto out;
	if (active) {
		if (db_run(db,
			"UPDATE users SET active = 1, failed_logins = 0, "
			"locked_until = 0 WHERE id = ?",
			"l", id) < 0)
			goto out;
	} else if (db_run(db, "UPDATE users SET active = 0 WHERE id = ?", "l",
		       id) < 0 ||
	    session_destroy_user(db, id) < 0) {
		goto out;
	}
	if (audit_append(db, actor, active ? "user.enable" : "user.disable",
		username, "") < 0)
		goto out;
	rc = 0;
out:
	if (own) {
		if (rc == 0 && db_commit(db) < 0)
			rc = -1;
		if (rc != 0)
			db_rollback(db);
	}
	return rc;
}

int
users_disable(struct db *db, const char *username, const char *actor)
{
	return users_set_active(db, username, false, actor);
}

int
users_enable(struct db *db, const char *username, const char *actor)
{
	return users_set_active(db, username, true, actor);
}
