/* cmd_user.c -- hailong user: staff accounts from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/sessions.h"
#include "core/store.h"
#include "core/users.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong user add --db FILE --unit CODE --role ROLE --name NAME\n"
    "                        [--full-name TEXT] [--password-stdin]\n"
    "       hailong user list --db FILE\n"
    "       hailong user passwd --db FILE --name NAME [--password-stdin]\n"
    "       hailong user disable --db FILE (--name NAME | NAME)\n"
    "       hailong user enable --db FILE (--name NAME | NAME)\n"
    "\n"
    "ROLE is admin, manager, reporter or viewer.  NAME is the login name\n"
    "(3-32 of a-z, 0-9, '.', '_', '-'); --full-name is shown in the\n"
    "console.  A user sees the unit CODE and its subordinate units only.\n"
    "Without --password-stdin a one-time password is printed, which must\n"
    "be changed at the first login.  passwd sets a new password (ending\n"
    "every session of the user); disable locks the account and ends its\n"
    "sessions; enable unlocks it again, with the password it had (and\n"
    "clears its failed logins).  Every change is in the audit log.\n"
    "\n"
    "Exit status: 0 done (or nothing to do: the account was in that state\n"
    "already), 1 no such user or the database failed, 2 a usage error.\n";

/* One line from stdin, without its newline.  New, or NULL. */
static char *
read_password(void)
{
	char line[PASSWORD_MAX + 4];
	size_t n;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return NULL;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return xstrdup(line);
}

static int
user_add(struct db *db, const char *unit, const char *rolename,
    const char *name, const char *full, bool from_stdin)
{
	char err[256], actor[64], detail[128], otp[17];
	char *password = NULL;
	enum role role;
	int rc = 1;

	if (unit == NULL || rolename == NULL || name == NULL) {
		cli_error("user", "add needs --unit, --role and --name");
		return 2;
	}
	if (role_parse(rolename, &role) < 0) {
		cli_error("user",
		    "--role must be admin, manager, reporter or "
		    "viewer");
		return 2;
	}
	if (from_stdin) {
		password = read_password();
		if (password == NULL) {
			cli_error("user", "no password on standard input");
			return 2;
		}
	} else {
		users_random_password(otp, 16);
		password = xstrdup(otp);
	}
	if (users_add(db, name, unit, role, full != NULL ? full : name,
		password, !from_stdin, err, sizeof(err)) < 0) {
		cli_error("user", "%s", err);
		goto out;
	}
	cli_actor(actor, sizeof(actor));
	snprintf(detail, sizeof(detail), "{\"unit\":\"%s\",\"role\":\"%s\"}",
	    unit, role_name(role));
	audit_append(db, actor, "user.add", name, detail);
	printf("user %s added: %s of %s\n", name, role_name(role), unit);
	if (!from_stdin)
		printf("one-time password (change it at the first login): %s\n",
		    otp);
	rc = 0;
out:
	free(password);
	return rc;
}

static int
user_list(struct db *db)
{
	struct db_stmt *st = db_query(db,
	    "SELECT username, unit, role, name, "
	    "active, must_change FROM users ORDER BY unit, username",
	    "");

	printf("%-20s %-12s %-9s %-7s %s\n", "username", "unit", "role",
	    "state", "name");
	while (st != NULL && db_step(st) == DB_ROW)
		printf("%-20s %-12s %-9s %-7s %s\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2),
		    !db_col_int(st, 4)      ? "off"
			: db_col_int(st, 5) ? "new"
					    : "active",
		    db_col_text(st, 3));
	db_done(st);
	return 0;
}

