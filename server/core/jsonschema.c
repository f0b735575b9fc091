/* jsonschema.c -- checking a JSON document against one of our schemas. */
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/text.h"
#include "core/jsonschema.h"

#define MAX_DEPTH 64

struct check {
	json_t *root; /* the schema document, for $ref */
	char *err;
	size_t errlen;
	bool broken; /* the schema is at fault */
	int depth;
};

static int validate(struct check *k, json_t *s, json_t *v, struct buf *path);

static int
fail(struct check *k, struct buf *path, const char *why)
{
	if (k->err[0] == '\0')
		snprintf(k->err, k->errlen, "%s: %s",
		    path->len ? buf_str(path) : "/", why);
	return 1;
}

static int
broken(struct check *k, struct buf *path, const char *why)
{
	k->broken = true;
	snprintf(k->err, k->errlen, "schema at %s: %s",
	    path->len ? buf_str(path) : "/", why);
	return -1;
}

static bool
has_type(json_t *v, const char *t)
{
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v) ||
		    (json_is_real(v) &&
			json_real_value(v) == floor(json_real_value(v)));
	return false;
}

static bool
known_type(const char *t)
{
	static const char *const types[] = { "null", "boolean", "object",
		"array", "string", "number", "integer" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i]) == 0)
			return true;
	return false;
}

/* Descend: path + "/" + key (JSON pointer escaping), restore after. */
static int
child(struct check *k, json_t *s, json_t *v, struct buf *path, const char *key,
    size_t index)
{
	size_t len = path->len;
	int rc;

	buf_putc(path, '/');
	if (key != NULL) {
		for (const char *p = key; *p != '\0'; p++) {
			if (*p == '~')
				buf_puts(path, "~0");
			else if (*p == '/')
				buf_puts(path, "~1");
			else
				buf_putc(path, *p);
		}
	} else {
		buf_printf(path, "%zu", index);
	}
	rc = validate(k, s, v, path);
	path->len = len;
	path->data[len] = '\0';
	return rc;
}

static int
check_type(struct check *k, json_t *t, json_t *v, struct buf *path)
{
	char why[128];

	if (json_is_string(t)) {
		if (!known_type(json_string_value(t)))
			return broken(k, path, "unknown type");
		if (has_type(v, json_string_value(t)))
			return 0;
		snprintf(why, sizeof(why), "must be %s %s",
		    strchr("aeiou", json_string_value(t)[0]) ? "an" : "a",
		    json_string_value(t));
		return fail(k, path, why);
	}
	if (json_is_array(t)) {
		size_t i;
		json_t *e;
		struct buf names = { 0 };

		json_array_foreach(t, i, e)
		{
			if (!json_is_string(e) ||
			    !known_type(json_string_value(e))) {
				buf_release(&names);
				return broken(k, path, "unknown type");
			}
			if (has_type(v, json_string_value(e))) {
				buf_release(&names);
				return 0;
			}
			buf_printf(&names, "%s%s", i ? " or " : "",
			    json_string_value(e));
		}
		snprintf(why, sizeof(why), "must be %s", buf_str(&names));
		buf_release(&names);
		return fail(k, path, why);
	}
	return broken(k, path, "type must be a string or a list");
}

