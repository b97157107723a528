#!/usr/bin/env python3
"""Tiny random-weight diffusers `AutoencoderDC` checkpoints, golden tensors, and the
published DC-AE variants' configs + key/shape lists, for the C++ DC-AE parity tests.

Run (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_dcae_goldens.py --out tests/data/dcae

Writes under --out:
  <case>/vae/config.json, <case>/vae/diffusion_pytorch_model.safetensors
        written by diffusers' save_pretrained (the real checkpoint layout)
  <case>/golden.safetensors
        float32: sample [1,3,H,W] ~ U(-1,1); latent = encode(sample).latent (unscaled);
        scaled = latent * config.scaling_factor; latent_in [1,C_lat,H/f,W/f] ~ N(0,1);
        decoded = decode(latent_in).sample
  cases.json          the cases, what each covers, the attention path taken per block, tolerances
  published/<variant>/config.json  (model.save_config of the published architecture)
  published/<variant>/params.json  {"num_parameters", "tensors": {key: shape}, "int64_tensors": [...]}

Every parameter and buffer is drawn from its own generator seeded by sha256("<case>/<key>")
(so a tensor's values do not depend on which other tensors exist); inputs are drawn from
torch.manual_seed(case seed). The model runs on the CPU, in eval() and float32.
"""

import argparse
import hashlib
import json
import math
import shutil
import sys
from pathlib import Path

import torch
import torch.nn as nn

import diffusers
from diffusers import AutoencoderDC
from diffusers.models.attention_processor import SanaMultiscaleLinearAttention
from diffusers.models.normalization import RMSNorm
from safetensors import safe_open
from safetensors.torch import save_file

# Relative L2 tolerance the C++ f32 path must meet against these goldens (STYLE.md 2.5).
F32_REL_L2_TOLERANCE = 1e-4

RES, VIT = "ResBlock", "EfficientViTBlock"

