/* main.c — `deepq VERB [args]`: the verb table and its dispatch, nothing else (the helpers
 * verbs share are in cli.c). With no verb, `train` runs the default (DQN on CartPole-v1), as
 * `make run` does. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "deepq/common.h"

static const dq_cli_verb VERBS[] = {
    {"train", "[ENV] [--preset NAME | --config FILE.yml] [--set k=v]... [--seed N] [--steps N] [--out DIR]",
     "train DQN (no arguments: CartPole-v1 on the default preset)", dq_cmd_train},
    {"eval", "RUN_DIR|CKPT [--episodes 100] [--epsilon 0] [--seed N] [--json]",
     "evaluate a DQN checkpoint", dq_cmd_eval},
    {"resume", "RUN_DIR", "continue an interrupted DQN run exactly", dq_cmd_resume},
    {"sweep", "ENV [--preset P] --seeds 0-9 [--grid key=v1,v2]... --out DIR [--jobs K]",
     "many runs (seeds x grid) on local processes or MPI ranks, with a results table", dq_cmd_sweep},
    {"version", "", "print the version (also deepq --version)", dq_cmd_version},
    {"help", "[VERB]", "this list, or the options of one verb", dq_cmd_help},
    {"list", "[-v]", "list environments with their spaces and limits", dq_cmd_list},
    {"replay", "[--drift] FILE...", "replay Gymnasium golden recordings and compare", dq_cmd_replay},
    {"enjoy", "RUN_DIR|CKPT|--env ID [--episodes N] [--video out.mp4|out.gif] [--render human] [--seed N]",
     "watch a policy play: window, MP4 or GIF at the env's render fps", dq_cmd_enjoy},
    {"play", "ENV [--seed N] [--fps N]", "drive an env from the keyboard in a window", dq_cmd_play},
    {"plot", "RUN_DIR... [--group NAME=DIR,...] [--out DIR] [--window N] [--no-svg]",
     "plot training curves of runs (PNG + SVG; several runs: mean and 95% band)", dq_cmd_plot},
    {"collect", "ENV --steps N [--policy random|RUN_DIR|CKPT] [--epsilon E] [--seed S] --out data.npz",
     "record transitions (observations, actions, rewards, ...) as a numpy .npz", dq_cmd_collect},
    {"fqi", "ENV (--data data.npz | --online) [--model knn|...] [--k 30] [--iterations 20] [--json]",
     "Fitted Q Iteration with a classic regressor (kNN, trees, boosting, linear)", dq_cmd_fqi},
    {"tabular", "ENV [--algo q|sarsa|expected_sarsa] [--episodes N] [--alpha A] [--gamma G] [--json]",
     "tabular Q-learning / SARSA, compared with value iteration's Q*", dq_cmd_tabular},
    {"export", "RUN_DIR|CKPT --format c|onnx|sb3 --out PATH [--int8] [--check N]",
     "write the greedy policy as C99, ONNX or an SB3 zip (checked against deepq)", dq_cmd_export},
};
enum { N_VERBS = sizeof VERBS / sizeof VERBS[0] };

int dq_cmd_version(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: deepq version (or deepq --version): print deepq's version\n");
        return 0;
    }
    printf("deepq %s\n", DQ_VERSION);
    return 0;
}

static void usage(FILE *f) {
    fprintf(f, "usage: deepq VERB [ARGS]   (deepq help VERB or deepq VERB --help: its options)\n"
               "       deepq --version\n"
               "       deepq              with no verb: deepq train, a 50000-step DQN run on "
               "CartPole-v1\n"
               "                          (the default preset) into a new runs/ folder\n\n"
               "verbs:\n");
    for (int i = 0; i < N_VERBS; i++)
        fprintf(f, "  %-8s %s\n           %s\n", VERBS[i].name, VERBS[i].summary, VERBS[i].usage);
}

static const char *verb_name_at(const void *ctx, int i) { return VERBS[i].name; }

static const dq_cli_verb *find_verb(const char *name) {
    for (int i = 0; i < N_VERBS; i++)
        if (!strcmp(name, VERBS[i].name)) return &VERBS[i];
    return NULL;
}

static int unknown_verb(const char *name) {
    const char *near = dq_nearest_name(name, verb_name_at, NULL, N_VERBS);
    if (near) return dq_cli_die(2, "unknown verb '%s' (did you mean %s?)", name, near);
    usage(stderr);
    return dq_cli_die(2, "unknown verb '%s'", name);
}

int dq_cmd_help(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    const dq_cli_verb *v = find_verb(argv[1]);
    if (!v) return unknown_verb(argv[1]);
    char *hargv[] = {(char *)v->name, "--help", NULL};
    return v->fn(2, hargv);
}

int main(int argc, char **argv) {
    if (argc < 2) { /* `deepq` alone = `deepq train` (make run) */
        char *targv[] = {"train", NULL};
        return dq_cmd_train(1, targv);
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
        return dq_cmd_version(argc - 1, argv + 1);
    const dq_cli_verb *v = find_verb(argv[1]);
    if (!v) return unknown_verb(argv[1]);
    return v->fn(argc - 1, argv + 1);
}
