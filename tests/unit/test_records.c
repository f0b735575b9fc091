/* test_records.c -- import files: CSV and JSON records, dossier and rating rows. */
#include "hailong/hltime.h"
#include "core/ballots.h"
#include "core/dossiers.h"
#include "core/records.h"
#include "test.h"

/* What a parse produced: up to 16 records, copied out. */
struct got {
	int n;
	int line[16];
	int nerrors[16];
	char err[16][200]; /* "column: message" of the first problem */
	char v[16][RECORD_MAX_KEYS][64];
	bool present[16][RECORD_MAX_KEYS];
};

static int
collect(void *arg, struct record *rec)
{
	struct got *g = arg;
	int i = g->n++;

	if (i >= 16)
		return -1;
	g->line[i] = rec->line;
	g->nerrors[i] = rec->nerrors;
	if (rec->nerrors > 0)
		snprintf(g->err[i], sizeof(g->err[i]), "%s: %s",
		    rec->errors[0].column, rec->errors[0].message);
	for (int k = 0; k < RECORD_MAX_KEYS; k++) {
		g->present[i][k] = rec->value[k] != NULL;
		if (rec->value[k] != NULL)
			snprintf(g->v[i][k], sizeof(g->v[i][k]), "%s",
			    rec->value[k]);
	}
	return 0;
}

static const char *const keys3[] = { "code", "unit", "level", NULL };

static int
parse(const char *text, enum records_format fmt, struct got *g, char *err)
{
	memset(g, 0, sizeof(*g));
	err[0] = '\0';
	return records_parse(
	    text, strlen(text), fmt, keys3, collect, g, err, 200);
}

static void
csv_records(void)
{
	struct got g;
	char err[200];

	/* BOM, CRLF, columns in any order, case and spaces in the header,
	 * a quoted field with a comma and a line break, a blank line */
	CHECK_INT(parse("\xef\xbb\xbf"
			"Level , code,unit\r\n"
			"5,A-1, H21.227 \r\n"
			"\r\n"
			"4,\"B,\n2\",\r\n",
		      RECORDS_CSV, &g, err),
	    2);
	CHECK_INT(g.n, 2);
	CHECK_INT(g.line[0], 2);
	CHECK_STR(g.v[0][0], "A-1");
	CHECK_STR(g.v[0][1], "H21.227"); /* trimmed */
	CHECK_STR(g.v[0][2], "5");
	CHECK_INT(g.line[1], 4);
	CHECK_STR(g.v[1][0], "B,\n2");
	CHECK(!g.present[1][1]); /* empty means absent */
	/* a line with the wrong number of fields, a stray quote */
	CHECK_INT(parse("code,unit,level\n1,2\nx\"y,2,3\n1,2,3\n", RECORDS_CSV,
		      &g, err),
	    3);
	CHECK_INT(g.nerrors[0], 1);
	CHECK_STR(g.err[0], "row: has 2 fields; the header has 3");
	CHECK_INT(g.line[1], 3);
	CHECK_STR(g.err[1], "row: quote inside an unquoted field");
	CHECK_INT(g.nerrors[2], 0);
	CHECK_INT(g.line[2], 4);
	/* bytes that are not UTF-8 */
	CHECK_INT(
	    parse("code,unit,level\n\xff,2,3\n", RECORDS_CSV, &g, err), 1);
	CHECK_STR(g.err[0], "code: not valid UTF-8");
	/* the file as a whole: unknown or repeated columns, no header */
	CHECK_INT(parse("code,unit,levle\n", RECORDS_CSV, &g, err), -1);
	CHECK_STR(
	    err, "1: unknown column 'levle' (the columns are code,unit,level)");
	CHECK_INT(parse("code,code\n", RECORDS_CSV, &g, err), -1);
	CHECK_STR(err, "1: column 'code' appears twice");
	CHECK_INT(parse("", RECORDS_CSV, &g, err), -1);
	/* a header alone: no records */
	CHECK_INT(parse("code\n", RECORDS_CSV, &g, err), 0);
}

