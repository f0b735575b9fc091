/* cmd_kiosk.c -- hailong kiosk add|revoke|list: the counter devices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/kiosksig.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/kiosks.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong kiosk add --db FILE --unit CODE --counter N\n"
    "                         [--officer ID] [--faces 3|5]\n"
    "       hailong kiosk revoke --db FILE ID\n"
    "       hailong kiosk list --db FILE [--unit CODE] [--json]\n"
    "\n"
    "add registers a kiosk for a counter and prints a one-time enrolment\n"
    "code, alone on the last line; it expires in 24 hours.  On the device:\n"
    "  hailong-kiosk enroll --server URL --code CODE --data DIR\n"
    "--faces 3 shows three faces (Rất hài lòng, Hài lòng, Không hài lòng).\n"
    "--officer is a default: a rating counts for the officer on duty at\n"
    "the counter when it was given ('hailong duty'), and for ID only when\n"
    "the duty log has nobody there.\n"
    "\n"
    "revoke refuses every later request of the kiosk (403), at once; the\n"
    "ratings it already delivered stay.\n"
    "\n"
    "list shows every kiosk (of --unit and the units below it): state,\n"
    "whether it was heard from in the last 10 minutes, its version, the\n"
    "ratings waiting in its outbox and the oldest of them, and the\n"
    "conflicts or rejections it keeps.  --json prints what GET\n"
    "/api/v1/kiosks answers.\n";

static int
kiosk_add(struct db *db, const char *unit, const char *counter,
    const char *officer, const char *faces)
{
	char id[WIRE_KIOSK_ID_LEN + 1], code[WIRE_CODE_LEN + 1], err[512];
	char actor[64], until[17];
	int64_t n, f = 5, now = hl_now();
	json_t *detail;
	char *dtext;
	int rc = 1;

	if (unit == NULL || counter == NULL) {
		cli_error("kiosk", "add needs --unit CODE and --counter N");
		return 2;
	}
	if (!is_unit_code(unit, strlen(unit))) {
		cli_error("kiosk",
		    "--unit '%s' is not a unit code (like H21.227)", unit);
		return 2;
	}
	if (parse_int64(counter, strlen(counter), 1, 999, &n) < 0) {
		cli_error("kiosk", "--counter must be 1-999");
		return 2;
	}
	if (officer != NULL && !is_officer_id(officer, strlen(officer))) {
		cli_error(
		    "kiosk", "--officer '%s' is not an officer id", officer);
		return 2;
	}
	if (faces != NULL &&
	    (parse_int64(faces, strlen(faces), 3, 5, &f) < 0 || f == 4)) {
		cli_error("kiosk", "--faces must be 3 or 5");
		return 2;
	}
	if (db_begin(db) < 0)
		goto dberr;
	if (kiosks_add(db, unit, (int)n, officer, (int)f, now, id, code, err,
		sizeof(err)) < 0) {
		db_rollback(db);
		cli_error("kiosk", "%s", err);
		return 1;
	}
	detail = json_pack("{s:s, s:I, s:s?, s:I}", "unit", unit, "counter",
	    (json_int_t)n, "officer", officer, "faces", (json_int_t)f);
	dtext = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	cli_actor(actor, sizeof(actor));
	rc = audit_append(db, actor, "kiosk.add", id, dtext ? dtext : "");
	free(dtext);
	if (rc < 0 || db_commit(db) < 0)
		goto dberr;
	datetime_vn(now + WIRE_CODE_TTL, until);
	printf("kiosk %s registered for %s counter %lld%s%s, %lld faces\n", id,
	    unit, (long long)n, officer ? ", officer " : "",
	    officer ? officer : "", (long long)f);
	printf("enrol it before %s (24 hours) on the device with:\n"
	       "  hailong-kiosk enroll --server URL --code CODE --data DIR\n"
	       "the code (shown once):\n",
	    until);
	printf("%s\n", code);
	return 0;
dberr:
	cli_error("kiosk", "cannot store the kiosk: %s", db_errmsg(db));
	db_rollback(db);
	return 1;
}

static int
kiosk_revoke(struct db *db, const char *id)
{
	char actor[64];
	int r;

	if (id == NULL || !kiosk_id_is_valid(id, strlen(id))) {
		cli_error("kiosk",
		    "revoke needs the kiosk's id (like k0123456789; see "
		    "'hailong kiosk list')");
		return 2;
	}
	cli_actor(actor, sizeof(actor));
	if (db_begin(db) < 0)
		goto dberr;
	r = kiosks_revoke(db, id, hl_now());
	if (r < 0)
		goto dberr;
	if (r == 1) {
		db_rollback(db);
		cli_error(
		    "kiosk", "no kiosk '%s', or it was revoked already", id);
		return 1;
	}
	if (audit_append(db, actor, "kiosk.revoke", id, "") < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	printf("kiosk %s revoked: its requests are refused from now on\n", id);
	return 0;
dberr:
	cli_error("kiosk", "cannot revoke: %s", db_errmsg(db));
	db_rollback(db);
	return 1;
}

static const char *
text_or_dash(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "-";
}

/* An RFC 3339 value of the list as dd/mm/yyyy HH:MM, or "-". */
static const char *
when(const json_t *v, char out[17])
{
	int64_t t;

	if (!json_is_string(v) ||
	    rfc3339_parse(json_string_value(v), json_string_length(v), &t) < 0)
		return "-";
	datetime_vn(t, out);
	return out;
}

