/* kioskapi.c -- the kiosks' API: signatures, enrolment, ratings, config. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/kiosksig.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "hailong/wire.h"
#include "core/instrument.h"
#include "core/kiosks.h"
#include "core/kioskseen.h"
#include "core/qrlink.h"
#include "core/ratelimit.h"
#include "core/ratings.h"
#include "core/serving.h"
#include "core/units.h"
#include "core/writer.h"
#include "web/auth.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/* What auth_kiosk() learnt, kept for the answer's signature. */
struct kiosk_call {
	struct kiosk k;
	int64_t nonce;
};

/* One rating of a batch on its way through the writer. */
struct batch_job {
	struct writer_job job;
	enum wire_status status;
	const char *reason; /* rejected: why */
	bool valid, submitted;
};

struct batch {
	struct kiosk_call call; /* first: the answer is signed from it */
	struct ctx *c;
	size_t n;
	struct wire_item *items;
	struct batch_job *jobs;
	atomic_size_t pending;
	bool failed; /* a check could not read the database */
	/* when the kiosk's unit and counter were disabled, 0 while open */
	int64_t unit_closed, counter_closed;
};

static void
kiosk_call_free(void *p)
{
	struct kiosk_call *call = p;

	if (call == NULL)
		return;
	memset(call->k.secret, 0, sizeof(call->k.secret));
	free(call);
}

static const char *
body_of(struct ctx *c)
{
	return c->req->body.data != NULL ? c->req->body.data : "";
}

/* The refusals of auth_kiosk(): JSON, never signed. */
static int
refuse(struct ctx *c, int quiet, int status, const char *code, const char *msg)
{
	if (!quiet)
		ctx_json_error(c, status, code, "%s", msg);
	return -1;
}

int
auth_kiosk(struct ctx *c, int quiet)
{
	const char *h = http_header(c->req, WIRE_HDR_AUTH);
	struct kiosk_call *call;
	struct kiosksig sig;
	struct db *db;
	int64_t now = hl_now(), last = 0;
	int rc;

	if (h == NULL || kiosksig_parse(h, strlen(h), &sig) < 0)
		return refuse(c, quiet, 401, WIRE_ERR_UNAUTHORIZED,
		    "sign the request: Authorization: " KIOSKSIG_SCHEME
		    " kiosk=..., time=..., nonce=..., sig=...");
	db = ctx_db(c);
	if (db == NULL) {
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the database cannot be opened");
		return -1;
	}
	call = xcalloc(1, sizeof(*call));
	rc = kiosks_load(db, sig.kiosk, &call->k);
	if (rc < 0) {
		kiosk_call_free(call);
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the database cannot be read");
		return -1;
	}
	/* unknown, not enrolled and forged look alike from outside */
	if (rc == 1 || !call->k.has_secret ||
	    !kiosksig_verify(&sig, call->k.secret, sizeof(call->k.secret),
		c->req->method_str, c->req->path, c->req->query, body_of(c),
		c->req->body.len)) {
		kiosk_call_free(call);
		log_kv(LOG_WARN, "kiosk_auth", "result=bad_signature kiosk=%s",
		    sig.kiosk);
		return refuse(c, quiet, 401, WIRE_ERR_UNAUTHORIZED,
		    "the signature does not verify");
	}
	if (call->k.revoked_at >= 0) {
		kiosk_call_free(call);
		log_kv(LOG_WARN, "kiosk_auth", "result=revoked kiosk=%s",
		    sig.kiosk);
		return refuse(c, quiet, 403, WIRE_ERR_REVOKED,
		    "this kiosk was revoked; enrol it again with a new code");
	}
	if (sig.time < now - WIRE_TIME_WINDOW ||
	    sig.time > now + WIRE_TIME_WINDOW) {
		kiosk_call_free(call);
		return refuse(c, quiet, 401, WIRE_ERR_STALE_TIME,
		    "the request's time is too far from the server's clock; "
		    "correct it from the Date header");
	}
	rc = kioskseen_nonce(&call->k, sig.nonce, now, &last);
	if (rc != 0) {
		kiosk_call_free(call);
		if (rc < 0) {
			ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
			    "the server is out of memory");
			return -1;
		}
		log_kv(LOG_WARN, "kiosk_auth", "result=replay kiosk=%s",
		    sig.kiosk);
		if (!quiet)
			ctx_json(c, 401,
			    json_pack("{s:s, s:s, s:I}", WIRE_K_ERROR,
				WIRE_ERR_REPLAY, WIRE_K_MESSAGE,
				"the nonce was used before; use one above "
				"last_nonce",
				WIRE_K_LAST_NONCE, (json_int_t)last));
		return -1;
	}
	call->nonce = sig.nonce;
	c->who.kind = PRINCIPAL_KIOSK;
	c->who.id = call->k.rowid;
	strlcpy_hl(c->who.name, call->k.id, sizeof(c->who.name));
	strlcpy_hl(c->who.unit, call->k.unit, sizeof(c->who.unit));
	c->who.counter = call->k.counter;
	strlcpy_hl(c->who.officer, call->k.officer, sizeof(c->who.officer));
	c->state = call;
	c->state_free = kiosk_call_free;
	return 0;
}