static void
json_records(void)
{
	struct got g;
	char err[200];

	CHECK_INT(parse("[\n"
			"  {\"code\": \"A-1\", \"level\": 5, \"unit\": null},\n"
			"  {\"code\": \"B\",\n   \"level\": true},\n"
			"  {\"level\": 1.5},\n"
			"  {\"levle\": 1},\n"
			"  7,\n"
			"  {\"code\": {\"x\": 1}},\n"
			"  {\"code\": \"a\", \"code\": \"b\"}\n"
			"]\n",
		      RECORDS_JSON, &g, err),
	    7);
	CHECK_INT(g.line[0], 2);
	CHECK_STR(g.v[0][0], "A-1");
	CHECK_STR(g.v[0][2], "5"); /* integers as text */
	CHECK(!g.present[0][1]);   /* null: absent */
	CHECK_INT(g.line[1], 3);
	CHECK_STR(g.v[1][2], "1"); /* true: "1" */
	CHECK_INT(g.line[2], 5);
	CHECK_STR(g.err[2], "level: must be a string or a whole number");
	CHECK_STR(g.err[3], "levle: unknown key");
	CHECK_STR(g.err[4], "row: not a JSON object");
	CHECK_STR(g.err[5], "code: must be a string or a whole number");
	CHECK_INT(g.nerrors[6], 1); /* duplicate keys are refused */
	CHECK_INT(g.line[6], 9);
	/* the input as a whole */
	CHECK_INT(parse("{\"code\": 1}", RECORDS_JSON, &g, err), -1);
	CHECK_STR(err, "1: the input must be a JSON array of objects");
	CHECK_INT(parse("[{\"code\": 1}", RECORDS_JSON, &g, err), -1);
	CHECK_INT(parse("[{\"code\": 1} {}]", RECORDS_JSON, &g, err), -1);
	CHECK_STR(err, "1: expected ',' or ']' after an item");
	CHECK_INT(parse("[{}, ]", RECORDS_JSON, &g, err), -1);
	CHECK_INT(parse("[{}] x", RECORDS_JSON, &g, err), -1);
	CHECK_STR(err, "1: text after the end of the array");
	CHECK_INT(
	    parse("[{\"code\": \"unterminated}]", RECORDS_JSON, &g, err), -1);
	CHECK_INT(parse(" [ ] ", RECORDS_JSON, &g, err), 0);
	/* guessing the format */
	CHECK_INT(records_guess("x.JSON", "a,b", 3), RECORDS_JSON);
	CHECK_INT(records_guess("x.csv", "[", 1), RECORDS_CSV);
	CHECK_INT(records_guess("-", "\xef\xbb\xbf \n[{}]", 8), RECORDS_JSON);
	CHECK_INT(records_guess(NULL, "code,unit", 9), RECORDS_CSV);
}

struct one {
	struct dossier d;
	struct rating r;
	bool ratings;
	int rc;
	int nerrors;
	char err[200];
};

static int
one_row(void *arg, struct record *rec)
{
	struct one *o = arg;

	o->rc = o->ratings ? ballot_from_record(rec, &o->r)
			   : dossier_from_record(rec, &o->d);
	o->nerrors = rec->nerrors;
	o->err[0] = '\0';
	if (rec->nerrors > 0)
		snprintf(o->err, sizeof(o->err), "%s: %s",
		    rec->errors[0].column, rec->errors[0].message);
	return 0;
}

#define DOSSIER_HEADER \
	"code,procedure,unit,channel,received_at,due_at,finished_at," \
	"supplement_requests,supplement_seconds,corrections,full_online," \
	"digitized,complaint,updated_at\n"
#define GOOD_DOSSIER \
	"H21.227-261001-0001,1.001193,H21.227,2,2026-10-01T08:00:00+07:00," \
	"2026-10-10T17:00:00+07:00,,1,3600,0,1,1,0,2026-10-02T08:00:00Z"

static struct one
dossier_row(const char *row)
{
	struct one o;
	char text[1024], err[200];

	memset(&o, 0, sizeof(o));
	snprintf(text, sizeof(text), DOSSIER_HEADER "%s\n", row);
	records_parse(text, strlen(text), RECORDS_CSV, dossier_keys, one_row,
	    &o, err, sizeof(err));
	return o;
}

