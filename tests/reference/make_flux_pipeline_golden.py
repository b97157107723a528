#!/usr/bin/env python3
"""A tiny DC-Gen-FLUX pipeline folder and reference images for `dcgen generate` end to end.

Builds, with seeded random weights, the components of a DC-Gen-FLUX.1 release in its on-disk
layout (model_index.json + vae/ AutoencoderDC, transformer/ FluxTransformer2DModel on 1x1 latent
patches, text_encoder/ CLIPTextModel, text_encoder_2/ T5EncoderModel, tokenizer/ CLIP BPE,
tokenizer_2/ T5 SentencePiece, scheduler/ FlowMatchEulerDiscreteScheduler), then runs the
reference pipeline on them with injected initial noise and stores noise + decoded images.

The reference pipeline is diffusers' FluxPipeline with the DC-Gen differences applied
(dc-ai-projects/DC-Gen applications/dc_gen/inference_demo/pipeline_dcgen_flux.py): the VAE
scale factor comes from AutoencoderDC's encoder_block_out_channels, latents are packed as 1x1
patches with (0, row, col) image ids, all transformer in_channels are latent channels, decode
divides by scaling_factor only (no shift_factor), and `use_flux_2` replaces the scheduler's
shift with sigma' = r*s / (1 + (r - 1)*s), r = sqrt(tokens * channels / 4096). Everything else
(prompt encoding, embedded guidance, true CFG, the Euler steps) is diffusers' own code.

    /work/venv-ref/bin/python tests/reference/make_flux_pipeline_golden.py
Needs tests/data/tokenizers/flux_tiny (tests/reference/make_tokenizer_goldens.py).
"""
import copy
import json
import math
import shutil
import types
from pathlib import Path

import numpy as np
import torch
import diffusers
from diffusers import AutoencoderDC, FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel
from diffusers.image_processor import VaeImageProcessor
from diffusers.pipelines.pipeline_utils import DiffusionPipeline
from safetensors.torch import save_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5TokenizerFast

ROOT = Path(__file__).resolve().parents[1] / "data"
OUT = ROOT / "flux_pipeline"
PIPE = OUT / "tiny-dcgen-flux"
TOKENIZERS = ROOT / "tokenizers" / "flux_tiny"

SCHEDULER = dict(num_train_timesteps=1000, shift=3.0, use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15,
                 base_image_seq_len=256, max_image_seq_len=4096)
RES, VIT = "ResBlock", "EfficientViTBlock"
VAE = dict(in_channels=3, latent_channels=8, attention_head_dim=8,
           encoder_block_types=(RES, RES, VIT), decoder_block_types=(RES, RES, VIT),
           encoder_block_out_channels=(8, 16, 16), decoder_block_out_channels=(8, 16, 16),
           encoder_layers_per_block=(1, 1, 1), decoder_layers_per_block=(1, 1, 1),
           encoder_qkv_multiscales=((), (), (5,)), decoder_qkv_multiscales=((), (), (5,)),
           downsample_block_type="Conv", upsample_block_type="interpolate",
           decoder_norm_types="rms_norm", decoder_act_fns="silu", scaling_factor=0.41407)
TEXT_DIM, POOLED_DIM = 32, 24

# Each case: one pipeline call. Images are (height, width); the tiny VAE has scale 4.
CASES = {
    "guidance_flux_shift": dict(prompt="a small red circle at the top on a blue background", steps=4,
                                guidance=3.5, height=48, width=64, batch=1, use_flux_2=False, seed=11),
    "flux2_batch2": dict(prompt="two green squares", steps=3, guidance=2.0, height=32, width=32, batch=2,
                         use_flux_2=True, seed=12),
    "true_cfg_negative": dict(prompt="a yellow star", negative_prompt="blurry, dark", true_cfg_scale=4.0, steps=3,
                              guidance=3.5, height=32, width=48, batch=1, use_flux_2=False, seed=13),
}