# ---------------------------------------------------------------------------------------------
# Tiny cases. Each config is passed to AutoencoderDC(**config) as is; keys left out take
# AutoencoderDC's defaults (save_pretrained writes them all into config.json anyway).
# Stage sizes: stage i of n runs at (H/2^i, W/2^i); the latent is (H, W) / 2^(n-1).
# A SanaMultiscaleLinearAttention takes the linear (ReLU-kernel) path when H*W > attention_head_dim
# at its stage and the "quadratic" path otherwise; `attention_paths` in cases.json lists which.
# ---------------------------------------------------------------------------------------------
CASES = {
    # dc-ae-f32c32-sana-1.0 in miniature: conv down / interpolate up, (5,) multiscale in the
    # ViT stages, string norm/act, both shortcuts. "Conv" is the spelling of the hub's
    # sana-1.0/1.1 diffusers config.json (diffusers only tests == "pixel_unshuffle").
    "sana_like": dict(
        seed=1001, height=32, width=32,
        config=dict(
            in_channels=3, latent_channels=8, attention_head_dim=8,
            encoder_block_types=(RES, RES, VIT, VIT), decoder_block_types=(RES, RES, VIT, VIT),
            encoder_block_out_channels=(8, 8, 16, 16), decoder_block_out_channels=(8, 8, 16, 16),
            encoder_layers_per_block=(1, 1, 2, 1), decoder_layers_per_block=(2, 1, 1, 2),
            encoder_qkv_multiscales=((), (), (5,), (5,)), decoder_qkv_multiscales=((), (), (5,), (5,)),
            downsample_block_type="Conv", upsample_block_type="interpolate",
            decoder_norm_types="rms_norm", decoder_act_fns="silu",
            encoder_out_shortcut=True, decoder_in_shortcut=True, decoder_conv_act_fn="relu",
            scaling_factor=0.41407,
        ),
    ),
    # dc-ae-f*-in-1.0 in miniature: leading 0 layers (conv_in = DCDownBlock2d, conv_out =
    # DCUpBlock2d, both without shortcut; block_out_channels[0] is then unused), pixel_unshuffle /
    # pixel_shuffle (the defaults, left out as in the real in-1.0 configs), no multiscale,
    # batch_norm+relu then rms_norm+silu in the decoder. The 2-head ViT stage is 4x4 = 16 <=
    # head_dim 16: quadratic path.
    "in_like_bn_relu": dict(
        seed=1002, height=32, width=32,
        config=dict(
            in_channels=3, latent_channels=16, attention_head_dim=16,
            encoder_block_types=(RES, RES, VIT, VIT), decoder_block_types=(RES, RES, VIT, VIT),
            encoder_block_out_channels=(8, 8, 16, 32), decoder_block_out_channels=(8, 8, 16, 32),
            encoder_layers_per_block=(0, 2, 1, 1), decoder_layers_per_block=(0, 2, 1, 1),
            encoder_qkv_multiscales=((), (), (), ()), decoder_qkv_multiscales=((), (), (), ()),
            decoder_norm_types=("batch_norm", "batch_norm", "rms_norm", "rms_norm"),
            decoder_act_fns=("relu", "relu", "silu", "silu"),
            scaling_factor=0.3189,
        ),
    ),
    # Pixel (un)shuffle without the encoder-out / decoder-in shortcuts (so latent_channels need
    # not divide the last width: 12), (3,5) multiscale, silu final activation, non-square input.
    "pixel_ops_no_shortcut": dict(
        seed=1003, height=32, width=64,
        config=dict(
            in_channels=3, latent_channels=12, attention_head_dim=8,
            encoder_block_types=(RES, VIT, VIT, VIT), decoder_block_types=(VIT, RES, VIT, VIT),
            encoder_block_out_channels=(8, 8, 16, 16), decoder_block_out_channels=(8, 8, 16, 16),
            encoder_layers_per_block=(1, 1, 1, 1), decoder_layers_per_block=(1, 1, 1, 1),
            encoder_qkv_multiscales=((), (3, 5), (5,), (3, 5)),
            decoder_qkv_multiscales=((3, 5), (), (3, 5), (5,)),
            downsample_block_type="pixel_unshuffle", upsample_block_type="pixel_shuffle",
            decoder_norm_types=("rms_norm", "batch_norm", "batch_norm", "rms_norm"),
            decoder_act_fns=("silu", "relu", "relu", "silu"),
            encoder_out_shortcut=False, decoder_in_shortcut=False, decoder_conv_act_fn="silu",
            scaling_factor=1.0,
        ),
    ),
    # Leading 0 layers with conv / interpolate (conv_in = stride-2 conv, conv_out = nearest x2
    # then conv); 5 stages on 16x32 so the deepest stage is 1x2; ViT stages at 4x8 (linear),
    # 2x4 and 1x2 (quadratic); batch_norm inside decoder EfficientViT attention; only the
    # encoder shortcut.
    "leading0_conv_interp_quadratic": dict(
        seed=1004, height=16, width=32,
        config=dict(
            in_channels=3, latent_channels=8, attention_head_dim=16,
            encoder_block_types=(RES, RES, VIT, VIT, VIT), decoder_block_types=(RES, RES, VIT, VIT, VIT),
            encoder_block_out_channels=(8, 8, 16, 16, 16), decoder_block_out_channels=(8, 8, 16, 16, 16),
            encoder_layers_per_block=(0, 1, 1, 1, 1), decoder_layers_per_block=(0, 1, 1, 2, 1),
            encoder_qkv_multiscales=((), (), (5,), (3, 5), (5,)),
            decoder_qkv_multiscales=((), (), (3, 5), (5,), ()),
            downsample_block_type="conv", upsample_block_type="interpolate",
            decoder_norm_types=("batch_norm", "batch_norm", "rms_norm", "batch_norm", "rms_norm"),
            decoder_act_fns=("relu", "silu", "relu", "silu", "relu"),
            encoder_out_shortcut=True, decoder_in_shortcut=False, decoder_conv_act_fn="relu",
            scaling_factor=0.4538,
        ),
    ),
    # Block types alternating per stage (different in encoder and decoder), decoder widths
    # different from the encoder's, pixel_unshuffle down with interpolate up.
    "mixed_stage_types_widths": dict(
        seed=1005, height=32, width=32,
        config=dict(
            in_channels=3, latent_channels=8, attention_head_dim=8,
            encoder_block_types=(VIT, RES, VIT, RES), decoder_block_types=(RES, VIT, RES, VIT),
            encoder_block_out_channels=(8, 8, 16, 16), decoder_block_out_channels=(16, 16, 16, 16),
            encoder_layers_per_block=(1, 2, 1, 1), decoder_layers_per_block=(1, 1, 2, 1),
            encoder_qkv_multiscales=((3, 5), (), (5,), ()),
            decoder_qkv_multiscales=((), (5,), (), (3, 5)),
            downsample_block_type="pixel_unshuffle", upsample_block_type="interpolate",
            decoder_norm_types=("batch_norm", "rms_norm", "batch_norm", "rms_norm"),
            decoder_act_fns=("relu", "silu", "silu", "relu"),
            encoder_out_shortcut=True, decoder_in_shortcut=True, decoder_conv_act_fn="relu",
            scaling_factor=0.362,
        ),
    ),
    # Block types / norms / acts given as plain strings (one for every stage); the decoder is
    # EfficientViT everywhere (stage 0 at full resolution, batch_norm attention norms, a stage
    # without multiscale, 2 heads of 16 at 4x8 = linear); conv down with pixel_shuffle up; only
    # the decoder shortcut. decoder_act_fns is unused here (EfficientViTBlock takes no act).
    "string_types_all_vit_decoder": dict(
        seed=1006, height=32, width=64,
        config=dict(
            in_channels=3, latent_channels=8, attention_head_dim=16,
            encoder_block_types=RES, decoder_block_types=VIT,
            encoder_block_out_channels=(8, 8, 16, 16), decoder_block_out_channels=(16, 16, 16, 32),
            encoder_layers_per_block=(1, 1, 1, 1), decoder_layers_per_block=(1, 1, 1, 1),
            encoder_qkv_multiscales=((), (), (), ()),
            decoder_qkv_multiscales=((5,), (5,), (3, 5), ()),
            downsample_block_type="conv", upsample_block_type="pixel_shuffle",
            decoder_norm_types="batch_norm", decoder_act_fns="relu",
            encoder_out_shortcut=False, decoder_in_shortcut=True, decoder_conv_act_fn="relu",
            scaling_factor=0.4883,
        ),
    ),
}

