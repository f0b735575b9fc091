/* qrlink.c -- the address a QR code carries, and tokens for the CLI. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "core/qrlink.h"
#include "core/store.h"

void
qrlink_url(const char *base, const char *token, struct buf *out)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_add(out, base, n);
	buf_puts(out, "/q/");
	buf_puts(out, token);
}

int
qrlink_token(struct db *db, struct token *t, char out[TOKEN_MAX_LEN + 1],
    char *err, size_t errlen)
{
	unsigned char key[TOKEN_KEY_LEN];
	const char *why;

	if (!store_has_unit(db, t->unit)) {
		snprintf(err, errlen, "no unit '%s' in the database", t->unit);
		return -1;
	}
	if (t->counter > 0 && !store_has_counter(db, t->unit, t->counter)) {
		snprintf(err, errlen,
		    "unit %s has no counter %d (add it "
		    "first)",
		    t->unit, t->counter);
		return -1;
	}
	if (t->procedure[0] != '\0' && !store_has_procedure(db, t->procedure)) {
		snprintf(err, errlen, "no procedure '%s' in the database",
		    t->procedure);
		return -1;
	}
	t->kid = store_current_kid(db);
	if (t->kid < 0 || store_token_key(db, t->kid, key) < 0) {
		snprintf(err, errlen, "no token key; run 'hailong init'");
		return -1;
	}
	why = token_check(t);
	if (why != NULL) {
		snprintf(err, errlen, "cannot make this token: %s", why);
		return -1;
	}
	if (token_encode(t, key, sizeof(key), out) < 0) {
		snprintf(err, errlen, "token too long");
		return -1;
	}
	return 0;
}
