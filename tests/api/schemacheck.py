"""schemacheck.py -- the part of JSON Schema (2020-12) our schemas use.

    errors = check(doc, schema)      # [] when doc conforms

Supported: type (one or a list), const, enum, required, properties,
additionalProperties (false), items, minItems, maxItems, uniqueItems,
minimum, maximum, exclusiveMinimum, pattern, $ref to #/$defs/..., allOf,
oneOf.  Anything else in a schema is an error, so a schema cannot quietly
use a keyword this checker ignores.
"""
import re

KNOWN = {'$schema', '$id', 'title', 'description', 'type', 'const', 'enum',
         'required', 'properties', 'additionalProperties', 'items',
         'minItems', 'maxItems', 'uniqueItems', 'minimum', 'maximum',
         'exclusiveMinimum', 'pattern', '$ref', '$defs', 'allOf', 'oneOf'}

TYPES = {
    'object': lambda v: isinstance(v, dict),
    'array': lambda v: isinstance(v, list),
    'string': lambda v: isinstance(v, str),
    'integer': lambda v: isinstance(v, int) and not isinstance(v, bool),
    'number': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    'boolean': lambda v: isinstance(v, bool),
    'null': lambda v: v is None,
}


def check(doc, schema, root=None, path='$'):
    root = root or schema
    errs = []
    unknown = set(schema) - KNOWN
    if unknown:
        return [f'{path}: schema uses unsupported {sorted(unknown)}']
    if '$ref' in schema:
        name = schema['$ref'].split('/')[-1]
        errs += check(doc, root['$defs'][name], root, path)
    if 'allOf' in schema:
        for s in schema['allOf']:
            errs += check(doc, s, root, path)
    if 'oneOf' in schema:
        ok = [s for s in schema['oneOf'] if not check(doc, s, root, path)]
        if len(ok) != 1:
            errs.append(f'{path}: matches {len(ok)} of oneOf')
    if 'type' in schema:
        types = schema['type'] if isinstance(schema['type'], list) \
            else [schema['type']]
        if not any(TYPES[t](doc) for t in types):
            return errs + [f'{path}: {doc!r:.60} is not {types}']
    if 'const' in schema and doc != schema['const']:
        errs.append(f'{path}: {doc!r} is not {schema["const"]!r}')
    if 'enum' in schema and doc not in schema['enum']:
        errs.append(f'{path}: {doc!r} not in {schema["enum"]}')
    if isinstance(doc, (int, float)) and not isinstance(doc, bool):
        if 'minimum' in schema and doc < schema['minimum']:
            errs.append(f'{path}: {doc} < {schema["minimum"]}')
        if 'maximum' in schema and doc > schema['maximum']:
            errs.append(f'{path}: {doc} > {schema["maximum"]}')
        if 'exclusiveMinimum' in schema and doc <= schema['exclusiveMinimum']:
            errs.append(f'{path}: {doc} <= {schema["exclusiveMinimum"]}')
    if isinstance(doc, str) and 'pattern' in schema:
        if not re.search(schema['pattern'], doc):
            errs.append(f'{path}: {doc!r} does not match {schema["pattern"]}')
    if isinstance(doc, dict):
        for k in schema.get('required', []):
            if k not in doc:
                errs.append(f'{path}: missing {k}')
        props = schema.get('properties', {})
        for k, v in doc.items():
            if k in props:
                errs += check(v, props[k], root, f'{path}.{k}')
            elif schema.get('additionalProperties') is False:
                errs.append(f'{path}: unexpected key {k}')
    if isinstance(doc, list):
        if 'minItems' in schema and len(doc) < schema['minItems']:
            errs.append(f'{path}: fewer than {schema["minItems"]} items')
        if 'maxItems' in schema and len(doc) > schema['maxItems']:
            errs.append(f'{path}: more than {schema["maxItems"]} items')
        if schema.get('uniqueItems') and len(set(map(repr, doc))) != len(doc):
            errs.append(f'{path}: items repeat')
        if 'items' in schema:
            for i, v in enumerate(doc):
                errs += check(v, schema['items'], root, f'{path}[{i}]')
    return errs
