/* duty.h -- the duty log: which officer sits at which counter, when. */
#ifndef HAILONG_DUTY_H
#define HAILONG_DUTY_H

#include <stdbool.h>
#include <stdint.h>

struct change;
struct db;

struct duty_row {
	int64_t id;
	char unit[41];
	int counter;
	char officer[33];
	int64_t started_at, ended_at; /* ended_at 0 while on duty */
	char started_by[64], ended_by[64];
};

/*
 * Officer `officer` (active, of `unit`) takes counter `counter` (active)
 * at `at` (Unix seconds; not in the future, not before the last change
 * at that counter or of that officer).  Whoever was on duty there ends
 * at `at`, and so does the officer's open duty at another counter (a
 * change of shift is one call).  Starting the same officer again at the
 * same counter changes nothing and returns 0.
 */
int duty_start(struct db *db, struct change *ch, const char *unit, int counter,
    const char *officer, int64_t at);

/* End the open duty at the counter at `at`.  SETUP_BAD when none. */
int duty_end(struct db *db, struct change *ch, const char *unit, int counter,
    int64_t at);

/*
 * Why duty_apply() refused a change, for callers that answer each kind
 * differently (the API: 404, 400 naming the field, 409).
 */
enum duty_refusal {
	DUTY_OK,
	DUTY_NO_COUNTER,  /* no such unit, or no such counter in it */
	DUTY_BAD_OFFICER, /* unknown, disabled, or of another unit */
	DUTY_BAD_TIME,    /* in the future */
	/*
	 * the log or the counter stands against it: a time before the last
	 * change at the counter or of the officer, nobody on duty to end,
	 * a disabled counter or unit
	 */
	DUTY_CONFLICT,
	DUTY_DB, /* SETUP_DBERR */
};

/* One change of the duty log, for duty_apply(). */
struct duty_request {
	bool start;       /* duty_start() when true, else duty_end() */
	const char *unit; /* borrowed */
	int counter;
	const char *officer; /* borrowed; start only */
	int64_t at;
	enum duty_refusal why; /* out: DUTY_OK after 0 */
};

/*
 * duty_start() or duty_end() as `req` says, with the same result, and
 * req->why telling what kind of refusal a SETUP_BAD was.
 */
int duty_apply(struct db *db, struct change *ch, struct duty_request *req);

/*
 * The open duty at the counter into *d.  0 found, 1 none, -1 error.
 */
int
duty_open_at(struct db *db, const char *unit, int counter, struct duty_row *d);

/*
 * The officer on duty at the counter at instant t into officer (33
 * bytes).  0 found, 1 none, -1 error.  A prepared-statement lookup for
 * the writer's hot path.
 */
int duty_officer_at(
    struct db *db, const char *unit, int counter, int64_t t, char officer[33]);

/*
 * The log of `unit` for spans touching [from, until), newest first;
 * fn returning non-zero stops.  0 or -1.
 */
int duty_list(struct db *db, const char *unit, int64_t from, int64_t until,
    int (*fn)(void *arg, const struct duty_row *d), void *arg);

#endif
