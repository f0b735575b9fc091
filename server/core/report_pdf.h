/*
 * report_pdf.h -- the report as an office files it: report.pdf (A4,
 * cairo + pango), what the HTML and the PDF show beyond report.json (the
 * 12-month trend, the reviews of the period), and the Vietnamese words
 * both use for codes.
 */
#ifndef HAILONG_REPORT_PDF_H
#define HAILONG_REPORT_PDF_H

#include <stdint.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "core/fmt.h"

struct db;

#define REPORT_TREND_MONTHS 12

/*
 * What the renderings show beside report.json, read from the database at
 * build time (as of the report's as_of, so the same data give the same
 * bytes): the satisfaction of the twelve months ending with the report's,
 * and the reviews of the unit's subtree opened or resolved in the period.
 * A report rendered again from its stored JSON (the console) has none.
 */
struct report_trend_month {
	int month; /* yyyymm */
	int64_t ratings;
	double satisfied_rate; /* NAN when no rating */
};

struct report_extra {
	int ntrend;
	struct report_trend_month trend[REPORT_TREND_MONTHS];
	/* [{id, scope, month, flags, owner, status, opened_at, resolved_at,
	 *   action, notes}] in id order; NULL when not read */
	json_t *reviews;
};

/* Read x for doc (built from db).  0 or -1 (err). */
int report_extra_load(struct db *db, const json_t *doc, struct report_extra *x,
    char *err, size_t errlen);
void report_extra_release(struct report_extra *x);

/*
 * report.pdf of doc (x may be NULL) into out: A4, DejaVu Sans embedded
 * (subsets, with ToUnicode maps, so the Vietnamese text can be selected
 * and searched), its CreationDate the report's as_of: the same document
 * gives the same bytes.  0 or -1 (err).
 */
int report_pdf(const json_t *doc, const struct report_extra *x, struct buf *out,
    char *err, size_t errlen);

/*
 * report.json, .csv, .xlsx, .html and .pdf of doc into dir (report_files.c;
 * report_write_dir() is this without x).  0 or -1 (err).
 */
int report_write_files(const json_t *doc, const struct report_extra *x,
    const char *dir, char *err, size_t errlen);

/* report.html with the trend chart and the reviews when x is not NULL. */
int report_html_ex(
    const json_t *doc, const struct report_extra *x, struct buf *out);

/*
 * report.signed.pdf: pdf (report_pdf()'s bytes) with an incremental
 * update that signs it (report_pdfsig.c: ETSI.CAdES.detached, the same
 * key and certificate as report.json.p7s) into out.  0 or -1 (err).
 */
int report_pdf_sign(const char *pdf, size_t len, const char *key,
    const char *cert, struct buf *out, char *err, size_t errlen);

/*
 * Check the last signature of a signed PDF: its /ByteRange covers the
 * whole file but /Contents, and the CMS in /Contents verifies over those
 * bytes with a certificate chaining to ca (cms_verify()).  Fills *who.
 * 0 or -1 (err).
 */
struct cms_signer;
int report_pdf_verify(const char *pdf, size_t len, const char *ca,
    struct cms_signer *who, char *err, size_t errlen);

/*
 * A report's period ("month": "2026-10", "2026-Q4", "2026") in words:
 * "tháng 10/2026", "quý 4/2026", "năm 2026".  Returns out.
 */
const char *report_period_words(const char *s, char out[FMT_MAX]);

/* Vietnamese words for a flag code and a reason code; never NULL. */
const char *report_flag_label(const char *code);
const char *report_reason_label(const char *code);

/*
 * The evidence bundle (report_bundle.c, libzip's door): FILE.zip with the
 * signed PDF, report.json and its .p7s, the CSV, the XLSX and README.txt
 * (Vietnamese: how to verify).  dir must hold a signed report.  Written
 * to a temporary file beside out and renamed: never a partial zip.
 * 0 or -1 (err).
 */
int report_bundle(const char *dir, const char *out, char *err, size_t errlen);

#endif
