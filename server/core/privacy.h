/* privacy.h -- a citizen's request: what is held about a phone number. */
#ifndef HAILONG_PRIVACY_H
#define HAILONG_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * Whether `buf` holds the phone number `phone` (national form,
 * "0912345678") written any usual way: "0912 345 678", "0912.345.678",
 * "+84 912 345 678", "84912345678", "912345678".  A number is a run of
 * digits with single spaces, dots or dashes inside, as
 * text_mask_numbers() sees it, so whatever this finds, masking removes.
 */
bool privacy_text_has_phone(const char *buf, size_t len, const char *phone);

/* One rating that holds the number: as a callback, or in its comment. */
struct privacy_record {
	int64_t seq;
	char unit[41];
	int64_t rated_at;
	int level;
	char channel[8];
	bool callback;          /* a callback with this number */
	char status[8];         /* the callback's: open, closed */
	int64_t closed_at;      /* 0: not closed */
	int64_t consent_at;     /* when the consent was given */
	int consent_version;    /* the consent text shown */
	int64_t withdrawn_at;   /* 0: not withdrawn */
	char *comment;          /* owned; NULL: no comment */
	bool comment_has_phone; /* the comment itself holds the number */
};

struct privacy_found {
	struct privacy_record *rec; /* ordered by seq */
	size_t n;
};

/* Free the records; the zero value is valid. */
void privacy_found_release(struct privacy_found *f);

/*
 * Everything held about `phone`: callbacks with the number, and ratings
 * whose comment holds it (every comment is read).  0 or -1.
 */
int privacy_find(struct db *db, const char *phone, struct privacy_found *out);

/*
 * "phone:<16 hex>": HMAC-SHA256 of the number under a secret kept in the
 * meta table (made on first use), for the audit log: two requests about
 * one number carry one tag, and the tag does not give the number back
 * (a plain hash of a 10-digit number would).  0 or -1.
 */
int privacy_tag(struct db *db, const char *phone, char out[24]);

struct privacy_erased {
	int64_t callbacks; /* numbers erased from callbacks */
	int64_t consents;  /* consents recorded as withdrawn */
	int64_t comments;  /* comments de-identified */
};

/*
 * Erase `phone`: from every callback (phone NULL, erased_at now), its
 * consent recorded as withdrawn (withdrawn_at now), and every comment
 * holding it de-identified (text_mask_numbers()).  One transaction with
 * an audit entry "privacy.erase" naming the tag and the counts, never
 * the number.  0 or -1 with err filled.
 */
int privacy_erase(struct db *db, const char *phone, const char *actor,
    int64_t now, struct privacy_erased *out, char *err, size_t errlen);

#endif