def randomize(module, seed, std=0.2):
    """Seeded non-default weights so every path contributes (default inits zero some biases)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(module.named_parameters()):
            if name.endswith("weight") and p.dim() == 1:  # norm scales stay near 1
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                fan_in = p.shape[1] if p.dim() >= 2 else 1
                for d in p.shape[2:]:
                    fan_in *= d
                p.copy_(torch.randn(p.shape, generator=g) * min(std, 1.0 / math.sqrt(fan_in)))


class DCGenFluxReference(FluxPipeline):
    """FluxPipeline with DC-Gen's 1x1-patch AutoencoderDC latent (see the module docstring)."""

    def __init__(self, scheduler, vae, text_encoder, tokenizer, text_encoder_2, tokenizer_2, transformer,
                 image_encoder=None, feature_extractor=None):
        DiffusionPipeline.__init__(self)
        self.register_modules(vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2, tokenizer=tokenizer,
                              tokenizer_2=tokenizer_2, transformer=transformer, scheduler=scheduler,
                              image_encoder=image_encoder, feature_extractor=feature_extractor)
        self.vae_scale_factor = 2 ** (len(vae.config.encoder_block_out_channels) - 1)
        self.image_processor = VaeImageProcessor(vae_scale_factor=self.vae_scale_factor)
        self.tokenizer_max_length = tokenizer.model_max_length
        self.default_sample_size = 128

    @staticmethod
    def _pack_latents(latents, batch_size, num_channels_latents, height, width):
        return latents.permute(0, 2, 3, 1).reshape(batch_size, height * width, num_channels_latents)

    def prepare_latents(self, batch_size, num_channels_latents, height, width, dtype, device, generator,
                        latents=None):
        channels = self.transformer.config.in_channels  # 1x1 patches: all of them are latent channels
        h, w = int(height) // self.vae_scale_factor, int(width) // self.vae_scale_factor
        ids = self._prepare_latent_image_ids(batch_size, h, w, device, dtype)
        assert latents is not None, "the golden run always injects its noise"
        assert latents.shape == (batch_size, channels, h, w), latents.shape
        return self._pack_latents(latents, batch_size, channels, h, w).to(device=device, dtype=dtype), ids


def flux2_set_timesteps(r):
    """DC-Gen's set_timesteps_flux2 with its ratio r bound (FluxPipeline passes mu, which flux2 ignores)."""

    def set_timesteps(self, num_inference_steps=None, device=None, sigmas=None, mu=None, timesteps=None):
        t = np.asarray(sigmas, dtype=np.float32)
        s = ((r * t) / (1.0 + (r - 1.0) * t)).astype(np.float32)
        sig = torch.from_numpy(s).to(device=device, dtype=torch.float32)
        self.num_inference_steps = len(s)
        self.timesteps = sig * self.config.num_train_timesteps
        self.sigmas = torch.cat([sig, torch.zeros(1, device=sig.device)])
        self._step_index = None
        self._begin_index = None

    return set_timesteps


def copy_tokenizers(pipe_dir):
    """The shared tiny CLIP BPE and T5 SentencePiece tokenizers, copied byte for byte."""
    shutil.copytree(TOKENIZERS / "tokenizer", pipe_dir / "tokenizer")
    shutil.copytree(TOKENIZERS / "tokenizer_2", pipe_dir / "tokenizer_2")
    return CLIPTokenizer.from_pretrained(pipe_dir / "tokenizer"), T5TokenizerFast.from_pretrained(pipe_dir / "tokenizer_2")


def text_encoders(tok, tok2, clip_seed, t5_seed):
    """Tiny CLIPTextModel (pooled output, quick_gelu) and T5EncoderModel (gated-gelu) with seeded weights."""
    clip = CLIPTextModel(CLIPTextConfig(vocab_size=len(tok), hidden_size=POOLED_DIM, intermediate_size=48,
                                        num_hidden_layers=2, num_attention_heads=2, max_position_embeddings=77,
                                        hidden_act="quick_gelu", bos_token_id=tok.bos_token_id,
                                        eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)).eval()
    randomize(clip, clip_seed)
    t5 = T5EncoderModel(T5Config(vocab_size=len(tok2), d_model=TEXT_DIM, d_kv=16, d_ff=64, num_layers=2,
                                 num_heads=2, feed_forward_proj="gated-gelu", relative_attention_num_buckets=32,
                                 relative_attention_max_distance=128, is_encoder_decoder=False,
                                 tie_word_embeddings=False, dropout_rate=0.0)).eval()
    randomize(t5, t5_seed)
    return clip, t5


