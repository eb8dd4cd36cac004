/* sweep_mpi.c — the CLI's MPI layer (see dist.h) on MPI: start/stop, and the sweep's work-queue
 * messages between rank 0 and the workers. Waits poll with short sleeps instead of MPI's
 * blocking calls, which spin a core: on a node the ranks share with the runs they start, a
 * spinning rank would halve a run's speed. */
#include <mpi.h>
#include <stdlib.h>
#include <time.h>

#include "dist.h"

enum { TAG_REQUEST = 17001, TAG_ASSIGN = 17002 };

static void nap(void) {
    struct timespec t = {0, 5 * 1000 * 1000}; /* 5 ms: far below a run's seconds */
    nanosleep(&t, NULL);
}

bool dq_dist_built(void) { return true; }

bool dq_dist_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

dq_status dq_dist_init(int *rank, int *size, dq_error *err) {
    int ok = 0;
    MPI_Initialized(&ok);
    if (!ok && MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return dq_fail(err, DQ_EIO, "MPI_Init failed (start deepq with mpirun -np N)");
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return DQ_OK;
}

/* Wait for req to complete, sleeping between tests. */
static void wait_sleeping(MPI_Request *req, MPI_Status *status) {
    for (int done = 0;;) {
        MPI_Test(req, &done, status);
        if (done) return;
        nap();
    }
}

void dq_dist_finalize(void) {
    int ok = 0;
    MPI_Initialized(&ok);
    if (!ok) return;
    MPI_Request req;
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    wait_sleeping(&req, MPI_STATUS_IGNORE);
    MPI_Finalize();
}

void dq_dist_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

dq_status dq_dist_poll(bool *got, int *from, int *kind, int *run, int *state, dq_error *err) {
    int flag = 0;
    MPI_Status status;
    *got = false;
    MPI_Iprobe(MPI_ANY_SOURCE, TAG_REQUEST, MPI_COMM_WORLD, &flag, &status);
    if (!flag) return DQ_OK;
    int32_t msg[4];
    MPI_Recv(msg, 4, MPI_INT32_T, status.MPI_SOURCE, TAG_REQUEST, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (msg[0] != DQ_DIST_SWEEP_VERSION)
        return dq_fail(err, DQ_EFORMAT, "rank %d speaks sweep protocol version %d, rank 0 "
                                        "version %d: run the same deepq build on every rank",
                       status.MPI_SOURCE, (int)msg[0], DQ_DIST_SWEEP_VERSION);
    *got = true;
    *from = status.MPI_SOURCE;
    *kind = msg[1];
    *run = msg[2];
    *state = msg[3];
    return DQ_OK;
}

dq_status dq_dist_assign(int to, int run, dq_error *err) {
    int32_t msg[2] = {DQ_DIST_SWEEP_VERSION, run};
    if (MPI_Send(msg, 2, MPI_INT32_T, to, TAG_ASSIGN, MPI_COMM_WORLD) != MPI_SUCCESS)
        return dq_fail(err, DQ_EIO, "MPI_Send to rank %d failed", to);
    return DQ_OK;
}

dq_status dq_dist_request(int kind, int run, int state, int *next, dq_error *err) {
    int32_t msg[4] = {DQ_DIST_SWEEP_VERSION, kind, run, state};
    *next = -1;
    if (MPI_Send(msg, 4, MPI_INT32_T, 0, TAG_REQUEST, MPI_COMM_WORLD) != MPI_SUCCESS)
        return dq_fail(err, DQ_EIO, "MPI_Send to rank 0 failed");
    if (kind == DQ_DIST_MSG_BYE) return DQ_OK;
    int32_t ans[2];
    MPI_Request req;
    MPI_Irecv(ans, 2, MPI_INT32_T, 0, TAG_ASSIGN, MPI_COMM_WORLD, &req);
    wait_sleeping(&req, MPI_STATUS_IGNORE);
    if (ans[0] != DQ_DIST_SWEEP_VERSION)
        return dq_fail(err, DQ_EFORMAT, "rank 0 speaks sweep protocol version %d, this rank "
                                        "version %d: run the same deepq build on every rank",
                       (int)ans[0], DQ_DIST_SWEEP_VERSION);
    *next = ans[1];
    return DQ_OK;
}
