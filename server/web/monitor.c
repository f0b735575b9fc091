/* monitor.c -- what the server counts about itself; GET /metrics. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/rating.h"
#include "hailong/util.h"
#include "hailong/version.h"
#include "hailong/wire.h"
#include "core/addrlist.h"
#include "core/alerts.h"
#include "core/fold.h"
#include "core/rules.h"
#include "core/store.h"
#include "core/writer.h"
#include "web/html.h"
#include "web/monitor.h"
#include "web/server.h"

/*
 * Requests are counted per (route, method, status) in a small open
 * addressing table under a mutex: a few dozen keys occur in practice, and
 * a counter update is far cheaper than the request it counts.
 */
#define SLOTS 1024
#define DURATION_BUCKETS 12

static const double duration_bounds[DURATION_BUCKETS - 1] = { 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

struct slot {
	uint32_t key; /* 0: empty; see slot_key() */
	uint64_t count;
};

struct monitor {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
	uint64_t dropped; /* requests that found the table full */
	uint64_t duration[DURATION_BUCKETS];
	double duration_sum;
	uint64_t duration_count;
};

static const char *const method_names[] = { "GET", "HEAD", "POST", "PUT",
	"DELETE", "OTHER" };

/* route + 1 (0: none matched) | method bit index | status; never 0. */
static uint32_t
slot_key(int route, unsigned method, int status)
{
	unsigned m = 0;

	while (m < 5 && !(method & (1u << m)))
		m++;
	if (status < 0 || status > 999)
		status = 0;
	return ((uint32_t)(route + 1) << 14) | (m << 10) | (uint32_t)status |
	    (1u << 31);
}

struct monitor *
monitor_new(void)
{
	struct monitor *m = xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void
monitor_free(struct monitor *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void
monitor_request(
    struct monitor *m, int route, unsigned method, int status, double seconds)
{
	uint32_t key = slot_key(route, method, status);
	size_t i = (key * 2654435761u) % SLOTS;
	int b = 0;

	if (m == NULL)
		return;
	while (b < DURATION_BUCKETS - 1 && seconds > duration_bounds[b])
		b++;
	pthread_mutex_lock(&m->lock);
	for (size_t n = 0; n < SLOTS; n++, i = (i + 1) % SLOTS) {
		if (m->slots[i].key == key || m->slots[i].key == 0) {
			m->slots[i].key = key;
			m->slots[i].count++;
			goto counted;
		}
	}
	m->dropped++;
counted:
	m->duration[b]++;
	m->duration_sum += seconds;
	m->duration_count++;
	pthread_mutex_unlock(&m->lock);
}

/* --- the exposition ------------------------------------------------------ */

static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, quote and newline escaped. */
static void
label(struct buf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(b, '\\');
		if (*v == '\n') {
			buf_puts(b, "\\n");
			continue;
		}
		buf_putc(b, *v);
	}
}

static int
cmp_slot(const void *a, const void *b)
{
	uint32_t x = ((const struct slot *)a)->key;
	uint32_t y = ((const struct slot *)b)->key;

	return x < y ? -1 : x > y;
}

static int
route_count(void)
{
	int n = 0;

	while (routes[n].pattern != NULL)
		n++;
	return n;
}

static void
monitor_put_requests(struct buf *b, struct monitor *m)
{
	struct slot *copy = xmalloc(sizeof(m->slots));
	uint64_t dur[DURATION_BUCKETS], dur_count, dropped, cum = 0;
	double dur_sum;
	int nroutes = route_count();

	pthread_mutex_lock(&m->lock);
	memcpy(copy, m->slots, sizeof(m->slots));
	memcpy(dur, m->duration, sizeof(dur));
	dur_sum = m->duration_sum;
	dur_count = m->duration_count;
	dropped = m->dropped;
	pthread_mutex_unlock(&m->lock);

	qsort(copy, SLOTS, sizeof(copy[0]), cmp_slot);
	head(b, "hailong_http_requests_total", "counter",
	    "HTTP requests answered, by route pattern, method and status "
	    "(route \"none\": no route matched).");
	for (int i = 0; i < SLOTS; i++) {
		uint32_t k = copy[i].key & ~(1u << 31);
		int route = (int)(k >> 14) - 1;

		if (copy[i].key == 0)
			continue;
		buf_puts(b, "hailong_http_requests_total{route=\"");
		label(b,
		    route >= 0 && route < nroutes ? routes[route].pattern
						  : "none");
		buf_printf(b, "\",method=\"%s\",status=\"%u\"} %llu\n",
		    method_names[(k >> 10) & 7], k & 1023,
		    (unsigned long long)copy[i].count);
	}
	free(copy);
	head(b, "hailong_http_requests_uncounted_total", "counter",
	    "Requests not in hailong_http_requests_total (table full).");
	buf_printf(b, "hailong_http_requests_uncounted_total %llu\n",
	    (unsigned long long)dropped);
	head(b, "hailong_http_request_duration_seconds", "histogram",
	    "Time from a request's first byte to its answer (a stored "
	    "rating waits for its commit).");
	for (int i = 0; i < DURATION_BUCKETS; i++) {
		cum += dur[i];
		if (i < DURATION_BUCKETS - 1)
			buf_printf(b,
			    "hailong_http_request_duration_seconds_bucket"
			    "{le=\"%g\"} %llu\n",
			    duration_bounds[i], (unsigned long long)cum);
		else
			buf_printf(b,
			    "hailong_http_request_duration_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n",
			    (unsigned long long)cum);
	}
	buf_printf(
	    b, "hailong_http_request_duration_seconds_sum %.6f\n", dur_sum);
	buf_printf(b, "hailong_http_request_duration_seconds_count %llu\n",
	    (unsigned long long)dur_count);
}

static void
histogram(struct buf *b, const char *name, const uint64_t *hist,
    const uint64_t *bounds, double scale, double sum, uint64_t count)
{
	uint64_t cum = 0;

	for (int i = 0; i < WRITER_HIST; i++) {
		cum += hist[i];
		if (i < WRITER_HIST - 1)
			buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name,
			    (double)bounds[i] * scale, (unsigned long long)cum);
		else
			buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name,
			    (unsigned long long)cum);
	}
	buf_printf(b, "%s_sum %.6f\n%s_count %llu\n", name, sum, name,
	    (unsigned long long)count);
}

