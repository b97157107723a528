#!/usr/bin/env python3
"""Tiny random-weight transformers `CLIPTextModel` and `T5EncoderModel` checkpoints and golden
tensors, for the C++ text-encoder parity tests (tests/models/text_encoder_golden_*.cpp).

Run (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_text_encoder_goldens.py --out tests/data/text_encoders

Writes under --out:
  <case>/<folder>/config.json + weights   written by transformers' save_pretrained (the real
        layout), then, for cases that cover an older on-disk layout, rewritten the way that
        layout stores the same tensors (see LAYOUTS); every layout is checked by reloading it with
        from_pretrained and reproducing the goldens.
  <case>/golden.safetensors
        input_ids int64 [B, L], attention_mask int64 [B, L] (1 = token, 0 = right padding);
        float32 outputs of model(input_ids) and model(input_ids, attention_mask):
          last_hidden_state, masked_last_hidden_state                    (both classes)
          pooler_output, masked_pooler_output                            (CLIP)
          penultimate_hidden_state, masked_penultimate_hidden_state      (CLIP, hidden_states[-2])
  published/<name>/{config.json,params.json}   the FLUX.1 text encoders' architectures: config and
               the {key: shape} list save_pretrained writes (no weights)
  t5_buckets.json   T5Attention._relative_position_bucket for relative positions -300..300
  cases.json   cases, what each covers, shapes, transformers' own bf16 and f16 error
               against its f32 outputs per tensor (the C++ low-precision tests accept
               max(2e-2, 2 x that)).

Every parameter is drawn from its own generator seeded by sha256("<case>/<key>"); inputs from
torch.manual_seed(case seed). The models run on the CPU in eval() and float32.
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

import transformers
from transformers import CLIPTextConfig, CLIPTextModel, T5Config, T5EncoderModel
from transformers.models.t5.modeling_t5 import T5LayerNorm
from safetensors import safe_open
from safetensors.torch import save_file

F32_REL_L2_TOLERANCE = 1e-4

# How the weights of a case are stored on disk.
LAYOUTS = {
    # transformers 5.x save_pretrained: single model.safetensors, CLIPTextModel keys without the
    # "text_model." prefix, T5EncoderModel's tied embedding once as "shared.weight".
    "save_pretrained": "transformers 5.x save_pretrained, single file",
    # transformers 4.x CLIPTextModel exports (FLUX.1 / SD text_encoder): every key under
    # "text_model.", plus the int64 "text_model.embeddings.position_ids" buffer older exports kept.
    "clip_text_model_prefix": "CLIP keys under 'text_model.' (transformers 4.x), with the int64 position_ids buffer",
    # Sharded like google/t5-v1_1-xxl / FLUX.1 text_encoder_2: model-0000i-of-0000n.safetensors
    # + model.safetensors.index.json.
    "sharded": "save_pretrained with a small max_shard_size: model-0000i-of-0000n.safetensors + index",
    # The tied T5 embedding stored only under the encoder's name.
    "t5_embed_tokens_only": "T5 embedding stored only as 'encoder.embed_tokens.weight' (no 'shared.weight')",
}

CASES = {
    # CLIP-L style (FLUX.1 text_encoder, SD 1.x): quick_gelu, and eos_token_id 2 as in the pre-#24773
    # configs, so the pooled output is taken at argmax(input_ids) (EOS = the highest id). Rows pad
    # with the EOS id itself (openai tokenizer), so argmax must take the first of equal maxima.
    "clip_quick_gelu_legacy_eos": dict(
        kind="clip", folder="text_encoder", seed=2001, layout="clip_text_model_prefix",
        batch=2, length=12, content_lengths=(7, 10), pad_with_eos=(True, False),
        config=dict(
            vocab_size=99, hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=4,
            max_position_embeddings=16, hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=16,
            bos_token_id=97, eos_token_id=2, pad_token_id=1,
        ),
        bos=97, eos=98,
    ),
    # Newer configs: eos_token_id != 2, so the pooled output is at the first position holding
    # eos_token_id. Ordinary tokens have higher ids than EOS, so argmax(input_ids) would pick another
    # position (checked below); erf gelu; head_dim 16; a row where EOS repeats (first one counts).
    "clip_gelu_eos_token": dict(
        kind="clip", folder="text_encoder", seed=2002, layout="save_pretrained",
        batch=2, length=14, content_lengths=(9, 12), pad_with_eos=(True, False),
        config=dict(
            vocab_size=120, hidden_size=48, intermediate_size=96, num_hidden_layers=2, num_attention_heads=3,
            max_position_embeddings=20, hidden_act="gelu", layer_norm_eps=1e-5, projection_dim=16,
            bos_token_id=6, eos_token_id=7, pad_token_id=0,
        ),
        bos=6, eos=7,
    ),
    # T5 v1.1 / XXL style (FLUX.1 text_encoder_2): gated-gelu (gelu_new = tanh approximation),
    # untied LM head config (tie_word_embeddings false), num_heads * d_kv != d_model, sharded files.
    # Length 20 > relative_attention_max_distance 12: log-spaced and clamped buckets.
    "t5_gated_gelu_v1_1": dict(
        kind="t5", folder="text_encoder_2", seed=2003, layout="sharded",
        batch=2, length=20, content_lengths=(20, 13),
        config=dict(
            vocab_size=128, d_model=32, d_kv=12, d_ff=80, num_layers=2, num_heads=4,
            relative_attention_num_buckets=8, relative_attention_max_distance=12,
            feed_forward_proj="gated-gelu", tie_word_embeddings=False, layer_norm_epsilon=1e-6,
        ),
    ),
    # Original T5: relu DenseReluDense, tied embeddings, 3 layers (only layer 0 owns the relative
    # attention bias; the others reuse it), length 24 > max_distance 10, embedding under
    # encoder.embed_tokens only.
    "t5_relu_original": dict(
        kind="t5", folder="text_encoder_2", seed=2004, layout="t5_embed_tokens_only",
        batch=2, length=24, content_lengths=(24, 15),
        config=dict(
            vocab_size=100, d_model=32, d_kv=8, d_ff=64, num_layers=3, num_heads=4,
            relative_attention_num_buckets=16, relative_attention_max_distance=10,
            feed_forward_proj="relu", tie_word_embeddings=True, layer_norm_epsilon=1e-6,
        ),
    ),
}


def tensor_generator(case, key):
    digest = hashlib.sha256(f"{case}/{key}".encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))


@torch.no_grad()
def randomize_(model, case):
    """Every parameter from its own generator: linear weights N(0, 1/fan_in), biases 0.1*N,
    LayerNorm / T5LayerNorm weights 1 + 0.1*N, LayerNorm biases 0.1*N, embeddings N(0, 1)."""
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
            elif isinstance(mod, (nn.LayerNorm, T5LayerNorm)) and attr == "weight":
                t.copy_(1.0 + 0.1 * normal)
            elif isinstance(mod, nn.LayerNorm) and attr == "bias":
                t.copy_(0.1 * normal)
            elif isinstance(mod, nn.Embedding) and attr == "weight":
                t.copy_(normal)
            else:
                raise RuntimeError(f"{case}: no init rule for {key} ({type(mod).__name__})")
            handled.add(key)
    missing = {n for n, _ in model.named_parameters()} - handled
    if missing:
        raise RuntimeError(f"{case}: parameters not randomized: {sorted(missing)}")


def make_inputs(spec):
    """input_ids and a right-padding attention_mask. CLIP rows: BOS, random tokens, EOS, then
    padding (the EOS id or 0). T5 rows: random tokens (content_lengths[b] of them), then pad 0."""
    torch.manual_seed(spec["seed"])
    b, n = spec["batch"], spec["length"]
    vocab = spec["config"]["vocab_size"]
    ids = torch.zeros(b, n, dtype=torch.int64)
    mask = torch.zeros(b, n, dtype=torch.int64)
    for r, used in enumerate(spec["content_lengths"]):
        if spec["kind"] == "clip":
            bos, eos = spec["bos"], spec["eos"]
            low = 3 if eos == vocab - 1 else eos + 1  # legacy: tokens below BOS/EOS; new: above EOS
            high = bos if eos == vocab - 1 else vocab
            row = [bos] + torch.randint(low, high, (used - 2,)).tolist() + [eos]
            pad = eos if spec["pad_with_eos"][r] else 0
            row += [pad] * (n - used)
        else:
            row = torch.randint(2, vocab, (used,)).tolist() + [0] * (n - used)
        ids[r] = torch.tensor(row)
        mask[r, :used] = 1
    return ids, mask


@torch.no_grad()
def run_model(model, kind, ids, mask):
    out = {}
    for prefix, m in (("", None), ("masked_", mask)):
        if kind == "clip":
            o = model(input_ids=ids, attention_mask=m, output_hidden_states=True)
            out[prefix + "last_hidden_state"] = o.last_hidden_state.float()
            out[prefix + "pooler_output"] = o.pooler_output.float()
            out[prefix + "penultimate_hidden_state"] = o.hidden_states[-2].float()
        else:
            o = model(input_ids=ids, attention_mask=m)
            out[prefix + "last_hidden_state"] = o.last_hidden_state.float()
    return out


def rel_l2(a, b):
    return (torch.linalg.vector_norm((a - b).double()) / torch.linalg.vector_norm(b.double())).item()


def check_all_parameters_matter(model, kind, ids, mask, case):
    """Every parameter tensor must get a nonzero gradient from a random projection of the outputs."""
    model.zero_grad(set_to_none=True)
    with torch.enable_grad():
        g = torch.Generator().manual_seed(7)
        loss = 0
        for m in (None, mask):
            if kind == "clip":
                o = model(input_ids=ids, attention_mask=m)
                tensors = [o.last_hidden_state, o.pooler_output]
            else:
                tensors = [model(input_ids=ids, attention_mask=m).last_hidden_state]
            for t in tensors:
                loss = loss + (t * torch.randn(t.shape, generator=g)).sum()
        loss.backward()
    dead = [n for n, p in model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
    model.zero_grad(set_to_none=True)
    if dead:
        raise RuntimeError(f"{case}: parameters with no influence on the goldens: {dead}")


def pooling_indices(ids, eos_token_id):
    legacy = ids.to(torch.int).argmax(dim=-1)
    first_eos = (ids.to(torch.int) == eos_token_id).int().argmax(dim=-1)
    return legacy.tolist(), first_eos.tolist()


def rewrite_layout(folder, layout, model):
    """Stores the saved model's tensors the way `layout` does (save_pretrained already wrote
    the 'save_pretrained' / 'sharded' layouts)."""
    if layout in ("save_pretrained", "sharded"):
        return
    path = folder / "model.safetensors"
    with safe_open(str(path), "pt") as fh:
        tensors = {k: fh.get_tensor(k) for k in fh.keys()}
    if layout == "clip_text_model_prefix":
        tensors = {"text_model." + k: v for k, v in tensors.items()}
        n_pos = model.config.max_position_embeddings
        tensors["text_model.embeddings.position_ids"] = torch.arange(n_pos, dtype=torch.int64)[None, :]
    elif layout == "t5_embed_tokens_only":
        if "shared.weight" not in tensors or "encoder.embed_tokens.weight" in tensors:
            raise RuntimeError(f"{folder}: expected save_pretrained to store the embedding as shared.weight only")
        tensors["encoder.embed_tokens.weight"] = tensors.pop("shared.weight")
    else:
        raise ValueError(layout)
    path.unlink()
    save_file({k: v.contiguous() for k, v in sorted(tensors.items())}, str(path), metadata={"format": "pt"})


def saved_keys(folder):
    index = folder / "model.safetensors.index.json"
    if index.exists():
        return sorted(json.loads(index.read_text())["weight_map"]), sorted(
            set(json.loads(index.read_text())["weight_map"].values())
        )
    with safe_open(str(folder / "model.safetensors"), "pt") as fh:
        return sorted(fh.keys()), ["model.safetensors"]


def dir_size(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def make_case(out_dir, case, spec):
    case_dir = out_dir / case
    if case_dir.exists():
        shutil.rmtree(case_dir)
    kind = spec["kind"]
    model_cls, config_cls = (CLIPTextModel, CLIPTextConfig) if kind == "clip" else (T5EncoderModel, T5Config)
    model = model_cls(config_cls(**spec["config"])).to(torch.float32).eval()
    randomize_(model, case)

    ids, mask = make_inputs(spec)
    if int(ids.max()) >= spec["config"]["vocab_size"] or int(ids.min()) < 0:
        raise RuntimeError(f"{case}: ids out of range")
    goldens = run_model(model, kind, ids, mask)
    for k, v in goldens.items():
        if not torch.isfinite(v).all() or v.std() == 0:
            raise RuntimeError(f"{case}: golden {k} is non-finite or constant")
    # The mask must matter, or the masked goldens test nothing.
    if rel_l2(goldens["masked_last_hidden_state"], goldens["last_hidden_state"]) < 1e-3:
        raise RuntimeError(f"{case}: the attention mask does not change the output")
    check_all_parameters_matter(model, kind, ids, mask, case)

    covers = [f"layout:{spec['layout']}"]
    pooling = None
    if kind == "clip":
        legacy, first_eos = pooling_indices(ids, model.config.eos_token_id)
        rule = "argmax_input_ids" if model.config.eos_token_id == 2 else "first_eos_token_id"
        if legacy == first_eos:
            raise RuntimeError(f"{case}: both pooling rules pick the same positions; the test could not tell them apart")
        pooling = {"rule": rule, "positions": legacy if rule == "argmax_input_ids" else first_eos,
                   "other_rule_positions": first_eos if rule == "argmax_input_ids" else legacy}
        covers += [f"hidden_act:{model.config.hidden_act}", f"pooling:{rule}"]
        if spec["pad_with_eos"][0]:
            covers.append("pooling:repeated_eos")
    else:
        c = model.config
        covers += [f"feed_forward_proj:{c.feed_forward_proj}", f"dense_act_fn:{c.dense_act_fn}",
                   f"is_gated_act:{c.is_gated_act}"]
        if spec["length"] > c.relative_attention_max_distance:
            covers.append("length_beyond_max_distance")
        if c.num_heads * c.d_kv != c.d_model:
            covers.append("inner_dim_differs_from_d_model")

    folder = case_dir / spec["folder"]
    if spec["layout"] == "sharded":
        model.save_pretrained(folder, max_shard_size="24KB")
        if not (folder / "model.safetensors.index.json").exists():
            raise RuntimeError(f"{case}: expected a sharded checkpoint")
    else:
        model.save_pretrained(folder)
    rewrite_layout(folder, spec["layout"], model)
    keys, files = saved_keys(folder)

    tensors = {"input_ids": ids, "attention_mask": mask, **goldens}
    save_file(
        {k: v.contiguous() for k, v in tensors.items()},
        str(case_dir / "golden.safetensors"),
        metadata={"text_encoder_golden": json.dumps(
            {"case": case, "seed": spec["seed"], "transformers": transformers.__version__, "torch": torch.__version__},
            sort_keys=True)},
    )

    # The stored layout reloads through from_pretrained and reproduces the goldens.
    reloaded = model_cls.from_pretrained(folder).to(torch.float32).eval()
    again = run_model(reloaded, kind, ids, mask)
    worst = max(rel_l2(again[k], goldens[k]) for k in goldens)
    if worst > 1e-6:
        raise RuntimeError(f"{case}: reloaded checkpoint misses the goldens (rel-L2 {worst:.3g})")

    # transformers' own low-precision error, loading as a pipeline does (from_pretrained(dtype=...)):
    # bf16 keeps every weight in bf16; f16 keeps T5's `wo` in f32 (_keep_in_fp32_modules).
    reference = {}
    for name, dtype in (("bf16", torch.bfloat16), ("f16", torch.float16)):
        low = model_cls.from_pretrained(folder, dtype=dtype).eval()
        outs = run_model(low, kind, ids, mask)
        reference[name] = {k: rel_l2(outs[k], goldens[k]) for k in goldens}
        if name == "f16" and kind == "t5":
            wo = [p.dtype for n, p in low.named_parameters() if n.endswith(".wo.weight")]
            if any(d != torch.float32 for d in wo):
                raise RuntimeError(f"{case}: expected transformers to keep wo in f32 at f16")

    return {
        "name": case,
        "class": model_cls.__name__,
        "folder": spec["folder"],
        "seed": spec["seed"],
        "layout": spec["layout"],
        "covers": sorted(covers),
        "input_shape": list(ids.shape),
        "content_lengths": list(spec["content_lengths"]),
        "pooling": pooling,
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "keys": len(keys),
        "files": files,
        "golden_std": {k: round(v.std().item(), 4) for k, v in goldens.items()},
        "reload_max_rel_l2": worst,
        "reference_bf16_rel_l2": reference["bf16"],
        "reference_f16_rel_l2": reference["f16"],
        "bytes": dir_size(case_dir),
    }


# Published architectures (hyperparameters of the FLUX.1 pipeline's text encoders): their
# config.json (save_config) and the key -> shape list save_pretrained writes, so the C++ tests
# can check that the module tree declares exactly these tensors.
PUBLISHED = {
    # openai/clip-vit-large-patch14's text tower = FLUX.1 text_encoder (legacy eos_token_id 2).
    "clip-vit-large-patch14-text": (CLIPTextModel, CLIPTextConfig, dict(
        vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
        max_position_embeddings=77, hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=768,
        bos_token_id=0, eos_token_id=2, pad_token_id=1)),
    # google/t5-v1_1-xxl's encoder = FLUX.1 text_encoder_2.
    "t5-v1_1-xxl-encoder": (T5EncoderModel, T5Config, dict(
        vocab_size=32128, d_model=4096, d_kv=64, d_ff=10240, num_layers=24, num_heads=64,
        relative_attention_num_buckets=32, relative_attention_max_distance=128, feed_forward_proj="gated-gelu",
        tie_word_embeddings=False, layer_norm_epsilon=1e-6)),
}


def make_published(out_dir):
    pub_dir = out_dir / "published"
    if pub_dir.exists():
        shutil.rmtree(pub_dir)
    rows = {}
    for name, (model_cls, config_cls, cfg) in PUBLISHED.items():
        config = config_cls(**cfg)
        with torch.device("meta"):
            model = model_cls(config)
        vdir = pub_dir / name
        vdir.mkdir(parents=True)
        config.architectures = [model_cls.__name__]
        config.save_pretrained(vdir)
        # What save_pretrained stores: the state dict without the tied duplicate of T5's embedding.
        sd = {k: list(v.shape) for k, v in model.state_dict().items() if k != "encoder.embed_tokens.weight"}
        n_params = sum(p.numel() for p in model.parameters())
        (vdir / "params.json").write_text(json.dumps({"num_parameters": n_params, "tensors": sd}, separators=(",", ":")) + "\n")
        rows[name] = {"num_parameters": n_params, "num_tensors": len(sd)}
    return rows


# transformers' bucket for every relative position in [-R, R], for the configs the goldens and
# the published T5s use (bidirectional, as in the encoder).
BUCKET_CONFIGS = [(32, 128), (8, 12), (16, 10)]
BUCKET_RANGE = 300


def make_bucket_tables(out_dir):
    from transformers.models.t5.modeling_t5 import T5Attention

    rp = torch.arange(-BUCKET_RANGE, BUCKET_RANGE + 1, dtype=torch.long)
    tables = []
    for num_buckets, max_distance in BUCKET_CONFIGS:
        b = T5Attention._relative_position_bucket(rp, bidirectional=True, num_buckets=num_buckets,
                                                  max_distance=max_distance)
        tables.append({"num_buckets": num_buckets, "max_distance": max_distance, "first_relative_position":
                       -BUCKET_RANGE, "buckets": b.tolist()})
    (out_dir / "t5_buckets.json").write_text(json.dumps({"bidirectional": True, "tables": tables},
                                                        separators=(",", ":")) + "\n")


REQUIRED_COVERAGE = {
    "hidden_act:quick_gelu", "hidden_act:gelu", "pooling:argmax_input_ids", "pooling:first_eos_token_id",
    "pooling:repeated_eos", "feed_forward_proj:gated-gelu", "feed_forward_proj:relu", "dense_act_fn:gelu_new",
    "length_beyond_max_distance", "inner_dim_differs_from_d_model",
    "layout:save_pretrained", "layout:clip_text_model_prefix", "layout:sharded", "layout:t5_embed_tokens_only",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tests/data/text_encoders", help="output folder")
    args = parser.parse_args()

    torch.set_num_threads(min(torch.get_num_threads(), 8))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = [make_case(out_dir, name, spec) for name, spec in CASES.items()]
    covered = set().union(*(set(r["covers"]) for r in results))
    if not REQUIRED_COVERAGE <= covered:
        raise RuntimeError(f"options not covered by any case: {sorted(REQUIRED_COVERAGE - covered)}")

    published = make_published(out_dir)
    make_bucket_tables(out_dir)

    manifest = {
        "generator": "tests/reference/make_text_encoder_goldens.py",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__},
        "layouts": LAYOUTS,
        "golden_tensors": {
            "input_ids": "int64 [B, L]; CLIP rows BOS, tokens, EOS, padding; T5 rows tokens then 0",
            "attention_mask": "int64 [B, L], 1 for content, 0 for right padding",
            "last_hidden_state": "float32 model(input_ids).last_hidden_state",
            "pooler_output": "float32 [B, hidden] (CLIP), the final-norm state at the pooling position",
            "penultimate_hidden_state": "float32 (CLIP) hidden_states[-2]: the input of the last layer",
            "masked_*": "the same with attention_mask passed",
        },
        "weights": "every tensor drawn from its own generator seeded by sha256('<case>/<key>'): linear "
        "weights N(0,1/fan_in), biases 0.1*N, norm weights 1+0.1*N, LayerNorm biases 0.1*N, embeddings N(0,1)",
        "tolerance": {
            "metric": "rel_l2 = ||ours - golden||_2 / ||golden||_2 per tensor",
            "f32": F32_REL_L2_TOLERANCE,
            "low_precision": "max(2e-2, 2 x reference_<dtype>_rel_l2[tensor])",
        },
        "cases": results,
        "published": published,
    }
    (out_dir / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for f in [out_dir / "cases.json", out_dir / "t5_buckets.json",
              *(p for name in [*CASES, "published"] for p in [out_dir / name, *(out_dir / name).rglob("*")])]:
        f.chmod(0o755 if f.is_dir() else 0o644)

    for r in results:
        bf16 = max(r["reference_bf16_rel_l2"].values())
        print(f"{r['name']:28} {r['class']:15} {'x'.join(map(str, r['input_shape'])):>6} params {r['num_parameters']:>7} "
              f"files {len(r['files'])} bf16 {bf16:.2e} {r['bytes'] / 1024:.0f} KiB")
    print(f"total {dir_size(out_dir) / 1024:.0f} KiB under {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
