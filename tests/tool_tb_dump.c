/* tool_tb_dump.c — helper of tests/cli_dqn.sh: reads a TensorBoard event file with deepq's own
 * reader (dq_tb_read_scalars) and prints one "TAG STEP VALUE" line per scalar, so the script can
 * check that a run folder's events carry SB3's scalar names. Usage: tool_tb_dump EVENTS_FILE */
#include <stdio.h>
#include <stdlib.h>

#include "deepq/tb.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tool_tb_dump EVENTS_FILE\n");
        return 2;
    }
    dq_tb_scalar *sc = NULL; /* [n] scalars, owned here */
    size_t n = 0;
    dq_error err;
    if (dq_tb_read_scalars(argv[1], &sc, &n, &err)) {
        fprintf(stderr, "tool_tb_dump: %s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s %lld %.9g\n", sc[i].tag, (long long)sc[i].step, (double)sc[i].value);
    free(sc);
    return 0;
}
