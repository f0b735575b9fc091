/* kiosks.h -- the kiosks table: register, enrol, revoke, guard, list. */
#ifndef HAILONG_KIOSKS_H
#define HAILONG_KIOSKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hailong/wire.h"

struct db;

/* One row of the kiosks table.  Unknown numbers are -1. */
struct kiosk {
	int64_t rowid;
	char id[WIRE_KIOSK_ID_LEN + 1];
	char unit[41];
	int counter;
	char officer[33]; /* "" when none */
	int faces;        /* 3 or 5 */
	int64_t created_at, code_expires, enrolled_at, revoked_at;
	int64_t last_nonce, last_seen, heartbeat_at;
	int64_t backlog, oldest_unsent, problems, max_seq;
	char version[WIRE_VERSION_MAX + 1];
	bool has_secret;
	unsigned char secret[WIRE_SECRET_LEN];
};

/*
 * Register a kiosk for a counter of a unit (and optionally the officer
 * who sits there), with a new one-time enrolment code valid for
 * WIRE_CODE_TTL from `now`.  Writes the new id and the code (shown once;
 * only its hash is stored).  Checks that the unit, counter and officer
 * exist and belong together.  0, or -1 with err filled.
 */
int kiosks_add(struct db *db, const char *unit, int counter,
    const char *officer, int faces, int64_t now, char id[WIRE_KIOSK_ID_LEN + 1],
    char code[WIRE_CODE_LEN + 1], char *err, size_t errlen);

/*
 * The ids of the kiosks at a counter that are not revoked, by id, at most
 * `max`: fn for each.  0, or -1 on a database error.
 */
int kiosks_at_counter(struct db *db, const char *unit, int counter, int max,
    void (*fn)(void *arg, const char *id), void *arg);

/* Load by id.  0 found, 1 no such kiosk, -1 error. */
int kiosks_load(struct db *db, const char *id, struct kiosk *k);

enum kiosks_enrol {
	KIOSKS_ENROLLED,     /* k filled, with its new secret */
	KIOSKS_CODE_UNKNOWN, /* no such code (or not a code at all) */
	KIOSKS_CODE_EXPIRED,
	KIOSKS_CODE_USED,
	KIOSKS_REVOKED,
	KIOSKS_ERROR, /* database */
};

/*
 * Exchange a one-time code (as typed; see wire_code_normalize()) for the
 * kiosk's identity: give it a new secret and mark the code used, in one
 * transaction with its audit entry.
 */
enum kiosks_enrol
kiosks_enrol(struct db *db, const char *code, int64_t now, struct kiosk *k);

/*
 * Revoke: every later request of the kiosk is refused (403), at once.
 * 0 done, 1 no such kiosk or already revoked, -1 error.
 */
int kiosks_revoke(struct db *db, const char *id, int64_t now);

/*
 * Record a heartbeat, and the heartbeat request's nonce (kioskseen.h:
 * nonces are otherwise written with the writer's batches).
 * oldest_unsent -1 for none.  0 or -1.
 */
int kiosks_heartbeat(struct db *db, const char *id, const char *version,
    int64_t backlog, int64_t oldest_unsent, int64_t problems, int64_t nonce,
    int64_t now);

/* "pending" (code not used yet), "expired", "active" or "revoked". */
const char *kiosk_state(const struct kiosk *k, int64_t now);
/* Active and heard from within WIRE_OFFLINE_AFTER. */
bool kiosk_is_online(const struct kiosk *k, int64_t now);

/*
 * Every kiosk of `scope` and the units below it (every kiosk when scope
 * is NULL) as a JSON array of objects, by unit, counter and id.  New;
 * NULL on a database error.  Never includes a secret or a code.
 */
json_t *kiosks_list_json(struct db *db, const char *scope, int64_t now);

#endif
