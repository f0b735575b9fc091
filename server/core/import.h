/* import.h -- dossier and rating imports: check it all, then write. */
#ifndef HAILONG_IMPORT_H
#define HAILONG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/records.h"

struct db;
struct dossier;
struct rating;
struct writer_job;

/*
 * One import of a file or a request body, used by `hailong import` and
 * by POST /api/v1/dossiers and /api/v1/ratings alike:
 *
 *	im = import_new(IMPORT_DOSSIERS, buf, len, fmt);
 *	import_check(im, db);     every record, against the rules and the
 *	                          database (read only): what each will be
 *	if (import_bad(im) == 0 || skip_bad)
 *		import_write_dossiers(im, db);  (ratings: import_each())
 *	... im->items[i].status, .errors; im->counts[] ...
 *	import_free(im);
 *
 * Dossiers are upserted by code: a version older than the stored one is
 * `stale`, the same version `duplicate`, a different version with the
 * same updated_at `rejected`.  Ratings are keyed by id in channel
 * import: the same content again is `duplicate`, different content
 * `conflict`.  Both within the input and against the database.
 */

enum import_kind { IMPORT_DOSSIERS, IMPORT_RATINGS };

enum import_status {
	IMPORT_ACCEPTED,    /* stored (or, after the check, will be) */
	IMPORT_DUPLICATE,   /* the same thing is stored already */
	IMPORT_STALE,       /* dossiers: a version as new or newer is stored */
	IMPORT_CONFLICT,    /* ratings: the id is stored with other content */
	IMPORT_REJECTED,    /* bad: errors say why */
	IMPORT_UNAVAILABLE, /* not stored: the database failed; send again */
	IMPORT_STATUS_COUNT
};

/* "accepted", "duplicate", "stale", "conflict", "rejected", "unavailable" */
const char *import_status_name(enum import_status s);

struct import_item {
	int line;  /* where the record starts in the input */
	int index; /* its position among the records, from 0 */
	enum import_status status;
	char key[65]; /* its code (dossiers) or id (ratings), "" if none */
	int nerrors;
	struct field_error *errors; /* nerrors of them, owned */
};

/*
 * Called now and then: phase "check" (bytes read of the input) or
 * "write" (accepted items stored), done out of total; done == total
 * ends the phase.
 */
typedef void (*import_progress_fn)(
    void *arg, const char *phase, size_t done, size_t total);

struct import {
	enum import_kind kind;
	enum records_format fmt;
	const char *buf; /* the input, borrowed */
	size_t len;
	/* settings, before import_check() */
	char scope[41];   /* "": any unit; else this unit and those below */
	char source[48];  /* ratings: their source ("import:file.csv") */
	size_t max_items; /* 0: no limit */
	int64_t now;      /* received_at of ratings; "the future" starts
			    * IMPORT_FUTURE_SKEW after it */
	import_progress_fn progress;
	void *progress_arg;
	/* results */
	struct import_item *items;
	size_t n, cap;
	size_t counts[IMPORT_STATUS_COUNT];
	bool too_many;   /* more than max_items records */
	char error[256]; /* why the input as a whole is unreadable */
	/* the check's own state */
	void *seen;
};

/*
 * What a rating rated in a month folded into counts (fold.h) is told,
 * on its rated_at: the check names the months.
 */
#define IMPORT_FOLDED_MESSAGE \
	"is in a month whose ratings are folded into monthly counts " \
	"('hailong retention --fold-months'); it can no longer be added"

#define IMPORT_FUTURE_SKEW 300
#define IMPORT_CHUNK 2000 /* rows per write transaction */

/* New: import_free().  `buf` must outlive the import. */
struct import *import_new(enum import_kind kind, const char *buf, size_t len,
    enum records_format fmt);
void import_free(struct import *im);

/*
 * Read every record and decide its fate (items[], counts[]) without
 * writing: the shape of each value, then the database (units and
 * procedures known, in im->scope; stored versions and ids).  0, or -1
 * when the input as a whole is unreadable or too large (im->error,
 * im->too_many) or the database fails (im->error).
 */
int import_check(struct import *im, struct db *db);

/* Records found bad: rejected plus conflicting. */
size_t import_bad(const struct import *im);

/*
 * Call fn for each record checked as accepted, in order, with the
 * dossier (IMPORT_DOSSIERS) or the rating (IMPORT_RATINGS; received_at
 * and source set; fn may take r->comment, leaving NULL).  The input is
 * read again, so nothing but items[] is kept between the passes.  0, or
 * -1 when fn returns -1.
 */
typedef int (*import_each_fn)(void *arg, struct import_item *item,
    const struct dossier *d, struct rating *r);
int import_each(struct import *im, import_each_fn fn, void *arg);

/*
 * Store the accepted dossiers, IMPORT_CHUNK per transaction; a version
 * that turns out stale by now (another feed was faster) becomes stale.
 * Audited as "import.dossiers" by `actor` with target `target`.  0, or
 * -1 on a database error: the items not stored become unavailable (a
 * second run of the same input stores them, the rest being duplicates).
 */
int import_write_dossiers(
    struct import *im, struct db *db, const char *actor, const char *target);

/*
 * Store the accepted ratings through writer_store_batch() and the
 * rollup hook (the writer's own path), IMPORT_CHUNK per transaction,
 * then audit "import.ratings".  0 or -1 (as above).
 */
int import_write_ratings(
    struct import *im, struct db *db, const char *actor, const char *target);

/*
 * A writer job made from an accepted item (job->arg = the item) has been
 * decided: set the item's fate from job->result.
 */
void import_job_result(struct import *im, struct writer_job *job);

/* An item's new fate, keeping counts[] right. */
void import_set_status(
    struct import *im, struct import_item *item, enum import_status s);

/* Append the audit entry of an import (counts as detail).  0 or -1. */
int import_audit(
    struct import *im, struct db *db, const char *actor, const char *target);

#endif
