#!/usr/bin/env python3
"""FLUX transformer step benchmark (reference side): diffusers FluxTransformer2DModel, bf16, GPU.

Same shapes as dc_bench_flux_step: batch 1, 512 text tokens, image tokens per case
(1024² / 2048² FLUX.1 packed f8 latent: 4096 / 16384 tokens of 64 channels; 4K DC-Gen f64c128:
64x64 tokens of 128 channels). Weights: diffusers' default random init in bf16 (never zeros).
Median of CUDA-event timings after warm-up; torch.cuda.max_memory_allocated as peak memory.
Prints: case tokens ref_ms ref_peak_GiB
"""
import argparse
import json
import statistics

import torch
from diffusers import FluxTransformer2DModel

CASES = {  # name: (image tokens per side, channels per token)
    "1024": (64, 64),
    "2048": (128, 64),
    "4k-dcgen-f64": (64, 128),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--cases", default="1024,2048,4k-dcgen-f64")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--text-tokens", type=int, default=512)
    args = ap.parse_args()
    with open(args.config) as f:
        base = json.load(f)
    print(f"{'case':<14} {'tokens':>6} {'ref_ms':>10} {'ref_peak_GiB':>12}", flush=True)
    model, model_channels = None, None
    for name in args.cases.split(","):
        side, channels = CASES[name]
        if model_channels != channels:
            del model
            torch.cuda.empty_cache()
            cfg = {k: v for k, v in base.items() if not k.startswith("_")}
            cfg["in_channels"] = channels
            torch.manual_seed(0)
            with torch.device("cuda"):
                model = FluxTransformer2DModel(**cfg).to(torch.bfloat16).eval()
            model_channels = channels
        n = side * side
        g = torch.Generator(device="cuda").manual_seed(1)
        kw = dict(device="cuda", dtype=torch.bfloat16)
        x = torch.randn(1, n, channels, generator=g, **kw)
        txt = torch.randn(1, args.text_tokens, cfg["joint_attention_dim"], generator=g, **kw)
        pooled = torch.randn(1, cfg["pooled_projection_dim"], generator=g, **kw)
        ids = torch.zeros(side, side, 3, device="cuda")
        ids[..., 1] += torch.arange(side, device="cuda")[:, None]
        ids[..., 2] += torch.arange(side, device="cuda")[None, :]
        img_ids = ids.reshape(n, 3).to(torch.bfloat16)
        txt_ids = torch.zeros(args.text_tokens, 3, **kw)
        t = torch.full((1,), 0.5, **kw)
        guidance = torch.full((1,), 3.5, device="cuda", dtype=torch.float32) if cfg.get("guidance_embeds") else None
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        times = []
        with torch.no_grad():
            for i in range(args.warmup + args.iters):
                a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                a.record()
                out = model(hidden_states=x, encoder_hidden_states=txt, pooled_projections=pooled, timestep=t,
                            img_ids=img_ids, txt_ids=txt_ids, guidance=guidance, return_dict=False)[0]
                b.record()
                torch.cuda.synchronize()
                if i >= args.warmup:
                    times.append(a.elapsed_time(b))
                del out
        peak = torch.cuda.max_memory_allocated() / 2**30
        print(f"{name:<14} {n:>6} {statistics.median(times):>10.1f} {peak:>12.2f}", flush=True)


if __name__ == "__main__":
    main()
