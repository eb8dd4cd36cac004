/* cli.h — the deepq command-line tool: one function per verb, each in its own cli/cmd_*.c.
 * Verbs return the process exit status; they print errors as one line on stderr. */
#ifndef DQ_CLI_H
#define DQ_CLI_H

#include <stdbool.h>

typedef int (*dq_cli_fn)(int argc, char **argv); /* argv[0] is the verb */

typedef struct dq_cli_verb {
    const char *name;
    const char *usage;   /* one line: arguments */
    const char *summary; /* one line: what it does */
    dq_cli_fn fn;
} dq_cli_verb;

/* Print "deepq: <message>" on stderr and return 2 (usage) — for verbs. */
int dq_cli_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int dq_cmd_version(int argc, char **argv);
int dq_cmd_list(int argc, char **argv);   /* cmd_list.c */
int dq_cmd_replay(int argc, char **argv); /* cmd_replay.c */
int dq_cmd_plot(int argc, char **argv);   /* cmd_plot.c */
/* Write the training plots of run_dir into run_dir/plots and say where (cmd_plot.c); a failure
 * is a printed warning, not an error: returns 0. */
int dq_cli_write_plots(const char *run_dir);
int dq_cmd_enjoy(int argc, char **argv);  /* cmd_enjoy.c */
int dq_cmd_play(int argc, char **argv);   /* cmd_play.c */

int dq_cmd_collect(int argc, char **argv); /* cmd_fqi.c */
int dq_cmd_fqi(int argc, char **argv);     /* cmd_fqi.c */
int dq_cmd_tabular(int argc, char **argv); /* cmd_tabular.c */

int dq_cmd_train(int argc, char **argv);  /* cmd_train.c */
int dq_cmd_eval(int argc, char **argv);   /* cmd_eval.c */
int dq_cmd_resume(int argc, char **argv); /* cmd_resume.c */
/* Continuous-action agents (cmd_cont.c): train with --algo ddpg|td3|naf|sampled, resume their
 * run folders and evaluate their checkpoints. */
int dq_cmd_train_cont(int argc, char **argv);
int dq_cmd_resume_cont(const char *dir, long long final_eps, long long stop_at, bool no_wall_time);
/* obs_text "x1,x2,...": print the greedy action and the critics' Q(s, a) as JSON instead. */
int dq_cmd_eval_cont(const char *path, long long episodes, long long seed, bool json,
                     const char *obs_text);

#endif
