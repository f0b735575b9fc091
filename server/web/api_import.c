/* api_import.c -- POST /api/v1/dossiers and /api/v1/ratings: the feeds. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/http.h"
#include "hailong/util.h"
#include "core/import.h"
#include "core/writer.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * Both take a JSON array of objects (Content-Type application/json) or
 * CSV with a header row (text/csv), at most API_IMPORT_ITEMS items, and
 * answer 200 with a result per item:
 *
 *	{"accepted": 2, "duplicate": 0, "stale": 0, "conflict": 0,
 *	 "rejected": 1, "unavailable": 0,
 *	 "items": [{"index": 0, "line": 2, "code": "...", "status":
 *	            "accepted"}, ...,
 *	           {"index": 2, "line": 4, "code": "...", "status":
 *	            "rejected", "errors": [{"column": "channel",
 *	            "message": "..."}]}]}
 *
 * (ratings: "id" instead of "code").  Good items are stored even when
 * others are bad: the caller fixes and sends the bad ones again, and
 * sending a good one twice is harmless.  A body that cannot be read as
 * a whole is 400, too many items 413, a database that fails 503 (items
 * "unavailable": send them again).
 */
#define API_IMPORT_ITEMS 10000

static int
body_format(struct ctx *c, enum records_format *fmt)
{
	const char *ct = http_header(c->req, "Content-Type");

	if (ct != NULL && strncmp(ct, "application/json", 16) == 0) {
		*fmt = RECORDS_JSON;
		return 0;
	}
	if (ct != NULL && strncmp(ct, "text/csv", 8) == 0) {
		*fmt = RECORDS_CSV;
		return 0;
	}
	ctx_json_error(c, 415, "unsupported_media_type",
	    "send Content-Type: application/json (an array of objects) or "
	    "text/csv (with a header row)");
	return -1;
}

static struct import *
start(struct ctx *c, enum import_kind kind)
{
	enum records_format fmt;
	struct import *im;

	if (body_format(c, &fmt) < 0)
		return NULL;
	im = import_new(kind, c->req->body.data ? c->req->body.data : "",
	    c->req->body.len, fmt);
	strlcpy_hl(im->scope, c->who.unit, sizeof(im->scope));
	snprintf(
	    im->source, sizeof(im->source), "import:apikey:%.30s", c->who.name);
	im->max_items = API_IMPORT_ITEMS;
	return im;
}

/* Answer a check that failed as a whole; frees im. */
static void
refuse(struct ctx *c, struct import *im)
{
	if (im->too_many)
		ctx_json_error(c, 413, "too_many_items", "%s", im->error);
	else if (strncmp(im->error, "database", 8) == 0)
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; send again later");
	else
		ctx_json_error(c, 400, "bad_request", "line %s", im->error);
	import_free(im);
}

static void
answer(struct ctx *c, struct import *im)
{
	json_t *doc = json_object(), *items = json_array();

	for (int s = 0; s < IMPORT_STATUS_COUNT; s++)
		json_object_set_new(doc,
		    import_status_name((enum import_status)s),
		    json_integer((json_int_t)im->counts[s]));
	for (size_t i = 0; i < im->n; i++) {
		const struct import_item *it = &im->items[i];
		json_t *o = json_pack("{s:i, s:i, s:s, s:s}", "index",
		    it->index, "line", it->line,
		    im->kind == IMPORT_DOSSIERS ? "code" : "id", it->key,
		    "status", import_status_name(it->status));

		if (it->nerrors > 0) {
			json_t *errs = json_array();

			for (int k = 0; k < it->nerrors; k++)
				json_array_append_new(errs,
				    json_pack("{s:s, s:s}", "column",
					it->errors[k].column, "message",
					it->errors[k].message));
			json_object_set_new(o, "errors", errs);
		}
		json_array_append_new(items, o);
	}
	json_object_set_new(doc, "items", items);
	ctx_json(c, im->counts[IMPORT_UNAVAILABLE] > 0 ? 503 : 200, doc);
	if (im->counts[IMPORT_UNAVAILABLE] > 0)
		http_set_header(&c->req->resp, "Retry-After", "30");
}

void
api_dossiers_post(struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct import *im;
	char actor[80];

	if (db == NULL) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; send again later");
		return;
	}
	im = start(c, IMPORT_DOSSIERS);
	if (im == NULL)
		return;
	if (import_check(im, db) < 0) {
		refuse(c, im);
		return;
	}
	ctx_actor(c, actor, sizeof(actor));
	import_write_dossiers(im, db, actor, "api");
	answer(c, im);
	import_free(im);
}

struct ratings_post;

/* A rating of the request, with the way back to its request. */
struct api_job {
	struct writer_job job; /* first: the writer hands this back */
	struct ratings_post *rp;
};

/* A ratings POST on its way through the writer. */
struct ratings_post {
	struct ctx *c;
	struct import *im;
	struct api_job *jobs;
	size_t n;
	atomic_size_t pending; /* jobs not decided, plus the submitter */
};

static void
ratings_post_free(void *p)
{
	struct ratings_post *rp = p;

	for (size_t i = 0; i < rp->n; i++)
		rating_release(&rp->jobs[i].job.rating);
	free(rp->jobs);
	import_free(rp->im);
	free(rp);
}

static void
one_decided(struct ratings_post *rp)
{
	if (atomic_fetch_sub(&rp->pending, 1) == 1)
		http_resume(rp->c->req); /* the last touch: rp may go now */
}

/* Writer thread: one rating decided. */
static void
rating_job_done(struct writer_job *job)
{
	one_decided(((struct api_job *)(void *)job)->rp);
}

static int
collect(void *arg, struct import_item *item, const struct dossier *d,
    struct rating *r)
{
	struct ratings_post *rp = arg;
	struct api_job *aj = &rp->jobs[rp->n++];
	struct writer_job *job = &aj->job;

	(void)d;
	memset(aj, 0, sizeof(*aj));
	aj->rp = rp;
	job->done = rating_job_done;
	job->rating = *r;
	r->comment = NULL; /* the job owns it now */
	job->arg = item;
	job->result = WRITER_UNAVAILABLE;
	return 0;
}

static void
ratings_resumed(struct ctx *c)
{
	struct ratings_post *rp = c->state;
	struct db *db = ctx_db(c);
	char actor[80];

	for (size_t i = 0; i < rp->n; i++)
		import_job_result(rp->im, &rp->jobs[i].job);
	ctx_actor(c, actor, sizeof(actor));
	if (db != NULL)
		import_audit(rp->im, db, actor, "api");
	answer(c, rp->im);
}

void
api_ratings_post(struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct ratings_post *rp;

	if (db == NULL) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; send again later");
		return;
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->c = c;
	rp->im = start(c, IMPORT_RATINGS);
	if (rp->im == NULL) {
		free(rp);
		return;
	}
	if (import_check(rp->im, db) < 0) {
		refuse(c, rp->im);
		free(rp);
		return;
	}
	c->state = rp;
	c->state_free = ratings_post_free;
	rp->jobs =
	    xcalloc(rp->im->counts[IMPORT_ACCEPTED] + 1, sizeof(*rp->jobs));
	import_each(rp->im, collect, rp);
	if (rp->n == 0) {
		ratings_resumed(c);
		return;
	}
	atomic_store(&rp->pending, rp->n + 1);
	c->resumed = ratings_resumed;
	http_suspend(c->req);
	for (size_t i = 0; i < rp->n; i++)
		if (writer_submit(c->srv->writer, &rp->jobs[i].job) < 0)
			one_decided(rp); /* queue full or stopping: 503 */
	one_decided(rp);
}
