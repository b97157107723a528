#!/usr/bin/env python3
"""Tiny FLUX LoRA files in the layouts FLUX LoRAs ship in, and diffusers' transformer outputs with
them fused, for the C++ LoRA tests (tests/models/flux_lora_test.cpp).

Run (see tests/reference/README.md):
    /work/venv-ref/bin/python tests/reference/make_flux_lora_goldens.py

Reads the tiny transformers and inputs of tests/reference/make_flux_goldens.py (tests/data/flux) and
the tiny DC-Gen-FLUX pipeline of make_flux_pipeline_golden.py (tests/data/flux_pipeline). Writes:

  tests/data/flux_lora/<case>/kohya.safetensors
      kohya sd-scripts layout: "lora_unet_<BFL module>.lora_down.weight" [r, in], ".lora_up.weight"
      [out, r], ".alpha", float32 (diffusers' kohya conversion scales by alpha / r in the file's
      dtype, which in float16 would leave the reference itself 1e-4 off). Every FLUX layer kind the model has
      (double blocks' img/txt qkv, proj, mlp_0, mlp_2, mod_lin; single blocks' linear1, linear2,
      modulation_lin; img_in, txt_in, time_in, vector_in, guidance_in, final_layer linear and
      adaLN_modulation_1), ranks 2/4/6, alphas != rank, a few without alpha (default: rank), one qkv
      in ai-toolkit's block-diagonal form, and two text-encoder layers (lora_te1_*).
  tests/data/flux_lora/<case>/peft_metadata.safetensors
      diffusers layout written by diffusers itself (FluxPipeline.save_lora_weights of a PEFT
      adapter): "transformer.<module>.lora_A.weight" / ".lora_B.weight" on every Linear, with the
      adapter's LoraConfig in the "lora_adapter_metadata" JSON: lora_alpha 6 on r 4, rank_pattern
      {"proj_mlp": 2}, alpha_pattern {"to_k": 3} (so scale = alpha / r varies per module).
  tests/data/flux_lora/<case>/peft_alphas.safetensors
      diffusers layout with "transformer.<module>.alpha" tensors on some modules and none on others
      (those take the most common alpha: diffusers' intent; diffusers 0.42.1 actually takes the
      first alpha in key order, see make_peft_alphas, and the file makes the two agree), float16.
  tests/data/flux_lora/<case>/golden.safetensors
      "sample:<name>": FluxTransformer2DModel(...).sample on the case's golden inputs after fusing
      the LoRAs of golden <name> (cases.json lists files and strengths), f32; "weight:<name>:<key>":
      a few fused weights (fused q/k/v rows, the swapped norm_out halves) to check row placement.
  tests/data/flux_lora/tiny-dcgen-flux/style.safetensors
      a kohya LoRA (float16, like most kohya exports) for tests/data/flux_pipeline/tiny-dcgen-flux's
      transformer (the dcgen CLI test).
  tests/data/flux_lora/cases.json

diffusers path (0.42.1, transformer level, as FluxLoraLoaderMixin.load_lora_weights does it):
FluxPipeline.lora_state_dict(file) (kohya -> diffusers conversion, alphas, metadata), then
transformer.load_lora_adapter(..., prefix="transformer"), fuse_lora(lora_scale=strength),
unload_lora(); several LoRAs one after the other. Two documented deviations, both in the kohya
conversion (lora_conversion_utils._convert_kohya_flux_lora_to_diffusers):
  * it splits single blocks' linear1 with FLUX.1's hard-coded widths [3072, 3072, 3072, 12288];
    this script runs the same function with the tiny model's widths [C, C, C, out - 3C] substituted;
  * it drops final_layer alphas (they reach no scale); the kohya files here give final_layer no
    alpha (scale 1), where both readings agree. Our reader applies alpha / r to every layer, as
    kohya's own LoRAModule does;
  * it names the top-level layers it converts (img_in, txt_in, time_in, vector_in, guidance_in,
    final_layer) "x_embedder.lora_A.weight"... without the "transformer." prefix that
    load_lora_adapter(prefix="transformer") keeps, so diffusers 0.42.1 silently drops them (this
    script checks that every Linear changed, which is how it showed). The script adds the prefix
    to the converted keys; names, splits and the final_layer half swap stay diffusers' own.
Every LoRA parameter is drawn from its own generator seeded by sha256("<case>/<file>/<key>").
"""

