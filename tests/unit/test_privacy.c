/* test_privacy.c -- finding a phone number in free text; backup names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/text.h"
#include "core/backup.h"
#include "core/privacy.h"
#include "test.h"

static bool
has(const char *text, const char *phone)
{
	return privacy_text_has_phone(text, strlen(text), phone);
}

static void
phone_in_text(void)
{
	const char *p = "0912345678";

	CHECK(has("0912345678", p));
	CHECK(has("gọi tôi 0912 345 678 nhé", p));
	CHECK(has("SĐT: 0912.345.678.", p));
	CHECK(has("0912-345-678", p));
	CHECK(has("+84 912 345 678", p));
	CHECK(has("+84912345678", p));
	CHECK(has("84912345678", p));
	CHECK(has("(số 912345678)", p));
	/* two numbers run together by one space: still found */
	CHECK(has("0987654321 0912345678", p));
	/* another number, a near miss, a number cut by two separators */
	CHECK(!has("0912345679", p));
	CHECK(!has("0912 345 67", p));
	CHECK(!has("0912  345 678", p));
	CHECK(!has("0912, 345, 678", p));
	CHECK(!has("091234567", p));
	CHECK(!has("", p));
	CHECK(!has("không có số", p));
	/* a malformed number to look for finds nothing */
	CHECK(!has("0912345678", "091234567"));
	CHECK(!has("0912345678", ""));
}

/* Whatever is found, masking removes: erase relies on it. */
static void
masking_removes_what_is_found(void)
{
	static const char *const texts[] = {
		"gọi 0912 345 678 nhé",
		"+84 912 345 678",
		"0987654321 0912345678",
		"x84912345678y",
		"số 912.345.678, cảm ơn",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *m = text_mask_numbers(texts[i]);

		CHECK(has(texts[i], "0912345678"));
		CHECK(!has(m, "0912345678"));
		CHECK_INT(strlen(m), strlen(texts[i]));
		free(m);
	}
}

static void
backup_names_sort_by_date(void)
{
	char a[256], b[256];

	/* 2026-11-24T20:00:00Z is 25/11/2026 03:00 in +07:00 */
	backup_name("/var/backups/hailong", 1795550400, a, sizeof(a));
	CHECK_STR(a, "/var/backups/hailong/hailong-20261125-030000.db");
	backup_name("d", 1795550400 + 86400 * 40 + 61, b, sizeof(b));
	CHECK_STR(b, "d/hailong-20270104-030101.db");
	CHECK(strcmp(a + 21, b + 2) < 0);
}

static void
touch(const char *dir, const char *name)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs("x", f);
	fclose(f);
}

static bool
exists(const char *dir, const char *name)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* Rotation deletes the oldest of its own files and nothing else. */
static void
rotation_keeps_the_newest(void)
{
	const char *dir = test_tmpdir();
	char err[256];
	int deleted = -1;

	touch(dir, "hailong-20261101-030000.db");
	touch(dir, "hailong-20261102-030000.db");
	touch(dir, "hailong-20261103-030000.db");
	touch(dir, "hailong-20261103-150000.db");
	touch(dir, "hailong-20261104-030000.db");
	/* not ours: left alone whatever their age */
	touch(dir, "hailong-20201101-030000.db.tmp-1");
	touch(dir, "hailong-2020110-030000.db");
	touch(dir, "notes.txt");
	touch(dir, "hailong-2020110x-030000.db");
	CHECK_INT(backup_rotate(dir, 2, &deleted, err, sizeof(err)), 0);
	CHECK_INT(deleted, 3);
	CHECK(exists(dir, "hailong-20261104-030000.db"));
	CHECK(exists(dir, "hailong-20261103-150000.db"));
	CHECK(!exists(dir, "hailong-20261103-030000.db"));
	CHECK(!exists(dir, "hailong-20261102-030000.db"));
	CHECK(!exists(dir, "hailong-20261101-030000.db"));
	CHECK(exists(dir, "hailong-20201101-030000.db.tmp-1"));
	CHECK(exists(dir, "hailong-2020110-030000.db"));
	CHECK(exists(dir, "hailong-2020110x-030000.db"));
	CHECK(exists(dir, "notes.txt"));
	CHECK_INT(backup_rotate(dir, 2, &deleted, err, sizeof(err)), 0);
	CHECK_INT(deleted, 0);
	CHECK_INT(
	    backup_rotate("/nonexistent/dir", 2, &deleted, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "cannot read '/nonexistent/dir'") != NULL);
}

int
main(void)
{
	RUN(phone_in_text);
	RUN(masking_removes_what_is_found);
	RUN(backup_names_sort_by_date);
	RUN(rotation_keeps_the_newest);
	return test_report("test_privacy");
}
