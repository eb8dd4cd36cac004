/* cont_config.c — configuration of continuous-action runs (deepq/cont_config.h): one key table
 * (name, parser, printer) that reads RL-Zoo YAML entries and `--set` values and writes
 * config.yml; the built-in presets as YAML text. */
#include "deepq/cont_config.h"

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

/* ---- presets ---- */

/* RL-Zoo's entries as published (rl-baselines3-zoo hyperparams/td3.yml and ddpg.yml at commit
 * 22e3ff2, April 2026; both files hold the same values for these three envs). */
static const char ZOO_TD3_DDPG[] = "MountainCarContinuous-v0:\n"
                                   "  n_timesteps: 300000\n"
                                   "  policy: 'MlpPolicy'\n"
                                   "  noise_type: 'ornstein-uhlenbeck'\n"
                                   "  noise_std: 0.5\n"
                                   "  gradient_steps: 1\n"
                                   "  train_freq: 1\n"
                                   "  learning_rate: !!float 1e-3\n"
                                   "  batch_size: 256\n"
                                   "  policy_kwargs: \"dict(net_arch=[400, 300])\"\n"
                                   "\n"
                                   "Pendulum-v1:\n"
                                   "  n_timesteps: 20000\n"
                                   "  policy: 'MlpPolicy'\n"
                                   "  gamma: 0.98\n"
                                   "  buffer_size: 200000\n"
                                   "  learning_starts: 10000\n"
                                   "  noise_type: 'normal'\n"
                                   "  noise_std: 0.1\n"
                                   "  gradient_steps: 1\n"
                                   "  train_freq: 1\n"
                                   "  learning_rate: !!float 1e-3\n"
                                   "  policy_kwargs: \"dict(net_arch=[400, 300])\"\n"
                                   "\n"
                                   "LunarLanderContinuous-v3:\n"
                                   "  n_timesteps: !!float 3e5\n"
                                   "  policy: 'MlpPolicy'\n"
                                   "  gamma: 0.98\n"
                                   "  buffer_size: 200000\n"
                                   "  learning_starts: 10000\n"
                                   "  noise_type: 'normal'\n"
                                   "  noise_std: 0.1\n"
                                   "  gradient_steps: 1\n"
                                   "  train_freq: 1\n"
                                   "  learning_rate: !!float 1e-3\n"
                                   "  policy_kwargs: \"dict(net_arch=[400, 300])\"\n";

/* deepq's own entries: small networks that learn Pendulum in seconds (tests/learn_pendulum.c
 * uses the same values with fewer steps). MountainCarContinuous: the hill is climbed only if
 * exploration finds the goal before the action cost teaches the policy to stand still, so 10k
 * uniform steps and wide OU noise (stationary std ~1.4, correlated over the whole episode) fill
 * the buffer with goal episodes; 60k steps let the greedy policy settle (tuned for td3).
 * LunarLander-v3 continuous (td3): RL-Zoo's entry with 128x128 nets instead of 400x300 (about
 * a seventh of the FLOPs: ~7 CPU-minutes for the 300k steps), gamma 0.99 instead of 0.98 and
 * action noise 0.2 instead of 0.1: with 0.1, 3 of 10 seeds kept hovering (firing until the
 * 1000-step limit) and never found the landing; with 0.2, 8 of 10 seeds end >= 200
 * (docs/BENCHMARKS.md). */
