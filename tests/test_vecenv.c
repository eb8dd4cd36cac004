/* test_vecenv.c — the batched env: n envs stepped together give exactly what n single dq_envs
 * give (env i reset with seed + i, same actions, SB3's autoreset rule applied by hand, or
 * Gymnasium 1.0's next-step rule with def.autoreset_next_step), on the
 * generic path (CartPole, Acrobot, Taxi, Pendulum with Box actions) and CartPole's SoA path;
 * results identical for 1, 2 and 3 threads; the true final observation is kept on termination
 * and truncation; with def.shared_rng, Gymnasium 1.0's CartPoleVectorEnv (one generator for
 * the batch) replayed from a fixture; bad input is refused; a saved state (dq_vecenv_get_state)
 * restored into another batch continues exactly, for every built-in env with a state vector. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/vecenv.h"
#include "env/cartpole.h"
#include "fixture_txt.h"
#include "test.h"

enum { N = 11, T = 400 };

/* v->infos[i] is what dq_env_info says of the single env e (both NULL-free only for types with
 * info keys; dq_info is zeroed before filling, so memcmp sees no stale padding). */
static bool same_info(const dq_env *e, const dq_vecenv *v, int i) {
    dq_info in;
    dq_env_info(e, &in);
    if (!v->infos) return in.has == 0;
    return memcmp(&in, &v->infos[i], sizeof in) == 0;
}

/* Step a vecenv and N single envs with the same random actions; every output must match.
 * next_step: the vecenv uses Gymnasium's next-step autoreset, applied to the singles by hand. */
static void matches_singles_rule(const char *id, const char *kw, bool soa, int threads,
                                 bool next_step) {
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = N, def.soa = soa, def.threads = threads, def.autoreset_next_step = next_step;
    dq_vecenv *v;
    dq_error err;
    CHECK_OK(dq_vecenv_create(id, kw, &def, &v, &err));
    if (!v) return;
    dq_env *e[N];
    float obs[N][DQ_SPACE_MAX], fin[DQ_SPACE_MAX];
    dq_vecenv_reset(v, 7);
    int d = v->obs_dim, bad = 0, dones = 0, truncs = 0, restarts = 0;
    bool restart[N] = {0};
    for (int i = 0; i < N; i++) {
        CHECK_OK(dq_env_make(id, kw, &e[i], &err));
        dq_env_reset(e[i], 7 + i, obs[i]);
        bad += memcmp(obs[i], v->obs + i * d, (size_t)d * sizeof(float)) != 0;
    }
    dq_rng rng;
    dq_rng_seed(&rng, 99);
    int64_t act[N];
    double cact[N * DQ_SPACE_MAX];
    bool box = v->act_space.kind == DQ_SPACE_BOX;
    int ad = v->act_dim;
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < N; i++) {
            act[i] = box ? 0 : (int64_t)dq_rng_below(&rng, (uint64_t)v->act_space.n);
            for (int k = 0; k < ad; k++) cact[i * ad + k] = dq_rng_range(&rng, -2.5, 2.5);
        }
        CHECK_OK(dq_vecenv_step(v, box ? NULL : act, box ? cact : NULL, &err));
        for (int i = 0; i < N; i++) {
            dq_step st;
            if (restart[i]) { /* next-step rule: reset instead of a step, action ignored */
                restart[i] = false, restarts++;
                dq_env_reset(e[i], -1, obs[i]);
                bad += !same_info(e[i], v, i);
                bad += memcmp(obs[i], v->obs + i * d, (size_t)d * sizeof(float)) != 0;
                bad += memcmp(obs[i], v->final_obs + i * d, (size_t)d * sizeof(float)) != 0;
                bad += v->rewards[i] != 0.0 || v->terminated[i] || v->truncated[i];
                continue;
            }
            if (box) dq_env_step_cont(e[i], &cact[i * ad], fin, &st, NULL);
            else dq_env_step(e[i], act[i], fin, &st, NULL);
            bad += memcmp(fin, v->final_obs + i * d, (size_t)d * sizeof(float)) != 0;
            bad += !same_info(e[i], v, i); /* the step's info, before any reset */
            bad += st.reward != v->rewards[i] || st.terminated != v->terminated[i] ||
                   st.truncated != v->truncated[i];
            if (st.terminated || st.truncated) {
                dones++, truncs += st.truncated;
                bad += st.ep_return != v->ep_return[i] || st.ep_length != v->ep_length[i];
                if (next_step) {
                    restart[i] = true;
                    memcpy(obs[i], fin, (size_t)d * sizeof(float));
                } else {
                    dq_env_reset(e[i], -1, obs[i]);
                }
            } else {
                memcpy(obs[i], fin, (size_t)d * sizeof(float));
            }
            bad += memcmp(obs[i], v->obs + i * d, (size_t)d * sizeof(float)) != 0;
        }
    }
    CHECK_MSG(bad == 0, "%s soa=%d threads=%d: %d mismatches", id, soa, threads, bad);
    CHECK_MSG(dones > 0 && truncs > 0, "%s: %d episode ends, %d truncations", id, dones, truncs);
    CHECK(next_step ? restarts > 0 : restarts == 0);
    for (int i = 0; i < N; i++) dq_env_free(e[i]);
    dq_vecenv_destroy(v);
}

