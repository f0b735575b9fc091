/* qrlink.h -- the address a QR code carries, and tokens for the CLI. */
#ifndef HAILONG_QRLINK_H
#define HAILONG_QRLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/buf.h"
#include "hailong/token.h"

struct db;

/* Append "<base>/q/<token>" (base without a trailing slash). */
void qrlink_url(const char *base, const char *token, struct buf *out);

/*
 * Make a token for t with the current key (t->kid is set here), after
 * checking that the unit, counter and procedure exist.  0, or -1 with
 * err filled ("no unit 'H99' in the database").
 */
int qrlink_token(struct db *db, struct token *t, char out[TOKEN_MAX_LEN + 1],
    char *err, size_t errlen);

/* How long a dossier's rating link lives: the result may come weeks later. */
#define QRLINK_DOSSIER_TTL ((int64_t)30 * 24 * 3600)

/* Why qrlink_dossier() made no link. */
enum qrlink_why {
	QRLINK_OK,
	QRLINK_NO_UNIT,      /* "unit" unknown or outside the caller's units */
	QRLINK_FOREIGN,      /* the dossier is another unit's */
	QRLINK_NO_PROCEDURE, /* "procedure" is not in the database */
	QRLINK_ERROR,        /* the database or the token key failed */
};

/*
 * A request for one dossier's rating link (POST
 * /api/v1/dossiers/{code}/rating-link).  Strings are borrowed.
 */
struct qrlink_dossier_req {
	const char *scope;     /* the caller sees this unit and those below */
	const char *dossier;   /* a mã hồ sơ (is_dossier_code()) */
	const char *unit;      /* NULL: decided here, see below */
	const char *procedure; /* NULL, or a mã TTHC */
	bool web;              /* an online dossier: ratings of channel web */
	int64_t now;
	enum qrlink_why why; /* out */
};

/*
 * Make the single-use dossier token of `req` (version 2 of token.h,
 * expiring QRLINK_DOSSIER_TTL after now) into out, and its fields into
 * *t.  The link's unit, the one its ratings belong to, is req->unit
 * when given (a unit of the database within req->scope); else the
 * stored dossier's unit; else the unit its code's agency prefix names,
 * when that is a unit here; else req->scope (a dossier passed on from a
 * ministry's or another province's portal, or of a unit not registered
 * here).  A dossier that is another unit's, by the stored dossier or by
 * its prefix, is QRLINK_FOREIGN: outside the caller's units, or not one
 * the link's unit may rate (ratings_dossier_foreign()).  The dossier need
 * not be known.  0, or -1 with req->why and err filled (English).
 */
int qrlink_dossier(struct db *db, struct qrlink_dossier_req *req,
    struct token *t, char out[TOKEN_MAX_LEN + 1], char *err, size_t errlen);

#endif
