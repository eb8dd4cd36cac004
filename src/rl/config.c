/* config.c — the DQN run configuration with RL-Zoo's key names, from YAML (read by io/yaml.c,
 * which knows no keys) and `--set key=value`; see deepq/config.h. Every key is one row of KEYS:
 * its name, how its value is parsed (config_text.h), and where it goes; writing config.yml walks
 * the same table, so what is written loads back. */
#include "deepq/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/fsio.h"
#include "config_text.h"
#include "io/yaml.h"

typedef enum { K_I64, K_INT, K_DBL, K_BOOL, K_FN } key_kind;

typedef dq_status (*key_fn)(dq_run_config *c, const char *v, dq_error *err);
typedef void (*key_out)(const dq_run_config *c, char *buf, size_t cap);

typedef struct key_row {
    const char *name;
    key_kind kind;
    size_t off;   /* offset inside dq_dqn_def for K_I64..K_BOOL */
    key_fn set;   /* K_FN */
    key_out get;  /* K_FN: value as YAML text; NULL = not written */
} key_row;

/* ---- special keys ---- */

static dq_status set_net_arch(dq_run_config *c, const char *v, dq_error *err) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    char *it[DQ_MLP_MAX_HIDDEN + 1];
    int n = dq_cfg_split_list(buf, it, DQ_MLP_MAX_HIDDEN + 1);
    if (n < 0 || n > DQ_MLP_MAX_HIDDEN)
        return dq_fail(err, DQ_EINVAL, "at most %d hidden layers", DQ_MLP_MAX_HIDDEN);
    int w[DQ_MLP_MAX_HIDDEN];
    for (int i = 0; i < n; i++) {
        int64_t x;
        if (dq_cfg_int(it[i], 1, 65536, &x, err))
            return dq_fail(err, DQ_EINVAL, "'%s' is not a layer width (a list like [64, 64])", v);
        w[i] = (int)x;
    }
    c->dqn.n_hidden = n;
    for (int i = 0; i < n; i++) c->dqn.net_arch[i] = w[i];
    return DQ_OK;
}

static void get_net_arch(const dq_run_config *c, char *buf, size_t cap) {
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < c->dqn.n_hidden && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%d", i ? ", " : "", c->dqn.net_arch[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

static dq_status set_activation(dq_run_config *c, const char *v, dq_error *err) {
    const char *s = strrchr(v, '.') ? strrchr(v, '.') + 1 : v; /* nn.ReLU, th.nn.Tanh */
    if (!strcasecmp(s, "relu")) c->dqn.activation = DQ_ACT_RELU;
    else if (!strcasecmp(s, "tanh")) c->dqn.activation = DQ_ACT_TANH;
    else return dq_fail(err, DQ_EINVAL, "'%s' is not a supported activation (relu or tanh)", v);
    return DQ_OK;
}

static void get_activation(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", c->dqn.activation == DQ_ACT_TANH ? "tanh" : "relu");
}

/* RL-Zoo's policy_kwargs string "dict(net_arch=[256, 256], activation_fn=nn.ReLU)". */
static dq_status set_policy_kwargs(dq_run_config *c, const char *v, dq_error *err) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    dq_cfg_unquote(buf);
    size_t n = strlen(buf);
    if (strncmp(buf, "dict(", 5) || n < 6 || buf[n - 1] != ')')
        return dq_fail(err, DQ_EINVAL, "expected a string like \"dict(net_arch=[64, 64])\"");
    buf[n - 1] = '\0';
    char *p = buf + 5;
    while (*p) {
        /* one k=v item up to a comma outside brackets */
        int depth = 0;
        char *q = p;
        for (; *q && !(*q == ',' && depth == 0); q++) {
            if (*q == '[' || *q == '(') depth++;
            if (*q == ']' || *q == ')') depth--;
        }
        char save = *q;
        *q = '\0';
        char *eq = strchr(p, '=');
        if (!eq) return dq_fail(err, DQ_EINVAL, "'%s' is not key=value", p);
        *eq = '\0';
        char *k = p, *val = eq + 1;
        dq_cfg_trim(k);
        dq_cfg_trim(val);
        dq_status st;
        if (!strcmp(k, "net_arch")) st = set_net_arch(c, val, err);
        else if (!strcmp(k, "activation_fn")) st = set_activation(c, val, err);
        else
            st = dq_fail(err, DQ_EINVAL,
                         "'%s' is not supported by deepq (net_arch and activation_fn are)", k);
        if (st) return st;
        if (!save) break;
        p = q + 1;
        while (*p && isspace((unsigned char)*p)) p++;
    }
    return DQ_OK;
}

