/* export_check.c — the C files `dq_export_c` wrote at build time (tests/tool_export_gen.c, the
 * cases of export_cases.h), compiled into this test, against deepq's own greedy forward
 * (dq_dqn_greedy, what `deepq eval --q` prints) on observations from the env: Q-values must be
 * bit-identical (hence the same action), and the int8 export must agree on nearly every action.
 * Observations come from epsilon-greedy (0.3) play of the same policy. */
#include <math.h>
#include <string.h>

#include "deepq/rng.h"
#include "export_cases.h"
#include "test.h"
#include "xc_acro.h"
#include "xc_c51.h"
#include "xc_cp64.h"
#include "xc_duel.h"
#include "xc_f64.h"
#include "xc_ll256.h"
#include "xc_q8.h"
#include "xc_rainbow.h"

typedef int (*act_fn)(const float *obs, float *q);
static const struct {
    const char *name;
    act_fn act;
    int obs_dim, n_actions;
} EXPORTED[] = {
    {"xc_cp64", xc_cp64_act, XC_CP64_OBS_DIM, XC_CP64_N_ACTIONS},
    {"xc_duel", xc_duel_act, XC_DUEL_OBS_DIM, XC_DUEL_N_ACTIONS},
    {"xc_c51", xc_c51_act, XC_C51_OBS_DIM, XC_C51_N_ACTIONS},
    {"xc_rainbow", xc_rainbow_act, XC_RAINBOW_OBS_DIM, XC_RAINBOW_N_ACTIONS},
    {"xc_acro", xc_acro_act, XC_ACRO_OBS_DIM, XC_ACRO_N_ACTIONS},
    {"xc_f64", xc_f64_act, XC_F64_OBS_DIM, XC_F64_N_ACTIONS},
    {"xc_ll256", xc_ll256_act, XC_LL256_OBS_DIM, XC_LL256_N_ACTIONS},
    {"xc_q8", xc_q8_act, XC_Q8_OBS_DIM, XC_Q8_N_ACTIONS},
};

static void check_case(int i) {
    const export_case *c = &EXPORT_CASES[i];
    CHECK(!strcmp(c->name, EXPORTED[i].name));
    dq_error err;
    dq_env *env = NULL;
    char ck[256];
    snprintf(ck, sizeof ck, "%s.safetensors", c->name);
    CHECK_OK(dq_env_make(c->env_id, NULL, &env, &err));
    dq_dqn *ag = env ? export_case_agent(c, env, ck, &err) : NULL;
    CHECK_MSG(ag != NULL, "%s: %s", c->name, err.msg);
    if (!ag) {
        dq_env_free(env);
        return;
    }
    const int A = (int)env->act_space.n;
    CHECK(EXPORTED[i].obs_dim == env->obs_space.size && EXPORTED[i].n_actions == A);
    float obs[64], q_ref[16], q_exp[16];
    dq_rng rng;
    dq_rng_seed(&rng, 11);
    dq_env_reset(env, 1, obs);
    long same_bits = 0, same_act = 0;
    double max_dq = 0;
    for (int t = 0; t < c->n_obs; t++) {
        const int a_ref = dq_dqn_greedy(ag, obs, q_ref);
        const int a_exp = EXPORTED[i].act(obs, q_exp);
        same_bits += !memcmp(q_ref, q_exp, sizeof(float) * (size_t)A);
        same_act += a_ref == a_exp;
        for (int k = 0; k < A; k++) {
            const double d = fabs((double)q_ref[k] - q_exp[k]);
            max_dq = d > max_dq ? d : max_dq;
        }
        const int a = dq_rng_uniform(&rng) < 0.3 ? (int)dq_rng_below(&rng, (uint64_t)A) : a_ref;
        dq_step s;
        if (dq_env_step(env, a, obs, &s, &err)) break;
        if (s.terminated || s.truncated) dq_env_reset(env, -1, obs);
    }
    printf("%-11s %-15s %6d obs: Q bit-identical %6ld, same action %6ld, max |dQ| %.3g\n",
           c->name, c->env_id, c->n_obs, same_bits, same_act, max_dq);
    if (c->int8) {
        /* per-row int8: close, not exact (a threshold with margin under the measured 99.9%) */
        CHECK_MSG(same_act >= 0.97 * c->n_obs, "%s: int8 agrees on %ld of %d", c->name, same_act,
                  c->n_obs);
        CHECK(max_dq < 0.05);
    } else {
        CHECK_MSG(same_bits == c->n_obs, "%s: %ld of %d observations bit-identical", c->name,
                  same_bits, c->n_obs);
        CHECK(same_act == c->n_obs);
    }
    dq_dqn_destroy(ag);
    dq_env_free(env);
    remove(ck);
}

int main(void) {
    for (int i = 0; i < N_EXPORT_CASES; i++) check_case(i);
    TEST_MAIN_END();
}
