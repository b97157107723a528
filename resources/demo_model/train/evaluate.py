"""Stage 5: proof of meaning. Held-out scenes (the "eval" stream, whose canonical captions training
never uses) are drawn with the reference pipeline from the shipped folder, with seeds training never
used; checker.py then looks for each named color in its named region and for the named shape.

Writes eval_prompts.json (prompt, seed and scene spec of each image: the input of the C++ "proof of
meaning" test), contact_sheet.png (every image with its prompt, framed green when both checks pass,
orange when only color/region does, red otherwise) and returns the metrics.

    python evaluate.py --model DIR --out DIR [--images 32] [--size 512] [--steps 20]
evaluates any pipeline folder (e.g. the shipped one) on the CPU or GPU.
"""
import argparse
import json
import textwrap
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

import checker
import scenes
from export import generate, initial_noise, load_reference

EVAL_SEED_BASE = 900_000  # noise seeds: training draws its noise from a torch.Generator, never from these
TARGETS = {"color_region": 0.90, "shape": 0.70}


def eval_scenes(seed, count):
    """The held-out prompts: canonical captions of the eval stream (every shape's position named)."""
    out = []
    for i in range(count):
        scene = scenes.sample_scene(scenes.scene_rng(seed, "eval", i))
        out.append({"index": i, "prompt": scenes.caption(scene), "seed": EVAL_SEED_BASE + i, "scene": scene.to_json()})
    return out


def excluded_captions(seed, count):
    return frozenset(e["prompt"] for e in eval_scenes(seed, count))


def contact_sheet(images, entries, results, path, tile=256):
    cols = min(8, len(images))
    rows = -(-len(images) // cols)
    text_h = 52
    sheet = Image.new("RGB", (cols * tile, rows * (tile + text_h)), "white")
    draw = ImageDraw.Draw(sheet)
    for k, (img, e, r) in enumerate(zip(images, entries, results)):
        x, y = (k % cols) * tile, (k // cols) * (tile + text_h)
        sheet.paste(Image.fromarray(img).resize((tile, tile), Image.BILINEAR), (x, y))
        ok_both, ok_region = r["color_region_ok"] and r["shape_ok"], r["color_region_ok"]
        color = (0, 170, 0) if ok_both else (255, 150, 0) if ok_region else (220, 0, 0)
        draw.rectangle((x, y, x + tile - 1, y + tile - 1), outline=color, width=4)
        lines = textwrap.wrap(e["prompt"], 42)[:4]
        draw.multiline_text((x + 3, y + tile + 2), "\n".join(lines), fill="black", spacing=1)
    sheet.save(path)


def evaluate(folder, out_dir, seed, count, size, steps, batch, device="cpu"):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = eval_scenes(seed, count)
    (out_dir / "eval_prompts.json").write_text(json.dumps(
        {"size": size, "steps": steps, "guidance": 3.5, "sigma_schedule": "flux2", "entries": entries},
        indent=1) + "\n")
    pipe = load_reference(folder, device)
    images = []
    for i in range(0, count, batch):
        part = entries[i:i + batch]
        noise = initial_noise(pipe, [e["seed"] for e in part], size, size)
        x = generate(pipe, [e["prompt"] for e in part], noise, size, size, steps)
        images += list(((x.permute(0, 2, 3, 1) / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8).numpy())
    results = [checker.check_image(img, scenes.Scene.from_json(e["scene"])) for img, e in zip(images, entries)]
    contact_sheet(images, entries, results, out_dir / "contact_sheet.png")
    shapes = [s for r in results for s in r["shapes"]]
    single = [r for r in results if len(r["shapes"]) == 1]
    metrics = {
        "images": count, "size": size, "steps": steps,
        "color_region_image_rate": float(np.mean([r["color_region_ok"] for r in results])),
        "shape_image_rate": float(np.mean([r["shape_ok"] for r in results])),
        "color_region_object_rate": float(np.mean([s["region_ok"] for s in shapes])),
        "shape_object_rate": float(np.mean([s["shape_ok"] for s in shapes])),
        "single_shape_images": {
            "count": len(single),
            "color_region_rate": float(np.mean([r["color_region_ok"] for r in single] or [0])),
            "shape_rate": float(np.mean([r["shape_ok"] for r in single] or [0]))},
        "targets": TARGETS,
    }
    metrics["passes"] = (metrics["color_region_image_rate"] >= TARGETS["color_region"]
                         and metrics["shape_image_rate"] >= TARGETS["shape"])
    (out_dir / "eval_results.json").write_text(json.dumps(
        [{"prompt": e["prompt"], "seed": e["seed"], **r} for e, r in zip(entries, results)], indent=1) + "\n")
    print(f"[eval] {count} images: color in region {metrics['color_region_image_rate']:.2f} "
          f"(objects {metrics['color_region_object_rate']:.2f}), shape {metrics['shape_image_rate']:.2f} "
          f"(objects {metrics['shape_object_rate']:.2f}); targets {TARGETS}", flush=True)
    return metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=0, help="the training run's --seed (names the eval stream)")
    parser.add_argument("--images", type=int, default=32)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    metrics = evaluate(args.model, args.out, args.seed, args.images, args.size, args.steps, args.batch, args.device)
    (args.out / "metrics_eval.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()
