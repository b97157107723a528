"""Procedural scenes for the embedded demo model: seeded scene specs, their captions, and a renderer.

A scene is 1-3 flat shapes (circle, square, triangle, ring, star, cross) in 12 named colors at 9
named positions (left/right/top/bottom/center and the four corners) in 3 sizes, over a solid or a
two-color gradient background. `sample_scene(rng)` draws one from a `random.Random`, `caption(scene,
rng)` describes it with one of several templates ("a small yellow star at the top on a purple
background"), and `render(scenes, size)` draws a batch of them as a [B, 3, H, W] tensor in [0, 1].

The renderer is written in torch (signed distance fields, one pixel of anti-aliasing) so the same
code draws single scenes on the CPU (tests, fixtures) and thousands of 512x512 scenes per second on
the GPU while training; the geometry never depends on the device or the batch.

Constraints that keep the checker (checker.py) unambiguous: the shapes of a scene have distinct
colors; no shape has a color that the background shows anywhere (a gradient "claims" every palette
color nearest to one of its blends); shapes do not overlap; shapes are upright (no rotation).
"""
import dataclasses
import functools
import math
import random

import numpy as np
import torch

# Named colors (sRGB 0..255). Far enough apart that a nearest-color rule separates them.
PALETTE = {
    "red": (220, 30, 30),
    "orange": (255, 140, 0),
    "yellow": (250, 225, 30),
    "green": (40, 170, 60),
    "cyan": (40, 210, 220),
    "blue": (30, 80, 220),
    "purple": (130, 50, 180),
    "pink": (255, 120, 190),
    "brown": (120, 70, 30),
    "white": (245, 245, 245),
    "gray": (128, 128, 128),
    "black": (20, 20, 20),
}
COLOR_NAMES = tuple(PALETTE)
SHAPES = ("circle", "square", "triangle", "ring", "star", "cross")
# Anchor (x, y) of each named position, as fractions of the image (y down). The checker reads a
# position as the cell of a 3x3 grid of thirds holding the shape's centroid.
POSITIONS = {
    "top left": (0.22, 0.22), "top": (0.5, 0.22), "top right": (0.78, 0.22),
    "left": (0.22, 0.5), "center": (0.5, 0.5), "right": (0.78, 0.5),
    "bottom left": (0.22, 0.78), "bottom": (0.5, 0.78), "bottom right": (0.78, 0.78),
}
# Shape "radius" (a circle's radius; the other shapes are scaled to a similar area) per size name.
SIZES = {"small": 0.075, "medium": 0.11, "large": 0.155}
JITTER = 0.04  # uniform position jitter around the anchor, per axis

# Geometry of each shape relative to its radius r (see _coverage).
SQUARE_HALF = 0.85
TRIANGLE_CIRCUMRADIUS = 1.2
RING_INNER = 0.55
STAR_OUTER, STAR_INNER_RATIO = 1.2, 0.42
CROSS_HALF_LENGTH, CROSS_HALF_WIDTH = 1.0, 0.34


@dataclasses.dataclass(frozen=True)
class Shape:
    shape: str      # one of SHAPES
    color: str      # one of COLOR_NAMES
    position: str   # one of POSITIONS
    size: str       # one of SIZES
    cx: float       # center, fraction of the width
    cy: float       # center, fraction of the height (down)
    radius: float   # fraction of the image side


@dataclasses.dataclass(frozen=True)
class Background:
    colors: tuple         # (c,) solid or (c1, c2) gradient: c1 at the top (vertical) / left (horizontal)
    direction: str = ""   # "vertical" or "horizontal" for gradients


@dataclasses.dataclass(frozen=True)
class Scene:
    shapes: tuple
    background: Background

    def to_json(self):
        return {"shapes": [dataclasses.asdict(s) for s in self.shapes],
                "background": dataclasses.asdict(self.background)}

    @staticmethod
    def from_json(d):
        bg = d["background"]
        return Scene(tuple(Shape(**s) for s in d["shapes"]),
                     Background(tuple(bg["colors"]), bg.get("direction", "")))


def nearest_color(rgb):
    """The palette name nearest (Euclidean sRGB) to an RGB triple; ties go to the earlier name."""
    best, best_d = None, float("inf")
    for name, c in PALETTE.items():
        d = sum((float(a) - b) ** 2 for a, b in zip(rgb, c))
        if d < best_d:
            best, best_d = name, d
    return best


def claimed_colors(background):
    """Palette colors the background shows somewhere: none of them may color a shape."""
    return _claimed(tuple(background.colors))