/* Answer a signed request: the JSON, and the server's signature of it. */
static void
kiosk_reply(
    struct ctx *c, const struct kiosk_call *call, int status, json_t *doc)
{
	char sig[2 * SHA256_LEN + 1];

	if (doc != NULL)
		ctx_json(c, status, doc);
	else
		http_begin_body(c->req, status, "application/json");
	kiosksig_response(call->k.secret, sizeof(call->k.secret),
	    c->req->resp.status, call->nonce, buf_str(&c->req->resp.body),
	    c->req->resp.body.len, sig);
	http_set_header(&c->req->resp, WIRE_HDR_RESPONSE_SIG, sig);
}

/* --- enrolment ------------------------------------------------------------- */

void
api_kiosk_enrol(struct ctx *c)
{
	struct kiosk k;
	json_t *doc;
	const char *code;
	char key[80], secret[64];
	unsigned retry = 0;
	struct db *db;
	enum kiosks_enrol r;

	snprintf(key, sizeof(key), "enrol:%s", c->client);
	if (!ratelimit_hit(c->srv->enrol_limit, key, hl_now(), &retry)) {
		char ra[16];

		ctx_json_error(c, 429, WIRE_ERR_RATE_LIMITED,
		    "too many enrolment attempts; wait a minute");
		snprintf(ra, sizeof(ra), "%u", retry ? retry : 1);
		http_set_header(&c->req->resp, "Retry-After", ra);
		return;
	}
	doc = ctx_json_body(c);
	if (doc == NULL)
		return;
	code = json_string_value(json_object_get(doc, WIRE_K_CODE));
	if (code == NULL || json_object_size(doc) != 1) {
		json_decref(doc);
		ctx_json_error(c, 400, WIRE_ERR_BAD_REQUEST,
		    "send {\"code\": \"ABCD-EFGH-JKMN-PQRS\"}");
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		json_decref(doc);
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the database cannot be opened");
		return;
	}
	memset(&k, 0, sizeof(k));
	r = kiosks_enrol(db, code, hl_now(), &k);
	json_decref(doc);
	switch (r) {
	case KIOSKS_ENROLLED:
		b64url_encode(k.secret, sizeof(k.secret), secret);
		ctx_json(c, 201,
		    json_pack("{s:s, s:s, s:s, s:i}", WIRE_K_KIOSK, k.id,
			WIRE_K_SECRET, secret, "unit", k.unit, "counter",
			k.counter));
		memset(secret, 0, sizeof(secret));
		memset(k.secret, 0, sizeof(k.secret));
		log_kv(LOG_INFO, "kiosk_enrol", "kiosk=%s unit=%s counter=%d",
		    k.id, k.unit, k.counter);
		break;
	case KIOSKS_CODE_UNKNOWN:
		ctx_json_error(c, 404, WIRE_ERR_CODE_UNKNOWN,
		    "no kiosk waits for this code; check it, or make a new "
		    "one with 'hailong kiosk add'");
		break;
	case KIOSKS_CODE_EXPIRED:
		ctx_json_error(c, 410, WIRE_ERR_CODE_EXPIRED,
		    "this code has expired (codes last 24 hours); make a new "
		    "one with 'hailong kiosk add'");
		break;
	case KIOSKS_CODE_USED:
		ctx_json_error(c, 409, WIRE_ERR_CODE_USED,
		    "this code was used already; a code enrols one kiosk "
		    "once");
		break;
	case KIOSKS_REVOKED:
		ctx_json_error(c, 403, WIRE_ERR_REVOKED,
		    "this kiosk was revoked before it was enrolled");
		break;
	case KIOSKS_ERROR:
	default:
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the enrolment could not be stored; try again");
		break;
	}
}

