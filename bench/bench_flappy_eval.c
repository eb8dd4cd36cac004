/* bench_flappy_eval.c — score (pipes passed) and return of a trained FlappyBird-v0 DQN run,
 * greedy, over N episodes reset with Gymnasium's reset(seed=FIRST+i) (NumPy seeding: the same
 * pipe gaps the package draws), each stopped after CAP steps (the bird may never crash).
 * bench/dqn_torch.py evaluates its PyTorch network the same way (seeds 10000+i, cap 10000).
 *
 *   build/bench/bench_flappy_eval RUN_DIR [episodes=100] [first_seed=10000] [cap=10000]
 *
 * prints one JSON line: score_mean/std/min/max, return_mean/std, len_mean, capped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "deepq/config.h"
#include "deepq/dqn.h"
#include "deepq/env.h"

/* mean and population std of x[n] (NumPy's np.std) */
static void moments(const double *x, int n, double *mean, double *std) {
    double s = 0, q = 0;
    for (int i = 0; i < n; i++) s += x[i];
    *mean = s / n;
    for (int i = 0; i < n; i++) q += (x[i] - *mean) * (x[i] - *mean);
    *std = sqrt(q / n);
}

static int die(const char *what, const dq_error *err) {
    fprintf(stderr, "bench_flappy_eval: %s: %s\n", what, err->msg);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 5) {
        fprintf(stderr, "usage: %s RUN_DIR [episodes=100] [first_seed=10000] [cap=10000]\n",
                argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 100;
    long long first = argc > 3 ? atoll(argv[3]) : 10000;
    long long cap = argc > 4 ? atoll(argv[4]) : 10000;
    if (n < 1 || first < 0 || cap < 1) {
        fprintf(stderr, "bench_flappy_eval: episodes and cap must be >= 1, first_seed >= 0\n");
        return 2;
    }
    char path[1024];
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    snprintf(path, sizeof path, "%s/config.yml", dir);
    if (dq_config_apply_file(&c, path, NULL, &err)) return die(path, &err);
    dq_env *env;
    if (dq_env_make(c.env_id, c.env_kwargs, &env, &err)) return die(c.env_id, &err);
    dq_env_set_seeding(env, DQ_SEEDING_NUMPY);
    dq_dqn *ag;
    if (dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err)) {
        dq_env_free(env);
        return die("agent", &err);
    }
    snprintf(path, sizeof path, "%s/final.safetensors", dir);
    int rc = 0;
    double *score = malloc((size_t)n * sizeof *score), *ret = malloc((size_t)n * sizeof *ret);
    if (!score || !ret) {
        fprintf(stderr, "bench_flappy_eval: out of memory\n");
        rc = 1;
    } else if (dq_dqn_load_weights(ag, path, c.env_id, &err)) {
        rc = die(path, &err);
    }
    int capped = 0;
    double len_sum = 0;
    for (int i = 0; i < n && !rc; i++) {
        float obs[DQ_SPACE_MAX];
        double st[64];
        dq_env_reset(env, first + i, obs);
        ret[i] = 0;
        for (long long t = 1;; t++) {
            dq_step s;
            if (dq_env_step(env, dq_dqn_greedy(ag, obs, NULL), obs, &s, &err)) {
                rc = die("step", &err);
                break;
            }
            ret[i] += s.reward;
            if (s.terminated || s.truncated || t >= cap) {
                capped += !(s.terminated || s.truncated);
                len_sum += (double)t;
                break;
            }
        }
        dq_env_get_state(env, st, 64);
        score[i] = st[3]; /* state vector: player_y, vel_y, rot, score, ... (src/env/flappy.c) */
    }
    if (!rc) {
        double sm, ss, rm, rs, lo = score[0], hi = score[0];
        moments(score, n, &sm, &ss);
        moments(ret, n, &rm, &rs);
        for (int i = 1; i < n; i++) lo = fmin(lo, score[i]), hi = fmax(hi, score[i]);
        printf("{\"run\": \"%s\", \"episodes\": %d, \"score_mean\": %.2f, \"score_std\": %.2f, "
               "\"score_min\": %.0f, \"score_max\": %.0f, \"return_mean\": %.3f, "
               "\"return_std\": %.3f, \"len_mean\": %.1f, \"capped\": %d, \"cap\": %lld}\n",
               dir, n, sm, ss, lo, hi, rm, rs, len_sum / n, capped, cap);
    }
    free(score);
    free(ret);
    dq_dqn_destroy(ag);
    dq_env_free(env);
    return rc;
}
