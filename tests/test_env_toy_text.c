/* test_env_toy_text.c — Taxi-v3 and CliffWalking-v0 (and the toy-text text rendering):
 * spaces and limits as Gymnasium registers them, reset/step sampled from P with Gymnasium's
 * categorical_sample (checked with injected draws), the Taxi action mask, bad input, and
 * dq_env_render_text against strings produced by Gymnasium 1.0.0's render_mode="ansi". */
#include <math.h>
#include <string.h>

#include "deepq/env.h"
#include "env/toy_text.h"
#include "test.h"

static void taxi(void) {
    dq_env *env;
    dq_error err;
    CHECK_OK(dq_env_make("Taxi-v3", NULL, &env, &err));
    CHECK(env->obs_space.kind == DQ_SPACE_DISCRETE && env->obs_space.n == 500);
    CHECK(env->act_space.n == 6 && env->max_episode_steps == 200);
    CHECK(env->type->reward_threshold == 8.0);
    const dq_tabular_model *m = dq_env_model(env);
    CHECK(m && m->n_states == 500 && m->n_actions == 6 && m->offset[3000] == 3000);
    double total = 0.0;
    int n_init = 0;
    for (int s = 0; s < 500; s++) total += m->initial[s], n_init += m->initial[s] > 0;
    CHECK(n_init == 300);
    CHECK_NEAR(total, 1.0, 1e-12);
    /* reset with draw u picks the first state whose cumulative probability exceeds u: 0 is not
     * initial (passenger at its destination), so u = 0 gives state 1. */
    const double d0[1] = {0.0};
    float obs[1];
    dq_env_inject(env, d0, 1);
    dq_env_reset(env, 0, obs);
    CHECK(obs[0] == 1.0f);
    /* From state 1 (taxi at R, passenger at R, destination G): pickup puts it in the taxi. */
    dq_step st;
    const double d1[1] = {0.99};
    dq_env_inject(env, d1, 1);
    CHECK_OK(dq_env_step(env, 4, obs, &st, &err));
    int row, col, pass, dest;
    dq_taxi_decode((int)obs[0], &row, &col, &pass, &dest);
    CHECK(row == 0 && col == 0 && pass == 4 && dest == 1 && st.reward == -1.0);
    CHECK(env->rand.inject == NULL); /* the single-entry step still consumed its draw */
    int8_t mask[6];
    dq_taxi_action_mask((int)obs[0], mask);
    CHECK(mask[0] == 1 && mask[1] == 0 && mask[2] == 1 && mask[3] == 0 && mask[4] == 0 &&
          mask[5] == 1);
    /* Drive to G (0,4): east is blocked by the wall after column 1, so go round. */
    const int route[] = {0, 0, 2, 2, 2, 1, 1, 2}; /* south x2, east x3, north x2, east */
    for (size_t i = 0; i < sizeof route / sizeof route[0]; i++) {
        CHECK_OK(dq_env_step(env, route[i], obs, &st, &err));
        CHECK(!st.terminated && st.reward == -1.0);
    }
    dq_taxi_decode((int)obs[0], &row, &col, &pass, &dest);
    CHECK(row == 0 && col == 4 && pass == 4);
    CHECK_OK(dq_env_step(env, 5, obs, &st, &err));
    CHECK(st.terminated && st.reward == 20.0 && st.ep_length == 10 && st.ep_return == 11.0);
    CHECK(dq_env_step(env, 0, obs, &st, &err) == DQ_EINVAL); /* episode over */
    dq_env_reset(env, 1, obs);
    CHECK(dq_env_step(env, 6, obs, &st, &err) == DQ_EINVAL);
    const double bad = 500;
    CHECK(dq_env_set_state(env, &bad, 1, obs, &err) == DQ_EINVAL);
    dq_env_free(env);
    CHECK(dq_env_make("Taxi-v3", "is_rainy=true", &env, &err) == DQ_EINVAL && env == NULL);
}

