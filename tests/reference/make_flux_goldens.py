#!/usr/bin/env python3
"""Tiny random-weight diffusers `FluxTransformer2DModel` checkpoints and golden tensors for the
C++ FLUX transformer parity tests.

Run (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_flux_goldens.py --out tests/data/flux

Writes under --out:
  <case>/transformer/config.json + diffusion_pytorch_model.safetensors (or, for the sharded case,
        diffusion_pytorch_model-0000i-of-0000n.safetensors + diffusion_pytorch_model.safetensors.index.json),
        written by diffusers' save_pretrained (the real checkpoint layout)
  <case>/golden.safetensors   float32 inputs, the output `sample`, and the block outputs as `tap:<name>`
  cases.json                  the cases, what each covers, shapes, diffusers' own bf16 error per case

Inputs follow FluxPipeline: img_ids built as _prepare_latent_image_ids does for a 1x1-patch latent
grid (ids[..., 0] = 0, ids[..., 1] = row, ids[..., 2] = col), txt_ids zeros, timestep = sigma (the
pipeline passes t / 1000 and the module multiplies by 1000), guidance = the guidance scale (also
multiplied by 1000 inside the module). Timesteps and guidance are chosen so that x1000 is exact in
bf16: the module computes `timestep.to(hidden_states.dtype) * 1000` in the compute dtype, so for
other values diffusers' own bf16 output is dominated by that input rounding (0.2-0.4 rel-L2 on these
tiny models), which would make the bf16 bound meaningless. That rounding is checked separately:
`rounding_check:*` holds a non-exact timestep/guidance and diffusers' bf16 `temb` for them. One
case appends a second, Kontext-style image whose ids have ids[..., 0] = 1 and one uses non-zero txt_ids, so every RoPE axis is exercised.

Every parameter is drawn from its own generator seeded by sha256("<case>/<key>"); inputs from
torch.manual_seed(case seed). The model runs on the CPU, eval(), float32.
"""

import argparse
import copy
import hashlib
import json
import math
import shutil
import sys
from pathlib import Path

import torch
import torch.nn as nn

import diffusers
from diffusers import FluxTransformer2DModel
from safetensors import safe_open
from safetensors.torch import save_file

F32_REL_L2_TOLERANCE = 1e-4
BF16_REL_L2_FLOOR = 2e-2

# ---------------------------------------------------------------------------------------------
# Cases: config is passed to FluxTransformer2DModel(**config); the latent grid is h x w tokens
# (1x1 patches, DC-Gen layout), `text_len` prompt tokens, batch 2.
# ---------------------------------------------------------------------------------------------
CASES = {
    # DC-Gen-FLUX 1K in miniature: DC-AE f32c32 latents as 1x1 tokens (in_channels 32,
    # out_channels None -> 32), guidance-distilled (guidance_embeds), non-square grid.
    "dcgen_c32_guidance": dict(
        seed=2001, grid=(4, 6), text_len=5, timestep=(0.5, 0.125), guidance=(4.0, 2.0),
        config=dict(
            patch_size=1, in_channels=32, out_channels=None, num_layers=2, num_single_layers=2,
            attention_head_dim=16, num_attention_heads=2, joint_attention_dim=32,
            pooled_projection_dim=16, guidance_embeds=True, axes_dims_rope=(4, 6, 6),
        ),
    ),
    # Standard FLUX layout (16-channel VAE packed 2x2 -> in_channels 64), FLUX.1-schnell style
    # (no guidance embedder), out_channels set different from in_channels, another RoPE split,
    # non-zero txt_ids, sharded checkpoint (index.json).
    "c64_out48_no_guidance_sharded": dict(
        seed=2002, grid=(3, 5), text_len=7, timestep=(1.0, 0.0625), guidance=None, txt_ids="ramp",
        shard="60KB",
        config=dict(
            patch_size=1, in_channels=64, out_channels=48, num_layers=2, num_single_layers=1,
            attention_head_dim=16, num_attention_heads=2, joint_attention_dim=24,
            pooled_projection_dim=12, guidance_embeds=False, axes_dims_rope=(2, 6, 8),
        ),
    ),
    # DC-Gen-FLUX 4K in miniature: f64c128 latents (in_channels 128), 4 heads of 8, a single-stream
    # heavy stack, patch_size 2 (proj_out emits p*p*out_channels per token), and a second
    # Kontext-style image whose img_ids have ids[..., 0] = 1.
    "dcgen_c128_patch2_kontext_ids": dict(
        seed=2003, grid=(2, 3), extra_grid=(2, 2), text_len=4, timestep=(0.25, 1.0), guidance=(1.0, 8.0),
        rounding_check=dict(timestep=(0.73, 0.999), guidance=(3.5, 4.5)),
        config=dict(
            patch_size=2, in_channels=128, out_channels=None, num_layers=1, num_single_layers=3,
            attention_head_dim=8, num_attention_heads=4, joint_attention_dim=16,
            pooled_projection_dim=8, guidance_embeds=True, axes_dims_rope=(2, 2, 4),
        ),
    ),
}