static void matches_singles(const char *id, const char *kw, bool soa, int threads) {
    matches_singles_rule(id, kw, soa, threads, false);
}

/* The same run with 1, 2 and 3 threads gives identical bytes. */
static void thread_independent(bool soa) {
    enum { M = 37 };
    float obs[3][M * 4], fin[3][M * 4];
    double rew[3][M];
    for (int k = 0; k < 3; k++) {
        dq_vecenv_def def = dq_vecenv_def_default();
        def.n = M, def.soa = soa, def.threads = k + 1;
        dq_vecenv *v;
        dq_error err;
        CHECK_OK(dq_vecenv_create("CartPole-v1", soa ? "max_episode_steps=50,math=svml"
                                                      : "max_episode_steps=50", &def, &v, &err));
        if (!v) return;
        dq_vecenv_reset(v, 123);
        dq_rng rng;
        dq_rng_seed(&rng, 5);
        int64_t act[M];
        double sum = 0;
        for (int t = 0; t < 300; t++) {
            for (int i = 0; i < M; i++) act[i] = (int64_t)dq_rng_below(&rng, 2);
            CHECK_OK(dq_vecenv_step(v, act, NULL, &err));
            for (int i = 0; i < M; i++) sum += v->rewards[i] * (i + 1) + v->obs[i * 4 + 2];
        }
        memcpy(obs[k], v->obs, sizeof obs[k]);
        memcpy(fin[k], v->final_obs, sizeof fin[k]);
        memcpy(rew[k], v->rewards, sizeof rew[k]);
        rew[k][0] += sum; /* fold the whole history in */
        dq_vecenv_destroy(v);
    }
    for (int k = 1; k < 3; k++) {
        CHECK(!memcmp(obs[0], obs[k], sizeof obs[0]));
        CHECK(!memcmp(fin[0], fin[k], sizeof fin[0]));
        CHECK(!memcmp(rew[0], rew[k], sizeof rew[0]));
    }
}

/* On termination the final_obs row is the terminal observation (outside CartPole's bounds)
 * and the obs row a fresh reset one (inside +-0.05). */
static void keeps_final_obs(void) {
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = 1;
    dq_vecenv *v;
    dq_error err;
    CHECK_OK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err));
    dq_vecenv_reset(v, 0);
    int64_t push = 1;
    int t = 0;
    while (!v->terminated[0] && t < 100) {
        CHECK_OK(dq_vecenv_step(v, &push, NULL, &err));
        t++;
    }
    CHECK(v->terminated[0] && !v->truncated[0] && v->ep_length[0] == t);
    CHECK(fabsf(v->final_obs[2]) > DQ_CARTPOLE_THETA_THRESHOLD || fabsf(v->final_obs[0]) > 2.4f);
    for (int j = 0; j < 4; j++) CHECK(fabsf(v->obs[j]) <= 0.05f);
    dq_vecenv_destroy(v);
}

