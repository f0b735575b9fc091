/* counts.c -- the counts behind the monthly figures, which add. */
#include <stdio.h>
#include <string.h>

#include "hailong/util.h"
#include "core/counts.h"

/* Every field of struct metric_counts is an int64_t: add them as such. */
_Static_assert(sizeof(struct metric_counts) % sizeof(int64_t) == 0,
    "struct metric_counts holds int64_t only");

void
metric_counts_add(struct metric_counts *into, const struct metric_counts *from)
{
	int64_t *a = (int64_t *)(void *)into;
	const int64_t *b = (const int64_t *)(const void *)from;

	for (size_t i = 0; i < sizeof(*into) / sizeof(int64_t); i++)
		a[i] += b[i];
}

bool
metric_counts_is_zero(const struct metric_counts *c)
{
	const int64_t *a = (const int64_t *)(const void *)c;

	for (size_t i = 0; i < sizeof(*c) / sizeof(int64_t); i++)
		if (a[i] != 0)
			return false;
	return true;
}

void
metric_counts_add_rating(struct metric_counts *c, const struct rating *r)
{
	static const int officer_criteria[] = { 0, 1, 2, 3, 6 };
	int answered = 0, sum = 0, osum = 0;
	bool officer = true;

	if (r->level >= 1 && r->level <= 5)
		c->by_level[r->level - 1]++;
	for (int i = 0; i < RATING_CRITERIA; i++) {
		if (r->criteria[i] < 0)
			continue;
		c->criteria_n[i]++;
		c->criteria_sum[i] += r->criteria[i];
		answered++;
		sum += r->criteria[i];
	}
	if (answered == RATING_CRITERIA) {
		c->ballot_n++;
		c->ballot_sum += sum;
	}
	for (size_t i = 0; i < ARRAY_SIZE(officer_criteria); i++) {
		int v = r->criteria[officer_criteria[i]];

		if (v < 0)
			officer = false;
		else
			osum += v;
	}
	if (officer) {
		c->officer_n++;
		c->officer_sum += osum;
	}
	if (r->supplement_reported >= 0) {
		c->supplement_answered++;
		c->supplement_yes += r->supplement_reported;
	}
	if (r->online_error_reported >= 0) {
		c->online_error_answered++;
		c->online_error_yes += r->online_error_reported;
	}
	c->reasons_given += r->reasons[0] != '\0';
	if (r->visits >= 1) {
		c->visits_answered++;
		c->visits_sum += r->visits;
		c->visits_one += r->visits == 1;
	}
	if ((unsigned)r->channel < CHANNEL_COUNT) {
		c->channel_ratings[r->channel]++;
		c->channel_satisfied[r->channel] += r->level >= 4;
	}
	if (r->requester != REQUESTER_NONE &&
	    (unsigned)r->requester <= REQUESTER_COUNT) {
		c->requester_ratings[r->requester - 1]++;
		c->requester_satisfied[r->requester - 1] += r->level >= 4;
	}
	if (r->assisted) {
		c->assisted_ratings++;
		c->assisted_satisfied += r->level >= 4;
	}
}

void
metric_counts_add_any(struct metric_counts *c, const struct rating *r)
{
	if (r->status == STATUS_VALID)
		metric_counts_add_rating(c, r);
	else if ((unsigned)r->status - 1 < EXCLUDED_COUNT)
		c->excluded[r->status - 1]++;
}

int64_t
metric_counts_ratings(const struct metric_counts *c)
{
	int64_t n = 0;

	for (int i = 0; i < 5; i++)
		n += c->by_level[i];
	return n;
}

/* The scalar fields, by name, in the order of the JSON object. */
static const struct {
	const char *name;
	size_t off;
	int since; /* the definition version that added it */
} scalar_counts[] = {
#define F(x) \
	{ \
#x, offsetof(struct metric_counts, x), 1 \
	}
#define W(x) \
	{ \
#x, offsetof(struct metric_counts, x), 2 \
	}
#define I(x) \
	{ \
#x, offsetof(struct metric_counts, x), 3 \
	}
	F(ballot_n),
	F(ballot_sum),
	F(officer_n),
	F(officer_sum),
	F(supplement_answered),
	F(supplement_yes),
	F(online_error_answered),
	F(online_error_yes),
	W(reasons_given),
	W(visits_answered),
	W(visits_sum),
	W(visits_one),
	F(dossiers),
	F(online),
	F(full_online),
	F(judged),
	F(on_time),
	F(supplement),
	F(multi_supplement),
	F(correction),
	F(supplement_or_correction),
	F(digitized),
	F(bad),
	W(covered),
	I(assisted_ratings),
	I(assisted_satisfied),
#undef I
#undef W
#undef F
};

/* The arrays of versions 2 and 3, in the order of the JSON object, after
 * them. */