/* GOOD_DOSSIER with field `col` (0-based) replaced by `value`. */
static struct one
dossier_with(int col, const char *value)
{
	char row[512], out[512] = "";
	char *fields[DK_COUNT], *p = row;

	snprintf(row, sizeof(row), "%s", GOOD_DOSSIER);
	for (int i = 0; i < DK_COUNT; i++) {
		fields[i] = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		else
			p = row + strlen(GOOD_DOSSIER);
	}
	for (int i = 0; i < DK_COUNT; i++) {
		strcat(out, i == col ? value : fields[i]);
		if (i + 1 < DK_COUNT)
			strcat(out, ",");
	}
	return dossier_row(out);
}

static void
dossier_rows(void)
{
	struct one o = dossier_row(GOOD_DOSSIER);
	int64_t t;

	CHECK_INT(o.rc, 0);
	CHECK_STR(o.d.code, "H21.227-261001-0001");
	CHECK_INT(o.d.channel, 2);
	rfc3339_parse("2026-10-01T01:00:00Z", 20, &t);
	CHECK_INT(o.d.received_at, t);
	CHECK(o.d.has_due);
	CHECK(!o.d.has_finished);
	CHECK_INT(o.d.supplement_requests, 1);
	CHECK_INT(o.d.supplement_seconds, 3600);
	CHECK_INT(o.d.full_online, 1);

	/* every kind of bad value, one at a time */
	CHECK_STR(dossier_with(DK_CODE, "H21-2610-01").err,
	    "code: 'H21-2610-01' is not a dossier code (mã hồ sơ) like "
	    "H21.227-261008-0975");
	CHECK_STR(dossier_with(DK_CODE, "H21.227-261301-0001").err,
	    "code: 'H21.227-261301-0001' is not a dossier code (mã hồ sơ) "
	    "like H21.227-261008-0975"); /* month 13 */
	CHECK_STR(dossier_with(DK_CODE, "").err, "code: required");
	CHECK_STR(dossier_with(DK_PROCEDURE, "1001193").err,
	    "procedure: '1001193' is not a procedure code (mã TTHC) like "
	    "1.001193");
	CHECK_STR(dossier_with(DK_UNIT, "X21").err,
	    "unit: 'X21' is not a unit code like H21.227");
	CHECK_STR(dossier_with(DK_CHANNEL, "4").err,
	    "channel: '4' must be 1 (at the counter), 2 (online) or 3 (by "
	    "post)");
	CHECK_STR(dossier_with(DK_RECEIVED_AT, "2026-10-01 08:00").err,
	    "received_at: '2026-10-01 08:00' is not an RFC 3339 time with "
	    "an offset (2026-10-08T09:30:00+07:00)");
	CHECK_STR(dossier_with(DK_RECEIVED_AT, "2026-10-01T08:00:00").err,
	    "received_at: '2026-10-01T08:00:00' is not an RFC 3339 time with "
	    "an offset (2026-10-08T09:30:00+07:00)"); /* no offset */
	CHECK_STR(dossier_with(DK_DUE_AT, "soon").err,
	    "due_at: 'soon' is not an RFC 3339 time with an offset "
	    "(2026-10-08T09:30:00+07:00)");
	CHECK_STR(dossier_with(DK_FINISHED_AT, "2026-09-30T08:00:00+07:00").err,
	    "finished_at: is before received_at");
	CHECK_STR(dossier_with(DK_SUPPLEMENT_REQUESTS, "-1").err,
	    "supplement_requests: '-1' is not a whole number from 0 to "
	    "1000000");
	CHECK_STR(dossier_with(DK_SUPPLEMENT_SECONDS, "1.5").err,
	    "supplement_seconds: '1.5' is not a whole number from 0 to "
	    "632448000"); /* 20 x 366 x 86400 */
	CHECK_STR(dossier_with(DK_CORRECTIONS, "two").err,
	    "corrections: 'two' is not a whole number from 0 to 1000000");
	CHECK_STR(dossier_with(DK_FULL_ONLINE, "2").err,
	    "full_online: '2' must be 0 or 1");
	CHECK_STR(dossier_with(DK_DIGITIZED, "yes").err,
	    "digitized: 'yes' must be 0 or 1");
	CHECK_STR(dossier_with(DK_COMPLAINT, "-").err,
	    "complaint: '-' must be 0 or 1");
	CHECK_STR(dossier_with(DK_UPDATED_AT, "").err, "updated_at: required");
	/* optional ones may be empty: zeros and absent times */
	o = dossier_with(DK_DUE_AT, "");
	CHECK_INT(o.rc, 0);
	CHECK(!o.d.has_due);
	o = dossier_with(DK_CORRECTIONS, "");
	CHECK_INT(o.rc, 0);
	CHECK_INT(o.d.corrections, 0);
	/* all problems of a line are reported, not only the first */
	o = dossier_row("x,y,z,9,,,,,,,,,,");
	CHECK_INT(o.nerrors, 6); /* code procedure unit channel received
				    updated */
	/* more problems than are kept still make the row bad (found by
	 * fuzz_dossiers: nine unknown keys, then an empty object) */
	{
		const char *text = "[{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,"
				   "\"f\":1,\"g\":1,\"h\":1,\"i\":1}]";
		char err[200];

		memset(&o, 0, sizeof(o));
		records_parse(text, strlen(text), RECORDS_JSON, dossier_keys,
		    one_row, &o, err, sizeof(err));
		CHECK_INT(o.rc, -1);
		CHECK_INT(o.nerrors, 9 + 6);
	}
}