/* The 4-lane AVX2 CartPole steps are bit-identical to the scalar one, including tiny, zero,
 * negative-zero and large angles, for both sin/cos flavours; the SVML one refuses
 * |theta| >= 2^20 (libm's takes any finite angle). */
static void simd_step_exact(bool svml) {
    if (!dq_cartpole_simd_available()) return;
    dq_rng rng;
    dq_rng_seed(&rng, 3);
    int bad = 0;
    for (int t = 0; t < 20000; t++) {
        double x[4], xd[4], th[4], thd[4], ref[4][4];
        int64_t act[4];
        int want = 0;
        for (int k = 0; k < 4; k++) {
            double scale = pow(10.0, dq_rng_range(&rng, -12.0, svml ? 5.5 : 9.0));
            x[k] = dq_rng_range(&rng, -3, 3), xd[k] = dq_rng_range(&rng, -3, 3);
            th[k] = dq_rng_range(&rng, -1, 1) * scale, thd[k] = dq_rng_range(&rng, -5, 5);
            if (t % 7 == k) th[k] = (t & 1) ? -0.0 : 0.0;
            act[k] = (int64_t)dq_rng_below(&rng, 2);
            ref[k][0] = x[k], ref[k][1] = xd[k], ref[k][2] = th[k], ref[k][3] = thd[k];
            want |= dq_cartpole_advance(ref[k], (int)act[k], svml) << k;
        }
        double c[4], sn[4];
        dq_cartpole_cos_sin(c, sn, th, 4);
        int got = svml ? dq_cartpole_advance4(x, xd, th, thd, act)
                       : dq_cartpole_advance4_sc(x, xd, th, thd, act, c, sn);
        bad += got != want;
        for (int k = 0; k < 4; k++)
            bad += memcmp(&x[k], &ref[k][0], 8) || memcmp(&xd[k], &ref[k][1], 8) ||
                   memcmp(&th[k], &ref[k][2], 8) || memcmp(&thd[k], &ref[k][3], 8);
    }
    CHECK_MSG(bad == 0, "svml=%d: %d SIMD/scalar differences", svml, bad);
    double x[4] = {0}, xd[4] = {0}, th[4] = {0.1, 0.1, 0x1p+20, 0.1}, thd[4] = {0};
    int64_t act[4] = {0};
    if (svml) CHECK(dq_cartpole_advance4(x, xd, th, thd, act) == -1 && x[0] == 0.0);
    else {
        double c[4], sn[4];
        dq_cartpole_cos_sin(c, sn, th, 4);
        CHECK(dq_cartpole_advance4_sc(x, xd, th, thd, act, c, sn) == 0x4);
    }
    /* lanes the division-free step does not take: the caller steps them scalar */
    double x2[4] = {0.5, 0.5, 0.5, 0.5}, th2[4] = {0.1, INFINITY, 0.1, NAN};
    double thd2[4] = {0.0, 0.0, 0x1p+500, 0.0}, c2[4], s2[4];
    dq_cartpole_cos_sin(c2, s2, th2, 4);
    CHECK(dq_cartpole_advance4_sc(x2, xd, th2, thd2, act, c2, s2) == -1 && x2[0] == 0.5);
}

/* dq_vecenv_def.shared_rng with next-step autoreset gives Gymnasium 1.0's CartPoleVectorEnv
 * arrays (tests/ref/make_cartpole_vec_ref.py: 5 envs, max_episode_steps 30, reset(seed=42),
 * 120 steps, reset() continuing the generator, 80 steps), on 1, 2 and 3 threads. */