import argparse
import copy
import hashlib
import inspect
import json
import math
import shutil
import sys
from pathlib import Path

import torch
import torch.nn as nn

import diffusers
import peft
from diffusers import FluxPipeline, FluxTransformer2DModel
from diffusers.loaders import lora_conversion_utils, lora_pipeline
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict
from safetensors import safe_open
from safetensors.torch import save_file

DATA = Path(__file__).resolve().parents[1] / "data"
F32_REL_L2_TOLERANCE = 1e-4
BF16_REL_L2_FLOOR = 2e-2

# Base cases of make_flux_goldens.py: a guidance-distilled DC-Gen-style model (single checkpoint)
# and one without guidance whose checkpoint is sharded (restoring weights reads shards).
CASES = ["dcgen_c32_guidance", "c64_out48_no_guidance_sharded"]

# Goldens per case: name -> [(file, strength)], fused in that order.
GOLDENS = {
    "kohya": [("kohya.safetensors", 0.7)],
    "peft_metadata": [("peft_metadata.safetensors", 1.3)],
    "peft_alphas": [("peft_alphas.safetensors", 1.0)],
    "kohya+peft_metadata": [("kohya.safetensors", 0.7), ("peft_metadata.safetensors", -0.5)],
}
# Fused weights stored per golden (row placement in the C++ fused matrices).
CHECKED_WEIGHTS = ["transformer_blocks.0.attn.to_k.weight", "transformer_blocks.0.attn.add_v_proj.weight",
                   "single_transformer_blocks.0.attn.to_v.weight", "single_transformer_blocks.0.proj_mlp.weight",
                   "norm_out.linear.weight"]


def generator(*parts):
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))


def randn(shape, *seed_parts):
    return torch.randn(shape, generator=generator(*seed_parts), dtype=torch.float32)


def lora_pair(out_f, in_f, rank, *seed_parts):
    """down ~ N(0, 1/in), up ~ N(0, 0.15/r): the update is a good fraction of the weight, so a
    LoRA that landed in the wrong rows could not go unnoticed."""
    down = randn((rank, in_f), *seed_parts, "down") / math.sqrt(in_f)
    up = randn((out_f, rank), *seed_parts, "up") * math.sqrt(0.15 / rank)
    return down, up


# ------------------------------------------------------------------------------------------------
# kohya (BFL names)
# ------------------------------------------------------------------------------------------------
def bfl_layers(model):
    """(kohya module name, out, in) for every BFL layer of `model`, from its diffusers shapes."""
    cfg = model.config
    c = cfg.num_attention_heads * cfg.attention_head_dim
    layers = []
    for i, blk in enumerate(model.transformer_blocks):
        p = f"double_blocks_{i}_"
        layers += [(p + "img_attn_qkv", 3 * c, c), (p + "img_attn_proj", c, c),
                   (p + "img_mlp_0", blk.ff.net[0].proj.out_features, c),
                   (p + "img_mlp_2", c, blk.ff.net[2].in_features), (p + "img_mod_lin", 6 * c, c),
                   (p + "txt_attn_qkv", 3 * c, c), (p + "txt_attn_proj", c, c),
                   (p + "txt_mlp_0", blk.ff_context.net[0].proj.out_features, c),
                   (p + "txt_mlp_2", c, blk.ff_context.net[2].in_features), (p + "txt_mod_lin", 6 * c, c)]
    for i, blk in enumerate(model.single_transformer_blocks):
        p = f"single_blocks_{i}_"
        layers += [(p + "linear1", 3 * c + blk.proj_mlp.out_features, c),
                   (p + "linear2", c, blk.proj_out.in_features), (p + "modulation_lin", 3 * c, c)]
    tte = model.time_text_embed
    layers += [("img_in", c, cfg.in_channels), ("txt_in", c, cfg.joint_attention_dim),
               ("time_in_in_layer", c, tte.timestep_embedder.linear_1.in_features),
               ("time_in_out_layer", c, c),
               ("vector_in_in_layer", c, cfg.pooled_projection_dim), ("vector_in_out_layer", c, c)]
    if cfg.guidance_embeds:
        layers += [("guidance_in_in_layer", c, tte.guidance_embedder.linear_1.in_features),
                   ("guidance_in_out_layer", c, c)]
    layers += [("final_layer_linear", model.proj_out.out_features, c), ("final_layer_adaLN_modulation_1", 2 * c, c)]
    return layers


