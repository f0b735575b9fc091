/* wire.h -- the contract between hailong and hailong-kiosk: paths, keys. */
#ifndef HAILONG_WIRE_H
#define HAILONG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/rating.h"

/*
 * Everything both programs must agree on lives here, so a change to the
 * protocol is a change to one file.  Bodies are UTF-8 JSON; times are
 * RFC 3339 with an offset; every kiosk request except enrolment carries
 * the signature of kiosksig.h, and every signed request's 2xx answer
 * carries the server's signature of its body (WIRE_HDR_RESPONSE_SIG).
 *
 * Server (hailong):
 *	POST WIRE_PATH_ENROLL     {"code": "ABCD-EFGH-JKMN-PQRS"}
 *	    201 {"kiosk": ID, "secret": b64url(32 bytes), "unit": CODE,
 *	         "counter": N}
 *	    404 code_unknown, 410 code_expired, 409 code_used,
 *	    403 kiosk_revoked, 429 rate_limited
 *	POST WIRE_PATH_RATINGS    {"ratings": [ITEM, ...]}   (signed)
 *	    ITEM = {"id": UUID, "seq": N, "level": 1..5, "reasons": [CODE...],
 *	            "dossier": "mã hồ sơ" (optional), "rated_at": RFC 3339,
 *	            "burst": bool, "requester": "citizen"|"business"
 *	            (optional: not said), "assisted": bool (optional, false:
 *	            a community helper entered it)}
 *	    200 {"results": [{"id": UUID, "status": "accepted"|"duplicate"|
 *	         "conflict"|"rejected", "reason": "level" (rejected only;
 *	         "folded": rated in a month folded into counts;
 *	         "counter_disabled" / "unit_disabled": rated at or after
 *	         the counter or unit was disabled)}]}
 *	    in the order of the request; 503 when the disk cannot take them
 *	POST WIRE_PATH_HEARTBEAT  {"version": "0.1.0", "outbox": N,
 *	         "oldest_unsent": RFC 3339 or null, "problems": N} (signed)
 *	    200 {"server_time": RFC 3339}
 *	GET  WIRE_PATH_CONFIG     (signed; If-None-Match honoured)
 *	    200 {"kiosk", "unit": {"code", "name"}, "counter": {"number",
 *	         "name", "active": false when the counter or its unit is
 *	         disabled: the kiosk shows it closed}, "faces": 3|5, "levels": [5, 4, 2],
 *	         "labels": {"5": {"vi", "en"}, ...}, "question": {"vi", "en"},
 *	         "reasons": [{"code", "vi", "en"}], "procedures": [{"code",
 *	         "name"}], "rate_url": URL, "instrument": N}   + ETag
 *	GET  WIRE_PATH_SERVING    (signed; every WIRE_SERVING_EVERY s)
 *	    200 {"dossier": "mã hồ sơ" or null, "serial": N (0 with
 *	         null), "since": RFC 3339 or null}: the dossier the
 *	         kiosk's counter serves now, as the one-stop system said
 *	         (POST /api/v1/counters/{unit}/{number}/serving, API key
 *	         scope "links"; server/core/serving.h).  Kept in the
 *	         server's memory only: a restart, or WIRE_SERVING_TTL,
 *	         forgets it.  A kiosk that consumed serial N (a rating bound
 *	         to it, or the page's idle reset) shows nothing until a
 *	         higher serial comes; one that cannot ask shows nothing and
 *	         takes ratings as ever.
 *	GET  WIRE_PATH_KIOSKS     (staff) {"kiosks": [...]}
 *
 * Kiosk (hailong-kiosk, 127.0.0.1 only):
 *	POST WIRE_PATH_LOCAL_RATINGS {"level": 1..5, "reasons": [...],
 *	         "dossier": "...", "reasons_follow": bool, "serving": N,
 *	         "requester": "citizen"|"business", "assisted": bool}
 *	    ("requester" and "assisted" optional, as in the batch ITEM)
 *	    ("serving": the serial of the served dossier the page showed
 *	    and sends as "dossier": the kiosk marks it consumed)
 *	    201 {"id": UUID} once committed to the outbox; 400 {"error",
 *	    "message"} naming the bad value; 409 conflict while the
 *	    configuration says the counter is closed
 *	POST WIRE_PATH_LOCAL_RATINGS "/<id>/reasons" {"reasons": [...]}
 *	    200 once committed; 409 when the rating can no longer change
 *	GET  WIRE_PATH_LOCAL_CONFIG  what the page shows
 *	GET  WIRE_PATH_LOCAL_QR      the "rate on your phone" QR code (SVG)
 *	GET  WIRE_PATH_LOCAL_SERVING {"dossier": "..." or null, "serial": N}
 *	    the served dossier not yet consumed ("Hồ sơ đang phục vụ"); the
 *	    page asks every second while it shows the first screen
 *	POST WIRE_PATH_LOCAL_SERVING {"serial": N}   the page's idle reset
 *	    consumed it: 200 {"serial": N}
 *
 * Errors are {"error": WIRE_ERR_*, "message": "a sentence"}.
 */