static void shared_rng_matches_gymnasium(int threads) {
    enum { NE = 5, T1 = 120, T2 = 80 };
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/cartpole_vec_ref.txt") == 0);
    if (!f.n) return;
    const fx_array *obs = fx_get(&f, "obs"), *rew = fx_get(&f, "reward");
    const fx_array *term = fx_get(&f, "terminated"), *trunc = fx_get(&f, "truncated");
    CHECK(obs->rows == T1 + T2 + 2 && obs->cols == NE * 4 && rew->rows == T1 + T2);
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = NE, def.threads = threads, def.autoreset_next_step = true, def.shared_rng = true;
    dq_vecenv *v;
    dq_error err;
    CHECK_OK(dq_vecenv_create("CartPole-v1", "max_episode_steps=30", &def, &v, &err));
    if (!v) return;
    int bad = 0, row = 0, t = 0, ends = 0;
    dq_vecenv_reset(v, 42);
    for (int j = 0; j < NE * 4; j++) bad += v->obs[j] != (float)obs->v[j];
    row++;
    for (int part = 0; part < 2; part++) {
        if (part == 1) { /* reset() without a seed: the shared generator continues */
            dq_vecenv_reset(v, -1);
            for (int j = 0; j < NE * 4; j++) bad += v->obs[j] != (float)obs->v[row * NE * 4 + j];
            row++;
        }
        for (int k = 0; k < (part ? T2 : T1); k++, t++) {
            int64_t act[NE];
            for (int i = 0; i < NE; i++) { /* as the fixture script */
                const float *o = v->obs + i * 4;
                act[i] = (t / 40 + i) % 2 == 0
                             ? (int64_t)((double)o[2] + 0.5 * (double)o[3] > 0)
                             : (int64_t)((((uint64_t)t * 2654435761u + (uint64_t)i * 40503u) >> 7) & 1);
            }
            CHECK_OK(dq_vecenv_step(v, act, NULL, &err));
            for (int j = 0; j < NE * 4; j++) bad += v->obs[j] != (float)obs->v[row * NE * 4 + j];
            for (int i = 0; i < NE; i++) {
                bad += v->rewards[i] != rew->v[t * NE + i];
                bad += v->terminated[i] != (term->v[t * NE + i] != 0);
                bad += v->truncated[i] != (trunc->v[t * NE + i] != 0);
                ends += v->terminated[i] || v->truncated[i];
            }
            row++;
        }
    }
    CHECK_MSG(bad == 0, "shared_rng threads=%d: %d differences from Gymnasium's CartPoleVectorEnv",
              threads, bad);
    CHECK_MSG(ends > 10, "only %d episode ends in the fixture run", ends);
    dq_vecenv_destroy(v);
    fx_free(&f);
}

/* shared_rng with SB3's same-step rule: the envs that end in a step draw their next start
 * states from the one generator (x of each in env order, then x_dot, theta, theta_dot), so a
 * twin run that draws them by hand from its own generator sees the same rows; thread counts
 * agree; other envs refuse shared_rng. */
