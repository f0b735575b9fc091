/* privacy.c -- a citizen's request: what is held about a phone number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/privacy.h"
#include "core/store.h"

#define SIGNIFICANT 9 /* digits after the leading 0 (or +84) */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
privacy_text_has_phone(const char *buf, size_t len, const char *phone)
{
	char win[SIGNIFICANT];
	size_t have = 0;

	if (phone == NULL || strlen(phone) != SIGNIFICANT + 1)
		return false;
	phone++; /* the 9 digits after the 0 are compared */
	for (size_t i = 0; i < len; i++) {
		if (is_digit(buf[i])) {
			memmove(win, win + 1, SIGNIFICANT - 1);
			win[SIGNIFICANT - 1] = buf[i];
			if (++have >= SIGNIFICANT &&
			    memcmp(win, phone, SIGNIFICANT) == 0)
				return true;
		} else if (!((buf[i] == ' ' || buf[i] == '.' ||
				 buf[i] == '-') &&
			       have > 0 && i + 1 < len &&
			       is_digit(buf[i + 1]))) {
			/* the run ends; a '+' before 84 starts a new one */
			have = 0;
		}
	}
	return false;
}

void
privacy_found_release(struct privacy_found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->rec[i].comment);
	free(f->rec);
	f->rec = NULL;
	f->n = 0;
}

static struct privacy_record *
record_for(struct privacy_found *f, int64_t seq, size_t *cap)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rec[i].seq == seq)
			return &f->rec[i];
	if (f->n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		f->rec = xrealloc(f->rec, *cap * sizeof(*f->rec));
	}
	memset(&f->rec[f->n], 0, sizeof(f->rec[0]));
	f->rec[f->n].seq = seq;
	return &f->rec[f->n++];
}

static void
copy_text(struct db_stmt *st, int i, char *dst, size_t size)
{
	const char *s = db_col_text(st, i);

	strlcpy_hl(dst, s != NULL ? s : "", size);
}

/* The rating's own fields and its comment. */
static int
fill_rating(struct db *db, struct privacy_record *r)
{
	struct db_stmt *st = db_query(db,
	    "SELECT r.unit, r.rated_at, r.level, r.channel, t.comment "
	    "FROM ratings r LEFT JOIN rating_texts t ON t.seq = r.seq "
	    "WHERE r.seq = ?",
	    "l", r->seq);
	int rc = -1;

	if (st != NULL && db_step(st) == DB_ROW) {
		copy_text(st, 0, r->unit, sizeof(r->unit));
		r->rated_at = db_col_int(st, 1);
		r->level = (int)db_col_int(st, 2);
		copy_text(st, 3, r->channel, sizeof(r->channel));
		if (r->comment == NULL && !db_col_is_null(st, 4))
			r->comment = xstrdup(db_col_text(st, 4));
		rc = 0;
	}
	db_done(st);
	return rc;
}

static int
cmp_seq(const void *a, const void *b)
{
	int64_t x = ((const struct privacy_record *)a)->seq;
	int64_t y = ((const struct privacy_record *)b)->seq;

	return x < y ? -1 : x > y;
}

