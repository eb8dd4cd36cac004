/* fuzz_kwargs.c — env options: the first byte picks an env of the registry, the rest is its
 * kwargs text ("k=v,k=v"); dq_kwargs_parse, then dq_env_make, and when the env accepts the
 * options, a reset and up to 50 steps (a bad map or size must be refused, never crash). */
#include "deepq/env.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const dq_env_type *type = dq_env_type_at(data[0] % dq_env_count());
    char *text = fuzz_text(data + 1, size - 1);
    dq_kwargs kw;
    dq_error err;
    dq_kwargs_parse(&kw, text, &err);
    dq_env *env;
    if (!dq_env_make_type(type, text, &env, &err)) {
        float obs[DQ_SPACE_MAX];
        double act[DQ_SPACE_MAX] = {0};
        dq_env_reset(env, 1, obs);
        for (int t = 0; t < 50; t++) {
            dq_step s;
            dq_status st = env->act_space.kind == DQ_SPACE_DISCRETE
                               ? dq_env_step(env, t % env->act_space.n, obs, &s, &err)
                               : dq_env_step_cont(env, act, obs, &s, &err);
            if (st || s.terminated || s.truncated) break;
        }
        dq_env_free(env);
    }
    free(text);
    return 0;
}
