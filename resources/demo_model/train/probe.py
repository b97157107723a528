#!/usr/bin/env python3
"""Where a full-size training step's time goes, counted on the CPU, and the H100 step time of the
flux stage projected from it with today's two measured step times.

    python resources/demo_model/train/probe.py [--vae-ms 87 --flux-ms 177] [--export-untrained DIR]

Per sample, at full size (batch 2), it counts for each piece of work: FLOPs (torch's FLOP
counter), the bytes its ops read and write (a dispatch mode summing each op's input and output
tensors, views left out: what unfused kernels move through memory) and the ops dispatched (on
CUDA about one kernel launch each). The pieces: one scene rendered at 512x512; the frozen DC-AE's
encoder forward at 512x512, as the old loop ran it (f32 weights under bf16 autocast) and as
LatentPool runs it (bf16 weights, channels-last); the text encoders + transformer forward and
backward (T5 64 + 256 image tokens, bf16 autocast); and the DC-AE stage's step (encoder + decoder
forward and backward on a 256x256 crop), for calibration.

The projection (README, "Time estimate"): the DC-AE's narrow convolutions (16-128 channels) are
bound by memory traffic, so their effective rate is calibrated from the DC-AE stage's measured
step (--vae-ms: bytes moved per step / time). The old flux loop ran render, encode and the
transformer step one after another (its host-to-device copies synchronized every step), so the
transformer step's cost is what is left of the measured flux step (--flux-ms) after render and
encode. The pooled loop renders and encodes batch / reuse scenes per step and no longer
synchronizes: its step costs at most the transformer step plus that share, and at least the larger of the two.

--export-untrained also writes the full-size pipeline folder with its initial (untrained) weights:
its size is the shipped size, and `dcgen generate` on it times the shipped model on a CPU.
"""
import argparse
import copy
import tempfile
from pathlib import Path

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten
from torch.utils.flop_counter import FlopCounterMode

import flux_stage
import scenes
import vae_stage
from batches import SceneBatches
from diffusers import AutoencoderDC
from sizes import FULL
from tokenizer_stage import build_tokenizers

FREE_OPS = {"detach", "view", "_unsafe_view", "t", "expand", "alias", "empty", "empty_like", "zeros_like",
            "empty_strided", "lift_fresh"}


class TrafficCounter(TorchDispatchMode):
    """Ops dispatched and bytes their inputs and outputs occupy (views and allocations excluded)."""

    def __init__(self):
        super().__init__()
        self.ops, self.bytes = 0, 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func.is_view or func.overloadpacket.__name__ in FREE_OPS:
            return out
        tensors = [t for t in tree_flatten((args, kwargs, out))[0] if isinstance(t, torch.Tensor)]
        self.ops += 1
        self.bytes += sum(t.numel() * t.element_size() for t in tensors)
        return out


