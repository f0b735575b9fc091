/* cmd_instrument.c -- hailong instrument show|list|add: the questionnaire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "core/instrument.h"
#include "core/setup.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong instrument show --db FILE [--month YYYY-MM] [--json]\n"
    "       hailong instrument list --db FILE [--json]\n"
    "       hailong instrument add --db FILE --effective YYYY-MM "
    "FILE.json\n"
    "\n"
    "The rating instrument is what the citizen reads: the question, the\n"
    "words of the five levels, the nine criteria and their options, the\n"
    "reasons a low rating may tick and the callback consent text.  It is\n"
    "kept in versions, each in force from a month (ICT): a rating is read\n"
    "with the version in force when it was given, so old ratings keep\n"
    "theirs.  Version 1 is schemas/instrument.default.json.\n"
    "\n"
    "show prints the version in force now (or for --month); --json prints\n"
    "its body alone on standard output, the file 'add' takes: edit it and\n"
    "add it back.  list shows every version.\n"
    "\n"
    "add stores FILE.json as the next version, in force from the first\n"
    "day of --effective (this month or later).  It is refused when it does\n"
    "not follow schemas/instrument.schema.json (the message says where),\n"
    "and when it drops a reason code that a rating given since that month\n"
    "already names.  The running server picks it up within a second.\n"
    "Every change is in the audit log (instrument.add).  Exit status: 0\n"
    "done, 1 refused or failed, 2 usage.\n";

/* "YYYY-MM", or "always" for the first version (effective from 0). */
static const char *
from_month(int64_t from, char out[8])
{
	if (from <= 0)
		return "always";
	month_format(month_of(from), out);
	return out;
}

static void
print_text(const char *label, const struct itext *t)
{
	printf("%-10s %s\n", label, itext(t, LANG_VI));
	if (t->t[LANG_EN] != NULL)
		printf("%-10s %s\n", "", itext(t, LANG_EN));
}

static void
print_instrument(const struct instrument *in)
{
	char label[32];

	print_text("name", &in->name);
	print_text("question", &in->question);
	for (int lv = 5; lv >= 1; lv--) {
		snprintf(label, sizeof(label), "level %d", lv);
		print_text(label, &in->level[lv]);
	}
	printf("%-10s %d, %d, %d\n", "3 faces", in->three_faces[0],
	    in->three_faces[1], in->three_faces[2]);
	for (int i = 0; i < RATING_CRITERIA; i++) {
		const struct instrument_criterion *c = &in->criteria[i];

		snprintf(label, sizeof(label), "c%d", i + 1);
		print_text(label, &c->label);
		for (int k = 0; k < c->nopts; k++)
			printf("%-10s   %d: %s\n", "", c->opt[k].points,
			    itext(&c->opt[k].label, LANG_VI));
	}
	for (int i = 0; i < in->nreasons; i++) {
		snprintf(label, sizeof(label), "reason");
		printf("%-10s %-12s %s\n", label, in->reason[i].code,
		    itext(&in->reason[i].label, LANG_VI));
	}
	printf("%-10s version %d, %s, kept %d days\n", "consent",
	    in->consent_version, in->consent_purpose,
	    in->consent_retention_days);
	print_text("", &in->consent);
}

static int
instrument_show(struct db *db, const char *month_s, bool as_json)
{
	struct instrument_version v;
	struct instrument *in;
	int64_t t = hl_now();
	char err[512], m[8], created[11];
	int month, rc;

	if (month_s != NULL) {
		if (month_parse(month_s, strlen(month_s), &month) < 0) {
			cli_error("instrument",
			    "--month must be YYYY-MM, not '%s'", month_s);
			return 2;
		}
		t = month_start(month);
	}
	rc = instrument_version_at(db, t, &v);
	if (rc != 0) {
		cli_error("instrument",
		    rc < 0 ? "cannot read the instruments: %s"
			   : "no instrument in force then; run 'hailong init'",
		    db_errmsg(db));
		return 1;
	}
	in = instrument_parse(v.body, strlen(v.body), err, sizeof(err));
	if (in == NULL) {
		cli_error("instrument", "version %d is unreadable: %s",
		    v.version, err);
		free(v.body);
		return 1;
	}
	if (as_json) {
		/* the body alone on stdout: the input of 'add' */
		fprintf(stderr, "instrument version %d, in force from %s\n",
		    v.version, from_month(v.effective_from, m));
		fputs(v.body, stdout);
		if (v.body[0] != '\0' && v.body[strlen(v.body) - 1] != '\n')
			putchar('\n');
	} else {
		date_vn(v.created_at, created);
		printf("%-10s %d, in force from %s, added %s by %s\n",
		    "version", v.version, from_month(v.effective_from, m),
		    v.created_at > 0 ? created : "at init",
		    v.created_by[0] ? v.created_by : "init");
		print_instrument(in);
	}
	instrument_free(in);
	free(v.body);
	return 0;
}

