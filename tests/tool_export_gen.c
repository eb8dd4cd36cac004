/* tool_export_gen.c — build-time helper of tests/export_check.c: writes every case of
 * export_cases.h as OUT_DIR/<name>.c + .h with dq_export_c.
 *   tool_export_gen OUT_DIR */
#include <stdio.h>

#include "deepq/export.h"
#include "deepq/fsio.h"
#include "export_cases.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tool_export_gen OUT_DIR\n");
        return 2;
    }
    dq_error err;
    if (dq_mkdir_p(argv[1], &err)) {
        fprintf(stderr, "tool_export_gen: %s\n", err.msg);
        return 1;
    }
    for (int i = 0; i < N_EXPORT_CASES; i++) {
        const export_case *c = &EXPORT_CASES[i];
        char cp[1024], hp[1024], ck[1024];
        snprintf(cp, sizeof cp, "%s/%s.c", argv[1], c->name);
        snprintf(hp, sizeof hp, "%s/%s.h", argv[1], c->name);
        snprintf(ck, sizeof ck, "%s/%s.safetensors", argv[1], c->name);
        dq_env *env = NULL;
        dq_dqn *ag = NULL;
        dq_export_def def = dq_export_def_default();
        def.name = c->name;
        def.int8 = c->int8;
        def.comment = "test case of tests/export_cases.h";
        if (dq_env_make(c->env_id, NULL, &env, &err) ||
            !(ag = export_case_agent(c, env, ck, &err)) || dq_export_c(ag, &def, cp, hp, &err)) {
            fprintf(stderr, "tool_export_gen: %s: %s\n", c->name, err.msg);
            dq_dqn_destroy(ag);
            dq_env_free(env);
            return 1;
        }
        dq_dqn_destroy(ag);
        dq_env_free(env);
    }
    return 0;
}