static dq_status set_train_freq(dq_run_config *c, const char *v, dq_error *err) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    char *it[3];
    int n = dq_cfg_split_list(buf, it, 3);
    if (n == 1 && strchr(it[0], ' ')) { /* "1 episode" */
        char *sp = strchr(it[0], ' ');
        *sp = '\0';
        it[1] = sp + 1;
        dq_cfg_trim(it[1]);
        n = 2;
    }
    int64_t f;
    if (n < 1 || n > 2 || dq_cfg_int(it[0], 1, INT32_MAX, &f, err))
        return dq_fail(err, DQ_EINVAL, "'%s' is not a train frequency (4 or [1, \"episode\"])", v);
    dq_freq_unit u = DQ_UNIT_STEP;
    if (n == 2) {
        if (!strcmp(it[1], "step") || !strcmp(it[1], "steps")) u = DQ_UNIT_STEP;
        else if (!strcmp(it[1], "episode") || !strcmp(it[1], "episodes")) u = DQ_UNIT_EPISODE;
        else return dq_fail(err, DQ_EINVAL, "unit '%s' is not step or episode", it[1]);
    }
    c->dqn.train_freq = (int)f;
    c->dqn.train_freq_unit = u;
    return DQ_OK;
}

static void get_train_freq(const dq_run_config *c, char *buf, size_t cap) {
    if (c->dqn.train_freq_unit == DQ_UNIT_EPISODE)
        snprintf(buf, cap, "[%d, episode]", c->dqn.train_freq);
    else
        snprintf(buf, cap, "%d", c->dqn.train_freq);
}

/* learning_rate: a number, or RL-Zoo's "lin_6.3e-4" (linear decay to 0 over n_timesteps). */
static dq_status set_learning_rate(dq_run_config *c, const char *v, dq_error *err) {
    bool lin = !strncmp(v, "lin_", 4);
    dq_status st = dq_cfg_f64(lin ? v + 4 : v, &c->dqn.learning_rate, err);
    if (!st) c->dqn.learning_rate_linear = lin;
    return st;
}
static void get_learning_rate(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s%.17g", c->dqn.learning_rate_linear ? "lin_" : "",
             c->dqn.learning_rate);
}

static dq_status set_loss(dq_run_config *c, const char *v, dq_error *err) {
    if (!strcmp(v, "mse")) c->dqn.loss = DQ_LOSS_MSE;
    else if (!strcmp(v, "huber") || !strcmp(v, "smooth_l1")) c->dqn.loss = DQ_LOSS_HUBER;
    else return dq_fail(err, DQ_EINVAL, "'%s' is not a loss (mse or huber)", v);
    return DQ_OK;
}
static void get_loss(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", c->dqn.loss == DQ_LOSS_MSE ? "mse" : "huber");
}

static dq_status set_per_kind(dq_run_config *c, const char *v, dq_error *err) {
    if (!strcmp(v, "proportional")) c->dqn.per_rank_based = false;
    else if (!strcmp(v, "rank")) c->dqn.per_rank_based = true;
    else return dq_fail(err, DQ_EINVAL, "'%s' is not a PER kind (proportional or rank)", v);
    return DQ_OK;
}
static void get_per_kind(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", c->dqn.per_rank_based ? "rank" : "proportional");
}

static dq_status set_optimizer(dq_run_config *c, const char *v, dq_error *err) {
    const char *s = strrchr(v, '.') ? strrchr(v, '.') + 1 : v; /* th.optim.Adam */
    if (!strcasecmp(s, "adam")) c->dqn.optimizer = DQ_OPT_ADAM;
    else if (!strcasecmp(s, "sgd")) c->dqn.optimizer = DQ_OPT_SGD;
    else if (!strcasecmp(s, "rmsprop")) c->dqn.optimizer = DQ_OPT_RMSPROP;
    else return dq_fail(err, DQ_EINVAL, "'%s' is not an optimizer (adam, sgd or rmsprop)", v);
    return DQ_OK;
}
static void get_optimizer(const dq_run_config *c, char *buf, size_t cap) {
    static const char *n[] = {"adam", "sgd", "rmsprop"};
    snprintf(buf, cap, "%s", n[c->dqn.optimizer]);
}

