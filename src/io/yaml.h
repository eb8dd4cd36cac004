/* io/yaml.h — YAML text (libyaml) as flat key/value texts with their line numbers, for the
 * configuration layers above io (src/rl/config.c reads run configs through it). Library-internal.
 *
 * A document's root must be a mapping. Its entries, or those of the mapping under one of its
 * top-level keys, come out as (key, value text, line) items in the order they apply: YAML 1.1
 * merge keys (`<<: *anchor`, `<<: [*a, *b]`) as PyYAML reads them, so a later item wins over an
 * earlier one with the same key. A value's text is a scalar as written, a sequence as "[a, b]"
 * and a mapping as "k=v,k=v". Errors are one line "LABEL:LINE: what is wrong". */
#ifndef DQ_IO_YAML_H
#define DQ_IO_YAML_H

#include "deepq/common.h"

typedef struct dq_yaml dq_yaml;

typedef struct dq_yaml_item {
    const char *key;   /* the key as written */
    const char *value; /* its value as text (see above) */
    int line;          /* 1-based line of the key */
} dq_yaml_item;

/* Parse text (label names it in errors: a file path); *out is the caller's (dq_yaml_free). */
dq_status dq_yaml_load(dq_yaml **out, const char *text, const char *label, dq_error *err);
/* Free a document (NULL-safe). */
void dq_yaml_free(dq_yaml *y);
/* The label given to dq_yaml_load. */
const char *dq_yaml_label(const dq_yaml *y);
/* Number of top-level keys of the root mapping. */
int dq_yaml_top_count(const dq_yaml *y);
/* Top-level key i's name, or NULL when the key is not a plain scalar. */
const char *dq_yaml_top_key(const dq_yaml *y, int i);
/* The items of the root mapping (top < 0) or of the mapping under top-level key `top`, merge
 * keys resolved, in the order they apply. *items stays valid until the next call on y or
 * dq_yaml_free. Fails on a value that is not a mapping, a key that is not a plain name, a
 * value over 1023 bytes, merge keys nested deeper than 8 or expanding to more than 65536
 * mappings or items (a file of aliases must not take minutes to load). */
dq_status dq_yaml_items(dq_yaml *y, int top, const dq_yaml_item **items, int *n, dq_error *err);

#endif
