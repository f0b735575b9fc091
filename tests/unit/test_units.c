/* test_units.c -- units, counters, officers and procedures: setup, reads. */
#include <stdio.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/audit.h"
#include "core/counters.h"
#include "core/duty.h"
#include "core/officers.h"
#include "core/procedures.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/units.h"
#include "test.h"

/* Count the fields procedures_each_field() gives, checking their order. */
struct fields_seen {
	int n;
	char last[301];
	bool sorted;
};

static void
field_seen(void *arg, const char *field)
{
	struct fields_seen *fs = arg;

	if (fs->n > 0 && strcmp(fs->last, field) >= 0)
		fs->sorted = false;
	snprintf(fs->last, sizeof(fs->last), "%s", field);
	fs->n++;
}

static void
lookups(void)
{
	char path[128], err[256];
	struct db *db;
	struct buf name = { 0 }, field = { 0 };
	struct unit_info u;
	struct procedure_codes set = { 0 };
	struct fields_seen fs = { 0, "", true };
	int64_t n = -1;

	snprintf(path, sizeof(path), "%s/t.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		FAIL_AT("cannot make a database: %s", err);
		db_close(db);
		return;
	}
	/* units: a name appended, an unknown code leaves the buffer alone */
	CHECK_INT(units_name(db, "H21.227", &name), 0);
	CHECK(buf_str(&name)[0] != '\0');
	CHECK_INT(units_get(db, "H21.227", &u), 0);
	CHECK_STR(u.code, "H21.227");
	CHECK_STR(u.name, buf_str(&name));
	CHECK_STR(u.parent, "H21");
	CHECK(u.active);
	CHECK_INT(units_get(db, "H21", &u), 0);
	CHECK_STR(u.parent, "");
	buf_reset(&name);
	CHECK_INT(units_name(db, "X99", &name), 1);
	CHECK_STR(buf_str(&name), "");
	CHECK_INT(units_get(db, "X99", &u), 1);
	CHECK_STR(u.code, "");
	/* counters */
	CHECK_INT(units_counter_name(db, "H21.227", 1, &name), 0);
	CHECK(buf_str(&name)[0] != '\0');
	buf_reset(&name);
	CHECK_INT(units_counter_name(db, "H21.227", 998, &name), 1);
	/* procedures: name and field */
	CHECK_INT(procedures_get(db, "1.001193", &name, &field), 0);
	CHECK(buf_str(&name)[0] != '\0');
	CHECK(buf_str(&field)[0] != '\0');
	CHECK(procedures_has_field(db, buf_str(&field)));
	CHECK(!procedures_has_field(db, "không có lĩnh vực này"));
	/* the field's codes: one query, the same set as per-code reads */
	CHECK_INT(procedures_of_field(db, buf_str(&field), &set), 0);
	CHECK_INT(
	    db_int(db, &n, "SELECT count(*) FROM procedures WHERE field = ?",
		"t", buf_str(&field)),
	    0);
	CHECK_INT((int64_t)set.n, n);
	CHECK(procedure_codes_has(&set, "1.001193"));
	CHECK(!procedure_codes_has(&set, "9.999999"));
	for (size_t i = 0; i < set.n; i++)
		CHECK(procedure_codes_has(&set, set.v[i]));
	procedure_codes_release(&set);
	CHECK_INT((int64_t)set.n, 0);
	CHECK(!procedure_codes_has(&set, "1.001193"));
	buf_reset(&name);
	CHECK_INT(procedures_get(db, "9.999999", &name, NULL), 1);
	CHECK_STR(buf_str(&name), "");
	/* the filter's list: every field once, in order */
	CHECK_INT(procedures_each_field(db, field_seen, &fs), 0);
	CHECK_INT(db_int(db, &n,
		      "SELECT count(DISTINCT field) FROM procedures WHERE "
		      "field <> ''",
		      ""),
	    0);
	CHECK_INT(fs.n, n);
	CHECK(fs.sorted);
	buf_release(&name);
	buf_release(&field);
	db_close(db);
}

/* A fresh database with the reference data and the demo. */
static struct db *
fresh(void)
{
	char path[128], err[256];
	struct db *db;

	snprintf(path, sizeof(path), "%s/s.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		exit(2);
	}
	return db;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	db_int(db, &n, sql, "");
	return n;
}

