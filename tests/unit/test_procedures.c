/* test_procedures.c -- assigning procedures to units and counters: the
 * changes, their audit entries, and refusals in the console's language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "core/procedures.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/store.h"
#include "test.h"

static struct db *
fresh_db(void)
{
	static char path[160];
	char err[256] = "";
	struct db *db;

	snprintf(path, sizeof(path), "%s/p.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fresh_db: %s\n", err);
		exit(2);
	}
	return db;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	CHECK_INT(db_int(db, &n, sql, ""), 0);
	return n;
}

/* Refused in Vietnamese, with nothing written (not even the audit). */
static void
refusals_in_vietnamese(void)
{
	struct db *db = fresh_db();
	char err[256] = "", actor[] = "user:lan";
	struct change ch = { actor, LANG_VI, err, sizeof(err) };
	const char *codes[] = { "1.001193", "1.999999" };
	const char *shape[] = { "khai sinh" };
	int changed = -1;
	int64_t up = count(db, "SELECT count(*) FROM unit_procedures");
	int64_t audit = count(db, "SELECT count(*) FROM audit");

	CHECK_INT(
	    procedures_assign(db, &ch, "H21.01", 0, codes, 2, NULL, &changed),
	    SETUP_BAD);
	CHECK_STR(err, "Không có thủ tục '1.999999' trong danh mục");
	CHECK_INT(changed, 0);
	CHECK_INT(procedures_assign(
		      db, &ch, "H21.01", 0, NULL, 0, "Không có", &changed),
	    SETUP_BAD);
	CHECK_STR(err, "Không có lĩnh vực 'Không có' trong danh mục");
	CHECK_INT(
	    procedures_unassign(db, &ch, "H21.01", 0, shape, 1, NULL, &changed),
	    SETUP_BAD);
	CHECK_STR(err, "'khai sinh' không phải mã TTHC (dạng 1.001193)");
	CHECK_INT(
	    procedures_assign(db, &ch, "H21.227", 9, codes, 1, NULL, &changed),
	    SETUP_BAD);
	CHECK_STR(err, "Đơn vị H21.227 không có quầy 9");
	CHECK_INT(
	    procedures_assign(db, &ch, "H99.1", 0, codes, 1, NULL, &changed),
	    SETUP_BAD);
	CHECK_STR(err, "Không có đơn vị 'H99.1'");
	CHECK_INT(
	    procedures_assign(db, &ch, "H21.01", 0, NULL, 0, NULL, &changed),
	    SETUP_BAD);
	CHECK_STR(err, "Chưa chọn thủ tục: nhập mã thủ tục hoặc lĩnh vực");
	CHECK_INT(count(db, "SELECT count(*) FROM unit_procedures"), up);
	CHECK_INT(count(db, "SELECT count(*) FROM audit"), audit);
	CHECK(!db_in_transaction(db));
	db_close(db);
}

struct seen {
	int n, assigned;
	char first[33];
};

static int
seen_one(void *arg, const struct procedure_row *p)
{
	struct seen *s = arg;

	if (s->n++ == 0)
		snprintf(s->first, sizeof(s->first), "%s", p->code);
	s->assigned += p->assigned;
	return 0;
}

/* A field to a unit, part of it to a counter, then off the unit. */
static void
assign_list_unassign(void)
{
	struct db *db = fresh_db();
	char err[256] = "", actor[] = "user:lan";
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	const char *one[] = { "1.001193" };
	struct seen s = { 0 };
	int changed = -1;
	int64_t field = count(
	    db, "SELECT count(*) FROM procedures WHERE field = 'Hộ tịch'");

	CHECK_INT(procedures_assign(
		      db, &ch, "H21.01", 0, NULL, 0, "Hộ tịch", &changed),
	    0);
	CHECK_INT(changed, field);
	CHECK_INT(
	    procedures_assign(db, &ch, "H21.227", 1, one, 1, NULL, &changed),
	    0);
	CHECK_INT(changed, 1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE actor = 'user:lan' "
		      "AND action = 'procedure.assign' AND target = "
		      "'H21.227/1'"),
	    1);
	CHECK_INT(
	    procedures_list(db, "H21.01", 0, false, "KHAI SINH", seen_one, &s),
	    0);
	CHECK(s.n > 1 && s.assigned == s.n);
	memset(&s, 0, sizeof(s));
	CHECK_INT(
	    procedures_list(db, "H21.01", 0, true, NULL, seen_one, &s), 0);
	CHECK_INT(s.n, count(db, "SELECT count(*) FROM procedures"));
	CHECK_INT(s.assigned, field);
	memset(&s, 0, sizeof(s));
	CHECK_INT(
	    procedures_list(db, "H21.227", 1, false, NULL, seen_one, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.first, "1.001193");
	/* off the unit: off its counters too */
	CHECK_INT(procedures_unassign(
		      db, &ch, "H21.227", 0, NULL, 0, "Hộ tịch", &changed),
	    0);
	CHECK(changed > 0);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM counter_procedures WHERE unit = "
		      "'H21.227'"),
	    0);
	db_close(db);
}

/*
 * What the citizen's form may offer: a unit listing none offers every
 * procedure; once it lists some, only those.
 */
static void
offered_to_the_form(void)
{
	struct db *db = fresh_db();
	char err[256] = "", actor[] = "user:lan";
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	const char *two[] = { "1.001193", "1.000656" };
	struct seen s = { 0 };
	int changed = -1;

	db_exec(db, "DELETE FROM unit_procedures WHERE unit = 'H21.01'");
	CHECK(procedures_offered_by(db, "H21.01", "1.001193"));
	CHECK(!procedures_offered_by(db, "H21.01", "9.999999"));
	CHECK_INT(procedures_offered(db, "H21.01", NULL, seen_one, &s), 0);
	CHECK_INT(s.n, count(db, "SELECT count(*) FROM procedures"));
	CHECK_INT(
	    procedures_assign(db, &ch, "H21.01", 0, two, 2, NULL, &changed), 0);
	CHECK(procedures_offered_by(db, "H21.01", "1.000656"));
	CHECK(!procedures_offered_by(db, "H21.01", "1.000894"));
	memset(&s, 0, sizeof(s));
	CHECK_INT(procedures_offered(db, "H21.01", NULL, seen_one, &s), 0);
	CHECK_INT(s.n, 2);
	memset(&s, 0, sizeof(s));
	CHECK_INT(procedures_offered(db, "H21.01", "khai tử", seen_one, &s), 0);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.first, "1.000656");
	db_close(db);
}

int
main(void)
{
	RUN(refusals_in_vietnamese);
	RUN(assign_list_unassign);
	RUN(offered_to_the_form);
	return test_report("test_procedures");
}
