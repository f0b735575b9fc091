/* sender.c -- the background thread that delivers the outbox to the server. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hailong/crypto.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/kiosksig.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "hailong/version.h"
#include "hailong/wire.h"
#include "clock.h"
#include "ident.h"
#include "outbox.h"
#include "sender.h"
#include "served.h"

#define PRUNE_EVERY_MS ((int64_t)3600 * 1000)
#define KEEP_SENT_MS ((int64_t)7 * 24 * 3600 * 1000)
#define QUICK_RETRIES 3
#define NONCE_HINT_MAX ((int64_t)1 << 62)

/* What one exchange with the server came to. */
enum outcome {
	OUT_OK,      /* done: go on at once */
	OUT_AGAIN,   /* the server asked for a correction: retry at once */
	OUT_SPLIT,   /* the batch was refused whole: send fewer */
	OUT_FAIL,    /* no usable answer: back off */
	OUT_REFUSED, /* this kiosk is not trusted: back off long */
};

struct sender {
	struct sender_config cfg;
	struct ident id;
	struct httpc *http;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool kicked;
	atomic_bool stopping;
	int64_t last_nonce;
	unsigned batch_cur, failures, quick;
	struct outbox_entry *entries;
	struct outbox_result *results;
	char *etag;
};

static bool
is_stopping(void *arg)
{
	struct sender *s = arg;

	return atomic_load(&s->stopping);
}

/*
 * Strictly above every nonce used before, and normally the wall clock
 * in microseconds, so a kiosk that lost its saved nonce (a crash before
 * the next settle) still starts above what the server has seen.
 */
static int64_t
next_nonce(struct sender *s)
{
	int64_t us = clock_local_ms() * 1000;

	s->last_nonce = us > s->last_nonce ? us : s->last_nonce + 1;
	return s->last_nonce;
}

static void
save_offset(struct sender *s)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)clock_offset_ms());
	if (outbox_put(s->cfg.ob, "clock_offset_ms", num) < 0)
		log_kv(LOG_WARN, "clock", "save=failed");
}

/*
 * One signed request.  0 when an answer came (any status), -1 when none
 * did (logged by the caller from err).  *nonce gets the nonce used.
 */
static int
call(struct sender *s, const char *method, const char *path, const char *body,
    const char *extra, struct httpc_response *r, int64_t *nonce, char *err,
    size_t errlen)
{
	struct kiosksig sig;
	char auth[KIOSKSIG_HEADER_MAX + 32], url[IDENT_URL_MAX + 64];
	const char *hdr[4];
	size_t len = body != NULL ? strlen(body) : 0;
	int64_t sent, recv, date;
	const char *d;
	int nh = 0, rc;

	memset(&sig, 0, sizeof(sig));
	memcpy(sig.kiosk, s->id.kiosk, sizeof(sig.kiosk));
	sig.time = clock_now();
	sig.nonce = *nonce = next_nonce(s);
	kiosksig_sign(&sig, s->id.secret, sizeof(s->id.secret), method, path,
	    NULL, body, len);
	memcpy(auth, WIRE_HDR_AUTH ": ", strlen(WIRE_HDR_AUTH) + 2);
	kiosksig_format(&sig, auth + strlen(WIRE_HDR_AUTH) + 2);
	hdr[nh++] = auth;
	if (body != NULL)
		hdr[nh++] = "Content-Type: application/json";
	if (extra != NULL)
		hdr[nh++] = extra;
	hdr[nh] = NULL;
	snprintf(url, sizeof(url), "%s%s", s->id.server, path);
	sent = clock_local_ms();
	rc =
	    httpc_request(s->http, method, url, hdr, body, len, r, err, errlen);
	recv = clock_local_ms();
	if (rc < 0)
		return -1;
	d = httpc_header(r, "Date");
	if (d != NULL && httpdate_parse(d, strlen(d), &date) == 0 &&
	    clock_observe(date, sent, recv)) {
		log_kv(LOG_INFO, "clock", "offset_ms=%lld",
		    (long long)clock_offset_ms());
		save_offset(s);
	}
	return 0;
}