/* Nothing changed: the same number of audit entries and units as before. */
#define UNCHANGED(db, audit0, units0) \
	do { \
		CHECK_INT(count(db, "SELECT count(*) FROM audit"), audit0); \
		CHECK_INT(count(db, "SELECT count(*) FROM units"), units0); \
	} while (0)

struct walk {
	int n;
	char codes[8][41];
	int depth[8];
};

static int
walk_unit(void *arg, const struct unit_row *u)
{
	struct walk *w = arg;

	if (w->n < 8) {
		snprintf(w->codes[w->n], sizeof(w->codes[0]), "%s", u->code);
		w->depth[w->n] = u->depth;
	}
	w->n++;
	return 0;
}

static void
unit_setup(void)
{
	struct db *db = fresh();
	char err[512];
	struct change ch = { "cli:test", LANG_EN, err, sizeof(err) };
	char long_name[UNIT_NAME_MAX + 2];
	struct walk w = { 0 };
	int64_t a0, u0, n = 0;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	a0 = count(db, "SELECT count(*) FROM audit");
	u0 = count(db, "SELECT count(*) FROM units");
	CHECK_INT(units_add(db, &ch, "H21.300", "UBND xã Thử", "commune", "H21",
		      "22015"),
	    0);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM unit_tree WHERE ancestor = "
		      "'H21' AND descendant = 'H21.300'"),
	    1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'unit.add' AND target = 'H21.300' AND actor = "
		      "'cli:test'"),
	    1);
	a0++;
	u0++;
	/* bad input: a message naming the value, nothing changed */
	CHECK_INT(units_add(db, &ch, "H21.300", "x", "commune", "H21", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "is taken") != NULL);
	CHECK_INT(units_add(db, &ch, "H21.301", "x", "commune", "H99", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "no parent unit 'H99'") != NULL);
	CHECK_INT(units_add(db, &ch, "X21.1", "x", "commune", "H21", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "not a unit code") != NULL);
	CHECK_INT(
	    units_add(db, &ch, "H21.301", long_name, "commune", "H21", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "longer than 300 bytes") != NULL);
	CHECK_INT(units_add(db, &ch, "H21.301", "x", "village", "H21", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "level 'village'") != NULL);
	CHECK_INT(units_add(db, &ch, "H21.301", "x", "commune", "H21", "12a"),
	    SETUP_BAD);
	CHECK(strstr(err, "stat_code") != NULL);
	UNCHANGED(db, a0, u0);
	/* Vietnamese for the console */
	ch.lang = LANG_VI;
	CHECK_INT(units_add(db, &ch, "H21.300", "x", "commune", "H21", NULL),
	    SETUP_BAD);
	CHECK_STR(err, "mã đơn vị 'H21.300' đã có");
	ch.lang = LANG_EN;
	/* a child, the list in tree order */
	CHECK_INT(units_add(db, &ch, "H21.300.1", "Bộ phận một cửa", "centre",
		      "H21.300", NULL),
	    0);
	CHECK_INT(units_list(db, "H21.300", walk_unit, &w), 0);
	CHECK_INT(w.n, 2);
	CHECK_STR(w.codes[0], "H21.300");
	CHECK_INT(w.depth[0], 0);
	CHECK_STR(w.codes[1], "H21.300.1");
	CHECK_INT(w.depth[1], 1);
	CHECK_INT(units_list(db, "H21.999", walk_unit, &w), 1);
	/* rename */
	CHECK_INT(units_rename(db, &ch, "H21.300", "UBND xã Thử Mới"), 0);
	CHECK_INT(units_rename(db, &ch, "H21.999", "x"), SETUP_BAD);
	/* disable: refused while a unit below is active */
	CHECK_INT(units_disable(db, &ch, "H21.300"), SETUP_BAD);
	CHECK(strstr(err, "H21.300.1") != NULL);
	CHECK_INT(units_disable(db, &ch, "H21.300.1"), 0);
	CHECK_INT(units_disable(db, &ch, "H21.300.1"), SETUP_BAD);
	/* a disabled parent takes no new unit */
	CHECK_INT(
	    units_add(db, &ch, "H21.300.2", "x", "centre", "H21.300.1", NULL),
	    SETUP_BAD);
	CHECK(strstr(err, "disabled") != NULL);
	CHECK_INT(units_closed_since(db, "H21.300.1", 0, &n, &a0), 0);
	CHECK(n > 0);
	CHECK_INT(a0, 0);
	CHECK_INT(units_closed_since(db, "H21.300", 0, &n, &a0), 0);
	CHECK_INT(n, 0);
	db_close(db);
}

