#!/usr/bin/env python3
"""Tiny random-weight diffusers `AutoencoderKL` checkpoints and decode goldens, for the C++
AutoencoderKL decoder tests (tests/models/autoencoder_kl_golden_*.cpp, tests/cli).

Run (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_autoencoder_kl_goldens.py --out tests/data/autoencoder_kl

Writes under --out:
  <case>/vae/config.json, <case>/vae/diffusion_pytorch_model.safetensors
        written by diffusers' save_pretrained (the real checkpoint layout, encoder and quant_conv
        included); the `legacy_attention_names` case then renames the mid-block attention's
        to_q/to_k/to_v/to_out.0 to the pre-0.14 query/key/value/proj_attn, as old checkpoints
        store them (diffusers converts them on load)
  <case>/golden.safetensors
        float32: latent_in [N, latent_channels, h, w] ~ N(0,1); decoded = vae.decode(latent_in).sample
  cases.json    the cases, what each covers, shapes, diffusers' own bf16 error, tolerances
  published/<variant>/config.json  (save_config of FLUX.1's and SD 1.x's VAE architectures)
  published/<variant>/params.json  {"num_parameters", "num_decoder_parameters", "tensors": {key: shape}}

Every parameter is drawn from its own generator seeded by sha256("<case>/<key>") (so a tensor's
values do not depend on which other tensors exist): conv/linear weights N(0, 1/fan_in), biases
0.1*N, GroupNorm weights 1 + 0.1*N and biases 0.1*N (no norm is an identity). Inputs come from
torch.manual_seed(case seed). The model runs on the CPU, in eval() and float32.
"""

import json
import shutil
import sys

import torch

import diffusers
from diffusers import AutoencoderKL
from safetensors import safe_open
from safetensors.torch import save_file

# The DC-AE script's seeded per-tensor initialisation (GroupNorm included) and metrics.
from make_dcae_goldens import dir_size, golden_args, randomize_, rel_l2, run_cases, write_manifest

# Relative L2 tolerance the C++ f32 path must meet against these goldens (STYLE.md 2.5).
F32_REL_L2_TOLERANCE = 1e-4

DOWN, UP = "DownEncoderBlock2D", "UpDecoderBlock2D"

# ---------------------------------------------------------------------------------------------
# Tiny cases. `config` goes to AutoencoderKL(**config) as is (save_pretrained writes every key
# into config.json). The decoder upsamples 2x after every up block but the last, so the output
# is (h, w) * 2^(len(block_out_channels) - 1).
# ---------------------------------------------------------------------------------------------
CASES = {
    # FLUX.1's VAE options (vae/config.json of black-forest-labs/FLUX.1-dev: 16 latent channels,
    # scaling 0.3611, shift 0.1159, no quant convs, mid-block attention, layers_per_block 2,
    # silu) in three narrow stages with 2-4 channels per GroupNorm group; a non-square latent.
    "flux_like": dict(
        seed=2001, batch=1, latent_height=4, latent_width=6, tiled_latent=(14, 20),
        config=dict(
            in_channels=3, out_channels=3,
            down_block_types=(DOWN,) * 3, up_block_types=(UP,) * 3,
            block_out_channels=(8, 16, 16), layers_per_block=2, act_fn="silu",
            latent_channels=16, norm_num_groups=4, sample_size=32,
            scaling_factor=0.3611, shift_factor=0.1159,
            use_quant_conv=False, use_post_quant_conv=False, mid_block_add_attention=True,
        ),
    ),
    # Stable Diffusion's layout (4 latent channels, quant_conv and post_quant_conv, no shift,
    # layers_per_block 1) stored with the pre-0.14 attention names; batch of 2, taller than wide.
    "sd_like_legacy_attention": dict(
        seed=2002, batch=2, latent_height=5, latent_width=3, tiled_latent=(11, 9), legacy_attention_names=True,
        config=dict(
            in_channels=3, out_channels=3,
            down_block_types=(DOWN,) * 2, up_block_types=(UP,) * 2,
            block_out_channels=(8, 16), layers_per_block=1, act_fn="silu",
            latent_channels=4, norm_num_groups=4, sample_size=16,
            scaling_factor=0.18215, shift_factor=None,
            use_quant_conv=True, use_post_quant_conv=True, mid_block_add_attention=True,
        ),
    ),
    # No mid-block attention, one resnet per up block (layers_per_block 0), a width change in
    # the middle up block (conv_shortcut), 4 output channels, "swish" spelling, 2 groups.
    "no_mid_attention": dict(
        seed=2003, batch=1, latent_height=3, latent_width=3,
        config=dict(
            in_channels=3, out_channels=4,
            down_block_types=(DOWN,) * 3, up_block_types=(UP,) * 3,
            block_out_channels=(8, 8, 16), layers_per_block=0, act_fn="swish",
            latent_channels=8, norm_num_groups=2, sample_size=16,
            scaling_factor=0.5, shift_factor=None,
            use_quant_conv=False, use_post_quant_conv=True, mid_block_add_attention=False,
        ),
    ),
}

