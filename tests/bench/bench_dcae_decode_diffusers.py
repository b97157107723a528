#!/usr/bin/env python3
"""DC-AE decode benchmark (reference side): diffusers AutoencoderDC in bf16 on the GPU.

Same shapes as dc_bench_dcae_decode: a random latent [1, C, size/f, size/f], median of
CUDA-event timings after warm-up, and torch.cuda.max_memory_allocated as peak memory.
Weights are diffusers' default random initialisation (never zeros).
"""
import argparse
import json
import statistics

import torch
from diffusers import AutoencoderDC


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--sizes", default="1024,2048,4096")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    with open(args.config) as f:
        config = json.load(f)
    torch.manual_seed(0)
    model = AutoencoderDC.from_config(config).to(device="cuda", dtype=torch.bfloat16).eval()
    f = 2 ** (len(config["encoder_block_out_channels"]) - 1)
    label = args.label or f"f{f}c{config['latent_channels']}"
    print(f"{'config':<12} {'size':>6} {'ref_ms':>12} {'ref_peak_GiB':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        z = torch.randn(1, config["latent_channels"], size // f, size // f, device="cuda", dtype=torch.bfloat16)
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        times = []
        try:
            with torch.no_grad():
                for i in range(args.warmup + args.iters):
                    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                    start.record()
                    out = model.decode(z).sample
                    stop.record()
                    torch.cuda.synchronize()
                    if i >= args.warmup:
                        times.append(start.elapsed_time(stop))
                    del out
        except torch.OutOfMemoryError:
            print(f"{label:<12} {size:>6} {'OOM':>12} {'-':>12}")
            continue
        peak = torch.cuda.max_memory_allocated() / 2**30
        print(f"{label:<12} {size:>6} {statistics.median(times):>12.1f} {peak:>12.2f}", flush=True)


if __name__ == "__main__":
    main()
