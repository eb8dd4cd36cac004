/* frozen_lake.c — FrozenLake-v1 exactly as Gymnasium 1.0.0: maps "4x4", "8x8" or a custom desc
 * ("SFFF,FHFH,FFFH,HFFG"), slippery (intended move or either perpendicular, 1/3 each) or not;
 * the transition model P in Gymnasium's order; moves sampled from P as categorical_sample. */
#include "env/frozen_lake.h"

#include <stdlib.h>
#include <string.h>

static const char *const OPTIONS[] = {"map_name", "is_slippery", "desc", NULL};
static const char *const MAP_4X4 = "SFFF,FHFH,FFFH,HFFG";
static const char *const MAP_8X8 =
    "SFFFFFFF,FFFFFFFF,FFFHFFFF,FFFFFHFF,FFFHFFFF,FHHFFFHF,FHFFHFHF,FFFHFFFG";

static dq_status parse_desc(dq_frozen_lake_state *f, const char *text, dq_error *err) {
    f->nrow = f->ncol = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",;/");
        if (len == 0 || len > DQ_FROZEN_LAKE_MAX || f->nrow == DQ_FROZEN_LAKE_MAX)
            return dq_fail(err, DQ_EINVAL, "option desc=%s: rows must have 1..%d cells, at most "
                           "%d rows", text, DQ_FROZEN_LAKE_MAX, DQ_FROZEN_LAKE_MAX);
        if (f->ncol && (int)len != f->ncol)
            return dq_fail(err, DQ_EINVAL, "option desc=%s: rows of different lengths", text);
        f->ncol = (int)len;
        for (size_t i = 0; i < len; i++)
            if (!strchr("SFHG", p[i]))
                return dq_fail(err, DQ_EINVAL, "option desc=%s: cells are S, F, H or G", text);
        memcpy(f->desc[f->nrow], p, len);
        f->desc[f->nrow][len] = '\0';
        f->nrow++;
        p += len;
        if (*p) p++;
    }
    if (!f->nrow) return dq_fail(err, DQ_EINVAL, "option desc is empty");
    return DQ_OK;
}

static void fl_free(void *st) {
    dq_frozen_lake_state *f = st;
    free(f->offset), free(f->tr), free(f->initial);
}

static dq_status fl_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    dq_frozen_lake_state *f = st;
    f->is_slippery = true;
    dq_status s = dq_kwargs_bool(kw, "is_slippery", &f->is_slippery, err);
    if (s) return s;
    const char *desc = dq_kwargs_get(kw, "desc");
    const char *name = dq_kwargs_get(kw, "map_name");
    if (!desc) {
        if (!name || !strcmp(name, "4x4")) desc = MAP_4X4;
        else if (!strcmp(name, "8x8")) desc = MAP_8X8;
        else return dq_fail(err, DQ_EINVAL, "option map_name=%s: expected 4x4 or 8x8 (or give "
                            "desc=SFFF,FHFH,...)", name);
    }
    if ((s = parse_desc(f, desc, err))) return s;
    int nS = f->nrow * f->ncol, nA = 4, per = f->is_slippery ? 3 : 1;
    f->offset = malloc((size_t)(nS * nA + 1) * sizeof *f->offset);
    f->tr = malloc((size_t)(nS * nA * per) * sizeof *f->tr);
    f->initial = calloc((size_t)nS, sizeof *f->initial);
    if (!f->offset || !f->tr || !f->initial) return dq_fail(err, DQ_ENOMEM, "out of memory");
    int n = 0, n_start = 0;
    for (int row = 0; row < f->nrow; row++)
        for (int col = 0; col < f->ncol; col++) {
            int st_i = row * f->ncol + col;
            char letter = f->desc[row][col];
            if (letter == 'S') f->initial[st_i] = 1.0, n_start++;
            for (int a = 0; a < nA; a++) {
                f->offset[st_i * nA + a] = n;
                if (letter == 'G' || letter == 'H') {
                    f->tr[n++] = (dq_transition){1.0, st_i, 0.0, true};
                    continue;
                }
                for (int k = 0; k < per; k++) {
                    int b = f->is_slippery ? (a - 1 + k + 4) % 4 : a;
                    int r = row, c = col;
                    if (b == 0) c = c - 1 > 0 ? c - 1 : 0;
                    else if (b == 1) r = r + 1 < f->nrow - 1 ? r + 1 : f->nrow - 1;
                    else if (b == 2) c = c + 1 < f->ncol - 1 ? c + 1 : f->ncol - 1;
                    else r = r - 1 > 0 ? r - 1 : 0;
                    char nl = f->desc[r][c];
                    f->tr[n++] = (dq_transition){f->is_slippery ? 1.0 / 3.0 : 1.0, r * f->ncol + c,
                                                 nl == 'G' ? 1.0 : 0.0, nl == 'G' || nl == 'H'};
                }
            }
        }
    f->offset[nS * nA] = n;
    if (!n_start) return dq_fail(err, DQ_EINVAL, "option desc=%s: no start cell S", desc);
    for (int i = 0; i < nS; i++) f->initial[i] /= (double)n_start;
    f->tt.model = (dq_tabular_model){nS, nA, f->offset, f->tr, f->initial};
    dq_space_discrete(os, nS);
    dq_space_discrete(as, nA);
    f->tt.last_action = -1;
    return DQ_OK;
}

const dq_env_type dq_env_frozen_lake = {
    .id = "FrozenLake-v1",
    .summary = "cross a frozen lake from S to G without falling into a hole (slippery ice)",
    .max_episode_steps = 100,
    .reward_threshold = 0.70,
    .default_kwargs = "map_name=4x4",
    .options = OPTIONS,
    .render_fps = 4,
    .state_size = sizeof(dq_frozen_lake_state),
    .init = fl_init,
    .free = fl_free,
    .reset = dq_toy_text_reset,
    .step = dq_toy_text_step,
    .get_state = dq_toy_text_get_state,
    .set_state = dq_toy_text_set_state,
    .model = dq_toy_text_model,
    .info = dq_toy_text_info,
};

const dq_env_type dq_env_frozen_lake_8x8 = {
    .id = "FrozenLake8x8-v1",
    .summary = "FrozenLake on the 8x8 map",
    .max_episode_steps = 200,
    .reward_threshold = 0.85,
    .default_kwargs = "map_name=8x8",
    .options = OPTIONS,
    .render_fps = 4,
    .state_size = sizeof(dq_frozen_lake_state),
    .init = fl_init,
    .free = fl_free,
    .reset = dq_toy_text_reset,
    .step = dq_toy_text_step,
    .get_state = dq_toy_text_get_state,
    .set_state = dq_toy_text_set_state,
    .model = dq_toy_text_model,
    .info = dq_toy_text_info,
};
