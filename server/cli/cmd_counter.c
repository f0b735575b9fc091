/* cmd_counter.c -- hailong counter add|list|rename|disable: a unit's quầy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/setup.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong counter add --db FILE --unit CODE --number N --name "
    "TEXT\n"
    "       hailong counter list --db FILE --unit CODE [--json]\n"
    "       hailong counter rename --db FILE --unit CODE --number N --name "
    "TEXT\n"
    "       hailong counter disable --db FILE --unit CODE --number N\n"
    "\n"
    "add gives an active unit counter N (1-999) named TEXT (1-100 bytes\n"
    "of UTF-8); then 'hailong kiosk add' and 'hailong qr' can name it.\n"
    "\n"
    "list prints the unit's counters: state, kiosks, officer on duty;\n"
    "--json prints {\"counters\": [...]}.\n"
    "\n"
    "disable stops a counter taking ratings from now on: its QR codes\n"
    "answer a page saying so (410), its kiosks show it closed and their\n"
    "later ratings are rejected (counter_disabled); an open duty there\n"
    "ends.  Its ratings and figures stay.  Every change is in the audit\n"
    "log.\n";

struct list_state {
	bool as_json;
	json_t *a;
};

static int
print_counter(void *arg, const struct counter_row *c)
{
	struct list_state *ls = arg;
	char when[26] = "";

	if (c->disabled_at > 0)
		rfc3339_format(c->disabled_at, when);
	if (ls->as_json) {
		json_array_append_new(ls->a,
		    json_pack("{s:s, s:i, s:s, s:b, s:s?, s:i, s:s?}", "unit",
			c->unit, "number", c->number, "name", c->name, "active",
			c->active, "disabled_at",
			c->disabled_at > 0 ? when : NULL, "kiosks", c->kiosks,
			"on_duty", c->on_duty[0] ? c->on_duty : NULL));
		return 0;
	}
	printf("%6d  %-8s  %6d  %-10s  %s\n", c->number,
	    c->active ? "active" : "disabled", c->kiosks,
	    c->on_duty[0] ? c->on_duty : "-", c->name);
	return 0;
}

static int
counter_list(struct db *db, const char *unit, bool as_json)
{
	struct list_state ls = { as_json, NULL };

	if (!store_has_unit(db, unit)) {
		cli_error("counter", "no unit '%s'", unit);
		return 1;
	}
	ls.a = json_array();
	if (!as_json)
		printf("%6s  %-8s  %6s  %-10s  %s\n", "NUMBER", "STATE",
		    "KIOSKS", "ON DUTY", "NAME");
	if (counters_list(db, unit, print_counter, &ls) < 0) {
		cli_error(
		    "counter", "cannot read the counters: %s", db_errmsg(db));
		json_decref(ls.a);
		return 1;
	}
	if (as_json) {
		json_t *doc =
		    json_pack("{s:s, s:o}", "unit", unit, "counters", ls.a);
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
cmd_counter(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *number = NULL, *name = NULL;
	const char *pos[2] = { NULL, NULL };
	bool as_json = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "number", &number, NULL },
		{ "name", &name, NULL },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	char err[512], actor[64];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	const char *verb;
	int64_t n = 0;
	struct db *db;
	int p, got = 0, rc;

	p = cli_parse("counter", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	verb = got > 0 ? pos[0] : "";
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "rename") != 0 && strcmp(verb, "disable") != 0) {
		cli_error("counter",
		    "say add, list, rename or disable; see 'hailong counter "
		    "--help'");
		return 2;
	}
	if (got > 1) {
		cli_error("counter", "unexpected argument '%s'", pos[1]);
		return 2;
	}
	if (path == NULL || unit == NULL) {
		cli_error("counter", "--db FILE and --unit CODE are required");
		return 2;
	}
	if (!is_unit_code(unit, strlen(unit))) {
		cli_error("counter",
		    "--unit '%s' is not a unit code (like H21.227)", unit);
		return 2;
	}
	if (strcmp(verb, "list") != 0) {
		if (number == NULL ||
		    parse_int64(number, strlen(number), 1, COUNTER_NUMBER_MAX,
			&n) < 0) {
			cli_error("counter", "%s needs --number N, 1-%d", verb,
			    COUNTER_NUMBER_MAX);
			return 2;
		}
		if (strcmp(verb, "disable") != 0 && name == NULL) {
			cli_error("counter", "%s needs --name TEXT", verb);
			return 2;
		}
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong counter: %s\n", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(verb, "list") == 0) {
		rc = counter_list(db, unit, as_json);
	} else {
		if (strcmp(verb, "add") == 0)
			rc = counters_add(db, &ch, unit, (int)n, name);
		else if (strcmp(verb, "rename") == 0)
			rc = counters_rename(db, &ch, unit, (int)n, name);
		else
			rc = counters_disable(db, &ch, unit, (int)n);
		if (rc != 0)
			cli_error("counter", "%s", err);
		else if (strcmp(verb, "add") == 0)
			printf(
			    "counter %lld of %s added\n", (long long)n, unit);
		else if (strcmp(verb, "rename") == 0)
			printf(
			    "counter %lld of %s renamed\n", (long long)n, unit);
		else
			printf("counter %lld of %s disabled: it takes no new "
			       "rating\n",
			    (long long)n, unit);
		rc = rc != 0 ? 1 : 0;
	}
	db_close(db);
	return rc;
}
