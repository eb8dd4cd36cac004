/* export_onnx.c — a DQN's greedy policy as an ONNX model (deepq/export.h), written through
 * protobuf-c from ONNX's own schema: CMake runs protoc-c on the onnx.proto of an installed ONNX
 * (Debian's libonnx-dev) at build time, so no protobuf encoding is written by hand here.
 *
 * Graph (opset DQ_ONNX_OPSET, IR version 8; batch dimension "batch"):
 *   obs[batch, D] float32 (-> Cast to double for float64 networks)
 *   per layer: Gemm(x, W[out, in], b, transB = 1), then Relu / Tanh on hidden layers
 *   dueling:  Reshape [batch, 1+A, N], V = Slice 0:1, Adv = Slice 1:1+A on axis 1,
 *             Add(V, Sub(Adv, ReduceMean(Adv, axis 1)))
 *   C51:      Reshape [batch, A, N], Softmax on the atoms, MatMul with the support z[N]
 *   q[batch, A] float32, action[batch] int64 = ArgMax(q, axis 1) (first maximum, as deepq)
 * Tensors are stored as raw little-endian data (every target deepq builds for). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/export.h"
#include "deepq/fsio.h"
#include "rl/dqn_internal.h"

#ifdef DQ_HAVE_ONNX
#include <onnx.pb-c.h> /* generated at build time from ONNX's onnx.proto (CMakeLists.txt) */

#define NMAX 64 /* nodes, initializers, attributes: a 9-layer Rainbow net needs ~40 */

/* Every message of the model lives in this one struct (the weights stay in the agent). */
typedef struct onnx_builder {
    Onnx__NodeProto node[NMAX], *nodep[NMAX];
    char *node_in[NMAX][4], *node_out[NMAX][1];
    Onnx__AttributeProto attr[NMAX], *attrp[NMAX];
    Onnx__TensorProto init[NMAX], *initp[NMAX];
    int64_t init_dims[NMAX][3];
    int64_t consts[NMAX][3]; /* small int64 initializers (shapes, slice bounds) */
    char names[3 * NMAX][24];
    int n_node, n_attr, n_init, n_names, n_const;
    bool overflow;
} onnx_builder;

static char *fresh_name(onnx_builder *b, const char *stem) {
    if (b->n_names >= 3 * NMAX) {
        b->overflow = true;
        return "overflow";
    }
    char *s = b->names[b->n_names];
    snprintf(s, sizeof b->names[0], "%s%d", stem, b->n_names++);
    return s;
}

/* Add node op(i0, ..., i{n_in-1}) -> out (out NULL: a fresh name); returns the output's name. */
static char *add_node(onnx_builder *b, const char *op, int n_in, char *i0, char *i1, char *i2,
                      char *i3, char *out) {
    if (b->n_node >= NMAX) {
        b->overflow = true;
        return "overflow";
    }
    const int k = b->n_node++;
    Onnx__NodeProto *n = &b->node[k];
    onnx__node_proto__init(n);
    b->nodep[k] = n;
    b->node_in[k][0] = i0;
    b->node_in[k][1] = i1;
    b->node_in[k][2] = i2;
    b->node_in[k][3] = i3;
    b->node_out[k][0] = out ? out : fresh_name(b, "t");
    n->n_input = (size_t)n_in;
    n->input = b->node_in[k];
    n->n_output = 1;
    n->output = b->node_out[k];
    n->op_type = (char *)op;
    n->name = fresh_name(b, "n");
    return b->node_out[k][0];
}

/* Attach an integer attribute to the last node. */
static void add_attr_int(onnx_builder *b, const char *name, int64_t v) {
    if (b->n_attr >= NMAX || b->n_node == 0) {
        b->overflow = true;
        return;
    }
    Onnx__AttributeProto *a = &b->attr[b->n_attr];
    onnx__attribute_proto__init(a);
    a->name = (char *)name;
    a->has_type = 1;
    a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
    a->has_i = 1;
    a->i = v;
    b->attrp[b->n_attr] = a;
    Onnx__NodeProto *n = &b->node[b->n_node - 1];
    if (n->n_attribute == 0) n->attribute = &b->attrp[b->n_attr];
    n->n_attribute++;
    b->n_attr++;
}

/* Attach a one-element ints attribute to the last node. */
static void add_attr_ints1(onnx_builder *b, const char *name, int64_t v) {
    if (b->n_attr >= NMAX || b->n_node == 0 || b->n_const >= NMAX) {
        b->overflow = true;
        return;
    }
    int64_t *c = b->consts[b->n_const++];
    c[0] = v;
    Onnx__AttributeProto *a = &b->attr[b->n_attr];
    onnx__attribute_proto__init(a);
    a->name = (char *)name;
    a->has_type = 1;
    a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
    a->n_ints = 1;
    a->ints = c;
    b->attrp[b->n_attr] = a;
    Onnx__NodeProto *n = &b->node[b->n_node - 1];
    if (n->n_attribute == 0) n->attribute = &b->attrp[b->n_attr];
    n->n_attribute++;
    b->n_attr++;
}

