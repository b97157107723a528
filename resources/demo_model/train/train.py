#!/usr/bin/env python3
"""Trains the embedded demo model: a tiny DC-Gen-FLUX pipeline for procedural shape scenes.

    # a few minutes on a CPU: every stage with tiny sizes (CI / development)
    python resources/demo_model/train/train.py --smoke
    # the shipped model, on one H100 (README.md, "Retrain": device calls of < 10 min each)
    python resources/demo_model/train/train.py --device cuda --stage vae
    python resources/demo_model/train/train.py --device cuda --stage flux [--flux-init PIPELINE_FOLDER]

Stages (--stage all runs them in order; vae and flux split the run in two):
  vae   1. tokenizers (tokenizer_stage.py)   2. DC-AE (vae_stage.py)        -> WORK/stage_vae/
  flux  3. text encoders + FLUX transformer (flux_stage.py)
        4. the pipeline folder + its check with the reference pipeline (export.py) -> WORK/pipeline/
        5. proof of meaning on held-out prompts (evaluate.py)                       -> WORK/eval/
Results: WORK/metrics.json, WORK/losses.csv + losses.png (loss curves), WORK/eval/contact_sheet.png.
Everything is seeded (--seed): scenes come from per-index random streams, weights and noise from
seeded generators, so a rerun with the same versions repeats the run (on CUDA up to the GPU's
non-deterministic kernels unless --deterministic).
"""
import argparse
import dataclasses
import json
import os
import platform
import shutil
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # loader workers fork after tokenizers ran

import torch

import common
from sizes import SIZES

RECORD = common.TRAIN_DIR / "record"  # the shipped model's training record


def versions():
    import diffusers
    import transformers
    return {"python": platform.python_version(), "torch": torch.__version__, "diffusers": diffusers.__version__,
            "transformers": transformers.__version__}


def stage_vae(args, sizes, device, work, excluded):
    from tokenizer_stage import build_tokenizers
    from vae_stage import save_samples, train_vae
    out = work / "stage_vae"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    info = {"mode": sizes.name, "seed": args.seed, "device": str(device), "versions": versions()}
    start = time.time()
    info["tokenizers"] = build_tokenizers(out, sizes, args.seed)
    info["tokenizers"]["seconds"] = round(time.time() - start, 1)
    vae, info["vae"] = train_vae(sizes, args.seed, device, out / "losses_vae.csv", excluded)
    save_samples(vae, sizes, args.seed, device, out / "vae_samples.png")
    vae.to(torch.float16).save_pretrained(out / "vae")  # already fp16-rounded: saved exactly
    (out / "info.json").write_text(json.dumps(info, indent=2) + "\n")


