/* fuzz_yaml.c — a YAML config (RL-Zoo keys, keyed by env id or flat, merge keys and aliases)
 * applied to the default run config, and its round trip: whatever is accepted is written back
 * by dq_config_to_yaml, and that text must read back to the very same config text. */
#include "deepq/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    dq_run_config c;
    dq_run_config_default(&c);
    dq_error err;
    if (!dq_config_apply_yaml(&c, text, "fuzz.yml", "CartPole-v1", &err)) {
        char *y1 = NULL, *y2 = NULL;
        if (dq_config_to_yaml(&c, &y1, &err)) {
            free(text);
            return 0; /* a config that cannot be written is refused there, with a message */
        }
        dq_run_config c2;
        dq_run_config_default(&c2);
        if (dq_config_apply_yaml(&c2, y1, "roundtrip.yml", c.env_id, &err)) {
            fprintf(stderr, "round trip: written config does not read back: %s\n---\n%s",
                    err.msg, y1);
            abort();
        }
        if (dq_config_to_yaml(&c2, &y2, &err) || strcmp(y1, y2)) {
            fprintf(stderr, "round trip: config differs after write + read\n---\n%s---\n%s", y1,
                    y2 ? y2 : "");
            abort();
        }
        free(y1);
        free(y2);
    }
    free(text);
    return 0;
}