static void
unit_import(void)
{
	struct db *db = fresh();
	char err[512];
	struct change ch = { "cli:test", LANG_EN, err, sizeof(err) };
	struct units_import_counts n;
	int64_t a0 = count(db, "SELECT count(*) FROM audit");
	int64_t u0 = count(db, "SELECT count(*) FROM units");
	static const char good[] = "code,name,level,parent_code,stat_code\n"
				   "H21.400,Xã A,commune,H21,12345\n"
				   "H21.400.1,Bộ phận A,centre,H21.400,\n"
				   "H22,Tỉnh khác,province,,\n"
				   "H22.1,Xã khác,commune,H22,\n";
	static const char one_bad[] = "code,name,level,parent_code\n"
				      "H21.500,Xã B,commune,H21\n"
				      "H21.501,Xã C,commune,H21.999\n"
				      "H21.502,Xã D,commune,H21\n";
	static const char cycle[] = "code,name,level,parent_code\n"
				    "H21.400,Xã A,commune,H21.400.1\n";

	/* the whole file refused, with the line and the column */
	CHECK_INT(units_import(db, &ch, one_bad, strlen(one_bad), "u.csv", NULL,
		      false, &n),
	    SETUP_BAD);
	CHECK_STR(err,
	    "u.csv:3: parent_code: no unit 'H21.999' in the database or the "
	    "file");
	UNCHANGED(db, a0, u0);
	/* the console's language: the place stays, the words are Vietnamese */
	ch.lang = LANG_VI;
	CHECK_INT(units_import(db, &ch, one_bad, strlen(one_bad), "u.csv", NULL,
		      false, &n),
	    SETUP_BAD);
	CHECK_STR(err,
	    "u.csv:3: parent_code: không có đơn vị 'H21.999' trong cơ sở dữ "
	    "liệu hay trong tệp");
	ch.lang = LANG_EN;
	UNCHANGED(db, a0, u0);
	/* --skip-bad: the rest */
	CHECK_INT(units_import(db, &ch, one_bad, strlen(one_bad), "u.csv", NULL,
		      true, &n),
	    0);
	CHECK_INT(n.added, 2);
	CHECK_INT(n.skipped, 1);
	CHECK(strstr(err, "u.csv:3:") != NULL);
	/* --only: a province's part */
	CHECK_INT(units_import(
		      db, &ch, good, strlen(good), "g.csv", "H22", false, &n),
	    0);
	CHECK_INT(n.added, 2);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM units WHERE code = "
		      "'H21.400'"),
	    0);
	CHECK_INT(
	    units_import(db, &ch, good, strlen(good), "g.csv", NULL, false, &n),
	    0);
	CHECK_INT(n.added, 2);
	CHECK_INT(n.updated, 2);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM units WHERE code = "
		      "'H21.400' AND stat_code = '12345'"),
	    1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM unit_tree WHERE ancestor = "
		      "'H21' AND descendant = 'H21.400.1'"),
	    1);
	/* a re-parenting that would make a cycle */
	a0 = count(db, "SELECT count(*) FROM audit");
	u0 = count(db, "SELECT count(*) FROM units");
	CHECK_INT(units_import(
		      db, &ch, cycle, strlen(cycle), "c.csv", NULL, false, &n),
	    SETUP_BAD);
	CHECK(strstr(err, "c.csv:2: parent_code:") != NULL);
	CHECK(strstr(err, "cycle") != NULL);
	UNCHANGED(db, a0, u0);
	/* a disabled parent */
	CHECK_INT(units_disable(db, &ch, "H22.1"), 0);
	{
		static const char under_disabled[] =
		    "code,name,level,parent_code\nH22.1.1,X,centre,H22.1\n";

		CHECK_INT(units_import(db, &ch, under_disabled,
			      strlen(under_disabled), "d.csv", NULL, false, &n),
		    SETUP_BAD);
		CHECK_STR(
		    err, "d.csv:2: parent_code: unit 'H22.1' is disabled");
	}
	/* a bad header */
	CHECK_INT(units_import(db, &ch, "a,b\n", 4, "h.csv", NULL, false, &n),
	    SETUP_BAD);
	CHECK(strstr(err, "h.csv:1:") != NULL);
	db_close(db);
}

static int
note_counter(void *arg, const struct counter_row *c)
{
	struct counter_row *last = arg;

	*last = *c;
	return 0;
}

