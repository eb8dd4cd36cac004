/* cmd_export.c — `deepq export RUN_DIR|CKPT --format c|onnx|sb3 --out PATH [--name NAME]
 * [--int8] [--check N] [--dump F.npz] [--cc CC]`: write a DQN checkpoint's greedy policy as a
 * dependency-free C99 file pair (PATH.c + PATH.h), an ONNX model (see deepq/export.h) or a
 * Stable-Baselines3 DQN zip (tools/export_sb3.py: SB3 writes its own format; plain Q heads).
 * --check N then proves the artifact: N observations from the env (epsilon 0.3 around the
 * policy's own actions, seed 0) go through the export and through deepq, and it prints max |dQ|,
 * the bit-identical count and the action agreement. The C pair is compiled with a small driver
 * (CC -std=c99 -O2); the ONNX model runs in onnxruntime and the SB3 zip's weights in numpy
 * via tools/export_check.py.
 * --int8 always runs the check (its agreement is the point of the report). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_rl.h"
#include "deepq/export.h"
#include "deepq/fsio.h"
#include "deepq/npz.h"
#include "deepq/rng.h"
#include "dqn_run.h"

static const char *USAGE =
    "usage: deepq export RUN_DIR|CKPT --format c|onnx|sb3 --out PATH [--name NAME] [--int8]\n"
    "                    [--check N] [--dump CHECK.npz] [--cc CC]\n"
    "  --format c     one C99 file pair PATH.c + PATH.h: int NAME_act(const float *obs, float *q)\n"
    "  --format onnx  PATH.onnx (opset 13): obs[batch, D] -> q[batch, A], action[batch]\n"
    "  --format sb3   PATH.zip for stable_baselines3.DQN.load (plain Q heads only; written by\n"
    "                 tools/export_sb3.py with SB3 itself through $DEEPQ_PYTHON)\n"
    "  --name NAME    C prefix of the symbols (default: PATH's file name)\n"
    "  --int8         C: int8 weights with per-row scales (implies --check 10000)\n"
    "  --check N      run N env observations through the export and through deepq: max |dQ|\n"
    "                 and action agreement (C: compiled with CC, default $CC or cc; ONNX:\n"
    "                 onnxruntime, SB3: numpy, through $DEEPQ_PYTHON, default python3)\n"
    "  --dump F.npz   with --check: save the observations and deepq's q, action to F.npz\n";

/* NAME from PATH.c: its file name without extension, non-identifier characters as '_'. */
static void name_of(char *dst, size_t cap, const char *path) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t i = 0;
    for (; b[i] && b[i] != '.' && i + 1 < cap; i++) {
        const char c = b[i];
        dst[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                         (i > 0 && c >= '0' && c <= '9')
                     ? c
                     : '_';
    }
    dst[i] = 0;
}

/* The driver compiled with the export: float32 observations in (argv[1]), action int32 and
 * Q float32[A] out (argv[2]) per observation. */
static const char *DRIVER =
    "#include <stdio.h>\n#include <stdint.h>\n#include \"%s\"\n"
    "int main(int argc, char **argv) {\n"
    "    float obs[%s_OBS_DIM], q[%s_N_ACTIONS];\n"
    "    FILE *in, *out;\n"
    "    if (argc != 3 || !(in = fopen(argv[1], \"rb\")) || !(out = fopen(argv[2], \"wb\")))\n"
    "        return 2;\n"
    "    while (fread(obs, sizeof obs, 1, in) == 1) {\n"
    "        int32_t a = (int32_t)%s_act(obs, q);\n"
    "        if (fwrite(&a, sizeof a, 1, out) != 1 || fwrite(q, sizeof q, 1, out) != 1) return 1;\n"
    "    }\n"
    "    return fclose(out) ? 1 : 0;\n"
    "}\n";

