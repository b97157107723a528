"""A procedural checker for the demo model's pictures: is the named color in the named region, and
does that colored blob have the named shape?

For each shape of a scene spec (color, position, shape; see scenes.py):
  1. The image is reduced to at most WORK_SIZE pixels a side by an integer box average.
  2. Mask: pixels whose nearest palette color (Euclidean sRGB, ties to the earlier name) is the
     named color, within MAX_COLOR_DISTANCE of it.
  3. The largest 4-connected component of the mask after a 3x3 opening (which drops anti-aliasing
     seams: a red shape on yellow has an orange outline; and speckles) picks the shape; the shape
     is the mask within two pixels (two 3x3 dilations) of it, so thin tips cut by the opening come
     back. It counts as found when it covers at least MIN_AREA_FRACTION of the image. Its
     centroid's cell in the 3x3 grid of thirds is its position.
  4. Shape class from three features of the component with its holes filled:
       hole fraction  holes / (area + holes)                 -> ring
       solidity       area / convex hull area (pixel corners) -> not convex: star or cross, told
                      apart by solidity + fill (a star is spikier and fills less of its box)
       fill           area / bounding box area                -> square, circle, triangle
The C++ port (tests/demo/scene_checker.cpp) follows this step by step; the fixtures written by
make_checker_fixtures.py hold both checkers to the same features and decisions.
"""
import numpy as np

from scenes import PALETTE, POSITIONS

WORK_SIZE = 128
MAX_COLOR_DISTANCE = 100.0
MIN_AREA_FRACTION = 0.003
RING_MIN_HOLE_FRACTION = 0.10
CONVEX_MIN_SOLIDITY = 0.80
STAR_MAX_SOLIDITY_PLUS_FILL = 1.15  # stars 0.92-1.12, crosses 1.19-1.35 on rendered scenes
SQUARE_MIN_FILL = 0.88
CIRCLE_MIN_FILL = 0.65

_PALETTE = np.array(list(PALETTE.values()), dtype=np.float64)  # [K, 3]
_NAMES = list(PALETTE)