@functools.lru_cache(maxsize=None)
def _claimed(colors):
    if len(colors) == 1:
        return frozenset(colors)
    a, b = (np.array(PALETTE[c], dtype=np.float64) for c in colors)
    return frozenset(nearest_color(a + (b - a) * t) for t in np.linspace(0.0, 1.0, 33))


def _sample_background(rng):
    if rng.random() < 0.6:
        return Background((rng.choice(COLOR_NAMES),))
    c1, c2 = rng.sample(COLOR_NAMES, 2)
    return Background((c1, c2), rng.choice(("vertical", "horizontal")))


def sample_scene(rng, num_shapes=None):
    """One random scene from `rng` (random.Random). num_shapes: 1-3, or None for 1 (45%), 2 (35%), 3 (20%)."""
    n = num_shapes or rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
    while True:
        background = _sample_background(rng)
        free = [c for c in COLOR_NAMES if c not in claimed_colors(background)]
        if len(free) >= n:
            break
    colors = rng.sample(free, n)
    for _ in range(100):
        positions = rng.sample(list(POSITIONS), n)
        sizes = [rng.choice(list(SIZES)) for _ in range(n)]
        shapes = []
        for color, pos, size in zip(colors, positions, sizes):
            r = SIZES[size]
            margin = r * max(TRIANGLE_CIRCUMRADIUS, STAR_OUTER) + 0.02
            ax, ay = POSITIONS[pos]
            cx = min(max(ax + rng.uniform(-JITTER, JITTER), margin), 1.0 - margin)
            cy = min(max(ay + rng.uniform(-JITTER, JITTER), margin), 1.0 - margin)
            shapes.append(Shape(rng.choice(SHAPES), color, pos, size, round(cx, 4), round(cy, 4), r))
        if _apart(shapes):
            return Scene(tuple(shapes), background)
    return sample_scene(rng, 1)  # unreachable in practice: a single shape always fits


def _apart(shapes):
    reach = max(TRIANGLE_CIRCUMRADIUS, STAR_OUTER)
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if math.hypot(a.cx - b.cx, a.cy - b.cy) < reach * (a.radius + b.radius) + 0.03:
                return False
    return True


# ---------------------------------------------------------------------------------------------
# Captions
# ---------------------------------------------------------------------------------------------
_POSITION_PHRASES = {
    "left": ("on the left", "at the left", "on the left side", "to the left"),
    "right": ("on the right", "at the right", "on the right side", "to the right"),
    "top": ("at the top", "near the top", "at the top of the image", "on top"),
    "bottom": ("at the bottom", "near the bottom", "at the bottom of the image"),
    "center": ("in the center", "in the middle", "at the center"),
    "top left": ("in the top left corner", "at the top left", "in the upper left"),
    "top right": ("in the top right corner", "at the top right", "in the upper right"),
    "bottom left": ("in the bottom left corner", "at the bottom left", "in the lower left"),
    "bottom right": ("in the bottom right corner", "at the bottom right", "in the lower right"),
}
_SIZE_WORDS = {"small": ("small", "tiny", "little"), "medium": ("", "", "medium"), "large": ("large", "big", "huge")}
_SHAPE_WORDS = {"circle": ("circle", "circle", "disc"), "square": ("square",), "triangle": ("triangle",),
                "ring": ("ring", "ring", "donut"), "star": ("star",), "cross": ("cross", "cross", "plus sign")}


def _article(word):
    return "an" if word[0] in "aeiou" else "a"


def _shape_phrase(s, rng, canonical):
    size = _SIZE_WORDS[s.size][0 if canonical else rng.randrange(3)]
    noun = _SHAPE_WORDS[s.shape][0 if canonical else rng.randrange(len(_SHAPE_WORDS[s.shape]))]
    words = " ".join(w for w in (size, s.color, noun) if w)
    text = f"{_article(words)} {words}"
    if canonical or rng.random() < 0.9:
        phrases = _POSITION_PHRASES[s.position]
        text += " " + phrases[0 if canonical else rng.randrange(len(phrases))]
    return text


def _background_phrase(bg, rng, canonical):
    if len(bg.colors) == 1:
        c = bg.colors[0]
        if canonical:
            return f"on {_article(c)} {c} background"
        return rng.choice((f"on {_article(c)} {c} background", f"against {_article(c)} {c} background",
                           f"with {_article(c)} {c} background", f"on {c}"))
    c1, c2 = bg.colors
    if canonical:
        return f"on a {bg.direction} {c1} to {c2} gradient"
    return rng.choice((f"on a {c1} to {c2} gradient", f"on a {bg.direction} {c1} to {c2} gradient",
                       f"on a gradient background from {c1} to {c2}",
                       f"over a {bg.direction} gradient from {c1} to {c2}"))


