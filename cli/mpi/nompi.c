/* nompi.c — the CLI's MPI layer (see dist.h) in a build without MPI: every entry says how to
 * get it. */
#include <stdlib.h>

#include "cli.h"
#include "dist.h"

static const char *HOW =
    "this deepq was built without MPI: install Open MPI (Debian: apt-get install openmpi-bin "
    "libopenmpi-dev), re-run cmake (its FindMPI then finds it) and rebuild";

bool dq_dist_built(void) { return false; }

bool dq_dist_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

dq_status dq_dist_init(int *rank, int *size, dq_error *err) {
    *rank = 0, *size = 1;
    return dq_fail(err, DQ_EUNSUPPORTED, "%s", HOW);
}

void dq_dist_finalize(void) {}

void dq_dist_abort(int code) { exit(code); }

dq_status dq_dist_poll(bool *got, int *from, int *kind, int *run, int *state, dq_error *err) {
    *got = false;
    (void)from, (void)kind, (void)run, (void)state;
    return dq_fail(err, DQ_EUNSUPPORTED, "%s", HOW);
}

dq_status dq_dist_assign(int to, int run, dq_error *err) {
    (void)to, (void)run;
    return dq_fail(err, DQ_EUNSUPPORTED, "%s", HOW);
}

dq_status dq_dist_request(int kind, int run, int state, int *next, dq_error *err) {
    (void)kind, (void)run, (void)state;
    *next = -1;
    return dq_fail(err, DQ_EUNSUPPORTED, "%s", HOW);
}

int dq_cmd_train_distributed(int argc, char **argv) {
    (void)argc, (void)argv;
    return dq_cli_die(2, "--distributed: %s", HOW);
}