#define WIRE_PATH_ENROLL "/api/v1/kiosk/enroll"
#define WIRE_PATH_RATINGS "/api/v1/kiosk/ratings"
#define WIRE_PATH_HEARTBEAT "/api/v1/kiosk/heartbeat"
#define WIRE_PATH_CONFIG "/api/v1/kiosk/config"
#define WIRE_PATH_SERVING "/api/v1/kiosk/serving"
#define WIRE_PATH_KIOSKS "/api/v1/kiosks"

#define WIRE_PATH_LOCAL_RATINGS "/api/local/ratings"
#define WIRE_PATH_LOCAL_CONFIG "/api/local/config"
#define WIRE_PATH_LOCAL_QR "/api/local/qr.svg"
#define WIRE_PATH_LOCAL_SERVING "/api/local/serving"

/* Headers.  Authorization carries the request signature (kiosksig.h). */
#define WIRE_HDR_AUTH "Authorization"
#define WIRE_HDR_RESPONSE_SIG "X-Hailong-Signature"

/* JSON keys. */
#define WIRE_K_CODE "code"
#define WIRE_K_KIOSK "kiosk"
#define WIRE_K_SECRET "secret"
#define WIRE_K_RATINGS "ratings"
#define WIRE_K_RESULTS "results"
#define WIRE_K_ID "id"
#define WIRE_K_SEQ "seq"
#define WIRE_K_LEVEL "level"
#define WIRE_K_REASONS "reasons"
#define WIRE_K_DOSSIER "dossier"
#define WIRE_K_RATED_AT "rated_at"
#define WIRE_K_BURST "burst"
#define WIRE_K_STATUS "status"
#define WIRE_K_REASON "reason"
#define WIRE_K_REASONS_FOLLOW "reasons_follow"
#define WIRE_K_VERSION "version"
#define WIRE_K_OUTBOX "outbox"
#define WIRE_K_OLDEST_UNSENT "oldest_unsent"
#define WIRE_K_PROBLEMS "problems"
#define WIRE_K_ERROR "error"
#define WIRE_K_MESSAGE "message"
#define WIRE_K_LAST_NONCE "last_nonce"
#define WIRE_K_SERIAL "serial"
#define WIRE_K_SINCE "since"
#define WIRE_K_SERVING "serving"
#define WIRE_K_REQUESTER "requester" /* optional: citizen, business */
#define WIRE_K_ASSISTED "assisted"   /* optional bool, default false */

