/* apikey.h -- API keys of machines: made, listed, revoked, checked. */
#ifndef HAILONG_APIKEY_H
#define HAILONG_APIKEY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;

/*
 * A key is "hlk_" and 43 characters of base64url (256 random bits).  It
 * is shown once, when made; the database keeps only SHA-256 of it (a
 * key has too much entropy to need a slow hash) and its first
 * APIKEY_PREFIX_LEN characters, so that people can tell keys apart.  A
 * key is scoped to a unit: it sees that unit and every unit below it.
 * Clients send "Authorization: Bearer <key>" (auth_apikey(), auth.h);
 * failed attempts are limited per client address (the option
 * apikey_failure_limit, default 20, per APIKEY_FAILURE_WINDOW
 * seconds, then 429).
 */
#define APIKEY_TAG "hlk_"
#define APIKEY_LEN 47
#define APIKEY_PREFIX_LEN 12
#define APIKEY_LABEL_MAX 64
#define APIKEY_FAILURE_WINDOW 600

/*
 * What a key may do (api_keys.scopes, a set of these bits).  A route
 * names the one it needs (struct route.scope); a key without it is
 * answered 403 insufficient_scope.  Keys made before schema 010 have all.
 */
#define APIKEY_SCOPE_METRICS 1u /* "metrics": GET /api/v1/metrics */
#define APIKEY_SCOPE_IMPORT 2u  /* "import": POST dossiers and ratings */
#define APIKEY_SCOPE_REPORTS 4u /* "reports": POST /api/v1/reports */
/* "duty": POST /api/v1/counters/{unit}/{number}/duty (schema 011; keys
 * made before it keep the three above) */
#define APIKEY_SCOPE_DUTY 8u
/* "links": POST /api/v1/dossiers/{code}/rating-link and POST
 * /api/v1/counters/{unit}/{number}/serving (schema 012; keys made before
 * it keep what they had) */
#define APIKEY_SCOPE_LINKS 16u
#define APIKEY_SCOPE_ALL 31u

/*
 * Parse a comma-separated list of scope names ("metrics,import", or
 * "all") into bits.  0, or -1 for an unknown or empty name.
 */
int apikey_scopes_parse(const char *s, unsigned *out);
/* The names of the bits, comma-separated ("metrics,reports"), in out. */
void apikey_scopes_format(unsigned scopes, char *out, size_t size);
/* The name of one bit ("import"), and what it allows, for messages. */
const char *apikey_scope_name(unsigned bit);
const char *apikey_scope_what(unsigned bit);

/*
 * Make a key for `unit` with an optional label and the scopes it may
 * use, audited as "apikey.add" by `actor` (the key itself is never
 * logged).  The key goes to key[APIKEY_LEN + 1], its id to *id.  0, or
 * -1 with err filled (unknown unit, a label that is not plain text, no
 * scope, a database error).
 */
int apikey_add(struct db *db, const char *unit, const char *label,
    unsigned scopes, const char *actor, char key[APIKEY_LEN + 1], int64_t *id,
    char *err, size_t errlen);

/*
 * Set the scopes of key `id` (active or not), audited as "apikey.scope".
 * 0 done, 1 no such key, -1 error.
 */
int apikey_set_scopes(
    struct db *db, int64_t id, unsigned scopes, const char *actor);

/*
 * Revoke key `id` at once, audited as "apikey.revoke".  0 revoked, 1 no
 * such key or already revoked, -1 error.
 */
int apikey_revoke(struct db *db, int64_t id, const char *actor);

/* Print every key (never the key itself) as a table.  0 or -1. */
int apikey_list(struct db *db, FILE *out);

/* An active key, as apikey_lookup() finds it. */
struct apikey {
	int64_t id;
	char unit[41];   /* sees this unit and its subordinates */
	unsigned scopes; /* APIKEY_SCOPE_* bits */
};

/*
 * The active key `key` (len bytes, untrusted): fills k and notes its use
 * (at most once an hour).  0 found, 1 not a key of ours or revoked, -1
 * error.
 */
int apikey_lookup(struct db *db, const char *key, size_t len, struct apikey *k);

#endif
