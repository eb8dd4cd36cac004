/* cli.c — what every verb shares: the one-line error, the flag-table parser (with --help and
 * "did you mean" for flags), numbers as RL-Zoo writes them, and SIGINT/SIGTERM handling. */
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "deepq/env.h"

int dq_cli_die(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("deepq: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

bool dq_cli_int(const char *s, int64_t lo, int64_t hi, int64_t *out) {
    int64_t v;
    if (!dq_parse_i64(s, &v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

bool dq_cli_double(const char *s, double lo, double hi, double *out) {
    double v;
    if (!dq_parse_f64(s, &v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

int dq_cli_unknown_env(const char *verb, const char *id) {
    const char *near = dq_env_nearest_id(id);
    if (near) return dq_cli_die(2, "%s: unknown env '%s' (did you mean %s?)", verb, id, near);
    return dq_cli_die(2, "%s: unknown env '%s' (see deepq list)", verb, id);
}

static const char *flag_name_at(const void *ctx, int i) {
    return ((const dq_cli_flag *)ctx)[i].name;
}

static bool takes_value(dq_cli_kind k) { return k != DQ_CLI_SET && k != DQ_CLI_UNSET; }

/* Apply flag f with value v (NULL for switches) to opts. */
static int apply_flag(const dq_cli_cmd *cmd, const dq_cli_flag *f, void *opts, const char *v) {
    char *field = opts ? (char *)opts + f->off : NULL;
    int64_t iv;
    double dv;
    switch (f->kind) {
    case DQ_CLI_SET:
    case DQ_CLI_UNSET:
        if (field) *(bool *)field = f->kind == DQ_CLI_SET;
        return DQ_CLI_GO;
    case DQ_CLI_INT:
    case DQ_CLI_I64:
    case DQ_CLI_U64:
        if (!dq_cli_int(v, (int64_t)f->lo, (int64_t)f->hi, &iv))
            return dq_cli_die(2, "%s: %s needs an integer in [%.0f, %.0f], got '%s'", cmd->verb,
                              f->name, f->lo, f->hi, v);
        if (field && f->kind == DQ_CLI_INT) *(int *)field = (int)iv;
        if (field && f->kind == DQ_CLI_I64) *(int64_t *)field = iv;
        if (field && f->kind == DQ_CLI_U64) *(uint64_t *)field = (uint64_t)iv;
        return DQ_CLI_GO;
    case DQ_CLI_F64:
        if (!dq_cli_double(v, f->lo, f->hi, &dv))
            return dq_cli_die(2, "%s: %s needs a number in [%g, %g], got '%s'", cmd->verb,
                              f->name, f->lo, f->hi, v);
        if (field) *(double *)field = dv;
        return DQ_CLI_GO;
    case DQ_CLI_STR:
        if (field) *(const char **)field = v;
        return DQ_CLI_GO;
    case DQ_CLI_FN: {
        if (!opts) return DQ_CLI_GO;
        dq_error err = {0};
        if (f->fn(opts, v, &err)) return dq_cli_die(2, "%s: %s: %s", cmd->verb, f->name, err.msg);
        return DQ_CLI_GO;
    }
    }
    return DQ_CLI_GO;
}

int dq_cli_parse(const dq_cli_cmd *cmd, void *opts, int argc, char **argv, const char **pos,
                 int *n_pos) {
    *n_pos = 0;
    bool flags_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!flags_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            fputs(cmd->usage, stdout);
            return 0;
        }
        if (!flags_done && !strcmp(a, "--")) {
            flags_done = true;
            continue;
        }
        /* a negative number is a value, not a flag */
        bool is_flag = !flags_done && a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9');
        if (!is_flag) {
            if (*n_pos == cmd->max_pos)
                return dq_cli_die(2, "%s: unexpected argument '%s' (see deepq %s --help)",
                                  cmd->verb, a, cmd->verb);
            pos[(*n_pos)++] = a;
            continue;
        }
        /* --flag=value is --flag value */
        char name[64];
        const char *eq = strchr(a, '='), *v = NULL;
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
        const dq_cli_flag *f = NULL;
        for (int k = 0; k < cmd->n_flags; k++)
            if (!strcmp(cmd->flags[k].name, name)) f = &cmd->flags[k];
        if (!f) {
            const char *near = dq_nearest_name(name, flag_name_at, cmd->flags, cmd->n_flags);
            if (near)
                return dq_cli_die(2, "%s: unknown option '%s' (did you mean %s?)", cmd->verb,
                                  name, near);
            return dq_cli_die(2, "%s: unknown option '%s' (see deepq %s --help)", cmd->verb, name,
                              cmd->verb);
        }
        if (takes_value(f->kind)) {
            if (eq) v = eq + 1;
            else if (i + 1 < argc) v = argv[++i];
            else return dq_cli_die(2, "%s: %s needs a value (see deepq %s --help)", cmd->verb,
                                   name, cmd->verb);
        } else if (eq) {
            return dq_cli_die(2, "%s: %s takes no value", cmd->verb, name);
        }
        int rc = apply_flag(cmd, f, opts, v);
        if (rc != DQ_CLI_GO) return rc;
    }
    if (*n_pos < cmd->min_pos) {
        fputs(cmd->usage, stderr);
        return dq_cli_die(2, "%s: missing argument (see deepq %s --help)", cmd->verb, cmd->verb);
    }
    return DQ_CLI_GO;
}

/* ---- interrupts: the only mutable statics of deepq, as a signal handler reaches nothing
 * else ---- */

static volatile sig_atomic_t g_signal;

static void on_signal(int sig) {
    if (!g_signal) g_signal = sig;
    signal(sig, SIG_DFL); /* a second one of the same kind kills at once */
}

void dq_cli_catch_signals(void) {
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

int dq_cli_interrupted(void) { return (int)g_signal; }

int dq_cli_interrupt_status(int sig) { return 128 + sig; }

void dq_cli_vsay(FILE *log, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    vprintf(fmt, ap);
    fflush(stdout);
    if (log) {
        vfprintf(log, fmt, again);
        fflush(log);
    }
    va_end(again);
}
