/* test_sweep.c — the sweep plan (deepq/sweep.h): grid axes expand to every combination with the
 * last key fastest, seeds parse as lists and ranges, bad specs are refused, the queue hands out
 * the largest cost first (lowest index on ties) and each run once, the 95% t interval matches
 * hand-computed values, and the tables hold per-run and per-point rows. */
#include "deepq/sweep.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepq/fsio.h"

static void test_grid_and_seeds(void) {
    dq_sweep s;
    dq_error err;
    dq_sweep_init(&s);
    CHECK_OK(dq_sweep_add_grid(&s, "learning_rate=1e-3,5e-4,lin_1e-3", &err));
    CHECK_OK(dq_sweep_add_grid(&s, "batch_size=32,64", &err));
    CHECK(s.n_points == 6);
    CHECK_OK(dq_sweep_plan(&s, "0-2,7", &err));
    CHECK(s.n_seeds == 4 && s.n_runs == 24);
    CHECK(s.seeds[0] == 0 && s.seeds[2] == 2 && s.seeds[3] == 7);
    /* point 3 = lr index 1, batch index 1 (last key fastest) */
    CHECK(!strcmp(dq_sweep_value(&s, 3, 0), "5e-4") && !strcmp(dq_sweep_value(&s, 3, 1), "64"));
    char name[256];
    dq_sweep_point_name(&s, 4, name, sizeof name);
    CHECK(!strcmp(name, "learning_rate=lin_1e-3,batch_size=32"));
    CHECK(s.runs[13].point == 3 && s.runs[13].seed == 1); /* point-major */
    dq_sweep_free(&s);

    dq_sweep_init(&s);
    CHECK_OK(dq_sweep_plan(&s, "5", &err));
    CHECK(s.n_points == 1 && s.n_runs == 1 && s.runs[0].seed == 5);
    dq_sweep_point_name(&s, 0, name, sizeof name);
    CHECK(!strcmp(name, "base"));
    CHECK(dq_sweep_plan(&s, "3-1", &err) == DQ_EINVAL);
    CHECK(dq_sweep_plan(&s, "1,1", &err) == DQ_EINVAL && strstr(err.msg, "twice"));
    CHECK(dq_sweep_plan(&s, "a", &err) == DQ_EINVAL);
    CHECK(dq_sweep_plan(&s, "0-", &err) == DQ_EINVAL);
    CHECK(dq_sweep_plan(&s, "0-5000", &err) == DQ_EINVAL);
    CHECK(dq_sweep_plan(&s, "", &err) == DQ_EINVAL);
    dq_sweep_free(&s);

    dq_sweep_init(&s);
    CHECK(dq_sweep_add_grid(&s, "learning_rate", &err) == DQ_EINVAL);
    CHECK(dq_sweep_add_grid(&s, "=1,2", &err) == DQ_EINVAL);
    CHECK(dq_sweep_add_grid(&s, "gamma=0.9,,0.99", &err) == DQ_EINVAL);
    CHECK(dq_sweep_add_grid(&s, "gamma=0.9,0.9", &err) == DQ_EINVAL);
    CHECK_OK(dq_sweep_add_grid(&s, "gamma=0.9", &err));
    CHECK(dq_sweep_add_grid(&s, "gamma=0.8", &err) == DQ_EINVAL && strstr(err.msg, "twice"));
    CHECK_OK(dq_sweep_add_grid(&s, "path=a/b", &err));
    CHECK_OK(dq_sweep_add_grid(&s, "net_arch=[64, 64],[256]", &err)); /* commas in [] stay */
    CHECK(s.n_values[2] == 2 && !strcmp(s.value[2][0], "[64, 64]") && !strcmp(s.value[2][1], "[256]"));
    CHECK(dq_sweep_add_grid(&s, "x=[1,2", &err) == DQ_EINVAL);
    dq_sweep_point_name(&s, 0, name, sizeof name);
    CHECK(!strcmp(name, "gamma=0.9,path=a_b,net_arch=[64, 64]")); /* '/' never makes a sub-folder */
    dq_sweep_free(&s);
}