# Options the cases must cover together (checked by covered_options()).
REQUIRED_COVERAGE = {
    "block:ResBlock", "block:EfficientViTBlock", "block_types:string", "block_types:tuple",
    "qkv_multiscales:()", "qkv_multiscales:(5,)", "qkv_multiscales:(3,5)",
    "attention_head_dim:8", "attention_head_dim:16",
    "decoder_norm:rms_norm", "decoder_norm:batch_norm", "decoder_norm:mixed_tuple", "decoder_norm:string",
    "decoder_act:relu", "decoder_act:silu", "decoder_act:mixed_tuple", "decoder_act:string",
    "decoder_vit_attn_norm:batch_norm", "decoder_vit_attn_norm:rms_norm",
    "downsample:conv", "downsample:pixel_unshuffle", "upsample:interpolate", "upsample:pixel_shuffle",
    "encoder_out_shortcut:True", "encoder_out_shortcut:False",
    "decoder_in_shortcut:True", "decoder_in_shortcut:False",
    "leading_zero_layers:conv_interpolate", "leading_zero_layers:pixel_ops",
    "decoder_conv_act_fn:relu", "decoder_conv_act_fn:silu",
    "attention_path:linear", "attention_path:quadratic",
    "non_square", "encoder_decoder_widths_differ",
}