static const char DEEPQ_TD3_DDPG[] = "Pendulum-v1:\n"
                                     "  n_timesteps: 20000\n"
                                     "  gamma: 0.98\n"
                                     "  learning_starts: 1000\n"
                                     "  batch_size: 128\n"
                                     "  noise_type: normal\n"
                                     "  noise_std: 0.1\n"
                                     "  policy_kwargs: \"dict(net_arch=[64, 64])\"\n"
                                     "\n"
                                     "MountainCarContinuous-v0:\n"
                                     "  n_timesteps: 60000\n"
                                     "  learning_starts: 10000\n"
                                     "  batch_size: 128\n"
                                     "  noise_type: ornstein-uhlenbeck\n"
                                     "  noise_std: 0.75\n"
                                     "  policy_kwargs: \"dict(net_arch=[64, 64])\"\n"
                                     "\n"
                                     "LunarLanderContinuous-v3:\n"
                                     "  n_timesteps: 300000\n"
                                     "  gamma: 0.99\n"
                                     "  buffer_size: 200000\n"
                                     "  learning_starts: 10000\n"
                                     "  batch_size: 256\n"
                                     "  noise_type: normal\n"
                                     "  noise_std: 0.2\n"
                                     "  learning_rate: !!float 1e-3\n"
                                     "  policy_kwargs: \"dict(net_arch=[128, 128])\"\n";

/* NAF's mu (tanh) saturates at +-1 with a zero gradient unless exploration is wide and
 * correlated, the target slow and the pre-tanh outputs held near 0 (naf_preact_weight; without
 * it 4 of 10 seeds stayed at about -1440: docs/BENCHMARKS.md). */
static const char DEEPQ_NAF[] = "Pendulum-v1:\n"
                                "  n_timesteps: 20000\n"
                                "  gamma: 0.98\n"
                                "  learning_starts: 1000\n"
                                "  batch_size: 128\n"
                                "  tau: 0.001\n"
                                "  noise_type: ornstein-uhlenbeck\n"
                                "  noise_std: 0.6\n"
                                "  naf_preact_weight: 0.01\n"
                                "  policy_kwargs: \"dict(net_arch=[64, 64])\"\n";

static const char DEEPQ_SAMPLED[] = "Pendulum-v1:\n"
                                    "  n_timesteps: 20000\n"
                                    "  gamma: 0.98\n"
                                    "  learning_starts: 1000\n"
                                    "  batch_size: 128\n"
                                    "  n_samples: 32\n"
                                    "  policy_kwargs: \"dict(net_arch=[64, 64])\"\n";

const char *dq_cont_preset_yaml(const char *name, dq_cont_algo algo) {
    const bool ac = algo == DQ_ALGO_DDPG || algo == DQ_ALGO_TD3;
    if (!strcmp(name, "zoo")) return ac ? ZOO_TD3_DDPG : NULL;
    if (!strcmp(name, "deepq"))
        return ac ? DEEPQ_TD3_DDPG : algo == DQ_ALGO_NAF ? DEEPQ_NAF : DEEPQ_SAMPLED;
    return NULL;
}

typedef dq_status (*set_fn)(dq_cont_config *c, const char *v, dq_error *err);
typedef void (*get_fn)(const dq_cont_config *c, char *buf, size_t cap);