static void test_queue(void) {
    dq_sweep s;
    dq_error err;
    dq_sweep_init(&s);
    CHECK_OK(dq_sweep_add_grid(&s, "n_timesteps=100,300,200", &err));
    CHECK_OK(dq_sweep_plan(&s, "0-1", &err));
    for (int i = 0; i < s.n_runs; i++) s.runs[i].cost = atoll(dq_sweep_value(&s, s.runs[i].point, 0));
    dq_sweep_finish(&s, 3, DQ_SWEEP_DONE, 1, 2); /* finished before: never handed out */
    int want[] = {2, 4, 5, 0, 1}, got[8], n = 0;
    for (int i; (i = dq_sweep_next(&s)) >= 0 && n < 8;) got[n++] = i;
    CHECK(n == 5);
    for (int i = 0; i < 5 && i < n; i++) CHECK_MSG(got[i] == want[i], "pick %d: %d", i, got[i]);
    for (int i = 0; i < s.n_runs; i++)
        CHECK(s.runs[i].state == (i == 3 ? DQ_SWEEP_DONE : DQ_SWEEP_RUNNING));
    dq_sweep_free(&s);
}

static void test_ci_and_tables(void) {
    double m, ci;
    int n;
    double x[] = {10, 12, NAN, 14};
    dq_sweep_mean_ci(x, 4, &m, &ci, &n);
    CHECK(n == 3);
    CHECK_NEAR(m, 12, 1e-12);
    CHECK_NEAR(ci, 4.303 * 2 / sqrt(3.0), 1e-9); /* sd 2, t(2) = 4.303 */
    dq_sweep_mean_ci(x, 1, &m, &ci, &n);
    CHECK(n == 1 && m == 10 && isnan(ci));

    dq_sweep s;
    dq_error err;
    dq_sweep_init(&s);
    CHECK_OK(dq_sweep_add_grid(&s, "gamma=0.9,0.99", &err));
    CHECK_OK(dq_sweep_plan(&s, "0-1", &err));
    dq_sweep_finish(&s, 0, DQ_SWEEP_DONE, 100, 120);
    dq_sweep_finish(&s, 1, DQ_SWEEP_DONE, 200, 220);
    dq_sweep_finish(&s, 2, DQ_SWEEP_DONE, 50, 60);
    dq_sweep_finish(&s, 3, DQ_SWEEP_FAILED, NAN, NAN);
    char dir[] = "/tmp/dq_test_sweep_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *md = NULL;
    CHECK_OK(dq_sweep_write_tables(&s, dir, &md, &err));
    char p[300];
    void *text = NULL;
    size_t len;
    snprintf(p, sizeof p, "%s/summary.csv", dir);
    CHECK_OK(dq_read_file(p, &text, &len, &err));
    char want[200];
    snprintf(want, sizeof want, "\"gamma=0.9\",0.9,2,150.00,%.2f,170.00,%.2f\n",
             12.706 * sqrt(5000.0) / sqrt(2.0), 12.706 * sqrt(5000.0) / sqrt(2.0));
    CHECK_MSG(text && strstr(text, want), "summary.csv:\n%s", text ? (char *)text : "");
    CHECK(text && strstr(text, "\"gamma=0.99\",0.99,1,50.00,,60.00,\n"));
    free(text);
    snprintf(p, sizeof p, "%s/results.csv", dir);
    CHECK_OK(dq_read_file(p, &text, &len, &err));
    CHECK(text && strstr(text, "point,gamma,seed,state,final_eval,best_eval\n"));
    CHECK(text && strstr(text, "\"gamma=0.99\",0.99,1,failed,,\n"));
    free(text);
    CHECK(md && strstr(md, "| gamma=0.9 | 2/2 | 150.00 ± ") && strstr(md, "| gamma=0.99 | 1/2 | 50.00 | 60.00 |"));
    free(md);
    const char *files[] = {"results.csv", "summary.csv", "results.md"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        CHECK(unlink(p) == 0);
    }
    rmdir(dir);
    dq_sweep_free(&s);
}

int main(void) {
    test_grid_and_seeds();
    test_queue();
    test_ci_and_tables();
    TEST_MAIN_END();
}