/* disable or enable: core users_disable()/users_enable(), audited. */
static int
user_active(struct db *db, const char *verb, const char *name)
{
	bool enable = strcmp(verb, "enable") == 0;
	char actor[64];
	int rc;

	if (name == NULL) {
		cli_error("user", "%s needs a user name (--name NAME)", verb);
		return 2;
	}
	cli_actor(actor, sizeof(actor));
	rc = enable ? users_enable(db, name, actor)
		    : users_disable(db, name, actor);
	if (rc == 2) {
		cli_error("user", "no user '%s'", name);
		return 1;
	}
	if (rc < 0) {
		cli_error("user", "%s", db_errmsg(db));
		return 1;
	}
	if (rc == 1)
		printf("user %s is %s already; nothing changed\n", name,
		    enable ? "enabled" : "disabled");
	else if (enable)
		printf("user %s enabled; it may log in again with its "
		       "password\n",
		    name);
	else
		printf("user %s disabled; its sessions ended\n", name);
	return 0;
}

static int
user_change(struct db *db, const char *verb, const char *name, bool from_stdin)
{
	char actor[64], otp[17], *password = NULL, *hash = NULL;
	const char *why;
	int64_t id;
	int rc = 1;

	if (name == NULL) {
		cli_error("user", "%s needs --name", verb);
		return 2;
	}
	if (db_int(db, &id, "SELECT id FROM users WHERE username = ?", "t",
		name) != 0) {
		cli_error("user", "no user '%s'", name);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (from_stdin) {
		password = read_password();
	} else {
		users_random_password(otp, 16);
		password = xstrdup(otp);
	}
	why = password != NULL ? password_problem(name, password)
			       : "no password on standard input";
	if (why != NULL) {
		cli_error("user", "%s", why);
		goto out;
	}
	hash = password_hash(password);
	if (hash == NULL ||
	    db_run(db,
		"UPDATE users SET password = ?, "
		"must_change = ?, failed_logins = 0, locked_until = 0 WHERE id "
		"= ?",
		"til", hash, from_stdin ? 0 : 1, id) < 0 ||
	    session_destroy_user(db, id) < 0)
		goto dberr;
	audit_append(db, actor, "user.passwd", name, "");
	printf("password of %s set; its sessions ended\n", name);
	if (!from_stdin)
		printf("one-time password (change it at the first login): %s\n",
		    otp);
	rc = 0;
	goto out;
dberr:
	cli_error("user", "%s", db_errmsg(db));
out:
	free(hash);
	free(password);
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *role = NULL, *name = NULL;
	const char *full = NULL, *verb = NULL;
	bool from_stdin = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "role", &role, NULL },
		{ "name", &name, NULL },
		{ "full-name", &full, NULL },
		{ "password-stdin", NULL, &from_stdin },
		{ NULL, NULL, NULL },
	};
	const char *pos[2] = { NULL, NULL };
	char err[512];
	struct db *db;
	int p, got, rc;

	p = cli_parse("user", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	verb = pos[0];
	if (got == 0 || path == NULL) {
		cli_error("user",
		    "give add, list, passwd, disable or enable, and --db "
		    "FILE");
		return 2;
	}
	/* "user enable NAME": the name may also come without --name */
	if (got == 2) {
		if (strcmp(verb, "disable") != 0 &&
		    strcmp(verb, "enable") != 0) {
			cli_error("user", "unexpected argument '%s'", pos[1]);
			return 2;
		}
		if (name != NULL && strcmp(name, pos[1]) != 0) {
			cli_error(
			    "user", "two names: '%s' and '%s'", name, pos[1]);
			return 2;
		}
		name = pos[1];
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong user: %s\n", err);
		return 1;
	}
	if (strcmp(verb, "add") == 0)
		rc = user_add(db, unit, role, name, full, from_stdin);
	else if (strcmp(verb, "list") == 0)
		rc = user_list(db);
	else if (strcmp(verb, "passwd") == 0)
		rc = user_change(db, verb, name, from_stdin);
	else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)
		rc = user_active(db, verb, name);
	else {
		cli_error("user", "unknown action '%s'", verb);
		rc = 2;
	}
	db_close(db);
	return rc;
}
