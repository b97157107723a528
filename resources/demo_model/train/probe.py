#!/usr/bin/env python3
"""Counts the work of one full-size training step of each stage (torch's FLOP counter, on the CPU,
batch 2) and projects the H100 run time from it, so the full run can be sized without a GPU.

    python resources/demo_model/train/probe.py [--tflops 60 --overhead-ms 25] [--export-untrained DIR]

--export-untrained also writes the full-size pipeline folder with its initial (untrained) weights:
its size is the shipped size, and `dcgen generate` on it times the shipped model on a CPU.

The projection is seconds/step = FLOPs(step) / achieved rate + a fixed per-step overhead (kernel
launches, the scene renderer, the optimizer). The defaults are deliberately modest for models this
small (hidden size 192, 16-128 channels): about 8% of the H100's 790 TFLOP/s bf16 peak.
"""
import argparse
import tempfile
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

import common
import flux_stage
import vae_stage
from batches import SceneBatches
from diffusers import AutoencoderDC
from sizes import FULL
from tokenizer_stage import build_tokenizers


def step_flops(fn):
    counter = FlopCounterMode(display=False)
    with counter:
        loss = fn()
        loss.backward()
    return counter.get_total_flops()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tflops", type=float, default=60.0, help="achieved bf16 TFLOP/s assumed on the H100")
    parser.add_argument("--overhead-ms", type=float, default=25.0, help="fixed cost per step assumed (ms)")
    parser.add_argument("--export-untrained", type=Path, help="write the untrained full-size pipeline folder here")
    args = parser.parse_args()
    torch.manual_seed(0)
    device = torch.device("cpu")
    probe_batch = 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_tokenizers(tmp, FULL, 0)
        vae = AutoencoderDC(**FULL.vae)
        item = SceneBatches(0, "probe", probe_batch, 1, tokenizer_dirs=(tmp / "tokenizer", tmp / "tokenizer_2"))[0]
        x = vae_stage.scenes.render(item["scenes"], FULL.image_size) * 2 - 1
        g = torch.Generator().manual_seed(0)
        vae_flops = step_flops(lambda: vae_stage.vae_loss(vae, x, g)) / probe_batch
        clip, t5 = flux_stage.build_text_encoders(FULL, tmp)
        transformer = flux_stage.build_transformer(FULL, FULL.vae["latent_channels"])
        flux_flops = step_flops(lambda: flux_stage.flow_loss((transformer, clip, t5), vae, item, FULL, device, g))
        flux_flops /= probe_batch
        if args.export_untrained:
            from export import save_pipeline
            vae.register_to_config(scaling_factor=1.0)
            size = save_pipeline(args.export_untrained, vae, transformer, clip, t5, tmp)
            print(f"untrained full-size pipeline: {args.export_untrained} ({size / 1e6:.2f} MB)")
        params = {n: sum(p.numel() for p in m.parameters()) for n, m in
                  (("vae", vae), ("transformer", transformer), ("clip", clip), ("t5", t5))}
    fp16_mb = sum(params.values()) * 2 / 1e6
    print(f"params: {params}; fp16 weights {fp16_mb:.1f} MB (+ ~0.7 MB tokenizers)")
    total = 0.0
    # The VAE trains on crops for 3/4 of its steps; its cost is linear in pixels (convolutions, linear attention).
    crop_share = (FULL.vae_crop / FULL.image_size) ** 2
    vae_flops_mean = vae_flops * (0.75 * crop_share + 0.25)
    for name, flops, steps, batch in (("vae", vae_flops_mean, FULL.vae_steps, FULL.vae_batch),
                                      ("flux", flux_flops, FULL.flux_steps, FULL.flux_batch)):
        per_step = flops * batch / (args.tflops * 1e12) + args.overhead_ms / 1e3
        total += per_step * steps
        print(f"{name}: {flops / 1e9:.1f} GFLOP per sample on average (forward + backward); batch {batch}: "
              f"{flops * batch / 1e12:.2f} TFLOP per step -> {per_step * 1e3:.0f} ms/step at {args.tflops:.0f} "
              f"TFLOP/s + {args.overhead_ms:.0f} ms; {steps} steps = {per_step * steps / 60:.1f} min")
    print(f"training total about {total / 60:.1f} min (+ tokenizers ~0.5 min, export/eval ~1 min)")


if __name__ == "__main__":
    main()
