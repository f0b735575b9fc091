/* rating.h -- one citizen's answer: the model every channel shares. */
#ifndef HAILONG_RATING_H
#define HAILONG_RATING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

#define RATING_CRITERIA 9
#define RATING_ID_MAX 64
#define RATING_COMMENT_MAX_CHARS 1000
#define RATING_COMMENT_MAX_BYTES ((size_t)4 * RATING_COMMENT_MAX_CHARS)
#define RATING_REASONS_MAX 6
#define RATING_REASON_MAX_LEN 24
#define RATING_VISITS_MAX 99

enum rating_channel {
	CHANNEL_KIOSK,
	CHANNEL_QR,
	CHANNEL_WEB,
	CHANNEL_IMPORT,
};

/*
 * Who the rating is from (the plans' "người dân, doanh nghiệp"), when the
 * citizen said: stored as NULL / 1 / 2 (schemas/015_inclusion.sql).
 */
enum rating_requester {
	REQUESTER_NONE,     /* not said */
	REQUESTER_CITIZEN,  /* người dân: "citizen" */
	REQUESTER_BUSINESS, /* doanh nghiệp: "business" */
};

/* Valid ratings count in figures; the others are kept but count in none. */
enum rating_status {
	STATUS_VALID,
	STATUS_BURST,     /* a press within seconds of the previous */
	STATUS_DUPLICATE, /* the same citizen again (staff decision) */
	STATUS_MISUSE,    /* marked by staff */
	STATUS_SPAM,      /* marked by staff */
};

/*
 * A rating.  Optional numbers use -1 for "not answered"; optional strings
 * use "".  `comment` is owned (NULL when none); release with
 * rating_release().  The zero value is not a valid rating: start from
 * rating_init().
 */
struct rating {
	char id[RATING_ID_MAX + 1]; /* idempotency key, per channel and unit */
	char unit[41];
	int counter; /* 0: none */
	char officer[33];
	char procedure[9];
	char dossier[65];
	enum rating_channel channel;
	int level;                     /* 1..5 */
	int criteria[RATING_CRITERIA]; /* 0..2 or -1 */
	int supplement_reported;       /* 0/1 or -1 */
	int online_error_reported;     /* 0/1 or -1 */
	int visits;                    /* 1..99 or -1 */
	char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char *comment;
	char phone[11];      /* national form, "" when none */
	int consent_version; /* text version shown with the opt-in */
	int64_t rated_at;
	int64_t received_at;
	enum rating_status status;
	char source[48];    /* "token:C", "kiosk:<id>", "import:<file>" */
	bool dossier_token; /* arrived through a single-use token */
	bool client_time;   /* rated_at came from the client */
	enum rating_requester requester;
	bool assisted; /* a helper of the community digital-technology team
			* (tổ công nghệ số cộng đồng) entered it for the
			* citizen */
};

void rating_init(struct rating *r);
void rating_release(struct rating *r);

const char *rating_channel_name(enum rating_channel c);
int rating_channel_parse(const char *s, enum rating_channel *out);
/* "citizen", "business", or "" for REQUESTER_NONE. */
const char *rating_requester_name(enum rating_requester q);
/*
 * "citizen", "business", or "" (not said: REQUESTER_NONE); 0, or -1 for
 * any other word.
 */
int rating_requester_parse(const char *s, enum rating_requester *out);
const char *rating_status_name(enum rating_status s);
int rating_status_parse(const char *s, enum rating_status *out);

/*
 * An idempotency key: 1-64 bytes of letters, digits, '-', '_', '.', ':'.
 * Unique per channel and unit (a kiosk UUID, a form nonce, a ballot
 * number: two communes both number their ballots from 0001).
 */
bool rating_id_is_valid(const char *s, size_t len);
/* A reason code: 1-24 bytes of a-z, 0-9 and '_'. */
bool reason_is_valid(const char *s, size_t len);

/*
 * Check everything that does not need the database: ranges, shapes,
 * comment length and encoding.  Returns NULL when valid, else the name of
 * the first bad field ("level", "c3", "comment", ...).
 */
const char *rating_check(const struct rating *r);

/*
 * Whether two ratings with the same id say the same thing: every field
 * the client sent.  rated_at counts only when the client sent it.
 */
bool rating_same_content(const struct rating *a, const struct rating *b);

/*
 * The canonical bytes of a stored rating that the hash chain covers:
 * every field that feeds a figure, one "key=value\n" line each, in a
 * fixed order, after the line "hailong-rating-v1".  Free text and phone
 * numbers are outside the chain so that erasing them (personal data law)
 * never breaks it.  `seq` is the row's position.
 *
 * The fields added later (the requester and the assisted mark, schema
 * 015) follow as lines "requester=citizen|business" and "assisted=1"
 * only when set: a rating without them has the bytes it had before they
 * existed, so the links of the rows stored before stay valid, and one
 * with them cannot be read as one without (each line names its field).
 */
void rating_canonical(const struct rating *r, int64_t seq, struct buf *out);

#endif