# Options the cases must cover together (checked by covered_options()).
REQUIRED_COVERAGE = {
    "mid_attention:True", "mid_attention:False", "post_quant_conv:True", "post_quant_conv:False",
    "quant_conv:True", "quant_conv:False", "shift_factor:set", "shift_factor:null",
    "attention_names:current", "attention_names:legacy", "act_fn:silu", "act_fn:swish",
    "conv_shortcut", "layers_per_block:0", "layers_per_block:1", "layers_per_block:2",
    "batch:2", "non_square", "latent_channels:16", "latent_channels:4", "out_channels:4",
}

# ---------------------------------------------------------------------------------------------
# Published layouts: the C++ module tree must declare exactly their decoder-side state-dict keys
# (decoder.*, post_quant_conv.*) with the same shapes. Built on the meta device (no weights).
# ---------------------------------------------------------------------------------------------
PUBLISHED = {
    # huggingface.co/black-forest-labs/FLUX.1-dev (and -schnell) vae/config.json
    "flux1-vae": dict(
        in_channels=3, out_channels=3, down_block_types=(DOWN,) * 4, up_block_types=(UP,) * 4,
        block_out_channels=(128, 256, 512, 512), layers_per_block=2, act_fn="silu", latent_channels=16,
        norm_num_groups=32, sample_size=1024, scaling_factor=0.3611, shift_factor=0.1159,
        latents_mean=None, latents_std=None, force_upcast=True,
        use_quant_conv=False, use_post_quant_conv=False, mid_block_add_attention=True,
    ),
    # Stable Diffusion 1.x vae/config.json (its keys predate the quant-conv and mid-attention
    # options, whose defaults are True)
    "sd-v1-vae": dict(
        in_channels=3, out_channels=3, down_block_types=(DOWN,) * 4, up_block_types=(UP,) * 4,
        block_out_channels=(128, 256, 512, 512), layers_per_block=2, act_fn="silu", latent_channels=4,
        norm_num_groups=32, sample_size=512,
    ),
}

LEGACY_ATTENTION_NAMES = {"to_q": "query", "to_k": "key", "to_v": "value", "to_out.0": "proj_attn"}


def decoder_parameters(model):
    """The parameters decode() reads: post_quant_conv (when present) and the decoder."""
    return [(n, p) for n, p in model.named_parameters() if n.startswith(("decoder.", "post_quant_conv."))]


@torch.no_grad()
def run_case(model, spec):
    torch.manual_seed(spec["seed"])
    shape = (spec["batch"], model.config.latent_channels, spec["latent_height"], spec["latent_width"])
    latent_in = torch.randn(shape, dtype=torch.float32)
    goldens = {"latent_in": latent_in, "decoded": model.decode(latent_in).sample}
    if "tiled_latent" in spec:
        # enable_tiling(): tiles of sample_size / f latent pixels overlapping by a quarter, blended.
        latent_tiled = torch.randn((spec["batch"], model.config.latent_channels, *spec["tiled_latent"]))
        model.enable_tiling()
        goldens.update(latent_tiled=latent_tiled, decoded_tiled=model.decode(latent_tiled).sample)
        model.disable_tiling()
    return goldens


def check_decoder_parameters_matter(model, goldens, case):
    """Backprop a random projection of decoded: every decoder parameter must get a nonzero
    gradient, i.e. every weight the C++ decoder loads influences the golden."""
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        decoded = model.decode(goldens["latent_in"]).sample
        g = torch.Generator().manual_seed(7)
        (decoded * torch.randn(decoded.shape, generator=g)).sum().backward()
    dead = [n for n, p in decoder_parameters(model) if p.grad is None or not torch.any(p.grad != 0)]
    model.zero_grad(set_to_none=True)
    if dead:
        raise RuntimeError(f"{case}: decoder parameters with no influence on the golden: {dead}")