static const struct {
	const char *name;
	size_t off;
	int n;
	int since; /* the definition version that added it */
} why_arrays[] = {
#define A(x, n, v) \
	{ \
#x, offsetof(struct metric_counts, x), n, v \
	}
	A(channel_ratings, CHANNEL_COUNT, 2),
	A(channel_satisfied, CHANNEL_COUNT, 2),
	A(excluded, EXCLUDED_COUNT, 2),
	A(dchannel_dossiers, DCHANNEL_COUNT, 2),
	A(dchannel_judged, DCHANNEL_COUNT, 2),
	A(dchannel_on_time, DCHANNEL_COUNT, 2),
	A(dchannel_soc, DCHANNEL_COUNT, 2),
	A(requester_ratings, REQUESTER_COUNT, 3),
	A(requester_satisfied, REQUESTER_COUNT, 3),
#undef A
};

static int64_t *
count_field(struct metric_counts *c, size_t off)
{
	return (int64_t *)(void *)((char *)c + off);
}

json_t *
metric_ints_to_json(const int64_t *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

json_t *
metric_counts_to_json(const struct metric_counts *c)
{
	struct metric_counts copy = *c;
	json_t *o = json_object();

	json_object_set_new(o, "by_level", metric_ints_to_json(c->by_level, 5));
	for (size_t i = 0; i < ARRAY_SIZE(scalar_counts); i++) {
		json_object_set_new(o, scalar_counts[i].name,
		    json_integer(*count_field(&copy, scalar_counts[i].off)));
		if (strcmp(scalar_counts[i].name, "ballot_sum") == 0) {
			json_object_set_new(o, "criteria_n",
			    metric_ints_to_json(
				c->criteria_n, RATING_CRITERIA));
			json_object_set_new(o, "criteria_sum",
			    metric_ints_to_json(
				c->criteria_sum, RATING_CRITERIA));
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(why_arrays); i++)
		json_object_set_new(o, why_arrays[i].name,
		    metric_ints_to_json(count_field(&copy, why_arrays[i].off),
			why_arrays[i].n));
	return o;
}

static int
array_from_json(const json_t *obj, const char *key, int64_t *v, int n,
    char *err, size_t errlen)
{
	const json_t *a = json_object_get(obj, key);

	if (!json_is_array(a) || json_array_size(a) != (size_t)n)
		goto bad;
	for (int i = 0; i < n; i++) {
		const json_t *x = json_array_get(a, (size_t)i);

		if (!json_is_integer(x) || json_integer_value(x) < 0)
			goto bad;
		v[i] = json_integer_value(x);
	}
	return 0;
bad:
	snprintf(
	    err, errlen, "counts.%s: must be %d whole numbers >= 0", key, n);
	return -1;
}

int
metric_counts_from_json(
    const json_t *obj, struct metric_counts *c, char *err, size_t errlen)
{
	bool partial = false;

	return metric_counts_from_json_v(obj, 3, c, &partial, err, errlen);
}

int
metric_counts_from_json_v(const json_t *obj, int version,
    struct metric_counts *c, bool *partial, char *err, size_t errlen)
{
	struct metric_counts out;
	const char *key;
	json_t *v;

	memset(&out, 0, sizeof(out));
	if (!json_is_object(obj)) {
		snprintf(err, errlen, "counts: must be an object");
		return -1;
	}
	if (array_from_json(obj, "by_level", out.by_level, 5, err, errlen) <
		0 ||
	    array_from_json(obj, "criteria_n", out.criteria_n, RATING_CRITERIA,
		err, errlen) < 0 ||
	    array_from_json(obj, "criteria_sum", out.criteria_sum,
		RATING_CRITERIA, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(scalar_counts); i++) {
		const json_t *x = json_object_get(obj, scalar_counts[i].name);

		if (scalar_counts[i].since > version)
			continue;
		if (!json_is_integer(x) || json_integer_value(x) < 0) {
			snprintf(err, errlen,
			    "counts.%s: must be a whole number "
			    ">= 0",
			    scalar_counts[i].name);
			return -1;
		}
		*count_field(&out, scalar_counts[i].off) =
		    json_integer_value(x);
	}
	for (size_t i = 0; i < ARRAY_SIZE(why_arrays); i++)
		if (why_arrays[i].since <= version &&
		    array_from_json(obj, why_arrays[i].name,
			count_field(&out, why_arrays[i].off), why_arrays[i].n,
			err, errlen) < 0)
			return -1;
	/* json_object_foreach needs a non-const object; it only reads */
	json_object_foreach((json_t *)(uintptr_t)obj, key, v)
	{
		bool known = strcmp(key, "by_level") == 0 ||
		    strcmp(key, "criteria_n") == 0 ||
		    strcmp(key, "criteria_sum") == 0 ||
		    (version >= 2 && strcmp(key, "reasons") == 0);

		for (size_t i = 0; i < ARRAY_SIZE(scalar_counts); i++)
			known |= strcmp(key, scalar_counts[i].name) == 0 &&
			    scalar_counts[i].since <= version;
		for (size_t i = 0; i < ARRAY_SIZE(why_arrays); i++)
			known |= strcmp(key, why_arrays[i].name) == 0 &&
			    why_arrays[i].since <= version;
		if (!known) {
			snprintf(err, errlen, "counts.%.40s: unknown key", key);
			return -1;
		}
	}
	if (version < 2)
		*partial = true;
	*c = out;
	return 0;
}
