/* dist.h — the CLI's MPI layer: cli/mpi/sweep_mpi.c when CMake's FindMPI found MPI, else
 * cli/mpi/nompi.c, whose functions say how to get MPI. Only these files include mpi.h; the
 * rest of the CLI (and libdeepq) builds without it.
 *
 * The sweep protocol: every rank builds the same plan from the same arguments, so messages
 * carry run indices only. A worker sends REQUEST {version, kind, run, state} (run -1 on its
 * first request) and rank 0 answers ASSIGN {version, run} (run -1: no work left, stop). */
#ifndef DQ_CLI_DIST_H
#define DQ_CLI_DIST_H

#include <stdbool.h>

#include "deepq/common.h"

/* Layout version of every sweep message; ranks of different builds refuse each other. */
enum { DQ_DIST_SWEEP_VERSION = 1 };

/* Kinds of a worker's message to rank 0. */
enum { DQ_DIST_MSG_RESULT = 1, /* "run (or -1) ended in state; give me work" */
       DQ_DIST_MSG_BYE = 2 };  /* "run ended in state; I was interrupted and leave" */

/* True when this deepq was built with MPI. */
bool dq_dist_built(void);
/* True when the process was started by mpirun/srun (an MPI launcher's variables are set). */
bool dq_dist_launched(void);
/* Start MPI; *rank and *size of MPI_COMM_WORLD. Without MPI: DQ_EUNSUPPORTED saying how to
 * get it. */
dq_status dq_dist_init(int *rank, int *size, dq_error *err);
/* Leave MPI after a barrier that sleeps between polls (a busy barrier would steal the CPU of
 * the runs other ranks still train). */
void dq_dist_finalize(void);
/* Abort every rank with code (after an error only one rank sees). */
void dq_dist_abort(int code);
/* Rank 0: take one pending worker message if any (*got false when none): the sender, its
 * kind, the run it reports (-1: none) and that run's final state. */
dq_status dq_dist_poll(bool *got, int *from, int *kind, int *run, int *state, dq_error *err);
/* Rank 0: answer worker `to` with a run index (-1: stop). */
dq_status dq_dist_assign(int to, int run, dq_error *err);
/* Worker: report (run, state) with kind and, for DQ_DIST_MSG_RESULT, wait (sleeping between
 * polls) for the next run index, written to *next (-1: stop). */
dq_status dq_dist_request(int kind, int run, int state, int *next, dq_error *err);

/* `deepq train ... --distributed apex` (cli/mpi/apex_mpi.c; without MPI: how to get it). */
int dq_cmd_train_distributed(int argc, char **argv);

#endif
