/* cmd_procedure.c -- hailong procedure: the catalogue and who handles what. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/csv.h"
#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/procedures.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/units.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong procedure import --db FILE CATALOGUE.csv\n"
    "       hailong procedure assign --db FILE --unit CODE [--counter N]\n"
    "                                [CODE ...] [--field FIELD] "
    "[--file FILE]\n"
    "       hailong procedure unassign --db FILE --unit CODE [--counter N]\n"
    "                                [CODE ...] [--field FIELD] "
    "[--file FILE]\n"
    "       hailong procedure list --db FILE --unit CODE [--counter N]\n"
    "                              [--all] [--search TEXT] [--json]\n"
    "\n"
    "import adds the procedures (thủ tục hành chính) of a CSV file with\n"
    "the columns of data/procedures.csv (code,name,field,level) to the\n"
    "catalogue, or updates those already there, by code.  The file is\n"
    "checked whole first: one bad line refuses it, with FILE:LINE: column.\n"
    "\n"
    "assign says which procedures a unit handles (the citizen's form and\n"
    "the kiosks offer them), or one of its counters (--counter N: within\n"
    "the unit's, when the unit lists any).  Name them by code (mã TTHC,\n"
    "like 1.001193), by --field (every procedure of that lĩnh vực, like\n"
    "'Hộ tịch') and with --file (one code a line, or a CSV whose first\n"
    "column is the code).  An unknown code or field refuses the whole\n"
    "command and changes nothing.  unassign takes the same arguments;\n"
    "from a unit it also takes the procedures off the unit's counters.\n"
    "\n"
    "list shows the procedures of the unit (or counter), by field; --all\n"
    "the whole catalogue, '*' marking those assigned; --search keeps\n"
    "those whose code, name or field contains TEXT.  --json prints\n"
    "{\"unit\", \"counter\", \"procedures\": [{\"code\", \"name\", \"field\",\n"
    "\"level\", \"assigned\"}]}.\n"
    "\n"
    "Every change is in the audit log (procedure.import, "
    "procedure.assign,\n"
    "procedure.unassign).  Exit status: 0 done, 1 refused or failed, 2 "
    "usage.\n";

#define CODES_FILE_MAX (8u << 20)
#define CATALOGUE_MAX (64u << 20)

/* The codes to assign: the arguments' and the file's.  Owns its copies. */
struct code_list {
	char **v;
	size_t n, cap;
};

static void
code_list_add(struct code_list *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap > 0 ? l->cap * 2 : 32;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = xmalloc(len + 1);
	memcpy(l->v[l->n], s, len);
	l->v[l->n][len] = '\0';
	l->n++;
}

static void
code_list_release(struct code_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/*
 * The codes of --file: the first field of each line, a header "code"
 * and blank lines skipped.  0, or 1 after saying which line is wrong.
 */
static int
read_codes_file(const char *path, struct code_list *l)
{
	struct csv c;
	struct csv_record rec;
	char err[512], *text;
	size_t len;
	int rc, ret = 1;

	text = file_read(path, CODES_FILE_MAX, &len, err, sizeof(err));
	if (text == NULL) {
		cli_error("procedure", "%s", err);
		return 1;
	}
	csv_init(&c, text, len);
	while ((rc = csv_next(&c, &rec)) == 1) {
		const char *s = rec.f[0];
		size_t n = rec.len[0];

		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0 ||
		    (rec.line == 1 && n == 4 && memcmp(s, "code", 4) == 0))
			continue;
		if (!is_procedure_code(s, n)) {
			cli_error("procedure",
			    "%s:%d: code: '%.*s' is not a mã TTHC (like "
			    "1.001193)",
			    path, rec.line, (int)(n > 40 ? 40 : n), s);
			goto out;
		}
		code_list_add(l, s, n);
	}
	if (rc < 0) {
		cli_error("procedure", "%s:%d: %s", path, rec.line, c.error);
		goto out;
	}
	ret = 0;
out:
	csv_release(&c);
	free(text);
	return ret;
}

static int
procedure_import(struct db *db, struct change *ch, const char *path)
{
	char err[512], *text;
	size_t len;
	int rows, rc;

	text = file_read(path, CATALOGUE_MAX, &len, err, sizeof(err));
	if (text == NULL) {
		cli_error("procedure", "%s", err);
		return 1;
	}
	rc = procedures_import(db, ch, text, len, path, &rows);
	free(text);
	if (rc != 0) {
		cli_error("procedure", "%s", ch->err);
		return 1;
	}
	printf("%d procedures imported from %s\n", rows, path);
	return 0;
}

static int
procedure_assign(struct db *db, struct change *ch, bool assign,
    const char *unit, int counter, const char *const *args, int nargs,
    const char *field, const char *file)
{
	struct code_list l = { 0 };
	int rc = 1, changed = 0, r;

	for (int i = 0; i < nargs; i++)
		code_list_add(&l, args[i], strlen(args[i]));
	if (file != NULL && read_codes_file(file, &l) != 0)
		goto out;
	if (l.n == 0 && field == NULL) {
		cli_error("procedure",
		    "name procedure codes, --field FIELD or --file FILE");
		rc = 2;
		goto out;
	}
	r = (assign ? procedures_assign : procedures_unassign)(db, ch, unit,
	    counter, (const char *const *)l.v, l.n, field, &changed);
	if (r != 0) {
		cli_error("procedure", "%s", ch->err);
		goto out;
	}
	if (counter > 0)
		printf("%s %d procedure%s %s %s counter %d\n",
		    assign ? "assigned" : "unassigned", changed,
		    changed == 1 ? "" : "s", assign ? "to" : "from", unit,
		    counter);
	else
		printf("%s %d procedure%s %s %s\n",
		    assign ? "assigned" : "unassigned", changed,
		    changed == 1 ? "" : "s", assign ? "to" : "from", unit);
	rc = 0;
out:
	code_list_release(&l);
	return rc;
}

