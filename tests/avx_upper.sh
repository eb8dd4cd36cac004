#!/bin/bash
# avx_upper.sh — every function of the library that runs 256-bit AVX instructions ends with
# vzeroupper. GCC adds one only when a ymm register is written; a function that merely reads
# 256-bit memory into an xmm result (vcvtpd2ps ymm->xmm) leaves the upper state dirty on Intel
# cores, and all legacy-SSE code after it merges into the registers' upper halves: it made the
# batched CartPole 11x slower (docs/BENCHMARKS.md, "Environments"). Usage: avx_upper.sh OBJDUMP LIB
set -u
OBJDUMP=$1 LIB=$2
bad=$("$OBJDUMP" -d --no-show-raw-insn "$LIB" | awk '
/^[0-9a-f]+ <.*>:$/ { fn = $2; wide = 0; vz = 0; n++; next }
/%ymm|%zmm|2psy|2dqy|2udqy/ { wide = 1; w++ }
/vzeroupper/ { vz = 1 }
/\tret/ { if (wide && !vz) bad[fn] = 1; vz = 0 }
END { for (f in bad) print f; if (n < 100 || w < 100) print "(too few functions/wide instructions read: " n "/" w ")" }')
if [ -n "$bad" ]; then
    echo "avx_upper: returns without vzeroupper after 256-bit instructions: $bad" >&2
    exit 1
fi
echo "avx_upper: every function with 256-bit instructions ends with vzeroupper"