static dq_status set_schedule(dq_run_config *c, const char *v, dq_error *err) {
    return dq_schedule_kind_parse(v, &c->dqn.exploration_schedule, err);
}
static void get_schedule(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", dq_schedule_kind_name(c->dqn.exploration_schedule));
}

static dq_status set_dtype(dq_run_config *c, const char *v, dq_error *err) {
    if (!strcmp(v, "float32") || !strcmp(v, "f32")) c->dqn.dtype = DQ_F32;
    else if (!strcmp(v, "float64") || !strcmp(v, "f64")) c->dqn.dtype = DQ_F64;
    else return dq_fail(err, DQ_EINVAL, "'%s' is not a dtype (float32 or float64)", v);
    return DQ_OK;
}
static void get_dtype(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", c->dqn.dtype == DQ_F64 ? "float64" : "float32");
}

static dq_status set_seed(dq_run_config *c, const char *v, dq_error *err) {
    int64_t s;
    if (dq_cfg_int(v, 0, INT64_MAX, &s, err))
        return dq_fail(err, DQ_EINVAL, "'%s' is not a seed >= 0", v);
    c->dqn.seed = (uint64_t)s;
    return DQ_OK;
}
static void get_seed(const dq_run_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%llu", (unsigned long long)c->dqn.seed);
}

static dq_status set_env(dq_run_config *c, const char *v, dq_error *err) {
    if (!*v || strlen(v) >= sizeof c->env_id) return dq_fail(err, DQ_EINVAL, "bad env id '%s'", v);
    snprintf(c->env_id, sizeof c->env_id, "%s", v);
    return DQ_OK;
}
static void get_env(const dq_run_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_string(buf, cap, c->env_id);
}

static dq_status set_env_kwargs(dq_run_config *c, const char *v, dq_error *err) {
    return dq_cfg_str(c->env_kwargs, sizeof c->env_kwargs, v, "env_kwargs too long", err);
}
static void get_env_kwargs(const dq_run_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_quoted(buf, cap, c->env_kwargs);
}

static dq_status set_preset(dq_run_config *c, const char *v, dq_error *err) {
    return dq_cfg_str(c->preset, sizeof c->preset, v, "preset name too long", err);
}
static void get_preset(const dq_run_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_string(buf, cap, c->preset[0] ? c->preset : "none");
}

/* Keys RL-Zoo files carry that deepq accepts only with their harmless value. */
static dq_status set_policy(dq_run_config *c, const char *v, dq_error *err) {
    if (strcmp(v, "MlpPolicy"))
        return dq_fail(err, DQ_EINVAL, "'%s' is not supported (deepq's DQN is MlpPolicy)", v);
    return DQ_OK;
}
static dq_status set_n_envs(dq_run_config *c, const char *v, dq_error *err) {
    int64_t n;
    if (dq_cfg_int(v, INT64_MIN, INT64_MAX, &n, err)) return DQ_EINVAL;
    if (n < 1 || n > 4096) return dq_fail(err, DQ_EINVAL, "must be in 1..4096 (got %s)", v);
    c->dqn.n_envs = (int)n;
    return DQ_OK;
}
/* Written only when not 1, so single-env runs keep their config.yml bytes. */
static void get_n_envs(const dq_run_config *c, char *buf, size_t cap) {
    if (c->dqn.n_envs == 1) buf[0] = '\0';
    else snprintf(buf, cap, "%d", c->dqn.n_envs);
}
static dq_status set_false_only(dq_run_config *c, const char *v, dq_error *err) {
    bool b;
    if (dq_cfg_bool(v, &b, err)) return DQ_EINVAL;
    if (b) return dq_fail(err, DQ_EINVAL, "true is not supported by deepq (only false)");
    return DQ_OK;
}
static dq_status set_ignored(dq_run_config *c, const char *v, dq_error *err) { return DQ_OK; }
static dq_status set_unsupported(dq_run_config *c, const char *v, dq_error *err) {
    return dq_fail(err, DQ_EUNSUPPORTED,
                   "not supported by deepq (no wrappers, frame stacking or custom buffers)");
}

