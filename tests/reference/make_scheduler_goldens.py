"""Sigma schedules of diffusers' FlowMatchEulerDiscreteScheduler as FLUX pipelines drive it.

Writes tests/data/scheduler/flow_match_cases.json: for each scheduler config and
step count, the timesteps and sigmas diffusers produces (FluxPipeline's
calculate_shift mu; DC-Gen's "flux2" warp, whose one-line formula from
dc-ai-projects/DC-Gen pipeline_dcgen_flux.set_timesteps_flux2 is restated below
because that repository is not pip-installable).

    python tests/reference/make_scheduler_goldens.py
"""
import json
import math
import pathlib

import numpy as np
import torch
from diffusers import FlowMatchEulerDiscreteScheduler
from diffusers.pipelines.flux.pipeline_flux import calculate_shift

OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "scheduler" / "flow_match_cases.json"

# The FLUX.1-dev / Krea scheduler_config.json, and variants exercising every option we support.
FLUX_DEV = dict(num_train_timesteps=1000, shift=3.0, use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15,
                base_image_seq_len=256, max_image_seq_len=4096)
CONFIGS = {
    "flux_dev": FLUX_DEV,
    "static_shift3": dict(num_train_timesteps=1000, shift=3.0),
    "linear_time_shift": dict(FLUX_DEV, time_shift_type="linear"),
    "shift_terminal": dict(FLUX_DEV, shift_terminal=0.1),
    "karras": dict(num_train_timesteps=1000, shift=3.0, use_karras_sigmas=True),
    "exponential": dict(num_train_timesteps=1000, shift=2.0, use_exponential_sigmas=True),
    "inverted": dict(num_train_timesteps=1000, shift=1.0, invert_sigmas=True),
}


def flux2_sigmas(steps, r):
    t = np.linspace(1.0, 1.0 / steps, steps, dtype=np.float32)
    s = ((r * t) / (1.0 + (r - 1.0) * t)).astype(np.float32)
    return s


def finite_or_none(values):
    """JSON has no NaN: diffusers' divide-by-zero cases are stored as null."""
    return [v if math.isfinite(v) else None for v in values]


def main():
    cases = []
    for name, cfg in CONFIGS.items():
        for steps in (1, 4, 20, 28):
            for seq_len in (1024, 4096, 16384):
                base = np.linspace(1.0, 1 / steps, steps)
                mu = calculate_shift(seq_len, 256, 4096, 0.5, 1.15)
                # FluxPipeline passes its linspace sigmas; the "own" case lets the scheduler build them.
                for given in (True, False):
                    s = FlowMatchEulerDiscreteScheduler(**cfg)
                    kwargs = {"mu": mu} if cfg.get("use_dynamic_shifting") else {}
                    if given:
                        s.set_timesteps(sigmas=base, **kwargs)
                    else:
                        s.set_timesteps(num_inference_steps=steps, **kwargs)
                    cases.append(dict(config_name=name, config=cfg, steps=steps, seq_len=seq_len, mu=mu,
                                      given_sigmas=given, timesteps=finite_or_none(s.timesteps.tolist()),
                                      sigmas=finite_or_none(s.sigmas.tolist())))
    for steps in (4, 20):
        for seq_len, channels in ((1024, 32), (4096, 32), (4096, 128)):
            r = math.sqrt(seq_len * channels / 4096)
            s = flux2_sigmas(steps, r)
            sig = torch.cat([torch.from_numpy(s), torch.zeros(1)])
            cases.append(dict(config_name="flux2", config=FLUX_DEV, steps=steps, seq_len=seq_len, channels=channels,
                              r=r, timesteps=(torch.from_numpy(s) * 1000).tolist(), sigmas=sig.tolist()))
    # One Euler step (f32): prev = x + (sigma_next - sigma) * v.
    s = FlowMatchEulerDiscreteScheduler(**FLUX_DEV)
    s.set_timesteps(sigmas=np.linspace(1.0, 1 / 4, 4), mu=0.8)
    g = torch.Generator().manual_seed(0)
    x, v = torch.randn(2, 6, generator=g), torch.randn(2, 6, generator=g)
    s.set_begin_index(0)
    prev = s.step(v, s.timesteps[0], x, return_dict=False)[0]
    step = dict(sample=x.flatten().tolist(), model_output=v.flatten().tolist(), prev=prev.flatten().tolist(),
                shape=list(x.shape), sigmas=s.sigmas.tolist())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(dict(cases=cases, step=step), allow_nan=False))
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
