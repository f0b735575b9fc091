/* rating.c -- one citizen's answer: the model every channel shares. */
#include <stdlib.h>
#include <string.h>

#include "hailong/rating.h"
#include "hailong/text.h"
#include "hailong/util.h"

static const char *const channel_names[] = { "kiosk", "qr", "web", "import" };
static const char *const requester_names[] = { "", "citizen", "business" };
static const char *const status_names[] = { "valid", "burst", "duplicate",
	"misuse", "spam" };

void
rating_init(struct rating *r)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < RATING_CRITERIA; i++)
		r->criteria[i] = -1;
	r->supplement_reported = -1;
	r->online_error_reported = -1;
	r->visits = -1;
}

void
rating_release(struct rating *r)
{
	free(r->comment);
	r->comment = NULL;
}

const char *
rating_channel_name(enum rating_channel c)
{
	return (unsigned)c < ARRAY_SIZE(channel_names) ? channel_names[c] : "?";
}

int
rating_channel_parse(const char *s, enum rating_channel *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(channel_names); i++) {
		if (strcmp(s, channel_names[i]) == 0) {
			*out = (enum rating_channel)i;
			return 0;
		}
	}
	return -1;
}

const char *
rating_requester_name(enum rating_requester q)
{
	return (unsigned)q < ARRAY_SIZE(requester_names) ? requester_names[q]
							 : "?";
}

int
rating_requester_parse(const char *s, enum rating_requester *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(requester_names); i++) {
		if (strcmp(s, requester_names[i]) == 0) {
			*out = (enum rating_requester)i;
			return 0;
		}
	}
	return -1;
}

const char *
rating_status_name(enum rating_status s)
{
	return (unsigned)s < ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

int
rating_status_parse(const char *s, enum rating_status *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum rating_status)i;
			return 0;
		}
	}
	return -1;
}

bool
rating_id_is_valid(const char *s, size_t len)
{
	if (len < 1 || len > RATING_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' ||
			c == '.' || c == ':'))
			return false;
	}
	return true;
}