static bool
signed_ok(struct sender *s, const struct httpc_response *r, int64_t nonce)
{
	if (kiosksig_response_ok(s->id.secret, sizeof(s->id.secret), r->status,
		nonce, buf_str(&r->body), r->body.len,
		httpc_header(r, WIRE_HDR_RESPONSE_SIG)))
		return true;
	log_kv(LOG_WARN, "sender",
	    "answer=unsigned status=%d (not the server's own word: ignored)",
	    r->status);
	return false;
}

/* A 401 or 403: correct what can be corrected, else stop trying for now. */
static enum outcome
refusal(struct sender *s, const struct httpc_response *r)
{
	json_t *doc = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
	const char *code =
	    json_string_value(json_object_get(doc, WIRE_K_ERROR));
	json_t *last = json_object_get(doc, WIRE_K_LAST_NONCE);
	enum outcome o = OUT_REFUSED;

	if (r->status == 401 && str_eq(code, WIRE_ERR_STALE_TIME)) {
		/* the Date header of this very answer corrected the clock */
		o = OUT_AGAIN;
	} else if (r->status == 401 && str_eq(code, WIRE_ERR_REPLAY) &&
	    json_is_integer(last) && json_integer_value(last) >= 0 &&
	    json_integer_value(last) < NONCE_HINT_MAX) {
		if (json_integer_value(last) > s->last_nonce)
			s->last_nonce = (int64_t)json_integer_value(last);
		o = OUT_AGAIN;
	} else if (r->status == 403) {
		log_kv(LOG_ERROR, "sender",
		    "refused=revoked (this kiosk was revoked on the server; "
		    "ratings stay in the outbox)");
	} else {
		log_kv(LOG_ERROR, "sender",
		    "refused=%s status=%d (the server does not accept this "
		    "kiosk's key; enrol it again)",
		    code != NULL ? code : "?", r->status);
	}
	json_decref(doc);
	return o;
}

static json_t *
entry_json(const struct outbox_entry *e)
{
	json_t *o = json_object(), *reasons = json_array();
	char at[26];
	const char *p = e->reasons;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		json_array_append_new(reasons, json_stringn(p, len));
		p += len + (p[len] == ',');
	}
	rfc3339_format(e->rated_ms / 1000, at);
	json_object_set_new(o, WIRE_K_ID, json_string(e->id));
	json_object_set_new(o, WIRE_K_SEQ, json_integer(e->seq));
	json_object_set_new(o, WIRE_K_LEVEL, json_integer(e->level));
	json_object_set_new(o, WIRE_K_REASONS, reasons);
	if (e->dossier[0] != '\0')
		json_object_set_new(o, WIRE_K_DOSSIER, json_string(e->dossier));
	json_object_set_new(o, WIRE_K_RATED_AT, json_string(at));
	json_object_set_new(o, WIRE_K_BURST, json_boolean(e->burst));
	/* who rated: only when said (an older server ignores them) */
	if (e->requester != REQUESTER_NONE)
		json_object_set_new(o, WIRE_K_REQUESTER,
		    json_string(rating_requester_name(e->requester)));
	if (e->assisted)
		json_object_set_new(o, WIRE_K_ASSISTED, json_true());
	return o;
}

/*
 * The answers of a 200, one per entry in order, into s->results.  -1
 * when they do not match the batch (then nothing is recorded).
 */