static int
check_object(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	json_t *props = json_object_get(s, "properties");
	json_t *req = json_object_get(s, "required");
	json_t *extra = json_object_get(s, "additionalProperties");
	json_t *names = json_object_get(s, "propertyNames");
	const char *key;
	json_t *e;
	size_t i;
	int rc;

	if (!json_is_object(v))
		return 0;
	json_array_foreach(req, i, e)
	{
		char why[160];

		if (!json_is_string(e))
			return broken(k, path, "required holds non-strings");
		if (json_object_get(v, json_string_value(e)) == NULL) {
			snprintf(why, sizeof(why), "the key \"%s\" is required",
			    json_string_value(e));
			return fail(k, path, why);
		}
	}
	json_object_foreach(v, key, e)
	{
		json_t *ps = props ? json_object_get(props, key) : NULL;

		if (names != NULL) {
			json_t *name = json_string(key);

			rc = child(k, names, name, path, key, 0);
			json_decref(name);
			if (rc != 0)
				return rc;
		}
		if (ps != NULL) {
			rc = child(k, ps, e, path, key, 0);
		} else if (json_is_false(extra)) {
			char why[160];

			snprintf(why, sizeof(why),
			    "the key \"%.100s\" is not "
			    "allowed here",
			    key);
			return fail(k, path, why);
		} else if (json_is_object(extra)) {
			rc = child(k, extra, e, path, key, 0);
		} else {
			rc = 0;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
check_array(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	json_t *items = json_object_get(s, "items");
	json_t *min = json_object_get(s, "minItems");
	json_t *max = json_object_get(s, "maxItems");
	json_t *e;
	size_t i;
	int rc;

	if (!json_is_array(v))
		return 0;
	if (min && json_array_size(v) < (size_t)json_integer_value(min))
		return fail(k, path, "too few items");
	if (max && json_array_size(v) > (size_t)json_integer_value(max))
		return fail(k, path, "too many items");
	if (json_is_true(json_object_get(s, "uniqueItems"))) {
		/* pairwise: bounded so that no document makes it slow */
		if (json_array_size(v) > JSONSCHEMA_UNIQUE_MAX)
			return fail(k, path, "too many items to be unique");
		for (i = 0; i < json_array_size(v); i++)
			for (size_t j = i + 1; j < json_array_size(v); j++)
				if (json_equal(json_array_get(v, i),
					json_array_get(v, j)))
					return fail(k, path, "items repeat");
	}
	if (items == NULL)
		return 0;
	json_array_foreach(v, i, e)
	{
		rc = child(k, items, e, path, NULL, i);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
check_number(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	double x;
	json_t *b;
	char why[96];

	if (!json_is_number(v))
		return 0;
	x = json_number_value(v);
	if ((b = json_object_get(s, "minimum")) && x < json_number_value(b)) {
		snprintf(why, sizeof(why), "must be at least %g",
		    json_number_value(b));
		return fail(k, path, why);
	}
	if ((b = json_object_get(s, "maximum")) && x > json_number_value(b)) {
		snprintf(why, sizeof(why), "must be at most %g",
		    json_number_value(b));
		return fail(k, path, why);
	}
	if ((b = json_object_get(s, "exclusiveMinimum")) &&
	    x <= json_number_value(b))
		return fail(k, path, "too small");
	if ((b = json_object_get(s, "exclusiveMaximum")) &&
	    x >= json_number_value(b))
		return fail(k, path, "too large");
	if ((b = json_object_get(s, "multipleOf")) && json_is_integer(b) &&
	    json_integer_value(b) > 0 && json_is_integer(v) &&
	    json_integer_value(v) % json_integer_value(b) != 0)
		return fail(k, path, "not a multiple as required");
	return 0;
}

static int
check_string(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	json_t *min = json_object_get(s, "minLength");
	json_t *max = json_object_get(s, "maxLength");
	json_t *pat = json_object_get(s, "pattern");
	size_t chars;
	const char *str;

	if (!json_is_string(v))
		return 0;
	str = json_string_value(v);
	chars = utf8_count(str, json_string_length(v));
	if (min && chars < (size_t)json_integer_value(min))
		return fail(k, path, "too short");
	if (max && chars > (size_t)json_integer_value(max))
		return fail(k, path, "too long");
	if (pat != NULL) {
		regex_t re;
		int m;

		if (!json_is_string(pat) ||
		    regcomp(&re, json_string_value(pat),
			REG_EXTENDED | REG_NOSUB) != 0)
			return broken(k, path, "pattern is not a POSIX ERE");
		m = strlen(str) == json_string_length(v)
		    ? regexec(&re, str, 0, NULL, 0)
		    : REG_NOMATCH;
		regfree(&re);
		if (m != 0)
			return fail(k, path, "does not have the required form");
	}
	return 0;
}

static json_t *
resolve(struct check *k, const char *ref)
{
	const char *name;

	if (strncmp(ref, "#/$defs/", 8) == 0)
		name = ref + 8;
	else if (strncmp(ref, "#/definitions/", 14) == 0)
		name = ref + 14;
	else
		return NULL;
	return json_object_get(
	    json_object_get(k->root, ref[2] == '$' ? "$defs" : "definitions"),
	    name);
}

static int
check_combinators(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	json_t *a, *e;
	size_t i;
	int rc, ok;
	char saved[512];

	if ((a = json_object_get(s, "allOf")) != NULL) {
		json_array_foreach(a, i, e)
		{
			rc = validate(k, e, v, path);
			if (rc != 0)
				return rc;
		}
	}
	/* for anyOf/oneOf/not, a branch's failure is not yet ours */
	snprintf(saved, sizeof(saved), "%s", k->err);
	if ((a = json_object_get(s, "anyOf")) != NULL) {
		ok = 0;
		json_array_foreach(a, i, e)
		{
			k->err[0] = '\0';
			rc = validate(k, e, v, path);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				ok = 1;
				break;
			}
		}
		snprintf(k->err, k->errlen, "%s", saved);
		if (!ok)
			return fail(
			    k, path, "matches none of the allowed forms");
	}
	if ((a = json_object_get(s, "oneOf")) != NULL) {
		ok = 0;
		json_array_foreach(a, i, e)
		{
			k->err[0] = '\0';
			rc = validate(k, e, v, path);
			if (rc < 0)
				return rc;
			ok += rc == 0;
		}
		snprintf(k->err, k->errlen, "%s", saved);
		if (ok != 1)
			return fail(k, path,
			    ok ? "matches more than one form"
			       : "matches none of the allowed forms");
	}
	if ((a = json_object_get(s, "not")) != NULL) {
		k->err[0] = '\0';
		rc = validate(k, a, v, path);
		snprintf(k->err, k->errlen, "%s", saved);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return fail(k, path, "has a form that is not allowed");
	}
	return 0;
}

static bool
known_keyword(const char *kw)
{
	static const char *const kws[] = { "type", "enum", "const",
		"properties", "required", "additionalProperties",
		"propertyNames", "items", "minItems", "maxItems", "uniqueItems",
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
		"multipleOf", "minLength", "maxLength", "pattern", "allOf",
		"anyOf", "oneOf", "not", "$ref", "$defs", "definitions",
		"title", "description", "format", "$schema", "$id", "$comment",
		"examples", "default" };

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (strcmp(kw, kws[i]) == 0)
			return true;
	return false;
}

static int
validate(struct check *k, json_t *s, json_t *v, struct buf *path)
{
	const char *kw;
	json_t *x, *e;
	size_t i;
	int rc = 0;

	if (json_is_true(s))
		return 0;
	if (json_is_false(s))
		return fail(k, path, "no value is allowed here");
	if (!json_is_object(s))
		return broken(k, path, "a schema must be an object");
	if (++k->depth > MAX_DEPTH) {
		k->depth--;
		return broken(k, path, "nested too deep (a $ref loop?)");
	}
	json_object_foreach(s, kw, x)
	{
		if (!known_keyword(kw)) {
			rc = broken(k, path, "unknown keyword");
			goto out;
		}
	}
	if ((x = json_object_get(s, "$ref")) != NULL) {
		json_t *target =
		    json_is_string(x) ? resolve(k, json_string_value(x)) : NULL;

		if (target == NULL) {
			rc = broken(k, path, "unresolvable $ref");
			goto out;
		}
		if ((rc = validate(k, target, v, path)) != 0)
			goto out;
	}
	if ((x = json_object_get(s, "type")) != NULL &&
	    (rc = check_type(k, x, v, path)) != 0)
		goto out;
	if ((x = json_object_get(s, "const")) != NULL && !json_equal(x, v)) {
		rc = fail(k, path, "has the wrong value");
		goto out;
	}
	if ((x = json_object_get(s, "enum")) != NULL) {
		bool found = false;

		json_array_foreach(x, i, e) found |= json_equal(e, v);
		if (!found) {
			rc = fail(k, path, "is not one of the allowed values");
			goto out;
		}
	}
	if ((rc = check_object(k, s, v, path)) != 0 ||
	    (rc = check_array(k, s, v, path)) != 0 ||
	    (rc = check_number(k, s, v, path)) != 0 ||
	    (rc = check_string(k, s, v, path)) != 0 ||
	    (rc = check_combinators(k, s, v, path)) != 0)
		goto out;
out:
	k->depth--;
	return rc;
}

int
jsonschema_validate(json_t *schema, json_t *doc, char *err, size_t errlen)
{
	struct check k = { schema, err, errlen, false, 0 };
	struct buf path = { 0 };
	int rc;

	err[0] = '\0';
	rc = validate(&k, schema, doc, &path);
	buf_release(&path);
	if (k.broken)
		return -1;
	return rc == 0 ? 0 : 1;
}
