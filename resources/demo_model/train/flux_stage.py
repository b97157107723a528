"""Stage 3: the FLUX transformer and both text encoders, trained together with the rectified-flow loss
on the (frozen, fp16-rounded) DC-AE's latents of rendered scenes.

Text encoders: CLIPTextModel and T5EncoderModel start from random weights and learn only through the
transformer's loss (no separate text objective): the caption language is tiny and the transformer is
the only consumer, so end-to-end training is the simplest thing that gives them meaning. Prompts are
tokenized and encoded exactly as FluxPipeline does (CLIP: 77 tokens, pooled output; T5: T5_LENGTH
tokens padded, no attention mask), so inference sees what training saw.

Flow matching (FluxPipeline's convention): x_s = (1 - s) * x0 + s * noise for a sigma s drawn
logit-normal(0, 1); the transformer gets timestep = s (the pipeline's t / 1000) and predicts
v = noise - x0; loss = MSE. Latents are packed as 1x1 patches with (0, row, col) image ids.

Guidance: the transformer has FLUX-dev's guidance embedding (guidance_embeds = true, as the
released checkpoints), but there is no teacher to distill classifier-free guidance from, so
training feeds a guidance value drawn uniformly from [0, 10] that carries no information: the model
learns to ignore it, and any --guidance gives the same kind of picture. 5% of captions are
dropped to "" so that the empty prompt is an unconditional model (true CFG with a negative prompt
then works). Weights are exported from an exponential moving average (EMA).

Sigma: logit-normal(0, 1) (SD3) for 3/4 of the samples and uniform on [0, 1) for the rest. The
logit-normal alone almost never trains the ends that the sampler visits (20 flux2 steps at r = 1
evaluate s = 1.0, 0.95, ..., 0.05; P(s > 0.95) = 0.16% under logit-normal(0, 1)), and the first
steps from pure noise are where a picture's colors are decided: after 4 400 steps the conditional
mean the model predicted at s = 1 had a brown, gray or orange background for 6 of 8 background
colors named in the prompt.

Throughput: rendering and encoding 96 scenes at 512x512 every step (a DC-AE forward of 12.9 GFLOP
and ~0.86 GB of activation traffic per image) cost more than the transformer's step itself. The
frozen DC-AE's latents therefore go to a pool (LatentPool, batches.PooledSceneBatches): each step
renders and encodes only batch / reuse new scenes and trains on `batch` scenes picked from the
pool, each with fresh noise, sigma and caption wording, so a scene is used `reuse` times on average
(README, "Time estimate"). On CUDA the DC-AE encodes in bf16, channels-last.
"""
import copy
import hashlib
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers import FluxTransformer2DModel
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5TokenizerFast

import common
import scenes
from batches import CLIP_LENGTH, PooledSceneBatches, loader

DROP_CAPTION = 0.05
GUIDANCE_RANGE = (0.0, 10.0)
UNIFORM_SIGMA_SHARE = 0.25  # the rest logit-normal(0, 1): see the module docstring


def build_text_encoders(sizes, tokenizer_dir):
    clip_tok = CLIPTokenizer.from_pretrained(tokenizer_dir / "tokenizer")
    t5_tok = T5TokenizerFast.from_pretrained(tokenizer_dir / "tokenizer_2")
    clip = CLIPTextModel(CLIPTextConfig(
        vocab_size=len(clip_tok), max_position_embeddings=CLIP_LENGTH, hidden_act="quick_gelu",
        bos_token_id=clip_tok.bos_token_id, eos_token_id=clip_tok.eos_token_id, pad_token_id=clip_tok.pad_token_id,
        projection_dim=sizes.clip["hidden_size"], **sizes.clip))
    t5 = T5EncoderModel(T5Config(
        vocab_size=len(t5_tok), feed_forward_proj="gated-gelu", relative_attention_num_buckets=32,
        relative_attention_max_distance=128, is_encoder_decoder=False, tie_word_embeddings=False,
        dropout_rate=0.0, pad_token_id=t5_tok.pad_token_id, eos_token_id=t5_tok.eos_token_id,
        decoder_start_token_id=t5_tok.pad_token_id, **sizes.t5))
    return clip, t5


def build_transformer(sizes, latent_channels):
    return FluxTransformer2DModel(
        patch_size=1, in_channels=latent_channels, out_channels=None, guidance_embeds=True,
        joint_attention_dim=sizes.t5["d_model"], pooled_projection_dim=sizes.clip["hidden_size"],
        **sizes.transformer)


def encode_prompt(clip, t5, clip_ids, t5_ids):
    """FluxPipeline.encode_prompt on token ids: (T5 last hidden state [B, T5_LENGTH, D], CLIP pooled [B, P])."""
    pooled = clip(clip_ids, output_hidden_states=False).pooler_output
    sequence = t5(t5_ids, output_hidden_states=False)[0]
    return sequence, pooled


