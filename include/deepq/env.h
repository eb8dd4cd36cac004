/* deepq/env.h — environments with Gymnasium's API: reset(seed), step -> obs, reward,
 * terminated, truncated.
 *
 * An environment kind is a dq_env_type: a table of plain functions over a state struct that the
 * caller never touches. dq_env wraps one instance with what Gymnasium's gym.make adds: the
 * TimeLimit (truncation, a flag separate from termination), per-episode statistics as
 * RecordEpisodeStatistics, the seeded random stream (np_random) and action checks.
 *
 * Observations are always written as float32 into caller-owned buffers of obs_space.size
 * elements; for a Discrete observation space (FrozenLake, Taxi, CliffWalking) obs[0] holds the
 * state index. Discrete actions are integers; Box actions are float64 vectors (Gymnasium clips
 * them and computes in float64).
 *
 * Rendering is not part of the core: dq_env_state() exposes the env's state struct (declared in
 * its internal header under src/env/) so src/viz can draw it without changing the dynamics.
 *
 * Adding an environment: write a dq_env_type (see docs/ENVIRONMENTS.md and
 * examples/custom_env.c) and either pass it to dq_env_make_type() from your program, or add it
 * to the built-in table in src/env/registry.c to make it known to `deepq` by id. */
#ifndef DEEPQ_ENV_H
#define DEEPQ_ENV_H

#include "deepq/common.h"
#include "deepq/nprandom.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_SPACE_MAX 256 /* largest Box size (FlappyBird's LIDAR observation is 180) */

typedef enum dq_space_kind { DQ_SPACE_DISCRETE = 0, DQ_SPACE_BOX = 1 } dq_space_kind;

typedef struct dq_space {
    dq_space_kind kind;
    int64_t n;      /* Discrete: values 0..n-1 */
    int ndim;       /* Box: number of dimensions (Discrete: 0) */
    int shape[4];   /* Box: shape */
    int size;       /* elements in one sample: product of shape (Discrete: 1) */
    dq_dtype dtype; /* Box element type as Gymnasium declares it; Discrete: DQ_I64 */
    double low[DQ_SPACE_MAX], high[DQ_SPACE_MAX]; /* Box bounds (+-INFINITY allowed) */
} dq_space;

/* Fill s as Discrete(n). */
DQ_API void dq_space_discrete(dq_space *s, int64_t n);
/* Fill s as a 1-D Box of size elements (bounds rounded to float32 when dtype is DQ_F32). */
DQ_API void dq_space_box(dq_space *s, int size, const double *low, const double *high, dq_dtype dtype);

/* Keyword options as given to gym.make, as text ("continuous=true,gravity=-9.8"). */
#define DQ_KWARGS_MAX 32
typedef struct dq_kwargs {
    int n;
    struct {
        char key[64];
        char value[448];
    } kv[DQ_KWARGS_MAX];
} dq_kwargs;

/* Parse "k=v,k=v" (NULL or "" = none) into kw (emptied first); a later key overrides an
 * earlier one. A piece without '=' continues the previous value: "desc=SFFF,FHFH,FFFH,HFFG". */
DQ_API dq_status dq_kwargs_parse(dq_kwargs *kw, const char *text, dq_error *err);
/* Set (add or replace) one option; DQ_EINVAL on a bad name or a value too long. */
DQ_API dq_status dq_kwargs_set(dq_kwargs *kw, const char *key, const char *value, dq_error *err);
/* Value of key, or NULL when absent. */
DQ_API const char *dq_kwargs_get(const dq_kwargs *kw, const char *key);
/* Typed getters: leave *out untouched when absent; DQ_EINVAL naming the key on a bad value. */
DQ_API dq_status dq_kwargs_bool(const dq_kwargs *kw, const char *key, bool *out, dq_error *err);
DQ_API dq_status dq_kwargs_double(const dq_kwargs *kw, const char *key, double *out, dq_error *err);
DQ_API dq_status dq_kwargs_int(const dq_kwargs *kw, const char *key, int64_t *out, dq_error *err);

