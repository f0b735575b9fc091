/* figpage.h -- what the figure pages share: queries, numbers, charts. */
#ifndef HAILONG_FIGPAGE_H
#define HAILONG_FIGPAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/buf.h"
#include "core/metrics.h"

struct ctx;

/* Answer 403: the role may not see or do this. */
void figpage_forbidden(struct ctx *c);

/* Whether the caller is a manager or an admin. */
bool figpage_is_manager(struct ctx *c);

/*
 * Check the query string: every name is "lang" or one of `allowed`
 * (NULL-terminated) and appears once.  0, or answers 400 and returns -1.
 */
int figpage_query(struct ctx *c, const char *const *allowed);

/*
 * The period of ?month=: a month YYYY-MM, a quarter YYYY-Qn or a year
 * YYYY (hltime.h), or the current month (Asia/Ho_Chi_Minh) without one.
 * *month is the period's LAST month (trends and lists end there); the
 * period itself is figpage_period(c, *month), and figpage_metrics(),
 * figpage_month_query() and figpage_month_form() of the same request use
 * it.  0, or answers 400 (in the page's language: which part is wrong,
 * a period before the database's first month, a folded month) and
 * returns -1.
 */
int figpage_month(struct ctx *c, int *month);

/* The same for a query parameter `name`, into *p, without remembering. */
struct period;
int figpage_period_parse(struct ctx *c, const char *name, struct period *p);

/*
 * The period figpage_month() read for this request when `month` is its
 * last month, else the month alone.
 */
struct period figpage_period(struct ctx *c, int month);

/*
 * What a page shows of that period: fmt_period() ("tháng 10/2026",
 * "quý 4/2026", "năm 2026"), the drop-in for fmt_month(b, c->lang,
 * month) on a figure page; and its machine value ("2026-Q4") for a
 * data-v attribute or a query.
 */
void figpage_period_label(struct ctx *c, struct buf *b, int month);
/* The same capitalised, to start a line: "Quý 4/2026". */
void figpage_period_label_cap(struct ctx *c, struct buf *b, int month);
void figpage_period_value(struct ctx *c, int month, char out[8]);

/*
 * <select id=name name=name>: the last 24 months, 8 quarters and 5 years
 * (and `sel` when older), labelled with fmt_period_cap(), values
 * "2026-10", "2026-Q4", "2026".
 */
void figpage_period_select(
    struct ctx *c, struct buf *b, const char *name, const struct period *sel);

/*
 * The roll-up (report_rollup_period()) of the period figpage_month() read
 * (`month` its last month), as of now, without answering: NULL with err.
 */
struct metrics *figpage_rollup(
    struct ctx *c, const char *unit, int month, char *err, size_t errlen);

/*
 * A GET form choosing the period (figpage_period_select() named "month"),
 * for the page at `path` (its query is only month and lang).
 */
void figpage_month_form(struct ctx *c, const char *path, int month);

/* Append "?month=PERIOD" (and "&amp;lang=en"), for an href, to b. */
void figpage_month_query(struct ctx *c, struct buf *b, int month);

/*
 * The unit's month as of now (the figures of the console), or answers
 * 500 and returns NULL.  `unit_only`: without subordinate units.  New:
 * metrics_free().
 */
struct metrics *figpage_metrics(struct ctx *c, const char *unit, int month);

/* How a figure is written. */
enum figpage_kind {
	KIND_RATE,   /* 0.8125 -> "81,3%" */
	KIND_MEAN,   /* 4 decimals in, 2 shown: "4,25" */
	KIND_POINTS, /* "18,75" */
	KIND_COUNT,  /* an integer (the value is a whole number) */
};

/* The figure as text ("—" for NaN), with the page's decimal mark. */
void figpage_value(struct ctx *c, struct buf *b, double v, enum figpage_kind k);

/*
 * A table cell with the figure: <td class="num" data-k="key"
 * data-v="0.8125">81,3%</td>; data-v is the exact figure of METRICS.md
 * (4 decimals, 2 for points; "null" for NaN), for tests and scripts.
 */
void
figpage_cell(struct ctx *c, const char *key, double v, enum figpage_kind k);

/* The "not enough data" cell (figures below n_min). */
void figpage_cell_masked(struct ctx *c, const char *key);

/* A rate and its Wilson interval as one cell. */
void
figpage_cell_ci(struct ctx *c, const char *key, double v, const double ci[2]);

/* The flag's name for people (Vietnamese or English): label_flag(). */
const char *figpage_flag_label(struct ctx *c, enum metric_flag f);