static void cliff(void) {
    dq_env *env;
    dq_error err;
    CHECK_OK(dq_env_make("CliffWalking-v0", NULL, &env, &err));
    CHECK(env->obs_space.n == 48 && env->act_space.n == 4 && env->max_episode_steps == 0);
    CHECK(isnan(env->type->reward_threshold));
    float obs[1];
    dq_step st;
    dq_env_reset(env, 3, obs);
    CHECK(obs[0] == 36.0f);
    CHECK_OK(dq_env_step(env, 1, obs, &st, &err)); /* right: into the cliff, back to start */
    CHECK(obs[0] == 36.0f && st.reward == -100.0 && !st.terminated && !st.truncated);
    CHECK_OK(dq_env_step(env, 0, obs, &st, &err)); /* up */
    for (int i = 0; i < 11; i++) CHECK_OK(dq_env_step(env, 1, obs, &st, &err));
    CHECK(obs[0] == 35.0f && !st.terminated);
    CHECK_OK(dq_env_step(env, 2, obs, &st, &err)); /* down onto the goal */
    CHECK(obs[0] == 47.0f && st.terminated && st.reward == -1.0 && st.ep_return == -113.0);
    dq_env_free(env);

    /* Slippery: (a-1, a, a+1) with 1/3 each; u = 0.5 picks the intended move. */
    CHECK_OK(dq_env_make("CliffWalking-v0", "is_slippery=true", &env, &err));
    const dq_tabular_model *m = dq_env_model(env);
    CHECK(m->offset[48 * 4] == 48 * 4 * 3 && m->tr[0].prob == 1.0 / 3.0);
    dq_env_reset(env, 0, obs);
    const double u[3] = {0.5, 0.1, 0.9};
    dq_env_inject(env, u, 3);
    CHECK_OK(dq_env_step(env, 0, obs, &st, &err)); /* up */
    CHECK(obs[0] == 24.0f);
    CHECK_OK(dq_env_step(env, 0, obs, &st, &err)); /* slips left: stays at column 0 */
    CHECK(obs[0] == 24.0f);
    CHECK_OK(dq_env_step(env, 0, obs, &st, &err)); /* slips right */
    CHECK(obs[0] == 25.0f);
    dq_env_free(env);
    CHECK(dq_env_make("CliffWalking-v0", "is_slippery=maybe", &env, &err) == DQ_EINVAL);
}

/* Gymnasium 1.0.0's env.render() with render_mode="ansi" after setting unwrapped.s and
 * unwrapped.lastaction (generated once with gymnasium, pasted here). */
static const struct {
    const char *id;
    int s, last;
    const char *text;
} RENDER[] = {
    {"FrozenLake-v1", 6, -1, "\nSFFF\nFH\x1b[41mF\x1b[0mH\nFFFH\nHFFG\n"},
    {"FrozenLake-v1", 6, 2, "  (Right)\nSFFF\nFH\x1b[41mF\x1b[0mH\nFFFH\nHFFG\n"},
    {"FrozenLake8x8-v1", 63, 3, "  (Up)\nSFFFFFFF\nFFFFFFFF\nFFFHFFFF\nFFFFFHFF\nFFFHFFFF\n"
                                "FHHFFFHF\nFHFFHFHF\nFFFHFFF\x1b[41mG\x1b[0m\n"},
    {"Taxi-v3", 328, -1, "+---------+\n|\x1b[35mR\x1b[0m: | : :G|\n| : | : : |\n| : : : : |\n"
                         "| |\x1b[43m \x1b[0m: | : |\n|\x1b[34;1mY\x1b[0m| : |B: |\n"
                         "+---------+\n\n"},
    {"Taxi-v3", 328, 4, "+---------+\n|\x1b[35mR\x1b[0m: | : :G|\n| : | : : |\n| : : : : |\n"
                        "| |\x1b[43m \x1b[0m: | : |\n|\x1b[34;1mY\x1b[0m| : |B: |\n"
                        "+---------+\n  (Pickup)\n"},
    {"Taxi-v3", 17, 5, "+---------+\n|\x1b[42mR\x1b[0m: | : :\x1b[35mG\x1b[0m|\n| : | : : |\n"
                       "| : : : : |\n| | : | : |\n|Y| : |B: |\n+---------+\n  (Dropoff)\n"},
    {"Taxi-v3", 479, 1, "+---------+\n|R: | : :G|\n| : | : : |\n| : : : : |\n| | : | : |\n"
                        "|Y| : |\x1b[35m\x1b[42mB\x1b[0m\x1b[0m: |\n+---------+\n  (North)\n"},
    {"Taxi-v3", 136, 0, "+---------+\n|\x1b[35mR\x1b[0m: | : :G|\n| :\x1b[42m_\x1b[0m| : : |\n"
                        "| : : : : |\n| | : | : |\n|Y| : |B: |\n+---------+\n  (South)\n"},
    {"CliffWalking-v0", 36, -1, "o  o  o  o  o  o  o  o  o  o  o  o\no  o  o  o  o  o  o  o  o  "
                                "o  o  o\no  o  o  o  o  o  o  o  o  o  o  o\nx  C  C  C  C  C  "
                                "C  C  C  C  C  T\n\n"},
    {"CliffWalking-v0", 47, 1, "o  o  o  o  o  o  o  o  o  o  o  o\no  o  o  o  o  o  o  o  o  "
                               "o  o  o\no  o  o  o  o  o  o  o  o  o  o  o\no  C  C  C  C  C  "
                               "C  C  C  C  C  x\n\n"},
};