def rename_attention_to_legacy(weights_path):
    """Rewrite the checkpoint with the mid-block attentions' pre-0.14 names (every other key and
    every value unchanged). Returns the renamed keys."""
    with safe_open(str(weights_path), "pt") as fh:
        metadata = fh.metadata()
        tensors = {k: fh.get_tensor(k) for k in fh.keys()}
    renamed, out = [], {}
    for key, value in tensors.items():
        new = key
        if ".mid_block.attentions." in key:
            for now, before in LEGACY_ATTENTION_NAMES.items():
                if f".{now}." in key:
                    new = key.replace(f".{now}.", f".{before}.")
                    renamed.append(new)
        out[new] = value
    save_file(out, str(weights_path), metadata=metadata)
    return sorted(renamed)


def covered_options(config, spec, legacy):
    out = {
        f"mid_attention:{config['mid_block_add_attention']}",
        f"post_quant_conv:{config['use_post_quant_conv']}",
        f"quant_conv:{config['use_quant_conv']}",
        "shift_factor:" + ("null" if config["shift_factor"] is None else "set"),
        "attention_names:" + ("legacy" if legacy else "current"),
        f"act_fn:{config['act_fn']}",
        f"layers_per_block:{config['layers_per_block']}",
        f"batch:{spec['batch']}",
        f"latent_channels:{config['latent_channels']}",
        f"out_channels:{config['out_channels']}",
    }
    widths = list(reversed(config["block_out_channels"]))
    if any(a != b for a, b in zip(widths, widths[1:])):
        out.add("conv_shortcut")
    if spec["latent_height"] != spec["latent_width"]:
        out.add("non_square")
    return sorted(out)


def make_case(out_dir, case, spec):
    case_dir = out_dir / case
    if case_dir.exists():
        shutil.rmtree(case_dir)
    model = AutoencoderKL(**spec["config"]).to(torch.float32).eval()
    randomize_(model, case)

    goldens = run_case(model, spec)
    for k, v in goldens.items():
        if not torch.isfinite(v).all() or v.std() == 0:
            raise RuntimeError(f"{case}: golden {k} is non-finite or constant")
    check_decoder_parameters_matter(model, goldens, case)

    model.save_pretrained(case_dir / "vae")
    weights = case_dir / "vae" / "diffusion_pytorch_model.safetensors"
    legacy = spec.get("legacy_attention_names", False)
    renamed = rename_attention_to_legacy(weights) if legacy else []
    save_file(
        {k: v.contiguous() for k, v in goldens.items()},
        str(case_dir / "golden.safetensors"),
        # One metadata key: safetensors writes several keys in random order (not byte-stable).
        metadata={
            "autoencoder_kl_golden": json.dumps(
                {"case": case, "seed": spec["seed"], "diffusers": diffusers.__version__, "torch": torch.__version__},
                sort_keys=True,
            )
        },
    )

    # Verify: the saved checkpoint holds exactly the state_dict (under the legacy names where
    # renamed), and reloading it with from_pretrained reproduces the goldens.
    with safe_open(str(weights), "pt") as fh:
        saved_keys = set(fh.keys())
    expected_keys = set(model.state_dict().keys())
    if legacy:
        expected_keys = {k for k in expected_keys if ".mid_block.attentions." not in k or k.endswith(
            tuple(f".group_norm.{p}" for p in ("weight", "bias")))} | set(renamed)
    if saved_keys != expected_keys:
        raise RuntimeError(f"{case}: saved keys differ from the expected keys")
    reloaded = AutoencoderKL.from_pretrained(case_dir / "vae").eval()
    again = run_case(reloaded, spec)
    worst = max(rel_l2(again[k], goldens[k]) for k in goldens)
    if worst > 1e-6:
        raise RuntimeError(f"{case}: reloaded checkpoint misses the goldens (rel-L2 {worst:.3g})")

    # diffusers' own error in bf16 (loaded as a pipeline does, input cast): the C++ bf16 tests accept
    # max(2e-2, 2 x this), judging low precision against the reference's own error.
    bf16 = AutoencoderKL.from_pretrained(case_dir / "vae", torch_dtype=torch.bfloat16).eval()
    with torch.no_grad():
        dec_bf16 = bf16.decode(goldens["latent_in"].bfloat16()).sample.float()

    full_cfg = dict(model.config)
    return {
        "name": case,
        "seed": spec["seed"],
        "covers": covered_options(full_cfg, spec, legacy),
        "latent_shape": list(goldens["latent_in"].shape),
        "decoded_shape": list(goldens["decoded"].shape),
        "spatial_factor": 2 ** (len(full_cfg["block_out_channels"]) - 1),
        "mid_attention_head_dim": full_cfg["block_out_channels"][-1] if full_cfg["mid_block_add_attention"] else None,
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "num_decoder_parameters": sum(p.numel() for _, p in decoder_parameters(model)),
        "num_tensors": len(saved_keys),
        "legacy_attention_keys": renamed,
        "golden_std": {k: round(v.std().item(), 4) for k, v in goldens.items()},
        "reload_max_rel_l2": worst,
        "reference_bf16_rel_l2": {"decode": rel_l2(dec_bf16, goldens["decoded"])},
        "bytes": dir_size(case_dir),
    }