def image_ids(h, w, device):
    """FluxPipeline._prepare_latent_image_ids: [h*w, 3] = (0, row, col)."""
    ids = torch.zeros(h, w, 3, device=device)
    ids[..., 1] += torch.arange(h, device=device)[:, None]
    ids[..., 2] += torch.arange(w, device=device)[None, :]
    return ids.reshape(h * w, 3)


def pack(latents):
    """[B, C, h, w] -> [B, h*w, C] (DC-Gen's 1x1 patches)."""
    b, c, h, w = latents.shape
    return latents.permute(0, 2, 3, 1).reshape(b, h * w, c)


class EMA:
    def __init__(self, modules, decay):
        self.decay = decay
        self.shadow = [copy.deepcopy(m).eval().requires_grad_(False) for m in modules]
        self.modules = modules

    @torch.no_grad()
    def update(self, step):
        decay = min(self.decay, (1 + step) / (10 + step))  # short warmup: early weights fade fast
        shadow = [p for m in self.shadow for p in m.parameters()]
        live = [p.detach() for m in self.modules for p in m.parameters()]
        torch._foreach_lerp_(shadow, live, 1 - decay)


class LatentPool:
    """`size` latents of the frozen DC-AE on the device ([size, C, h, w] f32, scaled by the VAE's
    scaling_factor); slot g % size holds scene g of a PooledSceneBatches stream."""

    def __init__(self, vae, size, image_size, device):
        self.image_size, self.device = image_size, device
        self.scaling = vae.config.scaling_factor
        vae = copy.deepcopy(vae).to(device).eval().requires_grad_(False)  # the caller's copy is exported
        if device.type == "cuda":  # the encoder's convolutions are 16-128 channels wide: NHWC bf16
            vae = vae.to(torch.bfloat16).to(memory_format=torch.channels_last)
        self.vae = vae
        self.latents = None
        self.size = size

    @torch.no_grad()
    def encode(self, images):
        """[B, 3, H, W] in [-1, 1] -> scaled latents [B, C, h, w] f32."""
        if self.device.type == "cuda":
            images = images.to(torch.bfloat16).contiguous(memory_format=torch.channels_last)
        return self.vae.encode(images).latent.float() * self.scaling

    @torch.no_grad()
    def insert(self, item):
        """Renders and encodes an item's new scenes into their slots."""
        slot = item["new_first"] % self.size
        for plan in item["plans"]:
            z = self.encode(scenes.draw(plan, self.image_size, self.device) * 2 - 1)
            if self.latents is None:
                self.latents = torch.zeros((self.size,) + z.shape[1:], device=self.device)
            self.latents[slot:slot + z.shape[0]] = z
            slot += z.shape[0]

    def take(self, slots):
        return self.latents.index_select(0, slots.to(self.device, non_blocking=True))


def sample_sigma(b, device, generator):
    """b sigmas: logit-normal(0, 1), or uniform on [0, 1) with probability UNIFORM_SIGMA_SHARE."""
    logit_normal = torch.sigmoid(torch.randn(b, device=device, generator=generator))
    uniform = torch.rand(b, device=device, generator=generator)
    pick_uniform = torch.rand(b, device=device, generator=generator) < UNIFORM_SIGMA_SHARE
    return torch.where(pick_uniform, uniform, logit_normal)


def flow_loss(models, x0, item, device, generator):
    """The rectified-flow loss on clean latents x0 [B, C, h, w] (scaled) and the item's prompts."""
    transformer, clip, t5 = models
    b, c, h, w = x0.shape
    noise = torch.randn(x0.shape, device=device, generator=generator)
    sigma = sample_sigma(b, device, generator)
    guidance = torch.empty(b, device=device).uniform_(*GUIDANCE_RANGE, generator=generator)
    s = sigma.view(b, 1, 1, 1)
    xt = (1 - s) * x0 + s * noise
    clip_ids, t5_ids = (item[k].to(device, non_blocking=True) for k in ("clip_ids", "t5_ids"))
    sequence, pooled = encode_prompt(clip, t5, clip_ids, t5_ids)
    v = transformer(hidden_states=pack(xt), timestep=sigma, guidance=guidance, pooled_projections=pooled,
                    encoder_hidden_states=sequence, txt_ids=torch.zeros(sequence.shape[1], 3, device=device),
                    img_ids=image_ids(h, w, device), return_dict=False)[0]
    return F.mse_loss(v.float(), pack(noise - x0))


def load_trained(folder):
    """(transformer, clip, t5) in f32 from an exported pipeline folder, to continue training it."""
    f32 = dict(torch_dtype=torch.float32)
    return (FluxTransformer2DModel.from_pretrained(folder / "transformer", **f32),
            CLIPTextModel.from_pretrained(folder / "text_encoder", dtype=torch.float32),
            T5EncoderModel.from_pretrained(folder / "text_encoder_2", dtype=torch.float32))


