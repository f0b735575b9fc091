/* addrlist.h -- lists of client addresses: exact ones and CIDR ranges. */
#ifndef HAILONG_ADDRLIST_H
#define HAILONG_ADDRLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A list is entries separated by spaces or commas; an entry is an IPv4
 * or IPv6 address ("127.0.0.1", "::1") or a range ("10.0.0.0/8",
 * "fd00::/8").  "" is the empty list.
 */

/* Whether every entry of `list` parses.  0, or -1 with err naming it. */
int addrlist_check(const char *list, char *err, size_t errlen);

/*
 * Whether address `ip` (numeric, as the HTTP layer reports it) is in
 * `list`.  An IPv4-mapped IPv6 address ("::ffff:10.1.2.3") counts as
 * its IPv4 address.  Malformed entries and addresses match nothing.
 */
bool addrlist_has(const char *list, const char *ip);

#endif