/* Initializer `name` [dims] of elem_type over data (borrowed). */
static char *add_init(onnx_builder *b, const char *stem, int elem_type, int nd, const int64_t *dims,
                      const void *data, size_t bytes) {
    if (b->n_init >= NMAX) {
        b->overflow = true;
        return "overflow";
    }
    const int k = b->n_init++;
    Onnx__TensorProto *t = &b->init[k];
    onnx__tensor_proto__init(t);
    memcpy(b->init_dims[k], dims, sizeof(int64_t) * (size_t)nd);
    t->n_dims = (size_t)nd;
    t->dims = b->init_dims[k];
    t->has_data_type = 1;
    t->data_type = elem_type;
    t->name = fresh_name(b, stem);
    t->has_raw_data = 1;
    t->raw_data.len = bytes;
    t->raw_data.data = (uint8_t *)data;
    b->initp[k] = t;
    return t->name;
}

/* A 1-D int64 initializer of up to 3 values. */
static char *add_ints(onnx_builder *b, const char *stem, int n, int64_t v0, int64_t v1,
                      int64_t v2) {
    if (b->n_const >= NMAX) {
        b->overflow = true;
        return "overflow";
    }
    int64_t *c = b->consts[b->n_const++];
    c[0] = v0;
    c[1] = v1;
    c[2] = v2;
    const int64_t d[1] = {n};
    return add_init(b, stem, ONNX__TENSOR_PROTO__DATA_TYPE__INT64, 1, d, c, sizeof(int64_t) * n);
}

/* A ValueInfo obs/q/action: elem_type [batch(, width)]. */
typedef struct io_info {
    Onnx__ValueInfoProto vi;
    Onnx__TypeProto tp;
    Onnx__TypeProto__Tensor tt;
    Onnx__TensorShapeProto shape;
    Onnx__TensorShapeProto__Dimension dim[2], *dimp[2];
} io_info;

static Onnx__ValueInfoProto *io_make(io_info *io, const char *name, int elem_type, int width) {
    onnx__value_info_proto__init(&io->vi);
    onnx__type_proto__init(&io->tp);
    onnx__type_proto__tensor__init(&io->tt);
    onnx__tensor_shape_proto__init(&io->shape);
    for (int i = 0; i < 2; i++) {
        onnx__tensor_shape_proto__dimension__init(&io->dim[i]);
        io->dimp[i] = &io->dim[i];
    }
    io->dim[0].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
    io->dim[0].dim_param = "batch";
    io->dim[1].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
    io->dim[1].dim_value = width;
    io->shape.n_dim = width > 0 ? 2 : 1;
    io->shape.dim = io->dimp;
    io->tt.has_elem_type = 1;
    io->tt.elem_type = elem_type;
    io->tt.shape = &io->shape;
    io->tp.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    io->tp.tensor_type = &io->tt;
    io->vi.name = (char *)name;
    io->vi.type = &io->tp;
    return &io->vi;
}

