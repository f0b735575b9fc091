/* test_config.c -- the options: the shipped file, errors, address lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/addrlist.h"
#include "core/config.h"
#include "test.h"

#define SHIPPED "etc/hailong.conf"

/* config_print() of c into a new string. */
static char *
printed(const struct config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	config_print(c, f);
	fclose(f);
	return text;
}

/*
 * The "#key = value" lines of the shipped file (the documented defaults,
 * commented out), as "key = value\n" lines in file order.
 */
static char *
documented_defaults(const char *path, int *count)
{
	FILE *in = fopen(path, "r");
	char line[1024], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*count = 0;
	if (in == NULL) {
		fclose(out);
		free(text);
		return NULL;
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		size_t n = strspn(line + 1, "abcdefghijklmnopqrstuvwxyz_");
		char *eq;

		/* "#key = value": no space after '#', then " = " */
		if (line[0] != '#' || n == 0 || strncmp(line + 1 + n, " =", 2))
			continue;
		line[strcspn(line, "\n")] = '\0';
		eq = line + 1 + n + 2;
		fprintf(out, "%.*s = %s\n", (int)n, line + 1,
		    *eq == ' ' ? eq + 1 : eq);
		(*count)++;
	}
	fclose(in);
	fclose(out);
	return text;
}

/* The file and config_print() name the same options, defaults, order. */
static void
shipped_file_documents_every_default(void)
{
	struct config c;
	char *want, *got;
	int n;

	config_defaults(&c);
	want = printed(&c);
	got = documented_defaults(SHIPPED, &n);
	CHECK(got != NULL);
	/* print each side whole when they differ, so a drift is obvious */
	CHECK_STR(got, want);
	/* db ... backup_keep: at least the options this test was made with */
	CHECK(n >= 18);
	free(want);
	free(got);
}

/* With every '#' of a default removed, the file loads and changes nothing. */
static void
shipped_file_uncommented_loads(void)
{
	const char *dir = test_tmpdir();
	char path[128], line[1024], err[512];
	struct config a, b;
	FILE *in = fopen(SHIPPED, "r"), *out;
	char *pa, *pb;

	snprintf(path, sizeof(path), "%s/all.conf", dir);
	out = fopen(path, "w");
	CHECK(in != NULL && out != NULL);
	if (in == NULL || out == NULL)
		return;
	while (fgets(line, sizeof(line), in) != NULL)
		fputs(line[0] == '#' && line[1] >= 'a' && line[1] <= 'z'
			? line + 1
			: line,
		    out);
	fclose(in);
	fclose(out);
	config_defaults(&a);
	config_defaults(&b);
	CHECK_INT(config_load_file(&b, path, err, sizeof(err)), 0);
	CHECK_INT(config_validate(&b, err, sizeof(err)), 0);
	pa = printed(&a);
	pb = printed(&b);
	CHECK_STR(pb, pa);
	free(pa);
	free(pb);
	unlink(path);
	rmdir(dir);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void
errors_name_the_line(void)
{
	const char *dir = test_tmpdir();
	char path[128], err[512];
	struct config c;

	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	write_file(path, "# comment\n\nthreads = 4\nthreadz = 5\n");
	config_defaults(&c);
	CHECK_INT(config_load_file(&c, path, err, sizeof(err)), -1);
	CHECK(strstr(err, "bad.conf:4: unknown option 'threadz'") != NULL);

	write_file(path, "listen = 127.0.0.1:80\nthreads = 65\n");
	config_defaults(&c);
	CHECK_INT(config_load_file(&c, path, err, sizeof(err)), -1);
	CHECK(strstr(err,
		  ":2: threads: '65' is not a whole number from 1 "
		  "to 64") != NULL);

	write_file(path, "just words\n");
	CHECK_INT(config_load_file(&c, path, err, sizeof(err)), -1);
	CHECK(strstr(err, ":1: expected 'option = value'") != NULL);

	/* a value only config_validate() refuses: the line is found */
	write_file(path,
	    "threads = 2\n# metrics_allow = x\n"
	    "metrics-allow = 10.0.0.0/33\nthreads = 3\n");
	config_defaults(&c);
	CHECK_INT(config_load_file(&c, path, err, sizeof(err)), 0);
	CHECK_INT(config_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "metrics_allow: '10.0.0.0/33' is not") == err);
	CHECK_INT(config_file_line(path, "metrics_allow"), 3);
	CHECK_INT(config_file_line(path, "threads"), 4); /* the last wins */
	CHECK_INT(config_file_line(path, "listen"), 0);
	CHECK_INT(config_file_line(path, "nonsense"), 0);

	write_file(path, "retention_comment = shred\n");
	config_defaults(&c);
	CHECK_INT(config_load_file(&c, path, err, sizeof(err)), 0);
	CHECK_INT(config_validate(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "retention_comment: 'shred'") == err);
	unlink(path);
	rmdir(dir);
}

