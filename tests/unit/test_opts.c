/* test_opts.c -- the subcommand flag parser both programs share. */
#include <stdarg.h>

#include "hailong/opts.h"
#include "test.h"

static const char *db, *unit;
static bool force;

static const struct opt table[] = {
	{ "db", &db, NULL },
	{ "unit", &unit, NULL },
	{ "force", NULL, &force },
	{ NULL, NULL, NULL },
};

/* argv of n strings, copied (argv is not const); valid until the next call */
static char **
args(int n, ...)
{
	static char pool[256], *v[8];
	size_t used = 0;
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n && i < 8; i++) {
		const char *a = va_arg(ap, const char *);
		size_t len = strlen(a) + 1;

		if (used + len > sizeof(pool))
			abort();
		memcpy(pool + used, a, len);
		v[i] = pool + used;
		used += len;
	}
	va_end(ap);
	return v;
}

static int
parse(const struct opts_cmd *c, int argc, char **argv, const char **pos,
    int npos, int *got)
{
	db = unit = NULL;
	force = false;
	return opts_parse(c, argc, argv, table, pos, npos, got);
}

static void
flags(void)
{
	const struct opts_cmd c = { "hailong", "qr", "usage\n", 0 };

	CHECK_INT(
	    parse(&c, 5,
		args(5, "qr", "--db", "a.db", "--unit=H21.227", "--force"),
		NULL, 0, NULL),
	    0);
	CHECK_STR(db, "a.db");
	CHECK_STR(unit, "H21.227");
	CHECK(force);
	CHECK_INT(parse(&c, 2, args(2, "qr", "--db"), NULL, 0, NULL), -1);
	CHECK_INT(
	    parse(&c, 2, args(2, "qr", "--force=yes"), NULL, 0, NULL), -1);
	CHECK_INT(parse(&c, 3, args(3, "qr", "--dbx", "a"), NULL, 0, NULL), -1);
	CHECK_INT(parse(&c, 2, args(2, "qr", "--d=a"), NULL, 0, NULL), -1);
}

static void
arguments(void)
{
	const struct opts_cmd c = { "hailong", "user", "usage\n", 0 };
	const struct opts_cmd k = { "hailong-kiosk", "run", "usage\n",
		OPTS_HINT_ALWAYS | OPTS_DASHDASH_IS_OPTION };
	const char *pos[1] = { NULL };
	int got = -1;

	CHECK_INT(
	    parse(&c, 4, args(4, "user", "add", "--db", "a.db"), pos, 1, &got),
	    0);
	CHECK_INT(got, 1);
	CHECK_STR(pos[0], "add");
	CHECK_STR(db, "a.db");
	CHECK_INT(
	    parse(&c, 3, args(3, "user", "add", "del"), pos, 1, &got), -1);
	/* a bare "--" is an argument to hailong, an option to the kiosk */
	CHECK_INT(parse(&c, 2, args(2, "user", "--"), pos, 1, &got), 0);
	CHECK_STR(pos[0], "--");
	CHECK_INT(parse(&k, 2, args(2, "user", "--"), NULL, 0, NULL), -1);
	CHECK_INT(
	    parse(&k, 2, args(3, "user", "add", "del"), NULL, 0, NULL), -1);
}

int
main(void)
{
	RUN(flags);
	RUN(arguments);
	return test_report("test_opts");
}
