"""The set-up step for the ONNX Runtime backend: the converted model exported to ONNX, and an int8 copy.

The graph computes the transformer's `last_hidden_state` only; the prompts, mean pooling and L2
normalisation stay in Python (`onnx_embedder`), exactly as sentence-transformers does them.
"""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

from policyqa.embedding.modeldir import ONNX_FILES
from policyqa.errors import ModelError

log = logging.getLogger(__name__)

# Bump whenever the exported files change (recorded in the marker and in the index's model identity).
EXPORT_VERSION = 1
OPSET = 17


def export_onnx(model_dir: Path, out_dir: Path) -> dict[str, str]:
    """Write `ONNX_FILES` (float32 export, per-channel dynamic int8) for the model in `model_dir` under
    `out_dir`; return the written files by precision, relative to `out_dir`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import XLMRobertaModel

    t0 = time.perf_counter()
    fp32, int8 = out_dir / ONNX_FILES["float32"], out_dir / ONNX_FILES["int8"]
    fp32.parent.mkdir(parents=True, exist_ok=True)
    try:
        model = XLMRobertaModel.from_pretrained(str(model_dir), dtype=torch.float32, local_files_only=True,
                                                add_pooling_layer=False).eval()
    except Exception as exc:
        raise ModelError(f"无法从 {model_dir} 加载模型以导出 ONNX（{type(exc).__name__}: {exc}）。") from exc

    # Exporting XLMRobertaModel directly fails ("multiple values for argument 'use_cache'"); a wrapper with
    # exactly the two inputs and the one output we use traces cleanly.
    class _Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # a padded example, so that the traced attention mask is a real (not an all-ones, skipped) mask
    ids = torch.tensor([[0, 6, 9, 2], [0, 6, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    axes = {0: "batch", 1: "sequence"}
    # The tracer's warnings are benign here: `is_causal` is constant (a mask is always given) and the
    # advanced indexing it mentions never sees negative indices.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Encoder(model), (ids, mask), str(fp32), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes})
    t1 = time.perf_counter()
    # Per channel: min cosine to float32 0.9966 on policy passages; per tensor only 0.984.
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    log.info("exported ONNX in %.1f s, quantised in %.1f s", t1 - t0, time.perf_counter() - t1)
    return dict(ONNX_FILES)