/* Single-quote s for the shell into dst. */
static void shq(char *dst, size_t cap, const char *s) {
    size_t k = 0;
    if (k + 1 < cap) dst[k++] = '\'';
    for (; *s && k + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(dst + k, "'\\''", 4);
            k += 4;
        } else {
            dst[k++] = *s;
        }
    }
    if (k + 1 < cap) dst[k++] = '\'';
    dst[k] = 0;
}

/* N env observations with deepq's own Q-values and actions: what every check compares to. */
typedef struct check_set {
    long n;
    int D, A;
    float *obs;      /* [n, D] */
    float *q;        /* [n, A] deepq's Q-values */
    int64_t *action; /* [n] deepq's greedy action */
} check_set;

static void check_set_free(check_set *cs) {
    free(cs->obs);
    free(cs->q);
    free(cs->action);
}

/* Roll out n observations from r's env: the policy's greedy action, a uniform one with
 * probability 0.3 (seed 0), episodes reset as they end; record deepq's Q and action. */
static bool check_set_make(check_set *cs, dq_run *r, long n) {
    dq_env *env = r->env;
    const int D = env->obs_space.size, A = (int)env->act_space.n;
    *cs = (check_set){n, D, A, malloc(sizeof(float) * (size_t)n * D),
                      malloc(sizeof(float) * (size_t)n * A), malloc(sizeof(int64_t) * (size_t)n)};
    if (!cs->obs || !cs->q || !cs->action) {
        dq_cli_die(1, "export --check: out of memory for %ld observations", n);
        return false;
    }
    dq_rng rng;
    dq_rng_seed(&rng, 0);
    dq_env_reset(env, 0, cs->obs);
    dq_error err;
    for (long t = 0; t < n; t++) {
        const int g = dq_dqn_greedy(r->ag, cs->obs + t * D, cs->q + t * A);
        cs->action[t] = g;
        if (t + 1 == n) break;
        int a = g;
        if (dq_rng_uniform(&rng) < 0.3) a = (int)dq_rng_below(&rng, (uint64_t)A);
        dq_step s;
        if (dq_env_step(env, a, cs->obs + (t + 1) * D, &s, &err)) {
            dq_cli_die(1, "export --check: %s", err.msg);
            return false;
        }
        if (s.terminated || s.truncated) dq_env_reset(env, -1, cs->obs + (t + 1) * D);
    }
    return true;
}

/* obs, q, action as a numpy .npz (for the Python check and --dump). */
static bool check_set_dump(const check_set *cs, const char *path) {
    dq_error err;
    dq_npz_writer *w = NULL;
    dq_status st = dq_npz_writer_create(&w, &err);
    if (!st) st = dq_npz_writer_add(w, "obs", DQ_F32, 2, (int64_t[]){cs->n, cs->D}, cs->obs, &err);
    if (!st) st = dq_npz_writer_add(w, "q", DQ_F32, 2, (int64_t[]){cs->n, cs->A}, cs->q, &err);
    if (!st) st = dq_npz_writer_add(w, "action", DQ_I64, 1, (int64_t[]){cs->n}, cs->action, &err);
    if (!st) st = dq_npz_writer_save(w, path, false, &err);
    dq_npz_writer_destroy(w);
    if (st) dq_cli_die(1, "export --dump: %s", err.msg);
    return !st;
}

