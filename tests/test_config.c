/* test_config.c — the YAML layer of src/io (keys, value texts, lines, merge keys, caps) on its
 * own, and what the DQN key table of src/rl/config.c adds on top (numbers as RL-Zoo writes
 * them, nearest-key suggestions). The DQN-specific config tests live in test_dqn.c. */
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
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

int main(void) {
    test_yaml_items();
    test_yaml_alias_bomb();
    TEST_MAIN_END();
}