#define F(field) offsetof(dq_dqn_def, field)
static const key_row KEYS[] = {
    {"env", K_FN, 0, set_env, get_env},
    {"env_kwargs", K_FN, 0, set_env_kwargs, get_env_kwargs},
    {"preset", K_FN, 0, set_preset, get_preset},
    {"seed", K_FN, 0, set_seed, get_seed},
    {"deepq_version", K_FN, 0, set_ignored, NULL},
    {"n_timesteps", K_I64, F(n_timesteps), NULL, NULL},
    {"policy", K_FN, 0, set_policy, NULL},
    {"learning_rate", K_FN, 0, set_learning_rate, get_learning_rate},
    {"batch_size", K_INT, F(batch_size), NULL, NULL},
    {"buffer_size", K_I64, F(buffer_size), NULL, NULL},
    {"learning_starts", K_I64, F(learning_starts), NULL, NULL},
    {"gamma", K_DBL, F(gamma), NULL, NULL},
    {"target_update_interval", K_I64, F(target_update_interval), NULL, NULL},
    {"train_freq", K_FN, 0, set_train_freq, get_train_freq},
    {"gradient_steps", K_INT, F(gradient_steps), NULL, NULL},
    {"exploration_fraction", K_DBL, F(exploration_fraction), NULL, NULL},
    {"exploration_initial_eps", K_DBL, F(exploration_initial_eps), NULL, NULL},
    {"exploration_final_eps", K_DBL, F(exploration_final_eps), NULL, NULL},
    {"tau", K_DBL, F(tau), NULL, NULL},
    {"max_grad_norm", K_DBL, F(max_grad_norm), NULL, NULL},
    {"policy_kwargs", K_FN, 0, set_policy_kwargs, NULL},
    {"net_arch", K_FN, 0, set_net_arch, get_net_arch},
    {"activation_fn", K_FN, 0, set_activation, get_activation},
    {"double_q", K_BOOL, F(double_q), NULL, NULL},
    {"loss", K_FN, 0, set_loss, get_loss},
    {"optimizer", K_FN, 0, set_optimizer, get_optimizer},
    {"adam_eps", K_DBL, F(adam_eps), NULL, NULL},
    {"momentum", K_DBL, F(momentum), NULL, NULL},
    {"rmsprop_alpha", K_DBL, F(rmsprop_alpha), NULL, NULL},
    {"exploration_schedule", K_FN, 0, set_schedule, get_schedule},
    {"exploration_decay", K_DBL, F(exploration_decay), NULL, NULL},
    {"exploration_per_episode", K_BOOL, F(exploration_per_episode), NULL, NULL},
    {"eval_eps", K_DBL, F(eval_eps), NULL, NULL},
    {"replay_with_replacement", K_BOOL, F(replay_with_replacement), NULL, NULL},
    {"prefill", K_I64, F(prefill), NULL, NULL},
    {"no_replay", K_BOOL, F(no_replay), NULL, NULL},
    {"no_target", K_BOOL, F(no_target), NULL, NULL},
    {"threads", K_INT, F(threads), NULL, NULL},
    {"prioritized_replay", K_BOOL, F(prioritized_replay), NULL, NULL},
    {"per_kind", K_FN, 0, set_per_kind, get_per_kind},
    {"per_alpha", K_DBL, F(per_alpha), NULL, NULL},
    {"per_beta0", K_DBL, F(per_beta0), NULL, NULL},
    {"per_eps", K_DBL, F(per_eps), NULL, NULL},
    {"n_step", K_INT, F(n_step), NULL, NULL},
    {"dueling", K_BOOL, F(dueling), NULL, NULL},
    {"distributional", K_BOOL, F(distributional), NULL, NULL},
    {"c51_atoms", K_INT, F(c51_atoms), NULL, NULL},
    {"v_min", K_DBL, F(v_min), NULL, NULL},
    {"v_max", K_DBL, F(v_max), NULL, NULL},
    {"noisy", K_BOOL, F(noisy), NULL, NULL},
    {"noisy_sigma0", K_DBL, F(noisy_sigma0), NULL, NULL},
    {"noisy_layers", K_INT, F(noisy_layers), NULL, NULL},
    {"dtype", K_FN, 0, set_dtype, get_dtype},
    {"log_interval", K_I64, F(log_interval), NULL, NULL},
    {"eval_freq", K_I64, F(eval_freq), NULL, NULL},
    {"n_eval_episodes", K_INT, F(n_eval_episodes), NULL, NULL},
    {"checkpoint_freq", K_I64, F(checkpoint_freq), NULL, NULL},
    /* RL-Zoo keys deepq accepts only with their default value, or rejects. */
    {"n_envs", K_FN, 0, set_n_envs, get_n_envs},
    {"optimize_memory_usage", K_FN, 0, set_false_only, NULL},
    {"normalize", K_FN, 0, set_false_only, NULL},
    {"env_wrapper", K_FN, 0, set_unsupported, NULL},
    {"frame_stack", K_FN, 0, set_unsupported, NULL},
    {"callback", K_FN, 0, set_unsupported, NULL},
    {"vec_env_wrapper", K_FN, 0, set_unsupported, NULL},
    {"replay_buffer_class", K_FN, 0, set_unsupported, NULL},
    {"replay_buffer_kwargs", K_FN, 0, set_unsupported, NULL},
};
#undef F
enum { N_KEYS = sizeof KEYS / sizeof KEYS[0] };

