#!/usr/bin/env python3
"""Attention micro-benchmark (reference side): torch.nn.functional.scaled_dot_product_attention
on dc_bench_attention's shapes, same columns.

q, k, v are slices of one fused [B, L, 3, H, D] projection transposed to [B, H, L, D] (the
strided views diffusers passes); median of CUDA-event timings after warm-up; TFLOP/s from
4·B·H·L²·D (halved when causal). `check` is rel-L2 of 64 query rows of heads 0 and H-1 against
an f32 recomputation on the same rounded inputs.
The torch version and GPU go to stderr.

  python3 tests/bench/bench_attention_torch.py [--iters 20] [--warmup 5] [--dtype bf16] [--only flux_1024]
"""
import argparse
import statistics
import sys

import torch
import torch.nn.functional as F

# name, batch, tokens, heads, head_dim, causal -- keep in step with kShapes in bench_attention.cpp
SHAPES = [
    ("flux_1024", 1, 4096 + 512, 24, 128, False),
    ("flux_2048", 1, 16384 + 512, 24, 128, False),
    ("t5_xxl", 1, 512, 64, 64, False),
    ("clip_l", 1, 77, 12, 64, True),
]


def time_ms(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


def spot_check(q, k, v, out, causal):
    l = q.shape[2]
    rows = min(64, l)
    r0 = (l - rows) // 2
    worst = 0.0
    for h in (0, q.shape[1] - 1):
        qh = q[:, h : h + 1, r0 : r0 + rows].float()
        s = qh @ k[:, h : h + 1].float().transpose(-1, -2) / q.shape[-1] ** 0.5
        if causal:
            keys = torch.arange(l, device=q.device)
            s = s.masked_fill(keys[None, :] > torch.arange(r0, r0 + rows, device=q.device)[:, None], float("-inf"))
        want = torch.softmax(s, dim=-1) @ v[:, h : h + 1].float()
        got = out[:, h : h + 1, r0 : r0 + rows].float()
        worst = max(worst, ((got - want).norm() / want.norm()).item())
    return worst


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "f16", "f32"])
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name()}", file=sys.stderr)
    dt = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32}[args.dtype]
    print(f"{'shape':<10} {'B':>3} {'H':>3} {'L':>6} {'D':>4} {'causal':>6} {'ms':>9} {'TFLOP/s':>8} {'check':>9}")
    for name, b, l, h, d, causal in SHAPES:
        if only and name not in only:
            continue
        torch.manual_seed(0)
        qkv = torch.randn(b, l, 3, h, d, device="cuda", dtype=dt)
        q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))  # [B, H, L, D] views
        with torch.no_grad():
            ms = time_ms(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal), args.warmup, args.iters)
            out = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
            check = spot_check(q, k, v, out, causal)
        flop = 4.0 * b * h * l * l * d * (0.5 if causal else 1.0)
        print(f"{name:<10} {b:>3} {h:>3} {l:>6} {d:>4} {'yes' if causal else 'no':>6} {ms:>9.3f} "
              f"{flop / ms / 1e9:>8.1f} {check:>9.2e}", flush=True)
        del qkv, q, k, v, out
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