static void shared_rng_same_step(void) {
    enum { M = 9 };
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = M, def.shared_rng = true, def.soa = false; /* shared_rng implies the SoA path */
    dq_vecenv *v, *w;
    dq_error err;
    CHECK_OK(dq_vecenv_create("CartPole-v1", "max_episode_steps=25", &def, &v, &err));
    def.threads = 3;
    CHECK_OK(dq_vecenv_create("CartPole-v1", "max_episode_steps=25", &def, &w, &err));
    if (!v || !w) return;
    CHECK(dq_vecenv_env(v, 0) == NULL);
    dq_vecenv_reset(v, 5), dq_vecenv_reset(w, 5);
    dq_env_rand g = {.seeding = DQ_SEEDING_NUMPY};
    dq_env_rand_seed(&g, 5);
    int bad = 0, ends = 0;
    double start[4][M]; /* uniform(size=(4, M)) */
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < M; i++) start[r][i] = dq_env_rand_uniform(&g, -0.05, 0.05);
    for (int i = 0; i < M; i++)
        for (int r = 0; r < 4; r++) bad += v->obs[i * 4 + r] != (float)start[r][i];
    dq_rng rng;
    dq_rng_seed(&rng, 8);
    for (int t = 0; t < 300; t++) {
        int64_t act[M];
        for (int i = 0; i < M; i++) act[i] = (int64_t)dq_rng_below(&rng, 2);
        CHECK_OK(dq_vecenv_step(v, act, NULL, &err));
        CHECK_OK(dq_vecenv_step(w, act, NULL, &err));
        bad += memcmp(v->obs, w->obs, M * 4 * sizeof(float)) != 0;
        bad += memcmp(v->final_obs, w->final_obs, M * 4 * sizeof(float)) != 0;
        int idx[M], k = 0;
        for (int i = 0; i < M; i++)
            if (v->terminated[i] || v->truncated[i]) idx[k++] = i;
        ends += k;
        double drawn[4][M];
        for (int r = 0; r < 4; r++)
            for (int j = 0; j < k; j++) drawn[r][j] = dq_env_rand_uniform(&g, -0.05, 0.05);
        for (int j = 0; j < k; j++)
            for (int r = 0; r < 4; r++) bad += v->obs[idx[j] * 4 + r] != (float)drawn[r][j];
    }
    CHECK_MSG(bad == 0, "shared_rng same-step rule: %d differences", bad);
    CHECK(ends > 50);
    dq_vecenv_destroy(v), dq_vecenv_destroy(w);
    CHECK(dq_vecenv_create("Acrobot-v1", NULL, &def, &v, &err) == DQ_EUNSUPPORTED && !v &&
          strstr(err.msg, "CartPole-v1 only"));
}

static void bad_input(void) {
    dq_vecenv_def def = dq_vecenv_def_default();
    dq_vecenv *v;
    dq_error err;
    CHECK(dq_vecenv_create("NoSuchEnv-v0", NULL, &def, &v, &err) == DQ_ENOTFOUND && !v);
    def.n = 0;
    CHECK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err) == DQ_EINVAL && !v);
    def.n = 3, def.threads = 0;
    CHECK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err) == DQ_EINVAL && !v);
    def.threads = 2;
    CHECK_OK(dq_vecenv_create("CartPole-v1", "math=svml", &def, &v, &err));
    int64_t act[3] = {0, 1, 2};
    CHECK(dq_vecenv_step(v, act, NULL, &err) == DQ_EINVAL); /* not reset yet */
    dq_vecenv_reset(v, 1);
    float before[12];
    memcpy(before, v->obs, sizeof before);
    CHECK(dq_vecenv_step(v, act, NULL, &err) == DQ_EINVAL && strstr(err.msg, "actions[2]"));
    CHECK(!memcmp(before, v->obs, sizeof before)); /* nothing stepped */
    CHECK(dq_vecenv_env(v, 0) == NULL);            /* SoA path (SVML sin/cos) */
    dq_vecenv_destroy(v);
    /* libm's sin/cos (the default, NumPy 2): the SoA path too; soa = false: one env per row. */
    CHECK_OK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err));
    CHECK(dq_vecenv_env(v, 0) == NULL);
    dq_vecenv_destroy(v);
    def.soa = false;
    CHECK_OK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err));
    CHECK(dq_vecenv_env(v, 0) != NULL);
    dq_vecenv_destroy(v);
    dq_vecenv_destroy(NULL);
}

/* A batch's saved state continues exactly: step 137 random steps (mid-episode for every env:
 * no time limit below divides it), save the state into a fresh batch, then step both with the
 * same actions; every output must be identical. With seeding
 * (XOSHIRO: what training uses, NUMPY: Gymnasium's) and next_step autoreset as given. */
