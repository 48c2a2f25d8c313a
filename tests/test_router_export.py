"""The router's ONNX export (onnx_model.py over onnx_proto.py, without importing onnx) writes
the very bytes onnx.helper writes, and onnxruntime runs them."""
from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest
from slm.router import onnx_model


def _with_onnx_helper():
    import onnx
    from onnx import helper, numpy_helper

    def make_model(graph, *, opset, producer_name):
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name=producer_name)
        model.ir_version = min(model.ir_version, 9)
        onnx.checker.check_model(model)
        return model.SerializeToString()

    return SimpleNamespace(from_array=numpy_helper.from_array, make_node=helper.make_node,
                           make_tensor_value_info=helper.make_tensor_value_info, make_graph=helper.make_graph,
                           make_model=make_model, TensorProto=onnx.TensorProto)


def _models():
    rng = np.random.default_rng(7)
    w = rng.standard_normal((40, 5)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    w1 = rng.standard_normal((40, 16)).astype(np.float32)
    b1 = rng.standard_normal(16).astype(np.float32)
    w2 = rng.standard_normal((16, 5)).astype(np.float32)
    return {
        "linear 8 bits": lambda: onnx_model.build_model(w, b, 1.3, bits=8),
        "linear 4 bits + dense": lambda: onnx_model.build_model(w, b, 0.7, bits=4, n_dense=6),
        "mlp + linear 4 bits": lambda: onnx_model.build_mlp_model(w1, b1, w2, b, 1.1, linear=(w, b), bits=4,
                                                                  n_dense=6),
        "mlp 8 bits": lambda: onnx_model.build_mlp_model(w1, b1, w2, b, 0.9, bits=8),
    }


@pytest.mark.parametrize("name", list(_models()))
def test_export_is_byte_for_byte_what_onnx_helper_writes(name, monkeypatch):
    ours = _models()[name]()
    monkeypatch.setattr(onnx_model, "onnx_proto", _with_onnx_helper())
    theirs = _models()[name]()
    assert ours == theirs
    session = onnx_model.open_session(ours)
    feeds = {"rows": np.array([0, 3, 30], dtype=np.int64), "coef": np.full((2, 3), 0.5, dtype=np.float32)}
    if any(i.name == "dense" for i in session.get_inputs()):
        feeds["dense"] = np.ones((2, 6), dtype=np.float32)
    probs = session.run(["probs"], feeds)[0]
    assert probs.shape == (2, 5) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_training_a_router_does_not_import_onnx(tmp_path):
    import subprocess

    code = ("import sys, tempfile\n"
            "from slm.config import load_settings\n"
            "from slm.router import Router\n"
            "Router(load_settings(env={}, home=tempfile.mkdtemp())).train()\n"
            "print('onnx' in sys.modules, 'ml_dtypes' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("name", list(_models()))
def test_the_session_gives_the_probabilities_of_full_graph_optimisation(name):
    """open_session runs ORT's basic rewrites only (faster to open); the probabilities must be
    bit for bit those of ORT_ENABLE_ALL, single prompts and batches, on every graph we export."""
    import onnxruntime as ort

    model = _models()[name]()
    ours = onnx_model.open_session(model)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    full = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(3)
    dense = any(i.name == "dense" for i in ours.get_inputs())
    for batch in (1, 2, 64):
        n_gram_rows = 40 - (6 if dense else 0)  # the dense block's rows are its own input
        rows = np.unique(rng.integers(0, n_gram_rows, size=rng.integers(1, 30))).astype(np.int64)
        feeds = {"rows": rows, "coef": rng.random((batch, len(rows)), dtype=np.float32)}
        if dense:
            feeds["dense"] = rng.standard_normal((batch, 6)).astype(np.float32)
        assert np.array_equal(ours.run(["probs"], feeds)[0], full.run(["probs"], feeds)[0])