/* Compile out_c with the driver and compare its Q-values and actions with cs. */
static int check_c(const check_set *cs, const char *env_id, const char *out_c, const char *h_name,
                   const char *name, const char *cc) {
    const long n = cs->n;
    const int D = cs->D, A = cs->A;
    char tmpl[] = "/tmp/deepq-export-XXXXXX";
    if (!mkdtemp(tmpl)) return dq_cli_die(1, "export --check: mkdtemp: %s", strerror(errno));
    char drv[600], exe[600], fin[600], fout[600], hdir[600], cmd[4096];
    snprintf(drv, sizeof drv, "%s/driver.c", tmpl);
    snprintf(exe, sizeof exe, "%s/driver", tmpl);
    snprintf(fin, sizeof fin, "%s/obs.f32", tmpl);
    snprintf(fout, sizeof fout, "%s/q.bin", tmpl);
    snprintf(hdir, sizeof hdir, "%s", out_c);
    char *slash = strrchr(hdir, '/');
    if (slash) *slash = 0;
    else snprintf(hdir, sizeof hdir, ".");
    const size_t rec = sizeof(int32_t) + sizeof(float) * A;
    unsigned char *res = malloc(rec * (size_t)n);
    int rc = 1;
    FILE *f = NULL;
    char up[128];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof up; i++)
        up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
    up[i] = 0;
    if (!res) {
        rc = dq_cli_die(1, "export --check: out of memory for %ld observations", n);
        goto done;
    }
    if (!(f = fopen(drv, "w"))) {
        rc = dq_cli_die(1, "export --check: cannot write %s", drv);
        goto done;
    }
    fprintf(f, DRIVER, h_name, up, up, name);
    fclose(f);
    f = NULL;
    char q_cc[700], q_drv[700], q_src[700], q_exe[700], q_inc[700], q_in[700], q_out[700];
    shq(q_cc, sizeof q_cc, cc);
    shq(q_drv, sizeof q_drv, drv);
    shq(q_src, sizeof q_src, out_c);
    shq(q_exe, sizeof q_exe, exe);
    shq(q_inc, sizeof q_inc, hdir);
    shq(q_in, sizeof q_in, fin);
    shq(q_out, sizeof q_out, fout);
    /* $CC may carry flags ("clang -O3"): unquoted on purpose when it has a space */
    snprintf(cmd, sizeof cmd, "%s -std=c99 -O2 -I%s -o %s %s %s -lm", strchr(cc, ' ') ? cc : q_cc,
             q_inc, q_exe, q_drv, q_src);
    printf("check: %s\n", cmd);
    fflush(stdout);
    if (system(cmd) != 0) {
        rc = dq_cli_die(1, "export --check: compiling the export failed (command above)");
        goto done;
    }
    if (!(f = fopen(fin, "wb")) || fwrite(cs->obs, sizeof(float) * D, (size_t)n, f) != (size_t)n) {
        rc = dq_cli_die(1, "export --check: cannot write %s", fin);
        goto done;
    }
    fclose(f);
    f = NULL;
    snprintf(cmd, sizeof cmd, "%s %s %s", q_exe, q_in, q_out);
    if (system(cmd) != 0 || !(f = fopen(fout, "rb")) ||
        fread(res, rec, (size_t)n, f) != (size_t)n) {
        rc = dq_cli_die(1, "export --check: running the compiled export failed");
        goto done;
    }
    long agree = 0, bits = 0;
    double max_dq = 0;
    for (long t = 0; t < n; t++) {
        int32_t a_exp;
        float q_exp[4096];
        memcpy(&a_exp, res + rec * t, sizeof a_exp);
        memcpy(q_exp, res + rec * t + sizeof a_exp, sizeof(float) * A);
        const float *q = cs->q + t * A;
        agree += cs->action[t] == a_exp;
        bits += !memcmp(q, q_exp, sizeof(float) * A);
        for (int k = 0; k < A; k++) {
            const double d = fabs((double)q[k] - q_exp[k]);
            max_dq = d > max_dq || isnan(d) ? d : max_dq;
        }
    }
    printf("check: %ld %s observations: max |dQ| %.3g, Q bit-identical %ld (%.2f%%), same action "
           "%ld (%.3f%%)\n",
           n, env_id, max_dq, bits, 100.0 * bits / n, agree, 100.0 * agree / n);
    rc = 0;
done:
    if (f) fclose(f);
    free(res);
    remove(drv);
    remove(exe);
    remove(fin);
    remove(fout);
    rmdir(tmpl);
    return rc;
}

