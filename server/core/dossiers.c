/* dossiers.c -- the one-stop system's dossiers: read, judge, upsert. */
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/counts.h"
#include "core/dossiers.h"
#include "core/records.h"

const char *const dossier_keys[DK_COUNT + 1] = {
	"code",
	"procedure",
	"unit",
	"channel",
	"received_at",
	"due_at",
	"finished_at",
	"supplement_requests",
	"supplement_seconds",
	"corrections",
	"full_online",
	"digitized",
	"complaint",
	"updated_at",
	NULL,
};

static const char *
val(const struct record *rec, enum dossier_key k)
{
	return rec->value[k];
}

/* A time: 1 absent (and not required), 0 read, -1 bad (noted). */
static int
get_time(struct record *rec, enum dossier_key k, bool required, int64_t *out)
{
	const char *v = val(rec, k);

	if (v == NULL) {
		if (!required)
			return 1;
		record_error(rec, dossier_keys[k], "required");
		return -1;
	}
	if (rfc3339_parse(v, strlen(v), out) < 0) {
		record_error(rec, dossier_keys[k],
		    "'%.40s' is not an RFC 3339 time with an offset "
		    "(2026-10-08T09:30:00+07:00)",
		    v);
		return -1;
	}
	return 0;
}

static void
get_count(struct record *rec, enum dossier_key k, int64_t max, int64_t *out)
{
	const char *v = val(rec, k);

	*out = 0;
	if (v != NULL && parse_int64(v, strlen(v), 0, max, out) < 0)
		record_error(rec, dossier_keys[k],
		    "'%.40s' is not a whole number from 0 to %lld", v,
		    (long long)max);
}

static void
get_flag(struct record *rec, enum dossier_key k, int *out)
{
	const char *v = val(rec, k);

	*out = 0;
	if (v == NULL)
		return;
	if ((v[0] == '0' || v[0] == '1') && v[1] == '\0')
		*out = v[0] - '0';
	else
		record_error(rec, dossier_keys[k], "'%.40s' must be 0 or 1", v);
}

static void
get_code(struct record *rec, enum dossier_key k, char *out, size_t size,
    bool (*ok)(const char *, size_t), const char *example)
{
	const char *v = val(rec, k);

	out[0] = '\0';
	if (v == NULL)
		record_error(rec, dossier_keys[k], "required");
	else if (strlen(v) >= size || !ok(v, strlen(v)))
		record_error(
		    rec, dossier_keys[k], "'%.64s' is not %s", v, example);
	else
		strlcpy_hl(out, v, size);
}

int
dossier_from_record(struct record *rec, struct dossier *d)
{
	int before = rec->nerrors, rc;
	const char *v;

	memset(d, 0, sizeof(*d));
	get_code(rec, DK_CODE, d->code, sizeof(d->code), is_dossier_code,
	    "a dossier code (mã hồ sơ) like H21.227-261008-0975");
	get_code(rec, DK_PROCEDURE, d->procedure, sizeof(d->procedure),
	    is_procedure_code, "a procedure code (mã TTHC) like 1.001193");
	get_code(rec, DK_UNIT, d->unit, sizeof(d->unit), is_unit_code,
	    "a unit code like H21.227");
	v = val(rec, DK_CHANNEL);
	if (v == NULL)
		record_error(rec, "channel", "required");
	else if (v[0] >= '1' && v[0] <= '3' && v[1] == '\0')
		d->channel = v[0] - '0';
	else
		record_error(rec, "channel",
		    "'%.40s' must be 1 (at the counter), 2 (online) or 3 "
		    "(by post)",
		    v);
	rc = get_time(rec, DK_RECEIVED_AT, true, &d->received_at);
	d->has_due = get_time(rec, DK_DUE_AT, false, &d->due_at) == 0;
	d->has_finished =
	    get_time(rec, DK_FINISHED_AT, false, &d->finished_at) == 0;
	if (rc == 0 && d->has_finished && d->finished_at < d->received_at)
		record_error(rec, "finished_at", "is before received_at");
	get_count(rec, DK_SUPPLEMENT_REQUESTS, DOSSIER_COUNT_MAX,
	    &d->supplement_requests);
	get_count(rec, DK_SUPPLEMENT_SECONDS, DOSSIER_SECONDS_MAX,
	    &d->supplement_seconds);
	get_count(rec, DK_CORRECTIONS, DOSSIER_COUNT_MAX, &d->corrections);
	get_flag(rec, DK_FULL_ONLINE, &d->full_online);
	get_flag(rec, DK_DIGITIZED, &d->digitized);
	get_flag(rec, DK_COMPLAINT, &d->complaint);
	get_time(rec, DK_UPDATED_AT, true, &d->updated_at);
	return rec->nerrors == before ? 0 : -1;
}

bool
dossier_same(const struct dossier *a, const struct dossier *b)
{
	return strcmp(a->code, b->code) == 0 &&
	    strcmp(a->procedure, b->procedure) == 0 &&
	    strcmp(a->unit, b->unit) == 0 && a->channel == b->channel &&
	    a->received_at == b->received_at && a->has_due == b->has_due &&
	    (!a->has_due || a->due_at == b->due_at) &&
	    a->has_finished == b->has_finished &&
	    (!a->has_finished || a->finished_at == b->finished_at) &&
	    a->supplement_requests == b->supplement_requests &&
	    a->supplement_seconds == b->supplement_seconds &&
	    a->corrections == b->corrections &&
	    a->full_online == b->full_online && a->digitized == b->digitized &&
	    a->complaint == b->complaint && a->updated_at == b->updated_at;
}