def stage_vae_from_pipeline(folder, record, out):
    """Rebuilds WORK/stage_vae from a shipped pipeline folder and its training record, so a flux stage can continue
    the shipped model on a fresh checkout (stage_vae.tar is a local, git-ignored file). The DC-AE was saved in fp16
    already rounded, and the tokenizers are the stage's own (export.py only declares T5_LENGTH in tokenizer_2's
    config, which training passes explicitly anyway), so the rebuilt stage equals the original one."""
    metrics = json.loads((record / "metrics.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    for part in ("vae", "tokenizer", "tokenizer_2"):
        shutil.copytree(folder / part, out / part, dirs_exist_ok=True)
    shutil.copy(record / "vae_samples.png", out / "vae_samples.png")
    rows = [line for line in (record / "losses.csv").read_text().splitlines()[1:] if line.startswith("vae,")]
    (out / "losses_vae.csv").write_text("stage,step,loss,lr,seconds\n" + "\n".join(rows) + "\n")
    info = {key: metrics[key] for key in ("mode", "seed", "device", "versions", "tokenizers", "vae")}
    info["rebuilt_from"] = str(folder)
    (out / "info.json").write_text(json.dumps(info, indent=2) + "\n")


def stage_flux(args, sizes, device, work, excluded):
    from diffusers import AutoencoderDC
    from evaluate import evaluate
    from export import save_pipeline, verify
    from flux_stage import train_flux
    source = work / "stage_vae"
    if not (source / "info.json").exists() and args.flux_init is not None and (RECORD / "metrics.json").exists():
        stage_vae_from_pipeline(args.flux_init, RECORD, source)
        print(f"[flux] {source}: rebuilt from {args.flux_init} and {RECORD}", flush=True)
    if not (source / "info.json").exists():
        raise SystemExit(f"{source}: no finished vae stage (run --stage vae first, or carry it here)")
    info = json.loads((source / "info.json").read_text())
    info["flux_device"], info["flux_versions"] = str(device), versions()
    vae = AutoencoderDC.from_pretrained(source / "vae", torch_dtype=torch.float32)
    flux_csv = work / "losses_flux.csv"
    flux_csv.unlink(missing_ok=True)
    (transformer, clip, t5), info["flux"] = train_flux(sizes, args.seed, device, source, vae, flux_csv, excluded,
                                                        init_from=args.flux_init)
    folder = work / "pipeline"
    start = time.time()
    total = save_pipeline(folder, vae.cpu(), transformer, clip, t5, source)
    info["export"] = {"folder": str(folder), "bytes": total, "megabytes": round(total / 1e6, 2),
                      "components": {p.name: round(common.folder_bytes(p) / 1e6, 3) for p in sorted(folder.iterdir())
                                     if p.is_dir()}}
    info["export"]["verify"] = verify(folder, (clip, t5), sizes, device)
    info["export"]["seconds"] = round(time.time() - start, 1)
    print(f"[export] {folder}: {total / 1e6:.2f} MB; reference pipeline check {info['export']['verify']}", flush=True)
    start = time.time()
    info["eval"] = evaluate(folder, work / "eval", args.seed, sizes.eval_images, sizes.image_size, sizes.eval_steps,
                            sizes.eval_batch, device)
    info["eval"]["seconds"] = round(time.time() - start, 1)
    # One loss table and plot for both stages.
    rows = [l for p in (source / "losses_vae.csv", flux_csv) for l in p.read_text().splitlines()[1:]]
    (work / "losses.csv").write_text("stage,step,loss,lr,seconds\n" + "\n".join(rows) + "\n")
    common.plot_losses(work / "losses.csv", work / "losses.png")
    (work / "metrics.json").write_text(json.dumps(info, indent=2) + "\n")
    if info["export"]["bytes"] > 30e6:
        print(f"WARNING: the pipeline folder is {total / 1e6:.1f} MB (> 30 MB)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, CPU, a few minutes (= --sizes smoke)")
    parser.add_argument("--sizes", choices=sorted(SIZES), default="full", help="size preset (sizes.py)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--stage", default="all", choices=["all", "vae", "flux"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="output folder (default: train/work/<smoke|full>)")
    for stage in ("vae", "flux"):
        parser.add_argument(f"--{stage}-steps", type=int, help=f"override the {stage} stage's step count")
        parser.add_argument(f"--{stage}-minutes", type=float,
                            help=f"override the {stage} stage's wall-clock guard (0: none)")
    parser.add_argument("--flux-batch", type=int, help="override the flux batch (a multiple of sizes.flux_reuse)")
    parser.add_argument("--flux-init", type=Path,
                        help="continue the flux stage from this exported pipeline folder's weights")
    parser.add_argument("--deterministic", action="store_true", help="deterministic CUDA kernels (slower)")
    args = parser.parse_args()
    sizes = SIZES["smoke" if args.smoke else args.sizes]
    overrides = {k: v for k in ("vae_steps", "vae_minutes", "flux_steps", "flux_minutes", "flux_batch")
                 if (v := getattr(args, k)) is not None}
    sizes = dataclasses.replace(sizes, **overrides)
    device = common.pick_device(args.device)
    common.configure_determinism(args.deterministic or device.type == "cpu")
    work = args.work or common.TRAIN_DIR / "work" / sizes.name
    work.mkdir(parents=True, exist_ok=True)
    from evaluate import excluded_captions
    excluded = excluded_captions(args.seed, sizes.eval_images)
    start = time.time()
    if args.stage in ("all", "vae"):
        stage_vae(args, sizes, device, work, excluded)
    if args.stage in ("all", "flux"):
        stage_flux(args, sizes, device, work, excluded)
    print(f"done: {args.stage} in {time.time() - start:.0f} s -> {work}", flush=True)


if __name__ == "__main__":
    main()
