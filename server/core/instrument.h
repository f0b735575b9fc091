/* instrument.h -- the rating form's wording, as the province set it. */
#ifndef HAILONG_INSTRUMENT_H
#define HAILONG_INSTRUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/rating.h"
#include "core/i18n.h"

struct db;

/* A text in both languages; t[LANG_VI], t[LANG_EN]. */
struct itext {
	char *t[2];
};

struct instrument_option {
	int points; /* 0..2 */
	struct itext label;
};

struct instrument_criterion {
	struct itext label;
	int nopts;
	struct instrument_option opt[3];
};

struct instrument_reason {
	char code[RATING_REASON_MAX_LEN + 1];
	struct itext label;
};

struct instrument {
	int version;
	struct itext name;
	struct itext question;
	struct itext level[6]; /* index 1..5 */
	int three_faces[3];    /* levels of a three-face kiosk */
	struct instrument_criterion criteria[RATING_CRITERIA];
	int nreasons;
	struct instrument_reason reason[RATING_REASONS_MAX];
	int consent_version;
	int consent_retention_days;
	char consent_purpose[32];
	struct itext consent;
};

/*
 * Parse and check an instrument document (schemas/instrument.schema.json).
 * New: instrument_free().  NULL with err filled.
 */
struct instrument *
instrument_parse(const char *json, size_t len, char *err, size_t errlen);
void instrument_free(struct instrument *in);

/* The instrument in force now (highest effective version).  New. */
struct instrument *instrument_load(struct db *db, char *err, size_t errlen);

/*
 * Store a new instrument version and its consent text, effective from
 * `from` (Unix seconds).  0 or -1 with err filled.
 */
int instrument_install(struct db *db, const char *json, size_t len,
    int64_t from, char *err, size_t errlen);
/* The default of schemas/instrument.default.json, effective from 0. */
int instrument_install_default(struct db *db, char *err, size_t errlen);

bool instrument_has_reason(
    const struct instrument *in, const char *code, size_t len);
/* Label text in a language, never NULL. */
const char *itext(const struct itext *t, enum lang lang);

/* ---- versions (issue 16) ---- */

struct change;

/*
 * Add a version effective from month `effective` (yyyymm, hltime.h; not
 * before the current month in ICT), checked against
 * schemas/instrument.schema.json and instrument_parse(); refused when it
 * drops a reason code that a rating given on or after its start already
 * names.  The version number is the next one; *version gets it.
 */
int instrument_add(struct db *db, struct change *ch, int effective,
    const char *json, size_t len, int *version);

/*
 * The version in force for a rating given at `rated_at` that arrived at
 * `received_at`: the latest effective_from not after rated_at among the
 * versions created by received_at (instruments.created_at not after it,
 * to the second: the running server's cache has a version from the
 * second it is stored); of one month's, the highest number.  New, or
 * NULL with err filled.
 */
struct instrument *instrument_at(struct db *db, int64_t rated_at,
    int64_t received_at, char *err, size_t errlen);

/* One stored version, as `instrument show` and the console print it. */
struct instrument_version {
	int version;
	int64_t effective_from, created_at; /* created_at 0: at init */
	char created_by[64];                /* "" at init */
	char *body;                         /* the JSON as stored; free() it */
};

/*
 * The stored version in force at t among those created by now.  0 (v
 * filled; free v->body), 1 when there is none, -1 on a database error.
 */
int
instrument_version_at(struct db *db, int64_t t, struct instrument_version *v);

/*
 * Every version, for a running server: the cache is read again when
 * the table changed (checked at most once a second, or at once after
 * instrument_cache_touch()).  Thread-safe.
 */
struct instrument_cache;
struct instrument_cache *instrument_cache_new(void);
void instrument_cache_free(struct instrument_cache *c);
/*
 * The version in force at t, borrowed until the cache is freed (old
 * versions are kept, never freed early).  db (the caller's connection)
 * is read when a look is due; NULL keeps what the cache has.  NULL with
 * err filled (err may be NULL) when there is none.
 */
const struct instrument *instrument_cache_at(struct instrument_cache *c,
    struct db *db, int64_t t, char *err, size_t errlen);
void instrument_cache_touch(struct instrument_cache *c);

#endif
