/* deepq/export.h — take a trained DQN's greedy policy out of deepq.
 *
 * dq_export_c writes the online Q-network and its head (dueling aggregation, C51 expectation;
 * noisy layers at their mean) as one dependency-free C99 source file and its header:
 *
 *   #include "policy.h"
 *   float q[POLICY_N_ACTIONS];
 *   int a = policy_act(obs, q);          (q may be NULL)
 *
 * Weights are `static const` arrays, nothing is allocated and nothing global changes; the
 * header states the stack the call needs (POLICY_STACK_BYTES). The float32 forward sums in
 * the order of deepq's AVX2/FMA acting kernel (8 FMA lanes per row, a fixed pairwise reduction;
 * fmaf is correctly rounded, so every IEEE-754 target gets the same bits) and the C51 head uses
 * the same exp polynomial as deepq: with contraction off (ISO -std=c99, which is GCC's default
 * there; the file sets the clang pragma) the Q-values are bit-identical to dq_dqn_greedy's on an
 * x86-64 with AVX2+FMA (deepq's kernel; without AVX2 deepq sums sequentially instead).
 * float64 networks are written as double arrays with deepq's sequential float64 loop.
 *
 * def.int8 stores each weight row as int8 with one float scale (max |w| / 127): 4x smaller,
 * Q-values then differ from deepq's; `deepq export --check` reports the action agreement. */
#ifndef DEEPQ_EXPORT_H
#define DEEPQ_EXPORT_H

#include "deepq/common.h"
#include "deepq/dqn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_export_def {
    const char *name;    /* C identifier prefixing every symbol (NAME_act, NAME_H) [policy] */
    bool int8;           /* int8 weights with per-row float scales (float32 nets only) [false] */
    const char *comment; /* one line written at the top of both files (e.g. the source), or
                            NULL */
    uint32_t magic_;     /* set by dq_export_def_default */
} dq_export_def;

/* Defaults (see the brackets above). */
DQ_API dq_export_def dq_export_def_default(void);

/* Write ag's greedy policy as C99 source c_path and header h_path (both atomically); the .c
 * includes the header by h_path's file name. DQ_EINVAL for a bad name, DQ_EUNSUPPORTED for a
 * non-finite weight or int8 of a float64 network. */
DQ_API dq_status dq_export_c(const dq_dqn *ag, const dq_export_def *def, const char *c_path,
                      const char *h_path, dq_error *err);

/* ONNX opset of dq_export_onnx's models. */
#define DQ_ONNX_OPSET 13

/* Write ag's Q-network and head as an ONNX model (opset DQ_ONNX_OPSET, IR 8): input
 * obs[batch, obs_dim] float32, outputs q[batch, n_actions] float32 and action[batch] int64
 * (first maximum). doc (or NULL) goes into the model's doc_string. Written atomically through
 * protobuf-c and ONNX's own onnx.proto; DQ_EUNSUPPORTED when deepq was built without them. */
DQ_API dq_status dq_export_onnx(const dq_dqn *ag, const char *path, const char *doc, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