static int
read_results(struct sender *s, const struct httpc_response *r, size_t n)
{
	json_t *doc = json_loadb(buf_str(&r->body), r->body.len, 0, NULL);
	json_t *a = json_object_get(doc, WIRE_K_RESULTS), *v;
	size_t i;
	int rc = -1;

	if (!json_is_array(a) || json_array_size(a) != n)
		goto out;
	json_array_foreach(a, i, v)
	{
		struct outbox_result *res = &s->results[i];
		const char *id =
		    json_string_value(json_object_get(v, WIRE_K_ID));
		const char *st =
		    json_string_value(json_object_get(v, WIRE_K_STATUS));
		const char *why =
		    json_string_value(json_object_get(v, WIRE_K_REASON));

		memset(res, 0, sizeof(*res));
		res->seq = s->entries[i].seq;
		if (!str_eq(id, s->entries[i].id) || st == NULL ||
		    wire_status_parse(st, &res->status) < 0)
			goto out;
		snprintf(res->reason, sizeof(res->reason), "%s",
		    why != NULL ? why : "");
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

static void
log_problems(struct sender *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct outbox_result *res = &s->results[i];

		if (res->status == WIRE_CONFLICT ||
		    res->status == WIRE_REJECTED)
			log_msg(LOG_WARN, "sender",
			    "rating seq %lld %s%s%s: kept in the outbox, not "
			    "sent again",
			    (long long)res->seq, wire_status_name(res->status),
			    res->reason[0] ? ": " : "", res->reason);
	}
}

static enum outcome
send_batch(struct sender *s, size_t n, char *err, size_t errlen)
{
	struct httpc_response r = { 0 };
	json_t *doc, *a = json_array();
	enum outcome o = OUT_FAIL;
	int64_t nonce;
	char *body;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, entry_json(&s->entries[i]));
	doc = json_pack("{s:o}", WIRE_K_RATINGS, a);
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (body == NULL) {
		snprintf(err, errlen, "cannot encode the batch");
		return OUT_FAIL;
	}
	if (call(s, "POST", WIRE_PATH_RATINGS, body, NULL, &r, &nonce, err,
		errlen) < 0)
		goto out;
	if (r.status == 200) {
		if (!signed_ok(s, &r, nonce) || read_results(s, &r, n) < 0) {
			snprintf(err, errlen,
			    "the answer to a batch does not "
			    "match it");
			goto out;
		}
		if (outbox_settle(
			s->cfg.ob, s->results, n, clock_now_ms(), nonce) < 0) {
			snprintf(err, errlen,
			    "cannot record the answers in the "
			    "outbox");
			goto out;
		}
		log_problems(s, n);
		log_kv(LOG_DEBUG, "sender", "delivered=%zu", n);
		o = OUT_OK;
	} else if (r.status == 400 || r.status == 413) {
		if (n > 1) {
			o = OUT_SPLIT;
		} else {
			/* one entry the server will never take: keep it aside */
			json_t *e =
			    json_loadb(buf_str(&r.body), r.body.len, 0, NULL);
			const char *m = json_string_value(
			    json_object_get(e, WIRE_K_MESSAGE));

			memset(&s->results[0], 0, sizeof(s->results[0]));
			s->results[0].seq = s->entries[0].seq;
			s->results[0].status = WIRE_REJECTED;
			snprintf(s->results[0].reason,
			    sizeof(s->results[0].reason), "%d: %s", r.status,
			    m != NULL ? m : "refused");
			json_decref(e);
			if (outbox_settle(s->cfg.ob, s->results, 1,
				clock_now_ms(), nonce) == 0) {
				log_problems(s, 1);
				o = OUT_OK;
			}
		}
	} else if (r.status == 401 || r.status == 403) {
		o = refusal(s, &r);
	} else {
		snprintf(err, errlen, "the server answered %d", r.status);
	}
out:
	free(body);
	httpc_response_release(&r);
	return o;
}

