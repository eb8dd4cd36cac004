/* cmd_list.c — `deepq list`: every built-in environment with its spaces and Gymnasium limits
 * (and, below it, other named things the CLI knows). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "deepq/config.h"
#include "deepq/env.h"

static void space_str(const dq_space *s, char *buf, size_t cap) {
    if (s->kind == DQ_SPACE_DISCRETE) {
        snprintf(buf, cap, "Discrete(%lld)", (long long)s->n);
        return;
    }
    const char *dt = s->dtype == DQ_F32 ? "float32" : s->dtype == DQ_F64 ? "float64" : "int64";
    snprintf(buf, cap, "Box((%d,), %s)", s->size, dt);
}

static void bounds_str(const dq_space *s, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->size && n + 32 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s[%g, %g]", i ? " " : "", s->low[i], s->high[i]);
}

static int list_envs(bool verbose) {
    printf("%-26s %-22s %-16s %6s %9s\n", "ENV", "OBSERVATION", "ACTION", "STEPS", "THRESHOLD");
    for (int i = 0; i < dq_env_count(); i++) {
        const dq_env_type *t = dq_env_type_at(i);
        dq_env *env = NULL;
        dq_error err;
        if (dq_env_make_type(t, NULL, &env, &err)) {
            printf("%-26s (cannot be made: %s)\n", t->id, err.msg);
            continue;
        }
        char os[64], as[64], thr[32];
        space_str(&env->obs_space, os, sizeof os);
        space_str(&env->act_space, as, sizeof as);
        if (isnan(t->reward_threshold)) snprintf(thr, sizeof thr, "-");
        else snprintf(thr, sizeof thr, "%g", t->reward_threshold);
        char steps[16];
        if (env->max_episode_steps) snprintf(steps, sizeof steps, "%d", env->max_episode_steps);
        else snprintf(steps, sizeof steps, "-");
        printf("%-26s %-22s %-16s %6s %9s\n", t->id, os, as, steps, thr);
        if (verbose) {
            char b[4096];
            printf("    %s\n", t->summary ? t->summary : "");
            printf("    options:");
            for (const char *const *o = t->options; o && *o; o++) printf(" %s", *o);
            printf(" max_episode_steps\n");
            if (t->default_kwargs) printf("    defaults: %s\n", t->default_kwargs);
            if (env->obs_space.kind == DQ_SPACE_BOX && env->obs_space.size <= 16) {
                bounds_str(&env->obs_space, b, sizeof b);
                printf("    observation bounds: %s\n", b);
            }
            if (env->act_space.kind == DQ_SPACE_BOX) {
                bounds_str(&env->act_space, b, sizeof b);
                printf("    action bounds: %s\n", b);
            }
        }
        dq_env_free(env);
    }
    return 0;
}

static const dq_cli_flag FLAGS[] = {
    {"-v", DQ_CLI_SET, 0, 0, 0, NULL},
    {"--verbose", DQ_CLI_SET, 0, 0, 0, NULL},
};

int dq_cmd_list(int argc, char **argv) {
    dq_cli_cmd cmd = {"list",
                      "usage: deepq list [-v|--verbose]\n"
                      "  every environment (id, spaces, step limit, reward threshold) and preset;\n"
                      "  -v adds each env's options, defaults and bounds, and each preset's YAML\n",
                      FLAGS, sizeof FLAGS / sizeof *FLAGS, 0, 0};
    bool verbose = false;
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &verbose, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    int rc = list_envs(verbose);
    /* Further sections (e.g. training presets) print here, after the environments. */
    printf("\n%-10s %s\n", "PRESET", "DQN HYPERPARAMETERS (deepq train ENV --preset NAME)");
    for (int i = 0; i < dq_preset_count(); i++) {
        printf("%-10s %s\n", dq_preset_name(i), dq_preset_summary(i));
        if (verbose) printf("%s", dq_preset_yaml(i));
    }
    return rc;
}
