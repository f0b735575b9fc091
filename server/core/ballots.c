/* ballots.c -- ratings in import files: paper ballots, other systems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/ballots.h"
#include "core/records.h"

const char *const ballot_keys[BK_COUNT + 1] = {
	"id",
	"unit",
	"counter",
	"officer",
	"procedure",
	"dossier",
	"level",
	"c1",
	"c2",
	"c3",
	"c4",
	"c5",
	"c6",
	"c7",
	"c8",
	"c9",
	"supplement_reported",
	"online_error_reported",
	"visits",
	"reasons",
	"comment",
	"rated_at",
	"requester",
	"assisted",
	NULL,
};

/* An optional small number in [min, max]; -1 when empty. */
static int
small(struct record *rec, enum ballot_key k, int min, int max, const char *what)
{
	const char *v = rec->value[k];
	int64_t n;

	if (v == NULL)
		return -1;
	if (parse_int64(v, strlen(v), min, max, &n) < 0) {
		record_error(
		    rec, ballot_keys[k], "'%.40s' must be %s", v, what);
		return -1;
	}
	return (int)n;
}

static void
text_field(struct record *rec, enum ballot_key k, char *out, size_t size,
    bool (*ok)(const char *, size_t), const char *example)
{
	const char *v = rec->value[k];

	if (v == NULL)
		return;
	if (strlen(v) >= size || !ok(v, strlen(v)))
		record_error(
		    rec, ballot_keys[k], "'%.64s' is not %s", v, example);
	else
		strlcpy_hl(out, v, size);
}

/*
 * The reasons column: codes separated by ';' (spaces around them
 * allowed), each kept once, into r->reasons as the model keeps them,
 * "a,b".
 */
static void
reasons_field(struct record *rec, struct rating *r)
{
	char codes[RATING_REASONS_MAX][RATING_REASON_MAX_LEN + 1];
	const char *p = rec->value[BK_REASONS];
	int n = 0;

	if (p == NULL)
		return;
	while (*p != '\0') {
		size_t len = strcspn(p, ";");
		const char *code = p;
		bool again = false;

		p += len;
		if (*p == ';')
			p++;
		while (len > 0 && (*code == ' ' || *code == '\t')) {
			code++;
			len--;
		}
		while (
		    len > 0 && (code[len - 1] == ' ' || code[len - 1] == '\t'))
			len--;
		if (len == 0)
			continue;
		if (!reason_is_valid(code, len)) {
			record_error(rec, "reasons",
			    "'%.*s' is not a reason code (1-24 of a-z, 0-9 "
			    "and '_', separated by ';')",
			    (int)(len < 40 ? len : 40), code);
			return;
		}
		for (int i = 0; i < n; i++)
			again |= strlen(codes[i]) == len &&
			    memcmp(codes[i], code, len) == 0;
		if (again)
			continue;
		if (n == RATING_REASONS_MAX) {
			record_error(rec, "reasons", "more than %d reasons",
			    RATING_REASONS_MAX);
			return;
		}
		memcpy(codes[n], code, len);
		codes[n++][len] = '\0';
	}
	/* six codes of 24 bytes and five commas fit r->reasons */
	for (int i = 0, at = 0; i < n; i++)
		at += snprintf(r->reasons + at, sizeof(r->reasons) - (size_t)at,
		    "%s%s", i > 0 ? "," : "", codes[i]);
}

static bool
is_id(const char *s, size_t len)
{
	return rating_id_is_valid(s, len);
}

int
ballot_from_record(struct record *rec, struct rating *r)
{
	int before = rec->nerrors, n;
	const char *v;

	r->channel = CHANNEL_IMPORT;
	r->status = STATUS_VALID;
	r->client_time = true;
	if (rec->value[BK_ID] == NULL)
		record_error(rec, "id", "required");
	text_field(rec, BK_ID, r->id, sizeof(r->id), is_id,
	    "an id of 1-64 letters, digits, '-', '_', '.' or ':'");
	if (rec->value[BK_UNIT] == NULL)
		record_error(rec, "unit", "required");
	text_field(rec, BK_UNIT, r->unit, sizeof(r->unit), is_unit_code,
	    "a unit code like H21.227");
	n = small(rec, BK_COUNTER, 1, 999, "a counter number from 1 to 999");
	r->counter = n > 0 ? n : 0;
	text_field(rec, BK_OFFICER, r->officer, sizeof(r->officer),
	    is_officer_id,
	    "an officer id of 1-32 letters, digits, '.', '_' or '-'");
	text_field(rec, BK_PROCEDURE, r->procedure, sizeof(r->procedure),
	    is_procedure_code, "a procedure code (mã TTHC) like 1.001193");
	text_field(rec, BK_DOSSIER, r->dossier, sizeof(r->dossier),
	    is_dossier_code,
	    "a dossier code (mã hồ sơ) like H21.227-261008-0975");
	if (rec->value[BK_LEVEL] == NULL)
		record_error(rec, "level", "required");
	r->level = small(rec, BK_LEVEL, 1, 5,
	    "a level from 1 (rất không hài lòng) to 5 (rất hài lòng)");
	for (int i = 0; i < RATING_CRITERIA; i++)
		r->criteria[i] = small(rec, (enum ballot_key)(BK_C1 + i), 0, 2,
		    "0, 1 or 2 points (or empty)");
	r->supplement_reported =
	    small(rec, BK_SUPPLEMENT, 0, 1, "1 (yes), 0 (no) or empty");
	r->online_error_reported =
	    small(rec, BK_ONLINE_ERROR, 0, 1, "1 (yes), 0 (no) or empty");
	r->visits = small(rec, BK_VISITS, 1, RATING_VISITS_MAX,
	    "a number of visits from 1 to 99 (or empty)");
	reasons_field(rec, r);
	v = rec->value[BK_REQUESTER];
	if (v != NULL && rating_requester_parse(v, &r->requester) < 0)
		record_error(rec, "requester",
		    "'%.40s' must be citizen (người dân), business (doanh "
		    "nghiệp) or empty",
		    v);
	r->assisted = small(rec, BK_ASSISTED, 0, 1,
			  "1 (a helper entered it), 0 or empty") == 1;
	v = rec->value[BK_COMMENT];
	if (v != NULL) {
		char *text = text_clean(v);
		size_t len = strlen(text);

		if (!text_has_no_controls(text, len)) {
			record_error(
			    rec, "comment", "contains control characters");
			free(text);
		} else if (utf8_count(text, len) > RATING_COMMENT_MAX_CHARS) {
			record_error(rec, "comment",
			    "longer than %d characters",
			    RATING_COMMENT_MAX_CHARS);
			free(text);
		} else if (len == 0) {
			free(text);
		} else {
			free(r->comment);
			r->comment = text;
		}
	}
	v = rec->value[BK_RATED_AT];
	if (v == NULL)
		record_error(rec, "rated_at", "required");
	else if (rfc3339_parse(v, strlen(v), &r->rated_at) < 0 ||
	    r->rated_at <= 0)
		record_error(rec, "rated_at",
		    "'%.40s' is not an RFC 3339 time with an offset "
		    "(2026-10-08T09:30:00+07:00)",
		    v);
	return rec->nerrors == before ? 0 : -1;
}
