/* main.c -- hailong-kiosk: pick the subcommand, wire the modules together. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/log.h"
#include "hailong/opts.h"
#include "hailong/util.h"
#include "hailong/version.h"
#include "hailong/wire.h"
#include "clock.h"
#include "ident.h"
#include "outbox.h"
#include "page.h"
#include "sender.h"
#include "served.h"

static const char usage_main[] =
    "usage: hailong-kiosk COMMAND [OPTIONS]   (hailong-kiosk COMMAND --help)\n"
    "\n"
    "The program on a counter device: it serves the touch page to the\n"
    "device's full-screen browser, keeps every tap in a local outbox and\n"
    "delivers it to the hailong server, exactly once.\n"
    "\n"
    "commands:\n"
    "  enroll   exchange a code from 'hailong kiosk add' for this kiosk's "
    "key\n"
    "  run      serve the touch page and deliver ratings\n"
    "  status   what waits in the outbox, and what the server refused\n"
    "  version  print the version\n";

static const char usage_enroll[] =
    "usage: hailong-kiosk enroll --server URL --code CODE --data DIR\n"
    "                            [--ca-file FILE] [--force]\n"
    "\n"
    "Exchange the one-time code that 'hailong kiosk add' printed for this\n"
    "kiosk's id and secret, and keep them in DIR/kiosk.json (mode 0600)\n"
    "beside a new outbox.  DIR is created (mode 0700) when missing.  A\n"
    "DIR that holds an identity already is refused unless --force (the\n"
    "outbox is kept: what waits in it is sent under the new identity).\n"
    "--ca-file names the PEM certificates to trust for an https server.\n";

static const char usage_run[] =
    "usage: hailong-kiosk run --data DIR [--listen ADDR:PORT]\n"
    "                         [--reset-seconds N] [--burst-seconds N]\n"
    "                         [--heartbeat-seconds N] [--batch-max N]\n"
    "                         [--retry-max-ms N] [--serving-seconds N]\n"
    "                         [--ca-file FILE] [--new-outbox]\n"
    "                         [--log-level LEVEL]\n"
    "\n"
    "Serve the touch page on --listen (default 127.0.0.1:8081; port 0\n"
    "picks a free one; the first line printed is 'listening on\n"
    "http://ADDR:PORT'), keep every rating in DIR/outbox.db before\n"
    "answering, and deliver the outbox to the server in the background,\n"
    "with or without a network.  SIGTERM or SIGINT stop it; nothing\n"
    "answered is lost, even to SIGKILL or a power cut.\n"
    "\n"
    "  --reset-seconds N      the page starts over after N idle seconds (30)\n"
    "  --burst-seconds N      a press within N s of the last is flagged (5)\n"
    "  --heartbeat-seconds N  heartbeat and configuration every N s (60)\n"
    "  --batch-max N          ratings per request to the server (500)\n"
    "  --retry-max-ms N       longest wait between tries when the server\n"
    "                         is down (10000)\n"
    "  --serving-seconds N    ask every N s which dossier the counter\n"
    "                         serves, to show it and bind the next rating\n"
    "                         (2; 0: never)\n"
    "  --new-outbox           create DIR/outbox.db when it is missing\n"
    "  --log-level LEVEL      debug, info, warn or error (info)\n";

static const char usage_status[] =
    "usage: hailong-kiosk status --data DIR [--json]\n"
    "\n"
    "Print the kiosk's identity, what waits in its outbox, and each rating\n"
    "the server refused (conflict or rejected), which stay in the outbox\n"
    "and are never sent again.  Which face was pressed is not shown.\n";

static void usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "hailong-kiosk CMD: <fmt...>; see 'hailong-kiosk CMD --help'" */
static void
usage_error(const char *cmd, const char *fmt, ...)
{
	const struct opts_cmd c = { "hailong-kiosk", cmd, "", 0 };
	va_list ap;

	va_start(ap, fmt);
	opts_verror(&c, true, fmt, ap);
	va_end(ap);
}