bool
reason_is_valid(const char *s, size_t len)
{
	if (len < 1 || len > RATING_REASON_MAX_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool
reasons_are_valid(const char *s)
{
	int n = 0;

	if (*s == '\0')
		return true;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		if (!reason_is_valid(s, len) || ++n > RATING_REASONS_MAX)
			return false;
		if (comma == NULL)
			return true;
		s = comma + 1;
	}
}

const char *
rating_check(const struct rating *r)
{
	static const char *const cnames[RATING_CRITERIA] = { "c1", "c2", "c3",
		"c4", "c5", "c6", "c7", "c8", "c9" };

	if (!rating_id_is_valid(r->id, strlen(r->id)))
		return "id";
	if (!is_unit_code(r->unit, strlen(r->unit)))
		return "unit";
	if (r->counter < 0 || r->counter > 999)
		return "counter";
	if (r->officer[0] != '\0' &&
	    !is_officer_id(r->officer, strlen(r->officer)))
		return "officer";
	if (r->procedure[0] != '\0' &&
	    !is_procedure_code(r->procedure, strlen(r->procedure)))
		return "procedure";
	if (r->dossier[0] != '\0' &&
	    !is_dossier_code(r->dossier, strlen(r->dossier)))
		return "dossier";
	if ((unsigned)r->channel > CHANNEL_IMPORT)
		return "channel";
	if (r->level < 1 || r->level > 5)
		return "level";
	for (int i = 0; i < RATING_CRITERIA; i++)
		if (r->criteria[i] < -1 || r->criteria[i] > 2)
			return cnames[i];
	if (r->supplement_reported < -1 || r->supplement_reported > 1)
		return "supplement_reported";
	if (r->online_error_reported < -1 || r->online_error_reported > 1)
		return "online_error_reported";
	if (r->visits != -1 && (r->visits < 1 || r->visits > RATING_VISITS_MAX))
		return "visits";
	if (!reasons_are_valid(r->reasons))
		return "reasons";
	if (r->comment != NULL) {
		size_t len = strlen(r->comment);

		if (len > RATING_COMMENT_MAX_BYTES ||
		    !utf8_is_valid(r->comment, len) ||
		    !text_has_no_controls(r->comment, len) ||
		    utf8_count(r->comment, len) > RATING_COMMENT_MAX_CHARS)
			return "comment";
	}
	if (r->phone[0] != '\0') {
		char norm[11];

		if (!phone_normalize(r->phone, strlen(r->phone), norm) ||
		    strcmp(norm, r->phone) != 0)
			return "phone";
		if (r->consent_version < 1)
			return "consent";
	}
	if (r->rated_at <= 0)
		return "rated_at";
	if ((unsigned)r->status > STATUS_SPAM)
		return "status";
	if ((unsigned)r->requester > REQUESTER_BUSINESS)
		return "requester";
	return NULL;
}

bool
rating_same_content(const struct rating *a, const struct rating *b)
{
	if (strcmp(a->id, b->id) != 0 || strcmp(a->unit, b->unit) != 0 ||
	    a->counter != b->counter || strcmp(a->officer, b->officer) != 0 ||
	    strcmp(a->procedure, b->procedure) != 0 ||
	    strcmp(a->dossier, b->dossier) != 0 || a->channel != b->channel ||
	    a->level != b->level ||
	    a->supplement_reported != b->supplement_reported ||
	    a->online_error_reported != b->online_error_reported ||
	    a->visits != b->visits || strcmp(a->reasons, b->reasons) != 0 ||
	    a->requester != b->requester || a->assisted != b->assisted)
		return false;
	for (int i = 0; i < RATING_CRITERIA; i++)
		if (a->criteria[i] != b->criteria[i])
			return false;
	if (!str_eq(a->comment ? a->comment : "", b->comment ? b->comment : ""))
		return false;
	if ((a->client_time || b->client_time) && a->rated_at != b->rated_at)
		return false;
	return true;
}

static void
put_opt(struct buf *out, const char *key, int v)
{
	if (v < 0)
		buf_printf(out, "%s=\n", key);
	else
		buf_printf(out, "%s=%d\n", key, v);
}

void
rating_canonical(const struct rating *r, int64_t seq, struct buf *out)
{
	buf_puts(out, "hailong-rating-v1\n");
	buf_printf(out, "seq=%lld\n", (long long)seq);
	buf_printf(out, "id=%s\n", r->id);
	buf_printf(out, "unit=%s\n", r->unit);
	put_opt(out, "counter", r->counter > 0 ? r->counter : -1);
	buf_printf(out, "officer=%s\n", r->officer);
	buf_printf(out, "procedure=%s\n", r->procedure);
	buf_printf(out, "dossier=%s\n", r->dossier);
	buf_printf(out, "channel=%s\n", rating_channel_name(r->channel));
	buf_printf(out, "level=%d\n", r->level);
	buf_puts(out, "criteria=");
	for (int i = 0; i < RATING_CRITERIA; i++) {
		if (i > 0)
			buf_putc(out, ',');
		if (r->criteria[i] >= 0)
			buf_printf(out, "%d", r->criteria[i]);
	}
	buf_putc(out, '\n');
	put_opt(out, "supplement_reported", r->supplement_reported);
	put_opt(out, "online_error_reported", r->online_error_reported);
	put_opt(out, "visits", r->visits);
	buf_printf(out, "reasons=%s\n", r->reasons);
	buf_printf(out, "rated_at=%lld\n", (long long)r->rated_at);
	buf_printf(out, "received_at=%lld\n", (long long)r->received_at);
	buf_printf(out, "status=%s\n", rating_status_name(r->status));
	buf_printf(out, "source=%s\n", r->source);
	/* later fields: only when set, so older rows keep their bytes */
	if (r->requester != REQUESTER_NONE)
		buf_printf(
		    out, "requester=%s\n", rating_requester_name(r->requester));
	if (r->assisted)
		buf_puts(out, "assisted=1\n");
}