void
dossier_count(const struct dossier *d, int64_t as_of, int64_t month_end,
    bool low_rated, struct metric_counts *c)
{
	bool on_time = false;

	c->dossiers++;
	c->online += d->channel == 2;
	c->full_online += d->full_online;
	c->digitized += d->digitized;
	c->supplement += d->supplement_requests >= 1;
	c->multi_supplement += d->supplement_requests >= 2;
	c->correction += d->corrections >= 1;
	c->supplement_or_correction +=
	    d->supplement_requests >= 1 || d->corrections >= 1;
	if (d->has_due) {
		int64_t end;

		if (d->has_finished && d->finished_at < as_of)
			end = d->finished_at;
		else
			end = as_of < month_end ? as_of : month_end;
		on_time = d->supplement_requests <= 1 &&
		    end - d->supplement_seconds <= d->due_at;
		c->judged++;
		c->on_time += on_time;
	}
	c->bad += (d->has_due && !on_time) || d->complaint || low_rated;
	if (d->channel >= 1 && d->channel <= DCHANNEL_COUNT) {
		int k = d->channel - 1;

		c->dchannel_dossiers[k]++;
		c->dchannel_judged[k] += d->has_due;
		c->dchannel_on_time[k] += on_time;
		c->dchannel_soc[k] +=
		    d->supplement_requests >= 1 || d->corrections >= 1;
	}
}

void
dossier_from_row(struct db_stmt *st, struct dossier *d)
{
	const char *s;

	memset(d, 0, sizeof(*d));
	s = db_col_text(st, 0);
	strlcpy_hl(d->code, s ? s : "", sizeof(d->code));
	s = db_col_text(st, 1);
	strlcpy_hl(d->procedure, s ? s : "", sizeof(d->procedure));
	s = db_col_text(st, 2);
	strlcpy_hl(d->unit, s ? s : "", sizeof(d->unit));
	d->channel = (int)db_col_int(st, 3);
	d->received_at = db_col_int(st, 4);
	d->has_due = !db_col_is_null(st, 5);
	d->due_at = d->has_due ? db_col_int(st, 5) : 0;
	d->has_finished = !db_col_is_null(st, 6);
	d->finished_at = d->has_finished ? db_col_int(st, 6) : 0;
	d->supplement_requests = db_col_int(st, 7);
	d->supplement_seconds = db_col_int(st, 8);
	d->corrections = db_col_int(st, 9);
	d->full_online = (int)db_col_int(st, 10);
	d->digitized = (int)db_col_int(st, 11);
	d->complaint = (int)db_col_int(st, 12);
	d->updated_at = db_col_int(st, 13);
}

int
dossier_load(struct db *db, const char *code, struct dossier *d)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " DOSSIER_COLUMNS " FROM dossiers WHERE code = ?", "t",
	    code);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		dossier_from_row(st, d);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

int
dossier_put(
    struct db *db, const struct dossier *d, struct dossier *old, bool *had_old)
{
	struct db_stmt *st = db_prepare(db,
	    "INSERT INTO dossiers(" DOSSIER_COLUMNS ") VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT(code) DO UPDATE SET procedure = excluded.procedure, "
	    "unit = excluded.unit, channel = excluded.channel, "
	    "received_at = excluded.received_at, due_at = excluded.due_at, "
	    "finished_at = excluded.finished_at, "
	    "supplement_requests = excluded.supplement_requests, "
	    "supplement_seconds = excluded.supplement_seconds, "
	    "corrections = excluded.corrections, "
	    "full_online = excluded.full_online, "
	    "digitized = excluded.digitized, complaint = excluded.complaint, "
	    "updated_at = excluded.updated_at "
	    "WHERE excluded.updated_at > dossiers.updated_at");
	int col = 1, had;

	if (st == NULL)
		return -1;
	/* the version it replaces, if any */
	had = dossier_load(db, d->code, old);
	if (had < 0)
		return -1;
	*had_old = had == 0;
	db_bind_text(st, col++, d->code, -1);
	db_bind_text(st, col++, d->procedure, -1);
	db_bind_text(st, col++, d->unit, -1);
	db_bind_int(st, col++, d->channel);
	db_bind_int(st, col++, d->received_at);
	if (d->has_due)
		db_bind_int(st, col++, d->due_at);
	else
		db_bind_null(st, col++);
	if (d->has_finished)
		db_bind_int(st, col++, d->finished_at);
	else
		db_bind_null(st, col++);
	db_bind_int(st, col++, d->supplement_requests);
	db_bind_int(st, col++, d->supplement_seconds);
	db_bind_int(st, col++, d->corrections);
	db_bind_int(st, col++, d->full_online);
	db_bind_int(st, col++, d->digitized);
	db_bind_int(st, col++, d->complaint);
	db_bind_int(st, col++, d->updated_at);
	if (db_step(st) < 0) {
		db_done(st);
		return -1;
	}
	db_done(st);
	return db_changes(db) == 0 ? 1 : 0;
}
