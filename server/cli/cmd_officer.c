/* cmd_officer.c -- hailong officer add|list|disable: who serves at counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/officers.h"
#include "core/setup.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong officer add --db FILE --unit CODE --id ID --name TEXT\n"
    "                           [--counter N]\n"
    "       hailong officer list --db FILE [--unit CODE] [--json]\n"
    "       hailong officer disable --db FILE --id ID\n"
    "\n"
    "add registers officer ID (1-32 letters, digits, '.', '_' or '-',\n"
    "unique across all units) of an active unit, named TEXT (1-100 bytes\n"
    "of UTF-8), with an optional usual counter (an active counter of the\n"
    "unit).\n"
    "\n"
    "list prints the officers (of --unit): usual counter, state, counter\n"
    "on duty now; --json prints {\"officers\": [...]}.\n"
    "\n"
    "disable: no new duty, no new kiosk names them; an open duty ends;\n"
    "their figures stay.  Every change is in the audit log.\n";

struct list_state {
	bool as_json;
	json_t *a;
};

static int
print_officer(void *arg, const struct officer_row *o)
{
	struct list_state *ls = arg;
	char ctr[12] = "-", duty[12] = "-";

	if (ls->as_json) {
		json_t *v = json_pack("{s:s, s:s, s:s, s:b}", "id", o->id,
		    "unit", o->unit, "name", o->name, "active", o->active);

		json_object_set_new(v, "counter",
		    o->counter > 0 ? json_integer(o->counter) : json_null());
		json_object_set_new(v, "on_duty",
		    o->on_duty > 0 ? json_integer(o->on_duty) : json_null());
		json_array_append_new(ls->a, v);
		return 0;
	}
	if (o->counter > 0)
		snprintf(ctr, sizeof(ctr), "%d", o->counter);
	if (o->on_duty > 0)
		snprintf(duty, sizeof(duty), "%d", o->on_duty);
	printf("%-12s  %-12s  %7s  %-8s  %7s  %s\n", o->id, o->unit, ctr,
	    o->active ? "active" : "disabled", duty, o->name);
	return 0;
}

static int
officer_list(struct db *db, const char *unit, bool as_json)
{
	struct list_state ls = { as_json, NULL };

	if (unit != NULL && !store_has_unit(db, unit)) {
		cli_error("officer", "no unit '%s'", unit);
		return 1;
	}
	ls.a = json_array();
	if (!as_json)
		printf("%-12s  %-12s  %7s  %-8s  %7s  %s\n", "ID", "UNIT",
		    "COUNTER", "STATE", "ON DUTY", "NAME");
	if (officers_list(db, unit, print_officer, &ls) < 0) {
		cli_error(
		    "officer", "cannot read the officers: %s", db_errmsg(db));
		json_decref(ls.a);
		return 1;
	}
	if (as_json) {
		json_t *doc = json_pack("{s:o}", "officers", ls.a);
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s != NULL ? s : "{}");
		free(s);
		json_decref(doc);
	} else {
		json_decref(ls.a);
	}
	return 0;
}

int
cmd_officer(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *id = NULL, *name = NULL;
	const char *counter = NULL, *pos[2] = { NULL, NULL };
	bool as_json = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "id", &id, NULL },
		{ "name", &name, NULL },
		{ "counter", &counter, NULL },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	char err[512], actor[64];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	const char *verb;
	int64_t n = 0;
	struct db *db;
	int p, got = 0, rc;

	p = cli_parse("officer", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	verb = got > 0 ? pos[0] : "";
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "disable") != 0) {
		cli_error("officer",
		    "say add, list or disable; see 'hailong officer --help'");
		return 2;
	}
	if (got > 1) {
		cli_error("officer", "unexpected argument '%s'", pos[1]);
		return 2;
	}
	if (path == NULL) {
		cli_error("officer", "--db FILE is required");
		return 2;
	}
	if (unit != NULL && !is_unit_code(unit, strlen(unit))) {
		cli_error("officer",
		    "--unit '%s' is not a unit code (like H21.227)", unit);
		return 2;
	}
	if (strcmp(verb, "add") == 0 &&
	    (unit == NULL || id == NULL || name == NULL)) {
		cli_error(
		    "officer", "add needs --unit CODE --id ID --name TEXT");
		return 2;
	}
	if (strcmp(verb, "disable") == 0 && id == NULL) {
		cli_error("officer", "disable needs --id ID");
		return 2;
	}
	if (counter != NULL &&
	    parse_int64(counter, strlen(counter), 1, COUNTER_NUMBER_MAX, &n) <
		0) {
		cli_error(
		    "officer", "--counter must be 1-%d", COUNTER_NUMBER_MAX);
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong officer: %s\n", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(verb, "list") == 0) {
		rc = officer_list(db, unit, as_json);
	} else {
		if (strcmp(verb, "add") == 0)
			rc = officers_add(db, &ch, unit, id, name, (int)n);
		else
			rc = officers_disable(db, &ch, id);
		if (rc != 0)
			cli_error("officer", "%s", err);
		else if (strcmp(verb, "add") == 0)
			printf("officer %s added to %s\n", id, unit);
		else
			printf("officer %s disabled\n", id);
		rc = rc != 0 ? 1 : 0;
	}
	db_close(db);
	return rc;
}
