/* audit.h -- the append-only, hash-chained log of what people did. */
#ifndef HAILONG_AUDIT_H
#define HAILONG_AUDIT_H

#include <stdint.h>

struct db;

/*
 * Append one entry.  `actor` is who ("user:lan", "cli:root", "system"),
 * `action` a short verb ("rating.flag", "import.dossiers", "report.sign"),
 * `target` what it touched, `detail` compact JSON or "".  Never put a
 * password, token or phone number in any of them.
 *
 * chain = SHA-256(previous chain || canonical), where canonical is
 * "hailong-audit-v1\n" then for each of seq, at, actor, action, target,
 * detail a line "name=<byte length>:<value>\n".  Inside the caller's
 * transaction when there is one, else in its own.  0 or -1.
 */
int audit_append(struct db *db, const char *actor, const char *action,
    const char *target, const char *detail);

/*
 * Walk the whole chain.  Returns 0 when intact (*count entries), 1 when
 * broken (*bad_seq is the first entry that does not verify), -1 on error.
 */
int audit_verify(struct db *db, int64_t *count, int64_t *bad_seq);

#endif
