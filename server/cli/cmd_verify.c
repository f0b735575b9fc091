/* cmd_verify.c -- hailong verify-chain: re-walk the hash chains. */
#include <stdio.h>

#include "hailong/db.h"
#include "hailong/encode.h"
#include "core/alerts.h"
#include "core/audit.h"
#include "core/ratings.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong verify-chain --db FILE\n"
    "\n"
    "Re-walk the ratings hash chain and the audit hash chain from the\n"
    "first row and report the first link that does not verify (a row\n"
    "edited, deleted or inserted behind hailong's back).  The ratings of\n"
    "months folded by 'hailong retention --fold-months' keep their links:\n"
    "the walk takes them as given and checks each fold against its\n"
    "record and audit entry.  Exits 0 when both are intact, 1 when one\n"
    "is broken.\n";

int
cmd_verify_chain(int argc, char **argv)
{
	const char *path = NULL;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ NULL, NULL, NULL },
	};
	struct chain_check cc;
	unsigned char head[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], err[512];
	int64_t count = 0, bad = 0, last;
	struct db *db;
	int rc = 0, p, r;

	p = cli_parse("verify-chain", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (path == NULL) {
		cli_error("verify-chain", "--db FILE is required");
		return 2;
	}
	db = store_open(path, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong verify-chain: %s\n", err);
		return 1;
	}
	r = ratings_verify_chain(db, &cc);
	if (r == 0) {
		ratings_chain_head(db, &last, head);
		hex_encode(head, sizeof(head), hex);
		printf(
		    "ratings: %lld rows, %lld folded, chain intact, head %s\n",
		    (long long)cc.rows, (long long)cc.folded, hex);
	} else if (r == 1) {
		printf("ratings: chain BROKEN at seq %lld (after %lld good "
		       "rows and %lld folded): %s; a row was edited, deleted "
		       "or inserted outside hailong\n",
		    (long long)cc.bad_seq, (long long)cc.rows,
		    (long long)cc.folded, cc.why);
		rc = 1;
	} else {
		printf("ratings: cannot read: %s\n", db_errmsg(db));
		rc = 1;
	}
	r = audit_verify(db, &count, &bad);
	if (r == 0) {
		printf("audit: %lld entries, chain intact\n", (long long)count);
	} else if (r == 1) {
		printf("audit: chain BROKEN at seq %lld (after %lld good "
		       "entries)\n",
		    (long long)bad, (long long)count);
		rc = 1;
	} else {
		printf("audit: cannot read: %s\n", db_errmsg(db));
		rc = 1;
	}
	db_close(db);
	if (rc != 0)
		alerts_check_failed_at(path, "chain",
		    "the ratings or audit hash chain does not verify "
		    "(hailong verify-chain)");
	return rc;
}
