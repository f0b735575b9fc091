/* wire.c -- the JSON bodies of the kiosk protocol, read and checked. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "hailong/crypto.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "hailong/wire.h"

static const char *const status_names[] = { "accepted", "duplicate", "conflict",
	"rejected" };

const char *
wire_status_name(enum wire_status s)
{
	return (unsigned)s < ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

int
wire_status_parse(const char *s, enum wire_status *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum wire_status)i;
			return 0;
		}
	}
	return -1;
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int
wire_code_normalize(const char *s, size_t len, char out[WIRE_CODE_CHARS + 1])
{
	size_t n = 0;

	if (len > 64)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || strchr(crockford, c) == NULL ||
		    n == WIRE_CODE_CHARS)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == WIRE_CODE_CHARS ? 0 : -1;
}

void
wire_code_new(char out[WIRE_CODE_LEN + 1])
{
	unsigned char raw[WIRE_CODE_CHARS];
	size_t n = 0;

	random_bytes(raw, sizeof(raw));
	for (int i = 0; i < WIRE_CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[n++] = '-';
		out[n++] = crockford[raw[i] & 31]; /* 256 % 32 == 0: no bias */
	}
	out[n] = '\0';
}

/* The body as a JSON object; NULL with why filled. */
static json_t *
load_object(const char *buf, size_t len, char *why, size_t n)
{
	json_error_t je;
	json_t *doc;

	if (!utf8_is_valid(buf, len)) {
		snprintf(why, n, "the body is not UTF-8");
		return NULL;
	}
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		snprintf(why, n, "invalid JSON at line %d column %d: %s",
		    je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		snprintf(why, n, "the body must be a JSON object");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/*
 * A JSON array of reason codes into the comma-joined list: at most
 * RATING_REASONS_MAX, each valid, none twice.  0 or -1.
 */
static int
reasons_join(const json_t *a, char *out, size_t size)
{
	size_t i, used = 0;
	const json_t *v;

	out[0] = '\0';
	if (!json_is_array(a) || json_array_size(a) > RATING_REASONS_MAX)
		return -1;
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);
		size_t len = s != NULL ? json_string_length(v) : 0;

		if (s == NULL || !reason_is_valid(s, len))
			return -1;
		/* distinct: compare with each code already in out */
		for (const char *p = out; *p != '\0';) {
			size_t plen = strcspn(p, ",");

			if (plen == len && memcmp(p, s, len) == 0)
				return -1;
			p += plen + (p[plen] == ',');
		}
		if (used + len + 2 > size)
			return -1;
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, s, len);
		used += len;
		out[used] = '\0';
	}
	return 0;
}

/* Optional dossier: absent, "" or a mã hồ sơ.  0 or -1. */
static int
dossier_copy(const json_t *v, char *out, size_t size)
{
	const char *s;
	size_t len;

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	s = json_string_value(v);
	if (s == NULL)
		return -1;
	len = json_string_length(v);
	if (len == 0)
		return 0;
	if (len >= size || !is_dossier_code(s, len))
		return -1;
	memcpy(out, s, len + 1);
	return 0;
}

/* A serial: an integer 1..2^53 (what every JSON reader keeps exact). */
static bool
serial_read(const json_t *v, int64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return false;
	i = json_integer_value(v);
	if (i < 1 || i > ((json_int_t)1 << 53))
		return false;
	*out = (int64_t)i;
	return true;
}

static bool
level_read(const json_t *v, int *out)
{
	json_int_t l;

	if (!json_is_integer(v))
		return false;
	l = json_integer_value(v);
	if (l < 1 || l > 5)
		return false;
	*out = (int)l;
	return true;
}

/* Optional requester: absent, null, "", "citizen" or "business". */
static bool
requester_read(const json_t *v, enum rating_requester *out)
{
	*out = REQUESTER_NONE;
	if (v == NULL || json_is_null(v))
		return true;
	return json_is_string(v) &&
	    strlen(json_string_value(v)) == json_string_length(v) &&
	    rating_requester_parse(json_string_value(v), out) == 0;
}

/* Optional assisted mark: absent (false), true or false. */
static bool
assisted_read(const json_t *v, bool *out)
{
	*out = json_is_true(v);
	return v == NULL || json_is_boolean(v);
}