static int
note_officer(void *arg, const struct officer_row *o)
{
	struct officer_row *last = arg;

	*last = *o;
	return 0;
}

static void
counters_and_officers(void)
{
	struct db *db = fresh();
	char err[512], unit[41];
	struct change ch = { "cli:test", LANG_EN, err, sizeof(err) };
	struct counter_row c;
	struct officer_row o;
	int64_t at = 0, ua, ca, now = hl_now();

	CHECK_INT(counters_add(db, &ch, "H21.227", 4, "Quầy 4"), 0);
	CHECK_INT(counters_add(db, &ch, "H21.227", 4, "Quầy 4"), SETUP_BAD);
	CHECK(strstr(err, "counter 4 already") != NULL);
	CHECK_INT(counters_add(db, &ch, "H21.227", 0, "x"), SETUP_BAD);
	CHECK_INT(counters_add(db, &ch, "H21.227", 1000, "x"), SETUP_BAD);
	CHECK_INT(counters_add(db, &ch, "H21.999", 1, "x"), SETUP_BAD);
	CHECK(strstr(err, "no unit 'H21.999'") != NULL);
	CHECK_INT(counters_add(db, &ch, "H21.227", 5, ""), SETUP_BAD);
	CHECK_INT(counters_rename(db, &ch, "H21.227", 4, "Quầy bốn"), 0);
	CHECK_INT(counters_state(db, "H21.227", 4, &at), 0);
	CHECK_INT(counters_state(db, "H21.227", 9, &at), 1);
	CHECK_INT(
	    officers_add(db, &ch, "H21.227", "VC09", "Ngô Thị Mai", 4), 0);
	CHECK_INT(officers_add(db, &ch, "H21.01", "VC09", "x", 0), SETUP_BAD);
	CHECK(strstr(err, "'VC09' is taken") != NULL);
	CHECK_INT(officers_add(db, &ch, "H21.227", "VC10", "x", 9), SETUP_BAD);
	CHECK_INT(
	    officers_add(db, &ch, "H21.227", "bad id", "x", 0), SETUP_BAD);
	CHECK_INT(officers_state(db, "VC09", unit), 0);
	CHECK_STR(unit, "H21.227");
	/* an open duty ends with the counter */
	CHECK_INT(duty_start(db, &ch, "H21.227", 4, "VC09", now - 60), 0);
	CHECK_INT(counters_list(db, "H21.227", note_counter, &c), 0);
	CHECK_INT(c.number, 4);
	CHECK_STR(c.on_duty, "VC09");
	CHECK_INT(officers_list(db, "H21.227", note_officer, &o), 0);
	CHECK_INT(counters_disable(db, &ch, "H21.227", 4), 0);
	CHECK_INT(counters_disable(db, &ch, "H21.227", 4), SETUP_BAD);
	CHECK_INT(counters_state(db, "H21.227", 4, &at), 2);
	CHECK(at >= now);
	CHECK_INT(
	    count(db, "SELECT count(*) FROM duty WHERE ended_at IS NULL"), 0);
	CHECK_INT(units_closed_since(db, "H21.227", 4, &ua, &ca), 0);
	CHECK_INT(ua, 0);
	CHECK_INT(ca, at);
	CHECK_INT(counters_list(db, "H21.227", note_counter, &c), 0);
	CHECK(!c.active);
	CHECK_STR(c.on_duty, "");
	/* a disabled counter takes no officer */
	CHECK_INT(officers_add(db, &ch, "H21.227", "VC10", "x", 4), SETUP_BAD);
	CHECK(strstr(err, "disabled") != NULL);
	CHECK_INT(officers_disable(db, &ch, "VC09"), 0);
	CHECK_INT(officers_state(db, "VC09", NULL), 2);
	CHECK_INT(officers_disable(db, &ch, "VC09"), SETUP_BAD);
	CHECK_INT(officers_disable(db, &ch, "NOPE"), SETUP_BAD);
	/* every change audited, the chain intact */
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action IN "
		      "('counter.add', 'counter.rename', "
		      "'counter.disable', 'officer.add', "
		      "'officer.disable')"),
	    5);
	{
		int64_t entries, bad;

		CHECK_INT(audit_verify(db, &entries, &bad), 0);
	}
	db_close(db);
}

int
main(void)
{
	RUN(lookups);
	RUN(unit_setup);
	RUN(unit_import);
	RUN(counters_and_officers);
	return test_report("test_units");
}