def weights_tag(folder):
    """8 hex digits of the SHA-256 of an exported pipeline's transformer weights."""
    data = (Path(folder) / "transformer" / "diffusion_pytorch_model.safetensors").read_bytes()
    return hashlib.sha256(data).hexdigest()[:8]


def train_flux(sizes, seed, device, tokenizer_dir, vae, log_csv, excluded, init_from=None):
    """Returns ((transformer, clip, t5) EMA weights in f32 on the CPU, info dict). `init_from`: an
    exported pipeline folder whose weights this run continues from (a fresh optimizer and schedule;
    scenes, captions and noise come from streams of their own, so no earlier run's data repeats)."""
    steps, minutes = sizes.flux_steps, sizes.flux_minutes
    common.seed_everything(seed + 10)
    if init_from is None:
        clip, t5 = build_text_encoders(sizes, tokenizer_dir)
        transformer = build_transformer(sizes, vae.config.latent_channels)
    else:
        transformer, clip, t5 = load_trained(init_from)
    models = [m.to(device).train() for m in (transformer, clip, t5)]
    pool = LatentPool(vae, sizes.flux_pool, sizes.image_size, device)
    params = [p for m in models for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=sizes.flux_lr, betas=(0.9, 0.99), weight_decay=0.01,
                            fused=device.type == "cuda")
    ema = EMA(models, sizes.ema_decay)
    # A continuation draws its scenes, captions and noise from streams named after the weights it
    # starts from, so that continuing twice (one device call after another) never repeats data.
    if init_from is None:
        stream, noise_seed = "flux-pool", seed + 11
    else:
        stream = f"flux-pool-from-{weights_tag(init_from)}"
        noise_seed = int(hashlib.sha256(f"{seed}/{stream}".encode()).hexdigest()[:15], 16)
    generator = torch.Generator(device=device).manual_seed(noise_seed)
    data = PooledSceneBatches(seed, stream, sizes.flux_batch, steps, sizes.flux_reuse, sizes.flux_pool,
                              (tokenizer_dir / "tokenizer", tokenizer_dir / "tokenizer_2"),
                              excluded=excluded, drop_caption=DROP_CAPTION)
    log = common.StepLog(log_csv, "flux", sizes.log_every)
    budget = common.StepBudget(steps, minutes)
    phases = common.PhaseTimer(device, ("loader wait", "render + encode", "train step"))
    nominal, start = steps, time.time()
    items = iter(loader(data, device))
    for step in range(steps):
        if step >= steps:  # the guard shortened the run
            break
        phases.begin(step)
        item = next(items)
        assert item["step"] == step
        phases.lap("loader wait")
        pool.insert(item)  # step 0: the whole pool (sizes.flux_pool scenes); then batch / reuse new ones
        phases.lap("render + encode")
        lr = common.lr_at(step, steps, sizes.flux_lr, warmup=max(20, nominal // 25))
        for g in opt.param_groups:
            g["lr"] = lr
        x0 = pool.take(item["slots"])
        with common.autocast(device):
            loss = flow_loss(models, x0, item, device, generator)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema.update(step)
        phases.lap("train step")
        log.add(step, loss, lr)
        steps = budget.update(step)
        phases.end(step)
    del items  # stops the loader's workers
    seconds = time.time() - start
    log.write()
    out = [m.float().cpu().eval() for m in ema.shadow]
    counts = {name: sum(p.numel() for p in m.parameters()) for name, m in zip(("transformer", "clip", "t5"), out)}
    info = {"steps": steps, "nominal_steps": nominal, "guard_cuts": budget.cuts, "batch": sizes.flux_batch,
            "latent_pool": {"scenes": sizes.flux_pool, "reuse": sizes.flux_reuse,
                            "new_scenes_per_step": sizes.flux_batch // sizes.flux_reuse,
                            "scenes_encoded": data.new_scenes(steps - 1)[0] + data.new_scenes(steps - 1)[1]},
            "seconds": round(seconds, 1),
            "seconds_per_step": round(seconds / steps, 4),
            "phase_ms_per_step": phases.summary,
            "params": counts, "final_loss": log.rows[-1][2] if log.rows else None,
            "text_encoders": "trained jointly with the transformer (flow-matching loss only), from random init",
            "guidance": f"guidance_embeds=true; trained with uninformative guidance ~ U{GUIDANCE_RANGE}",
            "sigma": f"logit-normal(0, 1), uniform [0, 1) for {UNIFORM_SIGMA_SHARE:.0%} of the samples",
            "drop_caption": DROP_CAPTION, "ema_decay": sizes.ema_decay,
            "continued_from": None if init_from is None else str(init_from), "stream": stream}
    print(f"[flux] {counts}, {seconds:.0f} s", flush=True)
    return out, info