static void
monitor_put_writer(struct buf *b, struct server *s)
{
	static const uint64_t batch_bounds[] = WRITER_BATCH_BOUNDS;
	static const uint64_t commit_bounds[] = WRITER_COMMIT_BOUNDS_US;
	struct writer_stats ws;

	writer_get_stats(s->writer, &ws);
	head(b, "hailong_ratings_stored_total", "counter",
	    "Ratings committed to disk since the server started, by "
	    "channel.");
	for (int i = 0; i < WRITER_CHANNELS; i++)
		buf_printf(b,
		    "hailong_ratings_stored_total{channel=\"%s\"} "
		    "%llu\n",
		    rating_channel_name((enum rating_channel)i),
		    (unsigned long long)ws.stored_by_channel[i]);
	head(b, "hailong_ratings_duplicate_total", "counter",
	    "Ratings received again (same id, same content): answered, "
	    "not stored twice.");
	buf_printf(b, "hailong_ratings_duplicate_total %llu\n",
	    (unsigned long long)ws.duplicates);
	head(b, "hailong_ratings_unavailable_total", "counter",
	    "Ratings in batches that could not be committed (disk full, I/O "
	    "error): answered 503, kept by the client.");
	buf_printf(b, "hailong_ratings_unavailable_total %llu\n",
	    (unsigned long long)ws.failed);
	head(b, "hailong_writer_batch_size", "histogram",
	    "Ratings per writer transaction (group commit).");
	histogram(b, "hailong_writer_batch_size", ws.batch_hist, batch_bounds,
	    1, (double)ws.jobs, ws.batches);
	head(b, "hailong_writer_commit_seconds", "histogram",
	    "Time spent in COMMIT (one fsync per batch).");
	histogram(b, "hailong_writer_commit_seconds", ws.commit_hist,
	    commit_bounds, 1e-6, (double)ws.commit_ns_total / 1e9, ws.batches);
	head(b, "hailong_writer_queue_depth", "gauge",
	    "Ratings waiting for the disk.");
	buf_printf(b, "hailong_writer_queue_depth %zu\n",
	    writer_queue_depth(s->writer));
	head(b, "hailong_writer_queue_capacity", "gauge",
	    "Ratings that may wait before posts get 503 (writer_queue).");
	buf_printf(
	    b, "hailong_writer_queue_capacity %u\n", s->cfg.writer_queue);
	head(b, "hailong_writer_disk_full", "gauge",
	    "1 when the last batch failed on a full disk.");
	buf_printf(b, "hailong_writer_disk_full %d\n", ws.disk_full ? 1 : 0);
}

