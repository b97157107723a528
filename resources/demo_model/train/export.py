"""Stage 4: the pipeline folder, in the on-disk layout of the released DC-Gen-FLUX checkpoints, and
its check with the reference pipeline (tests/reference/make_flux_pipeline_golden.py's
DCGenFluxReference: diffusers' FluxPipeline with DC-Gen's 1x1 packing).

    model_index.json
    scheduler/scheduler_config.json        FlowMatchEulerDiscreteScheduler (FLUX-dev config)
    vae/                                   AutoencoderDC (config.json + diffusion_pytorch_model.safetensors)
    transformer/                           FluxTransformer2DModel
    text_encoder/  tokenizer/              CLIPTextModel + CLIP BPE (vocab.json, merges.txt)
    text_encoder_2/ tokenizer_2/           T5EncoderModel + SentencePiece (spiece.model)

Weights are stored in fp16 (what keeps the folder small; dcgen and the reference cast on load).

`python export.py reference --model DIR --prompt P --seed S --out X.safetensors` writes the
reference pipeline's image for the noise that torch draws from `seed` (and the noise itself), to
compare with `dcgen generate --init-noise X.safetensors`.
"""
import argparse
import json
import math
import shutil
import types
from pathlib import Path

import diffusers
import torch
from diffusers import AutoencoderDC, FlowMatchEulerDiscreteScheduler, FluxTransformer2DModel
from safetensors.torch import save_file
from transformers import CLIPTextModel, CLIPTokenizer, T5EncoderModel, T5TokenizerFast

import common
from batches import T5_LENGTH
from make_flux_pipeline_golden import SCHEDULER, DCGenFluxReference, flux2_set_timesteps

MODEL_INDEX = {
    "_class_name": "FluxPipeline", "_diffusers_version": diffusers.__version__,
    "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
    "text_encoder": ["transformers", "CLIPTextModel"], "text_encoder_2": ["transformers", "T5EncoderModel"],
    "tokenizer": ["transformers", "CLIPTokenizer"], "tokenizer_2": ["transformers", "T5TokenizerFast"],
    "transformer": ["diffusers", "FluxTransformer2DModel"], "vae": ["diffusers", "AutoencoderDC"],
    "image_encoder": [None, None], "feature_extractor": [None, None],
}


# DC Studio's model card beside model_index.json (core/pipeline/model_card.h; diffusers ignores it):
# the resolution the model was trained at becomes dcgen's default size, and outputs are labelled a demo's.
MODEL_CARD = {
    "label": "DC Studio demo model (colored shapes)",
    "default_width": 512,
    "default_height": 512,
    "demo": True,
    "notes": "A tiny DC-Gen-FLUX pipeline trained by resources/demo_model/train on procedural pictures of colored "
             "shapes, so that a fresh install makes pictures with no download. Not a real checkpoint: point --model "
             "at a DC-Gen-FLUX.1 pipeline folder for real images.",
}


def save_pipeline(folder, vae, transformer, clip, t5, tokenizer_dir):
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copytree(tokenizer_dir / "tokenizer", folder / "tokenizer")
    shutil.copytree(tokenizer_dir / "tokenizer_2", folder / "tokenizer_2")
    declare_t5_length(folder / "tokenizer_2" / "tokenizer_config.json")
    vae.to(torch.float16).save_pretrained(folder / "vae")
    # Shards under 8 MiB: the repository keeps no large single files (diffusers reads the index as for the
    # sharded real releases).
    transformer.to(torch.float16).save_pretrained(folder / "transformer", max_shard_size="7MB")
    clip.to(torch.float16).save_pretrained(folder / "text_encoder")
    t5.to(torch.float16).save_pretrained(folder / "text_encoder_2")
    FlowMatchEulerDiscreteScheduler(**SCHEDULER).save_pretrained(folder / "scheduler")
    (folder / "model_index.json").write_text(json.dumps(MODEL_INDEX, indent=2) + "\n")
    (folder / "dcstudio.json").write_text(json.dumps(MODEL_CARD, indent=2) + "\n")
    for m in (vae, transformer, clip, t5):
        m.to(torch.float32)
    return common.folder_bytes(folder)


def declare_t5_length(config_path):
    """The prompt length the transformer was trained with, where `dcgen generate` reads its default
    --max-sequence-length (FluxPipeline itself takes it as an argument: see generate())."""
    config = json.loads(config_path.read_text())
    config["model_max_length"] = T5_LENGTH
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def load_reference(folder, device="cpu"):
    """The shipped folder through the reference pipeline, every component in f32."""
    folder = Path(folder)
    f32 = dict(torch_dtype=torch.float32)
    pipe = DCGenFluxReference(
        scheduler=FlowMatchEulerDiscreteScheduler.from_pretrained(folder / "scheduler"),
        vae=AutoencoderDC.from_pretrained(folder / "vae", **f32),
        text_encoder=CLIPTextModel.from_pretrained(folder / "text_encoder", dtype=torch.float32),
        tokenizer=CLIPTokenizer.from_pretrained(folder / "tokenizer"),
        text_encoder_2=T5EncoderModel.from_pretrained(folder / "text_encoder_2", dtype=torch.float32),
        tokenizer_2=T5TokenizerFast.from_pretrained(folder / "tokenizer_2"),
        transformer=FluxTransformer2DModel.from_pretrained(folder / "transformer", **f32))
    return pipe.to(device)


