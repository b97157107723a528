#!/usr/bin/env python3
"""conv2d micro-benchmark (reference side): torch.nn.functional.conv2d on bench_conv's shapes.

Same shapes as dc_bench_conv (parsed from bench_conv_shapes.h), bf16, N = 1, channels_last;
median of CUDA-event timings after warm-up, with cudnn.benchmark off (PyTorch's and
diffusers' default: heuristic algorithm) and on (timed search). A residual is added the way
diffusers adds it, as a separate op after the conv.
"""
import argparse
import pathlib
import re
import statistics

import torch
import torch.nn.functional as F


def shapes():
    text = (pathlib.Path(__file__).parent / "bench_conv_shapes.h").read_text()
    row = re.compile(r'\{"(\w+)", (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), (true|false), (true|false)\}')
    for m in row.finditer(text):
        name, *nums, bias, residual = m.groups()
        yield (name, *map(int, nums), bias == "true", residual == "true")


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    dev, dt, cl = "cuda", torch.bfloat16, torch.channels_last
    print(f"{'shape':<10} {'torch_ms':>9} {'TFLOP/s':>8} {'torch_bm_ms':>11} {'TFLOP/s':>8}")
    for name, cin, size, cout, k, stride, pad, groups, bias, residual in shapes():
        if only and name not in only:
            continue
        torch.manual_seed(0)
        oh = (size + 2 * pad - k) // stride + 1
        x = torch.randn(1, cin, size, size, device=dev, dtype=dt).contiguous(memory_format=cl)
        w = (torch.randn(cout, cin // groups, k, k, device=dev) / (cin // groups * k * k) ** 0.5).to(dt)
        w = w.contiguous(memory_format=cl)
        b = (0.1 * torch.randn(cout, device=dev)).to(dt) if bias else None
        r = torch.randn(1, cout, oh, oh, device=dev, dtype=dt).contiguous(memory_format=cl) if residual else None

        def run():
            y = F.conv2d(x, w, b, stride, pad, 1, groups)
            return y + r if r is not None else y

        flop = 2.0 * cout * oh * oh * (cin // groups) * k * k
        row = [f"{name:<10}"]
        for benchmark in (False, True):
            torch.backends.cudnn.benchmark = benchmark
            try:
                with torch.no_grad():
                    ms = time_ms(run, args.warmup, args.iters)
                row.append(f"{ms:>9.3f} {flop / ms / 1e9:>8.1f}" if not benchmark else f"{ms:>11.3f} {flop / ms / 1e9:>8.1f}")
            except (torch.OutOfMemoryError, RuntimeError) as e:
                row.append(f"{'ERR':>9} {'-':>8}  # {str(e).splitlines()[0][:60]}")
        torch.backends.cudnn.benchmark = False
        print(" ".join(row), flush=True)
        del x, w, b, r
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