def prepare(image):
    """uint8 or float (0..255) [H, W, 3] -> float64 [h, w, 3], box-averaged by the smallest integer
    factor that brings the longer side to <= WORK_SIZE (a remainder is cropped)."""
    image = np.asarray(image, dtype=np.float64)
    h, w = image.shape[:2]
    f = max(1, -(-max(h, w) // WORK_SIZE))
    h, w = h // f, w // f
    image = image[:h * f, :w * f]
    return image.reshape(h, f, w, f, 3).mean(axis=(1, 3))


def nearest_palette(image):
    """[h, w, 3] float -> (index [h, w] of the nearest palette color, its squared distance)."""
    d2 = ((image[:, :, None, :] - _PALETTE[None, None]) ** 2).sum(-1)  # [h, w, K]
    idx = d2.argmin(-1)  # first minimum: ties go to the earlier palette entry
    return idx, np.take_along_axis(d2, idx[..., None], -1)[..., 0]


def color_mask(image, color):
    idx, d2 = nearest_palette(image)
    return (idx == _NAMES.index(color)) & (d2 <= MAX_COLOR_DISTANCE ** 2)


def _shift_all(mask, combine, fill):
    """combine over the 3x3 neighborhood; pixels outside the image count as `fill`."""
    h, w = mask.shape
    padded = np.full((h + 2, w + 2), fill, dtype=bool)
    padded[1:-1, 1:-1] = mask
    out = padded[1:h + 1, 1:w + 1].copy()
    for dy in range(3):
        for dx in range(3):
            out = combine(out, padded[dy:dy + h, dx:dx + w])
    return out


def erode3x3(mask):
    """Pixels whose 3x3 neighborhood is all set; outside the image counts as set."""
    return _shift_all(mask, np.logical_and, True)


def dilate3x3(mask):
    return _shift_all(mask, np.logical_or, False)


def open3x3(mask):
    return dilate3x3(erode3x3(mask))


def label4(mask):
    """4-connected components in raster order of their first pixel: (labels [h, w] int, 0 = none;
    areas list indexed by label - 1)."""
    h, w = mask.shape
    labels = np.zeros((h, w), dtype=np.int32)
    areas = []
    for y0 in range(h):
        for x0 in range(w):
            if not mask[y0, x0] or labels[y0, x0]:
                continue
            label = len(areas) + 1
            labels[y0, x0] = label
            stack, area = [(y0, x0)], 0
            while stack:
                y, x = stack.pop()
                area += 1
                for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not labels[ny, nx]:
                        labels[ny, nx] = label
                        stack.append((ny, nx))
            areas.append(area)
    return labels, areas


def largest_component(mask):
    """The largest 4-connected component (the first in raster order among equals), or None."""
    labels, areas = label4(mask)
    if not areas:
        return None
    return labels == (int(np.argmax(areas)) + 1)


def fill_holes(component):
    """(component with its holes filled, hole pixel count): holes are the pixels of the complement
    that no 4-connected path links to the outside."""
    h, w = component.shape
    outside = np.zeros((h + 2, w + 2), dtype=bool)
    free = np.ones((h + 2, w + 2), dtype=bool)
    free[1:-1, 1:-1] = ~component
    stack = [(0, 0)]
    outside[0, 0] = True
    while stack:
        y, x = stack.pop()
        for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
            if 0 <= ny < h + 2 and 0 <= nx < w + 2 and free[ny, nx] and not outside[ny, nx]:
                outside[ny, nx] = True
                stack.append((ny, nx))
    filled = ~outside[1:-1, 1:-1]
    return filled, int(filled.sum() - component.sum())


def _cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull_area(mask):
    """Area of the convex hull of the pixel squares of `mask` (corners at integer coordinates):
    Andrew's monotone chain over the outer corners of each row, then the shoelace formula."""
    points = set()
    for y in np.nonzero(mask.any(axis=1))[0]:
        xs = np.nonzero(mask[y])[0]
        x0, x1 = int(xs[0]), int(xs[-1]) + 1
        points.update({(x0, int(y)), (x0, int(y) + 1), (x1, int(y)), (x1, int(y) + 1)})
    pts = sorted(points)
    if len(pts) < 3:
        return 0.0
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    area2 = sum(hull[i][0] * hull[(i + 1) % len(hull)][1] - hull[(i + 1) % len(hull)][0] * hull[i][1]
                for i in range(len(hull)))
    return abs(area2) / 2.0


def shape_features(component):
    """hole_fraction, solidity and fill of a component (see the module docstring)."""
    filled, holes = fill_holes(component)
    area = int(filled.sum())
    ys, xs = np.nonzero(filled)
    bbox = (int(ys.max()) - int(ys.min()) + 1) * (int(xs.max()) - int(xs.min()) + 1)
    hull = convex_hull_area(filled)
    return {"hole_fraction": holes / area, "solidity": area / hull if hull > 0 else 0.0, "fill": area / bbox}


def classify_shape(features):
    if features["hole_fraction"] >= RING_MIN_HOLE_FRACTION:
        return "ring"
    if features["solidity"] < CONVEX_MIN_SOLIDITY:
        spikiness = features["solidity"] + features["fill"]
        return "star" if spikiness < STAR_MAX_SOLIDITY_PLUS_FILL else "cross"
    if features["fill"] >= SQUARE_MIN_FILL:
        return "square"
    return "circle" if features["fill"] >= CIRCLE_MIN_FILL else "triangle"


def cell_of(cx, cy):
    """The 3x3 grid cell (column, row) of a point given as fractions of the image."""
    return min(int(cx * 3), 2), min(int(cy * 3), 2)


def position_cell(position):
    ax, ay = POSITIONS[position]
    return cell_of(ax, ay)


def check_shape(work, color, position, shape):
    """Checks one named shape on a prepared image (prepare()). Returns a dict: found, region_ok,
    shape_ok, detected (shape class or None), area (pixels), cx, cy and the shape features."""
    h, w = work.shape[:2]
    mask = color_mask(work, color)
    component = largest_component(open3x3(mask))
    if component is not None:  # give back the thin tips the opening cut off (star points, corners)
        component = mask & dilate3x3(dilate3x3(component))
    area = int(component.sum()) if component is not None else 0
    out = {"color": color, "position": position, "shape": shape, "area": area, "found": False,
           "region_ok": False, "shape_ok": False, "detected": None}
    if component is None or area < MIN_AREA_FRACTION * h * w:
        return out
    ys, xs = np.nonzero(component)
    cx, cy = (xs.mean() + 0.5) / w, (ys.mean() + 0.5) / h
    features = shape_features(component)
    detected = classify_shape(features)
    out.update(found=True, cx=float(cx), cy=float(cy), **features, detected=detected,
               region_ok=cell_of(cx, cy) == position_cell(position), shape_ok=detected == shape)
    return out


def check_image(image, scene):
    """Checks every shape of `scene` (scenes.Scene) in `image` (uint8 [H, W, 3]). Returns
    {"shapes": [per-shape dicts], "color_region_ok": all found in their regions, "shape_ok": all
    detected as the named class}."""
    work = prepare(image)
    results = [check_shape(work, s.color, s.position, s.shape) for s in scene.shapes]
    return {"shapes": results, "color_region_ok": all(r["region_ok"] for r in results),
            "shape_ok": all(r["shape_ok"] for r in results)}
