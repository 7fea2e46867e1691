#!/usr/bin/env python3
"""Writes gpt/testdata/golden_llama.safetensors: the reference for TestGoldenLlama.

For each of three small Llama-family configs (Llama 3 with grouped-query
attention, an untied lm_head and "llama3" rope scaling; Qwen2 with Q/K/V
biases, one key/value head and a tied embedding; a Mistral/SmolLM-style
model with as many key/value heads as query heads and "linear" rope scaling),
the independent reference pyref/llamaref.py with fixed random weights and
tokens computes logits, the masked cross-entropy loss, every parameter
gradient, then four AdamW steps (as in golden.py) and the final parameters.
Tensors are stored as "<config>.<kind>.<name>"; each config's Hugging Face
config.json fields are in the metadata. Run with Debian's python3-torch:

    /usr/bin/python3 gpt/testdata/golden_llama.py gpt/testdata/golden_llama.safetensors
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pyref"))
import gpt2ref  # noqa: E402
import llamaref  # noqa: E402

torch.manual_seed(4321)
torch.set_num_threads(1)

B, T, STEPS = 2, 12, 4
LR_MAX, LR_MIN, WARMUP, TOTAL = 1e-2, 1e-3, 2, STEPS
BETAS, EPS, WD, CLIP = (0.9, 0.95), 1e-8, 0.1, 1.0

CONFIGS = {
    "llama3": {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
               "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 48,
               "num_hidden_layers": 2, "vocab_size": 61, "max_position_embeddings": 16,
               "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": False,
               "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                "high_freq_factor": 8.0, "original_max_position_embeddings": 32}},
    "qwen2": {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 32,
              "num_attention_heads": 4, "num_key_value_heads": 1, "intermediate_size": 40,
              "num_hidden_layers": 2, "vocab_size": 53, "max_position_embeddings": 16,
              "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": True},
    "mistral": {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 24,
                "num_attention_heads": 3, "num_key_value_heads": 3, "intermediate_size": 36,
                "num_hidden_layers": 2, "vocab_size": 47, "max_position_embeddings": 16,
                "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": True,
                "rope_scaling": {"type": "linear", "factor": 2.0}},
}


def spec(cfg):
    C, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    KV = cfg["num_key_value_heads"] * (C // cfg["num_attention_heads"])
    s = [("model.embed_tokens.weight", (V, C))]
    for l in range(cfg["num_hidden_layers"]):
        n = f"model.layers.{l}."
        s += [(n + "input_layernorm.weight", (C,)), (n + "self_attn.q_proj.weight", (C, C)),
              (n + "self_attn.k_proj.weight", (KV, C)), (n + "self_attn.v_proj.weight", (KV, C))]
        if cfg["model_type"] == "qwen2":
            s += [(n + "self_attn.q_proj.bias", (C,)), (n + "self_attn.k_proj.bias", (KV,)),
                  (n + "self_attn.v_proj.bias", (KV,))]
        s += [(n + "self_attn.o_proj.weight", (C, C)), (n + "post_attention_layernorm.weight", (C,)),
              (n + "mlp.gate_proj.weight", (I, C)), (n + "mlp.up_proj.weight", (I, C)),
              (n + "mlp.down_proj.weight", (C, I))]
    s.append(("model.norm.weight", (C,)))
    if not cfg["tie_word_embeddings"]:
        s.append(("lm_head.weight", (V, C)))
    return s


def lr_at(step):
    if step < WARMUP:
        return LR_MAX * (step + 1) / WARMUP
    if step >= TOTAL:
        return LR_MIN
    ratio = (step - WARMUP) / (TOTAL - WARMUP)
    return LR_MIN + 0.5 * (1 + math.cos(math.pi * ratio)) * (LR_MAX - LR_MIN)


out, meta = {}, {"torch": torch.__version__, "configs": json.dumps(CONFIGS),
                 "train": json.dumps({"B": B, "T": T, "steps": STEPS, "lr_max": LR_MAX, "lr_min": LR_MIN,
                                      "warmup": WARMUP, "total": TOTAL, "beta1": BETAS[0], "beta2": BETAS[1],
                                      "eps": EPS, "weight_decay": WD, "clip": CLIP})}
for key, cfg in CONFIGS.items():
    V = cfg["vocab_size"]
    params = {}
    for name, shape in spec(cfg):
        t = 1 + 0.1 * torch.randn(shape) if name.endswith("norm.weight") else 0.1 * torch.randn(shape)
        params[name] = t.float().requires_grad_(True)
    tokens = torch.randint(0, V, (B, T), dtype=torch.int64)
    targets = torch.randint(0, V, (B, T), dtype=torch.int64)
    mask = (torch.rand(B, T) < 0.6).float()
    mask[0, 0] = 1.0

    def loss_of(p):
        logits = llamaref.forward(p, tokens, cfg)
        nll = F.cross_entropy(logits.view(-1, V), targets.view(-1), reduction="none")
        return logits, (nll * mask.view(-1)).sum() / mask.sum()

    for name, _ in spec(cfg):
        out[f"{key}.param.{name}"] = params[name].detach().clone()
    out[f"{key}.tokens"], out[f"{key}.targets"], out[f"{key}.mask"] = tokens.int(), targets.int(), mask
    logits, loss = loss_of(params)
    loss.backward()
    out[f"{key}.logits"], out[f"{key}.loss"] = logits.detach(), loss.detach().reshape(1)
    for name, _ in spec(cfg):
        out[f"{key}.grad.{name}"] = params[name].grad.detach().clone()

    decay = [params[n] for n, s in spec(cfg) if len(s) >= 2]
    nodecay = [params[n] for n, s in spec(cfg) if len(s) < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": nodecay, "weight_decay": 0.0}],
                            lr=LR_MAX, betas=BETAS, eps=EPS)
    losses, norms = [], []
    for step in range(STEPS):
        opt.zero_grad()
        _, loss = loss_of(params)
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(list(params.values()), CLIP)))
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.step()
        losses.append(float(loss))
    losses.append(float(loss_of(params)[1]))
    out[f"{key}.train.losses"], out[f"{key}.train.gradnorms"] = torch.tensor(losses), torch.tensor(norms)
    for name, _ in spec(cfg):
        out[f"{key}.final.{name}"] = params[name].detach().clone()
    print(f"{key}: loss {losses[0]:.6f} -> {losses[-1]:.6f}")

gpt2ref.write_safetensors(sys.argv[1], out, meta)
print(f"wrote {sys.argv[1]}")
