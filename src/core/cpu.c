/* cpu.c — run-time CPU feature checks (see core/cpu.h). */
#include "core/cpu.h"

bool dq_cpu_has_avx2(void) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(DQ_FORCE_PORTABLE)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}
