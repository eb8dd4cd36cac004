/* test_rainbow_agent.c — the Rainbow switches inside the DQN agent: config keys and checks, the
 * rainbow preset, n-step discounts stored per replay slot, PER priorities tracking the slots,
 * noisy nets replacing epsilon-greedy (greedy actions with their mean weights), head-aware
 * greedy actions, and determinism per seed.
 * Short runs only (a few hundred steps on CartPole); learning is tested in learn_rainbow.c. */
#include "deepq/config.h"
#include "deepq/dqn.h"
#include "deepq/env.h"
#include "rl/dqn_internal.h"
#include "test.h"
#include "dqn_stopper.h"

#include <stdlib.h>
#include <string.h>

static dq_dqn *make(dq_run_config *c, dq_env **env) {
    dq_error err;
    dq_status st = dq_env_make("CartPole-v1", "", env, &err);
    CHECK_MSG(st == DQ_OK, "%s", err.msg);
    dq_dqn *ag = NULL;
    st = dq_dqn_create(&ag, &c->dqn, &(*env)->obs_space, &(*env)->act_space, &err);
    CHECK_MSG(st == DQ_OK, "%s", err.msg);
    return ag;
}

static void small(dq_run_config *c) {
    dq_config_set(c, "n_timesteps", "600", NULL);
    dq_config_set(c, "learning_starts", "100", NULL);
    dq_config_set(c, "buffer_size", "1000", NULL);
    dq_config_set(c, "batch_size", "16", NULL);
    dq_config_set(c, "eval_freq", "0", NULL);
}

static void test_config(void) {
    dq_run_config c;
    dq_error err;
    dq_run_config_default(&c);
    CHECK(!c.dqn.prioritized_replay && c.dqn.n_step == 1 && !c.dqn.dueling &&
          !c.dqn.distributional && !c.dqn.noisy);
    CHECK(c.dqn.c51_atoms == 51 && c.dqn.v_min == -10 && c.dqn.v_max == 10);
    CHECK_OK(dq_config_apply_preset(&c, "rainbow", "CartPole-v1", &err));
    CHECK(c.dqn.prioritized_replay && c.dqn.n_step == 3 && c.dqn.dueling &&
          c.dqn.distributional && c.dqn.noisy && c.dqn.double_q);
    CHECK(c.dqn.v_min == 0 && c.dqn.v_max == 100);
    CHECK_OK(dq_dqn_def_check(&c.dqn, NULL));
    CHECK_OK(dq_config_set(&c, "per_alpha", "0.7", NULL));
    CHECK(c.dqn.per_alpha == 0.7);
    /* bad values name the key */
    dq_run_config b = c;
    CHECK_OK(dq_config_set(&b, "n_step", "0", NULL));
    CHECK(dq_dqn_def_check(&b.dqn, &err) == DQ_EINVAL && strstr(err.msg, "n_step"));
    b = c;
    dq_config_set(&b, "v_max", "-20", NULL);
    CHECK(dq_dqn_def_check(&b.dqn, &err) == DQ_EINVAL && strstr(err.msg, "v_min"));
    b = c;
    dq_config_set(&b, "per_eps", "0", NULL);
    CHECK(dq_dqn_def_check(&b.dqn, &err) == DQ_EINVAL && strstr(err.msg, "per_eps"));
    b = c;
    dq_config_set(&b, "dtype", "float64", NULL);
    CHECK(dq_dqn_def_check(&b.dqn, &err) == DQ_EINVAL && strstr(err.msg, "float32"));
    /* the resolved config round-trips through YAML with the new keys */
    char *yaml = NULL;
    CHECK_OK(dq_config_to_yaml(&c, &yaml, NULL));
    if (yaml) {
        CHECK(strstr(yaml, "prioritized_replay") && strstr(yaml, "noisy_sigma0"));
        dq_run_config r;
        dq_run_config_default(&r);
        CHECK_OK(dq_config_apply_yaml(&r, yaml, "roundtrip", "CartPole-v1", NULL));
        CHECK(r.dqn.per_alpha == 0.7 && r.dqn.n_step == 3 && r.dqn.noisy && r.dqn.v_max == 100);
        free(yaml);
    }
}