# ---------------------------------------------------------------------------------------------
# Published variants: the config dicts of diffusers' scripts/convert_dcae_to_diffusers.py
# (get_ae_config, huggingface/diffusers commit 2843b3d37a, unchanged at 58eb52c0 of 2026-08-23).
# That script has no sana-1.1 entry; DC-AE-f32c32-SANA-1.1 has "the same encoder as
# DC-AE-f32c32-SANA-1.0 while having a slightly better decoder" (mit-han-lab/efficientvit
# assets/docs/dc_ae_sana_1.1.md), i.e. the same architecture, so sana-1.1 = the sana-1.0 dict.
# ---------------------------------------------------------------------------------------------
def _published_configs():
    sana = dict(
        latent_channels=32,
        encoder_block_types=(RES, RES, RES, VIT, VIT, VIT),
        decoder_block_types=(RES, RES, RES, VIT, VIT, VIT),
        encoder_block_out_channels=(128, 256, 512, 512, 1024, 1024),
        decoder_block_out_channels=(128, 256, 512, 512, 1024, 1024),
        encoder_qkv_multiscales=((), (), (), (5,), (5,), (5,)),
        decoder_qkv_multiscales=((), (), (), (5,), (5,), (5,)),
        encoder_layers_per_block=(2, 2, 2, 3, 3, 3),
        decoder_layers_per_block=[3, 3, 3, 3, 3, 3],
        downsample_block_type="conv",
        upsample_block_type="interpolate",
        decoder_norm_types="rms_norm",
        decoder_act_fns="silu",
        scaling_factor=0.41407,
    )

    def in_mix(latent_channels, widths, enc_layers, dec_layers, scaling_factor):
        n = len(widths)
        return dict(
            latent_channels=latent_channels,
            encoder_block_types=[RES] * 3 + [VIT] * (n - 3),
            decoder_block_types=[RES] * 3 + [VIT] * (n - 3),
            encoder_block_out_channels=list(widths),
            decoder_block_out_channels=list(widths),
            encoder_layers_per_block=list(enc_layers),
            decoder_layers_per_block=list(dec_layers),
            encoder_qkv_multiscales=((),) * n,
            decoder_qkv_multiscales=((),) * n,
            decoder_norm_types=["batch_norm"] * 3 + ["rms_norm"] * (n - 3),
            decoder_act_fns=["relu"] * 3 + ["silu"] * (n - 3),
            scaling_factor=scaling_factor,
        )

    w32 = [128, 256, 512, 512, 1024, 1024]
    w64 = w32 + [2048]
    w128 = w64 + [2048]
    return {
        "dc-ae-f32c32-sana-1.0": dict(sana),
        "dc-ae-f32c32-sana-1.1": dict(sana),
        "dc-ae-f32c32-in-1.0": in_mix(32, w32, [0, 4, 8, 2, 2, 2], [0, 5, 10, 2, 2, 2], 0.3189),
        "dc-ae-f32c32-mix-1.0": in_mix(32, w32, [0, 4, 8, 2, 2, 2], [0, 5, 10, 2, 2, 2], 0.4552),
        "dc-ae-f64c128-in-1.0": in_mix(128, w64, [0, 4, 8, 2, 2, 2, 2], [0, 5, 10, 2, 2, 2, 2], 0.2889),
        "dc-ae-f64c128-mix-1.0": in_mix(128, w64, [0, 4, 8, 2, 2, 2, 2], [0, 5, 10, 2, 2, 2, 2], 0.4538),
        "dc-ae-f128c512-in-1.0": in_mix(512, w128, [0, 4, 8, 2, 2, 2, 2, 2], [0, 5, 10, 2, 2, 2, 2, 2], 0.4883),
        "dc-ae-f128c512-mix-1.0": in_mix(512, w128, [0, 4, 8, 2, 2, 2, 2, 2], [0, 5, 10, 2, 2, 2, 2, 2], 0.3620),
    }


# Facts from /work/shared/REFERENCE.md "DC-AE configurations" (parameter counts in millions).
EXPECTED_MPARAMS = {"dc-ae-f32c32-sana-1.0": 312, "dc-ae-f64c128-in-1.0": 677}


# ---------------------------------------------------------------------------------------------
def tensor_generator(case, key):
    digest = hashlib.sha256(f"{case}/{key}".encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))


# Norm layers whose affine parameters get 1 + 0.1*N / 0.1*N (GroupNorm: AutoencoderKL's, for
# make_autoencoder_kl_goldens.py, which shares these helpers).
NORMS = (RMSNorm, nn.BatchNorm2d, nn.GroupNorm)