/* What `list` collects: a JSON array, or lines printed as they come. */
struct lister {
	json_t *a; /* NULL when printing text */
	bool all;
	int n;
};

static int
list_one(void *arg, const struct procedure_row *p)
{
	struct lister *ls = arg;
	const char *field;
	int w;

	ls->n++;
	if (ls->a != NULL) {
		json_array_append_new(ls->a,
		    json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", p->code,
			"name", p->name, "field", p->field, "level", p->level,
			"assigned", p->assigned));
		return 0;
	}
	if (ls->all)
		printf("%s ", p->assigned ? "*" : " ");
	field = p->field[0] != '\0' ? p->field : "-";
	/* padded by characters: the fields are Vietnamese */
	w = 24 - (int)utf8_count(field, strlen(field));
	printf("%-10s %s%*s %s\n", p->code, field, w > 0 ? w : 0, "", p->name);
	return 0;
}

static int
procedure_list(struct db *db, const char *unit, int counter, bool all,
    const char *search, bool as_json)
{
	struct unit_info u;
	struct lister ls = { NULL, all, 0 };
	int64_t one;
	int rc;

	rc = units_get(db, unit, &u);
	if (rc == 1) {
		cli_error("procedure", "no unit '%s'", unit);
		return 1;
	}
	if (rc == 0 && counter > 0) {
		rc = db_int(db, &one,
		    "SELECT 1 FROM counters WHERE unit = ? AND number = ?",
		    "ti", unit, counter);
		if (rc == 1) {
			cli_error("procedure", "unit %s has no counter %d",
			    unit, counter);
			return 1;
		}
	}
	if (rc < 0)
		goto dberr;
	if (as_json)
		ls.a = json_array();
	else if (all)
		printf("  %-10s %-24s %s\n", "CODE", "FIELD", "NAME");
	else
		printf("%-10s %-24s %s\n", "CODE", "FIELD", "NAME");
	if (procedures_list(db, unit, counter, all, search, list_one, &ls) <
	    0) {
		json_decref(ls.a);
		goto dberr;
	}
	if (as_json) {
		json_t *doc =
		    json_pack("{s:s, s:o, s:o}", "unit", unit, "counter",
			counter > 0 ? json_integer(counter) : json_null(),
			"procedures", ls.a);
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s != NULL ? s : "{}");
		free(s);
		json_decref(doc);
	} else if (ls.n == 0 && !all) {
		fprintf(stderr,
		    "hailong procedure: none assigned to %s%s; then the form "
		    "offers %s\n",
		    unit, counter > 0 ? " at that counter" : "",
		    counter > 0 ? "the unit's" : "the whole catalogue");
	}
	return 0;
dberr:
	cli_error("procedure", "cannot read the procedures: %s", db_errmsg(db));
	return 1;
}

int
cmd_procedure(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *counter_s = NULL;
	const char *field = NULL, *file = NULL, *search = NULL;
	bool as_json = false, all = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "counter", &counter_s, NULL },
		{ "field", &field, NULL },
		{ "file", &file, NULL },
		{ "search", &search, NULL },
		{ "all", NULL, &all },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	const char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	char err[512], actor[64];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	struct db *db = NULL;
	int64_t counter = 0;
	int p, got = 0, rc = 2;
	const char *verb;

	p = cli_parse("procedure", usage, argc, argv, opts, pos, argc, &got);
	if (p != 0) {
		rc = p < 0 ? 2 : 0;
		goto out;
	}
	verb = got > 0 ? pos[0] : "";
	if (strcmp(verb, "import") != 0 && strcmp(verb, "assign") != 0 &&
	    strcmp(verb, "unassign") != 0 && strcmp(verb, "list") != 0) {
		cli_error("procedure",
		    "say import, assign, unassign or list; see 'hailong "
		    "procedure --help'");
		goto out;
	}
	if (path == NULL) {
		cli_error("procedure", "--db FILE is required");
		goto out;
	}
	if (strcmp(verb, "import") == 0) {
		if (got != 2) {
			cli_error("procedure",
			    "import takes one file: hailong procedure import "
			    "--db FILE CATALOGUE.csv");
			goto out;
		}
	} else {
		if (unit == NULL || !is_unit_code(unit, strlen(unit))) {
			cli_error("procedure",
			    "%s needs --unit CODE (a unit code, like H21.227)",
			    verb);
			goto out;
		}
		if (counter_s != NULL &&
		    parse_int64(
			counter_s, strlen(counter_s), 1, 999, &counter) < 0) {
			cli_error("procedure", "--counter must be 1-999");
			goto out;
		}
		if (strcmp(verb, "list") == 0 && got > 1) {
			cli_error(
			    "procedure", "unexpected argument '%s'", pos[1]);
			goto out;
		}
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong procedure: %s\n", err);
		rc = 1;
		goto out;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(verb, "import") == 0)
		rc = procedure_import(db, &ch, pos[1]);
	else if (strcmp(verb, "list") == 0)
		rc = procedure_list(
		    db, unit, (int)counter, all, search, as_json);
	else
		rc = procedure_assign(db, &ch, strcmp(verb, "assign") == 0,
		    unit, (int)counter, pos + 1, got - 1, field, file);
out:
	db_close(db);
	free(pos);
	return rc;
}