dq_status dq_export_onnx(const dq_dqn *ag, const char *path, const char *doc, dq_error *err) {
    if (!ag || !path) return dq_fail(err, DQ_EINVAL, "dq_export_onnx: agent and path required");
    const dq_mlp m = dqn_rainbow_mean_net(ag, false);
    const bool f64 = m.def.dtype == DQ_F64;
    const int A = ag->n_actions, N = ag->n_atoms, es = f64 ? 8 : 4;
    const int T =
        f64 ? ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE : ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    onnx_builder *b = calloc(1, sizeof *b);
    float *z = ag->def.distributional ? malloc(sizeof(float) * (size_t)N) : NULL;
    if (!b || (ag->def.distributional && !z)) {
        free(b);
        free(z);
        return dq_fail(err, DQ_ENOMEM, "export onnx: out of memory");
    }
    char *x = "obs";
    if (f64) {
        x = add_node(b, "Cast", 1, x, NULL, NULL, NULL, NULL);
        add_attr_int(b, "to", ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE);
    }
    for (int l = 0; l < m.n_layers; l++) {
        const int64_t wd[2] = {m.dims[l + 1], m.dims[l]}, bd[1] = {m.dims[l + 1]};
        char *W = add_init(b, "W", T, 2, wd, (const char *)m.params + m.w_off[l] * es,
                           (size_t)wd[0] * wd[1] * es);
        char *B = add_init(b, "b", T, 1, bd, (const char *)m.params + m.b_off[l] * es,
                           (size_t)bd[0] * es);
        x = add_node(b, "Gemm", 3, x, W, B, NULL, NULL);
        add_attr_int(b, "transB", 1);
        const dq_act a = l + 1 < m.n_layers ? m.def.act : m.def.out_act;
        if (a == DQ_ACT_RELU) x = add_node(b, "Relu", 1, x, NULL, NULL, NULL, NULL);
        else if (a == DQ_ACT_TANH) x = add_node(b, "Tanh", 1, x, NULL, NULL, NULL, NULL);
    }
    if (f64) { /* heads are float32 only (as Rainbow is): cast back after the last layer */
        x = add_node(b, "Cast", 1, x, NULL, NULL, NULL, NULL);
        add_attr_int(b, "to", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT);
    }
    const bool c51 = ag->def.distributional;
    if (ag->def.dueling) {
        char *h = add_node(b, "Reshape", 2, x, add_ints(b, "shape", 3, -1, 1 + A, N), NULL, NULL,
                           NULL);
        char *axis1 = add_ints(b, "axis", 1, 1, 0, 0);
        char *V = add_node(b, "Slice", 4, h, add_ints(b, "start", 1, 0, 0, 0),
                           add_ints(b, "end", 1, 1, 0, 0), axis1, NULL);
        char *Adv = add_node(b, "Slice", 4, h, add_ints(b, "start", 1, 1, 0, 0),
                             add_ints(b, "end", 1, 1 + A, 0, 0), axis1, NULL);
        char *mean = add_node(b, "ReduceMean", 1, Adv, NULL, NULL, NULL, NULL);
        add_attr_int(b, "keepdims", 1);
        add_attr_ints1(b, "axes", 1); /* opset 13: an attribute (an input from opset 18) */
        char *centred = add_node(b, "Sub", 2, Adv, mean, NULL, NULL, NULL);
        x = add_node(b, "Add", 2, V, centred, NULL, NULL, NULL); /* [batch, A, N] */
        if (!c51) x = add_node(b, "Reshape", 2, x, add_ints(b, "shape", 2, -1, A, 0), NULL, NULL,
                               "q");
    }
    if (c51) {
        for (int j = 0; j < N; j++) /* as heads_impl.h: (float)(v_min + j dz) */
            z[j] = (float)(ag->c51.v_min + j * ((ag->c51.v_max - ag->c51.v_min) / (N - 1)));
        if (!ag->def.dueling)
            x = add_node(b, "Reshape", 2, x, add_ints(b, "shape", 3, -1, A, N), NULL, NULL, NULL);
        char *p = add_node(b, "Softmax", 1, x, NULL, NULL, NULL, NULL);
        add_attr_int(b, "axis", -1);
        const int64_t zd[1] = {N};
        char *zt = add_init(b, "z", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, 1, zd, z,
                            sizeof(float) * (size_t)N);
        x = add_node(b, "MatMul", 2, p, zt, NULL, NULL, "q");
    }
    if (!ag->def.dueling && !c51) x = add_node(b, "Identity", 1, x, NULL, NULL, NULL, "q");
    add_node(b, "ArgMax", 1, x, NULL, NULL, NULL, "action");
    add_attr_int(b, "axis", 1);
    add_attr_int(b, "keepdims", 0);

    dq_status st = DQ_OK;
    uint8_t *buf = NULL;
    if (b->overflow) {
        st = dq_fail(err, DQ_EUNSUPPORTED, "export onnx: network too deep for the graph builder");
    } else {
        io_info in, out_q, out_a;
        Onnx__ValueInfoProto *inputs[1] = {io_make(&in, "obs", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT,
                                                   m.dims[0])};
        Onnx__ValueInfoProto *outputs[2] = {
            io_make(&out_q, "q", ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, A),
            io_make(&out_a, "action", ONNX__TENSOR_PROTO__DATA_TYPE__INT64, 0)};
        Onnx__GraphProto g;
        onnx__graph_proto__init(&g);
        g.name = "deepq_greedy_policy";
        g.n_node = (size_t)b->n_node;
        g.node = b->nodep;
        g.n_initializer = (size_t)b->n_init;
        g.initializer = b->initp;
        g.n_input = 1;
        g.input = inputs;
        g.n_output = 2;
        g.output = outputs;
        Onnx__OperatorSetIdProto ops;
        onnx__operator_set_id_proto__init(&ops);
        ops.domain = "";
        ops.has_version = 1;
        ops.version = DQ_ONNX_OPSET;
        Onnx__OperatorSetIdProto *opsp[1] = {&ops};
        Onnx__ModelProto model;
        onnx__model_proto__init(&model);
        model.has_ir_version = 1;
        model.ir_version = 8;
        model.n_opset_import = 1;
        model.opset_import = opsp;
        model.producer_name = "deepq";
        model.producer_version = DQ_VERSION;
        model.doc_string = (char *)(doc ? doc : "");
        model.graph = &g;
        const size_t len = onnx__model_proto__get_packed_size(&model);
        buf = malloc(len ? len : 1);
        if (!buf) st = dq_fail(err, DQ_ENOMEM, "export onnx: out of memory (%zu bytes)", len);
        else if (onnx__model_proto__pack(&model, buf) != len)
            st = dq_fail(err, DQ_EFORMAT, "export onnx: protobuf-c packed a wrong size");
        else st = dq_write_file_atomic(path, buf, len, err);
    }
    free(buf);
    free(b);
    free(z);
    return st;
}
#else
dq_status dq_export_onnx(const dq_dqn *ag, const char *path, const char *doc, dq_error *err) {
    (void)ag, (void)path, (void)doc;
    return dq_fail(err, DQ_EUNSUPPORTED,
                   "this deepq was built without ONNX export: install protobuf-c-compiler, "
                   "libprotobuf-c-dev and libonnx-dev (make deps) and re-run cmake");
}
#endif
