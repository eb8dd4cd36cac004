/* cli.h — the deepq command-line tool: one function per verb, each in its own cli/cmd_*.c, the
 * verb table in main.c and the helpers every verb shares in cli.c (errors, the flag table
 * parser, suggestions, interrupts). Verbs return the process exit status; they print errors as
 * one line on stderr. The CLI uses only the public headers of include/deepq. */
#ifndef DQ_CLI_H
#define DQ_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "deepq/common.h"

typedef int (*dq_cli_fn)(int argc, char **argv); /* argv[0] is the verb */

typedef struct dq_cli_verb {
    const char *name;
    const char *usage;   /* one line: arguments */
    const char *summary; /* one line: what it does */
    dq_cli_fn fn;
} dq_cli_verb;

/* Print "deepq: <message>" on stderr and return code — for verbs. */
int dq_cli_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print to stdout and, when log is not NULL, to log too (a run's train.log); both flushed. */
void dq_cli_vsay(FILE *log, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* ---- flags: one table per verb, each row edits one field of the verb's options struct ---- */

typedef enum dq_cli_kind {
    DQ_CLI_SET,   /* no value: the bool at off becomes true */
    DQ_CLI_UNSET, /* no value: the bool at off becomes false (--no-reuse) */
    DQ_CLI_INT,   /* int at off, an integer in [lo, hi] (1e5 and 1_000 are fine) */
    DQ_CLI_I64,   /* int64_t at off, an integer in [lo, hi] */
    DQ_CLI_U64,   /* uint64_t at off (seeds), an integer in [lo, hi] */
    DQ_CLI_F64,   /* double at off, a number in [lo, hi] */
    DQ_CLI_STR,   /* const char * at off: the argument itself */
    DQ_CLI_FN,    /* fn(opts, value, err) edits what it must */
} dq_cli_kind;

typedef struct dq_cli_flag {
    const char *name; /* "--episodes" */
    dq_cli_kind kind;
    size_t off;       /* offsetof(the verb's options struct, field) */
    double lo, hi;    /* range of INT, I64 and F64 values */
    dq_status (*fn)(void *opts, const char *value, dq_error *err); /* DQ_CLI_FN */
} dq_cli_flag;

typedef struct dq_cli_cmd {
    const char *verb;   /* "tabular" */
    const char *usage;  /* printed by --help (stdout) and after usage errors (stderr) */
    const dq_cli_flag *flags;
    int n_flags;
    int min_pos, max_pos; /* positional arguments */
} dq_cli_cmd;

/* The parse went through: the verb goes on (any other value is the exit status to return). */
#define DQ_CLI_GO (-1)

/* Parse argv[1..argc) against cmd: `-h`/`--help` prints the usage and returns 0; an unknown
 * flag (with its nearest name), a missing or bad value, or a wrong number of positional
 * arguments prints one line and returns 2. Flags edit opts in the order given; opts NULL only
 * checks (and collects pos), so a verb whose defaults depend on a positional argument (the
 * env) can parse twice. pos (cmd->max_pos entries) receives the positional arguments. */
int dq_cli_parse(const dq_cli_cmd *cmd, void *opts, int argc, char **argv, const char **pos,
                 int *n_pos);

/* Parse a whole string as an integer / double in [lo, hi] (1e5, 1_000); false on junk or out
 * of range. */
bool dq_cli_int(const char *s, int64_t lo, int64_t hi, int64_t *out);
bool dq_cli_double(const char *s, double lo, double hi, double *out);

/* "unknown env 'cartpole' (did you mean CartPole-v1?)" or "... (see deepq list)"; returns 2. */
int dq_cli_unknown_env(const char *verb, const char *id);

/* ---- interrupts ---- */

/* Catch SIGINT and SIGTERM: the first one sets a flag (dq_cli_interrupted) so a run stops at
 * its next safe point and saves; a second one of the same kind kills at once. */
void dq_cli_catch_signals(void);
/* The signal that asked to stop (SIGINT, SIGTERM) or 0. */
int dq_cli_interrupted(void);
/* Exit status of a run stopped by signal sig: 128 + sig (130 for Ctrl-C, 143 for SIGTERM). */
int dq_cli_interrupt_status(int sig);

int dq_cmd_version(int argc, char **argv); /* main.c */
int dq_cmd_help(int argc, char **argv);    /* main.c */
int dq_cmd_list(int argc, char **argv);   /* cmd_list.c */
int dq_cmd_replay(int argc, char **argv); /* cmd_replay.c */
int dq_cmd_plot(int argc, char **argv);   /* cmd_plot.c */
/* Write the training plots of run_dir into run_dir/plots and say where; a failure
 * is a printed warning, not an error: returns 0 (cmd_plot.c). */
int dq_cli_write_plots(const char *run_dir);
int dq_cmd_enjoy(int argc, char **argv);  /* cmd_enjoy.c */
int dq_cmd_play(int argc, char **argv);   /* cmd_play.c */

int dq_cmd_collect(int argc, char **argv); /* cmd_fqi.c */
int dq_cmd_fqi(int argc, char **argv);     /* cmd_fqi.c */
int dq_cmd_tabular(int argc, char **argv); /* cmd_tabular.c */

int dq_cmd_train(int argc, char **argv);  /* cmd_train.c */
int dq_cmd_eval(int argc, char **argv);   /* cmd_eval.c */
int dq_cmd_resume(int argc, char **argv); /* cmd_resume.c */
int dq_cmd_export(int argc, char **argv); /* cmd_export.c */
int dq_cmd_sweep(int argc, char **argv);  /* cmd_sweep.c */
/* Continuous-action agents (cmd_cont.c): train with --algo ddpg|td3|naf|sampled, resume their
 * run folders and evaluate their checkpoints. */
int dq_cmd_train_cont(int argc, char **argv);
int dq_cmd_resume_cont(const char *dir, long long final_eps, long long stop_at, bool no_wall_time);
/* obs_text "x1,x2,...": print the greedy action and the critics' Q(s, a) as JSON instead. */
int dq_cmd_eval_cont(const char *path, long long episodes, long long seed, bool json,
                     const char *obs_text);
/* The agent and env a continuous checkpoint (or run folder) describes; both the caller's. */
struct dq_cont;
struct dq_env;
dq_status dq_cli_load_cont(const char *src, struct dq_cont **ag, struct dq_env **env,
                           dq_error *err);

#endif
