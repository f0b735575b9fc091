/* qrlink.c -- the address a QR code carries, and tokens for the CLI. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/qrlink.h"
#include "core/ratings.h"
#include "core/store.h"

void
qrlink_url(const char *base, const char *token, struct buf *out)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_add(out, base, n);
	buf_puts(out, "/q/");
	buf_puts(out, token);
}

int
qrlink_token(struct db *db, struct token *t, char out[TOKEN_MAX_LEN + 1],
    char *err, size_t errlen)
{
	unsigned char key[TOKEN_KEY_LEN];
	const char *why;

	if (!store_has_unit(db, t->unit)) {
		snprintf(err, errlen, "no unit '%s' in the database", t->unit);
		return -1;
	}
	if (t->counter > 0 && !store_has_counter(db, t->unit, t->counter)) {
		snprintf(err, errlen,
		    "unit %s has no counter %d (add it "
		    "first)",
		    t->unit, t->counter);
		return -1;
	}
	if (t->procedure[0] != '\0' && !store_has_procedure(db, t->procedure)) {
		snprintf(err, errlen, "no procedure '%s' in the database",
		    t->procedure);
		return -1;
	}
	t->kid = store_current_kid(db);
	if (t->kid < 0 || store_token_key(db, t->kid, key) < 0) {
		snprintf(err, errlen, "no token key; run 'hailong init'");
		return -1;
	}
	why = token_check(t);
	if (why != NULL) {
		snprintf(err, errlen, "cannot make this token: %s", why);
		return -1;
	}
	if (token_encode(t, key, sizeof(key), out) < 0) {
		snprintf(err, errlen, "token too long");
		return -1;
	}
	return 0;
}

/*
 * The unit of req's link into unit[41] (see qrlink.h).  0, or -1 with
 * req->why set.
 */
static int
dossier_unit(struct db *db, struct qrlink_dossier_req *req, char unit[41])
{
	char prefix[41];
	struct db_stmt *st;
	int rc;

	if (req->unit != NULL) {
		if (!store_has_unit(db, req->unit) ||
		    !store_unit_within(db, req->unit, req->scope)) {
			req->why = QRLINK_NO_UNIT;
			return -1;
		}
		strlcpy_hl(unit, req->unit, 41);
		return 0;
	}
	st = db_query(
	    db, "SELECT unit FROM dossiers WHERE code = ?", "t", req->dossier);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW)
		strlcpy_hl(unit, db_col_text(st, 0), 41);
	db_done(st);
	if (rc < 0) {
		req->why = QRLINK_ERROR;
		return -1;
	}
	if (rc != DB_ROW) {
		if (dossier_code_unit(req->dossier, prefix) &&
		    store_has_unit(db, prefix))
			strlcpy_hl(unit, prefix, 41);
		else
			strlcpy_hl(unit, req->scope, 41);
	}
	if (!store_unit_within(db, unit, req->scope)) {
		req->why = QRLINK_FOREIGN;
		return -1;
	}
	return 0;
}

int
qrlink_dossier(struct db *db, struct qrlink_dossier_req *req, struct token *t,
    char out[TOKEN_MAX_LEN + 1], char *err, size_t errlen)
{
	char owner[41];
	int rc;

	memset(t, 0, sizeof(*t));
	req->why = QRLINK_ERROR;
	if (dossier_unit(db, req, t->unit) < 0) {
		snprintf(err, errlen, "%s",
		    req->why == QRLINK_NO_UNIT
			? "no such unit among the caller's units"
			: req->why == QRLINK_FOREIGN
			? "the dossier is another unit's"
			: "the database is not available");
		return -1;
	}
	rc = ratings_dossier_foreign(db, t->unit, req->dossier, owner);
	if (rc != 0) {
		req->why = rc < 0 ? QRLINK_ERROR : QRLINK_FOREIGN;
		snprintf(err, errlen, "%s",
		    rc < 0 ? "the database is not available"
			   : "the dossier is another unit's");
		return -1;
	}
	if (req->procedure != NULL &&
	    !store_has_procedure(db, req->procedure)) {
		req->why = QRLINK_NO_PROCEDURE;
		snprintf(err, errlen, "no procedure '%s' in the database",
		    req->procedure);
		return -1;
	}
	t->kind = TOKEN_DOSSIER;
	strlcpy_hl(t->dossier, req->dossier, sizeof(t->dossier));
	if (req->procedure != NULL)
		strlcpy_hl(t->procedure, req->procedure, sizeof(t->procedure));
	t->channel = req->web ? TOKEN_CHANNEL_WEB : TOKEN_CHANNEL_QR;
	t->expires = req->now + QRLINK_DOSSIER_TTL;
	if (qrlink_token(db, t, out, err, errlen) < 0) {
		req->why = QRLINK_ERROR;
		return -1;
	}
	req->why = QRLINK_OK;
	return 0;
}
