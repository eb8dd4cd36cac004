/* test_config.c — the YAML layer of src/io (keys, value texts, lines, merge keys, caps) on its
 * own, and what the DQN key table of src/rl/config.c adds on top (numbers as RL-Zoo writes
 * them, nearest-key suggestions). The DQN-specific config tests live in test_dqn.c. */
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
#include "deepq/cont_config.h"
#include "io/yaml.h"
#include "test.h"

/* Items come out in the order they apply, with their lines; merged mappings first. */
static void test_yaml_items(void) {
    dq_error err;
    dq_yaml *y;
    const char *text = "base: &b\n  a: 1\n  b: [2, 3]\n"
                       "env:\n  c: x\n  <<: *b\n  d: {k: v, n: 2}\n";
    CHECK_OK(dq_yaml_load(&y, text, "t.yml", &err));
    CHECK(dq_yaml_top_count(y) == 2);
    CHECK(!strcmp(dq_yaml_top_key(y, 1), "env"));
    const dq_yaml_item *it;
    int n;
    CHECK_OK(dq_yaml_items(y, 1, &it, &n, &err));
    CHECK(n == 4);
    if (n == 4) {
        CHECK(!strcmp(it[0].key, "a") && !strcmp(it[0].value, "1") && it[0].line == 2);
        CHECK(!strcmp(it[1].key, "b") && !strcmp(it[1].value, "[2, 3]") && it[1].line == 3);
        CHECK(!strcmp(it[2].key, "c") && it[2].line == 5);
        CHECK(!strcmp(it[3].key, "d") && !strcmp(it[3].value, "k=v,n=2") && it[3].line == 7);
    }
    CHECK_OK(dq_yaml_items(y, -1, &it, &n, &err)); /* the root: two keys with mapping values */
    CHECK(n == 2);
    dq_yaml_free(y);
    CHECK(dq_yaml_load(&y, "- 1\n- 2\n", "s.yml", &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "s.yml:1"), "%s", err.msg);
    CHECK(dq_yaml_load(&y, "a: [1\n", "e.yml", &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "e.yml:") && strstr(err.msg, "YAML error"), "%s", err.msg);
    dq_yaml_free(NULL);
}

/* A few hundred bytes of aliases that name each other ten times per level used to expand to
 * 10^7 mappings (minutes of loading); the breadth cap stops them with a message at once. */
static void test_yaml_alias_bomb(void) {
    char text[2048];
    size_t k = (size_t)snprintf(text, sizeof text, "l0: &l0\n  gamma: 0.5\n");
    for (int lvl = 1; lvl <= 7; lvl++) {
        k += (size_t)snprintf(text + k, sizeof text - k, "l%d: &l%d\n  <<: [", lvl, lvl);
        for (int i = 0; i < 10; i++)
            k += (size_t)snprintf(text + k, sizeof text - k, "%s*l%d", i ? ", " : "", lvl - 1);
        k += (size_t)snprintf(text + k, sizeof text - k, "]\n");
    }
    snprintf(text + k, sizeof text - k, "CartPole-v1:\n  <<: *l7\n");
    dq_run_config c;
    dq_run_config_default(&c);
    dq_error err;
    CHECK(dq_config_apply_yaml(&c, text, "bomb.yml", "CartPole-v1", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "bomb.yml:") && strstr(err.msg, "more than"), "%s", err.msg);
}

/* Strings with YAML's own characters (found by fuzz_yaml: a quote or backslash in env_kwargs, a
 * preset name with ": ") are written so that config.yml reads back to the same config, for the
 * DQN and the continuous key tables alike. */
static void test_string_round_trip(void) {
    const char *kwargs[] = {"1\"", "tru\\", "a: b, #c", "x=\"1\",y='2'", "tab\there", ""};
    const char *presets[] = {"zoo", "my: preset", "-x", "\"q\"", "a#b", "path/to.yml"};
    for (size_t i = 0; i < sizeof kwargs / sizeof *kwargs; i++) {
        dq_run_config c, c2;
        dq_run_config_default(&c);
        dq_error err;
        snprintf(c.env_kwargs, sizeof c.env_kwargs, "%s", kwargs[i]);
        snprintf(c.preset, sizeof c.preset, "%s", presets[i]);
        char *y1 = NULL, *y2 = NULL;
        CHECK_OK(dq_config_to_yaml(&c, &y1, &err));
        dq_run_config_default(&c2);
        CHECK_MSG(dq_config_apply_yaml(&c2, y1, "rt.yml", c.env_id, &err) == DQ_OK, "%s\n%s",
                  err.msg, y1);
        CHECK_MSG(!strcmp(c2.env_kwargs, kwargs[i]) && !strcmp(c2.preset, presets[i]),
                  "'%s' '%s'", c2.env_kwargs, c2.preset);
        CHECK_OK(dq_config_to_yaml(&c2, &y2, &err));
        CHECK(y1 && y2 && !strcmp(y1, y2));
        free(y1), free(y2);

        dq_cont_config k, k2;
        dq_cont_config_default(&k, DQ_ALGO_TD3);
        snprintf(k.env_kwargs, sizeof k.env_kwargs, "%s", kwargs[i]);
        snprintf(k.preset, sizeof k.preset, "%s", presets[i]);
        CHECK_OK(dq_cont_config_to_yaml(&k, &y1, &err));
        dq_cont_config_default(&k2, DQ_ALGO_TD3);
        CHECK_MSG(dq_cont_config_apply_yaml(&k2, y1, "rt.yml", k.env_id, &err) == DQ_OK,
                  "%s\n%s", err.msg, y1);
        CHECK_MSG(!strcmp(k2.env_kwargs, kwargs[i]) && !strcmp(k2.preset, presets[i]),
                  "'%s' '%s'", k2.env_kwargs, k2.preset);
        free(y1);
    }
    /* Too long is refused, never cut. */
    char big[600];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    dq_cont_config k;
    dq_cont_config_default(&k, DQ_ALGO_TD3);
    dq_error err;
    CHECK(dq_cont_config_set(&k, "env_kwargs", big, &err) == DQ_EINVAL);
    CHECK(dq_cont_config_set(&k, "preset", big, &err) == DQ_EINVAL);
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK(dq_config_set(&c, "preset", big, &err) == DQ_EINVAL);
}

int main(void) {
    test_yaml_items();
    test_string_round_trip();
    test_yaml_alias_bomb();
    TEST_MAIN_END();
}
