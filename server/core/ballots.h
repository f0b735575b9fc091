/* ballots.h -- ratings in import files: paper ballots, other systems. */
#ifndef HAILONG_BALLOTS_H
#define HAILONG_BALLOTS_H

#include "hailong/rating.h"

struct record;

/* The columns of a ratings file, in the order of enum ballot_key. */
enum ballot_key {
	BK_ID,
	BK_UNIT,
	BK_COUNTER,
	BK_OFFICER,
	BK_PROCEDURE,
	BK_DOSSIER,
	BK_LEVEL,
	BK_C1, /* BK_C1 + i for criterion i */
	BK_C9 = BK_C1 + RATING_CRITERIA - 1,
	BK_SUPPLEMENT,
	BK_ONLINE_ERROR,
	BK_VISITS,
	BK_REASONS,
	BK_COMMENT,
	BK_RATED_AT,
	BK_REQUESTER, /* optional: citizen, business or empty */
	BK_ASSISTED,  /* optional: 1, 0 or empty */
	BK_COUNT
};
/* Their names, NULL-terminated (for records_parse()). */
extern const char *const ballot_keys[BK_COUNT + 1];

/*
 * Read a record of a ratings file into *r (rating_init() first; release
 * it after): id an idempotency key (a ballot number...), unit a unit
 * code, counter 1-999, officer an officer id, procedure a mã TTHC,
 * dossier a mã hồ sơ, level 1-5, c1..c9 0/1/2, supplement_reported and
 * online_error_reported 1/0, visits 1-99, reasons reason codes
 * separated by ';' (at most six, each once; stored "a,b"; whether the
 * questionnaire has them is the caller's to check), comment at most 1000
 * characters (CRLF folded, ends trimmed), rated_at RFC 3339 with an
 * offset, requester citizen (người dân) or business (doanh nghiệp),
 * assisted 1 (a community helper entered it) or 0; id, unit, level and
 * rated_at required, the others may be empty (or absent).  The rating gets channel import, status valid and rated_at as
 * the client's time; received_at and source are the caller's to set.
 * Problems go to rec (record_error()).  Touches no database.  0 valid,
 * -1 not.
 */
int ballot_from_record(struct record *rec, struct rating *r);

#endif