def count(fn, samples):
    """(GFLOP, MB moved, ops) per sample of fn()."""
    flops = FlopCounterMode(display=False)
    with flops:
        fn()
    traffic = TrafficCounter()
    with traffic:
        fn()
    return flops.get_total_flops() / samples / 1e9, traffic.bytes / samples / 1e6, traffic.ops


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vae-ms", type=float, default=87.0,
                        help="measured DC-AE stage step (ms, batch 32 at 256x256; today's H100 run: 87)")
    parser.add_argument("--flux-ms", type=float, default=177.0,
                        help="measured flux step of the old loop (ms, batch 96; today's H100 run 2: 177)")
    parser.add_argument("--minutes", type=float, default=FULL.flux_minutes, help="flux training minutes per call")
    parser.add_argument("--export-untrained", type=Path, help="write the untrained full-size pipeline folder here")
    args = parser.parse_args()
    torch.manual_seed(0)
    device = torch.device("cpu")
    bf16 = lambda: torch.autocast("cpu", dtype=torch.bfloat16)  # noqa: E731  (what CUDA runs)
    n = 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_tokenizers(tmp, FULL, 0)
        vae = AutoencoderDC(**FULL.vae).eval()
        item = SceneBatches(0, "probe", n, 1, tokenizer_dirs=(tmp / "tokenizer", tmp / "tokenizer_2"))[0]
        x = scenes.render(item["scenes"], FULL.image_size) * 2 - 1
        clip, t5 = flux_stage.build_text_encoders(FULL, tmp)
        transformer = flux_stage.build_transformer(FULL, FULL.vae["latent_channels"])
        with torch.no_grad():
            x0 = vae.encode(x).latent

        def encode_autocast():
            with torch.no_grad(), bf16():
                vae.encode(x)

        pooled_vae = copy.deepcopy(vae).to(torch.bfloat16).to(memory_format=torch.channels_last)

        def encode_pooled():
            with torch.no_grad():
                pooled_vae.encode(x.to(torch.bfloat16).contiguous(memory_format=torch.channels_last))

        def train_step():
            g = torch.Generator().manual_seed(0)
            with bf16():
                loss = flux_stage.flow_loss((transformer, clip, t5), x0, item, device, g)
            loss.backward()

        crop = x[:, :, :FULL.vae_crop, :FULL.vae_crop].contiguous()
        trained_vae = AutoencoderDC(**FULL.vae).train()

        def vae_step():
            g = torch.Generator().manual_seed(0)
            with bf16():
                loss = vae_stage.vae_loss(trained_vae, crop, g)
            loss.backward()

        pieces = {
            "render 512x512": count(lambda: scenes.render(item["scenes"], FULL.image_size), n),
            "DC-AE encode, old (f32 weights, bf16 autocast)": count(encode_autocast, n),
            "DC-AE encode, pooled (bf16, channels-last)": count(encode_pooled, n),
            "text encoders + transformer fwd + bwd": count(train_step, n),
            f"DC-AE stage step ({FULL.vae_crop}x{FULL.vae_crop} crop)": count(vae_step, n),
        }
        if args.export_untrained:
            from export import save_pipeline
            vae.register_to_config(scaling_factor=1.0)
            size = save_pipeline(args.export_untrained, vae, transformer, clip, t5, tmp)
            print(f"untrained full-size pipeline: {args.export_untrained} ({size / 1e6:.2f} MB)")
        params = {k: sum(p.numel() for p in m.parameters()) for k, m in
                  (("vae", vae), ("transformer", transformer), ("clip", clip), ("t5", t5))}
    print(f"params: {params}; fp16 weights {sum(params.values()) * 2 / 1e6:.1f} MB (+ ~0.7 MB tokenizers)")
    print("\nper sample (ops: per call of the batch-2 probe)")
    for name, (gflop, mb, ops) in pieces.items():
        print(f"  {name:50s} {gflop:7.1f} GFLOP {mb:7.0f} MB moved {ops:6d} ops")

    render, enc_old, enc_new, train, vae_step_ = pieces.values()
    b, reuse = FULL.flux_batch, FULL.flux_reuse
    rate = vae_step_[1] * FULL.vae_batch / (args.vae_ms / 1e3) / 1e3  # GB/s the DC-AE work achieved
    ms = lambda mb, samples: mb * samples / rate  # noqa: E731  (MB / (GB/s) = ms)
    render_old, encode_old = ms(render[1], b), ms(enc_old[1], b)
    transformer_ms = args.flux_ms - render_old - encode_old
    fresh = b // reuse
    share = ms(render[1], fresh) + ms(enc_new[1], fresh)
    high, low = transformer_ms + share, max(transformer_ms, share)
    seconds = args.minutes * 60
    print(f"\nDC-AE stage: {vae_step_[1] * FULL.vae_batch / 1e3:.0f} GB moved per step in {args.vae_ms:.0f} ms "
          f"-> {rate:.0f} GB/s effective for the DC-AE's work")
    print(f"old flux step ({args.flux_ms:.0f} ms, batch {b}): render {render_old:.0f} ms + encode {encode_old:.0f} ms "
          f"-> transformer step (the rest) {transformer_ms:.0f} ms")
    print(f"pooled flux step (reuse {reuse}: {fresh} new scenes per step): render + encode {share:.1f} ms; step "
          f"{low:.0f}-{high:.0f} ms = {args.flux_ms / high:.1f}-{args.flux_ms / low:.1f}x the old one's steps; "
          f"{seconds * 1e3 / high:.0f}-{seconds * 1e3 / low:.0f} steps in {args.minutes} min "
          f"(old: {seconds * 1e3 / args.flux_ms:.0f})")


if __name__ == "__main__":
    main()