/* How a seed becomes an env's random stream. */
typedef enum dq_env_seeding {
    /* Gymnasium's np_random(seed): NumPy's Generator(PCG64(SeedSequence(seed))), so
     * reset(seed=s) gives Gymnasium's episode (the default). */
    DQ_SEEDING_NUMPY = 0,
    /* deepq's xoshiro256** seeded with the seed: what DQN/FQI/tabular training runs use, so
     * their results stay those of earlier versions (docs/ENVIRONMENTS.md, "Seeds"). */
    DQ_SEEDING_XOSHIRO = 1,
} dq_env_seeding;

/* The env's random stream (Gymnasium's np_random). Values queued with dq_env_inject() are
 * returned verbatim, in order, before the generator is used again: that is how recorded random
 * draws (shared/golden) are replayed. */
typedef struct dq_env_rand {
    dq_env_seeding seeding;
    dq_np_random np; /* DQ_SEEDING_NUMPY */
    dq_rng rng;      /* DQ_SEEDING_XOSHIRO */
    const double *inject; /* borrowed; NULL when nothing is queued */
    int n_inject, pos;
} dq_env_rand;

/* Start r's stream from seed with r->seeding (queued draws are kept). */
DQ_API void dq_env_rand_seed(dq_env_rand *r, uint64_t seed);
/* Uniform double in [lo, hi) as NumPy's uniform(lo, hi) (or the next injected value). */
DQ_API double dq_env_rand_uniform(dq_env_rand *r, double lo, double hi);
/* Uniform integer in [lo, hi) as NumPy's integers(lo, hi) (or the next injected value, cast). */
DQ_API int64_t dq_env_rand_int(dq_env_rand *r, int64_t lo, int64_t hi);

/* Tabular transition model, exactly Gymnasium's env.unwrapped.P:
 * the transitions of (s, a) are tr[offset[s*n_actions+a] .. offset[s*n_actions+a+1]). */
typedef struct dq_transition {
    double prob;
    int32_t next;
    double reward;
    bool terminated;
} dq_transition;

typedef struct dq_tabular_model {
    int n_states, n_actions;
    const int32_t *offset;     /* [n_states*n_actions + 1] */
    const dq_transition *tr;   /* [offset[n_states*n_actions]] */
    const double *initial;     /* [n_states] initial-state distribution */
} dq_tabular_model;

/* One environment kind. Functions marked optional may be NULL. */
/* The most states one dq_env_type.step_many call gets (dq_env_step_many splits longer runs). */
#define DQ_ENV_STEP_MANY_MAX 64

/* What Gymnasium's env returns in `info` (most envs: nothing; see dq_env_info). */
enum { DQ_INFO_PROB = 1, DQ_INFO_SCORE = 2, DQ_INFO_ACTION_MASK = 4 };
typedef struct dq_info {
    unsigned has;          /* DQ_INFO_* bits: which fields below are set */
    double prob;           /* toy text "prob": the taken transition's probability (reset: 1) */
    int64_t score;         /* FlappyBird-v0 "score": pipes passed this episode */
    int n_mask;            /* Taxi-v3 "action_mask": its length (6) ... */
    int8_t action_mask[8]; /* ... and mask[a] = 1 where action a changes the state */
} dq_info;