def initial_noise(pipe, seeds, height, width):
    """torch's N(0, 1) noise [B, C, h, w] for each seed (drawn on the CPU, so any device agrees)."""
    c = pipe.transformer.config.in_channels
    h, w = height // pipe.vae_scale_factor, width // pipe.vae_scale_factor
    return torch.cat([torch.randn((1, c, h, w), generator=torch.Generator().manual_seed(int(s))) for s in seeds])


@torch.no_grad()
def generate(pipe, prompts, noise, height, width, steps, guidance=3.5):
    """The reference pipeline as `dcgen generate` runs a DC-Gen f32 model by default: the "flux2" sigma
    warp (r = sqrt(tokens * channels / 4096)), embedded guidance, no true CFG, T5_LENGTH T5 tokens.
    Returns [B, 3, H, W] in [-1, 1] (f32, CPU)."""
    b, c, h, w = noise.shape
    device = pipe.transformer.device
    pipe.scheduler = FlowMatchEulerDiscreteScheduler(**SCHEDULER)
    pipe.scheduler.set_timesteps = types.MethodType(flux2_set_timesteps(math.sqrt(h * w * c / 4096)), pipe.scheduler)
    out = pipe(prompt=list(prompts), height=height, width=width, num_inference_steps=steps, guidance_scale=guidance,
               latents=noise.to(device), output_type="latent", max_sequence_length=T5_LENGTH)
    latents = out.images.reshape(b, h, w, c).permute(0, 3, 1, 2)
    return pipe.vae.decode(latents / pipe.vae.config.scaling_factor).sample.float().cpu()


@torch.no_grad()
def verify(folder, trained_text, sizes, device):
    """Reloads the folder with the reference pipeline; checks that its prompt encoding equals the
    training-time one (same tokens, same encoders) and that it generates a finite image."""
    from flux_stage import encode_prompt
    pipe = load_reference(folder, device)
    clip, t5 = (m.to(device) for m in trained_text)
    prompts = ["a red circle on the left", "a small yellow star at the top on a purple background", ""]
    seq, pooled, _ = pipe.encode_prompt(prompt=prompts, prompt_2=None, device=device, max_sequence_length=T5_LENGTH)
    def ids(tok, n):
        return tok(prompts, padding="max_length", max_length=n, truncation=True, return_tensors="pt").input_ids.to(device)
    seq2, pooled2 = encode_prompt(clip, t5, ids(pipe.tokenizer, 77), ids(pipe.tokenizer_2, T5_LENGTH))
    # fp16 storage is the only difference between the trained encoders and the reloaded ones.
    rel = lambda a, b: ((a - b).norm() / b.norm()).item()
    enc_err = max(rel(seq.float(), seq2.float()), rel(pooled.float(), pooled2.float()))
    size = sizes.image_size
    image = generate(pipe, prompts[:1], initial_noise(pipe, [0], size, size), size, size, steps=4)
    assert torch.isfinite(image).all(), "reference pipeline produced non-finite pixels"
    assert enc_err < 1e-2, f"reloaded text encoders differ from the trained ones (rel {enc_err:.2e})"
    return {"encode_rel_err_fp16_vs_f32": enc_err, "image_shape": list(image.shape),
            "image_range": [float(image.min()), float(image.max())]}


def main():
    parser = argparse.ArgumentParser(description="Reference image for a prompt and seed (see the module docstring)")
    parser.add_argument("command", choices=["reference"])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--guidance", type=float, default=3.5)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--height", type=int, default=512)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    pipe = load_reference(args.model)
    noise = initial_noise(pipe, [args.seed], args.height, args.width)
    image = generate(pipe, [args.prompt], noise, args.height, args.width, args.steps, args.guidance)
    save_file({"noise": noise.contiguous(), "image": image.contiguous()}, args.out)
    png = args.out.with_suffix(".png")
    from PIL import Image
    Image.fromarray(((image[0].permute(1, 2, 0) / 2 + 0.5).clamp(0, 1) * 255).round().byte().numpy()).save(png)
    print(f"wrote {args.out} (noise {list(noise.shape)}, image {list(image.shape)}) and {png}")


if __name__ == "__main__":
    main()