/* The Python interpreter the ONNX check and the SB3 writer run in, shell-quoted. */
static void python_cmd(char *dst, size_t cap) {
    const char *py = getenv("DEEPQ_PYTHON") && *getenv("DEEPQ_PYTHON") ? getenv("DEEPQ_PYTHON")
                                                                       : "python3";
    shq(dst, cap, py);
}

/* Run tools/export_check.py (onnxruntime, or numpy for the SB3 zip) on the artifact against cs
 * saved as an .npz. */
static int check_python(const check_set *cs, const char *env_id, const char *format,
                        const char *artifact, const char *dump, const char *activation) {
    char tmpl[] = "/tmp/deepq-export-XXXXXX", npz[600], cmd[4096];
    if (!dump && !mkdtemp(tmpl))
        return dq_cli_die(1, "export --check: mkdtemp: %s", strerror(errno));
    if (dump) snprintf(npz, sizeof npz, "%s", dump);
    else snprintf(npz, sizeof npz, "%s/check.npz", tmpl);
    int rc = 1;
    if (check_set_dump(cs, npz)) {
        char q_py[700], q_tool[700], q_art[700], q_npz[700], q_env[200];
        python_cmd(q_py, sizeof q_py);
        shq(q_tool, sizeof q_tool, DQ_TOOLS_DIR "/export_check.py");
        shq(q_art, sizeof q_art, artifact);
        shq(q_npz, sizeof q_npz, npz);
        shq(q_env, sizeof q_env, env_id);
        snprintf(cmd, sizeof cmd, "%s %s --format %s --env %s --activation %s %s %s", q_py, q_tool,
                 format, q_env, activation, q_art, q_npz);
        printf("check: %s\n", cmd);
        fflush(stdout);
        rc = system(cmd) == 0 ? 0
                              : dq_cli_die(1, "export --check: the %s check failed (command above; "
                                              "it needs numpy, and onnxruntime for onnx: "
                                              "DEEPQ_PYTHON picks the interpreter)", format);
    }
    if (!dump) {
        remove(npz);
        rmdir(tmpl);
    }
    return rc;
}