/* A subcommand's flags; it takes no other arguments.  0, 1 for --help, -1. */
static int
parse_opts(const char *cmd, const char *usage, int argc, char **argv,
    const struct opt *opts)
{
	const struct opts_cmd c = { "hailong-kiosk", cmd, usage,
		OPTS_HINT_ALWAYS | OPTS_DASHDASH_IS_OPTION };

	return opts_parse(&c, argc, argv, opts, NULL, 0, NULL);
}

static int
num_opt(const char *cmd, const char *name, const char *v, int64_t min,
    int64_t max, unsigned *out)
{
	int64_t n;

	if (v == NULL)
		return 0;
	if (parse_int64(v, strlen(v), min, max, &n) < 0) {
		usage_error(cmd, "--%s must be a number from %lld to %lld",
		    name, (long long)min, (long long)max);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

static int
cmd_enroll(int argc, char **argv)
{
	const char *server = NULL, *code = NULL, *dir = NULL, *ca = NULL;
	bool force = false;
	const struct opt opts[] = {
		{ "server", &server, NULL },
		{ "code", &code, NULL },
		{ "data", &dir, NULL },
		{ "ca-file", &ca, NULL },
		{ "force", NULL, &force },
		{ NULL, NULL, NULL },
	};
	char norm[WIRE_CODE_CHARS + 1], url[IDENT_URL_MAX], err[1024];
	struct ident id, old;
	struct outbox *ob;
	int p;

	p = parse_opts("enroll", usage_enroll, argc, argv, opts);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (server == NULL || code == NULL || dir == NULL) {
		usage_error(
		    "enroll", "--server, --code and --data are required");
		return 2;
	}
	if (ident_server_url(server, url) < 0) {
		usage_error("enroll",
		    "--server '%s' is not an address like "
		    "https://hailong.example.gov.vn",
		    server);
		return 2;
	}
	if (wire_code_normalize(code, strlen(code), norm) < 0) {
		usage_error("enroll",
		    "--code '%s' is not an enrolment code (like "
		    "ABCD-EFGH-JKMN-PQRS)",
		    code);
		return 2;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr,
		    "hailong-kiosk enroll: cannot create '%s': %s\n", dir,
		    strerror(errno));
		return 1;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		fprintf(stderr,
		    "hailong-kiosk enroll: '%s' is not a writable "
		    "directory\n",
		    dir);
		return 1;
	}
	p = ident_load(dir, &old, err, sizeof(err));
	memset(old.secret, 0, sizeof(old.secret));
	if (p == 0 && !force) {
		fprintf(stderr,
		    "hailong-kiosk enroll: '%s' holds the identity of kiosk "
		    "%s already; give --force to replace it\n",
		    dir, old.kiosk);
		return 1;
	}
	if (p < 0 && !force) {
		fprintf(stderr, "hailong-kiosk enroll: %s\n", err);
		return 1;
	}
	if (ident_enrol(url, code, ca, &id, err, sizeof(err)) < 0) {
		fprintf(stderr, "hailong-kiosk enroll: %s\n", err);
		return 1;
	}
	if (ident_save(dir, &id, err, sizeof(err)) < 0) {
		memset(id.secret, 0, sizeof(id.secret));
		fprintf(stderr,
		    "hailong-kiosk enroll: the server enrolled kiosk %s but "
		    "its key could not be saved (%s); revoke it with "
		    "'hailong kiosk revoke' and make a new code\n",
		    id.kiosk, err);
		return 1;
	}
	memset(id.secret, 0, sizeof(id.secret));
	ob = outbox_open(dir, true, err, sizeof(err));
	if (ob == NULL) {
		fprintf(stderr, "hailong-kiosk enroll: %s\n", err);
		return 1;
	}
	outbox_close(ob);
	printf("enrolled as kiosk %s at %s\n"
	       "start it with: hailong-kiosk run --data %s --listen "
	       "127.0.0.1:8081\n",
	    id.kiosk, url, dir);
	return 0;
}

/* run's flags, borrowed from argv. */
struct run_args {
	const char *dir, *listen, *ca, *level;
	const char *reset, *burst, *heartbeat, *batch, *retry, *serving;
	bool new_outbox;
};

/*
 * The numbers and the log level of run's flags into pc, sc and the log.
 * 0, or 2 (usage) after saying which is wrong.
 */
static int
run_settings(const struct run_args *a, struct page_config *pc,
    struct sender_config *sc, bool *ask_serving)
{
	unsigned serving_s = WIRE_SERVING_EVERY;

	pc->reset_s = WIRE_RESET_SECONDS;
	pc->burst_s = WIRE_BURST_SECONDS;
	if (num_opt("run", "reset-seconds", a->reset, 1, 3600, &pc->reset_s) <
		0 ||
	    num_opt("run", "burst-seconds", a->burst, 0, 3600, &pc->burst_s) <
		0 ||
	    num_opt("run", "heartbeat-seconds", a->heartbeat, 1, 86400,
		&sc->heartbeat_s) < 0 ||
	    num_opt("run", "batch-max", a->batch, 1, WIRE_BATCH_MAX,
		&sc->batch_max) < 0 ||
	    num_opt("run", "retry-max-ms", a->retry, 100, 3600000,
		&sc->retry_max_ms) < 0)
		return 2;
	if (num_opt("run", "serving-seconds", a->serving, 0, 3600, &serving_s) <
	    0)
		return 2;
	/* 0: never ask which dossier the counter serves */
	sc->serving_ms = serving_s * 1000;
	*ask_serving = serving_s != 0;
	if (log_level_parse(a->level) < 0) {
		usage_error("run",
		    "--log-level must be debug, info, warn or "
		    "error");
		return 2;
	}
	log_set_level((enum log_level)log_level_parse(a->level));
	return 0;
}

/* The identity in dir into *id.  0, or -1 after saying how to enrol. */
static int
load_identity(const char *dir, struct ident *id)
{
	char err[1024];
	int p;

	p = ident_load(dir, id, err, sizeof(err));
	if (p == 1) {
		struct stat st;

		if (stat(dir, &st) < 0)
			fprintf(stderr,
			    "hailong-kiosk: the data directory '%s' does not "
			    "exist; enrol the kiosk first: hailong-kiosk "
			    "enroll --server URL --code CODE --data %s\n",
			    dir, dir);
		else
			fprintf(stderr,
			    "hailong-kiosk: '%s' holds no kiosk identity; "
			    "enrol the kiosk first: hailong-kiosk enroll "
			    "--server URL --code CODE --data %s\n",
			    dir, dir);
		return -1;
	}
	if (p < 0) {
		fprintf(stderr, "hailong-kiosk: %s\n", err);
		return -1;
	}
	return 0;
}

/* The clock correction the last run learnt from the server, if any. */
static void
restore_clock(struct outbox *ob)
{
	char *v = outbox_get(ob, "clock_offset_ms");
	int64_t off;

	if (v == NULL)
		return;
	if (parse_int64(v, strlen(v), INT64_MIN / 4, INT64_MAX / 4, &off) == 0)
		clock_set_offset_ms(off);
	free(v);
}

/*
 * Block SIGTERM and SIGINT (into *sigs) for sigwait(); threads started
 * from here on inherit the mask.  SIGPIPE is ignored.
 */
static void
block_stop_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Wait for SIGTERM or SIGINT; which one came. */
static int
wait_for_stop(const sigset_t *sigs)
{
	int sig;

	do {
		if (sigwait(sigs, &sig) != 0)
			sig = 0;
	} while (sig != SIGTERM && sig != SIGINT);
	return sig;
}

static int
cmd_run(int argc, char **argv)
{
	struct run_args a = { .listen = "127.0.0.1:8081", .level = "info" };
	const struct opt opts[] = {
		{ "data", &a.dir, NULL },
		{ "listen", &a.listen, NULL },
		{ "reset-seconds", &a.reset, NULL },
		{ "burst-seconds", &a.burst, NULL },
		{ "heartbeat-seconds", &a.heartbeat, NULL },
		{ "batch-max", &a.batch, NULL },
		{ "retry-max-ms", &a.retry, NULL },
		{ "serving-seconds", &a.serving, NULL },
		{ "ca-file", &a.ca, NULL },
		{ "new-outbox", NULL, &a.new_outbox },
		{ "log-level", &a.level, NULL },
		{ NULL, NULL, NULL },
	};
	struct sender_config sc = { 0 };
	struct page_config pc = { 0 };
	struct outbox *ob = NULL;
	struct sender *snd = NULL;
	struct page *pg = NULL;
	struct served *sv = NULL;
	bool ask_serving = false;
	struct ident id;
	char err[1024];
	sigset_t sigs;
	int p, sig, rc = 1;

	p = parse_opts("run", usage_run, argc, argv, opts);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (a.dir == NULL) {
		usage_error("run", "--data DIR is required");
		return 2;
	}
	if ((p = run_settings(&a, &pc, &sc, &ask_serving)) != 0)
		return p;
	if (load_identity(a.dir, &id) < 0)
		return 1;
	ob = outbox_open(a.dir, a.new_outbox, err, sizeof(err));
	if (ob == NULL) {
		fprintf(stderr, "hailong-kiosk: %s\n", err);
		goto out;
	}
	restore_clock(ob);
	block_stop_signals(&sigs);
	if (ask_serving)
		sv = served_new(ob);
	sc.served = sv;
	sc.ob = ob;
	sc.id = &id;
	sc.ca_file = a.ca;
	snd = sender_start(&sc, err, sizeof(err));
	memset(id.secret, 0, sizeof(id.secret));
	if (snd == NULL) {
		fprintf(stderr, "hailong-kiosk: %s\n", err);
		goto out;
	}
	pc.listen = a.listen;
	pc.ob = ob;
	pc.sender = snd;
	pc.served = sv;
	pg = page_start(&pc, err, sizeof(err));
	if (pg == NULL) {
		fprintf(stderr, "hailong-kiosk: %s\n", err);
		goto out;
	}
	printf("listening on %s\n", page_url(pg));
	fflush(stdout);
	log_kv(LOG_INFO, "start", "kiosk=%s version=%s", id.kiosk,
	    HAILONG_VERSION);
	sig = wait_for_stop(&sigs);
	log_kv(LOG_INFO, "stop", "signal=%d", sig);
	rc = 0;
out:
	page_stop(pg);
	sender_stop(snd);
	served_free(sv);
	outbox_close(ob);
	return rc;
}

struct problems {
	json_t *list;
	bool as_json;
};

static void
print_problem(const struct outbox_entry *e, const char *state,
    const char *reason, void *arg)
{
	struct problems *pr = arg;
	char at[26], vn[17];

	rfc3339_format(e->rated_ms / 1000, at);
	if (pr->as_json) {
		json_array_append_new(pr->list,
		    json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq",
			(json_int_t)e->seq, "id", e->id, "state", state,
			"reason", reason, "rated_at", at));
		return;
	}
	datetime_vn(e->rated_ms / 1000, vn);
	printf("  seq %lld  %-8s  %s  %s  %s\n", (long long)e->seq, state, vn,
	    e->id, reason);
}