static dq_status set_net_arch(dq_cont_config *c, const char *v, dq_error *err) {
    char buf[256], *it[DQ_MLP_MAX_HIDDEN + 1];
    snprintf(buf, sizeof buf, "%s", v);
    const int n = dq_cfg_split_list(buf, it, DQ_MLP_MAX_HIDDEN + 1);
    if (n < 0 || n > DQ_MLP_MAX_HIDDEN)
        return dq_fail(err, DQ_EINVAL, "at most %d hidden layers", DQ_MLP_MAX_HIDDEN);
    for (int i = 0; i < n; i++) {
        int64_t w;
        if (dq_cfg_int(it[i], 1, 65536, &w, err))
            return dq_fail(err, DQ_EINVAL, "'%s' is not a list of layer widths like [400, 300]", v);
        c->def.net_arch[i] = (int)w;
    }
    c->def.n_hidden = n;
    return DQ_OK;
}
static void get_net_arch(const dq_cont_config *c, char *buf, size_t cap) {
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < c->def.n_hidden && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%d", i ? ", " : "", c->def.net_arch[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* "dict(net_arch=[400, 300])" (RL-Zoo's policy_kwargs); activation_fn=nn.ReLU/nn.Tanh too. */
static dq_status set_policy_kwargs(dq_cont_config *c, const char *v, dq_error *err) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    dq_cfg_unquote(buf);
    const size_t n = strlen(buf);
    if (strncmp(buf, "dict(", 5) || buf[n - 1] != ')')
        return dq_fail(err, DQ_EINVAL, "expected a string like \"dict(net_arch=[400, 300])\"");
    buf[n - 1] = '\0';
    for (char *p = buf + 5; *p;) {
        int depth = 0;
        char *q = p;
        for (; *q && (depth || *q != ','); q++)
            depth += *q == '[' || *q == '(' ? 1 : *q == ']' || *q == ')' ? -1 : 0;
        const bool last = !*q;
        *q = '\0';
        char *eq = strchr(p, '=');
        if (!eq) return dq_fail(err, DQ_EINVAL, "policy_kwargs item '%s' has no '='", p);
        *eq = '\0';
        dq_cfg_trim(p);
        char *val = eq + 1;
        dq_cfg_trim(val);
        dq_status st;
        if (!strcmp(p, "net_arch"))
            st = set_net_arch(c, val, err);
        else if (!strcmp(p, "activation_fn") &&
                 (!strcmp(val, "nn.ReLU") || !strcmp(val, "nn.Tanh")))
            st = (c->def.activation = !strcmp(val, "nn.ReLU") ? DQ_ACT_RELU : DQ_ACT_TANH, DQ_OK);
        else if (!strcmp(p, "n_critics")) {
            int64_t k;
            st = dq_cfg_int(val, 1, 2, &k, err);
            if (!st) c->def.n_critics = (int)k;
        } else
            st = dq_fail(err, DQ_EINVAL,
                         "policy_kwargs '%s' is not supported (net_arch, "
                         "activation_fn, n_critics)",
                         p);
        if (st) return st;
        if (last) break;
        p = q + 1;
    }
    return DQ_OK;
}

static dq_status set_train_freq(dq_cont_config *c, const char *v, dq_error *err) {
    char buf[128], *it[3];
    snprintf(buf, sizeof buf, "%s", v);
    const int n = dq_cfg_split_list(buf, it, 3);
    int64_t f;
    if (n < 1 || n > 2 || dq_cfg_int(it[0], 1, INT32_MAX, &f, err))
        return dq_fail(err, DQ_EINVAL, "'%s' is not a train frequency (1 or [1, \"episode\"])", v);
    dq_freq_unit u = DQ_UNIT_STEP;
    if (n == 2) {
        if (!strcmp(it[1], "step") || !strcmp(it[1], "steps"))
            u = DQ_UNIT_STEP;
        else if (!strcmp(it[1], "episode") || !strcmp(it[1], "episodes"))
            u = DQ_UNIT_EPISODE;
        else
            return dq_fail(err, DQ_EINVAL, "unit '%s' is not step or episode", it[1]);
    }
    c->def.train_freq = (int)f;
    c->def.train_freq_unit = u;
    return DQ_OK;
}
static void get_train_freq(const dq_cont_config *c, char *buf, size_t cap) {
    if (c->def.train_freq_unit == DQ_UNIT_EPISODE)
        snprintf(buf, cap, "[%d, episode]", c->def.train_freq);
    else
        snprintf(buf, cap, "%d", c->def.train_freq);
}

static const char *const NOISE_NAMES[] = {"none", "normal", "ornstein-uhlenbeck"};
static dq_status set_noise_type(dq_cont_config *c, const char *v, dq_error *err) {
    for (int i = 0; i < 3; i++)
        if (!strcmp(v, NOISE_NAMES[i]) || (i == 0 && (!strcmp(v, "null") || !*v)))
            return c->def.noise_type = (dq_noise_kind)i, DQ_OK;
    return dq_fail(err, DQ_EINVAL, "'%s' is not normal, ornstein-uhlenbeck or none", v);
}
static void get_noise_type(const dq_cont_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", NOISE_NAMES[c->def.noise_type]);
}

