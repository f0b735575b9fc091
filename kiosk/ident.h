/* ident.h -- who this kiosk is: its server, id and secret (DIR/kiosk.json). */
#ifndef KIOSK_IDENT_H
#define KIOSK_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "hailong/wire.h"

#define IDENT_FILE "kiosk.json"
#define IDENT_URL_MAX 512

/*
 * DIR/kiosk.json, mode 0600:
 *	{"server": "https://hailong.example.gov.vn", "kiosk": "k0123456789",
 *	 "secret": "<base64url of 32 bytes>", "enrolled_at": RFC 3339}
 */
struct ident {
	char server[IDENT_URL_MAX]; /* base URL, no trailing slash */
	char kiosk[WIRE_KIOSK_ID_LEN + 1];
	unsigned char secret[WIRE_SECRET_LEN];
	int64_t enrolled_at;
};

/*
 * Read DIR/kiosk.json.  0; 1 when the file does not exist; -1 when it
 * cannot be read, is damaged, or others may read it (err says which).
 */
int ident_load(const char *dir, struct ident *id, char *err, size_t errlen);

/* Write DIR/kiosk.json atomically with mode 0600.  0 or -1 with err. */
int
ident_save(const char *dir, const struct ident *id, char *err, size_t errlen);

/*
 * Check a server address: http:// or https://, no query, no fragment,
 * at most IDENT_URL_MAX-1 bytes; copy it without trailing slashes.
 * 0 or -1.
 */
int ident_server_url(const char *url, char out[IDENT_URL_MAX]);

/*
 * Exchange an enrolment code at `server` for the kiosk's identity
 * (POST WIRE_PATH_ENROLL).  ca_file may be NULL.  0, or -1 with err
 * saying why (the server's own message when it answered).
 */
int ident_enrol(const char *server, const char *code, const char *ca_file,
    struct ident *out, char *err, size_t errlen);

#endif
