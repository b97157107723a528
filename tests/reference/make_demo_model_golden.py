"""Goldens for the embedded demo model (resources/demo_model/dc-gen-flux-demo): the reference pipeline
(diffusers FluxPipeline with DC-Gen's 1x1 AutoencoderDC latents, the same code the demo's training
exports and evaluates with) run on the shipped folder with seeded noise. tests/demo/demo_model_test.cpp
holds `dcgen`'s pipeline to these images (PSNR >= 40 dB), which keeps the shipped demo a real
DC-Gen-FLUX pipeline as the engine evolves. Rerun after retraining the demo model:

    /work/venv-ref/bin/python tests/reference/make_demo_model_golden.py

Writes tests/data/demo_model/<case>.safetensors ("noise" f32 [1, C, h, w], "image" f16 [1, 3, H, W] in
[-1, 1]) and cases.json (prompts, sizes, steps, guidance).
"""
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "resources" / "demo_model" / "train"))
import export  # noqa: E402  (the demo's reference pipeline helpers)
from batches import T5_LENGTH  # noqa: E402

MODEL = REPO / "resources" / "demo_model" / "dc-gen-flux-demo"
OUT = REPO / "tests" / "data" / "demo_model"
CASES = {
    "one_shape_256": dict(prompt="a red circle on the left on a blue background", seed=11, width=256, height=256,
                          steps=8, guidance=3.5),
    "three_shapes_512x384": dict(
        prompt="a small yellow star at the top, a large green square in the bottom right corner and a white ring "
               "on the left, on a gradient background from black to purple",
        seed=12, width=512, height=384, steps=4, guidance=3.5),
}


def main():
    pipe = export.load_reference(MODEL)
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"model": str(MODEL.relative_to(REPO)), "max_sequence_length": T5_LENGTH, "torch": torch.__version__,
              "diffusers": export.diffusers.__version__, "cases": {}}
    for name, c in CASES.items():
        noise = export.initial_noise(pipe, [c["seed"]], c["height"], c["width"])
        image = export.generate(pipe, [c["prompt"]], noise, c["height"], c["width"], c["steps"], c["guidance"])
        save_file({"noise": noise.contiguous(), "image": image.to(torch.float16).contiguous()},
                  OUT / f"{name}.safetensors")
        record["cases"][name] = {**c, "image_shape": list(image.shape)}
        print(f"{name}: noise {list(noise.shape)}, image {list(image.shape)} "
              f"[{image.min():.3f}, {image.max():.3f}]")
    (OUT / "cases.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