int
wire_local_parse(
    const char *buf, size_t len, struct wire_local *out, char *why, size_t n)
{
	json_t *doc, *v;
	const char *key;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	doc = load_object(buf, len, why, n);
	if (doc == NULL)
		return -1;
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, WIRE_K_LEVEL) != 0 &&
		    strcmp(key, WIRE_K_REASONS) != 0 &&
		    strcmp(key, WIRE_K_DOSSIER) != 0 &&
		    strcmp(key, WIRE_K_REASONS_FOLLOW) != 0 &&
		    strcmp(key, WIRE_K_SERVING) != 0 &&
		    strcmp(key, WIRE_K_REQUESTER) != 0 &&
		    strcmp(key, WIRE_K_ASSISTED) != 0) {
			snprintf(why, n, "unknown key \"%.40s\"", key);
			goto out;
		}
	}
	if (!level_read(json_object_get(doc, WIRE_K_LEVEL), &out->level)) {
		snprintf(why, n, "level must be an integer from 1 to 5");
		goto out;
	}
	v = json_object_get(doc, WIRE_K_REASONS);
	if (v != NULL &&
	    reasons_join(v, out->reasons, sizeof(out->reasons)) < 0) {
		snprintf(why, n,
		    "reasons must be a list of at most %d distinct "
		    "reason codes",
		    RATING_REASONS_MAX);
		goto out;
	}
	if (out->reasons[0] != '\0' && out->level > WIRE_LOW_LEVEL_MAX) {
		snprintf(why, n, "reasons are asked only for levels 1 to %d",
		    WIRE_LOW_LEVEL_MAX);
		goto out;
	}
	if (dossier_copy(json_object_get(doc, WIRE_K_DOSSIER), out->dossier,
		sizeof(out->dossier)) < 0) {
		snprintf(why, n,
		    "dossier must be a mã hồ sơ like "
		    "H21.227-261008-0001");
		goto out;
	}
	v = json_object_get(doc, WIRE_K_REASONS_FOLLOW);
	if (v != NULL && !json_is_boolean(v)) {
		snprintf(why, n, "reasons_follow must be true or false");
		goto out;
	}
	out->reasons_follow = json_is_true(v);
	if (out->reasons_follow && out->level > WIRE_LOW_LEVEL_MAX) {
		snprintf(why, n, "reasons are asked only for levels 1 to %d",
		    WIRE_LOW_LEVEL_MAX);
		goto out;
	}
	v = json_object_get(doc, WIRE_K_SERVING);
	if (v != NULL && !serial_read(v, &out->serving)) {
		snprintf(why, n, "serving must be a serial number");
		goto out;
	}
	if (!requester_read(
		json_object_get(doc, WIRE_K_REQUESTER), &out->requester)) {
		snprintf(why, n,
		    "requester must be \"citizen\", \"business\" or absent");
		goto out;
	}
	if (!assisted_read(
		json_object_get(doc, WIRE_K_ASSISTED), &out->assisted)) {
		snprintf(why, n, "assisted must be true or false");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

int
wire_reasons_parse(const char *buf, size_t len,
    char out[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)], char *why,
    size_t n)
{
	json_t *doc = load_object(buf, len, why, n);
	int rc = -1;

	out[0] = '\0';
	if (doc == NULL)
		return -1;
	if (json_object_size(doc) != 1 ||
	    reasons_join(json_object_get(doc, WIRE_K_REASONS), out,
		(size_t)RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)) < 0) {
		snprintf(why, n,
		    "send {\"reasons\": [...]} with at most %d "
		    "distinct reason codes",
		    RATING_REASONS_MAX);
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

static bool
count_read(const json_t *v, int64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 1000000000)
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

int
wire_serving_parse(
    const char *buf, size_t len, struct wire_serving *out, char *why, size_t n)
{
	json_t *doc, *d, *serial;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	doc = load_object(buf, len, why, n);
	if (doc == NULL)
		return -1;
	d = json_object_get(doc, WIRE_K_DOSSIER);
	serial = json_object_get(doc, WIRE_K_SERIAL);
	if (d == NULL || json_is_null(d)) {
		if (!json_is_integer(serial) ||
		    json_integer_value(serial) != 0) {
			snprintf(why, n, "serial must be 0 without a dossier");
			goto out;
		}
	} else if (!json_is_string(d) ||
	    dossier_copy(d, out->dossier, sizeof(out->dossier)) < 0 ||
	    out->dossier[0] == '\0') {
		snprintf(why, n, "dossier must be a mã hồ sơ or null");
		goto out;
	} else if (!serial_read(serial, &out->serial)) {
		snprintf(why, n, "serial must be a serial number");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	json_decref(doc);
	return rc;
}

int
wire_serial_parse(
    const char *buf, size_t len, int64_t *serial, char *why, size_t n)
{
	json_t *doc, *v;
	const char *key;
	int rc = -1;

	*serial = 0;
	doc = load_object(buf, len, why, n);
	if (doc == NULL)
		return -1;
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, WIRE_K_SERIAL) != 0) {
			snprintf(why, n, "unknown key \"%.40s\"", key);
			goto out;
		}
	}
	if (!serial_read(json_object_get(doc, WIRE_K_SERIAL), serial)) {
		snprintf(why, n, "serial must be a serial number");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

int
wire_heartbeat_parse(const char *buf, size_t len, struct wire_heartbeat *out,
    char *why, size_t n)
{
	json_t *doc, *v;
	const char *s;
	size_t slen;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->oldest_unsent = -1;
	doc = load_object(buf, len, why, n);
	if (doc == NULL)
		return -1;
	v = json_object_get(doc, WIRE_K_VERSION);
	s = json_string_value(v);
	slen = s != NULL ? json_string_length(v) : 0;
	for (size_t i = 0; i < slen; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			slen = 0;
	if (slen == 0 || slen > WIRE_VERSION_MAX) {
		snprintf(why, n, "version must be 1 to %d printable characters",
		    WIRE_VERSION_MAX);
		goto out;
	}
	memcpy(out->version, s, slen + 1);
	if (!count_read(json_object_get(doc, WIRE_K_OUTBOX), &out->outbox) ||
	    !count_read(
		json_object_get(doc, WIRE_K_PROBLEMS), &out->problems)) {
		snprintf(why, n, "outbox and problems must be counts");
		goto out;
	}
	v = json_object_get(doc, WIRE_K_OLDEST_UNSENT);
	if (v != NULL && !json_is_null(v) &&
	    (json_string_value(v) == NULL ||
		rfc3339_parse(json_string_value(v), json_string_length(v),
		    &out->oldest_unsent) < 0)) {
		snprintf(
		    why, n, "oldest_unsent must be an RFC 3339 time or null");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/* One item of a batch; sets it->bad on the first bad field. */
static void
item_read(const json_t *o, int64_t now, struct wire_item *it)
{
	const json_t *v;
	const char *s;
	json_int_t seq;

	memset(it, 0, sizeof(*it));
	if (!json_is_object(o)) {
		it->bad = "item";
		return;
	}
	v = json_object_get(o, WIRE_K_ID);
	s = json_string_value(v);
	if (s == NULL || !rating_id_is_valid(s, json_string_length(v))) {
		it->bad = WIRE_K_ID;
		return;
	}
	memcpy(it->id, s, json_string_length(v) + 1);
	v = json_object_get(o, WIRE_K_SEQ);
	seq = json_is_integer(v) ? json_integer_value(v) : 0;
	if (seq < 1) {
		it->bad = WIRE_K_SEQ;
		return;
	}
	it->seq = (int64_t)seq;
	if (!level_read(json_object_get(o, WIRE_K_LEVEL), &it->level)) {
		it->bad = WIRE_K_LEVEL;
		return;
	}
	v = json_object_get(o, WIRE_K_REASONS);
	if (v != NULL &&
	    (reasons_join(v, it->reasons, sizeof(it->reasons)) < 0 ||
		(it->reasons[0] != '\0' && it->level > WIRE_LOW_LEVEL_MAX))) {
		it->bad = WIRE_K_REASONS;
		return;
	}
	if (dossier_copy(json_object_get(o, WIRE_K_DOSSIER), it->dossier,
		sizeof(it->dossier)) < 0) {
		it->bad = WIRE_K_DOSSIER;
		return;
	}
	v = json_object_get(o, WIRE_K_RATED_AT);
	s = json_string_value(v);
	if (s == NULL ||
	    rfc3339_parse(s, json_string_length(v), &it->rated_at) < 0 ||
	    it->rated_at < WIRE_RATED_AT_MIN ||
	    it->rated_at > now + WIRE_FUTURE_SLACK) {
		it->bad = WIRE_K_RATED_AT;
		return;
	}
	v = json_object_get(o, WIRE_K_BURST);
	if (v != NULL && !json_is_boolean(v)) {
		it->bad = WIRE_K_BURST;
		return;
	}
	it->burst = json_is_true(v);
	/* optional: a kiosk older than them sends neither */
	if (!requester_read(
		json_object_get(o, WIRE_K_REQUESTER), &it->requester)) {
		it->bad = WIRE_K_REQUESTER;
		return;
	}
	if (!assisted_read(json_object_get(o, WIRE_K_ASSISTED), &it->assisted))
		it->bad = WIRE_K_ASSISTED;
}

int
wire_batch_parse(const char *buf, size_t len, int64_t now,
    struct wire_item **items, size_t *n, char *why, size_t whylen)
{
	json_t *doc, *a, *v;
	size_t i;
	int rc = -1;

	*items = NULL;
	*n = 0;
	doc = load_object(buf, len, why, whylen);
	if (doc == NULL)
		return -1;
	a = json_object_get(doc, WIRE_K_RATINGS);
	if (!json_is_array(a) || json_object_size(doc) != 1) {
		snprintf(why, whylen, "send {\"ratings\": [...]}");
		goto out;
	}
	if (json_array_size(a) == 0 || json_array_size(a) > WIRE_BATCH_MAX) {
		snprintf(why, whylen, "a batch holds 1 to %d ratings",
		    WIRE_BATCH_MAX);
		goto out;
	}
	*n = json_array_size(a);
	*items = xcalloc(*n, sizeof(**items));
	json_array_foreach(a, i, v)
	{
		item_read(v, now, &(*items)[i]);
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}
