#!/usr/bin/env python3
"""A tiny standard FLUX.1 pipeline folder and reference images for `dcgen generate` end to end.

The layout of black-forest-labs/FLUX.1-dev (and -schnell, -Krea-dev): model_index.json naming
FluxPipeline with vae/ AutoencoderKL (16 latent channels, scaling_factor and shift_factor),
transformer/ FluxTransformer2DModel on 2x2-packed latents (in_channels = 4 x 16), text_encoder/
CLIPTextModel, text_encoder_2/ T5EncoderModel, tokenizer/ CLIP BPE, tokenizer_2/ T5
SentencePiece, scheduler/ FlowMatchEulerDiscreteScheduler with dynamic shifting. Seeded random
weights, sizes shrunk (the VAE has 3 stages, scale 4, instead of FLUX.1's 4, scale 8).

The reference is diffusers' FluxPipeline itself, unmodified: the injected noise is drawn
unpacked [B, 16, h, w] and packed with FluxPipeline._pack_latents (what prepare_latents does to
its own draw); the denoised latents come back with output_type="latent" and are decoded the way
FluxPipeline.__call__ does it: _unpack_latents, latents / scaling_factor + shift_factor,
vae.decode(...).sample.

    /work/venv-ref/bin/python tests/reference/make_flux1_pipeline_golden.py
Needs tests/data/tokenizers/flux_tiny (tests/reference/make_tokenizer_goldens.py).
"""
import copy
import shutil

import torch
from diffusers import AutoencoderKL, FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel
from safetensors.torch import save_file

from make_flux_pipeline_golden import (POOLED_DIM, ROOT, SCHEDULER, TEXT_DIM, TOKENIZERS, copy_tokenizers, psnr,
                                       randomize, text_encoders, write_cases)

OUT = ROOT / "flux1_pipeline"
PIPE = OUT / "tiny-flux1"
SCHNELL = OUT / "tiny-flux1-schnell"
# FLUX.1-schnell's scheduler: a static shift of 1 (no resolution-dependent mu).
SCHNELL_SCHEDULER = dict(SCHEDULER, shift=1.0, use_dynamic_shifting=False)

# FLUX.1's VAE options (latent_channels 16, no quant convs, mid-block attention, its scaling and
# shift factors), three stages of narrow channels instead of four of (128, 256, 512, 512).
VAE = dict(in_channels=3, out_channels=3, latent_channels=16, block_out_channels=(16, 32, 32), layers_per_block=1,
           down_block_types=("DownEncoderBlock2D",) * 3, up_block_types=("UpDecoderBlock2D",) * 3,
           norm_num_groups=8, act_fn="silu", scaling_factor=0.3611, shift_factor=0.1159,
           use_quant_conv=False, use_post_quant_conv=False, sample_size=64)

# Each case: one pipeline call on one folder. Sizes are multiples of 8 (VAE scale 4 x the 2x2 packing).
CASES = {
    "dev_guidance": dict(folder="tiny-flux1", prompt="a lighthouse on a cliff at dawn", steps=4, guidance=3.5,
                         height=48, width=64, batch=1, seed=21),
    "cfg_batch2": dict(folder="tiny-flux1", prompt="two green squares", negative_prompt="blurry", true_cfg_scale=3.0,
                       steps=3, guidance=2.0, height=32, width=32, batch=2, seed=22),
    # schnell: no guidance embedding (the guidance value is ignored), static sigma shift.
    "schnell": dict(folder="tiny-flux1-schnell", prompt="a red kite over the sea", steps=4, guidance=0.0,
                    height=40, width=56, batch=1, seed=23),
}


def save(pipe, folder):
    if folder.exists():
        shutil.rmtree(folder)
    pipe.save_pretrained(folder, safe_serialization=True)
    # save_pretrained rewrote the tokenizers; keep the shared tiny ones byte for byte.
    for name in ("tokenizer", "tokenizer_2"):
        shutil.rmtree(folder / name)
        shutil.copytree(TOKENIZERS / name, folder / name)