/*
 * Plain words for the figures people ask about, for a title= or a
 * legend: the Wilson interval "[40,0 %–68,8 %]", the severity of a flag,
 * citizens' satisfaction (ratings) and the 766 handling satisfaction
 * (dossiers), and how the two differ.
 */
const char *figpage_ci_hint(struct ctx *c);
const char *figpage_severity_hint(struct ctx *c);
const char *figpage_satisfied_hint(struct ctx *c);
const char *figpage_handling_hint(struct ctx *c);

/* A severity (0.1538) as people read it: "15,4 điểm" (percentage points). */
void figpage_severity(struct ctx *c, struct buf *b, double severity);

/* A legend (<dl class="legend">) of the figures named by `what`. */
#define FIGPAGE_LEGEND_SATISFACTION 1u
#define FIGPAGE_LEGEND_CI 2u
#define FIGPAGE_LEGEND_SEVERITY 4u
#define FIGPAGE_LEGEND_POINTS 8u
void figpage_legend(struct ctx *c, unsigned what);

/*
 * The scope's raised flags as labels ("" when none), in a cell; each
 * with data-flag (the code), data-severity and a title saying what it
 * means.
 */
void figpage_flags_cell(struct ctx *c, const struct metric_figures *f);

/* The sum of the four 766 points (at most 36). */
double figpage_points_total(const struct metric_figures *f);

/*
 * A trend chart: inline SVG (presentation attributes only: the CSP
 * allows no inline style) of n monthly values ending at months[n-1];
 * NaN months are gaps.  `max` is the top of the scale (1 for rates).
 * Titled with `title`; each point has a <title> with month and value.
 */
void figpage_trend(struct ctx *c, const char *key, const char *title,
    const int *months, const double *v, int n, double max, enum figpage_kind k);

#define FIGPAGE_TREND_MONTHS 12

/*
 * The 12 months ending at `month` of the unit (each as of now), in
 * order; each NULL where the computation failed.  Free with
 * figpage_series_free().
 */
void figpage_series(struct ctx *c, const char *unit, int month,
    struct metrics *out[FIGPAGE_TREND_MONTHS]);
void figpage_series_free(struct metrics *s[FIGPAGE_TREND_MONTHS]);

/* The scope of a procedure (code) or counter in a list, or NULL. */
const struct metric_scope *figpage_find(const struct metric_list *l,
    const char *code, const char *unit, int counter);

/*
 * The label of reason `code` in the questionnaire in force at the end of
 * m's month (or at m->as_of when earlier), in the page's language; the
 * code itself when no version names it.  Borrowed (the server's
 * instrument cache, or `code`).
 */
const char *
figpage_reason_label(struct ctx *c, const struct metrics *m, const char *code);

/*
 * The "why" of a scope (METRICS.md version 2) for staff: the reasons as
 * horizontal bars with their counts (every code of m->reason_codes), the
 * share done in one visit, satisfaction by channel, coverage (`dossiers`:
 * false for counters and officers, which have none) and what was
 * excluded, each with a short legend.  s may be NULL (no data: zeros).
 */
void figpage_why(struct ctx *c, const struct metrics *m,
    const struct metric_scope *s, bool dossiers);

/* Inclusion: by_requester and assisted as a table (figpage_incl.c). */
void figpage_incl(struct ctx *c, const struct metric_figures *f);

/*
 * The scope's reasons in one cell: the most named first, "label (n)",
 * at most `max` of them; "—" when none.
 */
void figpage_reasons_cell(struct ctx *c, const struct metrics *m,
    const struct metric_scope *s, int max);

/*
 * The scope's ratings by channel in one cell: "Ki-ốt 3 · Mã QR 1", the
 * channels with ratings only; "—" when none.
 */
void figpage_channels_cell(struct ctx *c, const struct metric_figures *f);

/* Ratings excluded from the figures, all statuses together. */
int64_t figpage_excluded_total(const struct metric_figures *f);

/* The name of an excluded status (index of metric_figures.excluded). */
const char *figpage_excluded_label(struct ctx *c, int i);

/* A rating's status ("valid", "spam"...) for people. */
const char *figpage_status_label(struct ctx *c, const char *status);

/* The name of a rating channel (enum rating_channel) for people. */
const char *figpage_channel_label(struct ctx *c, int ch);

/* The figure of METRICS.md named `key` ("satisfied_rate", "dossiers"...). */
double figpage_figure(const struct metric_figures *f, const char *key);

#endif