#define RATING_HEADER \
	"id,unit,counter,officer,procedure,dossier,level,c1,c2,c3,c4,c5,c6," \
	"c7,c8,c9,supplement_reported,online_error_reported,visits," \
	"reasons,comment,rated_at,requester,assisted\n"
#define GOOD_RATING \
	"B-0001,H21.227,2,VC01,1.001193,H21.227-261001-0001,4,2,1,0,,,,2,," \
	",1,0,3, wait ;attitude;wait;,\"Nhanh, gọn\"," \
	"2026-10-03T09:00:00+07:00,business,1"

static struct one
rating_row(const char *row)
{
	struct one o;
	char text[8192], err[200];

	memset(&o, 0, sizeof(o));
	rating_init(&o.r);
	o.ratings = true;
	snprintf(text, sizeof(text), RATING_HEADER "%s\n", row);
	records_parse(text, strlen(text), RECORDS_CSV, ballot_keys, one_row, &o,
	    err, sizeof(err));
	rating_release(&o.r);
	return o;
}

static struct one
rating_with(int col, const char *value)
{
	static const char *const good[BK_COUNT] = { "B-0001", "H21.227", "2",
		"VC01", "1.001193", "H21.227-261001-0001", "4", "2", "1", "0",
		"", "", "", "2", "", "", "1", "0", "3", "", "ok",
		"2026-10-03T09:00:00+07:00", "", "" };
	char out[6000] = "";

	for (int i = 0; i < BK_COUNT; i++) {
		strcat(out, i == col ? value : good[i]);
		if (i + 1 < BK_COUNT)
			strcat(out, ",");
	}
	return rating_row(out);
}