static void test_nstep_per_slots(void) {
    dq_run_config c;
    dq_run_config_default(&c);
    small(&c);
    dq_config_set(&c, "n_step", "3", NULL);
    dq_config_set(&c, "prioritized_replay", "true", NULL);
    dq_config_set(&c, "gamma", "0.9", NULL);
    dq_env *env = NULL;
    dq_dqn *ag = make(&c, &env);
    if (!ag) return;
    dq_error err;
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    const dq_replay *rb = dq_dqn_replay(ag);
    CHECK(rb->size > 0 && rb->size <= 600);
    /* every slot: discount gamma^k with k = 3, or fewer at an episode end; 0 iff terminated */
    int bad = 0, short_k = 0;
    for (int64_t i = 0; i < rb->size; i++) {
        float d = ag->slot_disc[i];
        if (rb->terminated[i]) bad += d != 0.0f;
        else if (fabsf(d - 0.729f) > 1e-6f) {
            short_k++;
            bad += !(rb->truncated[i] && (fabsf(d - 0.9f) < 1e-6f || fabsf(d - 0.81f) < 1e-6f));
        }
        /* CartPole pays 1 per step: a 3-step return is 1 + 0.9 + 0.81 unless the episode ended */
        if (!rb->terminated[i] && !rb->truncated[i]) bad += fabsf(rb->reward[i] - 2.71f) > 1e-5f;
    }
    CHECK_MSG(bad == 0, "%d slots with a wrong n-step discount or return", bad);
    /* PER: the tree covers exactly the stored slots, priorities were updated from TD errors */
    CHECK(ag->has_per);
    double tot = 0;
    int differ = 0;
    for (int64_t i = 0; i < rb->size; i++) {
        tot += dq_sumtree_get(&ag->per.tree, i);
        differ += dq_sumtree_get(&ag->per.tree, i) != dq_sumtree_get(&ag->per.tree, 0);
    }
    CHECK_NEAR(dq_sumtree_total(&ag->per.tree), tot, 1e-9 * tot);
    CHECK(differ > 0);
    CHECK(dq_dqn_updates(ag) > 0);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

static void test_noisy_heads(void) {
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "rainbow", "CartPole-v1", NULL));
    small(&c);
    dq_config_set(&c, "c51_atoms", "11", NULL);
    dq_env *env = NULL;
    dq_dqn *ag = make(&c, &env);
    if (!ag) return;
    CHECK(dq_dqn_online(ag)->dims[dq_dqn_online(ag)->n_layers] == (1 + 2) * 11);
    dq_error err;
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_epsilon(ag) == 0.0); /* noisy replaces epsilon-greedy */
    /* sigma moved away from its init on some weight, mu too */
    const float *sg = (const float *)ag->nz_q.params + ag->nz_q.n;
    CHECK(fabsf(sg[0] - 0.5f / 2.0f) > 0); /* first layer fan_in 4: init 0.25 */
    /* greedy through the heads: Q = sum p z within the support, argmax consistent */
    float obs[4] = {0.01f, -0.02f, 0.03f, 0.0f}, q[2];
    int a = dq_dqn_greedy(ag, obs, q);
    CHECK(a == (q[1] > q[0] ? 1 : 0));
    CHECK(q[0] >= 0 && q[0] <= 100 && q[1] >= 0 && q[1] <= 100);
    /* evaluation uses the mean weights and restores the noisy ones */
    float *before = malloc(ag->nz_q.n * sizeof(float));
    memcpy(before, dq_dqn_online(ag)->params, ag->nz_q.n * sizeof(float));
    double ret[2];
    dq_rng r;
    dq_rng_seed(&r, 1);
    CHECK_OK(dq_dqn_evaluate(ag, env, 2, 0.0, &r, 5, ret, NULL, NULL));
    CHECK(memcmp(before, dq_dqn_online(ag)->params, ag->nz_q.n * sizeof(float)) == 0);
    /* dq_dqn_greedy_mean: the Q-values of the mean weights mu (not of the current noise),
     * the noisy weights restored after the batch */
    float rows[3][4] = {{0.01f, -0.02f, 0.03f, 0.0f}, {0.5f, 1.0f, -0.1f, -1.5f},
                        {-1.0f, 0.3f, 0.15f, 2.0f}};
    float qm[3][2], qn[3][2], qmu[3][2];
    int64_t am[3];
    for (int i = 0; i < 3; i++) dq_dqn_greedy(ag, rows[i], qn[i]);
    dq_dqn_greedy_mean(ag, rows[0], 3, am, qm[0]);
    CHECK(memcmp(before, dq_dqn_online(ag)->params, ag->nz_q.n * sizeof(float)) == 0);
    memcpy(dq_dqn_online(ag)->params, ag->nz_q.params, ag->nz_q.n * sizeof(float)); /* mu */
    for (int i = 0; i < 3; i++) CHECK(dq_dqn_greedy(ag, rows[i], qmu[i]) == am[i]);
    CHECK(memcmp(qm, qmu, sizeof qm) == 0 && memcmp(qm, qn, sizeof qm) != 0);
    memcpy(dq_dqn_online(ag)->params, before, ag->nz_q.n * sizeof(float));
    free(before);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