def make_kohya(model, seed, text_encoder_layers=True, dtype=torch.float32):
    sd = {}
    for k, (name, out_f, in_f) in enumerate(bfl_layers(model)):
        rank = [4, 2, 4, 6][k % 4]
        down, up = lora_pair(out_f, in_f, rank, seed, name)
        if name == "double_blocks_0_txt_attn_qkv":
            # ai-toolkit's form: rank 3 x 2, up block-diagonal over q, k, v (diffusers chunks it).
            rank = 6
            down, up = lora_pair(out_f, in_f, rank, seed, name)
            mask = torch.zeros_like(up)
            for j in range(3):
                mask[j * in_f:(j + 1) * in_f, 2 * j:2 * (j + 1)] = 1
            up = up * mask
        sd[f"lora_unet_{name}.lora_down.weight"] = down
        sd[f"lora_unet_{name}.lora_up.weight"] = up
        if not name.startswith("final_layer") and k % 5 != 3:
            sd[f"lora_unet_{name}.alpha"] = torch.tensor([8.0, 1.0, 3.0, 16.0][k % 4])
    if text_encoder_layers:
        for name in ["lora_te1_text_model_encoder_layers_0_mlp_fc1", "lora_te1_text_model_encoder_layers_0_self_attn_q_proj"]:
            down, up = lora_pair(16, 16, 4, seed, name)
            sd[f"{name}.lora_down.weight"], sd[f"{name}.lora_up.weight"] = down, up
            sd[f"{name}.alpha"] = torch.tensor(4.0)
    return {k: v.to(dtype) for k, v in sd.items()}


def patch_single_block_widths(model):
    """diffusers' kohya conversion with the tiny model's single-block linear1 split (see the docstring)."""
    source = inspect.getsource(lora_conversion_utils._convert_kohya_flux_lora_to_diffusers)
    c = model.config.num_attention_heads * model.config.attention_head_dim
    mlp = model.single_transformer_blocks[0].proj_mlp.out_features
    literal = "dims=[3072, 3072, 3072, 12288]"
    if source.count(literal) != 1:
        raise RuntimeError("diffusers' kohya FLUX conversion changed: review patch_single_block_widths")
    namespace = dict(vars(lora_conversion_utils))
    exec(source.replace(literal, f"dims=[{c}, {c}, {c}, {mlp}]"), namespace)
    lora_pipeline._convert_kohya_flux_lora_to_diffusers = namespace["_convert_kohya_flux_lora_to_diffusers"]


# ------------------------------------------------------------------------------------------------
# diffusers / PEFT
# ------------------------------------------------------------------------------------------------
def linear_names(model):
    return [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]


@torch.no_grad()
def make_peft_metadata(model, seed, path):
    """A PEFT adapter on every Linear, saved by diffusers with its LoraConfig as metadata."""
    m = copy.deepcopy(model)
    config = LoraConfig(r=4, lora_alpha=6, target_modules=linear_names(m), rank_pattern={"proj_mlp": 2},
                        alpha_pattern={"to_k": 3})
    m.add_adapter(config)
    for name, p in m.named_parameters():
        if "lora_A" in name:
            p.copy_(randn(p.shape, seed, name) / math.sqrt(p.shape[1]))
        elif "lora_B" in name:
            p.copy_(randn(p.shape, seed, name) * math.sqrt(0.15 / p.shape[1]))
    layers = get_peft_model_state_dict(m)
    # Sets (target_modules) sorted: diffusers writes them in hash order, which changes run to run.
    metadata = {k: sorted(v) if isinstance(v, set) else v for k, v in m.peft_config["default"].to_dict().items()}
    FluxPipeline.save_lora_weights(path.parent, transformer_lora_layers=layers, weight_name=path.name,
                                   transformer_lora_adapter_metadata=metadata)


