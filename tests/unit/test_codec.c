/* test_codec.c -- buffers, base64url/hex, urlencoded forms, CSV records. */
#include "hailong/buf.h"
#include "hailong/csv.h"
#include "hailong/encode.h"
#include "hailong/form.h"
#include "test.h"

static void
buffers(void)
{
	struct buf b = { 0 };

	buf_puts(&b, "a");
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(buf_str(&b), "a42-x");
	buf_reset(&b);
	buf_html(&b, "<a href=\"x\" onerror='y'>&</a>");
	CHECK_STR(buf_str(&b),
	    "&lt;a href=&quot;x&quot; onerror=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	buf_reset(&b);
	buf_urlenc(&b, "Việt Nam/a?b=c");
	CHECK_STR(buf_str(&b), "Vi%E1%BB%87t%20Nam%2Fa%3Fb%3Dc");
	buf_release(&b);

	/* the cap: appends past it fail, leave the content, and stick */
	buf_init(&b, 8);
	CHECK_INT(buf_puts(&b, "12345678"), 0);
	CHECK_INT(buf_puts(&b, "9"), -1);
	CHECK(buf_failed(&b));
	CHECK_STR(buf_str(&b), "12345678");
	CHECK_INT(buf_printf(&b, "%s", ""), -1);
	buf_release(&b);
	buf_init(&b, 4);
	CHECK_INT(buf_printf(&b, "%s", "12345"), -1);
	CHECK_STR(buf_str(&b), "");
	buf_release(&b);
}

static void
base64url(void)
{
	unsigned char raw[64], back[64];
	char text[100];

	for (size_t n = 0; n < sizeof(raw); n++)
		raw[n] = (unsigned char)(n * 37 + 11);
	for (size_t n = 0; n <= sizeof(raw); n++) {
		b64url_encode(raw, n, text);
		CHECK_INT(strlen(text), b64url_len(n));
		CHECK_INT(b64url_decode(text, strlen(text), back, sizeof(back)),
		    (long)n);
		CHECK(memcmp(raw, back, n) == 0);
	}
	b64url_encode("\xfb\xff", 2, text);
	CHECK_STR(text, "-_8");
	CHECK_INT(b64url_decode("-_8", 3, back, 2), 2);
	CHECK_INT(b64url_decode("-_9", 3, back, 2), -1);  /* stray bits */
	CHECK_INT(b64url_decode("QQ==", 4, back, 8), -1); /* padding */
	CHECK_INT(b64url_decode("Q", 1, back, 8), -1);    /* impossible */
	CHECK_INT(b64url_decode("a+b/", 4, back, 8), -1); /* not url-safe */
	CHECK_INT(b64url_decode("QUJD", 4, back, 2), -1); /* too long */

	hex_encode("\x00\xab\xff", 3, text);
	CHECK_STR(text, "00abff");
	CHECK_INT(hex_decode("00ABff", 6, back, 3), 0);
	CHECK(memcmp(back, "\x00\xab\xff", 3) == 0);
	CHECK_INT(hex_decode("00abf", 5, back, 3), -1);
	CHECK_INT(hex_decode("00abfg", 6, back, 3), -1);
}

static void
forms(void)
{
	struct form f;
	char many[FORM_MAX_FIELDS * 4 + 8] = "";

	CHECK_INT(form_parse(&f, "a=1&b=x+y%21&&c&d=", 18), 0);
	CHECK_INT(f.n, 4);
	CHECK_STR(form_get(&f, "a"), "1");
	CHECK_STR(form_get(&f, "b"), "x y!");
	CHECK_STR(form_get(&f, "c"), "");
	CHECK_STR(form_get(&f, "d"), "");
	CHECK(form_get(&f, "e") == NULL);
	form_release(&f);

	CHECK_INT(
	    form_parse(&f, "comment=Vi%E1%BB%87t&level=5&level=1", 36), 0);
	CHECK_STR(form_get(&f, "comment"), "Việt");
	CHECK_STR(form_get(&f, "level"), "5");
	CHECK_INT(form_count(&f, "level"), 2);
	form_release(&f);

	CHECK_INT(form_parse(&f, "a=%zz", 5), -1);
	CHECK_INT(f.n, 0);
	CHECK_INT(form_parse(&f, "a=%4", 4), -1);
	CHECK_INT(form_parse(&f, "a=%00", 5), -1);
	CHECK_INT(form_parse(&f, "a=b\0c", 5), -1);
	CHECK_INT(form_parse(&f, "%zz=1", 5), -1);
	CHECK_INT(form_parse(&f, "", 0), 0);
	CHECK_INT(f.n, 0);

	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		strcat(many, "a=1&");
	CHECK_INT(form_parse(&f, many, strlen(many)), 0);
	CHECK_INT(f.n, FORM_MAX_FIELDS);
	form_release(&f);
	strcat(many, "b=2");
	CHECK_INT(form_parse(&f, many, strlen(many)), -1);
}

/* Count records (or -line of the first bad one); copies out field 1. */
static char last_f1[64];

static int
records(const char *text, struct csv_record *last, char *err)
{
	struct csv c;
	int n = 0, rc;

	csv_init(&c, text, strlen(text));
	while ((rc = csv_next(&c, last)) != 0) {
		if (rc < 0) {
			strcpy(err, c.error);
			n = -(last->line);
			break;
		}
		snprintf(last_f1, sizeof(last_f1), "%s",
		    last->n > 1 ? last->f[1] : "");
		n++;
	}
	csv_release(&c);
	return n;
}

static void
csv(void)
{
	static const char text[] =
	    "\xef\xbb\xbf"
	    "code,name\r\n"
	    "1.001193,\"Thủ tục đăng ký khai sinh\"\r\n"
	    "1.004772,\"khai sinh, có \"\"giấy tờ\"\"\"\n"
	    "1.000001,\"hai\ndòng\"\n"
	    "x,\n";
	struct csv c;
	struct csv_record r;
	char err[96] = "";

	csv_init(&c, text, strlen(text));
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(r.n, 2);
	CHECK_STR(r.f[0], "code"); /* the BOM is gone */
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_STR(r.f[1], "Thủ tục đăng ký khai sinh");
	CHECK_INT(r.line, 2);
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_STR(r.f[1], "khai sinh, có \"giấy tờ\"");
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_STR(r.f[1], "hai\ndòng");
	CHECK_INT(r.line, 4);
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(r.line, 6); /* the quoted newline counted */
	CHECK_INT(r.n, 2);
	CHECK_STR(r.f[1], "");
	CHECK_INT(r.len[1], 0);
	CHECK_INT(csv_next(&c, &r), 0);
	csv_release(&c);

	CHECK_INT(records("a,b\n\"open\n", &r, err), -2);
	CHECK_STR(err, "quoted field never closed");
	CHECK_INT(records("a,b\nx\"y,1\n", &r, err), -2);
	CHECK_STR(err, "quote inside an unquoted field");
	CHECK_INT(records("a,b\n\"x\"y,1\n", &r, err), -2);
	CHECK_STR(err, "text after a closing quote");
	/* a trailing CR without LF, and no final newline */
	CHECK_INT(records("a,b\r\nc,d", &r, err), 2);
	CHECK_STR(last_f1, "d");
	CHECK_INT(records("a,\"b\"\r", &r, err), 1);
	CHECK_STR(last_f1, "b");
}

static void
csv_limits(void)
{
	char *big = malloc(CSV_MAX_FIELD + 16);
	char many[CSV_MAX_FIELDS * 2 + 4];
	struct csv_record r;
	char err[96];

	memset(big, 'x', CSV_MAX_FIELD + 1);
	big[CSV_MAX_FIELD + 1] = '\0';
	CHECK_INT(records(big, &r, err), -1);
	CHECK_STR(err, "field longer than 8192 bytes");
	big[CSV_MAX_FIELD] = '\0';
	CHECK_INT(records(big, &r, err), 1);
	free(big);
	memset(many, ',', CSV_MAX_FIELDS - 1);
	many[CSV_MAX_FIELDS - 1] = '\0';
	CHECK_INT(records(many, &r, err), 1);
	CHECK_INT(r.n, CSV_MAX_FIELDS);
	strcat(many, ",");
	CHECK_INT(records(many, &r, err), -1);
	CHECK_STR(err, "more than 64 fields");
}

int
main(void)
{
	RUN(buffers);
	RUN(base64url);
	RUN(forms);
	RUN(csv);
	RUN(csv_limits);
	return test_report("test_codec");
}