/* Same seed, same result; a different seed differs. */
static double final_loss_q(uint64_t seed) {
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "rainbow", "CartPole-v1", NULL));
    small(&c);
    dq_config_set(&c, "c51_atoms", "11", NULL);
    c.dqn.seed = seed;
    dq_env *env = NULL;
    dq_dqn *ag = make(&c, &env);
    if (!ag) return 0;
    dq_dqn_learn(ag, env, NULL, NULL);
    float obs[4] = {0.1f, 0.2f, -0.1f, 0.05f}, q[2];
    dq_dqn_greedy(ag, obs, q);
    dq_dqn_destroy(ag);
    dq_env_free(env);
    return (double)q[0] + 1000.0 * q[1];
}

/* Rank-based PER in the agent: the heap covers exactly the stored slots and stays a heap;
 * stop at an episode end, save the state, reload into a fresh agent and finish: identical to an
 * uninterrupted run (weights, heap order, keys). */
static void test_rank_per_resume(void) {
    dq_run_config c;
    dq_run_config_default(&c);
    small(&c);
    dq_config_set(&c, "n_timesteps", "1500", NULL);
    dq_config_set(&c, "prioritized_replay", "true", NULL);
    CHECK_OK(dq_config_set(&c, "per_kind", "rank", NULL));
    dq_error err;
    CHECK(dq_config_set(&c, "per_kind", "ranked", &err) == DQ_EINVAL && strstr(err.msg, "rank"));
    dq_config_set(&c, "n_step", "3", NULL);
    dq_config_set(&c, "train_freq", "1", NULL); /* ~1400 updates: sorted at 1000 (= capacity) */
    CHECK(c.dqn.per_rank_based);
    dq_env *e1, *e2, *e3;
    dq_dqn *a = make(&c, &e1), *b = make(&c, &e2), *d = make(&c, &e3);
    if (!a || !b || !d) return;
    CHECK_OK(dq_dqn_learn(a, e1, NULL, &err));
    const dq_replay *rb = dq_dqn_replay(a);
    CHECK(a->has_per && a->per.def.rank_based && a->per.n == rb->size);
    int heap = 1, differ = 0;
    for (int64_t k = 1; k < a->per.n; k++) {
        heap &= a->per.hkey[k] <= a->per.hkey[(k - 1) / 2];
        differ += dq_per_rank_key(&a->per, k) != dq_per_rank_key(&a->per, 0);
    }
    CHECK(heap && differ > 0);
    CHECK(dq_dqn_updates(a) > 1000 && a->per.since_sort == dq_dqn_updates(a) - 1000);
    stopper st = {1100, "test_rank_per_state.safetensors", e2, false};
    dq_dqn_callbacks cb = {&st, stop_cb, NULL, NULL, NULL};
    CHECK_OK(dq_dqn_learn(b, e2, &cb, &err));
    CHECK(st.saved);
    CHECK_OK(dq_dqn_load_state(d, e3, st.path, NULL, &err));
    CHECK(d->per.n == b->per.n &&
          !memcmp(d->per.heap, b->per.heap, (size_t)b->per.n * sizeof(int64_t)) &&
          d->per.since_sort == b->per.since_sort);
    CHECK_OK(dq_dqn_learn(d, e3, NULL, &err));
    CHECK(dq_dqn_steps(d) == 1500);
    CHECK(!memcmp(a->q.params, d->q.params, a->q.n_params * sizeof(float)));
    CHECK(!memcmp(a->per.heap, d->per.heap, (size_t)a->per.n * sizeof(int64_t)));
    CHECK(!memcmp(a->per.hkey, d->per.hkey, (size_t)a->per.n * sizeof(double)));
    remove(st.path);
    dq_dqn_destroy(a);
    dq_dqn_destroy(b);
    dq_dqn_destroy(d);
    dq_env_free(e1);
    dq_env_free(e2);
    dq_env_free(e3);
}

int main(void) {
    test_config();
    test_nstep_per_slots();
    test_noisy_heads();
    test_rank_per_resume();
    double a = final_loss_q(3), b = final_loss_q(3), c = final_loss_q(4);
    CHECK(a == b);
    CHECK(a != c);
    TEST_MAIN_END();
}