static void state_roundtrip(const char *id, const char *kw, bool soa, dq_env_seeding seeding,
                            bool next_step) {
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = 5, def.soa = soa, def.seeding = seeding, def.autoreset_next_step = next_step;
    dq_vecenv *a, *b;
    dq_error err;
    CHECK_OK(dq_vecenv_create(id, kw, &def, &a, &err));
    CHECK_OK(dq_vecenv_create(id, kw, &def, &b, &err));
    if (!a || !b) return;
    dq_vecenv_reset(a, 3);
    dq_rng rng;
    dq_rng_seed(&rng, 5);
    int64_t act[5];
    double cact[5 * 4];
    const bool box = a->act_space.kind == DQ_SPACE_BOX;
    const int n = a->n, d = a->obs_dim, ad = a->act_dim;
    int dones = 0, bad = 0;
    for (int t = 0; t < 300; t++) {
        for (int i = 0; i < n; i++)
            act[i] = box ? 0 : (int64_t)dq_rng_below(&rng, (uint64_t)a->act_space.n);
        for (int j = 0; j < n * ad; j++) cact[j] = dq_rng_range(&rng, -1.0, 1.0);
        if (t == 137) { /* save a into b; b's own state (never reset) is overwritten */
            int nf;
            CHECK_OK(dq_vecenv_state_size(a, &nf, &err));
            double *f = malloc((size_t)n * (size_t)nf * sizeof *f);
            int64_t *k = malloc((size_t)n * DQ_VECENV_STATE_I64 * sizeof *k);
            CHECK_OK(dq_vecenv_get_state(a, f, k, &err));
            CHECK_OK(dq_vecenv_set_state(b, f, k, &err));
            bad += memcmp(a->obs, b->obs, (size_t)n * d * sizeof(float)) != 0;
            f[d] = NAN; /* a bad row is refused, naming the env */
            CHECK(dq_vecenv_set_state(b, f, k, &err) == DQ_EINVAL && strstr(err.msg, "env 0"));
            f[d] = 0, k[0] = -1;
            CHECK(dq_vecenv_set_state(b, f, k, &err) == DQ_EINVAL && strstr(err.msg, "step count"));
            free(f);
            free(k);
        }
        CHECK_OK(dq_vecenv_step(a, box ? NULL : act, box ? cact : NULL, &err));
        if (t < 137) continue;
        CHECK_OK(dq_vecenv_step(b, box ? NULL : act, box ? cact : NULL, &err));
        bad += memcmp(a->obs, b->obs, (size_t)n * d * sizeof(float)) != 0;
        bad += memcmp(a->final_obs, b->final_obs, (size_t)n * d * sizeof(float)) != 0;
        bad += memcmp(a->rewards, b->rewards, (size_t)n * sizeof(double)) != 0;
        bad += memcmp(a->terminated, b->terminated, (size_t)n * sizeof(bool)) != 0;
        bad += memcmp(a->truncated, b->truncated, (size_t)n * sizeof(bool)) != 0;
        for (int i = 0; i < n; i++) {
            dones += a->terminated[i] || a->truncated[i];
            if (a->terminated[i] || a->truncated[i])
                bad += a->ep_return[i] != b->ep_return[i] || a->ep_length[i] != b->ep_length[i];
        }
    }
    CHECK_MSG(bad == 0, "%s (soa %d, seeding %d, next_step %d): %d mismatches after resume", id,
              soa, (int)seeding, next_step, bad);
    CHECK_MSG(dones >= 3, "%s: only %d episode ends after the save", id, dones);
    dq_vecenv_destroy(a);
    dq_vecenv_destroy(b);
}

