/* test_units.c -- units, counters and procedures as the pages read them. */
#include <stdio.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "core/procedures.h"
#include "core/refdata.h"
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

int
main(void)
{
	RUN(lookups);
	return test_report("test_units");
}