static int64_t
meta_time(struct db *db, const char *key)
{
	char *v = store_meta_get(db, key);
	int64_t t = 0;

	if (v != NULL && parse_int64(v, strlen(v), 0, INT64_MAX, &t) < 0)
		t = 0;
	free(v);
	return t;
}

static void
monitor_put_database(struct buf *b, struct ctx *c)
{
	struct db *db = ctx_db(c);
	char wal[CONFIG_PATH_MAX + 8];
	struct stat st;
	int fold;

	head(b, "hailong_database_size_bytes", "gauge",
	    "Size of the database file and of its write-ahead log.");
	buf_printf(b, "hailong_database_size_bytes{file=\"db\"} %lld\n",
	    stat(c->srv->cfg.db, &st) == 0 ? (long long)st.st_size : 0LL);
	snprintf(wal, sizeof(wal), "%s-wal", c->srv->cfg.db);
	buf_printf(b, "hailong_database_size_bytes{file=\"wal\"} %lld\n",
	    stat(wal, &st) == 0 ? (long long)st.st_size : 0LL);
	head(b, "hailong_database_up", "gauge",
	    "1 when a read connection to the database could be had.");
	buf_printf(b, "hailong_database_up %d\n", db != NULL);
	if (db == NULL)
		return;
	head(b, "hailong_last_backup_timestamp_seconds", "gauge",
	    "When 'hailong backup' last succeeded (Unix time; 0: never).");
	buf_printf(b, "hailong_last_backup_timestamp_seconds %lld\n",
	    (long long)meta_time(db, "last_backup_at"));
	head(b, "hailong_last_retention_timestamp_seconds", "gauge",
	    "When 'hailong retention' last ran (Unix time; 0: never).");
	buf_printf(b, "hailong_last_retention_timestamp_seconds %lld\n",
	    (long long)meta_time(db, "last_retention_at"));
	fold = fold_horizon(db);
	if (fold < 0)
		return;
	head(b, "hailong_ratings_folded_before_timestamp_seconds", "gauge",
	    "Ratings rated before this time are folded into monthly counts "
	    "and refused when sent late (Unix time; 0: nothing folded).");
	buf_printf(b, "hailong_ratings_folded_before_timestamp_seconds %lld\n",
	    fold > 0 ? (long long)month_start(month_add(fold, 1)) : 0LL);
}

/*
 * Enrolled kiosks, online (an authenticated request or heartbeat within
 * WIRE_OFFLINE_AFTER) and offline, and what their outboxes hold by their
 * last heartbeats.  Revoked and never-enrolled kiosks are not counted.
 */
static void
monitor_put_kiosks(struct buf *b, struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct db_stmt *st;
	int64_t now = hl_now();

	if (db == NULL)
		return;
	st = db_query(db,
	    "SELECT "
	    "count(*) FILTER (WHERE last_seen >= ?1), "
	    "count(*) FILTER (WHERE last_seen IS NULL OR last_seen < ?1), "
	    "coalesce(sum(backlog), 0), min(oldest_unsent) "
	    "FROM kiosks WHERE revoked_at IS NULL AND enrolled_at IS NOT NULL",
	    "l", now - WIRE_OFFLINE_AFTER);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		return;
	}
	head(b, "hailong_kiosks", "gauge",
	    "Enrolled kiosks by state: online when heard from in the last "
	    "10 minutes.");
	buf_printf(b, "hailong_kiosks{state=\"online\"} %lld\n",
	    (long long)db_col_int(st, 0));
	buf_printf(b, "hailong_kiosks{state=\"offline\"} %lld\n",
	    (long long)db_col_int(st, 1));
	head(b, "hailong_kiosk_outbox_ratings", "gauge",
	    "Ratings waiting in the kiosks' outboxes, by their last "
	    "heartbeats.");
	buf_printf(b, "hailong_kiosk_outbox_ratings %lld\n",
	    (long long)db_col_int(st, 2));
	head(b, "hailong_kiosk_oldest_unsent_timestamp_seconds", "gauge",
	    "The oldest rating still in a kiosk's outbox (Unix time; 0: "
	    "none).");
	buf_printf(b, "hailong_kiosk_oldest_unsent_timestamp_seconds %lld\n",
	    db_col_is_null(st, 3) ? 0LL : (long long)db_col_int(st, 3));
	db_done(st);
}

