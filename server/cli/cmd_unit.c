/* cmd_unit.c -- hailong unit add|import|list|rename|disable: the unit tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/text.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/units.h"
#include "cli/cli.h"

#define UNIT_FILE_MAX (64u << 20)

static const char usage[] =
    "usage: hailong unit add --db FILE --code CODE --name NAME --level LEVEL\n"
    "                        --parent CODE [--stat-code N]\n"
    "       hailong unit import --db FILE [--skip-bad] [--only CODE] "
    "FILE.csv\n"
    "       hailong unit list --db FILE [--under CODE] [--json]\n"
    "       hailong unit rename --db FILE --code CODE --name NAME\n"
    "       hailong unit disable --db FILE --code CODE\n"
    "\n"
    "add creates a unit under an active parent (--parent '' for a top\n"
    "unit, such as a province).  CODE is a unit code\n"
    "(mã định danh: H21, H21.227, G01.05); NAME 1-300 bytes of UTF-8;\n"
    "LEVEL one of province, department, commune, centre, other; --stat-code\n"
    "the mã đơn vị hành chính (digits, up to 10).\n"
    "\n"
    "import adds or updates units from a CSV with the columns of\n"
    "data/units.csv (code,name,level,parent_code) and an optional fifth,\n"
    "stat_code.  The whole file is checked first: a bad line refuses it\n"
    "all with FILE:LINE: column: what is wrong, and nothing changes;\n"
    "--skip-bad leaves bad lines out and imports the rest.  --only CODE\n"
    "takes that unit and the units below it in the file (a province's\n"
    "part of a national list).\n"
    "\n"
    "list prints the tree (of --under and the units below it), parents\n"
    "before children; --json prints {\"units\": [...]}.\n"
    "\n"
    "rename changes a unit's name; disable stops a unit taking ratings\n"
    "(refused while active units are below it); its history stays.\n"
    "Every change is in the audit log.\n";

struct list_state {
	bool as_json;
	json_t *a;
};

static int
print_unit(void *arg, const struct unit_row *u)
{
	struct list_state *ls = arg;

	if (ls->as_json) {
		json_array_append_new(ls->a,
		    json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b, s:i}", "code",
			u->code, "name", u->name, "level", u->level, "parent",
			u->parent[0] ? u->parent : NULL, "stat_code",
			u->stat_code[0] ? u->stat_code : NULL, "active",
			u->active, "depth", u->depth));
		return 0;
	}
	printf("%*s%-*s  %-10s  %-10s  %-8s  %s\n", 2 * u->depth, "",
	    24 - 2 * (u->depth < 10 ? u->depth : 10), u->code, u->level,
	    u->stat_code[0] ? u->stat_code : "-",
	    u->active ? "active" : "disabled", u->name);
	return 0;
}

static int
unit_list(struct db *db, const char *under, bool as_json)
{
	struct list_state ls = { as_json, json_array() };
	int rc;

	if (!as_json)
		printf("%-24s  %-10s  %-10s  %-8s  %s\n", "CODE", "LEVEL",
		    "STAT CODE", "STATE", "NAME");
	rc = units_list(db, under, print_unit, &ls);
	if (rc < 0) {
		cli_error("unit", "cannot read the units: %s", db_errmsg(db));
		json_decref(ls.a);
		return 1;
	}
	if (rc == 1) {
		cli_error("unit", "no unit '%s'", under);
		json_decref(ls.a);
		return 1;
	}
	if (as_json) {
		json_t *doc = json_pack("{s:o}", "units", ls.a);
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s != NULL ? s : "{}");
		free(s);
		json_decref(doc);
	} else {
		json_decref(ls.a);
	}
	return 0;
}

static int
unit_import(struct db *db, struct change *ch, const char *file,
    const char *only, bool skip_bad)
{
	struct units_import_counts n;
	char err[512];
	size_t len;
	char *text = file_read(file, UNIT_FILE_MAX, &len, err, sizeof(err));
	int rc;

	if (text == NULL) {
		cli_error("unit", "%s", err);
		return 1;
	}
	rc = units_import(db, ch, text, len, file, only, skip_bad, &n);
	free(text);
	if (rc != 0) {
		cli_error("unit", "%s%s", ch->err,
		    rc == SETUP_BAD && !skip_bad
			? " (nothing imported; --skip-bad imports the good "
			  "lines)"
			: " (nothing imported)");
		return 1;
	}
	printf("%s: %d added, %d updated, %d skipped\n", file, n.added,
	    n.updated, n.skipped);
	if (n.skipped > 0)
		fprintf(stderr,
		    "hailong unit: left out %d bad line%s, the first: %s\n",
		    n.skipped, n.skipped == 1 ? "" : "s", ch->err);
	return 0;
}

int
cmd_unit(int argc, char **argv)
{
	const char *path = NULL, *code = NULL, *name = NULL, *level = NULL;
	const char *parent = NULL, *stat_code = NULL, *only = NULL;
	const char *under = NULL, *pos[2] = { NULL, NULL };
	bool as_json = false, skip_bad = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "code", &code, NULL },
		{ "name", &name, NULL },
		{ "level", &level, NULL },
		{ "parent", &parent, NULL },
		{ "stat-code", &stat_code, NULL },
		{ "only", &only, NULL },
		{ "under", &under, NULL },
		{ "skip-bad", NULL, &skip_bad },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	char err[512], actor[64];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	const char *verb;
	struct db *db;
	int p, got = 0, rc;

	p = cli_parse("unit", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	verb = got > 0 ? pos[0] : "";
	if (strcmp(verb, "add") != 0 && strcmp(verb, "import") != 0 &&
	    strcmp(verb, "list") != 0 && strcmp(verb, "rename") != 0 &&
	    strcmp(verb, "disable") != 0) {
		cli_error("unit",
		    "say add, import, list, rename or disable; see 'hailong "
		    "unit --help'");
		return 2;
	}
	if (path == NULL) {
		cli_error("unit", "--db FILE is required");
		return 2;
	}
	if (strcmp(verb, "import") == 0 ? got != 2 : got != 1) {
		cli_error("unit",
		    strcmp(verb, "import") == 0 ? "import needs one FILE.csv"
						: "unexpected argument '%s'",
		    got > 1 ? pos[1] : "");
		return 2;
	}
	if (strcmp(verb, "add") == 0 &&
	    (code == NULL || name == NULL || level == NULL || parent == NULL)) {
		cli_error("unit",
		    "add needs --code CODE --name NAME --level LEVEL --parent "
		    "CODE");
		return 2;
	}
	if ((strcmp(verb, "rename") == 0 && (code == NULL || name == NULL)) ||
	    (strcmp(verb, "disable") == 0 && code == NULL)) {
		cli_error("unit", "%s needs --code CODE%s", verb,
		    strcmp(verb, "rename") == 0 ? " --name NAME" : "");
		return 2;
	}
	if (under != NULL && !is_unit_code(under, strlen(under))) {
		cli_error("unit", "--under '%s' is not a unit code", under);
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong unit: %s\n", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(verb, "list") == 0) {
		rc = unit_list(db, under, as_json);
	} else if (strcmp(verb, "import") == 0) {
		rc = unit_import(db, &ch, pos[1], only, skip_bad);
	} else {
		if (strcmp(verb, "add") == 0)
			rc = units_add(
			    db, &ch, code, name, level, parent, stat_code);
		else if (strcmp(verb, "rename") == 0)
			rc = units_rename(db, &ch, code, name);
		else
			rc = units_disable(db, &ch, code);
		if (rc != 0)
			cli_error("unit", "%s", err);
		else if (strcmp(verb, "add") == 0)
			printf("unit %s added %s%s\n", code,
			    parent[0] ? "under " : "at the top", parent);
		else if (strcmp(verb, "rename") == 0)
			printf("unit %s renamed\n", code);
		else
			printf(
			    "unit %s disabled: it takes no new rating\n", code);
		rc = rc != 0 ? 1 : 0;
	}
	db_close(db);
	return rc;
}