/* Error codes (the "error" key). */
#define WIRE_ERR_BAD_REQUEST "bad_request"
#define WIRE_ERR_UNAUTHORIZED "unauthorized" /* no or bad signature */
#define WIRE_ERR_STALE_TIME "stale_time"     /* outside the time window */
#define WIRE_ERR_REPLAY "replay"             /* nonce not above the last */
#define WIRE_ERR_REVOKED "kiosk_revoked"     /* 403 */
#define WIRE_ERR_CODE_UNKNOWN "code_unknown" /* 404 */
#define WIRE_ERR_CODE_EXPIRED "code_expired" /* 410 */
#define WIRE_ERR_CODE_USED "code_used"       /* 409 */
#define WIRE_ERR_RATE_LIMITED "rate_limited" /* 429 */
#define WIRE_ERR_UNAVAILABLE "unavailable"   /* 503: try again later */
#define WIRE_ERR_CONFLICT "conflict"         /* 409 */
#define WIRE_ERR_NOT_FOUND "not_found"

/* Limits. */
#define WIRE_KIOSK_ID_LEN 11               /* "k" and 10 hex digits */
#define WIRE_SECRET_LEN 32                 /* bytes of the kiosk's HMAC key */
#define WIRE_CODE_LEN 19                   /* "ABCD-EFGH-JKMN-PQRS" */
#define WIRE_CODE_TTL ((int64_t)24 * 3600) /* an enrolment code lives 24 h */
#define WIRE_BATCH_MAX 1000                /* ratings per batch */
#define WIRE_BATCH_BODY_MAX ((size_t)1024 * 1024)
#define WIRE_SMALL_BODY_MAX ((size_t)16 * 1024) /* every other request */
#define WIRE_CONFIG_BODY_MAX ((size_t)1024 * 1024)
#define WIRE_TIME_WINDOW 300         /* seconds a signed request stays good */
#define WIRE_FUTURE_SLACK 600        /* rated_at may be this far ahead */
#define WIRE_RATED_AT_MIN 1577836800 /* 2020-01-01: older is a bad clock */
#define WIRE_OFFLINE_AFTER 600       /* silent this long: offline */
#define WIRE_HEARTBEAT_EVERY 60      /* seconds between heartbeats */
#define WIRE_LOW_LEVEL_MAX 2         /* levels that may carry reasons */
#define WIRE_BURST_SECONDS 5  /* a press this soon after the last: burst */
#define WIRE_RESET_SECONDS 30 /* the page's idle reset */
#define WIRE_VERSION_MAX 32   /* bytes of a version string */
#define WIRE_SERVING_EVERY 2  /* seconds between polls of the served dossier */
#define WIRE_SERVING_TTL ((int64_t)2 * 3600) /* a served dossier lives 2 h */

/*
 * Enrolment codes: 16 characters of Crockford's base32 (80 random bits)
 * shown as "ABCD-EFGH-JKMN-PQRS".  wire_code_normalize() reads what a
 * person typed: any case, dashes and spaces ignored, O read as 0, I and L
 * as 1; writes the 16 characters and a NUL to out.  0 or -1.
 */
#define WIRE_CODE_CHARS 16
int
wire_code_normalize(const char *s, size_t len, char out[WIRE_CODE_CHARS + 1]);
/* A new random code, formatted with dashes (WIRE_CODE_LEN + NUL). */
void wire_code_new(char out[WIRE_CODE_LEN + 1]);

/*
 * The reason of a rating rejected because it was rated in a month the
 * server has folded into monthly counts (`hailong retention
 * --fold-months`): too old to be taken, whatever it says.  Other reasons
 * name the bad key ("level") or say the database refused it.
 */
#define WIRE_REASON_FOLDED "folded"
/*
 * The reasons of a rating rejected because it was rated at or after its
 * counter, or its unit, was disabled (`hailong counter disable`, `unit
 * disable`); one rated before is accepted: it was given while open.
 */
#define WIRE_REASON_COUNTER_DISABLED "counter_disabled"
#define WIRE_REASON_UNIT_DISABLED "unit_disabled"

/* The answer for one rating of a batch. */
enum wire_status {
	WIRE_ACCEPTED,  /* stored now */
	WIRE_DUPLICATE, /* stored before, same content: counts as sent */
	WIRE_CONFLICT,  /* the id is taken by different content: kept */
	WIRE_REJECTED,  /* invalid (see reason): kept, never resent */
};

const char *wire_status_name(enum wire_status s);
/* 0 and *out, or -1 for an unknown word. */
int wire_status_parse(const char *s, enum wire_status *out);

