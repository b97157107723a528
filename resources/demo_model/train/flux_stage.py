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
"""
import copy
import time

import torch
import torch.nn.functional as F
from diffusers import FluxTransformer2DModel
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5TokenizerFast

import common
import scenes
from batches import CLIP_LENGTH, SceneBatches, loader

DROP_CAPTION = 0.05
GUIDANCE_RANGE = (0.0, 10.0)


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


def flow_loss(models, vae, item, sizes, device, generator):
    transformer, clip, t5 = models
    x = scenes.render(item["scenes"], sizes.image_size, device) * 2 - 1
    with torch.no_grad():
        x0 = vae.encode(x).latent.float() * vae.config.scaling_factor  # [B, C, h, w]
    b, c, h, w = x0.shape
    noise = torch.randn(x0.shape, device=device, generator=generator)
    sigma = torch.sigmoid(torch.randn(b, device=device, generator=generator))
    guidance = torch.empty(b, device=device).uniform_(*GUIDANCE_RANGE, generator=generator)
    s = sigma.view(b, 1, 1, 1)
    xt = (1 - s) * x0 + s * noise
    sequence, pooled = encode_prompt(clip, t5, item["clip_ids"].to(device), item["t5_ids"].to(device))
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


def train_flux(sizes, seed, device, tokenizer_dir, vae, log_csv, excluded, init_from=None):
    """Returns ((transformer, clip, t5) EMA weights in f32 on the CPU, info dict). `init_from`: an
    exported pipeline folder whose weights this run continues from (a fresh optimizer and schedule;
    the batches are a stream of their own, so no scene of the first run repeats)."""
    steps, minutes = sizes.flux_steps, sizes.flux_minutes
    common.seed_everything(seed + 10)
    if init_from is None:
        clip, t5 = build_text_encoders(sizes, tokenizer_dir)
        transformer = build_transformer(sizes, vae.config.latent_channels)
    else:
        transformer, clip, t5 = load_trained(init_from)
    models = [m.to(device).train() for m in (transformer, clip, t5)]
    vae = vae.to(device).eval().requires_grad_(False)
    params = [p for m in models for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=sizes.flux_lr, betas=(0.9, 0.99), weight_decay=0.01,
                            fused=device.type == "cuda")
    ema = EMA(models, sizes.ema_decay)
    generator = torch.Generator(device=device).manual_seed(seed + 11)
    data = SceneBatches(seed, "flux" if init_from is None else "flux-continued", sizes.flux_batch, steps, excluded=excluded, drop_caption=DROP_CAPTION,
                        tokenizer_dirs=(tokenizer_dir / "tokenizer", tokenizer_dir / "tokenizer_2"))
    log = common.StepLog(log_csv, "flux", sizes.log_every)
    budget = common.StepBudget(steps, minutes)
    nominal, start = steps, time.time()
    for item in loader(data, device):
        step = item["step"]
        if step >= steps:
            break
        lr = common.lr_at(step, steps, sizes.flux_lr, warmup=max(20, nominal // 25))
        for g in opt.param_groups:
            g["lr"] = lr
        with common.autocast(device):
            loss = flow_loss(models, vae, item, sizes, device, generator)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        ema.update(step)
        log.add(step, loss, lr)
        steps = budget.update(step)
    seconds = time.time() - start
    log.write()
    out = [m.float().cpu().eval() for m in ema.shadow]
    counts = {name: sum(p.numel() for p in m.parameters()) for name, m in zip(("transformer", "clip", "t5"), out)}
    info = {"steps": steps, "nominal_steps": nominal, "guard_cuts": budget.cuts, "batch": sizes.flux_batch,
            "seconds": round(seconds, 1),
            "seconds_per_step": round(seconds / steps, 4),
            "params": counts, "final_loss": log.rows[-1][2] if log.rows else None,
            "text_encoders": "trained jointly with the transformer (flow-matching loss only), from random init",
            "guidance": f"guidance_embeds=true; trained with uninformative guidance ~ U{GUIDANCE_RANGE}",
            "drop_caption": DROP_CAPTION, "ema_decay": sizes.ema_decay,
            "continued_from": None if init_from is None else str(init_from)}
    print(f"[flux] {counts}, {seconds:.0f} s", flush=True)
    return out, info