static dq_status set_algo(dq_cont_config *c, const char *v, dq_error *err) {
    dq_cont_algo a;
    dq_status st = dq_cont_algo_parse(v, &a, err);
    if (!st && a != c->def.algo)
        return dq_fail(err, DQ_EINVAL, "the config is for %s, the run is %s (pass --algo %s)", v,
                       dq_cont_algo_name(c->def.algo), v);
    return st;
}
static void get_algo(const dq_cont_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", dq_cont_algo_name(c->def.algo));
}
static dq_status set_env(dq_cont_config *c, const char *v, dq_error *err) {
    if (!*v || strlen(v) >= sizeof c->env_id) return dq_fail(err, DQ_EINVAL, "bad env id '%s'", v);
    snprintf(c->env_id, sizeof c->env_id, "%s", v);
    return DQ_OK;
}
static void get_env(const dq_cont_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_string(buf, cap, c->env_id);
}
static dq_status set_env_kwargs(dq_cont_config *c, const char *v, dq_error *err) {
    return dq_cfg_str(c->env_kwargs, sizeof c->env_kwargs, v, "env_kwargs too long", err);
}
static void get_env_kwargs(const dq_cont_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_quoted(buf, cap, c->env_kwargs);
}
static dq_status set_preset(dq_cont_config *c, const char *v, dq_error *err) {
    return dq_cfg_str(c->preset, sizeof c->preset, v, "preset name too long", err);
}
static void get_preset(const dq_cont_config *c, char *buf, size_t cap) {
    dq_cfg_yaml_string(buf, cap, c->preset);
}
static dq_status set_seed(dq_cont_config *c, const char *v, dq_error *err) {
    int64_t s = 0;
    dq_status st = dq_cfg_int(v, 0, INT64_MAX / 2, &s, err);
    if (!st) c->def.seed = (uint64_t)s;
    return st;
}
static void get_seed(const dq_cont_config *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%llu", (unsigned long long)c->def.seed);
}
static dq_status set_policy(dq_cont_config *c, const char *v, dq_error *err) {
    (void)c;
    return strcmp(v, "MlpPolicy") ? dq_fail(err, DQ_EINVAL, "only MlpPolicy is supported") : DQ_OK;
}

typedef enum { K_I64, K_INT, K_DBL, K_FN } kind;
typedef struct row {
    const char *name;
    kind k;
    size_t off;
    set_fn set;
    get_fn get; /* K_FN: NULL = not written */
} row;
#define F(f) offsetof(dq_cont_def, f)
static const row KEYS[] = {
    {"env", K_FN, 0, set_env, get_env},
    {"env_kwargs", K_FN, 0, set_env_kwargs, get_env_kwargs},
    {"preset", K_FN, 0, set_preset, get_preset},
    {"algo", K_FN, 0, set_algo, get_algo},
    {"seed", K_FN, 0, set_seed, get_seed},
    {"n_timesteps", K_I64, F(n_timesteps), NULL, NULL},
    {"learning_rate", K_DBL, F(learning_rate), NULL, NULL},
    {"batch_size", K_INT, F(batch_size), NULL, NULL},
    {"buffer_size", K_I64, F(buffer_size), NULL, NULL},
    {"learning_starts", K_I64, F(learning_starts), NULL, NULL},
    {"gamma", K_DBL, F(gamma), NULL, NULL},
    {"tau", K_DBL, F(tau), NULL, NULL},
    {"train_freq", K_FN, 0, set_train_freq, get_train_freq},
    {"gradient_steps", K_INT, F(gradient_steps), NULL, NULL},
    {"policy_delay", K_INT, F(policy_delay), NULL, NULL},
    {"target_policy_noise", K_DBL, F(target_policy_noise), NULL, NULL},
    {"target_noise_clip", K_DBL, F(target_noise_clip), NULL, NULL},
    {"noise_type", K_FN, 0, set_noise_type, get_noise_type},
    {"noise_std", K_DBL, F(noise_std), NULL, NULL},
    {"net_arch", K_FN, 0, set_net_arch, get_net_arch},
    {"policy_kwargs", K_FN, 0, set_policy_kwargs, NULL},
    {"policy", K_FN, 0, set_policy, NULL},
    {"n_critics", K_INT, F(n_critics), NULL, NULL},
    {"n_samples", K_INT, F(n_samples), NULL, NULL},
    {"cem_iters", K_INT, F(cem_iters), NULL, NULL},
    {"cem_elite", K_INT, F(cem_elite), NULL, NULL},
    {"naf_preact_weight", K_DBL, F(naf_preact_weight), NULL, NULL},
    {"threads", K_INT, F(threads), NULL, NULL},
    {"log_interval", K_I64, F(log_interval), NULL, NULL},
    {"eval_freq", K_I64, F(eval_freq), NULL, NULL},
    {"n_eval_episodes", K_INT, F(n_eval_episodes), NULL, NULL},
};
#undef F
#define N_KEYS (sizeof KEYS / sizeof *KEYS)

