/* addrlist.c -- lists of client addresses: exact ones and CIDR ranges. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/util.h"
#include "core/addrlist.h"

/* An address as 16 bytes; IPv4 in the last four, with len 4. */
struct addr {
	unsigned char b[16];
	int len; /* 4 or 16 */
};

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

static int
addr_parse(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->len = 16;
		if (memcmp(a->b, v4mapped, sizeof(v4mapped)) == 0) {
			memmove(a->b, a->b + 12, 4);
			memset(a->b + 4, 0, 12);
			a->len = 4;
		}
		return 0;
	}
	return -1;
}

/* One entry "ADDR" or "ADDR/BITS" into net and bits.  0 or -1. */
static int
entry_parse(const char *e, size_t n, struct addr *net, int *bits)
{
	char tmp[64];
	char *slash;
	int64_t v;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, e, n);
	tmp[n] = '\0';
	slash = strchr(tmp, '/');
	if (slash != NULL)
		*slash = '\0';
	if (addr_parse(tmp, net) < 0)
		return -1;
	*bits = (int)net->len * 8;
	if (slash != NULL) {
		if (parse_int64(slash + 1, strlen(slash + 1), 0,
			(int64_t)net->len * 8, &v) < 0)
			return -1;
		*bits = (int)v;
	}
	return 0;
}

static bool
in_range(const struct addr *a, const struct addr *net, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (a->len != net->len)
		return false;
	if (memcmp(a->b, net->b, (size_t)full) != 0)
		return false;
	if (rest != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((a->b[full] & mask) != (net->b[full] & mask))
			return false;
	}
	return true;
}

int
addrlist_check(const char *list, char *err, size_t errlen)
{
	const char *p = list + strspn(list, ", \t");

	while (*p != '\0') {
		size_t n = strcspn(p, ", \t");
		struct addr net;
		int bits;

		if (entry_parse(p, n, &net, &bits) < 0) {
			snprintf(err, errlen,
			    "'%.*s' is not an address or a range like "
			    "10.0.0.0/8",
			    (int)(n > 64 ? 64 : n), p);
			return -1;
		}
		p += n;
		p += strspn(p, ", \t");
	}
	return 0;
}

bool
addrlist_has(const char *list, const char *ip)
{
	const char *p = list + strspn(list, ", \t");
	struct addr a;

	if (addr_parse(ip, &a) < 0)
		return false;
	while (*p != '\0') {
		size_t n = strcspn(p, ", \t");
		struct addr net;
		int bits;

		if (entry_parse(p, n, &net, &bits) == 0 &&
		    in_range(&a, &net, bits))
			return true;
		p += n;
		p += strspn(p, ", \t");
	}
	return false;
}
