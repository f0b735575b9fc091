/* text.h -- UTF-8 checks and the identifiers of the one-stop system. */
#ifndef HAILONG_TEXT_H
#define HAILONG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, no NUL). */
bool utf8_is_valid(const char *s, size_t len);
/* Code points in well-formed UTF-8. */
size_t utf8_count(const char *s, size_t len);
/* No C0 controls other than tab, CR and LF, and no DEL. */
bool text_has_no_controls(const char *s, size_t len);

/*
 * A name or label as hailong stores it (units, procedures, officers):
 * 1..max bytes of well-formed UTF-8, no controls, no line feed.
 */
bool text_is_clean_line(const char *s, size_t len, size_t max);

/* Mã TTHC: one digit, a dot, six digits ("1.001193"). */
bool is_procedure_code(const char *s, size_t len);
/*
 * Unit code (mã định danh cơ quan): 'H' or 'G' and two digits, then dot
 * segments of 1-4 digits ("H21", "H21.227", "G01.05").  At most 40 bytes.
 */
bool is_unit_code(const char *s, size_t len);
/*
 * Mã hồ sơ: <agency code>-<YYMMDD>-<sequence>: the agency code dot
 * segments of letters and digits (2-40 bytes), a real calendar date, a
 * sequence of 4-7 digits ("H15.50.05.13-261008-0975").
 */
bool is_dossier_code(const char *s, size_t len);
/*
 * The unit a dossier code names: its agency code, when that is a unit
 * code (is_unit_code(): "H21.227" in "H21.227-261201-0001"), copied to
 * out[41].  False (out "") when the code has no such prefix.
 */
bool dossier_code_unit(const char *code, char out[41]);
/*
 * Whether unit code `unit` is `ancestor` or below it by its dot
 * segments ("H21.227" is below "H21"; "H21.2270" is not).
 */
bool unit_code_is_within(const char *unit, const char *ancestor);
/* Officer id: 1-32 bytes of letters, digits, '.', '_' or '-'. */
bool is_officer_id(const char *s, size_t len);
/*
 * A Vietnamese phone number: 0 and 9 digits, or +84 and 9 digits, with
 * optional spaces, dots or dashes between digits.  On success writes the
 * 10-digit national form ("0912345678") to out[11].
 */
bool phone_normalize(const char *s, size_t len, char out[11]);
/*
 * Copy of `s` with the digits of every run that looks like a phone or
 * ID-card number replaced by '*': 9 or more digits, where up to three
 * separators (' ', '.', '-', no-break space) may stand between two
 * digits ("0912 345 678", "+84 912.345.678", "0912 - 345 - 678", CMND
 * 9 digits, CCCD 12).  Shorter numbers (counters, years, amounts below
 * 9 digits, dates with '/') stay.  New (free()).
 */
char *text_mask_numbers(const char *s);

/*
 * A copy of s with each CRLF folded to LF and white space (space, tab,
 * CR, LF) trimmed from both ends: a comment as a form or an import file
 * sends it.  New (free()).
 */
char *text_clean(const char *s);

#endif
