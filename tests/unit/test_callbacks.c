/* test_callbacks.c -- a callback request's due time: 2 working days. */
#include <string.h>

#include "hailong/hltime.h"
#include "core/callbacks.h"
#include "test.h"

static int64_t
at(const char *s)
{
	int64_t t = -1;

	if (rfc3339_parse(s, strlen(s), &t) < 0)
		return -1;
	return t;
}

static void
due_times(void)
{
	/* Monday 07/12/2026 (any hour): due by the end of Wednesday */
	CHECK_INT(callbacks_due_at(at("2026-12-07T08:00:00+07:00")),
	    at("2026-12-10T00:00:00+07:00"));
	CHECK_INT(callbacks_due_at(at("2026-12-07T23:59:59+07:00")),
	    at("2026-12-10T00:00:00+07:00"));
	/* the day is Hà Nội's: 17:30 UTC Sunday is 00:30 Monday */
	CHECK_INT(callbacks_due_at(at("2026-12-06T17:30:00Z")),
	    at("2026-12-10T00:00:00+07:00"));
	/* Thursday: Friday, Monday */
	CHECK_INT(callbacks_due_at(at("2026-12-03T10:00:00+07:00")),
	    at("2026-12-08T00:00:00+07:00"));
	/* Friday, Saturday, Sunday: Monday, Tuesday */
	CHECK_INT(callbacks_due_at(at("2026-12-04T16:00:00+07:00")),
	    at("2026-12-09T00:00:00+07:00"));
	CHECK_INT(callbacks_due_at(at("2026-12-05T09:00:00+07:00")),
	    at("2026-12-09T00:00:00+07:00"));
	CHECK_INT(callbacks_due_at(at("2026-12-06T00:00:00+07:00")),
	    at("2026-12-09T00:00:00+07:00"));
	/* across a month and a year */
	CHECK_INT(callbacks_due_at(at("2026-12-31T12:00:00+07:00")),
	    at("2027-01-05T00:00:00+07:00"));
	/* the epoch was a Thursday */
	CHECK_INT(callbacks_due_at(0), at("1970-01-06T00:00:00+07:00"));
}

int
main(void)
{
	RUN(due_times);
	return test_report("test_callbacks");
}