typedef struct dq_env_type {
    const char *id;              /* Gymnasium id, e.g. "CartPole-v1" */
    const char *summary;         /* one line for `deepq list` */
    int max_episode_steps;       /* TimeLimit; 0 = none */
    double reward_threshold;     /* Gymnasium's; NAN if the env has none */
    const char *default_kwargs;  /* applied before the user's (FrozenLake8x8-v1: "map_name=8x8") */
    const char *const *options;  /* NULL-terminated accepted kwargs keys; others are rejected */
    int render_fps;              /* Gymnasium's metadata["render_fps"] */
    size_t state_size;           /* bytes of the state struct; dq_env zero-allocates it */

    /* Read options, fill both spaces. Must reject bad values with a message naming the key. */
    dq_status (*init)(void *st, const dq_kwargs *kw, dq_space *obs_space, dq_space *act_space,
                      dq_error *err);
    void (*free)(void *st); /* optional: release what init allocated inside st */
    /* New episode drawn from rnd; write the first observation. */
    void (*reset)(void *st, dq_env_rand *rnd, float *obs);
    /* Advance one step. action: discrete index (ignored for Box); caction: Box action
     * (NULL for discrete envs), already checked for shape but not clipped. */
    void (*step)(void *st, dq_env_rand *rnd, int64_t action, const double *caction, float *obs,
                 double *reward, bool *terminated);
    /* optional: internal state as float64 (classic control: Gymnasium's env.unwrapped.state);
     * returns the count written (at most cap), or -1 when the env has no such vector. */
    int (*get_state)(const void *st, double *out, int cap);
    /* optional: set internal state (n values) and write the matching observation. */
    dq_status (*set_state)(void *st, const double *s, int n, float *obs, dq_error *err);
    /* optional: tabular envs return their transition model (owned by st). */
    const dq_tabular_model *(*model)(const void *st);
    /* optional: advance n <= DQ_ENV_STEP_MANY_MAX states of this type at once, with the
     * results of n step calls (row i: action[i] or caction[i], the other array NULL);
     * LunarLander overlaps the Box2D solves of up to 8 worlds. Vector envs hand their envs
     * to it (dq_env_step_many). */
    void (*step_many)(int n, void *const *st, dq_env_rand *const *rnd, const int64_t *action,
                      const double *const *caction, float *const *obs, double *reward,
                      bool *terminated);
    /* optional: fill what Gymnasium's env puts in `info` after the last reset or step (out
     * arrives zeroed). */
    void (*info)(const void *st, dq_info *out);
} dq_env_type;

/* An environment instance as gym.make returns it. Fields are read-only to callers. */
typedef struct dq_env {
    const dq_env_type *type;
    void *st;               /* the type's state struct (owned) */
    dq_space obs_space, act_space;
    dq_kwargs kwargs;       /* resolved options (defaults + user's) */
    dq_env_rand rand;
    dq_np_random action_rng; /* Gymnasium's action_space.np_random (dq_env_action_seed) */
    int max_episode_steps;  /* 0 = no TimeLimit */
    int64_t elapsed;        /* steps since reset */
    double ep_return;       /* running return of this episode */
    bool needs_reset;       /* after terminated or truncated */
    bool seeded;
} dq_env;

/* Outcome of one step. When terminated or truncated, ep_return/ep_length hold the finished
 * episode's statistics (Gymnasium's info["episode"]["r"], ["l"]). */
typedef struct dq_step {
    double reward;
    bool terminated;   /* reached a terminal state: do not bootstrap */
    bool truncated;    /* time limit hit: bootstrap from obs (the true final observation) */
    double ep_return;
    int64_t ep_length;
} dq_step;

/* Number of built-in env types, and the i-th (for `deepq list`). */
DQ_API int dq_env_count(void);
DQ_API const dq_env_type *dq_env_type_at(int i);
/* Built-in type by Gymnasium id, or NULL. */
DQ_API const dq_env_type *dq_env_find(const char *id);
/* The built-in id an unknown id is probably a typo of ("cartpole-v1" -> "CartPole-v1"), or
 * NULL. */
DQ_API const char *dq_env_nearest_id(const char *id);

/* Create a built-in env by id with "k=v,..." options (NULL for none). *out owned by caller. */
DQ_API dq_status dq_env_make(const char *id, const char *kwargs, dq_env **out, dq_error *err);
/* Create an env of any type (your own included). *out owned by caller. */
DQ_API dq_status dq_env_make_type(const dq_env_type *type, const char *kwargs, dq_env **out,
                           dq_error *err);
/* Free env (NULL-safe). */
DQ_API void dq_env_free(dq_env *env);

/* Start an episode. seed >= 0 reseeds the random stream (Gymnasium's reset(seed=...): with the
 * default seeding the same initial state as Gymnasium's); seed < 0 continues it (an env never
 * seeded uses seed 0 — deterministic by design, where Gymnasium would draw OS entropy). */
DQ_API void dq_env_reset(dq_env *env, int64_t seed, float *obs);
/* Choose how later seeds become the env's stream (default DQ_SEEDING_NUMPY); call before the
 * first reset. Training runs use DQ_SEEDING_XOSHIRO (see dq_env_seeding). */