REQUIRED_COVERAGE = {
    "guidance_embeds:True", "guidance_embeds:False", "in_channels:32", "in_channels:64", "in_channels:128",
    "out_channels:None", "out_channels:set", "patch_size:1", "patch_size:2", "non_square_grid",
    "txt_ids:zeros", "txt_ids:nonzero", "img_ids_axis0:nonzero", "checkpoint:single", "checkpoint:sharded",
    "batch:2",
}


def tensor_generator(case, key):
    digest = hashlib.sha256(f"{case}/{key}".encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))


@torch.no_grad()
def randomize_(model, case):
    """Every parameter from its own seeded generator: linear weights N(0, 1/fan_in), biases 0.1*N,
    RMSNorm (QK-norm) weights 1 + 0.1*N, so no op is an identity."""
    handled = set()
    for mod_name, mod in model.named_modules():
        prefix = f"{mod_name}." if mod_name else ""
        for attr, t in mod.named_parameters(recurse=False):
            key = prefix + attr
            g = tensor_generator(case, key)
            normal = torch.randn(t.shape, generator=g, dtype=torch.float32)
            if isinstance(mod, nn.Linear) and attr == "weight":
                t.copy_(normal / math.sqrt(t.shape[1]))
            elif isinstance(mod, nn.Linear) and attr == "bias":
                t.copy_(0.1 * normal)
            elif isinstance(mod, nn.RMSNorm) and attr == "weight":
                t.copy_(1.0 + 0.1 * normal)
            else:
                raise RuntimeError(f"{case}: no init rule for {key} ({type(mod).__name__})")
            handled.add(key)
    missing = set(model.state_dict().keys()) - handled
    if missing:
        raise RuntimeError(f"{case}: tensors not randomized: {sorted(missing)}")


def latent_image_ids(h, w, axis0=0.0):
    """FluxPipeline._prepare_latent_image_ids for an h x w token grid (1x1 patches)."""
    ids = torch.zeros(h, w, 3)
    ids[..., 0] = axis0
    ids[..., 1] = ids[..., 1] + torch.arange(h)[:, None]
    ids[..., 2] = ids[..., 2] + torch.arange(w)[None, :]
    return ids.reshape(h * w, 3)


