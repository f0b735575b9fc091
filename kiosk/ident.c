/* ident.c -- who this kiosk is: its server, id and secret (DIR/kiosk.json). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "hailong/encode.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/kiosksig.h"
#include "hailong/util.h"
#include "ident.h"

int
ident_server_url(const char *url, char out[IDENT_URL_MAX])
{
	size_t n = strlen(url);

	if (n >= IDENT_URL_MAX ||
	    (!str_has_prefix(url, "http://") &&
		!str_has_prefix(url, "https://")) ||
	    strpbrk(url, "?# \t\r\n") != NULL)
		return -1;
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n <= strlen("https://"))
		return -1;
	memcpy(out, url, n);
	out[n] = '\0';
	return 0;
}

int
ident_load(const char *dir, struct ident *id, char *err, size_t errlen)
{
	char path[1024], *text = NULL;
	const char *server, *kiosk, *secret, *at;
	json_t *doc = NULL;
	json_error_t je;
	struct stat st;
	size_t len;
	int rc = -1;

	memset(id, 0, sizeof(*id));
	snprintf(path, sizeof(path), "%s/%s", dir, IDENT_FILE);
	if (stat(path, &st) < 0 && errno == ENOENT)
		return 1;
	if (!file_is_private(path, err, errlen))
		return -1;
	text = file_read(path, (size_t)64 * 1024, &len, err, errlen);
	if (text == NULL)
		return -1;
	doc = json_loadb(text, len, 0, &je);
	server = json_string_value(json_object_get(doc, "server"));
	kiosk = json_string_value(json_object_get(doc, WIRE_K_KIOSK));
	secret = json_string_value(json_object_get(doc, WIRE_K_SECRET));
	at = json_string_value(json_object_get(doc, "enrolled_at"));
	if (server == NULL || ident_server_url(server, id->server) < 0 ||
	    kiosk == NULL || !kiosk_id_is_valid(kiosk, strlen(kiosk)) ||
	    secret == NULL ||
	    b64url_decode(secret, strlen(secret), id->secret,
		sizeof(id->secret)) != WIRE_SECRET_LEN) {
		snprintf(err, errlen,
		    "identity file '%s' is damaged; enrol the kiosk again "
		    "with a new code",
		    path);
		goto out;
	}
	memcpy(id->kiosk, kiosk, WIRE_KIOSK_ID_LEN + 1);
	if (at == NULL || rfc3339_parse(at, strlen(at), &id->enrolled_at) < 0)
		id->enrolled_at = 0;
	rc = 0;
out:
	json_decref(doc);
	if (text != NULL) {
		memset(text, 0, len);
		free(text);
	}
	return rc;
}

int
ident_save(const char *dir, const struct ident *id, char *err, size_t errlen)
{
	char path[1024], secret[64], at[26], *text;
	json_t *doc;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, IDENT_FILE);
	b64url_encode(id->secret, sizeof(id->secret), secret);
	rfc3339_format(id->enrolled_at, at);
	doc = json_pack("{s:s, s:s, s:s, s:s}", "server", id->server,
	    WIRE_K_KIOSK, id->kiosk, WIRE_K_SECRET, secret, "enrolled_at", at);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	memset(secret, 0, sizeof(secret));
	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = file_write_atomic(path, text, strlen(text), 0600, err, errlen);
	memset(text, 0, strlen(text));
	free(text);
	return rc;
}

int
ident_enrol(const char *server, const char *code, const char *ca_file,
    struct ident *out, char *err, size_t errlen)
{
	struct httpc_options o = { .timeout_ms = 30000,
		.ca_file = ca_file,
		.body_max = (size_t)64 * 1024 };
	const char *hdr[] = { "Content-Type: application/json", NULL };
	struct httpc_response r = { 0 };
	struct httpc *h = NULL;
	char url[IDENT_URL_MAX + 64], *body = NULL;
	const char *kiosk, *secret, *msg;
	json_t *doc = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (ident_server_url(server, out->server) < 0) {
		snprintf(err, errlen,
		    "'%s' is not a server address (like "
		    "https://hailong.example.gov.vn)",
		    server);
		return -1;
	}
	snprintf(url, sizeof(url), "%s%s", out->server, WIRE_PATH_ENROLL);
	doc = json_pack("{s:s}", WIRE_K_CODE, code);
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	doc = NULL;
	h = httpc_new(&o);
	if (h == NULL || body == NULL) {
		snprintf(err, errlen, "cannot start the HTTP client");
		goto out;
	}
	if (httpc_request(
		h, "POST", url, hdr, body, strlen(body), &r, err, errlen) < 0)
		goto out;
	doc = json_loadb(buf_str(&r.body), r.body.len, 0, NULL);
	if (r.status != 201) {
		msg = json_string_value(json_object_get(doc, WIRE_K_MESSAGE));
		snprintf(err, errlen, "the server refused the code (%d %s): %s",
		    r.status,
		    json_string_value(json_object_get(doc, WIRE_K_ERROR))
			? json_string_value(json_object_get(doc, WIRE_K_ERROR))
			: "error",
		    msg ? msg : "no explanation");
		goto out;
	}
	kiosk = json_string_value(json_object_get(doc, WIRE_K_KIOSK));
	secret = json_string_value(json_object_get(doc, WIRE_K_SECRET));
	if (kiosk == NULL || !kiosk_id_is_valid(kiosk, strlen(kiosk)) ||
	    secret == NULL ||
	    b64url_decode(secret, strlen(secret), out->secret,
		sizeof(out->secret)) != WIRE_SECRET_LEN) {
		snprintf(err, errlen, "the server's answer is not an identity");
		goto out;
	}
	memcpy(out->kiosk, kiosk, WIRE_KIOSK_ID_LEN + 1);
	out->enrolled_at = hl_now();
	rc = 0;
out:
	json_decref(doc);
	if (r.body.data != NULL)
		memset(r.body.data, 0, r.body.len);
	httpc_response_release(&r);
	httpc_free(h);
	free(body);
	return rc;
}