/*
 * For each unit with active subordinate units: how many of them have
 * sent this server no report of the latest closed month (report_status.h
 * "missing"), and of those how many are past the deadline (the report
 * deadline rule of that month).
 */
static void
monitor_put_reports(struct buf *b, struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct db_stmt *st;
	char mo[8], err[128];
	int64_t now = hl_now();
	int month = month_add(month_of(now), -1), days;
	bool first = true;

	if (db == NULL ||
	    rules_report_deadline(db, month, &days, err, sizeof(err)) < 0)
		return;
	month_format(month, mo);
	st = db_query(db,
	    "SELECT p.code, sum(NOT EXISTS (SELECT 1 FROM reports_received r "
	    "WHERE r.unit = ch.code AND r.month = ?1 AND r.kind = 'm' AND "
	    "r.received_at <= ?2)) FROM units p JOIN units ch ON ch.parent = "
	    "p.code AND ch.active = 1 GROUP BY p.code ORDER BY p.code",
	    "il", month, now);
	while (st != NULL && db_step(st) == DB_ROW) {
		if (first) {
			head(b, "hailong_reports_missing", "gauge",
			    "Active subordinate units that have sent no "
			    "report of the latest closed month, per parent "
			    "unit (overdue=\"1\" once the deadline has "
			    "passed).");
			first = false;
		}
		buf_puts(b, "hailong_reports_missing{unit=\"");
		label(b, db_col_text(st, 0));
		buf_printf(b, "\",period=\"%s\",overdue=\"%d\"} %lld\n", mo,
		    now >= month_end(month) + (int64_t)days * 86400,
		    (long long)db_col_int(st, 1));
	}
	db_done(st);
}

/* The alerts' outbox (alerts.h): what waits, what went, what gave up. */
static void
monitor_put_alerts(struct buf *b, struct ctx *c)
{
	static const char *const states[] = { "pending", "sent", "failed" };
	struct db *db = ctx_db(c);
	int64_t n[3];

	if (db == NULL || alerts_outbox_counts(db, n) < 0)
		return;
	head(b, "hailong_alert_deliveries", "gauge",
	    "Alert and digest deliveries by state (failed: given up after "
	    "alert_max_attempts).");
	for (int i = 0; i < 3; i++)
		buf_printf(b, "hailong_alert_deliveries{state=\"%s\"} %lld\n",
		    states[i], (long long)n[i]);
}

void
page_prometheus(struct ctx *c)
{
	struct server *s = c->srv;
	struct buf *b = &c->req->resp.body;

	if (!addrlist_has(s->cfg.metrics_allow, c->client)) {
		page_not_found(c);
		return;
	}
	http_begin_body(
	    c->req, 200, "text/plain; version=0.0.4; charset=utf-8");
	head(b, "hailong_build_info", "gauge",
	    "The release, its schema version and the SQLite library.");
	buf_printf(b,
	    "hailong_build_info{version=\"%s\",schema=\"%d\","
	    "sqlite=\"%s\"} 1\n",
	    HAILONG_VERSION, store_schema_version(), db_lib_version());
	head(b, "hailong_start_time_seconds", "gauge",
	    "When this server started (Unix time).");
	buf_printf(
	    b, "hailong_start_time_seconds %lld\n", (long long)s->started_at);
	head(b, "hailong_http_connections", "gauge", "Open HTTP connections.");
	buf_printf(
	    b, "hailong_http_connections %u\n", http_connections(s->http));
	monitor_put_requests(b, s->monitor);
	monitor_put_writer(b, s);
	monitor_put_database(b, c);
	monitor_put_kiosks(b, c);
	monitor_put_reports(b, c);
	monitor_put_alerts(b, c);
}