def build_folder():
    if PIPE.exists():
        shutil.rmtree(PIPE)
    PIPE.mkdir(parents=True)
    tok, tok2 = copy_tokenizers(PIPE)

    torch.manual_seed(0)
    vae = AutoencoderDC(**VAE).eval()
    randomize(vae, 1, std=0.3)
    clip, t5 = text_encoders(tok, tok2, 2, 3)
    transformer = FluxTransformer2DModel(patch_size=1, in_channels=VAE["latent_channels"], num_layers=2,
                                         num_single_layers=2, attention_head_dim=16, num_attention_heads=2,
                                         joint_attention_dim=TEXT_DIM, pooled_projection_dim=POOLED_DIM,
                                         guidance_embeds=True, axes_dims_rope=(4, 6, 6)).eval()
    randomize(transformer, 4)
    scheduler = FlowMatchEulerDiscreteScheduler(**SCHEDULER)

    vae.save_pretrained(PIPE / "vae")
    transformer.save_pretrained(PIPE / "transformer")
    clip.save_pretrained(PIPE / "text_encoder")
    t5.save_pretrained(PIPE / "text_encoder_2")
    scheduler.save_pretrained(PIPE / "scheduler")
    model_index = {
        "_class_name": "FluxPipeline", "_diffusers_version": diffusers.__version__,
        "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"], "text_encoder_2": ["transformers", "T5EncoderModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "tokenizer_2": ["transformers", "T5TokenizerFast"],
        "transformer": ["diffusers", "FluxTransformer2DModel"], "vae": ["diffusers", "AutoencoderDC"],
        "image_encoder": [None, None], "feature_extractor": [None, None],
    }
    (PIPE / "model_index.json").write_text(json.dumps(model_index, indent=2) + "\n")
    return DCGenFluxReference(scheduler, vae, clip, tok, t5, tok2, transformer)


def psnr(a, b):
    """PSNR of two [-1, 1] images clamped and mapped to [0, 1], as the C++ tests compute it."""
    x, y = (a.clamp(-1, 1) * 0.5 + 0.5).double(), (b.clamp(-1, 1) * 0.5 + 0.5).double()
    mse = float(((x - y) ** 2).mean())
    return 200.0 if mse == 0 else 10 * math.log10(1.0 / mse)


@torch.no_grad()
def run_case(pipe, name, case):
    channels = pipe.transformer.config.in_channels
    h, w = case["height"] // pipe.vae_scale_factor, case["width"] // pipe.vae_scale_factor
    noise = torch.randn((case["batch"], channels, h, w), generator=torch.Generator().manual_seed(case["seed"]))
    pipe.scheduler = FlowMatchEulerDiscreteScheduler(**SCHEDULER)
    if case["use_flux_2"]:
        r = math.sqrt(h * w * channels / 4096)
        pipe.scheduler.set_timesteps = types.MethodType(flux2_set_timesteps(r), pipe.scheduler)
    out = pipe(prompt=case["prompt"], negative_prompt=case.get("negative_prompt"),
               true_cfg_scale=case.get("true_cfg_scale", 1.0), height=case["height"], width=case["width"],
               num_inference_steps=case["steps"], guidance_scale=case["guidance"],
               num_images_per_prompt=case["batch"], latents=noise, output_type="latent", max_sequence_length=512)
    packed = out.images  # [B, h*w, C]
    latents = packed.reshape(case["batch"], h, w, channels).permute(0, 3, 1, 2)
    image = pipe.vae.decode(latents / pipe.vae.config.scaling_factor).sample
    sigmas = pipe.scheduler.sigmas.tolist()
    # The same run in bf16 (on a copy: casting back would leave bf16-rounded f32 weights):
    # how far the reference itself moves at bf16 bounds what ours may.
    pipe16 = copy.deepcopy(pipe).to(torch.bfloat16)
    if case["use_flux_2"]:
        pipe16.scheduler.set_timesteps = types.MethodType(flux2_set_timesteps(r), pipe16.scheduler)
    out16 = pipe16(prompt=case["prompt"], negative_prompt=case.get("negative_prompt"),
                 true_cfg_scale=case.get("true_cfg_scale", 1.0), height=case["height"], width=case["width"],
                 num_inference_steps=case["steps"], guidance_scale=case["guidance"],
                 num_images_per_prompt=case["batch"], latents=noise, output_type="latent", max_sequence_length=512)
    lat16 = out16.images.reshape(case["batch"], h, w, channels).permute(0, 3, 1, 2)
    image16 = pipe16.vae.decode(lat16 / pipe16.vae.config.scaling_factor).sample.float()
    save_file({"noise": noise.contiguous(), "latents": latents.contiguous(), "image": image.float().contiguous(),
               "image_bf16": image16.contiguous()}, OUT / f"{name}.safetensors")
    return dict(case, sigmas=sigmas, image_shape=list(image.shape),
                image_range=[float(image.min()), float(image.max())],
                reference_bf16_psnr=psnr(image16, image))


def write_cases(out_dir, cases):
    """cases.json beside the goldens (the calls, with the library versions); prints the folder's size."""
    (out_dir / "cases.json").write_text(json.dumps(dict(
        diffusers=diffusers.__version__, torch=torch.__version__, cases=cases), indent=2) + "\n")
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    print(f"wrote {out_dir} ({size / 1024:.0f} KiB)")


def main():
    torch.set_grad_enabled(False)
    pipe = build_folder()
    write_cases(OUT, {name: run_case(pipe, name, c) for name, c in CASES.items()})


if __name__ == "__main__":
    main()