int
privacy_find(struct db *db, const char *phone, struct privacy_found *out)
{
	struct db_stmt *st;
	size_t cap = 0;
	int r;

	memset(out, 0, sizeof(*out));
	st = db_query(db,
	    "SELECT cb.rating_seq, cb.status, coalesce(cb.closed_at, 0), "
	    "  c.given_at, c.text_version, coalesce(c.withdrawn_at, 0) "
	    "FROM callbacks cb JOIN consents c ON c.id = cb.consent_id "
	    "WHERE cb.phone = ?",
	    "t", phone);
	if (st == NULL)
		return -1;
	while ((r = db_step(st)) == DB_ROW) {
		struct privacy_record *rec =
		    record_for(out, db_col_int(st, 0), &cap);

		rec->callback = true;
		copy_text(st, 1, rec->status, sizeof(rec->status));
		rec->closed_at = db_col_int(st, 2);
		rec->consent_at = db_col_int(st, 3);
		rec->consent_version = (int)db_col_int(st, 4);
		rec->withdrawn_at = db_col_int(st, 5);
	}
	db_done(st);
	if (r < 0)
		goto fail;
	/* every comment: a number may be written in one without consent */
	st = db_query(db, "SELECT seq, comment FROM rating_texts", "");
	if (st == NULL)
		goto fail;
	while ((r = db_step(st)) == DB_ROW) {
		const char *text = db_col_text(st, 1);
		struct privacy_record *rec;

		if (text == NULL ||
		    !privacy_text_has_phone(text, strlen(text), phone))
			continue;
		rec = record_for(out, db_col_int(st, 0), &cap);
		rec->comment_has_phone = true;
		free(rec->comment);
		rec->comment = xstrdup(text);
	}
	db_done(st);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < out->n; i++)
		if (fill_rating(db, &out->rec[i]) < 0)
			goto fail;
	if (out->n > 1)
		qsort(out->rec, out->n, sizeof(out->rec[0]), cmp_seq);
	return 0;
fail:
	privacy_found_release(out);
	return -1;
}

int
privacy_tag(struct db *db, const char *phone, char out[24])
{
	unsigned char key[32], mac[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	char *stored = store_meta_get(db, "privacy_key");
	int rc = -1;

	if (stored == NULL || strlen(stored) != 64 ||
	    hex_decode(stored, 64, key, sizeof(key)) != 0) {
		random_bytes(key, sizeof(key));
		hex_encode(key, sizeof(key), hex);
		if (store_meta_set(db, "privacy_key", hex) < 0)
			goto out;
	}
	hmac_sha256(key, sizeof(key), phone, strlen(phone), mac);
	hex_encode(mac, 8, hex);
	snprintf(out, 24, "phone:%.16s", hex);
	rc = 0;
out:
	free(stored);
	return rc;
}

int
privacy_erase(struct db *db, const char *phone, const char *actor, int64_t now,
    struct privacy_erased *out, char *err, size_t errlen)
{
	struct privacy_found f = { 0 };
	char tag[24], detail[160];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		goto dberr;
	if (privacy_find(db, phone, &f) < 0 || privacy_tag(db, phone, tag) < 0)
		goto dberr;
	for (size_t i = 0; i < f.n; i++) {
		const struct privacy_record *r = &f.rec[i];

		if (r->callback) {
			if (db_run(db,
				"UPDATE consents SET withdrawn_at = ?1 "
				"WHERE withdrawn_at IS NULL AND id IN "
				"(SELECT consent_id FROM callbacks "
				"WHERE rating_seq = ?2 AND phone = ?3)",
				"llt", now, r->seq, phone) < 0)
				goto dberr;
			out->consents += db_changes(db);
			if (db_run(db,
				"UPDATE callbacks SET phone = NULL, "
				"erased_at = ? WHERE rating_seq = ? AND "
				"phone = ?",
				"llt", now, r->seq, phone) < 0)
				goto dberr;
			out->callbacks += db_changes(db);
		}
		if (r->comment_has_phone) {
			char *masked = text_mask_numbers(r->comment);
			int w = db_run(db,
			    "UPDATE rating_texts SET comment = ? "
			    "WHERE seq = ?",
			    "tl", masked, r->seq);

			free(masked);
			if (w < 0)
				goto dberr;
			out->comments++;
		}
	}
	snprintf(detail, sizeof(detail),
	    "{\"callbacks\":%lld,\"consents\":%lld,\"comments\":%lld}",
	    (long long)out->callbacks, (long long)out->consents,
	    (long long)out->comments);
	if (audit_append(db, actor, "privacy.erase", tag, detail) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "privacy erase: %s", db_errmsg(db));
	if (db_in_transaction(db))
		db_rollback(db);
	memset(out, 0, sizeof(*out));
out:
	privacy_found_release(&f);
	return rc;
}