static void
new_options_as_flags(void)
{
	char a0[] = "--metrics-allow", a1[] = "10.0.0.0/8";
	char a2[] = "--backup-keep=3", a3[] = "--retention-callback-days";
	char a4[] = "7", a5[] = "--other";
	char *argv[] = { a0, a1, a2, a3, a4, a5 };
	char *rest[8], err[256];
	struct config c;
	int nrest;

	config_defaults(&c);
	CHECK_STR(c.metrics_allow, "127.0.0.1 ::1");
	CHECK_INT(c.backup_keep, 14);
	CHECK_INT(c.retention_callback_days, 0);
	CHECK_STR(c.retention_comment, "redact");
	CHECK_STR(c.backup_dir, "/var/backups/hailong");
	CHECK_INT(
	    config_from_args(&c, 6, argv, rest, &nrest, err, sizeof(err)), 0);
	CHECK_STR(c.metrics_allow, "10.0.0.0/8");
	CHECK_INT(c.backup_keep, 3);
	CHECK_INT(c.retention_callback_days, 7);
	CHECK_INT(nrest, 1);
	CHECK_STR(rest[0], "--other");
	CHECK_INT(config_set(&c, "backup_keep", "0", err, sizeof(err)), -1);
}

static void
address_lists(void)
{
	char err[256];

	CHECK(addrlist_has("127.0.0.1 ::1", "127.0.0.1"));
	CHECK(addrlist_has("127.0.0.1 ::1", "::1"));
	CHECK(!addrlist_has("127.0.0.1 ::1", "127.0.0.2"));
	CHECK(!addrlist_has("127.0.0.1 ::1", "10.0.0.1"));
	CHECK(!addrlist_has("", "127.0.0.1"));
	/* ranges, commas, the IPv4-mapped form of a v4 address */
	CHECK(addrlist_has("192.168.1.0/24,10.0.0.0/8", "10.200.3.4"));
	CHECK(addrlist_has("192.168.1.0/24, 10.0.0.0/8", "192.168.1.255"));
	CHECK(!addrlist_has("192.168.1.0/24", "192.168.2.0"));
	CHECK(addrlist_has("10.0.0.0/8", "::ffff:10.1.2.3"));
	CHECK(addrlist_has("172.16.0.0/12", "172.31.255.255"));
	CHECK(!addrlist_has("172.16.0.0/12", "172.32.0.0"));
	CHECK(addrlist_has("0.0.0.0/0", "203.0.113.9"));
	CHECK(!addrlist_has("0.0.0.0/0", "2001:db8::1"));
	CHECK(addrlist_has("fd00::/8", "fd12:3456::1"));
	CHECK(!addrlist_has("fd00::/8", "fe80::1"));
	CHECK(addrlist_has("2001:db8::/127", "2001:db8::1"));
	CHECK(!addrlist_has("2001:db8::/127", "2001:db8::2"));
	/* odd prefix lengths compare the right bits */
	CHECK(addrlist_has("10.0.0.128/25", "10.0.0.200"));
	CHECK(!addrlist_has("10.0.0.128/25", "10.0.0.127"));
	/* what is not an address matches nothing */
	CHECK(!addrlist_has("127.0.0.1", "127.0.0.1 "));
	CHECK(!addrlist_has("127.0.0.1", "localhost"));
	CHECK(!addrlist_has("bogus 127.0.0.1/40", "127.0.0.1"));
	CHECK_INT(
	    addrlist_check("127.0.0.1 ::1, 10.0.0.0/8", err, sizeof(err)), 0);
	CHECK_INT(addrlist_check("", err, sizeof(err)), 0);
	CHECK_INT(addrlist_check("127.0.0.1 localhost", err, sizeof(err)), -1);
	CHECK(strstr(err, "'localhost'") != NULL);
	CHECK_INT(addrlist_check("10.0.0.0/", err, sizeof(err)), -1);
	CHECK_INT(addrlist_check("10.0.0.0/8x", err, sizeof(err)), -1);
	CHECK_INT(addrlist_check("::1/129", err, sizeof(err)), -1);
}

int
main(void)
{
	RUN(shipped_file_documents_every_default);
	RUN(shipped_file_uncommented_loads);
	RUN(errors_name_the_line);
	RUN(new_options_as_flags);
	RUN(address_lists);
	return test_report("test_config");
}