/* Fetch the configuration when it changed, and cache it. */
static enum outcome
fetch_config(struct sender *s, char *err, size_t errlen)
{
	struct httpc_response r = { 0 };
	char inm[128] = "";
	enum outcome o = OUT_FAIL;
	int64_t nonce;
	json_t *doc = NULL;
	const char *etag;

	if (s->etag != NULL)
		snprintf(inm, sizeof(inm), "If-None-Match: %.100s", s->etag);
	if (call(s, "GET", WIRE_PATH_CONFIG, NULL, s->etag ? inm : NULL, &r,
		&nonce, err, errlen) < 0)
		goto out;
	if (r.status == 304 && signed_ok(s, &r, nonce)) {
		o = OUT_OK;
	} else if (r.status == 200 && signed_ok(s, &r, nonce)) {
		doc = json_loadb(buf_str(&r.body), r.body.len, 0, NULL);
		if (!json_is_array(json_object_get(doc, "levels")) ||
		    !json_is_array(json_object_get(doc, "reasons"))) {
			snprintf(err, errlen, "the configuration is malformed");
			goto out;
		}
		etag = httpc_header(&r, "ETag");
		if (outbox_put(s->cfg.ob, "config", buf_str(&r.body)) < 0 ||
		    outbox_put(s->cfg.ob, "config_etag", etag ? etag : "") <
			0) {
			snprintf(err, errlen, "cannot cache the configuration");
			goto out;
		}
		free(s->etag);
		s->etag = etag ? xstrdup(etag) : NULL;
		log_kv(LOG_INFO, "config", "updated=1 faces=%lld",
		    (long long)json_integer_value(
			json_object_get(doc, "faces")));
		o = OUT_OK;
	} else if (r.status == 401 || r.status == 403) {
		o = refusal(s, &r);
	} else {
		snprintf(
		    err, errlen, "the configuration came back %d", r.status);
	}
out:
	json_decref(doc);
	httpc_response_release(&r);
	return o;
}

static enum outcome
heartbeat(struct sender *s, char *err, size_t errlen)
{
	struct httpc_response r = { 0 };
	struct outbox_stats st;
	enum outcome o = OUT_FAIL;
	char at[26], *body = NULL;
	int64_t nonce;
	json_t *doc;

	if (outbox_stats(s->cfg.ob, &st) < 0) {
		snprintf(err, errlen, "cannot read the outbox");
		return OUT_FAIL;
	}
	if (st.oldest_ms >= 0)
		rfc3339_format(st.oldest_ms / 1000, at);
	doc = json_pack("{s:s, s:I, s:s?, s:I}", WIRE_K_VERSION,
	    HAILONG_VERSION, WIRE_K_OUTBOX, (json_int_t)st.pending,
	    WIRE_K_OLDEST_UNSENT, st.oldest_ms >= 0 ? at : NULL,
	    WIRE_K_PROBLEMS, (json_int_t)st.conflict + (json_int_t)st.rejected);
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (body == NULL)
		return OUT_FAIL;
	if (call(s, "POST", WIRE_PATH_HEARTBEAT, body, NULL, &r, &nonce, err,
		errlen) < 0)
		goto out;
	if (r.status == 200 && signed_ok(s, &r, nonce))
		o = OUT_OK;
	else if (r.status == 401 || r.status == 403)
		o = refusal(s, &r);
	else
		snprintf(err, errlen, "the heartbeat came back %d", r.status);
out:
	free(body);
	httpc_response_release(&r);
	return o;
}

/* Which dossier the counter serves now, into s->cfg.served. */
static enum outcome
poll_serving(struct sender *s, char *err, size_t errlen)
{
	struct httpc_response r = { 0 };
	struct wire_serving w;
	enum outcome o = OUT_FAIL;
	char why[128];
	int64_t nonce;

	if (call(s, "GET", WIRE_PATH_SERVING, NULL, NULL, &r, &nonce, err,
		errlen) < 0)
		goto out;
	if (r.status == 200 && signed_ok(s, &r, nonce)) {
		if (wire_serving_parse(buf_str(&r.body), r.body.len, &w, why,
			sizeof(why)) < 0) {
			snprintf(err, errlen, "the served dossier: %s", why);
			goto out;
		}
		served_update(s->cfg.served, &w);
		o = OUT_OK;
	} else if (r.status == 401 || r.status == 403) {
		o = refusal(s, &r);
	} else if (r.status == 404) {
		/* a server older than the path: no dossier, nothing wrong */
		o = OUT_OK;
	} else {
		snprintf(
		    err, errlen, "the served dossier came back %d", r.status);
	}
out:
	if (o != OUT_OK || r.status != 200)
		served_lost(s->cfg.served);
	httpc_response_release(&r);
	return o;
}

