/* apikey.c -- API keys of machines: made, listed, revoked, looked up. */
#include <stdio.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/apikey.h"
#include "core/audit.h"
#include "core/store.h"

static bool
label_is_valid(const char *s)
{
	size_t len = strlen(s);

	return len <= APIKEY_LABEL_MAX && utf8_is_valid(s, len) &&
	    text_has_no_controls(s, len) && strchr(s, '\n') == NULL &&
	    strchr(s, '\r') == NULL && strchr(s, '\t') == NULL;
}

static const struct {
	unsigned bit;
	const char *name, *what;
} scope_names[] = {
	{ APIKEY_SCOPE_METRICS, "metrics", "read the figures" },
	{ APIKEY_SCOPE_IMPORT, "import", "import dossiers or ratings" },
	{ APIKEY_SCOPE_REPORTS, "reports", "submit signed reports" },
	{ APIKEY_SCOPE_DUTY, "duty", "say who is on duty at a counter" },
	{ APIKEY_SCOPE_LINKS, "links",
	    "make rating links for dossiers and say which dossier a counter "
	    "serves" },
};

int
apikey_scopes_parse(const char *s, unsigned *out)
{
	unsigned bits = 0;

	if (strcmp(s, "all") == 0) {
		*out = APIKEY_SCOPE_ALL;
		return 0;
	}
	while (*s != '\0') {
		size_t n = strcspn(s, ",");
		size_t i;

		for (i = 0; i < ARRAY_SIZE(scope_names); i++)
			if (strlen(scope_names[i].name) == n &&
			    strncmp(s, scope_names[i].name, n) == 0)
				break;
		if (i == ARRAY_SIZE(scope_names))
			return -1;
		bits |= scope_names[i].bit;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	if (bits == 0)
		return -1;
	*out = bits;
	return 0;
}

void
apikey_scopes_format(unsigned scopes, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(scope_names); i++) {
		if (!(scopes & scope_names[i].bit))
			continue;
		used +=
		    (size_t)snprintf(out + used, used < size ? size - used : 0,
			"%s%s", used > 0 ? "," : "", scope_names[i].name);
		if (used >= size)
			return;
	}
	if (used == 0)
		snprintf(out, size, "none");
}

const char *
apikey_scope_name(unsigned bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(scope_names); i++)
		if (scope_names[i].bit == bit)
			return scope_names[i].name;
	return "?";
}

const char *
apikey_scope_what(unsigned bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(scope_names); i++)
		if (scope_names[i].bit == bit)
			return scope_names[i].what;
	return "do this";
}