def make_inputs(model, spec):
    cfg = model.config
    torch.manual_seed(spec["seed"])
    h, w = spec["grid"]
    img_ids = latent_image_ids(h, w)
    if "extra_grid" in spec:
        img_ids = torch.cat([img_ids, latent_image_ids(*spec["extra_grid"], axis0=1.0)], dim=0)
    L, T, B = img_ids.shape[0], spec["text_len"], 2
    if spec.get("txt_ids") == "ramp":
        txt_ids = torch.stack([torch.arange(T) % 2, torch.arange(T), (3 * torch.arange(T)) % 5], dim=1).float()
    else:
        txt_ids = torch.zeros(T, 3)
    inputs = {
        "hidden_states": torch.randn(B, L, cfg.in_channels),
        "encoder_hidden_states": torch.randn(B, T, cfg.joint_attention_dim),
        "pooled_projections": torch.randn(B, cfg.pooled_projection_dim),
        "timestep": torch.tensor(spec["timestep"], dtype=torch.float32),
        "img_ids": img_ids,
        "txt_ids": txt_ids,
    }
    if spec["guidance"] is not None:
        inputs["guidance"] = torch.tensor(spec["guidance"], dtype=torch.float32)
    return inputs


def record_block_outputs(model):
    """Forward hooks storing each block's outputs under the C++ tap names:
    transformer_blocks.i.{encoder_hidden_states,hidden_states}; single blocks run on the joint
    [txt, img] stream in C++, so single_transformer_blocks.i.joint_hidden_states = cat(txt, img);
    norm_out.hidden_states; temb (time_text_embed output)."""
    taps, handles = {}, []
    for i, blk in enumerate(model.transformer_blocks):
        def hook(m, args, out, i=i):
            taps[f"tap:transformer_blocks.{i}.encoder_hidden_states"] = out[0].detach().float().clone()
            taps[f"tap:transformer_blocks.{i}.hidden_states"] = out[1].detach().float().clone()
        handles.append(blk.register_forward_hook(hook))
    for i, blk in enumerate(model.single_transformer_blocks):
        def hook(m, args, out, i=i):
            taps[f"tap:single_transformer_blocks.{i}.joint_hidden_states"] = torch.cat(out, 1).detach().float().clone()
        handles.append(blk.register_forward_hook(hook))
    handles.append(model.norm_out.register_forward_hook(
        lambda m, a, out: taps.__setitem__("tap:norm_out.hidden_states", out.detach().float().clone())))
    handles.append(model.time_text_embed.register_forward_hook(
        lambda m, a, out: taps.__setitem__("tap:temb", out.detach().float().clone())))
    return taps, handles


def run(model, inputs, dtype=torch.float32):
    cast = {k: v.to(dtype) for k, v in inputs.items()}
    with torch.no_grad():
        return model(**cast, return_dict=True).sample.float()