def make_peft_alphas(model, seed):
    sd = {}
    for k, name in enumerate(linear_names(model)):
        mod = model.get_submodule(name)
        down, up = lora_pair(mod.out_features, mod.in_features, 4, seed, name)
        sd[f"transformer.{name}.lora_A.weight"], sd[f"transformer.{name}.lora_B.weight"] = down, up
        if name == "proj_out":
            # diffusers turns alphas that differ from the most common one into PEFT alpha_pattern
            # regexes "(.*\.)?(<module>)", so a top-level "proj_out" alpha would also reach every
            # single block's proj_out; that module keeps the common alpha (our reader matches
            # alphas to their own module only).
            sd[f"transformer.{name}.alpha"] = torch.tensor(2.0)
        elif k % 3 != 2:  # the rest take the most common alpha (2.0)
            sd[f"transformer.{name}.alpha"] = torch.tensor(2.0 if k % 3 == 0 else 8.0)
    # diffusers' get_peft_kwargs counts the alpha *tensors* (hashed by identity), so its "most common
    # alpha" is in fact the first alpha key in name order: make that one hold the most common value.
    alpha_keys = sorted(k for k in sd if k.endswith(".alpha"))
    sd[alpha_keys[0]] = torch.tensor(2.0)
    values = [sd[k].item() for k in alpha_keys]
    if max(set(values), key=values.count) != 2.0:
        raise RuntimeError("peft_alphas: 2.0 must be the most common alpha")
    return {k: v.to(torch.float16) for k, v in sd.items()}


# ------------------------------------------------------------------------------------------------
# Reference: diffusers fuses the LoRAs, then runs forward
# ------------------------------------------------------------------------------------------------
def fused_model(transformer_dir, loras, dtype=torch.float32):
    model = FluxTransformer2DModel.from_pretrained(transformer_dir).to(torch.float32).eval()
    for i, (path, strength) in enumerate(loras):
        sd, alphas, metadata = FluxPipeline.lora_state_dict(str(path), return_alphas=True, return_lora_metadata=True)
        # diffusers names converted top-level kohya layers without the "transformer." prefix that
        # load_lora_adapter keeps (see the docstring): restore it so those layers are fused too.
        sd = {k if k.startswith(("transformer.", "text_encoder.")) else "transformer." + k: v for k, v in sd.items()}
        model.load_lora_adapter(sd, network_alphas=alphas, metadata=metadata, prefix="transformer",
                                adapter_name=f"lora{i}")
        model.fuse_lora(lora_scale=strength, adapter_names=[f"lora{i}"])
        model.unload_lora()
    return model.to(dtype)


def run(model, inputs, dtype=torch.float32):
    with torch.no_grad():
        return model(**{k: v.to(dtype) for k, v in inputs.items()}, return_dict=True).sample.float()


def addnet_hash(path):
    """A1111's LoRA hash (modules/hashes.py addnet_hash_safetensors): SHA-256 after the header."""
    data = Path(path).read_bytes()
    return hashlib.sha256(data[8 + int.from_bytes(data[:8], "little"):]).hexdigest()


def rel_l2(a, b):
    return (torch.linalg.vector_norm((a - b).double()) / torch.linalg.vector_norm(b.double())).item()


def changed_weights(base, fused):
    b = base.state_dict()
    return sorted(k for k, v in fused.state_dict().items() if not torch.equal(v, b[k]))


def expected_targets(model):
    return sorted(n + ".weight" for n in linear_names(model))


def read_inputs(case):
    with safe_open(str(DATA / "flux" / case / "golden.safetensors"), "pt") as f:
        keys = ["hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids",
                "guidance"]
        return {k: f.get_tensor(k) for k in keys if k in f.keys()}, f.get_tensor("sample")