/* Sleep until `until` (monotonic ms; 0: no limit), a kick, or stop. */
static void
wait_until(struct sender *s, int64_t until)
{
	struct timespec ts;
	int64_t wall;

	pthread_mutex_lock(&s->lock);
	if (!s->kicked && !atomic_load(&s->stopping)) {
		/* the condition variable counts in CLOCK_MONOTONIC */
		wall = until > 0 ? until : hl_mono_ms() + (int64_t)3600 * 1000;
		ts.tv_sec = (time_t)(wall / 1000);
		ts.tv_nsec = (long)(wall % 1000) * 1000000;
		while (!s->kicked && !atomic_load(&s->stopping) &&
		    pthread_cond_timedwait(&s->wake, &s->lock, &ts) !=
			ETIMEDOUT)
			;
	}
	s->kicked = false;
	pthread_mutex_unlock(&s->lock);
}

/* Back off after a failure: min*2^k, capped, with "equal jitter". */
static int64_t
backoff_ms(struct sender *s, bool long_wait)
{
	uint32_t rnd;
	int64_t d = s->cfg.retry_min_ms;

	for (unsigned i = 1; i < s->failures && d < s->cfg.retry_max_ms; i++)
		d *= 2;
	if (d > s->cfg.retry_max_ms || long_wait)
		d = s->cfg.retry_max_ms;
	random_bytes(&rnd, sizeof(rnd));
	return d / 2 + (int64_t)(rnd % (uint32_t)(d / 2 + 1));
}

static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	int64_t next_hb = 0, next_prune = 0, backoff_until = 0;
	int64_t next_serving = 0;
	char err[512];

	while (!atomic_load(&s->stopping)) {
		int64_t now = hl_mono_ms(), next_hold = 0;
		enum outcome o = OUT_OK;
		size_t n = 0;

		if (now < backoff_until) {
			wait_until(s, backoff_until);
			continue;
		}
		err[0] = '\0';
		if (now >= next_hb) {
			o = fetch_config(s, err, sizeof(err));
			if (o == OUT_OK)
				o = heartbeat(s, err, sizeof(err));
			if (o == OUT_OK || o == OUT_REFUSED)
				next_hb =
				    now + (int64_t)s->cfg.heartbeat_s * 1000;
		}
		if (o == OUT_OK && s->cfg.served != NULL &&
		    now >= next_serving) {
			o = poll_serving(s, err, sizeof(err));
			if (o == OUT_OK || o == OUT_REFUSED)
				next_serving = now + s->cfg.serving_ms;
		}
		if (o == OUT_OK && now >= next_prune) {
			outbox_prune(s->cfg.ob, clock_now_ms() - KEEP_SENT_MS);
			next_prune = now + PRUNE_EVERY_MS;
		}
		if (o == OUT_OK) {
			if (outbox_pending(s->cfg.ob, clock_now_ms(),
				s->batch_cur, s->entries, &n, &next_hold) < 0) {
				snprintf(
				    err, sizeof(err), "cannot read the outbox");
				o = OUT_FAIL;
			} else if (n == 0) {
				int64_t until = next_hb;

				if (s->cfg.served != NULL &&
				    next_serving < until)
					until = next_serving;

				/* a held entry comes free at next_hold */
				if (next_hold > 0) {
					int64_t in = next_hold - clock_now_ms();
					int64_t at =
					    hl_mono_ms() + (in > 0 ? in : 0);

					if (at < until)
						until = at;
				}
				if (s->failures > 0)
					log_kv(LOG_INFO, "sender",
					    "server=reachable failures=%u",
					    s->failures);
				s->failures = 0;
				s->quick = 0;
				wait_until(s, until);
				continue;
			} else {
				o = send_batch(s, n, err, sizeof(err));
			}
		}
		switch (o) {
		case OUT_OK:
			if (s->failures > 0)
				log_kv(LOG_INFO, "sender",
				    "server=reachable failures=%u",
				    s->failures);
			s->failures = 0;
			s->quick = 0;
			if (n > 0 && s->batch_cur < s->cfg.batch_max)
				s->batch_cur =
				    s->batch_cur * 2 < s->cfg.batch_max
				    ? s->batch_cur * 2
				    : s->cfg.batch_max;
			break;
		case OUT_SPLIT:
			s->batch_cur = n / 2 > 0 ? (unsigned)(n / 2) : 1;
			log_kv(LOG_WARN, "sender", "split=%u", s->batch_cur);
			break;
		case OUT_AGAIN:
			if (++s->quick <= QUICK_RETRIES)
				break;
			snprintf(err, sizeof(err),
			    "the server keeps refusing the time or nonce");
			/* fall through */
		case OUT_FAIL:
		case OUT_REFUSED:
		default:
			s->quick = 0;
			/* offline: no served dossier, the kiosk as ever */
			if (s->cfg.served != NULL)
				served_lost(s->cfg.served);
			if (s->failures++ == 0 && o != OUT_REFUSED)
				log_msg(LOG_WARN, "sender",
				    "server unreachable (%s); ratings stay in "
				    "the outbox",
				    err[0] ? err : "no answer");
			backoff_until =
			    hl_mono_ms() + backoff_ms(s, o == OUT_REFUSED);
			break;
		}
	}
	return NULL;
}

