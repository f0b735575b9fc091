/* cmd_init.c -- hailong init: create or migrate a database, the demo. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/audit.h"
#include "core/instrument.h"
#include "core/refdata.h"
#include "core/store.h"
#include "core/users.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong init --db FILE [--demo] [--base-url URL]\n"
    "\n"
    "Create the database FILE (or bring an older one to this version's\n"
    "schema), with a key for QR tokens, the default rating instrument and\n"
    "the reference data (units and procedures).  --demo also adds counters\n"
    "1-3 and four officers for H21.227 (UBND xã Vân Canh) and an admin\n"
    "account, whose login is printed.  --base-url sets the address QR\n"
    "codes point to (e.g. https://haiLong.example.gov.vn).\n";

/* "cli:<login name>" for the audit log. */
void
cli_actor(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, size, "cli:%s", pw != NULL ? pw->pw_name : "?");
}

static int
demo_admin(struct db *db)
{
	char password[17], err[256];
	int64_t one;

	if (db_int(db, &one, "SELECT 1 FROM users WHERE username = 'admin'",
		"") == 0) {
		printf("admin login: admin (password set when the demo was "
		       "made)\n");
		return 0;
	}
	users_random_password(password, 16);
	if (users_add(db, "admin", DEMO_UNIT, ROLE_ADMIN,
		"Quản trị viên (demo)", password, false, err,
		sizeof(err)) < 0) {
		cli_error("init", "%s", err);
		return -1;
	}
	printf("admin login: admin / %s\n", password);
	return 0;
}

int
cmd_init(int argc, char **argv)
{
	const char *path = NULL, *base_url = NULL;
	bool demo = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "base-url", &base_url, NULL },
		{ "demo", NULL, &demo },
		{ NULL, NULL, NULL },
	};
	struct db *db = NULL;
	char err[512], actor[64];
	int64_t units = 0, procs = 0;
	int rc = 1, p;

	p = cli_parse("init", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (path == NULL) {
		cli_error("init", "--db FILE is required");
		return 2;
	}
	if (base_url != NULL && strncmp(base_url, "http://", 7) != 0 &&
	    strncmp(base_url, "https://", 8) != 0) {
		cli_error("init",
		    "--base-url must start with http:// or "
		    "https://");
		return 2;
	}
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong: %s\n", err);
		return 1;
	}
	if (store_current_kid(db) < 0 && store_new_token_key(db) < 0)
		goto dberr;
	if (instrument_install_default(db, err, sizeof(err)) < 0)
		goto fail;
	if (db_int(db, &units, "SELECT count(*) FROM units", "") != 0)
		goto dberr;
	if (units == 0 && refdata_load_builtin(db, err, sizeof(err)) < 0)
		goto fail;
	if (db_run(db,
		"INSERT OR IGNORE INTO meta(key, value) VALUES "
		"('created_at', strftime('%s', 'now'))",
		"") < 0)
		goto dberr;
	if (base_url != NULL && store_meta_set(db, "base_url", base_url) < 0)
		goto dberr;
	cli_actor(actor, sizeof(actor));
	snprintf(err, sizeof(err), "{\"schema\":%d,\"demo\":%s}",
	    store_schema_version(), demo ? "true" : "false");
	if (audit_append(db, actor, "init", path, err) < 0)
		goto dberr;
	if (demo && refdata_load_demo(db, err, sizeof(err)) < 0)
		goto fail;
	db_int(db, &units, "SELECT count(*) FROM units", "");
	db_int(db, &procs, "SELECT count(*) FROM procedures", "");
	printf("database: %s (schema %d)\n", path, store_schema_version());
	printf("units: %lld, procedures: %lld\n", (long long)units,
	    (long long)procs);
	if (demo) {
		printf("demo: %s UBND xã Vân Canh, counters 1-3, officers "
		       "VC01-VC04\n",
		    DEMO_UNIT);
		if (demo_admin(db) < 0)
			goto out;
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, sizeof(err), "%s", db_errmsg(db));
fail:
	fprintf(stderr, "hailong init: %s\n", err);
out:
	db_close(db);
	return rc;
}
