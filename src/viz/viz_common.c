/* viz_common.c — the parts of deepq_viz that need no drawing library (option defaults, the
 * video schedule, a run's plot group), compiled whether or not deepq is built with drawing
 * support (DQ_VIZ), so they are the same code in both builds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/fsio.h"
#include "deepq/plot.h"
#include "deepq/video.h"
#include "deepq/window.h"

dq_plot_def dq_plot_def_default(void) {
    dq_plot_def d = {.width = 900, .height = 540, .window = 100, .bins = 30,
                     .png = true, .svg = true, .summary = true};
    return d;
}

/* Value of a top-level "key: value" line of a config.yml text into out ("" when absent). */
static void yml_value(const char *text, const char *key, char *out, size_t cap) {
    out[0] = '\0';
    size_t kl = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, key, kl) || l[kl] != ':') continue;
        const char *v = l + kl + 1;
        while (*v == ' ') v++;
        size_t n = strcspn(v, "\r\n");
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) v++, n -= 2;
        snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), v);
        return;
    }
}

void dq_plot_run_group(const char *run_dir, char *buf, size_t cap) {
    char p[4096], env[64], preset[48];
    void *text = NULL;
    size_t len;
    dq_error e;
    snprintf(buf, cap, "runs");
    int n = snprintf(p, sizeof p, "%s/config.yml", run_dir);
    if (n < 0 || (size_t)n >= sizeof p || dq_read_file(p, &text, &len, &e)) return;
    yml_value(text, "env", env, sizeof env);
    yml_value(text, "preset", preset, sizeof preset);
    free(text);
    if (env[0]) snprintf(buf, cap, "%s %s", env, preset[0] ? preset : "custom");
}

dq_window_def dq_window_def_default(void) {
    dq_window_def d = {.title = "deepq", .width = 0, .height = 0, .fps = 30, .scale = 1,
                       .space_pauses = true, .hidden = false};
    return d;
}

bool dq_video_capped_cubic(int64_t episode_id) {
    if (episode_id < 0) return false;
    if (episode_id >= 1000) return episode_id % 1000 == 0;
    int64_t k = (int64_t)llround(cbrt((double)episode_id));
    return k * k * k == episode_id;
}