struct sender *
sender_start(const struct sender_config *cfg, char *err, size_t errlen)
{
	struct sender *s = xcalloc(1, sizeof(*s));
	struct httpc_options ho = { 0 };
	pthread_condattr_t ca;
	char *v;

	s->cfg = *cfg;
	s->id = *cfg->id;
	if (s->cfg.batch_max == 0 || s->cfg.batch_max > WIRE_BATCH_MAX)
		s->cfg.batch_max = s->cfg.batch_max ? WIRE_BATCH_MAX : 500;
	if (s->cfg.heartbeat_s == 0)
		s->cfg.heartbeat_s = WIRE_HEARTBEAT_EVERY;
	if (s->cfg.serving_ms == 0)
		s->cfg.serving_ms = WIRE_SERVING_EVERY * 1000;
	if (s->cfg.retry_min_ms == 0)
		s->cfg.retry_min_ms = 500;
	if (s->cfg.retry_max_ms == 0)
		s->cfg.retry_max_ms = 10000;
	if (s->cfg.retry_max_ms < s->cfg.retry_min_ms)
		s->cfg.retry_max_ms = s->cfg.retry_min_ms;
	s->batch_cur = s->cfg.batch_max;
	s->entries = xcalloc(s->cfg.batch_max, sizeof(*s->entries));
	s->results = xcalloc(s->cfg.batch_max, sizeof(*s->results));
	v = outbox_get(cfg->ob, "nonce");
	if (v != NULL)
		parse_int64(v, strlen(v), 0, INT64_MAX, &s->last_nonce);
	free(v);
	v = outbox_get(cfg->ob, "config_etag");
	if (v != NULL && v[0] != '\0')
		s->etag = v;
	else
		free(v);
	ho.timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 30000;
	ho.connect_timeout_ms = 5000;
	ho.body_max = WIRE_CONFIG_BODY_MAX;
	ho.ca_file = cfg->ca_file;
	ho.user_agent = "hailong-kiosk/" HAILONG_VERSION;
	ho.cancel = is_stopping;
	ho.cancel_arg = s;
	s->http = httpc_new(&ho);
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (s->http == NULL ||
	    pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		snprintf(err, errlen, "cannot start the sender");
		httpc_free(s->http);
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->wake);
		free(s->entries);
		free(s->results);
		free(s->etag);
		free(s);
		return NULL;
	}
	return s;
}

void
sender_kick(struct sender *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->kicked = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

void
sender_stop(struct sender *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	atomic_store(&s->stopping, true);
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	httpc_free(s->http);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	memset(s->id.secret, 0, sizeof(s->id.secret));
	free(s->entries);
	free(s->results);
	free(s->etag);
	free(s);
}
