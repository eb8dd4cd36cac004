/* npflavour.c — the env options `math` and `numpy`: which NumPy's float64 sin/cos and type
 * promotion an env reproduces (see npmath.h and docs/ENVIRONMENTS.md, "Math flavours"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/npmath.h"

bool dq_np_cpu_avx512_skx(void) {
#if defined(__GNUC__) && defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

/* "2", "2.4", "1.24", "1.26.4" -> major, minor (absent minor: 0). */
static bool parse_version(const char *v, int *major, int *minor) {
    char *end;
    long ma = strtol(v, &end, 10), mi = 0;
    if (end == v) return false;
    if (*end == '.') {
        const char *p = end + 1;
        mi = strtol(p, &end, 10);
        if (end == p) return false;
        if (*end == '.') { /* a patch number does not matter here */
            p = end + 1;
            strtol(p, &end, 10);
            if (end == p) return false;
        }
    }
    if (*end || ma < 1 || ma > 3 || mi < 0 || mi > 99) return false;
    *major = (int)ma, *minor = (int)mi;
    return true;
}

dq_status dq_np_flavour_read(const dq_kwargs *kw, dq_np_flavour *out, dq_error *err) {
    int major = 2, minor = 0;
    const char *nv = dq_kwargs_get(kw, "numpy");
    if (nv && (!parse_version(nv, &major, &minor) || (major == 1 && minor == 0)))
        return dq_fail(err, DQ_EINVAL,
                       "option numpy=%s: expected the NumPy version to follow, e.g. 2, 1.26 or "
                       "1.24", nv);
    const char *m = dq_kwargs_get(kw, "math");
    if (!m) m = "numpy";
    /* NumPy 1.22-1.24 dispatch float64 sin/cos to SVML on AVX512_SKX; 1.25 went back to libm
     * (loops_trigonometric.dispatch: "Disable SIMD code sin/cos f64 and revert to libm"). */
    bool numpy_svml = major == 1 && minor >= 22 && minor <= 24 && dq_np_cpu_avx512_skx();
    if (!strcmp(m, "numpy")) out->svml = numpy_svml;
    else if (!strcmp(m, "svml")) out->svml = true;
    else if (!strcmp(m, "libm")) out->svml = false;
    else
        return dq_fail(err, DQ_EINVAL, "option math=%s: expected numpy, svml or libm", m);
    out->nep50 = major >= 2;
    return DQ_OK;
}

void dq_env_flavour(const dq_env *env, char *buf, size_t cap) {
    if (cap == 0) return;
    buf[0] = '\0';
    bool has_math = false, has_numpy = false;
    for (const char *const *o = env->type->options; o && *o; o++) {
        has_math |= !strcmp(*o, "math");
        has_numpy |= !strcmp(*o, "numpy");
    }
    if (!has_numpy) return;
    dq_np_flavour f;
    dq_error err;
    if (dq_np_flavour_read(&env->kwargs, &f, &err)) return;
    const char *m = dq_kwargs_get(&env->kwargs, "math");
    const char *v = dq_kwargs_get(&env->kwargs, "numpy");
    if (has_math)
        snprintf(buf, cap, "%s sin/cos (math=%s, numpy=%s%s), NumPy %s promotion",
                 f.svml ? "SVML" : "libm", m ? m : "numpy", v ? v : "2",
                 (!m || !strcmp(m, "numpy")) ? (dq_np_cpu_avx512_skx() ? ", CPU has AVX512_SKX"
                                                                      : ", CPU lacks AVX512_SKX")
                                             : "",
                 f.nep50 ? "2" : "1");
    else
        snprintf(buf, cap, "NumPy %s promotion (numpy=%s)", f.nep50 ? "2" : "1", v ? v : "2");
}