void dq_cont_config_default(dq_cont_config *c, dq_cont_algo algo) {
    memset(c, 0, sizeof *c);
    snprintf(c->env_id, sizeof c->env_id, "Pendulum-v1");
    snprintf(c->preset, sizeof c->preset, "sb3-defaults");
    c->def = dq_cont_def_default(algo);
}

/* One key from its value text as YAML gives it (already unquoted by the YAML reader). */
static dq_status set_value(dq_cont_config *c, const char *key, const char *v, dq_error *err) {
    for (size_t i = 0; i < N_KEYS; i++) {
        const row *r = &KEYS[i];
        if (strcmp(r->name, key)) continue;
        dq_status st;
        char *p = (char *)&c->def + r->off;
        if (r->k == K_FN) {
            st = r->set(c, v, err);
        } else if (r->k == K_DBL) {
            st = dq_cfg_f64(v, (double *)p, err);
        } else {
            int64_t x;
            st = dq_cfg_int(v, -1, r->k == K_INT ? INT32_MAX : INT64_MAX / 2, &x, err);
            if (!st && r->k == K_INT)
                *(int *)p = (int)x;
            else if (!st)
                *(int64_t *)p = x;
        }
        if (st) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
            return dq_fail(err, st, "key '%s': %s", key, msg);
        }
        return DQ_OK;
    }
    return dq_fail(err, DQ_ENOTFOUND, "unknown key '%s' for %s (see docs/CONTINUOUS.md)", key,
                   dq_cont_algo_name(c->def.algo));
}

/* From the command line (--set key=value): one pair of quotes around the value is stripped. */
dq_status dq_cont_config_set(dq_cont_config *c, const char *key, const char *value, dq_error *err) {
    char v[512];
    dq_status st = dq_cfg_cli_value(v, sizeof v, key, value, err);
    return st ? st : set_value(c, key, v, err);
}

/* ---- YAML (read by io/yaml.h, as the DQN configs are; here only what the keys mean) ---- */

static bool is_key(const char *name) {
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strcmp(KEYS[i].name, name)) return true;
    return false;
}