DQ_API void dq_env_set_seeding(dq_env *env, dq_env_seeding seeding);
/* Gymnasium's env.action_space.seed(seed): a generator of its own for dq_env_action_sample
 * (an env never seeded this way samples as if seeded with 0). */
DQ_API void dq_env_action_seed(dq_env *env, uint64_t seed);
/* Gymnasium's env.action_space.sample(): a Discrete action into *action, or a Box action into
 * caction[act_space.size] (float32 values, as Box(float32).sample()); the other may be NULL.
 * DQ_EUNSUPPORTED for a Box with an unbounded side (NumPy's normal/exponential draws). */
DQ_API dq_status dq_env_action_sample(dq_env *env, int64_t *action, double *caction,
                                     dq_error *err);
/* Step a Discrete-action env. DQ_EINVAL on an out-of-range action or a step after the episode
 * ended without reset; obs is written on success. */
DQ_API dq_status dq_env_step(dq_env *env, int64_t action, float *obs, dq_step *out, dq_error *err);
/* Step a Box-action env with act_space.size float64 values. */
DQ_API dq_status dq_env_step_cont(dq_env *env, const double *action, float *obs, dq_step *out,
                           dq_error *err);
/* Step n distinct envs (discrete: action[n], caction NULL; Box: caction[n] rows, action NULL),
 * with the results of stepping each; when they share a type with step_many, it overlaps the
 * work. All are checked first (the first bad one's message, nothing stepped; an env given
 * twice is refused). out may be NULL. */
DQ_API dq_status dq_env_step_many(int n, dq_env *const *e, const int64_t *action,
                                  const double *const *caction, float *const *obs, dq_step *out,
                                  dq_error *err);
/* What Gymnasium's env would return in `info` after the last reset or step: out->has = 0
 * for the envs whose info is empty (classic control, LunarLander). */
DQ_API void dq_env_info(const dq_env *env, dq_info *out);
/* Queue recorded random draws (borrowed until consumed) to be returned before the generator. */
DQ_API void dq_env_inject(dq_env *env, const double *draws, int n);
/* Internal state vector (see dq_env_type.get_state); -1 if the env has none. */
DQ_API int dq_env_get_state(const dq_env *env, double *out, int cap);
/* Set internal state and write the observation; DQ_EUNSUPPORTED if the env has no setter. */
DQ_API dq_status dq_env_set_state(dq_env *env, const double *s, int n, float *obs, dq_error *err);
/* What env's float64 sin/cos and NumPy type promotion follow (its options math and numpy, see
 * docs/ENVIRONMENTS.md), as text into buf: e.g. "libm sin/cos, NumPy 2 promotion"; "" for an env
 * without those options. */
DQ_API void dq_env_flavour(const dq_env *env, char *buf, size_t cap);
/* Tabular model or NULL. */
DQ_API const dq_tabular_model *dq_env_model(const dq_env *env);
/* Write the grid of a toy-text env (FrozenLake, Taxi, CliffWalking) into buf (cap bytes,
 * NUL-terminated) exactly as Gymnasium's render_mode="ansi" (ANSI colour escapes included).
 * DQ_EUNSUPPORTED for other envs; DQ_EINVAL naming the size needed when cap is too small
 * (1024 bytes always suffice). Lives in src/env/ansi.c, outside the env core. */
DQ_API dq_status dq_env_render_text(const dq_env *env, char *buf, size_t cap, dq_error *err);
/* The map of a grid-world env as cells[nrow * ncol] row by row ('H' hole, 'C' cliff, 'G' goal,
 * '.' any other cell; cap bytes, NUL-terminated) and the glyph of each action in action order
 * in *arrows ("<v>^" for FrozenLake, "^>v<" for CliffWalking), to draw a greedy policy.
 * DQ_EUNSUPPORTED for other envs (Taxi included). Lives in src/env/ansi.c. */
DQ_API dq_status dq_env_grid(const dq_env *env, char *cells, size_t cap, int *nrow, int *ncol,
                      const char **arrows, dq_error *err);
/* The env's state struct, for renderers (read-only). */
static inline const void *dq_env_state(const dq_env *env) { return env->st; }

#ifdef __cplusplus
}
#endif
#endif