def make_published(out_dir):
    pub_dir = out_dir / "published"
    if pub_dir.exists():
        shutil.rmtree(pub_dir)
    rows = []
    for variant, cfg in PUBLISHED.items():
        with torch.device("meta"):
            model = AutoencoderKL(**cfg)
        vdir = pub_dir / variant
        vdir.mkdir(parents=True)
        model.save_config(vdir)
        sd = model.state_dict()
        decoder_side = sum(p.numel() for _, p in decoder_parameters(model))
        params = {
            "num_parameters": sum(p.numel() for p in model.parameters()),
            "num_decoder_parameters": decoder_side,
            "tensors": {k: list(v.shape) for k, v in sd.items()},
        }
        (vdir / "params.json").write_text(json.dumps(params, separators=(",", ":")) + "\n")
        rows.append((variant, params["num_parameters"], decoder_side, len(sd)))
    return rows


def main():
    out_dir, only = golden_args(__doc__.splitlines()[0], "tests/data/autoencoder_kl")
    names = only or list(CASES)
    results = run_cases(out_dir, only, CASES, REQUIRED_COVERAGE, make_case)
    published = make_published(out_dir)

    manifest = {
        "generator": "tests/reference/make_autoencoder_kl_goldens.py",
        "versions": {"diffusers": diffusers.__version__, "torch": torch.__version__},
        "golden_tensors": {
            "latent_in": "float32 [N, latent_channels, h, w], standard normal (un-scaled, un-shifted: what "
            "vae.decode takes)",
            "decoded": "float32 [N, out_channels, h*f, w*f] = AutoencoderKL.decode(latent_in).sample",
            "latent_tiled": "cases with tiled_latent: float32 [N, latent_channels, H, W] larger than a tile, "
            "standard normal, drawn after latent_in",
            "decoded_tiled": "AutoencoderKL.decode(latent_tiled).sample with enable_tiling() (tiled_decode)",
        },
        "weights": "every tensor drawn from its own generator seeded by sha256('<case>/<key>'): conv/linear "
        "weights N(0,1/fan_in), biases 0.1*N, GroupNorm weights 1+0.1*N, GroupNorm biases 0.1*N",
        "tolerance": {
            "metric": "rel_l2 = ||ours - golden||_2 / ||golden||_2",
            "f32": F32_REL_L2_TOLERANCE,
            "bf16": "max(2e-2, 2 x reference_bf16_rel_l2.decode)",
            "note": "goldens computed by diffusers on the CPU in float32, eval(); reloading the saved "
            "checkpoint reproduces them to reload_max_rel_l2.",
        },
        "cases": results,
        "published": {v: {"num_parameters": n, "num_decoder_parameters": d, "num_tensors": t}
                      for v, n, d, t in published},
    }
    write_manifest(out_dir, manifest, names)

    print(f"{'case':28} {'latent':>14} {'decoded':>14} {'params':>8} {'decoder':>8} {'KiB':>5}  bf16 ref")
    for r in results:
        print(
            f"{r['name']:28} {'x'.join(map(str, r['latent_shape'])):>14} "
            f"{'x'.join(map(str, r['decoded_shape'])):>14} {r['num_parameters']:>8} "
            f"{r['num_decoder_parameters']:>8} {r['bytes'] / 1024:>5.0f}  {r['reference_bf16_rel_l2']['decode']:.2e}"
        )
    print()
    for v, n, d, t in published:
        print(f"published {v:10} {n:>12,} parameters ({d:,} decoder side) {t:>4} tensors")
    print(f"\ntotal {dir_size(out_dir) / 1024:.0f} KiB under {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