static void render(void) {
    dq_error err;
    char buf[1024];
    for (size_t i = 0; i < sizeof RENDER / sizeof RENDER[0]; i++) {
        dq_env *env;
        CHECK_OK(dq_env_make(RENDER[i].id, NULL, &env, &err));
        float obs[1];
        dq_env_reset(env, 0, obs);
        double s = RENDER[i].s;
        CHECK_OK(dq_env_set_state(env, &s, 1, obs, &err));
        if (RENDER[i].last >= 0) { /* step with an injected draw, then put the state back */
            const double u = 0.0;
            dq_step st;
            dq_env_inject(env, &u, 1);
            CHECK_OK(dq_env_step(env, RENDER[i].last, obs, &st, &err));
            CHECK_OK(dq_env_set_state(env, &s, 1, obs, &err));
        }
        CHECK_OK(dq_env_render_text(env, buf, sizeof buf, &err));
        CHECK_MSG(!strcmp(buf, RENDER[i].text), "%s state %d:\n%s", RENDER[i].id, RENDER[i].s,
                  buf);
        CHECK(dq_env_render_text(env, buf, 10, &err) == DQ_EINVAL && strlen(buf) == 9);
        dq_env_free(env);
    }
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK(dq_env_render_text(env, buf, sizeof buf, &err) == DQ_EUNSUPPORTED);
    dq_env_free(env);
}

/* dq_env_info: Gymnasium's info keys ("prob", Taxi's "action_mask", FlappyBird's "score"),
 * none for the other envs. */
static void info(void) {
    dq_env *e;
    dq_error err;
    dq_info in;
    float obs[DQ_SPACE_MAX];
    dq_step st;
    CHECK_OK(dq_env_make("FrozenLake-v1", NULL, &e, &err));
    dq_env_reset(e, 0, obs);
    dq_env_info(e, &in);
    CHECK(in.has == DQ_INFO_PROB && in.prob == 1.0);
    CHECK_OK(dq_env_step(e, 1, obs, &st, &err));
    dq_env_info(e, &in);
    CHECK(in.has == DQ_INFO_PROB && in.prob == 1.0 / 3.0); /* slippery: each way 1/3 */
    dq_env_free(e);
    CHECK_OK(dq_env_make("CliffWalking-v0", "is_slippery=false", &e, &err));
    dq_env_reset(e, 0, obs);
    CHECK_OK(dq_env_step(e, 0, obs, &st, &err));
    dq_env_info(e, &in);
    CHECK(in.has == DQ_INFO_PROB && in.prob == 1.0);
    dq_env_free(e);
    CHECK_OK(dq_env_make("Taxi-v3", NULL, &e, &err));
    dq_env_reset(e, 3, obs);
    for (int t = 0; t < 20; t++) {
        dq_env_info(e, &in);
        int8_t mask[DQ_TAXI_ACTIONS];
        dq_taxi_action_mask((int)obs[0], mask);
        CHECK(in.has == (DQ_INFO_PROB | DQ_INFO_ACTION_MASK) && in.prob == 1.0 &&
              in.n_mask == DQ_TAXI_ACTIONS && memcmp(in.action_mask, mask, sizeof mask) == 0);
        CHECK_OK(dq_env_step(e, t % 6, obs, &st, &err));
    }
    dq_env_free(e);
    CHECK_OK(dq_env_make("FlappyBird-v0", NULL, &e, &err));
    dq_env_reset(e, 0, obs);
    dq_env_info(e, &in);
    CHECK(in.has == DQ_INFO_SCORE && in.score == 0);
    dq_env_free(e);
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &e, &err));
    dq_env_reset(e, 0, obs);
    dq_env_info(e, &in);
    CHECK(in.has == 0);
    dq_env_free(e);
}

int main(void) {
    taxi();
    cliff();
    render();
    info();
    TEST_MAIN_END();
}