/* What status prints: the identity (kiosk NULL when not enrolled). */
struct status {
	const char *kiosk, *server;
	struct outbox_stats st;
	json_t *cfg; /* the last configuration from the server, or NULL */
};

/* The status as one JSON document, the refused ratings in "problems". */
static void
status_json(struct outbox *ob, const struct status *s)
{
	struct problems pr = { json_array(), true };
	char oldest[26] = "", *text;
	json_t *doc;

	if (s->st.oldest_ms >= 0)
		rfc3339_format(s->st.oldest_ms / 1000, oldest);
	outbox_problems(ob, 1000, print_problem, &pr);
	doc = json_pack("{s:s?, s:s?, s:I, s:I, s:I, s:I, s:s?, s:I, "
			"s:O?, s:o}",
	    "kiosk", s->kiosk, "server", s->server, "pending",
	    (json_int_t)s->st.pending, "sent", (json_int_t)s->st.sent,
	    "conflict", (json_int_t)s->st.conflict, "rejected",
	    (json_int_t)s->st.rejected, "oldest_unsent",
	    oldest[0] ? oldest : NULL, "last_seq", (json_int_t)s->st.last_seq,
	    "config", s->cfg, "problems", pr.list);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text != NULL ? text : "{}");
	free(text);
	json_decref(doc);
}