def transformer(guidance_embeds, seed):
    t = FluxTransformer2DModel(patch_size=1, in_channels=VAE["latent_channels"] * 4, num_layers=2,
                               num_single_layers=2, attention_head_dim=16, num_attention_heads=2,
                               joint_attention_dim=TEXT_DIM, pooled_projection_dim=POOLED_DIM,
                               guidance_embeds=guidance_embeds, axes_dims_rope=(4, 6, 6)).eval()
    randomize(t, seed)
    return t


def build_folders():
    """FLUX.1-dev and FLUX.1-schnell layouts sharing the VAE and text encoders (as the releases do)."""
    if PIPE.exists():
        shutil.rmtree(PIPE)
    PIPE.mkdir(parents=True)
    tok, tok2 = copy_tokenizers(PIPE)
    torch.manual_seed(0)
    vae = AutoencoderKL(**VAE).eval()
    randomize(vae, 11, std=0.3)
    clip, t5 = text_encoders(tok, tok2, 12, 13)
    parts = dict(vae=vae, text_encoder=clip, tokenizer=tok, text_encoder_2=t5, tokenizer_2=tok2)
    dev = FluxPipeline(scheduler=FlowMatchEulerDiscreteScheduler(**SCHEDULER), transformer=transformer(True, 14),
                       **parts)
    save(dev, PIPE)
    schnell = FluxPipeline(scheduler=FlowMatchEulerDiscreteScheduler(**SCHNELL_SCHEDULER),
                           transformer=transformer(False, 15), **parts)
    save(schnell, SCHNELL)
    return {"tiny-flux1": dev, "tiny-flux1-schnell": schnell}


@torch.no_grad()
def run(pipe, case, noise, h, w):
    channels = pipe.vae.config.latent_channels
    packed_noise = FluxPipeline._pack_latents(noise, case["batch"], channels, h, w)
    out = pipe(prompt=case["prompt"], negative_prompt=case.get("negative_prompt"),
               true_cfg_scale=case.get("true_cfg_scale", 1.0), height=case["height"], width=case["width"],
               num_inference_steps=case["steps"], guidance_scale=case["guidance"],
               num_images_per_prompt=case["batch"], latents=packed_noise.to(pipe.transformer.dtype),
               output_type="latent", max_sequence_length=512)
    # FluxPipeline.__call__'s own decode, after output_type="latent" stopped it.
    latents = pipe._unpack_latents(out.images, case["height"], case["width"], pipe.vae_scale_factor)
    latents = (latents / pipe.vae.config.scaling_factor) + pipe.vae.config.shift_factor
    return latents, pipe.vae.decode(latents, return_dict=False)[0].float()


@torch.no_grad()
def run_case(pipe, name, case):
    channels = pipe.vae.config.latent_channels
    h = 2 * (case["height"] // (pipe.vae_scale_factor * 2))
    w = 2 * (case["width"] // (pipe.vae_scale_factor * 2))
    noise = torch.randn((case["batch"], channels, h, w), generator=torch.Generator().manual_seed(case["seed"]))
    pipe.scheduler = FlowMatchEulerDiscreteScheduler.from_config(pipe.scheduler.config)  # fresh step state
    vae_input, image = run(pipe, case, noise, h, w)
    sigmas = pipe.scheduler.sigmas.tolist()
    # The same run in bf16 (on a copy): how far the reference itself moves bounds what ours may.
    pipe16 = copy.deepcopy(pipe).to(torch.bfloat16)
    _, image16 = run(pipe16, case, noise, h, w)
    save_file({"noise": noise.contiguous(), "vae_input": vae_input.float().contiguous(),
               "image": image.contiguous(), "image_bf16": image16.contiguous()}, OUT / f"{name}.safetensors")
    return dict(case, use_flux_2=False, sigmas=sigmas, image_shape=list(image.shape),
                image_range=[float(image.min()), float(image.max())], reference_bf16_psnr=psnr(image16, image))


def main():
    torch.set_grad_enabled(False)
    pipes = build_folders()
    write_cases(OUT, {name: run_case(pipes[c["folder"]], name, c) for name, c in CASES.items()})


if __name__ == "__main__":
    main()
