"""The router's numeric part as an ONNX graph, and running it with onnxruntime.

Graph (inputs are built by the featurizer in Python):

    rows  int64 [K]     distinct n-gram rows used by the batch
    coef  float [B, K]  tf-idf value of each row in each prompt
    dense float [B, D]  the static-vector block (only when the featurizer has one)
    W     int8  [F+1, C] quantised weights (row F is all zero: padding for empty prompts)
    scale float [F+1]   per-row dequantisation scale

    logits = (coef * scale[rows]) @ float(W[rows]) [+ dense @ W_dense] + bias
    probs  = softmax(logits / temperature)

With the hidden-layer model (build_mlp_model) the gathered rows are those of
W1 and feed relu(...) @ W2; the inputs and outputs stay the same, so the
runtime side (model.py) does not know which model it runs.

Only rows a prompt touches are gathered, so a call costs O(K x C) whatever F is.
Weights are int8 with one scale per row: 4x smaller than float32, and the
routing decisions do not move (checked at training time).
"""
from __future__ import annotations

import numpy as np
from slm.router import onnx_proto

OPSET = 17


def quantize_rows(weights: np.ndarray, bits: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-row quantisation to ``bits`` (8 or 4): (int8 matrix, float32 scales)."""
    if bits not in (4, 8):
        raise ValueError(f"weights are stored in 8 or 4 bits, not {bits}")
    top = 2 ** (bits - 1) - 1
    peak = np.abs(weights).max(axis=1)
    scale = np.where(peak > 0, peak / top, 1.0).astype(np.float32)
    q = np.clip(np.rint(weights / scale[:, None]), -top, top).astype(np.int8)
    return q, scale


def build_model(weights: np.ndarray, bias: np.ndarray, temperature: float, bits: int = 8,
                n_dense: int = 0) -> bytes:
    """Serialize the router graph for float weights (F, C), the last ``n_dense`` rows fed by
    the ``dense`` input; returns ONNX bytes."""
    nodes, inits = [], [onnx_proto.from_array(np.asarray(bias, dtype=np.float32), "bias")]
    _gathered_matmul("W", weights, "raw", nodes, inits, bits, n_dense)
    return _finish(nodes, inits, np.shape(weights)[1], "raw", "bias", temperature, n_dense)


def build_mlp_model(w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                    temperature: float, linear: tuple[np.ndarray, np.ndarray] | None = None,
                    bits: int = 8, n_dense: int = 0) -> bytes:
    """Serialize the one-hidden-layer router (see mlp.py); same inputs and outputs as build_model.

        hidden = relu((coef * scale1[rows]) @ float(W1[rows]) + b1)
        logits = hidden @ W2 + b2  [+ (coef * scale[rows]) @ float(W[rows]) + bias]

    The bracket is an optional linear model over the same rows (an ensemble: the
    caller has already weighted both parts). W1 and W are int8 with one scale per
    row; W2 is float16.
    """
    n_classes = np.shape(b2)[0]
    inits = [
        onnx_proto.from_array(np.asarray(b1, dtype=np.float32), "b1"),
        onnx_proto.from_array(np.asarray(w2, dtype=np.float16), "W2_half"),
    ]
    nodes: list = []
    _gathered_matmul("W1", w1, "pre", nodes, inits, bits, n_dense)
    nodes += [
        onnx_proto.make_node("Add", ["pre", "b1"], ["pre_b"]),
        onnx_proto.make_node("Relu", ["pre_b"], ["hidden"]),
        onnx_proto.make_node("Cast", ["W2_half"], ["W2"], to=onnx_proto.TensorProto.FLOAT),
        onnx_proto.make_node("MatMul", ["hidden", "W2"], ["raw_mlp"]),
    ]
    bias = np.asarray(b2, dtype=np.float32)
    raw = "raw_mlp"
    if linear is not None:  # both parts gather the same rows; their biases fold into one
        _gathered_matmul("W", linear[0], "raw_lin", nodes, inits, bits, n_dense)
        nodes.append(onnx_proto.make_node("Add", ["raw_mlp", "raw_lin"], ["raw"]))
        bias, raw = bias + np.asarray(linear[1], dtype=np.float32), "raw"
    inits.append(onnx_proto.from_array(bias, "bias"))
    return _finish(nodes, inits, n_classes, raw, "bias", temperature, n_dense)


def _gathered_matmul(name: str, weights: np.ndarray, out: str, nodes: list, inits: list, bits: int = 8,
                     n_dense: int = 0) -> None:
    """Append ``out = (coef * scale[rows]) @ float(W[rows]) [+ dense @ W_dense]`` for float
    weights (F, k): W int8 with one scale per row (initializers ``name`` and ``name_scale``),
    plus row F - n_dense all zero, the padding row an empty prompt gathers.

    The last ``n_dense`` rows (the static-vector block, which every prompt uses) are not
    gathered but multiplied with the ``dense`` input: a gather would copy them on every call."""
    weights = np.asarray(weights, dtype=np.float32)
    sparse, dense = weights[:len(weights) - n_dense], weights[len(weights) - n_dense:]
    q, scale = quantize_rows(sparse, bits)
    q = np.vstack([q, np.zeros((1, q.shape[1]), dtype=np.int8)])
    scale = np.concatenate([scale, np.zeros(1, dtype=np.float32)])
    inits.append(onnx_proto.from_array(scale, f"{name}_scale"))
    _stored_int8(name, q, bits, nodes, inits)
    gathered = f"{name}_sparse" if n_dense else out
    nodes += [
        onnx_proto.make_node("Gather", [name, "rows"], [f"{name}_rows_q"], axis=0),
        onnx_proto.make_node("Cast", [f"{name}_rows_q"], [f"{name}_rows"], to=onnx_proto.TensorProto.FLOAT),
        onnx_proto.make_node("Gather", [f"{name}_scale", "rows"], [f"{name}_row_scale"], axis=0),
        onnx_proto.make_node("Mul", ["coef", f"{name}_row_scale"], [f"{name}_coef"]),
        onnx_proto.make_node("MatMul", [f"{name}_coef", f"{name}_rows"], [gathered]),
    ]
    if n_dense:
        qd, sd = quantize_rows(dense, bits)
        inits.append(onnx_proto.from_array(sd.reshape(-1, 1), f"{name}_d_scale"))
        _stored_int8(f"{name}_d", qd, bits, nodes, inits)
        nodes += [  # dequantised once, when onnxruntime folds the constants
            onnx_proto.make_node("Cast", [f"{name}_d"], [f"{name}_d_q"], to=onnx_proto.TensorProto.FLOAT),
            onnx_proto.make_node("Mul", [f"{name}_d_q", f"{name}_d_scale"], [f"{name}_d_float"]),
            onnx_proto.make_node("MatMul", ["dense", f"{name}_d_float"], [f"{name}_dense"]),
            onnx_proto.make_node("Add", [gathered, f"{name}_dense"], [out]),
        ]


def _stored_int8(name: str, q: np.ndarray, bits: int, nodes: list, inits: list) -> None:
    """Make tensor ``name`` the int8 matrix ``q``: an initializer (8 bits), or (4 bits) two
    values per byte (``name_packed``, offset by 8; half the file for decisions that barely
    move: CLINC150 validation before rejection 94.93 % in 8 bits, 95.00 % in 4) and the nodes
    that unpack them. The unpacking reads only initializers, so onnxruntime folds it when the
    session opens: the matrix in memory, and what a call costs, are those of 8 bits."""
    if bits == 8:
        inits.append(onnx_proto.from_array(q, name))
        return
    cols = q.shape[1]
    half = (cols + 1) // 2
    biased = np.zeros((q.shape[0], 2 * half), dtype=np.uint8)
    biased[:, :cols] = (q.astype(np.int16) + 8).astype(np.uint8)
    packed = biased[:, :half] | (biased[:, half:] << 4)  # low nibble: first half of the columns
    inits += [onnx_proto.from_array(packed, f"{name}_packed"),
              onnx_proto.from_array(np.array(16.0, dtype=np.float32), f"{name}_16"),
              onnx_proto.from_array(np.array(8.0, dtype=np.float32), f"{name}_8"),
              onnx_proto.from_array(np.array([0], dtype=np.int64), f"{name}_0"),
              onnx_proto.from_array(np.array([cols], dtype=np.int64), f"{name}_cols"),
              onnx_proto.from_array(np.array([1], dtype=np.int64), f"{name}_axis")]
    p = f"{name}_u"
    nodes += [
        onnx_proto.make_node("Cast", [f"{name}_packed"], [f"{p}f"], to=onnx_proto.TensorProto.FLOAT),
        onnx_proto.make_node("Div", [f"{p}f", f"{name}_16"], [f"{p}d"]),
        onnx_proto.make_node("Floor", [f"{p}d"], [f"{p}hi"]),
        onnx_proto.make_node("Mul", [f"{p}hi", f"{name}_16"], [f"{p}hi16"]),
        onnx_proto.make_node("Sub", [f"{p}f", f"{p}hi16"], [f"{p}lo"]),
        onnx_proto.make_node("Concat", [f"{p}lo", f"{p}hi"], [f"{p}both"], axis=1),
        onnx_proto.make_node("Slice", [f"{p}both", f"{name}_0", f"{name}_cols", f"{name}_axis"], [f"{p}cols"]),
        onnx_proto.make_node("Sub", [f"{p}cols", f"{name}_8"], [f"{p}signed"]),
        onnx_proto.make_node("Cast", [f"{p}signed"], [name], to=onnx_proto.TensorProto.INT8),
    ]


def _finish(nodes: list, inits: list, n_classes: int, raw: str, bias: str, temperature: float,
            n_dense: int = 0) -> bytes:
    """The shared tail: logits = raw + bias, probs = softmax(logits / temperature)."""
    inits = inits + [onnx_proto.from_array(np.array(1.0 / float(temperature), dtype=np.float32),
                                             "inv_temperature")]
    nodes = nodes + [
        onnx_proto.make_node("Add", [raw, bias], ["logits"]),
        onnx_proto.make_node("Mul", ["logits", "inv_temperature"], ["calibrated"]),
        onnx_proto.make_node("Softmax", ["calibrated"], ["probs"], axis=-1),
    ]
    graph = onnx_proto.make_graph(
        nodes, "slm_router",
        inputs=[onnx_proto.make_tensor_value_info("rows", onnx_proto.TensorProto.INT64, ["K"]),
                onnx_proto.make_tensor_value_info("coef", onnx_proto.TensorProto.FLOAT, ["B", "K"])]
        + ([onnx_proto.make_tensor_value_info("dense", onnx_proto.TensorProto.FLOAT, ["B", n_dense])] if n_dense else []),
        outputs=[onnx_proto.make_tensor_value_info("probs", onnx_proto.TensorProto.FLOAT, ["B", n_classes]),
                 onnx_proto.make_tensor_value_info("logits", onnx_proto.TensorProto.FLOAT, ["B", n_classes])],
        initializer=inits,
    )
    return onnx_proto.make_model(graph, opset=OPSET, producer_name="slm.router")


def open_session(model: bytes | str):
    """An onnxruntime session tuned for tiny single-prompt calls (one thread, no spinning)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # basic rewrites only (constant folding, redundant nodes): the extended and layout passes
    # find nothing to fuse in these few nodes, yet were ~5 ms of every start-up's session;
    # probabilities are bit-identical to ORT_ENABLE_ALL (linear and MLP graphs, 1,851 prompts)
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])

