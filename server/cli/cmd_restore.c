/* cmd_restore.c -- hailong restore: put a verified backup in place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "core/audit.h"
#include "core/backup.h"
#include "core/config.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong restore [--config FILE] [--db FILE] --from BACKUP\n"
    "\n"
    "Put BACKUP (a file made by 'hailong backup') in place of the\n"
    "database.  Stop the server first: a database in use is refused.\n"
    "BACKUP is copied beside the database, brought to this version's\n"
    "schema, and checked (integrity_check, the ratings and audit hash\n"
    "chains) before anything is touched; a backup that fails is refused\n"
    "and nothing changes.  The current database is kept as\n"
    "FILE.pre-restore-YYYYMMDD-HHMMSS (or FILE.damaged-... when it cannot\n"
    "be opened).  The restore is recorded in the audit log.\n";

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

int
cmd_restore(int argc, char **argv)
{
	const char *config = NULL, *dbpath = NULL, *from = NULL;
	const struct opt opts[] = {
		{ "config", &config, NULL },
		{ "db", &dbpath, NULL },
		{ "from", &from, NULL },
		{ NULL, NULL, NULL },
	};
	struct config cfg;
	struct backup_info info;
	struct db *db = NULL;
	char err[1024], kept[CONFIG_PATH_MAX + 64], actor[64];
	char name[128], name2[128];
	char *detail = NULL;
	json_t *j;
	char last[17] = "-";
	int p;

	p = cli_parse("restore", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (from == NULL) {
		cli_error("restore", "--from BACKUP is required");
		return 2;
	}
	if (cli_config("restore", config, dbpath, &cfg) < 0)
		return 2;
	umask(077);
	if (backup_restore(cfg.db, from, kept, sizeof(kept), &info, err,
		sizeof(err)) < 0) {
		cli_error("restore", "%s", err);
		log_msg(LOG_ERROR, "restore", "refused: %s", err);
		return 1;
	}
	/* the restored database says it was restored, in its own chain */
	db = store_open(cfg.db, 0, err, sizeof(err));
	cli_actor(actor, sizeof(actor));
	j = json_pack("{s:s, s:I, s:s}", "from", base(from), "ratings",
	    (json_int_t)info.ratings, "kept", base(kept));
	detail = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	if (db == NULL ||
	    audit_append(db, actor, "restore", cfg.db,
		detail != NULL ? detail : "{}") < 0)
		fprintf(stderr,
		    "hailong restore: warning: restored, but the audit log "
		    "entry could not be written\n");
	db_close(db);
	free(detail);
	json_decref(j);
	if (info.last_rating > 0)
		datetime_vn(info.last_rating, last);
	printf("restored: %s from %s\n", cfg.db, from);
	printf("schema %d, %lld ratings (newest received %s), %lld audit "
	       "entries; chains intact, head %s\n",
	    info.schema, (long long)info.ratings, last, (long long)info.audit,
	    info.head);
	if (kept[0] != '\0')
		printf("the database it replaced is kept as %s\n", kept);
	log_kv(LOG_INFO, "restore", "from=%s kept=%s ratings=%lld schema=%d",
	    backup_log_name(from, name, sizeof(name)),
	    kept[0] ? backup_log_name(kept, name2, sizeof(name2)) : "-",
	    (long long)info.ratings, info.schema);
	return 0;
}
