/* metrics_text.h -- a month's figures as a Vietnamese table for a terminal. */
#ifndef HAILONG_METRICS_TEXT_H
#define HAILONG_METRICS_TEXT_H

#include "hailong/buf.h"

struct metrics;

/*
 * Append m (metrics_finish() done) as plain text: a heading, the
 * unit's rating and dossier figures with the counts behind the main
 * rates, why (reasons, visits, channels, coverage, what was excluded,
 * dossiers by channel), the 766 points and flags, then one table each for procedures,
 * counters and officers (officers below n_min: "chưa đủ dữ liệu").
 * Numbers in Vietnamese style (1.234; 95,14%); null figures as "—".
 */
void metrics_text(const struct metrics *m, struct buf *out);

/* The Vietnamese name of a flag ("hài lòng thấp", ...). */
const char *metrics_flag_vi(int flag);

#endif
