"""The router's numeric part as an ONNX graph, and running it with onnxruntime.

Graph (inputs are built by the featurizer in Python):

    rows  int64 [K]     distinct feature rows used by the batch
    coef  float [B, K]  tf-idf value of each row in each prompt
    W     int8  [F+1, C] quantised weights (row F is all zero: padding for empty prompts)
    scale float [F+1]   per-row dequantisation scale

    logits = (coef * scale[rows]) @ float(W[rows]) + bias
    probs  = softmax(logits / temperature)

Only rows a prompt touches are gathered, so a call costs O(K x C) whatever F is.
Weights are int8 with one scale per row: 4x smaller than float32, and the
routing decisions do not move (checked at training time).
"""
from __future__ import annotations

import numpy as np

OPSET = 17


def quantize_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-row int8 quantisation: (int8 matrix, float32 scales)."""
    peak = np.abs(weights).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(weights / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def build_model(weights: np.ndarray, bias: np.ndarray, temperature: float) -> bytes:
    """Serialize the router graph for float weights (F, C); returns ONNX bytes."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    q, scale = quantize_rows(np.asarray(weights, dtype=np.float32))
    n_classes = q.shape[1]
    q = np.vstack([q, np.zeros((1, n_classes), dtype=np.int8)])  # padding row
    scale = np.concatenate([scale, np.zeros(1, dtype=np.float32)])
    inits = [
        numpy_helper.from_array(q, "W"),
        numpy_helper.from_array(scale, "scale"),
        numpy_helper.from_array(np.asarray(bias, dtype=np.float32), "bias"),
        numpy_helper.from_array(np.array(1.0 / float(temperature), dtype=np.float32), "inv_temperature"),
    ]
    nodes = [
        helper.make_node("Gather", ["W", "rows"], ["w_rows_q"], axis=0),
        helper.make_node("Cast", ["w_rows_q"], ["w_rows"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scale", "rows"], ["row_scale"], axis=0),
        helper.make_node("Mul", ["coef", "row_scale"], ["coef_scaled"]),
        helper.make_node("MatMul", ["coef_scaled", "w_rows"], ["raw"]),
        helper.make_node("Add", ["raw", "bias"], ["logits"]),
        helper.make_node("Mul", ["logits", "inv_temperature"], ["calibrated"]),
        helper.make_node("Softmax", ["calibrated"], ["probs"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "slm_router",
        inputs=[helper.make_tensor_value_info("rows", TensorProto.INT64, ["K"]),
                helper.make_tensor_value_info("coef", TensorProto.FLOAT, ["B", "K"])],
        outputs=[helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["B", n_classes]),
                 helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", n_classes])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="slm.router")
    model.ir_version = min(model.ir_version, 9)  # loadable by older onnxruntime builds too
    onnx.checker.check_model(model)
    return model.SerializeToString()


def open_session(model: bytes | str):
    """An onnxruntime session tuned for tiny single-prompt calls (one thread, no spinning)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])

