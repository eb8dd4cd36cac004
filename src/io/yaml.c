/* yaml.c — YAML documents (libyaml) as flat (key, value text, line) items; see io/yaml.h.
 * Knows nothing of what the keys mean: src/rl/config.c maps them to DQN fields. */
#include "io/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Merged mappings may name mappings that merge others; aliases can even loop (depth cap), and
 * a few lines of aliases can name each other exponentially often (breadth caps). */
#define YAML_MERGE_DEPTH 8
#define YAML_MAX_VISITS 65536
#define YAML_MAX_ITEMS 65536
#define YAML_VALUE_CAP 1024

struct dq_yaml {
    yaml_document_t doc;
    char *label;
    dq_yaml_item *items; /* the last dq_yaml_items result; values are malloc'd */
    int n_items, cap_items;
    int visits;          /* mappings applied by the current dq_yaml_items call */
};

static yaml_node_t *node(dq_yaml *y, int id) { return yaml_document_get_node(&y->doc, id); }

static yaml_node_t *root(const dq_yaml *y) {
    return yaml_document_get_root_node((yaml_document_t *)&y->doc);
}

static void clear_items(dq_yaml *y) {
    for (int i = 0; i < y->n_items; i++) free((char *)y->items[i].value);
    y->n_items = 0;
}

dq_status dq_yaml_load(dq_yaml **out, const char *text, const char *label, dq_error *err) {
    *out = NULL;
    dq_yaml *y = calloc(1, sizeof *y);
    char *lab = strdup(label ? label : "yaml");
    if (!y || !lab) {
        free(y);
        free(lab);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    y->label = lab;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(lab);
        free(y);
        return dq_fail(err, DQ_ENOMEM, "yaml parser init failed");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    if (!yaml_parser_load(&parser, &y->doc)) {
        dq_status st = dq_fail(err, DQ_EFORMAT, "%s:%d: YAML error: %s", lab,
                               (int)parser.problem_mark.line + 1,
                               parser.problem ? parser.problem : "malformed");
        yaml_parser_delete(&parser);
        free(lab);
        free(y);
        return st;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *r = root(y);
    dq_status st = DQ_OK;
    if (!r)
        st = dq_fail(err, DQ_EFORMAT, "%s: empty YAML document", lab);
    else if (r->type != YAML_MAPPING_NODE)
        st = dq_fail(err, DQ_EFORMAT, "%s:%d: expected a mapping of keys (or of env ids)", lab,
                     (int)r->start_mark.line + 1);
    if (st) {
        dq_yaml_free(y);
        return st;
    }
    *out = y;
    return DQ_OK;
}

void dq_yaml_free(dq_yaml *y) {
    if (!y) return;
    clear_items(y);
    free(y->items);
    yaml_document_delete(&y->doc);
    free(y->label);
    free(y);
}

const char *dq_yaml_label(const dq_yaml *y) { return y->label; }

int dq_yaml_top_count(const dq_yaml *y) {
    yaml_node_t *r = root(y);
    return (int)(r->data.mapping.pairs.top - r->data.mapping.pairs.start);
}

const char *dq_yaml_top_key(const dq_yaml *y, int i) {
    yaml_node_t *r = root(y);
    yaml_node_t *kn = yaml_document_get_node((yaml_document_t *)&y->doc,
                                             r->data.mapping.pairs.start[i].key);
    return kn->type == YAML_SCALAR_NODE ? (const char *)kn->data.scalar.value : NULL;
}

/* Text of a value node: a scalar as is, a flow/block sequence as "[a, b]", a mapping as
 * "k=v,k=v" (RL-Zoo's env_kwargs). Returns false if it does not fit or nests too deep. */
static bool node_text(dq_yaml *y, yaml_node_t *n, char *buf, size_t cap, int depth) {
    if (depth > 3 || cap < 4) return false;
    size_t k = 0;
    if (n->type == YAML_SCALAR_NODE) {
        if (n->data.scalar.length + 1 > cap) return false;
        memcpy(buf, n->data.scalar.value, n->data.scalar.length);
        buf[n->data.scalar.length] = '\0';
        return true;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        buf[k++] = '[';
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            if (it != n->data.sequence.items.start) {
                if (k + 2 >= cap) return false;
                buf[k++] = ',';
                buf[k++] = ' ';
            }
            if (!node_text(y, node(y, *it), buf + k, cap - k - 1, depth + 1)) return false;
            k += strlen(buf + k);
        }
        if (k + 2 > cap) return false;
        buf[k++] = ']';
        buf[k] = '\0';
        return true;
    }
    if (n->type == YAML_MAPPING_NODE) {
        buf[0] = '\0';
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            char kb[128], vb[256];
            if (!node_text(y, node(y, p->key), kb, sizeof kb, depth + 1) ||
                !node_text(y, node(y, p->value), vb, sizeof vb, depth + 1))
                return false;
            int w = snprintf(buf + k, cap - k, "%s%s=%s", k ? "," : "", kb, vb);
            if (w < 0 || (size_t)w >= cap - k) return false;
            k += (size_t)w;
        }
        return true;
    }
    return false;
}

