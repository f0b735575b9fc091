/* cmd_duty.c -- hailong duty start|end|list: who is at which counter. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/duty.h"
#include "core/setup.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong duty start --db FILE --unit CODE --counter N --officer ID\n"
    "                          [--at TIME]\n"
    "       hailong duty end --db FILE --unit CODE --counter N [--at TIME]\n"
    "       hailong duty list --db FILE --unit CODE [--date DATE] [--json]\n"
    "\n"
    "The duty log says which officer sits at which counter, and from when.\n"
    "A rating given at a counter that names no officer counts for the\n"
    "officer on duty there when it was given; without one, for the officer\n"
    "its kiosk was registered with (kiosk add --officer), if any.  This is\n"
    "settled when the rating arrives: ratings already stored keep the\n"
    "officer they were given, so enter a shift before its ratings come.\n"
    "\n"
    "start puts officer ID (active, of unit CODE) at counter N: whoever\n"
    "was there goes off duty, and so does ID at any other counter, at the\n"
    "same instant.  end takes whoever is at counter N off duty.  TIME is\n"
    "RFC 3339 with an offset (2026-10-31T07:30:00+07:00), by default now;\n"
    "it may not be in the future, nor before the last change at that\n"
    "counter or of that officer.  Every change is in the audit log.\n"
    "\n"
    "list shows the log of unit CODE on DATE (dd/mm/yyyy or YYYY-MM-DD,\n"
    "a day in +07:00; by default today), newest first: each span that\n"
    "touches the day.  --json prints an array of {id, unit, counter,\n"
    "officer, started_at, ended_at (null while on duty), started_by,\n"
    "ended_by}.\n";

/* "dd/mm/yyyy" or "YYYY-MM-DD" into days since 1970-01-01.  0 or -1. */
static int
parse_day(const char *s, int64_t *days)
{
	int y, m, d, y2, m2, d2;
	char extra;

	if (strlen(s) != 10)
		return -1;
	for (int i = 0; i < 10; i++)
		if (s[i] != '/' && s[i] != '-' && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &extra) != 3 &&
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return -1;
	if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*days = days_from_civil(y, m, d);
	civil_from_days(*days, &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

static json_t *
time_or_null(int64_t t)
{
	char s[26];

	if (t == 0)
		return json_null();
	rfc3339_format(t, s);
	return json_string(s);
}

static int
add_json(void *arg, const struct duty_row *d)
{
	json_array_append_new(arg,
	    json_pack("{s:I, s:s, s:i, s:s, s:o, s:o, s:s, s:o}", "id",
		(json_int_t)d->id, "unit", d->unit, "counter", d->counter,
		"officer", d->officer, "started_at",
		time_or_null(d->started_at), "ended_at",
		time_or_null(d->ended_at), "started_by", d->started_by,
		"ended_by",
		d->ended_by[0] ? json_string(d->ended_by) : json_null()));
	return 0;
}

static int
print_row(void *arg, const struct duty_row *d)
{
	char s[26], e[26] = "on duty";

	(void)arg;
	rfc3339_format(d->started_at, s);
	if (d->ended_at != 0)
		rfc3339_format(d->ended_at, e);
	printf("%-7d %-12s %-25s %-25s %s\n", d->counter, d->officer, s, e,
	    d->started_by);
	return 0;
}

static int
duty_list_cmd(struct db *db, const char *unit, const char *date, bool json)
{
	int64_t days, from;
	json_t *a = NULL;
	int rc;

	if (date == NULL)
		days = (hl_now() + HL_TZ_OFFSET) / 86400;
	else if (parse_day(date, &days) < 0) {
		cli_error("duty",
		    "--date '%s' is not a date (dd/mm/yyyy or YYYY-MM-DD)",
		    date);
		return 2;
	}
	from = days * 86400 - HL_TZ_OFFSET;
	if (!store_has_unit(db, unit)) {
		cli_error("duty", "no unit '%s'", unit);
		return 1;
	}
	if (json) {
		a = json_array();
		rc = duty_list(db, unit, from, from + 86400, add_json, a);
	} else {
		printf("%-7s %-12s %-25s %-25s %s\n", "counter", "officer",
		    "from", "until", "by");
		rc = duty_list(db, unit, from, from + 86400, print_row, NULL);
	}
	if (rc < 0) {
		json_decref(a);
		cli_error("duty", "the database failed: %s", db_errmsg(db));
		return 1;
	}
	if (json) {
		char *s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		puts(s);
		free(s);
		json_decref(a);
	}
	return 0;
}

static int
duty_change_cmd(struct db *db, bool start, const char *unit, int counter,
    const char *officer, int64_t at)
{
	char err[512], actor[64], when[26];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	struct duty_row d;
	int rc;

	cli_actor(actor, sizeof(actor));
	if (!start && duty_open_at(db, unit, counter, &d) != 0)
		d.officer[0] = '\0';
	rc = start ? duty_start(db, &ch, unit, counter, officer, at)
		   : duty_end(db, &ch, unit, counter, at);
	if (rc != 0) {
		cli_error("duty", "%s", err);
		return 1;
	}
	if (!start) {
		rfc3339_format(at, when);
		printf("counter %d of %s: %s off duty at %s\n", counter, unit,
		    d.officer, when);
		return 0;
	}
	/* the same officer again changes nothing: say since when */
	if (duty_open_at(db, unit, counter, &d) != 0) {
		cli_error("duty", "the database failed: %s", db_errmsg(db));
		return 1;
	}
	rfc3339_format(d.started_at, when);
	printf("counter %d of %s: %s on duty since %s\n", counter, unit,
	    d.officer, when);
	return 0;
}

int
cmd_duty(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *counter_s = NULL;
	const char *officer = NULL, *at_s = NULL, *date = NULL;
	const char *pos[1];
	bool json = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "counter", &counter_s, NULL },
		{ "officer", &officer, NULL },
		{ "at", &at_s, NULL },
		{ "date", &date, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL },
	};
	char err[512];
	struct db *db = NULL;
	int64_t counter = 0, at;
	int rc, p, npos = 0;
	bool start, end, list;

	p = cli_parse("duty", usage, argc, argv, opts, pos, 1, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	start = npos == 1 && strcmp(pos[0], "start") == 0;
	end = npos == 1 && strcmp(pos[0], "end") == 0;
	list = npos == 1 && strcmp(pos[0], "list") == 0;
	if (!start && !end && !list) {
		cli_error("duty",
		    "usage: hailong duty start|end|list --db FILE ...; see "
		    "'hailong duty --help'");
		return 2;
	}
	if (path == NULL || unit == NULL) {
		cli_error("duty", "%s needs --db FILE and --unit CODE", pos[0]);
		return 2;
	}
	if (!is_unit_code(unit, strlen(unit))) {
		cli_error("duty",
		    "--unit '%s' is not a unit code (like H21.227)", unit);
		return 2;
	}
	if (list) {
		if (counter_s != NULL || officer != NULL || at_s != NULL) {
			cli_error("duty",
			    "list takes --date and --json, not --counter, "
			    "--officer or --at");
			return 2;
		}
	} else {
		if (counter_s == NULL || (start && officer == NULL)) {
			cli_error("duty", "%s needs --counter N%s", pos[0],
			    start ? " and --officer ID" : "");
			return 2;
		}
		if (date != NULL || json || (end && officer != NULL)) {
			cli_error("duty", "%s takes no --date or --json%s",
			    pos[0], end ? " or --officer" : "");
			return 2;
		}
		if (parse_int64(
			counter_s, strlen(counter_s), 1, 999, &counter) < 0) {
			cli_error("duty", "--counter must be 1-999");
			return 2;
		}
		if (start && !is_officer_id(officer, strlen(officer))) {
			cli_error("duty",
			    "--officer '%s' is not an officer id (1-32 "
			    "letters, digits, '.', '_' or '-')",
			    officer);
			return 2;
		}
		at = hl_now();
		if (at_s != NULL &&
		    rfc3339_parse(at_s, strlen(at_s), &at) < 0) {
			cli_error("duty",
			    "--at '%s' is not an RFC 3339 time with an offset "
			    "(2026-10-31T07:30:00+07:00)",
			    at_s);
			return 2;
		}
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		cli_error("duty", "%s", err);
		return 1;
	}
	if (list)
		rc = duty_list_cmd(db, unit, date, json);
	else
		rc =
		    duty_change_cmd(db, start, unit, (int)counter, officer, at);
	db_close(db);
	return rc;
}