static void
rating_rows(void)
{
	struct one o;
	char longtext[5000];

	memset(&o, 0, sizeof(o));
	{
		char text[2048], err[200];

		rating_init(&o.r);
		o.ratings = true;
		snprintf(text, sizeof(text), RATING_HEADER "%s\n", GOOD_RATING);
		records_parse(text, strlen(text), RECORDS_CSV, ballot_keys,
		    one_row, &o, err, sizeof(err));
		CHECK_INT(o.rc, 0);
		CHECK_STR(o.r.id, "B-0001");
		CHECK_INT(o.r.counter, 2);
		CHECK_INT(o.r.level, 4);
		CHECK_INT(o.r.criteria[0], 2);
		CHECK_INT(o.r.criteria[3], -1);
		CHECK_INT(o.r.criteria[6], 2);
		CHECK_INT(o.r.supplement_reported, 1);
		CHECK_INT(o.r.online_error_reported, 0);
		CHECK_INT(o.r.visits, 3);
		/* spaces trimmed, each code once, kept as the model keeps them */
		CHECK_STR(o.r.reasons, "wait,attitude");
		CHECK_STR(o.r.comment, "Nhanh, gọn");
		CHECK_INT(o.r.channel, CHANNEL_IMPORT);
		CHECK(o.r.client_time);
		CHECK_INT(o.r.requester, REQUESTER_BUSINESS);
		CHECK(o.r.assisted);
		rating_release(&o.r);
	}
	/* the inclusion columns are optional; other words are refused */
	CHECK_INT(rating_with(BK_REQUESTER, "citizen").rc, 0);
	CHECK_STR(rating_with(BK_REQUESTER, "nguoidan").err,
	    "requester: 'nguoidan' must be citizen (người dân), business "
	    "(doanh nghiệp) or empty");
	CHECK_INT(rating_with(BK_ASSISTED, "0").rc, 0);
	CHECK_STR(rating_with(BK_ASSISTED, "yes").err,
	    "assisted: 'yes' must be 1 (a helper entered it), 0 or empty");
	CHECK_STR(rating_with(BK_ID, "").err, "id: required");
	CHECK_STR(rating_with(BK_ID, "a b").err,
	    "id: 'a b' is not an id of 1-64 letters, digits, '-', '_', '.' "
	    "or ':'");
	CHECK_STR(rating_with(BK_UNIT, "").err, "unit: required");
	CHECK_STR(rating_with(BK_COUNTER, "0").err,
	    "counter: '0' must be a counter number from 1 to 999");
	CHECK_STR(rating_with(BK_OFFICER, "Nguyễn").err,
	    "officer: 'Nguyễn' is not an officer id of 1-32 letters, "
	    "digits, '.', '_' or '-'");
	CHECK_STR(rating_with(BK_PROCEDURE, "1.0011").err,
	    "procedure: '1.0011' is not a procedure code (mã TTHC) like "
	    "1.001193");
	CHECK_STR(rating_with(BK_DOSSIER, "123").err,
	    "dossier: '123' is not a dossier code (mã hồ sơ) like "
	    "H21.227-261008-0975");
	CHECK_STR(rating_with(BK_LEVEL, "").err, "level: required");
	CHECK_STR(rating_with(BK_LEVEL, "6").err,
	    "level: '6' must be a level from 1 (rất không hài lòng) to 5 "
	    "(rất hài lòng)");
	CHECK_STR(rating_with(BK_C1 + 4, "3").err,
	    "c5: '3' must be 0, 1 or 2 points (or empty)");
	CHECK_STR(rating_with(BK_SUPPLEMENT, "2").err,
	    "supplement_reported: '2' must be 1 (yes), 0 (no) or empty");
	CHECK_STR(rating_with(BK_ONLINE_ERROR, "yes").err,
	    "online_error_reported: 'yes' must be 1 (yes), 0 (no) or empty");
	CHECK_STR(rating_with(BK_VISITS, "100").err,
	    "visits: '100' must be a number of visits from 1 to 99 (or "
	    "empty)");
	CHECK_STR(rating_with(BK_REASONS, "wait;Thái độ").err,
	    "reasons: 'Thái độ' is not a reason code (1-24 of a-z, 0-9 and "
	    "'_', separated by ';')");
	CHECK_STR(rating_with(BK_REASONS, "\"wait,attitude\"").err,
	    "reasons: 'wait,attitude' is not a reason code (1-24 of a-z, 0-9 "
	    "and '_', separated by ';')");
	CHECK_STR(rating_with(BK_REASONS, "a;b;c;d;e;f;g").err,
	    "reasons: more than 6 reasons");
	CHECK_INT(rating_with(BK_REASONS, "a;b;c;d;e;f;a").rc, 0);
	memset(longtext, 'a', 1001);
	longtext[1001] = '\0';
	CHECK_STR(rating_with(BK_COMMENT, longtext).err,
	    "comment: longer than 1000 characters");
	/* 1000 Vietnamese characters (2 bytes each) are fine */
	longtext[0] = '\0';
	for (int i = 0; i < 1000; i++)
		strcat(longtext, "ă");
	CHECK_INT(rating_with(BK_COMMENT, longtext).rc, 0);
	CHECK_STR(rating_with(BK_RATED_AT, "").err, "rated_at: required");
	CHECK_STR(rating_with(BK_RATED_AT, "03/10/2026").err,
	    "rated_at: '03/10/2026' is not an RFC 3339 time with an offset "
	    "(2026-10-08T09:30:00+07:00)");
}

int
main(void)
{
	RUN(csv_records);
	RUN(json_records);
	RUN(dossier_rows);
	RUN(rating_rows);
	return test_report("test_records");
}