static int
kiosk_list(struct db *db, const char *unit, bool as_json)
{
	json_t *a = kiosks_list_json(db, unit, hl_now()), *k;
	size_t i;

	if (a == NULL) {
		cli_error("kiosk", "cannot read the kiosks: %s", db_errmsg(db));
		return 1;
	}
	if (as_json) {
		json_t *doc = json_pack("{s:o}", "kiosks", a);
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s != NULL ? s : "{}");
		free(s);
		json_decref(doc);
		return 0;
	}
	printf("%-11s  %-10s %4s  %-8s %-8s %-7s  %-16s  %-8s %7s  %-16s  %s\n",
	    "ID", "UNIT", "CTR", "OFFICER", "STATE", "ONLINE", "LAST SEEN",
	    "VERSION", "BACKLOG", "OLDEST UNSENT", "PROBLEMS");
	json_array_foreach(a, i, k)
	{
		char seen[17], oldest[17], backlog[24], problems[24];
		const json_t *v;

		v = json_object_get(k, "backlog");
		snprintf(backlog, sizeof(backlog), "-");
		if (json_is_integer(v))
			snprintf(backlog, sizeof(backlog), "%lld",
			    (long long)json_integer_value(v));
		v = json_object_get(k, "problems");
		snprintf(problems, sizeof(problems), "-");
		if (json_is_integer(v))
			snprintf(problems, sizeof(problems), "%lld",
			    (long long)json_integer_value(v));
		printf("%-11s  %-10s %4lld  %-8s %-8s %-7s  %-16s  %-8s %7s  "
		       "%-16s  %s\n",
		    text_or_dash(json_object_get(k, "id")),
		    text_or_dash(json_object_get(k, "unit")),
		    (long long)json_integer_value(
			json_object_get(k, "counter")),
		    text_or_dash(json_object_get(k, "officer")),
		    text_or_dash(json_object_get(k, "state")),
		    json_is_true(json_object_get(k, "online")) ? "online"
							       : "offline",
		    when(json_object_get(k, "last_seen"), seen),
		    text_or_dash(json_object_get(k, "version")), backlog,
		    when(json_object_get(k, "oldest_unsent"), oldest),
		    problems);
	}
	json_decref(a);
	return 0;
}

int
cmd_kiosk(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *counter = NULL;
	const char *officer = NULL, *faces = NULL, *pos[2] = { NULL, NULL };
	bool as_json = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "counter", &counter, NULL },
		{ "officer", &officer, NULL },
		{ "faces", &faces, NULL },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	char err[512];
	struct db *db;
	int p, got = 0, rc;

	p = cli_parse("kiosk", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (got == 0 ||
	    (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "revoke") != 0 &&
		strcmp(pos[0], "list") != 0)) {
		cli_error("kiosk",
		    "say add, revoke or list; see 'hailong kiosk "
		    "--help'");
		return 2;
	}
	if (path == NULL) {
		cli_error("kiosk", "--db FILE is required");
		return 2;
	}
	if (got > 1 && strcmp(pos[0], "revoke") != 0) {
		cli_error("kiosk", "unexpected argument '%s'", pos[1]);
		return 2;
	}
	if (unit != NULL && strcmp(pos[0], "list") == 0 &&
	    !is_unit_code(unit, strlen(unit))) {
		cli_error("kiosk", "--unit '%s' is not a unit code", unit);
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong kiosk: %s\n", err);
		return 1;
	}
	if (strcmp(pos[0], "add") == 0)
		rc = kiosk_add(db, unit, counter, officer, faces);
	else if (strcmp(pos[0], "revoke") == 0)
		rc = kiosk_revoke(db, pos[1]);
	else
		rc = kiosk_list(db, unit, as_json);
	db_close(db);
	return rc;
}