static dq_status push_item(dq_yaml *y, const char *key, const char *value, int line,
                           dq_error *err) {
    if (y->n_items == YAML_MAX_ITEMS)
        return dq_fail(err, DQ_EINVAL, "%s:%d: merge keys ('<<') expand to more than %d keys",
                       y->label, line, YAML_MAX_ITEMS);
    if (y->n_items == y->cap_items) {
        int cap = y->cap_items ? 2 * y->cap_items : 64;
        dq_yaml_item *it = realloc(y->items, (size_t)cap * sizeof *it);
        if (!it) return dq_fail(err, DQ_ENOMEM, "out of memory");
        y->items = it;
        y->cap_items = cap;
    }
    char *v = strdup(value);
    if (!v) return dq_fail(err, DQ_ENOMEM, "out of memory");
    y->items[y->n_items++] = (dq_yaml_item){key, v, line};
    return DQ_OK;
}

static dq_status add_mapping(dq_yaml *y, yaml_node_t *map, int depth, dq_error *err);

/* One mapping named by a merge key `<<` (at key node kn). */
static dq_status merge_one(dq_yaml *y, yaml_node_t *m, const yaml_node_t *kn, int depth,
                           dq_error *err) {
    if (m->type != YAML_MAPPING_NODE)
        return dq_fail(err, DQ_EINVAL, "%s:%d: '<<' must name a mapping (as *anchor)", y->label,
                       (int)kn->start_mark.line + 1);
    return add_mapping(y, m, depth + 1, err);
}

/* Adds a mapping's items. YAML 1.1 merge keys, as PyYAML (so RL-Zoo) reads them:
 * `<<: *anchor` or `<<: [*a, *b]` adds the named mappings first (of several, the earlier
 * wins: they are added last to first), then the mapping's own keys, which win wherever they
 * stand. */
static dq_status add_mapping(dq_yaml *y, yaml_node_t *map, int depth, dq_error *err) {
    if (depth > YAML_MERGE_DEPTH)
        return dq_fail(err, DQ_EINVAL, "%s:%d: merge keys ('<<') nested deeper than %d",
                       y->label, (int)map->start_mark.line + 1, YAML_MERGE_DEPTH);
    if (++y->visits > YAML_MAX_VISITS)
        return dq_fail(err, DQ_EINVAL, "%s:%d: merge keys ('<<') name more than %d mappings",
                       y->label, (int)map->start_mark.line + 1, YAML_MAX_VISITS);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = node(y, p->key);
        if (kn->type != YAML_SCALAR_NODE || strcmp((const char *)kn->data.scalar.value, "<<"))
            continue;
        yaml_node_t *vn = node(y, p->value);
        dq_status st = DQ_OK;
        if (vn->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = vn->data.sequence.items.top;
                 !st && it-- > vn->data.sequence.items.start;)
                st = merge_one(y, node(y, *it), kn, depth, err);
        } else {
            st = merge_one(y, vn, kn, depth, err);
        }
        if (st) return st;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *kn = node(y, p->key);
        int line = (int)kn->start_mark.line + 1;
        if (kn->type != YAML_SCALAR_NODE)
            return dq_fail(err, DQ_EINVAL, "%s:%d: keys must be plain names", y->label, line);
        const char *key = (const char *)kn->data.scalar.value;
        if (!strcmp(key, "<<")) continue; /* merged above */
        char v[YAML_VALUE_CAP];
        if (!node_text(y, node(y, p->value), v, sizeof v, 0))
            return dq_fail(err, DQ_EINVAL, "%s:%d: key '%s': value too long or nested",
                           y->label, line, key);
        dq_status st = push_item(y, key, v, line, err);
        if (st) return st;
    }
    return DQ_OK;
}

dq_status dq_yaml_items(dq_yaml *y, int top, const dq_yaml_item **items, int *n, dq_error *err) {
    clear_items(y);
    y->visits = 0;
    *items = NULL;
    *n = 0;
    yaml_node_t *map = root(y);
    if (top >= 0) {
        if (top >= dq_yaml_top_count(y))
            return dq_fail(err, DQ_EINVAL, "%s: no top-level key %d", y->label, top);
        yaml_node_pair_t *p = &map->data.mapping.pairs.start[top];
        map = node(y, p->value);
        if (map->type != YAML_MAPPING_NODE) {
            const char *k = dq_yaml_top_key(y, top);
            return dq_fail(err, DQ_EFORMAT, "%s:%d: the entry of %s must be a mapping of keys",
                           y->label, (int)map->start_mark.line + 1, k ? k : "?");
        }
    }
    dq_status st = add_mapping(y, map, 0, err);
    if (st) {
        clear_items(y);
        return st;
    }
    *items = y->items;
    *n = y->n_items;
    return DQ_OK;
}
