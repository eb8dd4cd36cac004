/* core/cpu.h — what the CPU can run, asked once per process by every hot kernel (GEMM, Adam,
 * CartPole SIMD, C51 softmax) so they agree on one answer. Library-internal. */
#ifndef DQ_CORE_CPU_H
#define DQ_CORE_CPU_H

#include <stdbool.h>

/* True when the CPU runs AVX2 and FMA (the kernels need both); false on other architectures
 * or when built with -DDQ_FORCE_PORTABLE (to test the portable fallbacks). */
bool dq_cpu_has_avx2(void);

#endif
