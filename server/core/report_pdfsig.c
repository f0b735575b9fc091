/*
 * report_pdfsig.c -- the PDF signature of report.pdf (an incremental update).
 *
 * `report sign` leaves report.pdf as built (the same bytes for the same
 * data) and writes report.signed.pdf: report.pdf's exact bytes followed
 * by an incremental update that adds
 *
 *   - a signature dictionary: /Type /Sig /Filter /Adobe.PPKLite
 *     /SubFilter /ETSI.CAdES.detached, /ByteRange [0 a b c] covering the
 *     whole file but the /Contents hex string, /Contents the DER CMS
 *     SignedData (detached, SHA-256, the signer's certificate, the
 *     signing-certificate-v2 attribute: cms_sign_cades()) padded with
 *     zeros, /M the signing time;
 *   - a signature field with its widget (invisible, on page 1: /Rect
 *     [0 0 0 0]), an /AcroForm (/SigFlags 3) in a new version of the
 *     catalog, and page 1 again with the widget in its /Annots;
 *   - an xref section for those objects and a trailer with /Prev.
 *
 * ETSI.CAdES.detached rather than adbe.pkcs7.detached: it is PAdES's
 * (baseline B: CAdES with signing-certificate-v2), poppler's pdfsig
 * validates both, and Vietnamese signing tools (the government's CA,
 * VGCA) write it.  The key and certificate are the ones report.json.p7s
 * is made with.
 *
 * Only PDFs report_pdf() writes are signed (cairo's layout: one classic
 * xref, the catalog and page dictionaries as plain objects); anything
 * else is refused, never guessed at.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/cms.h"
#include "core/report_pdf.h"

/* Bytes reserved for the DER signature (hex: twice as many characters). */
#define SIG_MAX 16384

