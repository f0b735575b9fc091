/* jsonschema.h -- checking a JSON document against one of our schemas. */
#ifndef HAILONG_JSONSCHEMA_H
#define HAILONG_JSONSCHEMA_H

#include <stddef.h>

#include <jansson.h>

/*
 * Validate doc against schema (both borrowed).  The subset of JSON Schema
 * (2020-12) our schemas use: type (a name or a list), enum, const,
 * properties, required, additionalProperties (false or a schema),
 * propertyNames, items, minItems, maxItems, uniqueItems (arrays of at
 * most JSONSCHEMA_UNIQUE_MAX items; longer ones fail), minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf (integers), minLength,
 * maxLength (in characters), pattern (POSIX extended regular
 * expressions, so write patterns in that common subset), allOf, anyOf,
 * oneOf, not, and $ref to "#/$defs/NAME".  Other keywords (title,
 * description, format, $schema, $id, examples) are annotations and are
 * ignored.  A keyword this validator does not know makes the schema
 * invalid rather than silently unchecked.
 *
 * Returns 0 when valid; 1 when not, with err holding the JSON pointer of
 * the first failure and why ("/procedures/3/ratings: must be an integer");
 * -1 when the schema itself is broken (err says where).
 */
#define JSONSCHEMA_UNIQUE_MAX 1000

int jsonschema_validate(json_t *schema, json_t *doc, char *err, size_t errlen);

#endif