static int
instrument_list(struct db *db, bool as_json)
{
	struct db_stmt *st = db_query(db,
	    "SELECT version, effective_from, created_at, created_by, body "
	    "FROM instruments ORDER BY version",
	    "");
	json_t *a = json_array();
	int64_t now = hl_now();
	struct instrument_version cur;
	int current = 0, rc = -1;

	if (instrument_version_at(db, now, &cur) == 0) {
		current = cur.version;
		free(cur.body);
	}
	if (!as_json)
		printf("%-8s %-7s %-8s %-11s %-20s %s\n", "VERSION", "FROM",
		    "NOW", "ADDED", "BY", "NAME");
	while (st != NULL && (rc = db_step(st)) == DB_ROW) {
		const char *body = db_col_text(st, 4);
		json_t *doc = json_loadb(body, strlen(body), 0, NULL);
		const char *name = json_string_value(
		    json_object_get(json_object_get(doc, "name"), "vi"));
		int version = (int)db_col_int(st, 0);
		int64_t from = db_col_int(st, 1), created = db_col_int(st, 2);
		char m[8], c[11], when[26];

		if (as_json) {
			rfc3339_format(created, when);
			json_array_append_new(a,
			    json_pack("{s:i, s:s?, s:s?, s:s, s:s, s:b}",
				"version", version, "effective",
				from > 0 ? from_month(from, m) : NULL,
				"created_at", created > 0 ? when : NULL,
				"created_by", db_col_text(st, 3), "name",
				name != NULL ? name : "", "in_force",
				version == current));
		} else {
			date_vn(created, c);
			printf("%-8d %-7s %-8s %-11s %-20s %s\n", version,
			    from_month(from, m),
			    version == current ? "in force"
				: from > now   ? "later"
					       : "-",
			    created > 0 ? c : "init",
			    db_col_text(st, 3)[0] ? db_col_text(st, 3) : "init",
			    name != NULL ? name : "");
		}
		json_decref(doc);
	}
	db_done(st);
	if (st == NULL || rc < 0) {
		json_decref(a);
		cli_error("instrument", "cannot read the versions: %s",
		    db_errmsg(db));
		return 1;
	}
	if (as_json) {
		json_t *doc = json_pack("{s:o}", "versions", a);
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s != NULL ? s : "{}");
		free(s);
		json_decref(doc);
	} else {
		json_decref(a);
	}
	return 0;
}

static int
instrument_add_file(struct db *db, const char *eff_s, const char *path)
{
	char err[512], actor[64], *body;
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	size_t len;
	int month, version, rc;

	if (month_parse(eff_s, strlen(eff_s), &month) < 0) {
		cli_error("instrument", "--effective must be YYYY-MM, not '%s'",
		    eff_s);
		return 2;
	}
	body = file_read(path, 1u << 20, &len, err, sizeof(err));
	if (body == NULL) {
		cli_error("instrument", "%s", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	rc = instrument_add(db, &ch, month, body, len, &version);
	free(body);
	if (rc != 0) {
		cli_error("instrument", "%s: %s", path, err);
		return 1;
	}
	printf("instrument version %d in force from %s\n", version, eff_s);
	return 0;
}

int
cmd_instrument(int argc, char **argv)
{
	const char *path = NULL, *month_s = NULL, *eff_s = NULL, *pos[3];
	bool as_json = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "month", &month_s, NULL },
		{ "effective", &eff_s, NULL },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	char err[512];
	struct db *db;
	int p, got = 0, rc;
	const char *verb;

	p = cli_parse("instrument", usage, argc, argv, opts, pos, 3, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	verb = got > 0 ? pos[0] : "";
	if (strcmp(verb, "show") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "add") != 0) {
		cli_error("instrument",
		    "say show, list or add; see 'hailong instrument --help'");
		return 2;
	}
	if (path == NULL) {
		cli_error("instrument", "--db FILE is required");
		return 2;
	}
	if (strcmp(verb, "add") == 0 && (eff_s == NULL || got != 2)) {
		cli_error("instrument",
		    "add needs --effective YYYY-MM and one FILE.json");
		return 2;
	}
	if (strcmp(verb, "add") != 0 && got != 1) {
		cli_error("instrument", "unexpected argument '%s'", pos[1]);
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong instrument: %s\n", err);
		return 1;
	}
	if (strcmp(verb, "show") == 0)
		rc = instrument_show(db, month_s, as_json);
	else if (strcmp(verb, "list") == 0)
		rc = instrument_list(db, as_json);
	else
		rc = instrument_add_file(db, eff_s, pos[1]);
	db_close(db);
	return rc;
}