def make_case(out_dir, case):
    case_dir = out_dir / case
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    transformer_dir = DATA / "flux" / case / "transformer"
    base = FluxTransformer2DModel.from_pretrained(transformer_dir).to(torch.float32).eval()
    patch_single_block_widths(base)
    inputs, base_sample = read_inputs(case)
    if rel_l2(run(base, inputs), base_sample) > 1e-6:
        raise RuntimeError(f"{case}: the base transformer no longer reproduces its golden")

    save_file(make_kohya(base, f"{case}/kohya"), str(case_dir / "kohya.safetensors"))
    make_peft_metadata(base, f"{case}/peft_metadata", case_dir / "peft_metadata.safetensors")
    save_file(make_peft_alphas(base, f"{case}/peft_alphas"), str(case_dir / "peft_alphas.safetensors"))

    goldens, records = {}, []
    for name, loras in GOLDENS.items():
        fused = fused_model(transformer_dir, [(case_dir / f, s) for f, s in loras])
        # Every Linear of the model got its update: no layer was skipped by the conversion.
        if changed_weights(base, fused) != expected_targets(base):
            missing = sorted(set(expected_targets(base)) - set(changed_weights(base, fused)))
            raise RuntimeError(f"{case}/{name}: LoRA did not reach {missing}")
        sample = run(fused, inputs)
        change = rel_l2(sample, base_sample)
        if not (0.05 < change < 10):
            raise RuntimeError(f"{case}/{name}: output changed by {change:.3g} rel-L2: LoRA too weak or too strong")
        goldens[f"sample:{name}"] = sample
        for key in CHECKED_WEIGHTS:
            goldens[f"weight:{name}:{key}"] = fused.state_dict()[key].float()
        reference_bf16 = rel_l2(run(fused_model(transformer_dir, [(case_dir / f, s) for f, s in loras],
                                                torch.bfloat16), inputs, torch.bfloat16), sample)
        records.append({"name": name, "loras": [[f, s] for f, s in loras], "change_vs_base_rel_l2": change,
                        "reference_bf16_rel_l2": reference_bf16,
                        "bf16_tolerance": max(BF16_REL_L2_FLOOR, 2 * reference_bf16)})
    save_file({k: v.contiguous() for k, v in goldens.items()}, str(case_dir / "golden.safetensors"),
              metadata={"flux_lora_golden": json.dumps({"case": case, "diffusers": diffusers.__version__,
                                                        "peft": peft.__version__, "torch": torch.__version__})})
    return {"name": case, "transformer": f"flux/{case}/transformer", "goldens": records,
            "addnet_sha256": {p.name: addnet_hash(p) for p in sorted(case_dir.glob("*.safetensors"))
                              if p.name != "golden.safetensors"}}


def make_pipeline_lora(out_dir):
    """A kohya LoRA for the tiny DC-Gen-FLUX pipeline's transformer (dcgen generate --lora)."""
    pipe_dir = out_dir / "tiny-dcgen-flux"
    if pipe_dir.exists():
        shutil.rmtree(pipe_dir)
    pipe_dir.mkdir(parents=True)
    transformer_dir = DATA / "flux_pipeline" / "tiny-dcgen-flux" / "transformer"
    model = FluxTransformer2DModel.from_pretrained(transformer_dir).to(torch.float32).eval()
    patch_single_block_widths(model)
    save_file(make_kohya(model, "tiny-dcgen-flux/style", text_encoder_layers=False, dtype=torch.float16),
              str(pipe_dir / "style.safetensors"), metadata={"ss_network_module": "networks.lora"})
    fused = fused_model(transformer_dir, [(pipe_dir / "style.safetensors", 1.0)])
    if changed_weights(model, fused) != expected_targets(model):
        raise RuntimeError("tiny-dcgen-flux: the style LoRA misses layers")
    return {"name": "tiny-dcgen-flux", "transformer": "flux_pipeline/tiny-dcgen-flux/transformer",
            "addnet_sha256": {"style.safetensors": addnet_hash(pipe_dir / "style.safetensors")}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA / "flux_lora"), help="output folder")
    args = parser.parse_args()
    torch.set_num_threads(min(torch.get_num_threads(), 8))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = [make_case(out_dir, c) for c in CASES]
    pipeline = make_pipeline_lora(out_dir)
    manifest = {
        "generator": "tests/reference/make_flux_lora_goldens.py",
        "versions": {"diffusers": diffusers.__version__, "peft": peft.__version__, "torch": torch.__version__},
        "tolerance": {"metric": "rel_l2 = ||ours - golden||_2 / ||golden||_2", "f32": F32_REL_L2_TOLERANCE,
                      "bf16": f"max({BF16_REL_L2_FLOOR}, 2 x reference_bf16_rel_l2) per golden"},
        "checked_weights": CHECKED_WEIGHTS,
        "cases": cases,
        "pipeline_loras": [pipeline],
    }
    (out_dir / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for f in [out_dir, *out_dir.rglob("*")]:
        f.chmod(0o755 if f.is_dir() else 0o644)
    for c in cases:
        for g in c["goldens"]:
            print(f"{c['name']:32} {g['name']:22} change {g['change_vs_base_rel_l2']:.3f}  "
                  f"bf16 ref {g['reference_bf16_rel_l2']:.2e}")
    print(f"total {sum(p.stat().st_size for p in out_dir.rglob('*') if p.is_file()) / 1024:.0f} KiB under {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