static const key_row *find_key(const char *k) {
    for (int i = 0; i < N_KEYS; i++)
        if (!strcmp(KEYS[i].name, k)) return &KEYS[i];
    return NULL;
}

static const char *key_name_at(const void *ctx, int i) { return KEYS[i].name; }

/* " (did you mean 'learning_rate'?)" for a typo of a key, else "". */
static void key_hint(const char *key, char *buf, size_t cap) {
    const char *near = dq_nearest_name(key, key_name_at, NULL, N_KEYS);
    if (near) snprintf(buf, cap, " (did you mean '%s'?)", near);
    else snprintf(buf, cap, " (see config.yml of any run for every key)");
}

/* Set key to value; on failure err holds the message without any location. */
static dq_status set_key(dq_run_config *c, const char *key, const char *value, dq_error *err) {
    const key_row *k = find_key(key);
    if (!k) {
        char hint[128];
        key_hint(key, hint, sizeof hint);
        return dq_fail(err, DQ_ENOTFOUND, "unknown key%s", hint);
    }
    char *base = (char *)&c->dqn + k->off;
    dq_status st = DQ_OK;
    switch (k->kind) {
    case K_I64: st = dq_cfg_int(value, INT64_MIN, INT64_MAX, (int64_t *)base, err); break;
    case K_INT: {
        int64_t v;
        st = dq_cfg_int(value, INT32_MIN, INT32_MAX, &v, err);
        if (!st) *(int *)base = (int)v;
        break;
    }
    case K_DBL: st = dq_cfg_f64(value, (double *)base, err); break;
    case K_BOOL: st = dq_cfg_bool(value, (bool *)base, err); break;
    case K_FN: st = k->set(c, value, err); break;
    }
    return st;
}

void dq_run_config_default(dq_run_config *c) {
    memset(c, 0, sizeof *c);
    snprintf(c->env_id, sizeof c->env_id, "CartPole-v1");
    c->dqn = dq_dqn_def_default();
}

dq_status dq_config_set(dq_run_config *c, const char *key, const char *value, dq_error *err) {
    char v[512];
    dq_status st = dq_cfg_cli_value(v, sizeof v, key, value, err);
    if (st) return st;
    dq_error e;
    st = set_key(c, key, v, &e);
    if (st) return dq_fail(err, st, "key '%s': %s", key, e.msg);
    return DQ_OK;
}

/* ---- YAML (read by io/yaml.h; here only what the keys mean) ---- */

/* Apply items in order; the first bad one fails with its file:line. */
static dq_status apply_items(dq_run_config *c, const char *label, const dq_yaml_item *items,
                             int n, dq_error *err) {
    for (int i = 0; i < n; i++) {
        const char *key = items[i].key;
        if (!find_key(key)) {
            char hint[128];
            key_hint(key, hint, sizeof hint);
            return dq_fail(err, DQ_EINVAL, "%s:%d: unknown key '%s'%s", label, items[i].line, key,
                           hint);
        }
        const char *v = items[i].value;
        if (!strcmp(key, "env_kwargs") && !strcmp(v, "{}")) v = "";
        dq_error e;
        dq_status st = set_key(c, key, v, &e);
        if (st)
            return dq_fail(err, DQ_EINVAL, "%s:%d: key '%s': %s", label, items[i].line, key,
                           e.msg);
    }
    return DQ_OK;
}