@torch.no_grad()
def randomize_(model, case):
    """Overwrite every parameter and floating buffer with seeded random values so that no op is
    an identity: conv/linear weights N(0, 1/fan_in), biases 0.1*N, norm weights 1 + 0.1*N, norm
    biases 0.1*N, BatchNorm running_mean 0.1*N, running_var U(0.5, 1.5). num_batches_tracked
    (int64, unused in eval) is left at 0."""
    handled = set()
    for mod_name, mod in model.named_modules():
        prefix = f"{mod_name}." if mod_name else ""
        for attr, t in list(mod.named_parameters(recurse=False)) + list(mod.named_buffers(recurse=False)):
            key = prefix + attr
            g = tensor_generator(case, key)
            normal = lambda: torch.randn(t.shape, generator=g, dtype=torch.float32)  # noqa: E731
            if isinstance(mod, (nn.Conv2d, nn.Linear)) and attr == "weight":
                fan_in = t[0].numel()
                t.copy_(normal() / math.sqrt(fan_in))
            elif isinstance(mod, (nn.Conv2d, nn.Linear)) and attr == "bias":
                t.copy_(0.1 * normal())
            elif isinstance(mod, NORMS) and attr == "weight":
                t.copy_(1.0 + 0.1 * normal())
            elif isinstance(mod, NORMS) and attr == "bias":
                t.copy_(0.1 * normal())
            elif isinstance(mod, nn.BatchNorm2d) and attr == "running_mean":
                t.copy_(0.1 * normal())
            elif isinstance(mod, nn.BatchNorm2d) and attr == "running_var":
                t.copy_(0.5 + torch.rand(t.shape, generator=g, dtype=torch.float32))
            elif isinstance(mod, nn.BatchNorm2d) and attr == "num_batches_tracked":
                pass
            else:
                raise RuntimeError(f"{case}: no init rule for {key} ({type(mod).__name__})")
            handled.add(key)
    missing = set(model.state_dict().keys()) - handled
    if missing:
        raise RuntimeError(f"{case}: tensors not randomized: {sorted(missing)}")


def record_attention_paths(model):
    """Forward pre-hooks noting, per SanaMultiscaleLinearAttention, the spatial size it saw and
    which path SanaMultiscaleAttnProcessor2_0 takes (linear iff H*W > attention_head_dim)."""
    seen, handles = {}, []
    for name, mod in model.named_modules():
        if isinstance(mod, SanaMultiscaleLinearAttention):
            def hook(m, args, name=name):
                h, w = args[0].shape[-2:]
                path = "linear" if h * w > m.attention_head_dim else "quadratic"
                seen[name] = f"{h}x{w}:{path}"
            handles.append(mod.register_forward_pre_hook(hook))
    return seen, handles


def spatial_factor(config):
    return 2 ** (len(config["encoder_block_out_channels"]) - 1)