/* --- ratings ----------------------------------------------------------------- */

static void
batch_free(void *p)
{
	struct batch *b = p;

	if (b == NULL)
		return;
	for (size_t i = 0; b->jobs != NULL && i < b->n; i++)
		rating_release(&b->jobs[i].job.rating);
	free(b->jobs);
	free(b->items);
	memset(b->call.k.secret, 0, sizeof(b->call.k.secret));
	free(b);
}

/* Writer thread: one rating decided; the last one wakes the request. */
static void
batch_job_done(struct writer_job *job)
{
	struct batch *b = job->arg;

	if (atomic_fetch_sub(&b->pending, 1) == 1)
		http_resume(b->c->req); /* the last touch: b may go now */
}

/* HTTP thread again: every job is decided. */
static void
batch_resumed(struct ctx *c)
{
	struct batch *b = c->state;
	json_t *results;
	size_t counts[4] = { 0 };

	for (size_t i = 0; i < b->n; i++) {
		struct batch_job *j = &b->jobs[i];

		if (!j->submitted)
			continue;
		switch (j->job.result) {
		case WRITER_STORED: j->status = WIRE_ACCEPTED; break;
		case WRITER_DUPLICATE: j->status = WIRE_DUPLICATE; break;
		case WRITER_CONFLICT: j->status = WIRE_CONFLICT; break;
		case WRITER_REJECTED:
		case WRITER_DOSSIER_USED:
			j->status = WIRE_REJECTED;
			j->reason = "refused by the database";
			break;
		case WRITER_FOLDED:
			j->status = WIRE_REJECTED;
			j->reason = WIRE_REASON_FOLDED;
			break;
		case WRITER_UNAVAILABLE:
		default:
			/*
			 * Not decided: the kiosk sends the whole batch again
			 * later; what was stored comes back as duplicates.
			 */
			ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
			    "the ratings cannot be stored now; send them "
			    "again later");
			http_set_header(&c->req->resp, "Retry-After", "5");
			return;
		}
	}
	results = json_array();
	for (size_t i = 0; i < b->n; i++) {
		struct batch_job *j = &b->jobs[i];
		json_t *o = json_pack("{s:s, s:s}", WIRE_K_ID, b->items[i].id,
		    WIRE_K_STATUS, wire_status_name(j->status));

		if (j->status == WIRE_REJECTED)
			json_object_set_new(
			    o, WIRE_K_REASON, json_string(j->reason));
		json_array_append_new(results, o);
		counts[j->status]++;
	}
	log_kv(LOG_INFO, "kiosk_batch",
	    "kiosk=%s n=%zu accepted=%zu duplicate=%zu conflict=%zu "
	    "rejected=%zu",
	    b->call.k.id, b->n, counts[WIRE_ACCEPTED], counts[WIRE_DUPLICATE],
	    counts[WIRE_CONFLICT], counts[WIRE_REJECTED]);
	kiosk_reply(
	    c, &b->call, 200, json_pack("{s:o}", WIRE_K_RESULTS, results));
}

/* Whether every reason of the comma list is in the instrument. */
static bool
reasons_known(const struct instrument *ins, const char *list)
{
	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (!instrument_has_reason(ins, list, len))
			return false;
		list += len + (list[len] == ',');
	}
	return true;
}

