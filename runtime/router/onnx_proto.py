"""The few ONNX builders the router's export needs, over onnx's own protobuf classes.

``import onnx`` costs ~0.6 s of CPU here (its ml_dtypes dependency registers its numpy
dtypes at import): a third of a first-run router training on the built-in plugins, for
a graph of a dozen nodes. The export needs only onnx's message classes, which live in
generated protobuf code (``onnx/onnx_ml_pb2.py``, importing protobuf alone). That file
is loaded under its own module name, so a later ``import onnx`` in the same process
reuses it (one copy of the schema in protobuf's descriptor pool), and the functions
below build what ``onnx.helper`` / ``onnx.numpy_helper`` build, byte for byte
(tests/test_router_static.py compares them). onnxruntime checks the graph when the
router opens it, right after training.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np

IR_VERSION = 9  # loadable by older onnxruntime builds too
_MODULE = "onnx.onnx_ml_pb2"


def _pb2():
    module = sys.modules.get(_MODULE)
    if module is not None:
        return module
    package = importlib.util.find_spec("onnx")  # a top-level lookup runs nothing
    if package is None or not package.origin:
        raise ImportError("the onnx package is not installed")
    spec = importlib.util.spec_from_file_location(_MODULE, Path(package.origin).parent / "onnx_ml_pb2.py")
    if spec is None or spec.loader is None:
        raise ImportError("onnx's onnx_ml_pb2.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_MODULE]
        raise
    return module


class _Types:
    """TensorProto's element types (the subset the router stores)."""

    FLOAT, UINT8, INT8, INT64, FLOAT16 = 1, 2, 3, 7, 10


TensorProto = _Types
_DTYPES = {np.dtype(np.float32): _Types.FLOAT, np.dtype(np.uint8): _Types.UINT8, np.dtype(np.int8): _Types.INT8,
           np.dtype(np.int64): _Types.INT64, np.dtype(np.float16): _Types.FLOAT16}


def from_array(array: np.ndarray, name: str) -> Any:
    """numpy_helper.from_array for the dtypes above (raw little-endian data)."""
    array = np.asarray(array)
    kind = _DTYPES.get(array.dtype)
    if kind is None:
        raise TypeError(f"no ONNX element type for {array.dtype} here")
    tensor = _pb2().TensorProto()
    tensor.dims.extend(array.shape)
    tensor.data_type = kind
    tensor.name = name
    tensor.raw_data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return tensor


def make_node(op_type: str, inputs: list[str], outputs: list[str], **attributes: int) -> Any:
    """helper.make_node with integer attributes (sorted by name, as helper writes them)."""
    pb = _pb2()
    node = pb.NodeProto()
    node.op_type = op_type
    node.input.extend(inputs)
    node.output.extend(outputs)
    for key, value in sorted(attributes.items()):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(f"attribute {key} must be an integer here")
        attr = pb.AttributeProto()
        attr.name = key
        attr.i = int(value)
        attr.type = pb.AttributeProto.INT
        node.attribute.append(attr)
    return node


def make_tensor_value_info(name: str, elem_type: int, shape: list[str | int]) -> Any:
    info = _pb2().ValueInfoProto()
    info.name = name
    tensor_type = info.type.tensor_type
    tensor_type.elem_type = elem_type
    dims = tensor_type.shape.dim
    for d in shape:
        dim = dims.add()
        if isinstance(d, (int, np.integer)):
            dim.dim_value = int(d)
        else:
            dim.dim_param = d
    return info


def make_graph(nodes: list, name: str, inputs: list, outputs: list, initializer: list) -> Any:
    graph = _pb2().GraphProto()
    graph.node.extend(nodes)
    graph.name = name
    graph.input.extend(inputs)
    graph.output.extend(outputs)
    graph.initializer.extend(initializer)
    return graph


def make_model(graph: Any, *, opset: int, producer_name: str) -> bytes:
    """The serialized ModelProto (IR_VERSION, one default-domain opset)."""
    model = _pb2().ModelProto()
    model.ir_version = IR_VERSION
    model.producer_name = producer_name
    model.graph.CopyFrom(graph)
    op = model.opset_import.add()
    op.domain = ""
    op.version = opset
    return model.SerializeToString()