def check_all_parameters_matter(model, inputs, case):
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        out = model(**inputs).sample
        g = torch.Generator().manual_seed(7)
        (out * torch.randn(out.shape, generator=g)).sum().backward()
    dead = [n for n, p in model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
    model.zero_grad(set_to_none=True)
    if dead:
        raise RuntimeError(f"{case}: parameters with no influence on the output: {dead}")


def rel_l2(a, b):
    return (torch.linalg.vector_norm((a - b).double()) / torch.linalg.vector_norm(b.double())).item()


def dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def covered_options(config, spec, inputs, sharded):
    out = {f"guidance_embeds:{config['guidance_embeds']}", f"in_channels:{config['in_channels']}",
           f"patch_size:{config['patch_size']}", f"batch:{inputs['hidden_states'].shape[0]}",
           "out_channels:" + ("None" if config["out_channels"] is None else "set"),
           "checkpoint:" + ("sharded" if sharded else "single")}
    if spec["grid"][0] != spec["grid"][1]:
        out.add("non_square_grid")
    out.add("txt_ids:" + ("nonzero" if inputs["txt_ids"].abs().sum() > 0 else "zeros"))
    if inputs["img_ids"][:, 0].abs().sum() > 0:
        out.add("img_ids_axis0:nonzero")
    return sorted(out)


def make_case(out_dir, case, spec):
    case_dir = out_dir / case
    if case_dir.exists():
        shutil.rmtree(case_dir)
    model = FluxTransformer2DModel(**spec["config"]).to(torch.float32).eval()
    randomize_(model, case)
    inputs = make_inputs(model, spec)

    taps, handles = record_block_outputs(model)
    sample = run(model, inputs)
    for hnd in handles:
        hnd.remove()
    goldens = {**inputs, "sample": sample, **taps}
    for k, v in goldens.items():
        if not torch.isfinite(v).all():
            raise RuntimeError(f"{case}: golden {k} is non-finite")
    if sample.std() == 0:
        raise RuntimeError(f"{case}: constant output")
    check_all_parameters_matter(model, inputs, case)

    sharded = "shard" in spec
    save_kwargs = {"max_shard_size": spec["shard"]} if sharded else {}
    model.save_pretrained(case_dir / "transformer", **save_kwargs)
    index = case_dir / "transformer" / "diffusion_pytorch_model.safetensors.index.json"
    if sharded != index.exists():
        raise RuntimeError(f"{case}: expected {'a sharded' if sharded else 'a single-file'} checkpoint")

    # The saved checkpoint holds exactly the state_dict keys; reloading reproduces the goldens.
    files = sorted((case_dir / "transformer").glob("*.safetensors"))
    saved_keys = set()
    for f in files:
        with safe_open(str(f), "pt") as fh:
            saved_keys |= set(fh.keys())
    if saved_keys != set(model.state_dict().keys()):
        raise RuntimeError(f"{case}: saved keys differ from state_dict keys")
    reloaded = FluxTransformer2DModel.from_pretrained(case_dir / "transformer").to(torch.float32).eval()
    reload_err = rel_l2(run(reloaded, inputs), sample)
    if reload_err > 1e-6:
        raise RuntimeError(f"{case}: reloaded checkpoint misses the goldens (rel-L2 {reload_err:.3g})")

    # The 3-D (deprecated) img_ids / txt_ids form gives the same output.
    batched = dict(inputs, img_ids=inputs["img_ids"][None].expand(2, -1, -1),
                   txt_ids=inputs["txt_ids"][None].expand(2, -1, -1))
    if rel_l2(run(model, batched), sample) > 0:
        raise RuntimeError(f"{case}: 3-D ids differ from 2-D ids")

    # diffusers' own error in bf16 (weights and every input cast, as FluxPipeline passes
    # latents-dtype timestep and ids): the C++ bf16 tests accept max(2e-2, 2 x this).
    bf16 = copy.deepcopy(model).to(torch.bfloat16)
    reference_bf16 = rel_l2(run(bf16, inputs, torch.bfloat16), sample)

    # Timestep / guidance rounding in bf16: diffusers' bf16 temb for values whose x1000 is not
    # bf16-exact. A bf16 implementation that skipped the rounding would miss it by far more than
    # bf16 noise (checked here, so the C++ test comparing with it can fail).
    rounding = {}
    if "rounding_check" in spec:
        rc = spec["rounding_check"]
        rc_inputs = dict(inputs, timestep=torch.tensor(rc["timestep"]))
        if "guidance" in inputs:
            rc_inputs["guidance"] = torch.tensor(rc["guidance"])
        temb = {}
        for name, m, dt in (("bf16", bf16, torch.bfloat16), ("f32", model, torch.float32)):
            hnd = m.time_text_embed.register_forward_hook(
                lambda mod, a, out, name=name: temb.__setitem__(name, out.detach().float().clone()))
            run(m, rc_inputs, dt)
            hnd.remove()
        unrounded_gap = rel_l2(temb["f32"], temb["bf16"])
        if unrounded_gap < 10 * BF16_REL_L2_FLOOR:
            raise RuntimeError(f"{case}: rounding check too weak (f32 vs bf16 temb {unrounded_gap:.3g})")
        goldens["rounding_check:timestep"] = rc_inputs["timestep"]
        if "guidance" in rc_inputs:
            goldens["rounding_check:guidance"] = rc_inputs["guidance"]
        goldens["rounding_check:temb_bf16"] = temb["bf16"]
        rounding = {"f32_vs_bf16_temb_rel_l2": unrounded_gap}

    save_file(
        {k: v.contiguous() for k, v in goldens.items()},
        str(case_dir / "golden.safetensors"),
        metadata={"flux_golden": json.dumps(
            {"case": case, "seed": spec["seed"], "diffusers": diffusers.__version__, "torch": torch.__version__},
            sort_keys=True)},
    )

    cfg = dict(model.config)
    return {
        "name": case,
        "seed": spec["seed"],
        "covers": covered_options(cfg, spec, inputs, sharded),
        "grid": list(spec["grid"]) + ([list(spec["extra_grid"])] if "extra_grid" in spec else []),
        "shapes": {k: list(v.shape) for k, v in goldens.items() if ":" not in k},
        "taps": sorted(k for k in goldens if k.startswith("tap:")),
        "rounding_check_tensors": sorted(k for k in goldens if k.startswith("rounding_check:")),
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "checkpoint_files": [f.name for f in sorted((case_dir / "transformer").iterdir())],
        "sample_std": round(sample.std().item(), 4),
        "reload_rel_l2": reload_err,
        "reference_bf16_rel_l2": reference_bf16,
        "bf16_tolerance": max(BF16_REL_L2_FLOOR, 2 * reference_bf16),
        "rounding_check": rounding,
        "bytes": dir_size(case_dir),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tests/data/flux", help="output folder (default tests/data/flux)")
    args = parser.parse_args()

    torch.set_num_threads(min(torch.get_num_threads(), 8))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = [make_case(out_dir, name, spec) for name, spec in CASES.items()]
    covered = set().union(*(set(r["covers"]) for r in results))
    if not REQUIRED_COVERAGE <= covered:
        raise RuntimeError(f"options not covered by any case: {sorted(REQUIRED_COVERAGE - covered)}")

    manifest = {
        "generator": "tests/reference/make_flux_goldens.py",
        "versions": {"diffusers": diffusers.__version__, "torch": torch.__version__},
        "golden_tensors": {
            "hidden_states": "float32 [B, L, in_channels] ~ N(0,1)",
            "encoder_hidden_states": "float32 [B, T, joint_attention_dim] ~ N(0,1)",
            "pooled_projections": "float32 [B, pooled_projection_dim] ~ N(0,1)",
            "timestep": "float32 [B], sigma in (0, 1] (the module multiplies by 1000)",
            "guidance": "float32 [B], guidance scale (only with guidance_embeds; multiplied by 1000 inside)",
            "img_ids": "float32 [L, 3], FluxPipeline._prepare_latent_image_ids for a 1x1-patch grid",
            "txt_ids": "float32 [T, 3]",
            "sample": "float32 [B, L, patch_size^2 * out_channels] = FluxTransformer2DModel(...).sample",
            "tap:*": "block outputs (see record_block_outputs)",
            "rounding_check:*": "timestep/guidance not bf16-exact after x1000 and diffusers' bf16 temb for them",
        },
        "tolerance": {
            "metric": "rel_l2 = ||ours - golden||_2 / ||golden||_2",
            "f32": F32_REL_L2_TOLERANCE,
            "bf16": f"max({BF16_REL_L2_FLOOR}, 2 x reference_bf16_rel_l2) per case (bf16_tolerance)",
        },
        "cases": results,
    }
    (out_dir / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for path in [out_dir / "cases.json", *(out_dir / n for n in CASES)]:
        for f in [path, *path.rglob("*")] if path.is_dir() else [path]:
            f.chmod(0o755 if f.is_dir() else 0o644)

    print(f"{'case':34} {'tokens':>7} {'params':>8} {'KiB':>6} {'bf16 ref':>9}")
    for r in results:
        print(f"{r['name']:34} {r['shapes']['hidden_states'][1]:>7} {r['num_parameters']:>8} "
              f"{r['bytes'] / 1024:>6.0f} {r['reference_bf16_rel_l2']:>9.2e}")
    print(f"\ntotal {dir_size(out_dir) / 1024:.0f} KiB under {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
