/* cmd_apikey.c -- hailong apikey add|list|scope|revoke: machines' keys. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/util.h"
#include "core/apikey.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong apikey add --db FILE --unit CODE [--label TEXT]\n"
    "                          [--scope LIST]\n"
    "       hailong apikey list --db FILE\n"
    "       hailong apikey scope --db FILE --scope LIST ID\n"
    "       hailong apikey revoke --db FILE ID\n"
    "\n"
    "API keys let machines (the one-stop system's dossier feed, other\n"
    "systems) call the APIs with 'Authorization: Bearer KEY'.  A key\n"
    "sees the unit CODE and every unit below it.  'add' prints the new\n"
    "key once, alone on the last line: only a hash of it is stored.\n"
    "--scope LIST says what the key may do, comma-separated: 'metrics'\n"
    "(read the figures), 'import' (send dossiers and ratings), 'reports'\n"
    "(submit signed reports), 'duty' (say who is on duty at a counter:\n"
    "a queue system, the one-stop software), 'links' (rating links for\n"
    "dossiers, the dossier a counter serves), or 'all' (the default).\n"
    "'scope' changes it for an existing key.  'revoke' takes effect at\n"
    "once.\n";

int
cmd_apikey(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *label = NULL, *scope = NULL;
	const char *pos[2];
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "label", &label, NULL },
		{ "scope", &scope, NULL },
		{ NULL, NULL, NULL },
	};
	char err[512], actor[64], key[APIKEY_LEN + 1];
	struct db *db = NULL;
	unsigned scopes = APIKEY_SCOPE_ALL;
	int64_t id = 0;
	int rc = 1, p, npos = 0;
	bool by_id;

	p = cli_parse("apikey", usage, argc, argv, opts, pos, 2, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (npos < 1 || path == NULL ||
	    (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "list") != 0 &&
		strcmp(pos[0], "scope") != 0 &&
		strcmp(pos[0], "revoke") != 0)) {
		cli_error("apikey",
		    "usage: hailong apikey add|list|scope|revoke --db FILE "
		    "...; see 'hailong apikey --help'");
		return 2;
	}
	by_id = strcmp(pos[0], "revoke") == 0 || strcmp(pos[0], "scope") == 0;
	if (by_id != (npos == 2) ||
	    (strcmp(pos[0], "add") == 0 && unit == NULL) ||
	    (strcmp(pos[0], "scope") == 0 && scope == NULL)) {
		cli_error("apikey",
		    strcmp(pos[0], "add") == 0 ? "add needs --unit CODE"
			: strcmp(pos[0], "scope") == 0 && npos == 2
			? "scope needs --scope LIST"
			: "revoke and scope need the key's ID (see 'hailong "
			  "apikey list'); list takes none");
		return 2;
	}
	if (scope != NULL && apikey_scopes_parse(scope, &scopes) < 0) {
		cli_error("apikey",
		    "--scope: '%s' is not a list of metrics, import, reports, "
		    "duty, links (or all)",
		    scope);
		return 2;
	}
	if (by_id &&
	    parse_int64(pos[1], strlen(pos[1]), 1, INT64_MAX, &id) < 0) {
		cli_error("apikey", "'%s' is not a key id", pos[1]);
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong apikey: %s\n", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(pos[0], "add") == 0) {
		if (apikey_add(db, unit, label, scopes, actor, key, &id, err,
			sizeof(err)) < 0) {
			fprintf(stderr, "hailong apikey: %s\n", err);
			goto out;
		}
		printf("API key %lld for %s%s%s: it is shown only now; store "
		       "it where the calling system keeps secrets:\n%s\n",
		    (long long)id, unit, label ? ", " : "", label ? label : "",
		    key);
		memset(key, 0, sizeof(key));
	} else if (strcmp(pos[0], "list") == 0) {
		if (apikey_list(db, stdout) < 0) {
			fprintf(stderr, "hailong apikey: %s\n", db_errmsg(db));
			goto out;
		}
	} else if (strcmp(pos[0], "scope") == 0) {
		char names[48];
		int r = apikey_set_scopes(db, id, scopes, actor);

		if (r != 0) {
			fprintf(stderr, "hailong apikey: %s\n",
			    r > 0 ? "no such key" : db_errmsg(db));
			goto out;
		}
		apikey_scopes_format(scopes, names, sizeof(names));
		printf("API key %lld may now: %s\n", (long long)id, names);
	} else {
		int r = apikey_revoke(db, id, actor);

		if (r != 0) {
			fprintf(stderr, "hailong apikey: %s\n",
			    r > 0 ? "no such key, or it is revoked already"
				  : db_errmsg(db));
			goto out;
		}
		printf("API key %lld revoked\n", (long long)id);
	}
	rc = 0;
out:
	db_close(db);
	return rc;
}