/* Find needle in [h, h + n), or NULL. */
static const char *
mem_find(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (k == 0 || n < k)
		return NULL;
	for (size_t i = 0; i + k <= n; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

/* The last occurrence of needle in [h, h + n), or NULL. */
static const char *
mem_rfind(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (k == 0 || n < k)
		return NULL;
	for (size_t i = n - k + 1; i-- > 0;)
		if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

/* The integer after "key" (spaces allowed) in [p, end), or -1. */
static long long
int_after(const char *p, const char *end, const char *key)
{
	const char *k = mem_find(p, (size_t)(end - p), key);
	long long v = 0;
	bool any = false;

	if (k == NULL)
		return -1;
	k += strlen(key);
	while (k < end && (*k == ' ' || *k == '\n' || *k == '\r'))
		k++;
	while (k < end && isdigit((unsigned char)*k)) {
		v = v * 10 + (*k++ - '0');
		any = true;
		if (v > 100000000)
			return -1;
	}
	return any ? v : -1;
}

/*
 * The dictionary of object `num` (generation 0) in the original file:
 * [*start, *end) from "<<" to the matching final ">>" exclusive of it.
 */
static int
object_dict(const char *pdf, size_t len, long long num, const char **start,
    const char **end)
{
	char head[40];
	const char *o, *e, *close;
	int n = snprintf(head, sizeof(head), "\n%lld 0 obj", num);

	o = mem_find(pdf, len, head);
	if (o == NULL || n <= 0)
		return -1;
	o += n;
	e = mem_find(o, len - (size_t)(o - pdf), "endobj");
	if (e == NULL)
		return -1;
	while (o < e && (*o == ' ' || *o == '\n' || *o == '\r'))
		o++;
	close = mem_rfind(o, (size_t)(e - o), ">>");
	if (e - o < 4 || memcmp(o, "<<", 2) != 0 || close == NULL)
		return -1;
	*start = o;
	*end = close;
	return 0;
}

struct layout {
	long long root, info, size, startxref, page;
	const char *cat_s, *cat_e, *page_s, *page_e;
};

static int
read_layout(
    const char *pdf, size_t len, struct layout *l, char *err, size_t errlen)
{
	const char *end = pdf + len, *tr, *sx, *ps, *pe, *kids;
	long long pages;

	memset(l, 0, sizeof(*l));
	tr = mem_rfind(pdf, len, "trailer");
	sx = mem_rfind(pdf, len, "startxref");
	if (len < 16 || memcmp(pdf, "%PDF-", 5) != 0 || tr == NULL ||
	    sx == NULL || mem_find(tr, (size_t)(end - tr), "/Prev") != NULL)
		goto not_ours;
	l->root = int_after(tr, end, "/Root");
	l->info = int_after(tr, end, "/Info");
	l->size = int_after(tr, end, "/Size");
	l->startxref = int_after(sx, end, "startxref");
	if (l->root < 1 || l->size < 2 || l->startxref < 1 ||
	    object_dict(pdf, len, l->root, &l->cat_s, &l->cat_e) < 0 ||
	    mem_find(l->cat_s, (size_t)(l->cat_e - l->cat_s), "/AcroForm"))
		goto not_ours;
	pages = int_after(l->cat_s, l->cat_e, "/Pages");
	if (pages < 1 || object_dict(pdf, len, pages, &ps, &pe) < 0)
		goto not_ours;
	kids = mem_find(ps, (size_t)(pe - ps), "/Kids [");
	if (kids == NULL)
		goto not_ours;
	l->page = int_after(kids, pe, "/Kids [");
	if (l->page < 1 ||
	    object_dict(pdf, len, l->page, &l->page_s, &l->page_e) < 0 ||
	    mem_find(l->page_s, (size_t)(l->page_e - l->page_s), "/Annots"))
		goto not_ours;
	return 0;
not_ours:
	snprintf(err, errlen,
	    "report.pdf is not a PDF that 'report build' wrote (or it is "
	    "already signed): build the report again");
	return -1;
}

/* A PDF text string in UTF-16BE with its BOM, as hex: <FEFF...> */
static void
utf16_hex(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	buf_puts(b, "<FEFF");
	while (*p != '\0') {
		unsigned int cp;

		if (*p < 0x80) {
			cp = *p++;
		} else if ((*p & 0xe0) == 0xc0 && p[1] != '\0') {
			cp = (unsigned int)(*p & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0 && p[1] != '\0' &&
		    p[2] != '\0') {
			cp = (unsigned int)(*p & 0x0f) << 12 |
			    (unsigned int)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else {
			cp = '?'; /* our own constant strings never get here */
			p++;
		}
		buf_printf(b, "%04X", cp);
	}
	buf_putc(b, '>');
}

/* A PDF date of now in +07:00: D:20261105093000+07'00' */
static void
pdf_date(char out[32])
{
	int64_t t = hl_now() + HL_TZ_OFFSET;
	int64_t days = t / 86400, s = t % 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "D:%04d%02d%02d%02d%02d%02d+07'00'", y, m, d,
	    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

int
report_pdf_sign(const char *pdf, size_t len, const char *key, const char *cert,
    struct buf *out, char *err, size_t errlen)
{
	struct layout l;
	struct buf sig = { 0 }, signed_data = { 0 };
	long long n = 0, off[5];
	char date[32], *contents_at;
	size_t br_off;
	size_t a, b, c, xref;
	static const char hexd[] = "0123456789ABCDEF";
	int rc = -1;

	if (read_layout(pdf, len, &l, err, errlen) < 0)
		return -1;
	n = l.size; /* the new objects: n sig, n+1 widget, n+2 acroform */
	buf_add(out, pdf, len);
	if (len > 0 && pdf[len - 1] != '\n')
		buf_putc(out, '\n');
	pdf_date(date);
	off[0] = (long long)out->len;
	buf_printf(out,
	    "%lld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite "
	    "/SubFilter /ETSI.CAdES.detached\n   /ByteRange [0 ",
	    n);
	br_off = out->len;
	/* three numbers of 10 digits each, filled in below */
	buf_puts(out, "0000000000 0000000000 0000000000]\n   /Contents <");
	a = out->len - 1; /* the '<' */
	for (size_t i = 0; i < (size_t)2 * SIG_MAX; i++)
		buf_putc(out, '0');
	buf_puts(out, ">");
	b = out->len;
	buf_printf(out, "\n   /M (%s)\n   /Reason ", date);
	utf16_hex(out, "Ký số báo cáo của đơn vị");
	buf_puts(out, "\n>>\nendobj\n");
	off[1] = (long long)out->len;
	buf_printf(out,
	    "%lld 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig "
	    "/T ",
	    n + 1);
	utf16_hex(out, "Chữ ký số");
	buf_printf(out,
	    " /V %lld 0 R /F 132 /Rect [0 0 0 0] /P %lld 0 R >>\nendobj\n", n,
	    l.page);
	off[2] = (long long)out->len;
	buf_printf(out,
	    "%lld 0 obj\n<< /Fields [%lld 0 R] /SigFlags 3 >>\nendobj\n", n + 2,
	    n + 1);
	off[3] = (long long)out->len;
	buf_printf(out, "%lld 0 obj\n", l.root);
	buf_add(out, l.cat_s, (size_t)(l.cat_e - l.cat_s));
	buf_printf(out, "   /AcroForm %lld 0 R\n>>\nendobj\n", n + 2);
	off[4] = (long long)out->len;
	buf_printf(out, "%lld 0 obj\n", l.page);
	buf_add(out, l.page_s, (size_t)(l.page_e - l.page_s));
	buf_printf(out, "   /Annots [%lld 0 R]\n>>\nendobj\n", n + 1);
	xref = out->len;
	/* the subsections in object order: page, root, then the new three */
	buf_puts(out, "xref\n0 1\n0000000000 65535 f \n");
	if (l.page < l.root) {
		buf_printf(out, "%lld 1\n%010lld 00000 n \n", l.page, off[4]);
		buf_printf(out, "%lld 1\n%010lld 00000 n \n", l.root, off[3]);
	} else {
		buf_printf(out, "%lld 1\n%010lld 00000 n \n", l.root, off[3]);
		buf_printf(out, "%lld 1\n%010lld 00000 n \n", l.page, off[4]);
	}
	buf_printf(out, "%lld 3\n", n);
	for (int i = 0; i < 3; i++)
		buf_printf(out, "%010lld 00000 n \n", off[i]);
	buf_printf(
	    out, "trailer\n<< /Size %lld\n   /Root %lld 0 R\n", n + 3, l.root);
	if (l.info > 0)
		buf_printf(out, "   /Info %lld 0 R\n", l.info);
	buf_printf(out, "   /Prev %lld\n>>\nstartxref\n%zu\n%%%%EOF\n",
	    l.startxref, xref);
	if (buf_failed(out)) {
		snprintf(err, errlen, "the signed PDF is too large");
		goto done;
	}
	/* the byte range: all but the hex string <...> */
	c = out->len - b;
	{
		char nums[40];
		snprintf(nums, sizeof(nums), "%010zu %010zu %010zu", a, b, c);
		memcpy(out->data + br_off, nums, 32);
	}
	buf_add(&signed_data, out->data, a);
	buf_add(&signed_data, out->data + b, c);
	if (cms_sign_cades(key, cert, signed_data.data, signed_data.len, &sig,
		err, errlen) < 0)
		goto done;
	if (sig.len > SIG_MAX) {
		snprintf(err, errlen,
		    "the signature (%zu bytes) does not fit the %d reserved",
		    sig.len, SIG_MAX);
		goto done;
	}
	contents_at = out->data + a + 1;
	for (size_t i = 0; i < sig.len; i++) {
		unsigned char ch = (unsigned char)sig.data[i];

		contents_at[2 * i] = hexd[ch >> 4];
		contents_at[2 * i + 1] = hexd[ch & 15];
	}
	rc = 0;
done:
	buf_release(&sig);
	buf_release(&signed_data);
	return rc;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The length of the DER element at p (at most n bytes), or 0. */
static size_t
der_len(const unsigned char *p, size_t n)
{
	size_t len, hdr;

	if (n < 2 || p[0] != 0x30)
		return 0;
	if (p[1] < 0x80) {
		len = p[1];
		hdr = 2;
	} else {
		int k = p[1] & 0x7f;

		if (k < 1 || k > 3 || n < (size_t)2 + (size_t)k)
			return 0;
		len = 0;
		for (int i = 0; i < k; i++)
			len = len << 8 | p[2 + i];
		hdr = (size_t)2 + (size_t)k;
	}
	return hdr + len <= n ? hdr + len : 0;
}

int
report_pdf_verify(const char *pdf, size_t len, const char *ca,
    struct cms_signer *who, char *err, size_t errlen)
{
	const char *br = mem_rfind(pdf, len, "/ByteRange [");
	unsigned long long v[4];
	struct buf der = { 0 }, data = { 0 };
	size_t n;
	int rc = -1;

	if (br == NULL ||
	    sscanf(br + 12, "%llu %llu %llu %llu", &v[0], &v[1], &v[2],
		&v[3]) != 4) {
		snprintf(err, errlen, "the PDF has no signature (/ByteRange)");
		return -1;
	}
	if (v[0] != 0 || v[1] < 1 || v[1] >= len || v[2] <= v[1] + 1 ||
	    v[2] > len || v[3] != len - v[2] || pdf[v[1]] != '<' ||
	    pdf[v[2] - 1] != '>') {
		snprintf(err, errlen,
		    "the signature does not cover the whole file "
		    "(/ByteRange [%llu %llu %llu %llu] of %zu bytes): bytes "
		    "were added or removed after signing",
		    v[0], v[1], v[2], v[3], len);
		return -1;
	}
	/* the hex digits are pdf[v[1] + 1 .. v[2] - 2] */
	for (size_t i = v[1] + 1; i + 1 < v[2] - 1; i += 2) {
		int hi = hexval(pdf[i]), lo = hexval(pdf[i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "/Contents is not hexadecimal");
			goto out;
		}
		buf_putc(&der, (char)(hi << 4 | lo));
	}
	n = der_len((const unsigned char *)der.data, der.len);
	if (n == 0) {
		snprintf(err, errlen, "/Contents holds no DER signature");
		goto out;
	}
	for (size_t i = n; i < der.len; i++)
		if (der.data[i] != 0) {
			snprintf(err, errlen,
			    "/Contents has bytes after the signature");
			goto out;
		}
	buf_add(&data, pdf, v[1]);
	buf_add(&data, pdf + v[2], v[3]);
	if (cms_verify(der.data, n, data.data, data.len, ca, who, err, errlen) <
	    0)
		goto out;
	rc = 0;
out:
	buf_release(&der);
	buf_release(&data);
	return rc;
}