/*
 * A rating as the page posts it to the kiosk.  `reasons` is the
 * comma-joined list, in the order given.
 */
struct wire_local {
	int level;
	char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char dossier[65];
	bool reasons_follow; /* the page will ask for reasons next */
	int64_t serving;     /* the served dossier's serial it shows, or 0 */
	enum rating_requester requester; /* REQUESTER_NONE: not said */
	bool assisted;                   /* a community helper entered it */
};

/*
 * Parse and check the page's JSON body: an object with "level" 1..5,
 * optional "reasons" (array of at most RATING_REASONS_MAX distinct codes,
 * only when level <= WIRE_LOW_LEVEL_MAX), "dossier" (a mã hồ sơ or ""),
 * "reasons_follow" (bool), "serving" (a serial, 1..2^53), "requester"
 * ("citizen", "business", null or absent) and "assisted" (bool).
 * Unknown keys are refused.  0, or -1 with
 * `why` a sentence for the page (English; the page shows its own words).
 */
int wire_local_parse(
    const char *buf, size_t len, struct wire_local *out, char *why, size_t n);

/*
 * Parse the page's follow-up {"reasons": [...]} into the comma-joined
 * list `out`.  0 or -1 with `why`.
 */
int wire_reasons_parse(const char *buf, size_t len,
    char out[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)], char *why,
    size_t n);

/* The served dossier, as the kiosk reads the server's answer. */
struct wire_serving {
	char dossier[65]; /* "" for none */
	int64_t serial;   /* 0 for none */
};

/*
 * Parse the answer of WIRE_PATH_SERVING: "dossier" a mã hồ sơ with
 * "serial" 1..2^53, or null with 0 ("since" and unknown keys are not
 * read).  0 or -1 with `why`.
 */
int wire_serving_parse(
    const char *buf, size_t len, struct wire_serving *out, char *why, size_t n);

/*
 * Parse the page's {"serial": N} (1..2^53) into *serial.  0 or -1 with
 * `why`.
 */
int wire_serial_parse(
    const char *buf, size_t len, int64_t *serial, char *why, size_t n);

/* A heartbeat, as the server reads it. */
struct wire_heartbeat {
	char version[WIRE_VERSION_MAX + 1];
	int64_t outbox;        /* ratings waiting */
	int64_t oldest_unsent; /* rated_at of the oldest, -1 for none */
	int64_t problems;      /* conflicts and rejections kept */
};

/*
 * Parse {"version": "...", "outbox": N, "oldest_unsent": RFC 3339 or
 * null, "problems": N}: version 1-WIRE_VERSION_MAX bytes of printable
 * ASCII, counts 0..10^9.  0 or -1 with `why`.
 */
int wire_heartbeat_parse(const char *buf, size_t len,
    struct wire_heartbeat *out, char *why, size_t n);

/* One rating of a batch, as the server reads it. */
struct wire_item {
	char id[RATING_ID_MAX + 1];
	int64_t seq;
	int level;
	char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char dossier[65];
	int64_t rated_at;
	bool burst;
	enum rating_requester requester; /* absent: REQUESTER_NONE */
	bool assisted;                   /* absent: false */
	const char *bad; /* NULL, or the field that makes it rejected */
};

/*
 * Parse a batch body {"ratings": [ITEM, ...]}.  A body that is not such
 * an object, or holds no item or more than WIRE_BATCH_MAX, is refused as
 * a whole (-1, `why` filled).  Otherwise 0 with *items (new, free()) and
 * *n, one per item in order; an item with a bad field (or that is not an
 * object) has `bad` set to the field's name and is answered "rejected"
 * on its own, so that one bad rating never holds up the others.  `now`
 * bounds rated_at (at most WIRE_FUTURE_SLACK ahead, not before
 * WIRE_RATED_AT_MIN).
 */
int wire_batch_parse(const char *buf, size_t len, int64_t now,
    struct wire_item **items, size_t *n, char *why, size_t whylen);

#endif