def _join(parts):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def caption(scene, rng=None):
    """A caption of `scene`. With rng=None the canonical form (every position and the background named,
    the first synonym of each word): "a small yellow star at the top and a red circle on the left,
    on a purple background". With an rng, one of several templates, rarely (5%) leaving the
    background out and sometimes (10% per shape) a position."""
    canonical = rng is None
    objects = _join([_shape_phrase(s, rng, canonical) for s in scene.shapes])
    bg = _background_phrase(scene.background, rng, canonical)
    if canonical:
        return f"{objects}, {bg}" if len(scene.shapes) > 1 else f"{objects} {bg}"
    # The objects-only template (no background named) is rare (it was 20%): such a caption teaches
    # "any background", whose mean is a brownish gray, and the first full runs drew brown, gray and
    # orange backgrounds for captions that named another color (README, "Decisions").
    template = rng.choices(range(5), weights=(55, 5, 15, 10, 15))[0]
    if template == 0:
        return f"{objects}{',' if len(scene.shapes) > 1 else ''} {bg}"
    if template == 1:
        return objects
    if template == 2:
        return f"a picture of {objects} {bg}"
    if template == 3:
        return f"there is {objects}, {bg}"
    c = scene.background.colors
    lead = f"{_article(c[0])} {c[0]} background" if len(c) == 1 else f"a {c[0]} to {c[1]} gradient"
    return f"{lead} with {objects}"


# ---------------------------------------------------------------------------------------------
# Renderer
# ---------------------------------------------------------------------------------------------
def _sd_box(px, py, hx, hy):
    dx, dy = px.abs() - hx, py.abs() - hy
    outside = torch.hypot(dx.clamp(min=0), dy.clamp(min=0))
    return outside + torch.maximum(dx, dy).clamp(max=0)


def _sd_triangle(px, py, half_side):
    """Equilateral triangle, apex up, centroid at the origin (py up)."""
    k = math.sqrt(3.0)
    x = px.abs() - half_side
    y = py + half_side / k
    fold = (x + k * y) > 0
    x, y = torch.where(fold, (x - k * y) / 2, x), torch.where(fold, (-k * x - y) / 2, y)
    x = x - torch.maximum(x, -2 * half_side).clamp(max=0)
    return -torch.hypot(x, y) * torch.sign(y)


def _sd_star5(px, py, r, rf):
    """Five-pointed star, one point up (py up), outer radius r, inner radius rf*r (iq's sdStar5 form)."""
    k1x, k1y = 0.809016994375, -0.587785252292
    k2x, k2y = -k1x, k1y
    x, y = px.abs(), py
    d = (k1x * x + k1y * y).clamp(min=0)
    x, y = x - 2 * d * k1x, y - 2 * d * k1y
    d = (k2x * x + k2y * y).clamp(min=0)
    x, y = x - 2 * d * k2x, y - 2 * d * k2y
    x = x.abs()
    y = y - r
    bax, bay = rf * -k1y, rf * k1x - 1.0
    h = ((x * bax + y * bay) / (bax * bax + bay * bay)).clamp(min=0)
    h = torch.minimum(h, r)
    return torch.hypot(x - bax * h, y - bay * h) * torch.sign(y * bax - x * bay)


def _sd_cross(px, py, half_length, half_width):
    x, y = px.abs(), py.abs()
    x, y = torch.maximum(x, y), torch.minimum(x, y)
    qx, qy = x - half_length, y - half_width
    k = torch.maximum(qx, qy)
    wx = torch.where(k > 0, qx, half_width - x)
    wy = torch.where(k > 0, qy, -k)
    return torch.sign(k) * torch.hypot(wx.clamp(min=0), wy.clamp(min=0))


def _signed_distance(shape_id, px, py, r):
    """Signed distance (negative inside) of shapes of one kind; px, py [N, H, W] relative to the
    centers with y up, r [N, 1, 1]."""
    shape = SHAPES[shape_id]
    if shape == "circle":
        return torch.hypot(px, py) - r
    if shape == "square":
        return _sd_box(px, py, SQUARE_HALF * r, SQUARE_HALF * r)
    if shape == "triangle":
        return _sd_triangle(px, py, TRIANGLE_CIRCUMRADIUS * r * math.sqrt(3.0) / 2)
    if shape == "ring":
        inner = RING_INNER * r
        return (torch.hypot(px, py) - (r + inner) / 2).abs() - (r - inner) / 2
    if shape == "star":
        return _sd_star5(px, py, STAR_OUTER * r, STAR_INNER_RATIO)
    return _sd_cross(px, py, CROSS_HALF_LENGTH * r, CROSS_HALF_WIDTH * r)


