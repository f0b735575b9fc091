/* cmd_apikey.c -- hailong apikey add|list|revoke: machines' keys. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/util.h"
#include "apikey.h"
#include "cli.h"
#include "store.h"

static const char usage[] =
    "usage: hailong apikey add --db FILE --unit CODE [--label TEXT]\n"
    "       hailong apikey list --db FILE\n"
    "       hailong apikey revoke --db FILE ID\n"
    "\n"
    "API keys let machines (the one-stop system's dossier feed, other\n"
    "systems) call the APIs with 'Authorization: Bearer KEY'.  A key\n"
    "sees the unit CODE and every unit below it.  'add' prints the new\n"
    "key once, alone on the last line: only a hash of it is stored.\n"
    "'revoke' takes effect at once.\n";

int
cmd_apikey(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *label = NULL, *pos[2];
	const struct cli_opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "label", &label, NULL },
		{ NULL, NULL, NULL },
	};
	char err[512], actor[64], key[APIKEY_LEN + 1];
	struct db *db = NULL;
	int64_t id = 0;
	int rc = 1, p, npos = 0;

	p = cli_parse("apikey", usage, argc, argv, opts, pos, 2, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (npos < 1 || path == NULL ||
	    (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "list") != 0 &&
		strcmp(pos[0], "revoke") != 0)) {
		cli_error("apikey",
		    "usage: hailong apikey add|list|revoke --db FILE ...; "
		    "see 'hailong apikey --help'");
		return 2;
	}
	if ((strcmp(pos[0], "revoke") == 0) != (npos == 2) ||
	    (strcmp(pos[0], "add") == 0 && unit == NULL)) {
		cli_error("apikey",
		    strcmp(pos[0], "add") == 0
			? "add needs --unit CODE"
			: "revoke needs the key's ID (see 'hailong apikey "
			  "list'); list takes none");
		return 2;
	}
	if (strcmp(pos[0], "revoke") == 0 &&
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
		if (apikey_add(db, unit, label, actor, key, &id, err,
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