int
apikey_add(struct db *db, const char *unit, const char *label, unsigned scopes,
    const char *actor, char key[APIKEY_LEN + 1], int64_t *id, char *err,
    size_t errlen)
{
	unsigned char hash[SHA256_LEN];
	char token[44], prefix[APIKEY_PREFIX_LEN + 1], target[32];
	char detail[128], names[64];

	if (label == NULL)
		label = "";
	if (!label_is_valid(label)) {
		snprintf(err, errlen,
		    "the label must be at most %d bytes of "
		    "plain text on one line",
		    APIKEY_LABEL_MAX);
		return -1;
	}
	if (!is_unit_code(unit, strlen(unit)) || !store_has_unit(db, unit)) {
		snprintf(err, errlen, "unknown unit '%.40s'", unit);
		return -1;
	}
	if (scopes == 0 || (scopes & ~APIKEY_SCOPE_ALL) != 0) {
		snprintf(err, errlen, "a key needs at least one scope");
		return -1;
	}
	random_token(token);
	snprintf(key, APIKEY_LEN + 1, "%s%s", APIKEY_TAG, token);
	sha256(key, strlen(key), hash);
	strlcpy_hl(prefix, key, sizeof(prefix));
	if (db_begin(db) < 0 ||
	    db_run(db,
		"INSERT INTO api_keys(unit, label, prefix, hash, created_at, "
		"created_by, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)",
		"tttbltl", unit, label, prefix, hash, sizeof(hash), hl_now(),
		actor, (int64_t)scopes) < 0)
		goto dberr;
	*id = db_last_rowid(db);
	snprintf(target, sizeof(target), "apikey:%lld", (long long)*id);
	apikey_scopes_format(scopes, names, sizeof(names));
	snprintf(detail, sizeof(detail), "{\"scopes\":\"%s\",\"unit\":\"%s\"}",
	    names, unit);
	if (audit_append(db, actor, "apikey.add", target, detail) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	return 0;
dberr:
	snprintf(err, errlen, "cannot store the key: %s", db_errmsg(db));
	db_rollback(db);
	memset(key, 0, APIKEY_LEN + 1);
	return -1;
}

/*
 * One audited change of key `id`: `sql` takes (value, id).  0, 1 when no
 * such key (or nothing to change), -1 error; all or nothing.
 */
static int
key_change(struct db *db, int64_t id, const char *sql, int64_t value,
    const char *action, const char *detail, const char *actor)
{
	char target[32];
	int rc = -1;

	if (db_begin(db) < 0)
		return -1;
	if (db_run(db, sql, "ll", value, id) < 0)
		goto out;
	if (db_changes(db) == 0) {
		rc = 1;
		goto out;
	}
	snprintf(target, sizeof(target), "apikey:%lld", (long long)id);
	if (audit_append(db, actor, action, target, detail) < 0 ||
	    db_commit(db) < 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		db_rollback(db);
	return rc;
}

int
apikey_revoke(struct db *db, int64_t id, const char *actor)
{
	return key_change(db, id,
	    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND "
	    "revoked_at IS NULL",
	    hl_now(), "apikey.revoke", "", actor);
}

int
apikey_set_scopes(struct db *db, int64_t id, unsigned scopes, const char *actor)
{
	char detail[64], names[48];

	if (scopes == 0 || (scopes & ~APIKEY_SCOPE_ALL) != 0)
		return -1;
	apikey_scopes_format(scopes, names, sizeof(names));
	snprintf(detail, sizeof(detail), "{\"scopes\":\"%s\"}", names);
	return key_change(db, id, "UPDATE api_keys SET scopes = ? WHERE id = ?",
	    (int64_t)scopes, "apikey.scope", detail, actor);
}

int
apikey_list(struct db *db, FILE *out)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id, prefix, unit, label, created_at, last_used_at, "
	    "revoked_at, scopes FROM api_keys ORDER BY id",
	    "");
	int step, n = 0;

	if (st == NULL)
		return -1;
	fprintf(out, "%-5s %-16s %-16s %-11s %-11s %-19s %-22s %s\n", "id",
	    "key", "unit", "created", "last used", "status", "scopes", "label");
	while ((step = db_step(st)) == DB_ROW) {
		char created[11], used[11] = "-", status[24] = "active";
		char key[APIKEY_PREFIX_LEN + 4], scopes[48];

		date_vn(db_col_int(st, 4), created);
		if (!db_col_is_null(st, 5))
			date_vn(db_col_int(st, 5), used);
		if (!db_col_is_null(st, 6)) {
			char when[11];

			date_vn(db_col_int(st, 6), when);
			snprintf(status, sizeof(status), "revoked %s", when);
		}
		snprintf(key, sizeof(key), "%s...", db_col_text(st, 1));
		apikey_scopes_format(
		    (unsigned)db_col_int(st, 7), scopes, sizeof(scopes));
		fprintf(out, "%-5lld %-16s %-16s %-11s %-11s %-19s %-22s %s\n",
		    (long long)db_col_int(st, 0), key, db_col_text(st, 2),
		    created, used, status, scopes, db_col_text(st, 3));
		n++;
	}
	db_done(st);
	if (step == DB_DONE && n == 0)
		fprintf(out,
		    "(no API keys; make one with 'hailong apikey add "
		    "--db FILE --unit CODE')\n");
	return step == DB_DONE ? 0 : -1;
}

static bool
key_has_shape(const char *key, size_t len)
{
	if (len != APIKEY_LEN || strncmp(key, APIKEY_TAG, 4) != 0)
		return false;
	for (size_t i = 4; i < len; i++) {
		char ch = key[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			(ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

int
apikey_lookup(struct db *db, const char *key, size_t len, struct apikey *k)
{
	unsigned char hash[SHA256_LEN];
	struct db_stmt *st;
	int64_t now = hl_now(), used = 0, id = 0;
	int rc;

	if (!key_has_shape(key, len))
		return 1;
	sha256(key, len, hash);
	st = db_query(db,
	    "SELECT id, unit, coalesce(last_used_at, 0), scopes FROM api_keys "
	    "WHERE hash = ? AND revoked_at IS NULL",
	    "b", hash, sizeof(hash));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		memset(k, 0, sizeof(*k));
		id = k->id = db_col_int(st, 0);
		strlcpy_hl(k->unit, db_col_text(st, 1), sizeof(k->unit));
		used = db_col_int(st, 2);
		k->scopes = (unsigned)db_col_int(st, 3);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 1;
	}
	db_done(st);
	/* "last used" for operators, without a write per request */
	if (rc == 0 && now - used >= 3600)
		db_run(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
		    "ll", now, id);
	return rc;
}