def _grid(height, width, device):
    ys = (torch.arange(height, device=device, dtype=torch.float32) + 0.5) / height
    xs = (torch.arange(width, device=device, dtype=torch.float32) + 0.5) / width
    return ys.view(1, height, 1), xs.view(1, 1, width)


def _rgb(names):
    return torch.tensor([PALETTE[c] for c in names], dtype=torch.float32) / 255.0


def render_plan(scenes):
    """The numbers `draw` needs for `scenes`, as small CPU tensors (a dict, so a DataLoader can pin
    it): background end colors and directions per scene; per shape its (cx, cy, radius), color and
    scene index, grouped by shape kind (SHAPES order; `counts` per kind, plain ints). Building this
    on the host, off the training loop, lets `draw` run on the GPU with no host-device sync."""
    items = sorted(((b, s) for b, scene in enumerate(scenes) for s in scene.shapes),
                   key=lambda item: SHAPES.index(item[1].shape))  # stable: scene order within a kind
    return {
        "first": _rgb([s.background.colors[0] for s in scenes]),
        "last": _rgb([s.background.colors[-1] for s in scenes]),
        "horizontal": torch.tensor([s.background.direction == "horizontal" for s in scenes]),
        "params": torch.tensor([[s.cx, s.cy, s.radius] for _, s in items], dtype=torch.float32).view(-1, 3),
        "colors": _rgb([s.color for _, s in items]).view(-1, 3),
        "owner": torch.tensor([b for b, _ in items], dtype=torch.int64),
        "counts": [sum(1 for _, s in items if s.shape == kind) for kind in SHAPES],
    }


def _to(t, device):
    """Host -> device copy that does not wait for the device's queued work (pinned source)."""
    if device.type == "cuda" and not t.is_pinned():
        t = t.pin_memory()
    return t.to(device, non_blocking=True)


@torch.no_grad()
def draw(plan, size, device="cpu"):
    """Draws a render_plan at `size` (int or (height, width)) pixels: [B, 3, H, W] float32 in [0, 1]."""
    device = torch.device(device)
    height, width = (size, size) if isinstance(size, int) else size
    side = min(height, width)
    ys, xs = _grid(height, width, device)
    # Background: colors at t = 0 and t = 1 along y (vertical) or x (horizontal).
    first = _to(plan["first"], device)[:, :, None, None]
    last = _to(plan["last"], device)[:, :, None, None]
    horizontal = _to(plan["horizontal"], device)
    t = torch.where(horizontal.view(-1, 1, 1, 1), xs.unsqueeze(0).expand(-1, 1, height, width),
                    ys.unsqueeze(0).expand(-1, 1, height, width))
    image = first + (last - first) * t  # [B, 3, H, W]
    if not sum(plan["counts"]):
        return image
    params = _to(plan["params"], device)
    parts, offset = [], 0
    for shape_id, count in enumerate(plan["counts"]):
        if not count:
            continue
        cx, cy, r = (params[offset:offset + count, k].view(-1, 1, 1) for k in range(3))
        offset += count
        px = (xs - cx) * (width / side)
        py = (cy - ys) * (height / side)  # y up
        sd = _signed_distance(shape_id, px, py, r)
        parts.append((0.5 - sd * side).clamp(0.0, 1.0))  # one pixel of anti-aliasing
    alpha = torch.cat(parts)  # [shapes, H, W]
    colors = _to(plan["colors"], device)
    owner = _to(plan["owner"], device)
    # Shapes never overlap (not even their anti-aliased edges), so one blend with the summed
    # coverage equals compositing them one after another (and the order of the sums is exact).
    coverage = torch.zeros(image.shape[0], 1, height, width, device=device).index_add_(0, owner, alpha.unsqueeze(1))
    paint = torch.zeros_like(image).index_add_(0, owner, alpha.unsqueeze(1) * colors[:, :, None, None])
    return image * (1 - coverage) + paint


def render(scenes, size, device="cpu"):
    """Draws `scenes` (a list of Scene) at `size` (int or (height, width)) pixels. Returns
    [B, 3, H, W] float32 in [0, 1] on `device`. Coordinates are fractions of each axis; distances
    are measured in units of the shorter side so shapes stay round in non-square images."""
    return draw(render_plan(scenes), size, device)


def to_uint8(images):
    """[B, 3, H, W] in [0, 1] -> numpy uint8 [B, H, W, 3]."""
    return (images.clamp(0, 1) * 255.0).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


def scene_rng(seed, stream, index):
    """A random.Random for scene `index` of a named stream ('train', 'eval', ...): streams never share
    a state, so held-out scenes are independent of the training ones."""
    return random.Random(f"{seed}/{stream}/{index}")