/* The status as lines for a person, then the refused ratings. */
static void
status_text(struct outbox *ob, const struct status *s)
{
	struct problems pr = { NULL, false };
	const struct outbox_stats *st = &s->st;
	const json_t *cfg = s->cfg;
	char vn[17] = "-";

	if (st->oldest_ms >= 0)
		datetime_vn(st->oldest_ms / 1000, vn);
	if (s->kiosk != NULL)
		printf("kiosk %s, server %s\n", s->kiosk, s->server);
	else
		printf("kiosk: not enrolled\n");
	printf("outbox: %lld waiting (oldest %s), %lld sent, %lld "
	       "conflict, %lld rejected; last seq %lld\n",
	    (long long)st->pending, vn, (long long)st->sent,
	    (long long)st->conflict, (long long)st->rejected,
	    (long long)st->last_seq);
	if (cfg != NULL)
		printf("configuration: %s counter %lld, %lld faces\n",
		    json_string_value(
			json_object_get(json_object_get(cfg, "unit"), "code"))
			? json_string_value(json_object_get(
			      json_object_get(cfg, "unit"), "code"))
			: "?",
		    (long long)json_integer_value(json_object_get(
			json_object_get(cfg, "counter"), "number")),
		    (long long)json_integer_value(
			json_object_get(cfg, "faces")));
	else
		printf("configuration: none yet (the kiosk has not "
		       "reached the server)\n");
	if (st->conflict + st->rejected > 0) {
		printf("refused by the server (kept, not sent "
		       "again):\n");
		outbox_problems(ob, 1000, print_problem, &pr);
	}
}

