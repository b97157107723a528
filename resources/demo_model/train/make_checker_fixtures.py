#!/usr/bin/env python3
"""Fixtures that hold the C++ scene checker (tests/demo/scene_checker.cpp) to checker.py.

    /work/venv-ref/bin/python resources/demo_model/train/make_checker_fixtures.py

Writes tests/demo/fixtures/:
  checker_scenes.safetensors  "images": uint8 [N, 96, 96, 3] scenes rendered by scenes.py, some
                              blurred and noised like a generated picture
  checker_expected.json       the checker's constants (palette, positions, thresholds) and, per
                              image, a list of checks (color, position, shape), true ones from the
                              scene and false ones (absent color, other region, other shape), each
                              with checker.py's result: decisions and features.
Seeded: the same files every run (with the same torch version).
"""
import json
import random
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

import checker
import scenes
from common import REPO

OUT = REPO / "tests" / "demo" / "fixtures"
SIZE = 96


def fixed_scene(shapes, background, direction=""):
    """shapes: (shape, color, position, size) tuples placed at their anchors."""
    out = []
    for shape, color, position, size in shapes:
        x, y = scenes.POSITIONS[position]
        out.append(scenes.Shape(shape, color, position, size, x, y, scenes.SIZES[size]))
    return scenes.Scene(tuple(out), scenes.Background(tuple(background), direction))


def degrade(image, seed, blur, noise):
    """Gaussian blur (sigma `blur` px) and Gaussian noise (std `noise` of the range) like a
    generated picture's soft edges and grain."""
    g = torch.Generator().manual_seed(seed)
    x = image.unsqueeze(0)
    if blur > 0:
        r = int(3 * blur + 0.5)
        t = torch.arange(-r, r + 1, dtype=torch.float32)
        k = torch.exp(-t * t / (2 * blur * blur))
        k = (k[:, None] * k[None]) / k.sum() ** 2
        x = F.conv2d(F.pad(x, (r, r, r, r), mode="replicate"), k.expand(3, 1, *k.shape), groups=3)
    x = x + noise * torch.randn(x.shape, generator=g)
    return x[0].clamp(0, 1)


def main():
    cases = [
        (fixed_scene([("star", "yellow", "top left", "large"), ("ring", "white", "right", "medium"),
                      ("cross", "green", "bottom", "large")], ["blue", "purple"], "vertical"), 0.0, 0.0),
        (fixed_scene([("circle", "red", "center", "large"), ("square", "cyan", "top right", "medium"),
                      ("triangle", "orange", "bottom left", "large")], ["black"]), 0.0, 0.0),
        (fixed_scene([("star", "pink", "center", "large"), ("triangle", "blue", "top", "medium"),
                      ("circle", "brown", "bottom right", "medium")], ["white"]), 1.2, 0.04),
        (fixed_scene([("ring", "yellow", "left", "large"), ("square", "purple", "bottom right", "large")],
                     ["gray", "black"], "horizontal"), 1.0, 0.05),
        (fixed_scene([("cross", "red", "top right", "medium"), ("triangle", "white", "bottom left", "small")],
                     ["green"]), 0.8, 0.03),
        (scenes.sample_scene(scenes.scene_rng(0, "fixtures", 5), 3), 1.5, 0.06),
    ]
    rng = random.Random(1)
    images, entries = [], []
    for k, (scene, blur, noise) in enumerate(cases):
        image = degrade(scenes.render([scene], SIZE)[0], 100 + k, blur, noise)
        u8 = scenes.to_uint8(image.unsqueeze(0))[0]
        images.append(torch.from_numpy(u8))
        work = checker.prepare(u8)
        checks = [(s.color, s.position, s.shape) for s in scene.shapes]
        used = {s.color for s in scene.shapes}
        s0 = scene.shapes[0]
        absent = [c for c in scenes.COLOR_NAMES if c not in used and c not in scene.background.colors]
        checks.append((rng.choice(absent), s0.position, s0.shape))                 # a color that is not there
        checks.append((s0.color, next(p for p in scenes.POSITIONS if checker.position_cell(p) !=
                                      checker.position_cell(s0.position)), s0.shape))  # the wrong region
        checks.append((s0.color, s0.position, next(s for s in scenes.SHAPES if s != s0.shape)))  # the wrong shape
        results = [checker.check_shape(work, *c) for c in checks]
        entries.append({"scene": scene.to_json(), "blur": blur, "noise": noise, "checks": results})
    OUT.mkdir(parents=True, exist_ok=True)
    save_file({"images": torch.stack(images).contiguous()}, OUT / "checker_scenes.safetensors")
    constants = {
        "palette": {name: list(rgb) for name, rgb in scenes.PALETTE.items()},
        "positions": {name: list(xy) for name, xy in scenes.POSITIONS.items()},
        "shapes": list(scenes.SHAPES),
        "work_size": checker.WORK_SIZE, "max_color_distance": checker.MAX_COLOR_DISTANCE,
        "min_area_fraction": checker.MIN_AREA_FRACTION, "ring_min_hole_fraction": checker.RING_MIN_HOLE_FRACTION,
        "convex_min_solidity": checker.CONVEX_MIN_SOLIDITY,
        "star_max_solidity_plus_fill": checker.STAR_MAX_SOLIDITY_PLUS_FILL,
        "square_min_fill": checker.SQUARE_MIN_FILL, "circle_min_fill": checker.CIRCLE_MIN_FILL,
    }
    (OUT / "checker_expected.json").write_text(json.dumps(
        {"generator": "resources/demo_model/train/make_checker_fixtures.py", "constants": constants,
         "images": entries}, indent=1) + "\n")
    decided = [r for e in entries for r in e["checks"]]
    print(f"{len(images)} images, {len(decided)} checks ({sum(r['region_ok'] for r in decided)} region ok, "
          f"{sum(r['shape_ok'] for r in decided)} shape ok); "
          f"{sum(p.stat().st_size for p in OUT.iterdir()) / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
