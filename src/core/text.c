/* text.c — numbers as RL-Zoo and users write them (1e5, 1_000) and nearest-name suggestions
 * ("did you mean CartPole-v1?") for the env registry, the config keys and the CLI. */
#include "deepq/common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool dq_parse_f64(const char *s, double *out) {
    if (!s) return false;
    char buf[128];
    size_t n = 0;
    /* YAML 1.1 (PyYAML, so RL-Zoo) allows '_' between digits: 1_000, 1_000.5 */
    for (const char *p = s; *p; p++) {
        if (*p == '_' && p > s && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
            continue;
        if (n + 1 == sizeof buf) return false;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    const char *b = buf;
    while (isspace((unsigned char)*b)) b++;
    if (!*b || (!isdigit((unsigned char)*b) && !strchr("+-.", *b))) return false; /* no inf/nan */
    char *end;
    errno = 0;
    double v = strtod(b, &end);
    while (*end && isspace((unsigned char)*end)) end++;
    if (end == b || *end || errno == ERANGE || !isfinite(v)) return false;
    if (strpbrk(b, "xXpP")) return false; /* no hex floats */
    *out = v;
    return true;
}

bool dq_parse_i64(const char *s, int64_t *out) {
    double v;
    if (!dq_parse_f64(s, &v)) return false;
    if (v != floor(v) || fabs(v) > 9.0e15) return false; /* exact in a double */
    *out = (int64_t)v;
    return true;
}

int dq_edit_distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > 255 || nb > 255) return (int)(na > nb ? na : nb);
    int row[256];
    for (size_t j = 0; j <= nb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int up = row[j];
            int sub = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            int best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[nb];
}

const char *dq_nearest_name(const char *word, dq_name_at name_at, const void *ctx, int n) {
    const char *best = NULL;
    int best_d = 0;
    for (int i = 0; i < n; i++) {
        const char *name = name_at(ctx, i);
        if (!name) continue;
        int d = dq_edit_distance(word, name);
        if (!best || d < best_d) best = name, best_d = d;
    }
    /* a likely typo: a third of the word's letters at most; two edits (a swap) from 4 letters */
    int len = (int)strlen(word), cap = len <= 3 ? 1 : len / 3 > 2 ? len / 3 : 2;
    return best && best_d <= cap ? best : NULL;
}