static int
cmd_status(int argc, char **argv)
{
	const char *dir = NULL;
	bool as_json = false;
	const struct opt opts[] = {
		{ "data", &dir, NULL },
		{ "json", NULL, &as_json },
		{ NULL, NULL, NULL },
	};
	struct status s = { NULL, NULL, { 0 }, NULL };
	struct outbox *ob;
	struct ident id;
	char err[1024], *cfg_text;
	int p, rc = 1;

	p = parse_opts("status", usage_status, argc, argv, opts);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (dir == NULL) {
		usage_error("status", "--data DIR is required");
		return 2;
	}
	if (ident_load(dir, &id, err, sizeof(err)) == 0) {
		s.kiosk = id.kiosk;
		s.server = id.server;
	}
	memset(id.secret, 0, sizeof(id.secret));
	ob = outbox_open(dir, false, err, sizeof(err));
	if (ob == NULL) {
		fprintf(stderr, "hailong-kiosk: %s\n", err);
		return 1;
	}
	if (outbox_stats(ob, &s.st) < 0) {
		fprintf(stderr, "hailong-kiosk: cannot read the outbox\n");
		goto out;
	}
	cfg_text = outbox_get(ob, "config");
	if (cfg_text != NULL)
		s.cfg = json_loads(cfg_text, 0, NULL);
	free(cfg_text);
	if (as_json)
		status_json(ob, &s);
	else
		status_text(ob, &s);
	rc = 0;
out:
	json_decref(s.cfg);
	outbox_close(ob);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("hailong-kiosk %s\n", HAILONG_VERSION);
		return 0;
	}
	if (httpc_global_init() < 0) {
		fprintf(stderr, "hailong-kiosk: cannot initialise libcurl\n");
		return 1;
	}
	if (strcmp(argv[1], "enroll") == 0 || strcmp(argv[1], "enrol") == 0)
		return cmd_enroll(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	fprintf(stderr, "hailong-kiosk: unknown command '%s'\n\n", argv[1]);
	fputs(usage_main, stderr);
	return 2;
}
