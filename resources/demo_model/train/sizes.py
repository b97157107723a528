"""Model and run sizes of the demo model: `FULL` (the shipped model, trained on one H100) and `SMOKE`
(the same code paths with tiny sizes, a few minutes on a CPU).

Every component has the architecture of a DC-Gen-FLUX.1 release, only smaller:
  vae             AutoencoderDC f32 (6 stages: 512x512 -> 16x16), ResBlock x4 + EfficientViTBlock x2,
                  conv downsample, interpolate upsample, rms_norm, silu (the sana-1.0 f32c32 layout)
  transformer     FluxTransformer2DModel on 1x1 latent patches (in_channels = latent channels),
                  guidance_embeds (FLUX-dev), double + single stream blocks
  text_encoder    CLIPTextModel (pooled output -> pooled_projections)
  text_encoder_2  T5EncoderModel (gated-gelu, relative buckets; last hidden state -> joint attention)
Shipped size (fp16): vae 3.85 M params (7.7 MB), transformer 7.9 M (15.8 MB), CLIP + T5 ~1 M (2 MB).
"""
import dataclasses

RES, VIT = "ResBlock", "EfficientViTBlock"


def vae_config(channels, encoder_layers, decoder_layers, latent_channels, head_dim):
    return dict(in_channels=3, latent_channels=latent_channels, attention_head_dim=head_dim,
                encoder_block_types=(RES, RES, RES, RES, VIT, VIT), decoder_block_types=(RES, RES, RES, RES, VIT, VIT),
                encoder_block_out_channels=channels, decoder_block_out_channels=channels,
                encoder_layers_per_block=encoder_layers, decoder_layers_per_block=decoder_layers,
                encoder_qkv_multiscales=((), (), (), (), (5,), (5,)),
                decoder_qkv_multiscales=((), (), (), (), (5,), (5,)),
                downsample_block_type="Conv", upsample_block_type="interpolate",
                decoder_norm_types="rms_norm", decoder_act_fns="silu", scaling_factor=1.0)


@dataclasses.dataclass(frozen=True)
class Sizes:
    name: str
    image_size: int                 # training and evaluation resolution (square)
    # tokenizers
    clip_merges: int
    t5_vocab: int
    caption_corpus_size: int        # scene captions the vocabularies are learned from
    # DC-AE
    vae: dict
    vae_steps: int
    vae_batch: int
    vae_lr: float
    vae_crop: int                   # training crop (pixels) for all but the last quarter of the steps
    # text encoders (trained jointly with the transformer)
    clip: dict
    t5: dict
    # FLUX transformer
    transformer: dict
    flux_steps: int
    flux_batch: int
    flux_lr: float
    flux_reuse: int                 # each rendered + encoded scene is trained on this many times on average
    flux_pool: int                  # latents kept on the device to draw batches from (flux_stage.LatentPool)
    vae_minutes: float              # wall-clock guards (0 = none): past the first 50 steps the step count
    flux_minutes: float             # shrinks to what fits, logged in metrics.json (see README)
    ema_decay: float
    # evaluation
    eval_images: int
    eval_steps: int                 # sampling steps (dcgen's default is 20)
    eval_batch: int
    log_every: int


FULL = Sizes(
    name="full", image_size=512,
    clip_merges=800, t5_vocab=600, caption_corpus_size=20000,
    vae=vae_config((16, 32, 64, 128, 128, 128), (1, 1, 1, 1, 1, 1), (1, 1, 2, 2, 2, 2), 16, 32),
    vae_steps=5000, vae_batch=32, vae_lr=8e-4, vae_crop=256,
    clip=dict(hidden_size=128, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4),
    t5=dict(d_model=128, d_kv=32, d_ff=256, num_layers=3, num_heads=4),
    transformer=dict(num_layers=4, num_single_layers=4, attention_head_dim=32, num_attention_heads=6,
                     axes_dims_rope=(8, 12, 12)),
    flux_steps=14000, flux_batch=96, flux_lr=4e-4, flux_reuse=8, flux_pool=3072, ema_decay=0.999,
    vae_minutes=8.0, flux_minutes=7.5,
    eval_images=32, eval_steps=20, eval_batch=8, log_every=50,
)

SMOKE = Sizes(
    name="smoke", image_size=128,
    clip_merges=200, t5_vocab=300, caption_corpus_size=3000,
    vae=vae_config((4, 8, 8, 16, 16, 16), (1, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, 1), 8, 8),
    vae_steps=160, vae_batch=8, vae_lr=2e-3, vae_crop=64,
    clip=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2),
    t5=dict(d_model=32, d_kv=16, d_ff=64, num_layers=1, num_heads=2),
    transformer=dict(num_layers=1, num_single_layers=1, attention_head_dim=16, num_attention_heads=2,
                     axes_dims_rope=(4, 6, 6)),
    flux_steps=400, flux_batch=8, flux_lr=1e-3, flux_reuse=2, flux_pool=32, ema_decay=0.99,
    vae_minutes=0, flux_minutes=0,
    eval_images=20, eval_steps=8, eval_batch=10, log_every=10,
)

# In between: enough to see on a CPU (about half an hour) whether prompts steer the pictures.
MINI = Sizes(
    name="mini", image_size=256,
    clip_merges=800, t5_vocab=600, caption_corpus_size=20000,
    vae=vae_config((8, 16, 32, 64, 64, 64), (1, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, 1), 16, 16),
    vae_steps=500, vae_batch=8, vae_lr=1e-3, vae_crop=128,
    clip=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2),
    t5=dict(d_model=64, d_kv=32, d_ff=128, num_layers=2, num_heads=2),
    transformer=dict(num_layers=2, num_single_layers=2, attention_head_dim=32, num_attention_heads=4,
                     axes_dims_rope=(8, 12, 12)),
    flux_steps=2000, flux_batch=16, flux_lr=6e-4, flux_reuse=4, flux_pool=256, ema_decay=0.995,
    vae_minutes=0, flux_minutes=0,
    eval_images=24, eval_steps=20, eval_batch=8, log_every=25,
)

SIZES = {"full": FULL, "smoke": SMOKE, "mini": MINI}
