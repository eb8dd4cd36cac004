"""_ffi_build.py — the cffi (API mode, out-of-line) description of the part of libdeepq's public
C API that the Python package uses.

Run by CMake at build time (python/CMakeLists.txt): `python _ffi_build.py OUT.c` writes the C
source of the extension module deepq._ffi, which CMake compiles and links against libdeepq.
Structs end in `...;` where Python reads only some fields: cffi then takes their layout from the
real headers when the module is compiled, so this file never has to mirror them exactly.
Every C call made through the module releases the GIL (cffi's default in API mode)."""
import sys

import cffi

CDEF = r"""
typedef enum dq_status { DQ_OK = 0, DQ_EINVAL, DQ_ENOMEM, DQ_EIO, DQ_EFORMAT, DQ_ENOTFOUND,
                         DQ_EUNSUPPORTED } dq_status;
typedef enum dq_dtype { DQ_F32 = 0, DQ_F64 = 1, DQ_I64 = 2, DQ_I32 = 3, DQ_U8 = 4,
                        DQ_BOOL = 5 } dq_dtype;
typedef struct dq_error { dq_status code; char msg[512]; } dq_error;
const char *dq_status_str(dq_status s);

/* ---- environments (deepq/env.h) ---- */
#define DQ_SPACE_MAX 256
typedef enum dq_space_kind { DQ_SPACE_DISCRETE = 0, DQ_SPACE_BOX = 1 } dq_space_kind;
typedef struct dq_space {
    dq_space_kind kind; int64_t n; int ndim; int shape[4]; int size; dq_dtype dtype;
    double low[256], high[256];
} dq_space;
typedef struct dq_kwargs { int n; ...; } dq_kwargs;
typedef struct dq_env_rand { ...; } dq_env_rand;
typedef struct dq_tabular_model dq_tabular_model;
enum { DQ_INFO_PROB = 1, DQ_INFO_SCORE = 2, DQ_INFO_ACTION_MASK = 4 };
typedef struct dq_info {
    unsigned has; double prob; int64_t score; int n_mask; int8_t action_mask[8];
} dq_info;
typedef struct dq_env_type {
    const char *id; const char *summary; int max_episode_steps; double reward_threshold;
    const char *default_kwargs; const char *const *options; int render_fps; size_t state_size;
    dq_status (*init)(void *st, const dq_kwargs *kw, dq_space *obs_space, dq_space *act_space,
                      dq_error *err);
    void (*free)(void *st);
    void (*reset)(void *st, dq_env_rand *rnd, float *obs);
    void (*step)(void *st, dq_env_rand *rnd, int64_t action, const double *caction, float *obs,
                 double *reward, bool *terminated);
    void (*info)(const void *st, dq_info *out);
    ...;
} dq_env_type;
typedef struct dq_env {
    const dq_env_type *type; void *st; dq_space obs_space, act_space;
    int max_episode_steps; int64_t elapsed; double ep_return; bool needs_reset; ...;
} dq_env;
typedef struct dq_step {
    double reward; bool terminated; bool truncated; double ep_return; int64_t ep_length;
} dq_step;
int dq_env_count(void);
const dq_env_type *dq_env_type_at(int i);
const dq_env_type *dq_env_find(const char *id);
dq_status dq_env_make(const char *id, const char *kwargs, dq_env **out, dq_error *err);
dq_status dq_env_make_type(const dq_env_type *type, const char *kwargs, dq_env **out,
                           dq_error *err);
void dq_env_free(dq_env *env);
void dq_env_reset(dq_env *env, int64_t seed, float *obs);
dq_status dq_env_step(dq_env *env, int64_t action, float *obs, dq_step *out, dq_error *err);
dq_status dq_env_step_cont(dq_env *env, const double *action, float *obs, dq_step *out,
                           dq_error *err);
int dq_env_get_state(const dq_env *env, double *out, int cap);
void dq_env_info(const dq_env *env, dq_info *out);
dq_status dq_env_set_state(dq_env *env, const double *s, int n, float *obs, dq_error *err);
dq_status dq_env_render_text(const dq_env *env, char *buf, size_t cap, dq_error *err);
dq_status dq_kwargs_int(const dq_kwargs *kw, const char *key, int64_t *out, dq_error *err);
int64_t dq_env_rand_int(dq_env_rand *r, int64_t lo, int64_t hi);

/* ---- rendering (deepq/render.h) ---- */
typedef struct dq_renderer dq_renderer;
dq_status dq_renderer_create(const dq_env *env, dq_renderer **out, dq_error *err);
void dq_renderer_destroy(dq_renderer *r);
int dq_renderer_width(const dq_renderer *r);
int dq_renderer_height(const dq_renderer *r);
dq_status dq_render_frame(const dq_env *env, dq_renderer *r, uint8_t *rgb, dq_error *err);
bool dq_render_supported(const char *env_id);

/* ---- vector envs (deepq/vecenv.h) ---- */
typedef struct dq_vecenv_def { int n; int threads; bool soa; bool autoreset_next_step;
                                bool shared_rng; ...; } dq_vecenv_def;
dq_vecenv_def dq_vecenv_def_default(void);
typedef struct dq_vecenv {
    int n, obs_dim, act_dim; dq_space obs_space, act_space; int max_episode_steps;
    float *obs; float *final_obs; double *rewards; bool *terminated; bool *truncated;
    double *ep_return; int64_t *ep_length; dq_info *infos; ...;
} dq_vecenv;
dq_status dq_vecenv_create(const char *id, const char *kwargs, const dq_vecenv_def *def,
                           dq_vecenv **out, dq_error *err);
void dq_vecenv_destroy(dq_vecenv *v);
void dq_vecenv_reset(dq_vecenv *v, int64_t seed);
dq_status dq_vecenv_step(dq_vecenv *v, const int64_t *actions, const double *cactions,
                         dq_error *err);
dq_env *dq_vecenv_env(dq_vecenv *v, int i);

/* ---- DQN (deepq/dqn.h, deepq/config.h) ---- */
typedef struct dq_dqn_def { int64_t n_timesteps; uint64_t seed; int64_t log_interval;
                            int64_t eval_freq; int n_eval_episodes; int64_t checkpoint_freq;
                            ...; } dq_dqn_def;
typedef struct dq_run_config { char env_id[64]; char env_kwargs[448]; char preset[64];
                               dq_dqn_def dqn; } dq_run_config;
typedef struct dq_dqn_episode { int64_t episode; int64_t length; double ret; bool terminated,
                                truncated; int64_t total_steps; double epsilon; } dq_dqn_episode;
typedef struct dq_dqn_stats { int64_t step, episodes, n_updates; double epsilon; int n;
                              double loss, q_mean, q_max, td_abs, grad_norm, terminal_frac;
                              } dq_dqn_stats;
typedef struct dq_dqn dq_dqn;
typedef struct dq_dqn_callbacks {
    void *user;
    int (*on_episode)(void *user, dq_dqn *ag, const dq_dqn_episode *ep);
    int (*on_log)(void *user, dq_dqn *ag, const dq_dqn_stats *st);
    int (*on_eval)(void *user, dq_dqn *ag);
    int (*on_checkpoint)(void *user, dq_dqn *ag);
} dq_dqn_callbacks;
typedef struct dq_rng { ...; } dq_rng;
void dq_rng_seed(dq_rng *r, uint64_t seed);
typedef struct dq_dqn_meta { const char *env_id, *env_kwargs, *config_yaml; } dq_dqn_meta;

void dq_run_config_default(dq_run_config *c);
dq_status dq_config_apply_yaml(dq_run_config *c, const char *text, const char *label,
                               const char *env_id, dq_error *err);
dq_status dq_config_apply_file(dq_run_config *c, const char *path, const char *env_id,
                               dq_error *err);
dq_status dq_config_set(dq_run_config *c, const char *key, const char *value, dq_error *err);
dq_status dq_config_apply_preset(dq_run_config *c, const char *name, const char *env_id,
                                 dq_error *err);
int dq_preset_count(void);
const char *dq_preset_name(int i);
dq_status dq_config_to_yaml(const dq_run_config *c, char **text, dq_error *err);
dq_status dq_dqn_def_check(const dq_dqn_def *d, dq_error *err);
dq_status dq_dqn_create(dq_dqn **out, const dq_dqn_def *def, const dq_space *obs_space,
                        const dq_space *act_space, dq_error *err);
void dq_dqn_destroy(dq_dqn *ag);
dq_status dq_dqn_learn(dq_dqn *ag, dq_env *env, const dq_dqn_callbacks *cb, dq_error *err);
int dq_dqn_act(dq_dqn *ag, const float *obs, double eps);
int dq_dqn_greedy(dq_dqn *ag, const float *obs, float *q);
void dq_dqn_greedy_mean(dq_dqn *ag, const float *obs, int n, int64_t *actions, float *q);
dq_status dq_dqn_evaluate(dq_dqn *ag, dq_env *env, int n, double eps, dq_rng *rng, int64_t seed,
                          double *returns, int64_t *lengths, dq_error *err);
int64_t dq_dqn_steps(const dq_dqn *ag);
int64_t dq_dqn_episodes(const dq_dqn *ag);
int64_t dq_dqn_updates(const dq_dqn *ag);
double dq_dqn_epsilon(const dq_dqn *ag);
double dq_dqn_ep_rew_mean(const dq_dqn *ag);
dq_status dq_dqn_save(const dq_dqn *ag, const char *path, const dq_dqn_meta *meta, dq_error *err);
dq_status dq_dqn_load_weights(dq_dqn *ag, const char *path, const char *env_id, dq_error *err);

double dq_dqn_ep_len_mean(const dq_dqn *ag);
typedef struct dq_tb_writer dq_tb_writer;
dq_status dq_tb_writer_create(dq_tb_writer **out, const char *logdir, dq_error *err);
const char *dq_tb_writer_path(const dq_tb_writer *w);
dq_status dq_tb_writer_scalar(dq_tb_writer *w, const char *tag, double value, int64_t step,
                              double wall_time, dq_error *err);
void dq_tb_writer_destroy(dq_tb_writer *w);

/* ---- continuous actions (deepq/cont.h, deepq/cont_config.h) ---- */
typedef enum dq_cont_algo { DQ_ALGO_DDPG = 0, DQ_ALGO_TD3 = 1, DQ_ALGO_NAF = 2,
                            DQ_ALGO_SAMPLED = 3 } dq_cont_algo;
typedef struct dq_cont_def { dq_cont_algo algo; int64_t n_timesteps; uint64_t seed;
                             int64_t log_interval; int64_t eval_freq; ...; } dq_cont_def;
typedef struct dq_cont_config { char env_id[64]; char env_kwargs[448]; char preset[64];
                                dq_cont_def def; } dq_cont_config;
typedef struct dq_cont_stats { int64_t step, episodes, n_updates; int n_critic, n_actor;
                               double critic_loss, actor_loss, q_mean; } dq_cont_stats;
typedef struct dq_cont dq_cont;
typedef struct dq_cont_callbacks {
    void *user;
    int (*on_episode)(void *user, dq_cont *ag, const dq_dqn_episode *ep);
    int (*on_log)(void *user, dq_cont *ag, const dq_cont_stats *st);
    int (*on_eval)(void *user, dq_cont *ag);
} dq_cont_callbacks;
const char *dq_cont_algo_name(dq_cont_algo a);
dq_status dq_cont_algo_parse(const char *name, dq_cont_algo *out, dq_error *err);
dq_status dq_cont_def_check(const dq_cont_def *d, dq_error *err);
dq_status dq_cont_create(dq_cont **out, const dq_cont_def *def, const dq_space *obs_space,
                         const dq_space *act_space, dq_error *err);
void dq_cont_destroy(dq_cont *ag);
dq_status dq_cont_learn(dq_cont *ag, dq_env *env, const dq_cont_callbacks *cb, dq_error *err);
void dq_cont_act(dq_cont *ag, const float *obs, double *env_action);
dq_status dq_cont_evaluate(dq_cont *ag, dq_env *env, int n, int64_t seed, double *returns,
                           int64_t *lengths, dq_error *err);
int64_t dq_cont_steps(const dq_cont *ag);
int64_t dq_cont_episodes(const dq_cont *ag);
int64_t dq_cont_updates(const dq_cont *ag);
double dq_cont_ep_rew_mean(const dq_cont *ag);
dq_status dq_cont_save(const dq_cont *ag, const char *path, const dq_dqn_meta *meta,
                       dq_error *err);
dq_status dq_cont_load_weights(dq_cont *ag, const char *path, const char *env_id, dq_error *err);
void dq_cont_config_default(dq_cont_config *c, dq_cont_algo algo);
dq_status dq_cont_config_set(dq_cont_config *c, const char *key, const char *value,
                             dq_error *err);
dq_status dq_cont_config_apply_yaml(dq_cont_config *c, const char *text, const char *label,
                                    const char *env_id, dq_error *err);
dq_status dq_cont_config_apply_file(dq_cont_config *c, const char *path, const char *env_id,
                                    dq_error *err);
dq_status dq_cont_config_apply_preset(dq_cont_config *c, const char *name, const char *env_id,
                                      dq_error *err);
dq_status dq_cont_config_to_yaml(const dq_cont_config *c, char **text, dq_error *err);

void free(void *p);

/* Python functions C calls back: an env stepped from Python, and the learn callbacks. */
extern "Python" dq_status py_env_init(void *st, const dq_kwargs *kw, dq_space *obs_space,
                                      dq_space *act_space, dq_error *err);
extern "Python" void py_env_reset(void *st, dq_env_rand *rnd, float *obs);
extern "Python" void py_env_step(void *st, dq_env_rand *rnd, int64_t action,
                                 const double *caction, float *obs, double *reward,
                                 bool *terminated);
extern "Python" int py_dqn_on_episode(void *user, dq_dqn *ag, const dq_dqn_episode *ep);
extern "Python" int py_dqn_on_log(void *user, dq_dqn *ag, const dq_dqn_stats *st);
extern "Python" int py_cont_on_episode(void *user, dq_cont *ag, const dq_dqn_episode *ep);
extern "Python" int py_cont_on_log(void *user, dq_cont *ag, const dq_cont_stats *st);
"""

SOURCE = r"""
#include <stdlib.h>
#include "deepq/common.h"
#include "deepq/env.h"
#include "deepq/render.h"
#include "deepq/vecenv.h"
#include "deepq/dqn.h"
#include "deepq/config.h"
#include "deepq/cont.h"
#include "deepq/cont_config.h"
#include "deepq/tb.h"
"""


def builder():
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    ffi.set_source("deepq._ffi", SOURCE)
    return ffi


if __name__ == "__main__":
    builder().emit_c_code(sys.argv[1])
