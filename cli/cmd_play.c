/* cmd_play.c — `deepq play ENV`: a person drives the env from the keyboard in the window.
 * Real-time envs step at the env's render fps with the keys held at that moment (no key = the
 * env's "do nothing" action, as gymnasium.utils.play's noop); grid worlds step once per arrow
 * press. p pauses, + / - change the speed, r restarts the episode, q or Esc quits. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_rl.h"
#include "cli_viz.h"

static const char USAGE[] =
    "usage: deepq play ENV [--kwargs K=V,...] [--seed N] [--fps N] [--episodes N]\n"
    "                  [--max-steps N] [--screenshot shot.png]\n"
    "keys: CartPole/Acrobot/MountainCar/Pendulum left-right arrows; LunarLander up = main engine,\n"
    "      left/right = side engines; FlappyBird space or up = flap; FrozenLake/CliffWalking\n"
    "      arrows; Taxi arrows, space = pick up, enter = drop off; p pause, r restart, q quit\n";

#define DOWN(k) dq_window_key_down(w, k)
#define PRESSED(k) (dq_window_key_pressed(w, k) > 0)

/* Action from the keyboard. Returns false when this tick should not step (turn-based envs
 * waiting for a key). */
static bool keys_to_action(const char *id, dq_window *w, int64_t *a, double *ca) {
    bool L = DOWN(DQ_KEY_LEFT) || DOWN(DQ_KEY_A), R = DOWN(DQ_KEY_RIGHT) || DOWN(DQ_KEY_D);
    bool U = DOWN(DQ_KEY_UP) || DOWN(DQ_KEY_W);
    if (!strncmp(id, "CartPole", 8)) *a = R ? 1 : 0;
    else if (!strcmp(id, "Acrobot-v1") || !strcmp(id, "MountainCar-v0")) *a = L ? 0 : R ? 2 : 1;
    else if (!strcmp(id, "MountainCarContinuous-v0")) ca[0] = L ? -1 : R ? 1 : 0;
    else if (!strcmp(id, "Pendulum-v1")) ca[0] = L ? 2 : R ? -2 : 0; /* left = counter-clockwise */
    else if (!strcmp(id, "LunarLander-v3")) {
        *a = U ? 2 : L ? 3 : R ? 1 : 0; /* left arrow fires the right engine: pushes left */
        ca[0] = U ? 1 : -1, ca[1] = L ? -1 : R ? 1 : 0;
    } else if (!strcmp(id, "FlappyBird-v0")) {
        *a = (PRESSED(DQ_KEY_SPACE) | PRESSED(DQ_KEY_UP)) ? 1 : 0;
    } else { /* grid worlds: one step per key press */
        int dir = PRESSED(DQ_KEY_LEFT) ? 0 : PRESSED(DQ_KEY_DOWN) ? 1 : PRESSED(DQ_KEY_RIGHT) ? 2
                : PRESSED(DQ_KEY_UP) ? 3 : -1; /* L D R U */
        if (!strcmp(id, "Taxi-v3")) {
            static const int TAXI[4] = {3, 0, 2, 1}; /* west, south, east, north */
            if (dir >= 0) *a = TAXI[dir];
            else if (PRESSED(DQ_KEY_SPACE)) *a = 4;
            else if (PRESSED(DQ_KEY_ENTER)) *a = 5;
            else return false;
        } else if (!strcmp(id, "CliffWalking-v0")) {
            static const int CLIFF[4] = {3, 2, 1, 0}; /* left, down, right, up */
            if (dir < 0) return false;
            *a = CLIFF[dir];
        } else { /* FrozenLake: 0 left, 1 down, 2 right, 3 up */
            if (dir < 0) return false;
            *a = dir;
        }
    }
    return true;
}

typedef struct play_opts {
    const char *kwargs, *shot;
    int64_t seed, fps, episodes, max_steps;
} play_opts;

#define F(field) offsetof(play_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--kwargs", DQ_CLI_STR, F(kwargs), 0, 0, NULL},
    {"--screenshot", DQ_CLI_STR, F(shot), 0, 0, NULL},
    {"--seed", DQ_CLI_I64, F(seed), 0, 9.0e15, NULL},
    {"--fps", DQ_CLI_I64, F(fps), 1, 1000, NULL},
    {"--episodes", DQ_CLI_I64, F(episodes), 1, 9.0e15, NULL},
    {"--max-steps", DQ_CLI_I64, F(max_steps), 1, 9.0e15, NULL},
};
#undef F

int dq_cmd_play(int argc, char **argv) {
    dq_cli_cmd cmd = {"play", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 1};
    play_opts o = {0};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *env_id = pos[0], *kwargs = o.kwargs, *shot = o.shot;
    int64_t seed = o.seed, fps = o.fps, episodes = o.episodes, max_steps = o.max_steps;
    if (!dq_env_find(env_id)) return dq_cli_unknown_env("play", env_id);
    dq_error err = {0};
    dq_env *env = NULL;
    if (dq_env_make(env_id, kwargs, &env, &err) != DQ_OK) return dq_cli_die(1, "%s", err.msg);
    if (dq_viz_available(&err)) {
        dq_env_free(env);
        return dq_cli_die(1, "play: %s", err.msg);
    }
    if (!dq_render_supported(env_id)) {
        dq_env_free(env);
        return dq_cli_die(1, "play: no frame renderer for %s", env_id);
    }
    bool turn_based = env->obs_space.kind == DQ_SPACE_DISCRETE;
    dq_viewer view;
    if (!dq_viewer_open(&view, env, NULL, true, shot, (int)(fps ? fps : turn_based ? 30 : 0), false)) {
        dq_viewer_close(&view);
        dq_env_free(env);
        return 1;
    }
    printf("%s: %s", env_id, strstr(USAGE, "keys:"));
    float obs[DQ_SPACE_MAX];
    double ca[DQ_SPACE_MAX] = {0};
    int rc = 0;
    int64_t total = 0;
    bool quit = false;
    for (int64_t ep = 0; (!episodes || ep < episodes) && !quit; ep++) {
        dq_env_reset(env, ep == 0 ? seed : -1, obs);
        dq_step so = {0};
        double ret = 0;
        int64_t len = 0;
        for (;;) {
            if (!dq_viewer_frame(&view, env)) {
                quit = true;
                break;
            }
            if (dq_window_key_pressed(view.win, DQ_KEY_R)) break;
            int64_t a = 0;
            if (!keys_to_action(env_id, view.win, &a, ca) && !(max_steps && turn_based)) continue;
            dq_status st = dq_cli_step(env, a, ca, obs, &so, &err);
            if (st != DQ_OK) {
                rc = dq_cli_die(1, "%s", err.msg);
                quit = true;
                break;
            }
            ret += so.reward, len++, total++;
            if (max_steps && total >= max_steps) {
                dq_viewer_frame(&view, env);
                quit = true;
                break;
            }
            if (so.terminated || so.truncated) {
                dq_viewer_frame(&view, env);
                break;
            }
        }
        if (len > 0)
            printf("episode %lld: return %.2f, length %lld%s\n", (long long)ep + 1, ret,
                   (long long)len, so.terminated ? "" : so.truncated ? " (time limit)" : " (stopped)");
    }
    if (!dq_viewer_close(&view) && !rc) rc = 1;
    dq_env_free(env);
    return rc;
}