/* Fill the rating of item i; false (with j->reason) when it is invalid. */
static bool
batch_rating(struct ctx *c, struct batch *b, size_t i, int64_t now)
{
	const struct wire_item *it = &b->items[i];
	struct batch_job *j = &b->jobs[i];
	struct rating *r = &j->job.rating;
	const char *bad;

	if (it->bad != NULL) {
		j->reason = it->bad;
		return false;
	}
	if (it->reasons[0] != '\0') {
		/* the reasons of the version in force when it was given */
		char why[256];
		const struct instrument *ins =
		    instrument_cache_at(c->srv->instruments, ctx_db(c),
			it->rated_at, why, sizeof(why));

		if (ins == NULL) {
			log_kv(
			    LOG_ERROR, "kiosk_batch", "no instrument: %s", why);
			b->failed = true;
			j->reason = WIRE_K_REASONS;
			return false;
		}
		if (!reasons_known(ins, it->reasons)) {
			j->reason = WIRE_K_REASONS;
			return false;
		}
	}
	if (b->counter_closed != 0 && it->rated_at >= b->counter_closed) {
		j->reason = WIRE_REASON_COUNTER_DISABLED;
		return false;
	}
	if (b->unit_closed != 0 && it->rated_at >= b->unit_closed) {
		j->reason = WIRE_REASON_UNIT_DISABLED;
		return false;
	}
	strlcpy_hl(r->id, it->id, sizeof(r->id));
	strlcpy_hl(r->unit, c->who.unit, sizeof(r->unit));
	r->counter = c->who.counter;
	/* the duty log says who served; the kiosk's officer only fills in */
	strlcpy_hl(j->job.default_officer, c->who.officer,
	    sizeof(j->job.default_officer));
	strlcpy_hl(r->dossier, it->dossier, sizeof(r->dossier));
	strlcpy_hl(r->reasons, it->reasons, sizeof(r->reasons));
	r->channel = CHANNEL_KIOSK;
	r->level = it->level;
	r->rated_at = it->rated_at;
	r->received_at = now;
	r->client_time = true;
	/* the device saw the presses with millisecond timing: honour it */
	r->status = it->burst ? STATUS_BURST : STATUS_VALID;
	r->requester = it->requester;
	r->assisted = it->assisted;
	snprintf(r->source, sizeof(r->source), "kiosk:%.*s", WIRE_KIOSK_ID_LEN,
	    b->call.k.id);
	bad = rating_check(r);
	if (bad != NULL) {
		j->reason = bad;
		return false;
	}
	if (r->dossier[0] != '\0') {
		/* a dossier of another unit: its figures are not ours */
		struct db *db = ctx_db(c);
		char owner[41];
		int rc = db != NULL
		    ? ratings_dossier_foreign(db, r->unit, r->dossier, owner)
		    : -1;

		if (rc < 0)
			b->failed = true;
		if (rc != 0) {
			j->reason = WIRE_K_DOSSIER;
			return false;
		}
	}
	return true;
}

void
api_kiosk_ratings(struct ctx *c)
{
	struct kiosk_call *call = c->state;
	struct batch *b = xcalloc(1, sizeof(*b));
	char why[256];
	int64_t now = hl_now(), max_seq = 0;

	b->call = *call;
	b->c = c;
	c->state_free(call);
	c->state = b;
	c->state_free = batch_free;
	if (wire_batch_parse(body_of(c), c->req->body.len, now, &b->items,
		&b->n, why, sizeof(why)) < 0) {
		ctx_json_error(c, 400, WIRE_ERR_BAD_REQUEST, "%s", why);
		return;
	}
	if (ctx_db(c) == NULL ||
	    units_closed_since(ctx_db(c), c->who.unit, c->who.counter,
		&b->unit_closed, &b->counter_closed) < 0)
		b->failed = true;
	b->jobs = xcalloc(b->n, sizeof(*b->jobs));
	for (size_t i = 0; i < b->n; i++) {
		rating_init(&b->jobs[i].job.rating);
		b->jobs[i].status = WIRE_REJECTED;
		b->jobs[i].job.done = batch_job_done;
		b->jobs[i].job.arg = b;
		b->jobs[i].job.result = WRITER_UNAVAILABLE;
	}
	for (size_t i = 0; i < b->n; i++) {
		b->jobs[i].valid = batch_rating(c, b, i, now);
		if (b->jobs[i].valid && b->items[i].seq > max_seq)
			max_seq = b->items[i].seq;
	}
	if (b->failed) {
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the ratings cannot be checked now; send them again later");
		http_set_header(&c->req->resp, "Retry-After", "5");
		return;
	}
	/* before any job is queued: on disk with the first of them */
	if (max_seq > 0)
		kioskseen_seq(b->call.k.id, max_seq);
	/* the guard: no job may wake the request before all are queued */
	atomic_store(&b->pending, 1);
	c->resumed = batch_resumed;
	http_suspend(c->req);
	for (size_t i = 0; i < b->n; i++) {
		struct batch_job *j = &b->jobs[i];

		if (!j->valid)
			continue;
		atomic_fetch_add(&b->pending, 1);
		j->submitted = true;
		if (writer_submit(c->srv->writer, &j->job) < 0)
			atomic_fetch_sub(
			    &b->pending, 1); /* stays UNAVAILABLE */
	}
	if (atomic_fetch_sub(&b->pending, 1) == 1)
		http_resume(c->req);
}