int dq_cmd_export(int argc, char **argv) {
    const char *src = NULL, *format = NULL, *out = NULL, *name_arg = NULL, *cc = NULL;
    const char *dump = NULL;
    bool int8 = false;
    int64_t n_check = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            format = argv[++i];
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(a, "--name") && i + 1 < argc) {
            name_arg = argv[++i];
        } else if (!strcmp(a, "--cc") && i + 1 < argc) {
            cc = argv[++i];
        } else if (!strcmp(a, "--dump") && i + 1 < argc) {
            dump = argv[++i];
        } else if (!strcmp(a, "--int8")) {
            int8 = true;
        } else if (!strcmp(a, "--check") && i + 1 < argc) {
            if (!dq_cli_int(argv[++i], 1, 10000000, &n_check))
                return dq_cli_die(2, "--check: '%s' is not a count in 1..10000000", argv[i]);
        } else if (a[0] == '-' || src) {
            return dq_cli_die(2, "unexpected argument '%s'\n%s", a, USAGE);
        } else {
            src = a;
        }
    }
    if (!src || !format || !out) return dq_cli_die(2, "%s", USAGE);
    const bool is_c = !strcmp(format, "c"), is_onnx = !strcmp(format, "onnx");
    const bool is_sb3 = !strcmp(format, "sb3");
    if (!is_c && !is_onnx && !is_sb3)
        return dq_cli_die(2, "--format '%s': choose c, onnx or sb3", format);
    const char *ext = is_c ? ".c" : is_onnx ? ".onnx" : ".zip";
    const size_t lo = strlen(out), le = strlen(ext);
    if (lo <= le || strcmp(out + lo - le, ext))
        return dq_cli_die(2, "--out '%s' must end in %s%s", out, ext,
                          is_c ? " (the header goes beside it as .h)" : "");
    if (int8 && !is_c) return dq_cli_die(2, "--int8 is for --format c");
    if (dump && !n_check) return dq_cli_die(2, "--dump needs --check N");
    if (int8 && !n_check) n_check = 10000;
    if (!cc) cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
    char name[128], h_path[1024];
    if (name_arg) snprintf(name, sizeof name, "%s", name_arg);
    else name_of(name, sizeof name, out);
    snprintf(h_path, sizeof h_path, "%.*s.h", (int)(lo - 2), out);

    char path[600];
    dq_run r;
    if (!dq_run_load_checkpoint(&r, src, NULL, "export", path, sizeof path)) return 1;
    char comment[800];
    snprintf(comment, sizeof comment, "Source: %s (%s).", path, r.cfg.env_id);
    dq_error err;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", out);
    char *sl = strrchr(dir, '/');
    if (sl && sl != dir) *sl = 0;
    dq_status st = sl && sl != dir ? dq_mkdir_p(dir, &err) : DQ_OK;
    if (!st && is_c) {
        dq_export_def def = dq_export_def_default();
        def.name = name;
        def.int8 = int8;
        def.comment = comment;
        st = dq_export_c(r.ag, &def, out, h_path, &err);
    } else if (!st && is_onnx) {
        st = dq_export_onnx(r.ag, out, comment, &err);
    } else if (!st) {
        const dq_dqn_def *d = dq_dqn_get_def(r.ag);
        if (d->dueling || d->distributional || d->noisy) {
            dq_run_free(&r);
            return dq_cli_die(1, "export --format sb3: SB3's DQN has a plain Q-network only, so "
                                 "this checkpoint's %s%s%s cannot be represented; use --format c "
                                 "or onnx", d->dueling ? "dueling head " : "",
                              d->distributional ? "C51 head " : "",
                              d->noisy ? "noisy layers" : "");
        }
        char q_py[700], q_tool[700], q_ck[700], q_out[700], cmd[3000];
        python_cmd(q_py, sizeof q_py);
        shq(q_tool, sizeof q_tool, DQ_TOOLS_DIR "/export_sb3.py");
        shq(q_ck, sizeof q_ck, path);
        shq(q_out, sizeof q_out, out);
        snprintf(cmd, sizeof cmd, "%s %s %s %s", q_py, q_tool, q_ck, q_out);
        printf("export: %s\n", cmd);
        fflush(stdout);
        if (system(cmd) != 0)
            st = dq_fail(&err, DQ_EIO, "writing the SB3 zip failed (command above; it needs "
                                       "stable-baselines3: DEEPQ_PYTHON picks the interpreter)");
    }
    if (st) {
        dq_run_free(&r);
        return dq_cli_die(1, "export: %s", err.msg);
    }
    if (is_c)
        printf("wrote %s and %s: int %s_act(const float *obs, float *q_out)%s\n", out, h_path,
               name, int8 ? ", int8 weights" : "");
    else if (is_onnx)
        printf("wrote %s: ONNX opset %d, obs[batch, %d] -> q[batch, %d], action[batch]\n", out,
               DQ_ONNX_OPSET, r.env->obs_space.size, (int)r.env->act_space.n);
    int rc = 0;
    if (n_check) {
        check_set cs = {0};
        if (!check_set_make(&cs, &r, (long)n_check)) rc = 1;
        else if (dump && is_c && !check_set_dump(&cs, dump)) rc = 1;
        else if (is_c) {
            const char *hb = strrchr(h_path, '/');
            rc = check_c(&cs, r.cfg.env_id, out, hb ? hb + 1 : h_path, name, cc);
        } else {
            const dq_act act = dq_dqn_get_def(r.ag)->activation;
            rc = check_python(&cs, r.cfg.env_id, format, out, dump,
                              act == DQ_ACT_TANH ? "tanh" : "relu");
        }
        check_set_free(&cs);
    }
    dq_run_free(&r);
    return rc;
}