@torch.no_grad()
def run_case(model, case, spec):
    cfg = model.config
    f = spatial_factor(cfg)
    h, w = spec["height"], spec["width"]
    if h % f or w % f:
        raise ValueError(f"{case}: {h}x{w} not divisible by the spatial factor {f}")
    torch.manual_seed(spec["seed"])
    sample = torch.rand(1, cfg.in_channels, h, w, dtype=torch.float32) * 2.0 - 1.0
    latent_in = torch.randn(1, cfg.latent_channels, h // f, w // f, dtype=torch.float32)
    latent = model.encode(sample).latent
    decoded = model.decode(latent_in).sample
    return {
        "sample": sample,
        "latent": latent,
        "scaled": latent * cfg.scaling_factor,
        "latent_in": latent_in,
        "decoded": decoded,
    }


def check_all_parameters_matter(model, goldens, case):
    """Backprop a random projection of latent and decoded: every parameter must get a nonzero
    gradient, i.e. every weight in the checkpoint influences a golden."""
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        latent = model.encode(goldens["sample"]).latent
        decoded = model.decode(goldens["latent_in"]).sample
        g = torch.Generator().manual_seed(7)
        loss = (latent * torch.randn(latent.shape, generator=g)).sum() + (
            decoded * torch.randn(decoded.shape, generator=g)
        ).sum()
        loss.backward()
    dead = [n for n, p in model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
    model.zero_grad(set_to_none=True)
    if dead:
        raise RuntimeError(f"{case}: parameters with no influence on the goldens: {dead}")


def as_tuple(v, n):
    return (v,) * n if isinstance(v, str) else tuple(v)


def covered_options(config, spec, attention_paths):
    n_enc = len(config["encoder_block_out_channels"])
    n_dec = len(config["decoder_block_out_channels"])
    enc_types = as_tuple(config["encoder_block_types"], n_enc)
    dec_types = as_tuple(config["decoder_block_types"], n_dec)
    norms = as_tuple(config["decoder_norm_types"], n_dec)
    acts = as_tuple(config["decoder_act_fns"], n_dec)
    enc_layers, dec_layers = config["encoder_layers_per_block"], config["decoder_layers_per_block"]
    out = set()
    for types, layers, ms in (
        (enc_types, enc_layers, config["encoder_qkv_multiscales"]),
        (dec_types, dec_layers, config["decoder_qkv_multiscales"]),
    ):
        for t, nl, m in zip(types, layers, ms):
            if nl > 0:
                out.add(f"block:{t}")
                if t == VIT:
                    out.add("qkv_multiscales:(" + ",".join(map(str, m)) + ("," if len(m) == 1 else "") + ")")
                    out.add(f"attention_head_dim:{config['attention_head_dim']}")
    for key in ("encoder_block_types", "decoder_block_types"):
        out.add("block_types:string" if isinstance(config[key], str) else "block_types:tuple")
    for i in range(n_dec):
        if dec_layers[i] == 0:
            continue
        out.add(f"decoder_norm:{norms[i]}")
        if dec_types[i] == RES:
            out.add(f"decoder_act:{acts[i]}")
        else:
            out.add(f"decoder_vit_attn_norm:{norms[i]}")
    for key, tag in (("decoder_norm_types", "decoder_norm"), ("decoder_act_fns", "decoder_act")):
        v = config[key]
        if isinstance(v, str):
            out.add(f"{tag}:string")
        elif len(set(v)) > 1:
            out.add(f"{tag}:mixed_tuple")
    down = "pixel_unshuffle" if config["downsample_block_type"] == "pixel_unshuffle" else "conv"
    up = "interpolate" if config["upsample_block_type"] == "interpolate" else "pixel_shuffle"
    out.add(f"downsample:{down}")
    out.add(f"upsample:{up}")
    out.add(f"encoder_out_shortcut:{config['encoder_out_shortcut']}")
    out.add(f"decoder_in_shortcut:{config['decoder_in_shortcut']}")
    if enc_layers[0] == 0 or dec_layers[0] == 0:
        both_conv = down == "conv" and up == "interpolate"
        both_pixel = down == "pixel_unshuffle" and up == "pixel_shuffle"
        out.add("leading_zero_layers:" + ("conv_interpolate" if both_conv else "pixel_ops" if both_pixel else "mixed"))
    out.add(f"decoder_conv_act_fn:{config['decoder_conv_act_fn']}")
    for v in attention_paths.values():
        out.add("attention_path:" + v.split(":")[1])
    if spec["height"] != spec["width"]:
        out.add("non_square")
    if list(config["encoder_block_out_channels"]) != list(config["decoder_block_out_channels"]):
        out.add("encoder_decoder_widths_differ")
    return sorted(out)


def rel_l2(a, b):
    return (torch.linalg.vector_norm((a - b).double()) / torch.linalg.vector_norm(b.double())).item()


def dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def make_case(out_dir, case, spec):
    case_dir = out_dir / case
    if case_dir.exists():
        shutil.rmtree(case_dir)
    model = AutoencoderDC(**spec["config"]).to(torch.float32).eval()
    randomize_(model, case)

    attention_paths, handles = record_attention_paths(model)
    goldens = run_case(model, case, spec)
    for hnd in handles:
        hnd.remove()
    for k, v in goldens.items():
        if not torch.isfinite(v).all() or v.std() == 0:
            raise RuntimeError(f"{case}: golden {k} is non-finite or constant")
    check_all_parameters_matter(model, goldens, case)

    model.save_pretrained(case_dir / "vae")
    save_file(
        {k: v.contiguous() for k, v in goldens.items()},
        str(case_dir / "golden.safetensors"),
        # One metadata key: safetensors writes several keys in random order (not byte-stable).
        metadata={
            "dcae_golden": json.dumps(
                {"case": case, "seed": spec["seed"], "diffusers": diffusers.__version__, "torch": torch.__version__},
                sort_keys=True,
            )
        },
    )

    # Verify: the saved checkpoint has exactly the state_dict keys, and reloading it with
    # from_pretrained reproduces the goldens.
    with safe_open(str(case_dir / "vae" / "diffusion_pytorch_model.safetensors"), "pt") as fh:
        saved_keys = set(fh.keys())
    if saved_keys != set(model.state_dict().keys()):
        raise RuntimeError(f"{case}: saved keys differ from state_dict keys")
    reloaded = AutoencoderDC.from_pretrained(case_dir / "vae").to(torch.float32).eval()
    again = run_case(reloaded, case, spec)
    worst = max(rel_l2(again[k], goldens[k]) for k in goldens)
    if worst > 1e-6:
        raise RuntimeError(f"{case}: reloaded checkpoint misses the goldens (rel-L2 {worst:.3g})")

    # diffusers' own error when run in bf16 (same weights, inputs cast): the C++ bf16 tests
    # accept max(2e-2, 2 x this), judging low precision against the reference's own error.
    bf16 = AutoencoderDC.from_pretrained(case_dir / "vae").to(torch.bfloat16).eval()
    with torch.no_grad():
        enc_bf16 = bf16.encode(goldens["sample"].bfloat16()).latent.float()
        dec_bf16 = bf16.decode(goldens["latent_in"].bfloat16()).sample.float()
    reference_bf16 = {
        "encode": rel_l2(enc_bf16, goldens["latent"]),
        "decode": rel_l2(dec_bf16, goldens["decoded"]),
    }

    cfg = spec["config"]
    full_cfg = dict(model.config)
    return {
        "name": case,
        "seed": spec["seed"],
        "covers": covered_options(full_cfg, spec, attention_paths),
        "sample_shape": list(goldens["sample"].shape),
        "latent_shape": list(goldens["latent"].shape),
        "decoded_shape": list(goldens["decoded"].shape),
        "spatial_factor": spatial_factor(cfg),
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "num_tensors": len(saved_keys),
        "attention_paths": dict(sorted(attention_paths.items())),
        "golden_std": {k: round(v.std().item(), 4) for k, v in goldens.items()},
        "reload_max_rel_l2": worst,
        "reference_bf16_rel_l2": reference_bf16,
        "bytes": dir_size(case_dir),
    }


def make_published(out_dir):
    pub_dir = out_dir / "published"
    if pub_dir.exists():
        shutil.rmtree(pub_dir)
    rows = []
    for variant, cfg in _published_configs().items():
        with torch.device("meta"):
            model = AutoencoderDC(**cfg)
        vdir = pub_dir / variant
        vdir.mkdir(parents=True)
        model.save_config(vdir)
        sd = model.state_dict()
        n_params = sum(p.numel() for p in model.parameters())
        params = {
            "num_parameters": n_params,
            "tensors": {k: list(v.shape) for k, v in sd.items()},
            "int64_tensors": [k for k, v in sd.items() if v.dtype == torch.int64],
        }
        if any(v.dtype not in (torch.float32, torch.int64) for v in sd.values()):
            raise RuntimeError(f"{variant}: unexpected dtype in state_dict")
        (vdir / "params.json").write_text(json.dumps(params, separators=(",", ":")) + "\n")
        want = EXPECTED_MPARAMS.get(variant)
        if want is not None and round(n_params / 1e6) != want:
            raise RuntimeError(f"{variant}: {n_params} parameters, REFERENCE.md says {want}M")
        rows.append((variant, n_params, len(sd)))
    return rows


# ---------------------------------------------------------------------------------------------
# The command line and bookkeeping shared with make_autoencoder_kl_goldens.py.
def golden_args(description, default_out):
    """--out FOLDER and --cases NAME...; returns (out_dir, names or None for all)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default=default_out, help=f"output folder (default {default_out})")
    parser.add_argument("--cases", nargs="*", default=None, help="only these cases (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(min(torch.get_num_threads(), 8))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir, args.cases


def run_cases(out_dir, only, cases, required_coverage, make_case):
    """make_case for every case (or those named in `only`); a full run must cover every option."""
    results = [make_case(out_dir, name, cases[name]) for name in (only or list(cases))]
    covered = set().union(*(set(r["covers"]) for r in results))
    if only is None and not required_coverage <= covered:
        raise RuntimeError(f"options not covered by any case: {sorted(required_coverage - covered)}")
    return results


def write_manifest(out_dir, manifest, case_names):
    """cases.json; then everything written made plainly readable (safetensors creates files 0600)."""
    (out_dir / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for path in [out_dir / "cases.json", out_dir / "published", *(out_dir / n for n in case_names)]:
        for f in [path, *path.rglob("*")] if path.is_dir() else [path]:
            f.chmod(0o755 if f.is_dir() else 0o644)


def main():
    out_dir, only = golden_args(__doc__.splitlines()[0], "tests/data/dcae")
    names = only or list(CASES)
    results = run_cases(out_dir, only, CASES, REQUIRED_COVERAGE, make_case)
    published = make_published(out_dir)

    manifest = {
        "generator": "tests/reference/make_dcae_goldens.py",
        "versions": {"diffusers": diffusers.__version__, "torch": torch.__version__},
        "golden_tensors": {
            "sample": "float32 [1, in_channels, H, W], uniform in [-1, 1)",
            "latent": "float32 [1, latent_channels, H/f, W/f] = AutoencoderDC.encode(sample).latent (unscaled)",
            "scaled": "float32, latent * config.scaling_factor (what a diffusion pipeline feeds its DiT)",
            "latent_in": "float32 [1, latent_channels, H/f, W/f], standard normal",
            "decoded": "float32 [1, in_channels, H, W] = AutoencoderDC.decode(latent_in).sample",
        },
        "weights": "every tensor drawn from its own generator seeded by sha256('<case>/<key>'): conv/linear "
        "weights N(0,1/fan_in), biases 0.1*N, norm weights 1+0.1*N, norm biases 0.1*N, BatchNorm "
        "running_mean 0.1*N, running_var U(0.5,1.5); num_batches_tracked (int64) = 0",
        "tolerance": {
            "metric": "rel_l2 = ||ours - golden||_2 / ||golden||_2 per tensor",
            "f32": F32_REL_L2_TOLERANCE,
            "note": "goldens computed by diffusers on the CPU in float32, eval(); reloading the saved "
            "checkpoint reproduces them to reload_max_rel_l2. Low precision: judge against the f32 "
            "golden as k x (the reference's own error at that precision) + a floor (STYLE.md 2.5).",
        },
        "cases": results,
        "published": {v: {"num_parameters": n, "num_tensors": t} for v, n, t in published},
    }
    write_manifest(out_dir, manifest, names)

    print(f"{'case':34} {'sample':>16} {'latent':>16} {'params':>8} {'tensors':>7} {'KiB':>6}  attention paths")
    for r in results:
        paths = sorted({v.split(':')[1] for v in r["attention_paths"].values()})
        print(
            f"{r['name']:34} {'x'.join(map(str, r['sample_shape'])):>16} {'x'.join(map(str, r['latent_shape'])):>16} "
            f"{r['num_parameters']:>8} {r['num_tensors']:>7} {r['bytes'] / 1024:>6.0f}  {','.join(paths)}"
        )
    print()
    for v, n, t in published:
        print(f"published {v:26} {n:>12,} parameters {t:>5} tensors")
    print(f"\ntotal {dir_size(out_dir) / 1024:.0f} KiB under {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
