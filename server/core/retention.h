/* retention.h -- contact data kept no longer than promised. */
#ifndef HAILONG_RETENTION_H
#define HAILONG_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct retention_policy {
	int64_t now;
	unsigned closed_days; /* a closed callback's number lives this long */
	bool delete_comments; /* delete the comment; else mask its numbers */
	bool dry_run;         /* count, change nothing */
	const char *actor;    /* for the audit log ("cli:root") */
};

struct retention_result {
	int64_t closed;   /* numbers erased: callbacks closed long enough */
	int64_t expired;  /* numbers erased: consent's retention_days passed */
	int64_t comments; /* comments of those ratings masked or deleted */
};

/*
 * Erase the phone number (callbacks.phone = NULL, erased_at = now) of
 * every callback closed at least `closed_days` days ago, and of every
 * callback, open or not, whose consent is older than the retention its
 * consent text promised (consent_texts.retention_days: "at the latest
 * after 90 days").  The comment of each such rating is then deleted, or
 * de-identified (runs of 9 or more digits, phone and ID-card numbers,
 * masked: text_mask_numbers()).  One transaction, audited when anything
 * changed; records "last_retention_at" in meta.  0 or -1 with err.
 *
 * Raw ratings are not touched: folding old ones into counts needs the
 * monthly rollups of the metrics engine, and the hash chain covers them.
 */
int retention_run(struct db *db, const struct retention_policy *p,
    struct retention_result *out, char *err, size_t errlen);

#endif