dq_status dq_cont_config_apply_yaml(dq_cont_config *c, const char *text, const char *label,
                                    const char *env_id, dq_error *err) {
    dq_yaml *y;
    dq_status st = dq_yaml_load(&y, text, label, err);
    if (st) return st;
    /* Flat when any top-level key is a config key; else keyed by env id. RL-Zoo names the
     * continuous lander LunarLanderContinuous-v3: its entry serves LunarLander-v3 with
     * continuous=true. */
    int n_top = dq_yaml_top_count(y), entry = -1;
    bool flat = false, llc = false;
    for (int i = 0; i < n_top; i++) {
        const char *k = dq_yaml_top_key(y, i);
        if (k && is_key(k)) flat = true;
    }
    for (int i = 0; i < n_top && !flat; i++) {
        const char *k = dq_yaml_top_key(y, i);
        if (k && !strcmp(k, env_id)) entry = i;
    }
    for (int i = 0; i < n_top && !flat && entry < 0 && !strcmp(env_id, "LunarLander-v3"); i++) {
        const char *k = dq_yaml_top_key(y, i);
        if (k && !strcmp(k, "LunarLanderContinuous-v3")) entry = i, llc = true;
    }
    if (!flat && entry < 0) {
        st = dq_fail(err, DQ_ENOTFOUND, "%s has no entry for %s", label, env_id);
    } else {
        const dq_yaml_item *items;
        int n;
        st = dq_yaml_items(y, flat ? -1 : entry, &items, &n, err);
        for (int i = 0; !st && i < n; i++) {
            dq_error e;
            if (set_value(c, items[i].key, items[i].value, &e))
                st = dq_fail(err, e.code, "%s:%d: %s", label, items[i].line, e.msg);
        }
        if (!st && llc) snprintf(c->env_kwargs, sizeof c->env_kwargs, "continuous=true");
    }
    dq_yaml_free(y);
    return st;
}

dq_status dq_cont_config_apply_file(dq_cont_config *c, const char *path, const char *env_id,
                                    dq_error *err) {
    void *data;
    size_t len;
    dq_status st = dq_read_file(path, &data, &len, err);
    if (st) return st;
    char *text = realloc(data, len + 1);
    if (!text) {
        free(data);
        return dq_fail(err, DQ_ENOMEM, "out of memory reading %s", path);
    }
    text[len] = '\0';
    snprintf(c->preset, sizeof c->preset, "%s", path);
    st = dq_cont_config_apply_yaml(c, text, path, env_id, err);
    free(text);
    return st;
}

dq_status dq_cont_config_apply_preset(dq_cont_config *c, const char *name, const char *env_id,
                                      dq_error *err) {
    const char *y = dq_cont_preset_yaml(name, c->def.algo);
    if (!y) {
        if (strcmp(name, "zoo") && strcmp(name, "deepq"))
            return dq_fail(err, DQ_ENOTFOUND, "unknown preset '%s' for %s (zoo or deepq)", name,
                           dq_cont_algo_name(c->def.algo));
        return dq_fail(err, DQ_ENOTFOUND, "RL-Zoo publishes no %s entries; use --preset deepq",
                       dq_cont_algo_name(c->def.algo));
    }
    char label[96];
    snprintf(label, sizeof label, "preset %s (%s)", name, dq_cont_algo_name(c->def.algo));
    dq_status st = dq_cont_config_apply_yaml(c, y, label, env_id, err);
    if (!st) snprintf(c->preset, sizeof c->preset, "%s", name);
    return st;
}

dq_status dq_cont_config_to_yaml(const dq_cont_config *c, char **text, dq_error *err) {
    const size_t cap = 8192;
    char *buf = malloc(cap);
    if (!buf) return dq_fail(err, DQ_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < N_KEYS && k < cap; i++) {
        const row *r = &KEYS[i];
        char v[2048]; /* the longest env_kwargs, every byte escaped (dq_cfg_yaml_quoted) */
        const char *p = (const char *)&c->def + r->off;
        if (r->k == K_FN) {
            if (!r->get) continue;
            r->get(c, v, sizeof v);
        } else if (r->k == K_DBL) {
            snprintf(v, sizeof v, "%.17g", *(const double *)p);
        } else if (r->k == K_INT) {
            snprintf(v, sizeof v, "%d", *(const int *)p);
        } else {
            snprintf(v, sizeof v, "%lld", (long long)*(const int64_t *)p);
        }
        k += (size_t)snprintf(buf + k, cap - k, "%s: %s\n", r->name, v);
    }
    if (k >= cap) {
        free(buf);
        return dq_fail(err, DQ_EINVAL, "config text too long");
    }
    *text = buf;
    return DQ_OK;
}
