"""Stage 2: the DC-AE (diffusers AutoencoderDC), trained as a plain autoencoder on rendered scenes.

Loss: L1 + MSE on pixels in [-1, 1], plus L1 on horizontal/vertical pixel differences (crisp shape
edges). The first three quarters of the steps see 256x256 crops of the 512x512 scenes (the
network is convolutional apart from its 8x8 / 16x16 linear attention), the last quarter whole
scenes, as the pipeline decodes them. The decoder also sees slightly noisy latents (up to 10% of
the latent std) so that what the diffusion model produces, which is never exactly an encoder
output, still decodes cleanly. A tiny
L2 pull on the latent keeps its scale bounded. After training the weights are rounded to fp16 (the
shipped precision) and the scaling factor is set to 1 / std of the fp16 model's latents, so the
diffusion model trains on exactly what ships.
"""
import random
import time

import torch
import torch.nn.functional as F
from diffusers import AutoencoderDC

import common
import scenes
from batches import SceneBatches, loader

LATENT_L2 = 1e-4
MAX_LATENT_NOISE = 0.1


def edge_l1(a, b):
    dx = lambda t: t[..., :, 1:] - t[..., :, :-1]
    dy = lambda t: t[..., 1:, :] - t[..., :-1, :]
    return F.l1_loss(dx(a), dx(b)) + F.l1_loss(dy(a), dy(b))


def random_crop(x, size, seed, step):
    """The same seeded window of every image of batch `step`."""
    rng = random.Random(f"{seed}/crop/{step}")
    top, left = rng.randrange(x.shape[2] - size + 1), rng.randrange(x.shape[3] - size + 1)
    return x[:, :, top:top + size, left:left + size]


def vae_loss(vae, x, generator):
    """x: [B, 3, H, W] in [-1, 1]. Returns the scalar loss."""
    z = vae.encode(x).latent  # [B, C, H/32, W/32]
    std = z.detach().float().std()
    amount = torch.rand(z.shape[0], 1, 1, 1, device=z.device, generator=generator) * MAX_LATENT_NOISE
    noise = torch.randn(z.shape, device=z.device, generator=generator)
    y = vae.decode(z + (amount * std * noise).to(z.dtype)).sample
    y, x = y.float(), x.float()
    return F.l1_loss(y, x) + F.mse_loss(y, x) + edge_l1(y, x) + LATENT_L2 * z.float().pow(2).mean()


def train_vae(sizes, seed, device, log_csv, excluded):
    """Trains and returns (vae in fp16-rounded f32 weights with its scaling factor set, info dict)."""
    common.seed_everything(seed + 1)
    vae = AutoencoderDC(**sizes.vae).to(device).train()
    opt = torch.optim.AdamW(vae.parameters(), lr=sizes.vae_lr, betas=(0.9, 0.99), weight_decay=0.0)
    generator = torch.Generator(device=device).manual_seed(seed + 2)
    data = SceneBatches(seed, "vae", sizes.vae_batch, sizes.vae_steps, excluded=excluded)
    log = common.StepLog(log_csv, "vae", sizes.log_every)
    # Whole-image steps cost (image / crop)^2 crop steps: the guard's cost model.
    full_cost = (sizes.image_size / sizes.vae_crop) ** 2
    budget = common.StepBudget(sizes.vae_steps, sizes.vae_minutes,
                               cost=lambda s, total: 1.0 if s < total * 3 // 4 else full_cost)
    steps, start = sizes.vae_steps, time.time()
    for item in loader(data, device):
        step = item["step"]
        if step >= steps:
            break
        lr = common.lr_at(step, steps, sizes.vae_lr, warmup=max(10, sizes.vae_steps // 20))
        for g in opt.param_groups:
            g["lr"] = lr
        x = scenes.render(item["scenes"], sizes.image_size, device) * 2 - 1
        if step < steps * 3 // 4:  # crops first (4x cheaper at 256 of 512), whole images last
            x = random_crop(x, sizes.vae_crop, seed, step)
        with common.autocast(device):
            loss = vae_loss(vae, x, generator)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        opt.step()
        log.add(step, loss, lr)
        steps = budget.update(step)
    seconds = time.time() - start
    log.write()

    vae = vae.eval().to(torch.float16).to(torch.float32)  # what ships: fp16 weights
    scaling, psnr = latent_statistics(vae, sizes, seed, device)
    vae.register_to_config(scaling_factor=scaling)
    params = sum(p.numel() for p in vae.parameters())
    info = {"steps": steps, "nominal_steps": sizes.vae_steps, "guard_cuts": budget.cuts,
            "batch": sizes.vae_batch, "crop": sizes.vae_crop,
            "seconds": round(seconds, 1), "seconds_per_step": round(seconds / steps, 4), "params": params,
            "scaling_factor": scaling, "heldout_psnr_db": psnr, "final_loss": log.rows[-1][2] if log.rows else None}
    print(f"[vae] {params / 1e6:.2f} M params, {seconds:.0f} s, scaling_factor {scaling:.4f}, "
          f"held-out PSNR {psnr:.2f} dB", flush=True)
    return vae, info


@torch.no_grad()
def latent_statistics(vae, sizes, seed, device, count=256):
    """(1 / std of the latents, reconstruction PSNR in dB) over `count` scenes of a held-out stream."""
    zs, mse = [], []
    batch = min(count, 32)
    for i in range(0, count, batch):
        batch_scenes = [scenes.sample_scene(scenes.scene_rng(seed, "vae-stats", i + k)) for k in range(batch)]
        x = scenes.render(batch_scenes, sizes.image_size, device) * 2 - 1
        z = vae.encode(x).latent
        y = vae.decode(z).sample.clamp(-1, 1)
        zs.append(z.float().cpu())
        mse.append(((y - x) / 2).pow(2).flatten(1).mean(1).cpu())
    z = torch.cat(zs)
    psnr = (-10 * torch.log10(torch.cat(mse).clamp(min=1e-10))).mean().item()
    return float(1.0 / z.std().item()), round(psnr, 2)


def save_samples(vae, sizes, seed, device, path, count=8):
    """Top row: rendered scenes; bottom row: their reconstructions."""
    from PIL import Image
    batch_scenes = [scenes.sample_scene(scenes.scene_rng(seed, "vae-stats", k)) for k in range(count)]
    with torch.no_grad():
        x = scenes.render(batch_scenes, sizes.image_size, device)
        y = (vae.decode(vae.encode(x * 2 - 1).latent).sample / 2 + 0.5).clamp(0, 1)
    rows = [scenes.to_uint8(t) for t in (x, y)]
    import numpy as np
    grid = np.concatenate([np.concatenate(list(r), axis=1) for r in rows], axis=0)
    Image.fromarray(grid).save(path)