/* --- heartbeat and configuration ------------------------------------------- */

void
api_kiosk_heartbeat(struct ctx *c)
{
	struct kiosk_call *call = c->state;
	struct wire_heartbeat hb;
	char why[256], now_s[26];
	int64_t now = hl_now();

	if (wire_heartbeat_parse(
		body_of(c), c->req->body.len, &hb, why, sizeof(why)) < 0) {
		ctx_json_error(c, 400, WIRE_ERR_BAD_REQUEST, "%s", why);
		return;
	}
	if (kiosks_heartbeat(ctx_db(c), call->k.id, hb.version, hb.outbox,
		hb.oldest_unsent, hb.problems, call->nonce, now) < 0) {
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the heartbeat could not be stored");
		return;
	}
	rfc3339_format(now, now_s);
	kiosk_reply(c, call, 200, json_pack("{s:s}", "server_time", now_s));
}

static json_t *
itext_json(const struct itext *t)
{
	return json_pack(
	    "{s:s, s:s}", "vi", itext(t, LANG_VI), "en", itext(t, LANG_EN));
}

static json_t *
config_json(struct ctx *c, struct db *db, const struct kiosk *k)
{
	const struct instrument *ins =
	    instrument_cache_at(c->srv->instruments, db, hl_now(), NULL, 0);
	json_t *levels, *labels, *reasons, *procs;
	struct token t;
	struct buf url = { 0 }, name = { 0 };
	char token[TOKEN_MAX_LEN + 1], err[256], unit_name[301] = "";
	char counter_name[201] = "";
	int64_t unit_closed = 0, counter_closed = 0;
	struct db_stmt *st;
	json_t *doc;

	/* the version in force now; its number and the ETag follow it */
	if (ins == NULL)
		return NULL;
	levels = json_array();
	labels = json_object();
	reasons = json_array();
	procs = json_array();

	if (k->faces == 3)
		for (int i = 0; i < 3; i++)
			json_array_append_new(
			    levels, json_integer(ins->three_faces[i]));
	else
		for (int lv = 5; lv >= 1; lv--)
			json_array_append_new(levels, json_integer(lv));
	for (int lv = 1; lv <= 5; lv++) {
		char key[2] = { (char)('0' + lv), '\0' };

		json_object_set_new(labels, key, itext_json(&ins->level[lv]));
	}
	for (int i = 0; i < ins->nreasons; i++)
		json_array_append_new(reasons,
		    json_pack("{s:s, s:s, s:s}", "code", ins->reason[i].code,
			"vi", itext(&ins->reason[i].label, LANG_VI), "en",
			itext(&ins->reason[i].label, LANG_EN)));
	units_name(db, k->unit, &name);
	strlcpy_hl(unit_name, buf_str(&name), sizeof(unit_name));
	buf_reset(&name);
	units_counter_name(db, k->unit, k->counter, &name);
	strlcpy_hl(counter_name, buf_str(&name), sizeof(counter_name));
	buf_release(&name);
	/* the counter's procedures, or the unit's when it lists none */
	st = db_query(db,
	    "SELECT p.code, p.name FROM procedures p WHERE CASE WHEN EXISTS "
	    "(SELECT 1 FROM counter_procedures WHERE unit = ?1 AND counter = "
	    "?2) THEN EXISTS (SELECT 1 FROM counter_procedures k WHERE "
	    "k.unit = ?1 AND k.counter = ?2 AND k.procedure = p.code) ELSE "
	    "EXISTS (SELECT 1 FROM unit_procedures u WHERE u.unit = ?1 AND "
	    "u.procedure = p.code) END ORDER BY p.field, p.name",
	    "ti", k->unit, k->counter);
	while (st != NULL && db_step(st) == DB_ROW)
		json_array_append_new(procs,
		    json_pack("{s:s, s:s}", "code", db_col_text(st, 0), "name",
			db_col_text(st, 1)));
	db_done(st);
	memset(&t, 0, sizeof(t));
	t.kind = TOKEN_COUNTER;
	strlcpy_hl(t.unit, k->unit, sizeof(t.unit));
	t.counter = k->counter;
	if (qrlink_token(db, &t, token, err, sizeof(err)) == 0)
		qrlink_url(c->srv->base_url, token, &url);
	else
		log_msg(LOG_WARN, "kiosk_config", "no counter token: %s", err);
	doc = json_pack("{s:s, s:{s:s, s:s}, s:{s:i, s:s}, s:i, s:o, s:o, "
			"s:o, s:o, s:o, s:s, s:i, s:i}",
	    WIRE_K_KIOSK, k->id, "unit", "code", k->unit, "name", unit_name,
	    "counter", "number", k->counter, "name", counter_name, "faces",
	    k->faces, "levels", levels, "labels", labels, "question",
	    itext_json(&ins->question), "reasons", reasons, "procedures", procs,
	    "rate_url", buf_str(&url), "instrument", ins->version,
	    "burst_seconds", WIRE_BURST_SECONDS);
	buf_release(&url);
	/* a disabled counter or unit: the kiosk shows itself closed */
	if (units_closed_since(
		db, k->unit, k->counter, &unit_closed, &counter_closed) < 0) {
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(json_object_get(doc, "counter"), "active",
	    json_boolean(unit_closed == 0 && counter_closed == 0));
	return doc;
}

void
api_kiosk_config(struct ctx *c)
{
	struct kiosk_call *call = c->state;
	const char *inm = http_header(c->req, "If-None-Match");
	unsigned char h[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], etag[2 * SHA256_LEN + 3];
	struct db *db = ctx_db(c);
	json_t *doc = db != NULL ? config_json(c, db, &call->k) : NULL;
	char *text;

	if (doc == NULL) {
		ctx_json_error(c, 503, WIRE_ERR_UNAVAILABLE,
		    "the configuration cannot be read");
		return;
	}
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	sha256(text, strlen(text), h);
	free(text);
	hex_encode(h, 16, hex);
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	if (inm != NULL && strcmp(inm, etag) == 0) {
		json_decref(doc);
		kiosk_reply(c, call, 304, NULL);
	} else {
		kiosk_reply(c, call, 200, doc);
	}
	http_set_header(&c->req->resp, "ETag", etag);
}

/*
 * The dossier the kiosk's counter serves now (wire.h): memory only, no
 * database, so that every kiosk may ask every WIRE_SERVING_EVERY s.
 */
void
api_kiosk_serving(struct ctx *c)
{
	struct kiosk_call *call = c->state;
	struct serving s;
	char since[26];

	if (serving_get(call->k.unit, call->k.counter, hl_now(), &s) != 0) {
		kiosk_reply(c, call, 200,
		    json_pack("{s:n, s:i, s:n}", WIRE_K_DOSSIER, WIRE_K_SERIAL,
			0, WIRE_K_SINCE));
		return;
	}
	rfc3339_format(s.since, since);
	kiosk_reply(c, call, 200,
	    json_pack("{s:s, s:I, s:s}", WIRE_K_DOSSIER, s.dossier,
		WIRE_K_SERIAL, (json_int_t)s.serial, WIRE_K_SINCE, since));
}

/* --- staff ------------------------------------------------------------------ */

void
api_kiosks_list(struct ctx *c)
{
	struct db *db = ctx_db(c);
	json_t *a =
	    db != NULL ? kiosks_list_json(db, c->who.unit, hl_now()) : NULL;

	if (a == NULL) {
		ctx_json_error(
		    c, 503, WIRE_ERR_UNAVAILABLE, "the kiosks cannot be read");
		return;
	}
	ctx_json(c, 200, json_pack("{s:o}", "kiosks", a));
}