dq_status dq_config_apply_yaml(dq_run_config *c, const char *text, const char *label,
                               const char *env_id, dq_error *err) {
    dq_yaml *y;
    dq_status st = dq_yaml_load(&y, text, label, err);
    if (st) return st;
    /* Flat when any top-level key is a config key; else keyed by env id. */
    int n_top = dq_yaml_top_count(y), entry = -1, fallback = -1;
    bool flat = false;
    for (int i = 0; i < n_top; i++) {
        const char *k = dq_yaml_top_key(y, i);
        if (k && find_key(k)) flat = true;
    }
    for (int i = 0; i < n_top && !flat; i++) {
        const char *k = dq_yaml_top_key(y, i);
        if (!k) continue;
        if (!strcmp(k, env_id)) entry = i;
        else if (!strcmp(k, "default")) fallback = i;
        /* RL-Zoo releases before Gymnasium 1.0 list LunarLander-v2 */
        else if (!strcmp(env_id, "LunarLander-v3") && !strcmp(k, "LunarLander-v2") && entry < 0)
            entry = i;
    }
    if (entry < 0) entry = fallback;
    if (!flat && entry < 0) {
        st = dq_fail(err, DQ_ENOTFOUND, "%s: no entry for %s (and no 'default' entry)", label,
                     env_id);
    } else {
        const dq_yaml_item *items;
        int n;
        st = dq_yaml_items(y, flat ? -1 : entry, &items, &n, err);
        if (!st) st = apply_items(c, label, items, n, err);
    }
    dq_yaml_free(y);
    return st;
}

dq_status dq_config_apply_file(dq_run_config *c, const char *path, const char *env_id,
                               dq_error *err) {
    void *data;
    size_t len;
    dq_status st = dq_read_file(path, &data, &len, err);
    if (st) return st;
    if (strlen(data) != len) {
        free(data);
        return dq_fail(err, DQ_EFORMAT, "%s: not a text file (NUL byte)", path);
    }
    /* the file's name labels the run, unless the file names a preset itself (config.yml) */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(c->preset, sizeof c->preset, "%s", base);
    st = dq_config_apply_yaml(c, data, path, env_id, err);
    free(data);
    return st;
}

dq_status dq_config_to_yaml(const dq_run_config *c, char **text, dq_error *err) {
    size_t cap = 8192, k = 0;
    char *out = malloc(cap);
    if (!out) return dq_fail(err, DQ_ENOMEM, "out of memory");
    k += (size_t)snprintf(out + k, cap - k, "# deepq run configuration: every resolved key\n");
    k += (size_t)snprintf(out + k, cap - k, "deepq_version: \"%s\"\n", DQ_VERSION);
    for (int i = 0; i < N_KEYS; i++) {
        const key_row *r = &KEYS[i];
        char v[2048]; /* the longest env_kwargs, every byte escaped (dq_cfg_yaml_quoted) */
        const char *base = (const char *)&c->dqn + r->off;
        switch (r->kind) {
        case K_I64: snprintf(v, sizeof v, "%lld", (long long)*(const int64_t *)base); break;
        case K_INT: snprintf(v, sizeof v, "%d", *(const int *)base); break;
        case K_DBL: snprintf(v, sizeof v, "%.17g", *(const double *)base); break;
        case K_BOOL: snprintf(v, sizeof v, "%s", *(const bool *)base ? "true" : "false"); break;
        case K_FN:
            if (!r->get) continue;
            r->get(c, v, sizeof v);
            if (!v[0]) continue; /* a key with nothing to write */
            break;
        }
        k += (size_t)snprintf(out + k, cap - k, "%s: %s\n", r->name, v);
        if (k >= cap - 700) {
            free(out);
            return dq_fail(err, DQ_EINVAL, "config text too long");
        }
    }
    *text = out;
    return DQ_OK;
}