int main(void) {
    state_roundtrip("CartPole-v1", "max_episode_steps=40", true, DQ_SEEDING_XOSHIRO, false);
    state_roundtrip("CartPole-v1", "max_episode_steps=40", false, DQ_SEEDING_XOSHIRO, false);
    state_roundtrip("CartPole-v1", "max_episode_steps=40", true, DQ_SEEDING_NUMPY, true);
    state_roundtrip("Acrobot-v1", "max_episode_steps=30", false, DQ_SEEDING_XOSHIRO, false);
    state_roundtrip("MountainCar-v0", "max_episode_steps=30", false, DQ_SEEDING_NUMPY, false);
    state_roundtrip("Pendulum-v1", "max_episode_steps=20", false, DQ_SEEDING_XOSHIRO, true);
    state_roundtrip("Taxi-v3", "max_episode_steps=25", false, DQ_SEEDING_XOSHIRO, false);
    state_roundtrip("FrozenLake-v1", "", false, DQ_SEEDING_NUMPY, false);
    state_roundtrip("CliffWalking-v0", "max_episode_steps=25", false, DQ_SEEDING_XOSHIRO, false);
    CHECK(!dq_vecenv_env_state_exact(dq_env_find("FlappyBird-v0")));
    CHECK(!dq_vecenv_env_state_exact(dq_env_find("MountainCarContinuous-v0")));
    CHECK(dq_vecenv_env_state_exact(dq_env_find("FrozenLake8x8-v1")));
    {
        dq_vecenv *v;
        dq_error err;
        dq_vecenv_def def = dq_vecenv_def_default();
        def.n = 2;
        int nf;
        CHECK_OK(dq_vecenv_create("LunarLander-v3", NULL, &def, &v, &err));
        CHECK(dq_vecenv_state_size(v, &nf, &err) == DQ_EUNSUPPORTED &&
              strstr(err.msg, "LunarLander-v3") && strstr(err.msg, "state vector"));
        CHECK(!dq_vecenv_env_state_exact(dq_env_find("LunarLander-v3")));
        dq_vecenv_destroy(v);
    }
    { /* shared_rng batches have no per-env generator rows: refused, not saved half */
        dq_vecenv *v;
        dq_error err;
        dq_vecenv_def def = dq_vecenv_def_default();
        def.n = 3;
        def.shared_rng = true;
        int nf;
        CHECK_OK(dq_vecenv_create("CartPole-v1", NULL, &def, &v, &err));
        CHECK(dq_vecenv_state_size(v, &nf, &err) == DQ_EUNSUPPORTED &&
              strstr(err.msg, "shared_rng"));
        dq_vecenv_destroy(v);
    }
    matches_singles("CartPole-v1", "max_episode_steps=40,math=svml", true, 1);
    matches_singles("CartPole-v1", "max_episode_steps=40,math=svml", true, 2);
    matches_singles("CartPole-v1", "max_episode_steps=40,sutton_barto_reward=true,math=svml", true,
                    1);
    matches_singles("CartPole-v1", "max_episode_steps=40", true, 1);
    matches_singles("CartPole-v1", "max_episode_steps=40,sutton_barto_reward=true", true, 2);
    matches_singles("CartPole-v1", "max_episode_steps=40", false, 3);
    matches_singles("Acrobot-v1", "max_episode_steps=30", false, 2);
    matches_singles("Taxi-v3", "max_episode_steps=25", false, 1);
    matches_singles_rule("Taxi-v3", "max_episode_steps=25", false, 2, true);
    matches_singles("FrozenLake-v1", "max_episode_steps=6", false, 2);
    matches_singles("Pendulum-v1", "max_episode_steps=20", false, 2);
    /* LunarLander steps its envs in pairs (step2: two Box2D worlds' solves overlapped); N is
     * odd, so every run also steps a lone env, and crashes bring the contact path */
    matches_singles("LunarLander-v3", "max_episode_steps=90", false, 1);
    matches_singles("LunarLander-v3", "max_episode_steps=90", false, 2);
    matches_singles("LunarLander-v3", "max_episode_steps=90,continuous=true,enable_wind=true",
                    false, 1);
    matches_singles_rule("LunarLander-v3", "max_episode_steps=90", false, 1, true);
    matches_singles_rule("CartPole-v1", "max_episode_steps=40", true, 1, true);
    matches_singles_rule("CartPole-v1", "max_episode_steps=40", true, 2, true);
    matches_singles_rule("CartPole-v1", "max_episode_steps=40", false, 1, true);
    matches_singles_rule("Acrobot-v1", "max_episode_steps=30", false, 2, true);
    matches_singles_rule("Pendulum-v1", "max_episode_steps=20", false, 1, true);
    thread_independent(true);
    thread_independent(false);
    keeps_final_obs();
    simd_step_exact(true);
    simd_step_exact(false);
    for (int threads = 1; threads <= 3; threads++) shared_rng_matches_gymnasium(threads);
    shared_rng_same_step();
    bad_input();
    TEST_MAIN_END();
}
