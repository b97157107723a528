"""Small helpers shared by the training stages: paths, seeding, the step log, a loss plot, schedules."""
import csv
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

TRAIN_DIR = Path(__file__).resolve().parent
REPO = TRAIN_DIR.parents[2]
REFERENCE_DIR = REPO / "tests" / "reference"
if str(REFERENCE_DIR) not in sys.path:  # the reference pipeline and tokenizer builders live there
    sys.path.insert(0, str(REFERENCE_DIR))


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def lr_at(step, total, peak, warmup):
    """Linear warmup, then cosine decay to 10% of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def autocast(device):
    """bf16 autocast on CUDA (the H100 run); plain f32 on the CPU (smoke runs)."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


class StepBudget:
    """A wall-clock guard for one device call. From step `warm` on it measures seconds per unit of
    cost (cost(step, total) is a step's relative cost, 1 by default) and, at step `probe` and every
    `recheck` steps after, projects the stage's end; if that is past `minutes`, it cuts the total
    to the largest count that fits. The learning-rate schedule follows the new count (a rerun with
    that count as the nominal one repeats the run)."""

    def __init__(self, steps, minutes, cost=None, warm=10, probe=60, recheck=250):
        self.steps, self.nominal, self.minutes = steps, steps, minutes
        self.cost = cost or (lambda step, total: 1.0)
        self.warm, self.probe, self.recheck = warm, probe, recheck
        self.start = time.time()
        self.warm_time = None
        self.cuts = []

    def _units(self, first, last, total):
        return sum(self.cost(s, total) for s in range(first, last))

    def update(self, step):
        """Call after finishing `step` (0-based); returns the (possibly reduced) total step count."""
        done = step + 1
        if done == self.warm:
            self.warm_time = time.time()
        if self.warm_time is None or done < self.probe or (done - self.probe) % self.recheck:
            return self.steps
        now = time.time()
        rate = (now - self.warm_time) / self._units(self.warm, done, self.steps)  # seconds per cost unit
        elapsed = now - self.start
        projected = elapsed + rate * self._units(done, self.steps, self.steps)
        note = ""
        if self.minutes and projected > self.minutes * 60:
            total = self.steps
            while total > done and elapsed + rate * self._units(done, total, total) > self.minutes * 60:
                total -= max(1, (total - done) // 50)
            self.steps = max(done, total)
            self.cuts.append((done, self.steps))
            note = f"; over the {self.minutes} min guard: cut to {self.steps} steps"
        if done == self.probe or note:
            print(f"after {done} steps: {rate * 1e3:.0f} ms per step unit, projected {projected / 60:.1f} min "
                  f"for {self.nominal} steps{note}", flush=True)
        return self.steps


class PhaseTimer:
    """Where the steps' time goes: over steps [first, last), per phase (the code between begin/lap
    calls), the device's time (CUDA events, read once at the window's end, so the timing adds no
    sync to any other step) and the host's time to issue it. A device time well below the host's
    means the GPU waited for Python (launch-bound); above it, the host ran ahead (GPU-bound). On the
    CPU both are wall time. `summary` holds the means in ms (None until the window ends)."""

    def __init__(self, device, names, first=20, last=60):
        self.cuda = device.type == "cuda"
        self.names, self.first, self.last = names, first, last
        self.active = False
        self.marks = []   # per step: [(host seconds, event or None)] at begin and after each phase
        self.summary = None

    def _mark(self):
        event = None
        if self.cuda:
            event = torch.cuda.Event(enable_timing=True)
            event.record()
        self.marks[-1].append((time.perf_counter(), event))

    def begin(self, step):
        self.active = self.first <= step < self.last
        if self.active:
            self.marks.append([])
            self._mark()

    def lap(self, name):
        """Ends phase `name` (phases come in the order of `names`)."""
        if self.active:
            assert name == self.names[len(self.marks[-1]) - 1], name
            self._mark()

    def end(self, step):
        if step != self.last - 1 or not self.marks:
            return
        if self.cuda:
            torch.cuda.synchronize()
        host = {n: 0.0 for n in self.names}
        device = {n: 0.0 for n in self.names}
        for marks in self.marks:
            for name, (h0, e0), (h1, e1) in zip(self.names, marks, marks[1:]):
                host[name] += (h1 - h0) * 1e3
                device[name] += e0.elapsed_time(e1) if self.cuda else (h1 - h0) * 1e3
        n = len(self.marks)
        self.summary = {"steps": [self.first, self.last],
                        "host_ms": {k: round(v / n, 2) for k, v in host.items()},
                        "device_ms": {k: round(v / n, 2) for k, v in device.items()}}
        print(f"steps {self.first}-{self.last - 1}, ms per step: " + ", ".join(
            f"{k} {device[k] / n:.1f} (host {host[k] / n:.1f})" for k in self.names), flush=True)


class StepLog:
    """Appends (stage, step, loss, lr, seconds) rows to a CSV and prints every `every` steps."""

    def __init__(self, path, stage, every):
        self.path, self.stage, self.every = Path(path), stage, every
        self.start = time.time()
        self.rows = []
        self._window = []

    def add(self, step, loss, lr):
        """loss: a scalar tensor; it is read back (a device sync) only every `every` steps."""
        self._window.append(loss.detach())
        if (step + 1) % self.every == 0:
            mean = torch.stack(self._window).float().mean().item()
            self._window = []
            elapsed = time.time() - self.start
            self.rows.append((self.stage, step + 1, mean, lr, round(elapsed, 2)))
            print(f"[{self.stage}] step {step + 1}: loss {mean:.5f} lr {lr:.2e} ({elapsed:.0f} s)", flush=True)

    def write(self):
        new = not self.path.exists()
        with self.path.open("a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(("stage", "step", "loss", "lr", "seconds"))
            w.writerows(self.rows)
        return self.rows


def plot_losses(csv_path, png_path):
    """One log-scale loss panel per stage, drawn with PIL (no plotting library needed)."""
    rows = list(csv.DictReader(Path(csv_path).open()))
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    panel_w, panel_h, pad = 480, 300, 50
    image = Image.new("RGB", (panel_w * len(stages), panel_h), "white")
    draw = ImageDraw.Draw(image)
    for i, stage in enumerate(stages):
        pts = [(int(r["step"]), float(r["loss"])) for r in rows if r["stage"] == stage]
        x0, y0, x1, y1 = i * panel_w + pad, 25, (i + 1) * panel_w - 15, panel_h - 35
        draw.rectangle((x0, y0, x1, y1), outline="black")
        logs = [math.log10(max(v, 1e-12)) for _, v in pts]
        lo, hi = min(logs), max(logs)
        hi = hi if hi > lo else lo + 1
        smax = max(s for s, _ in pts)
        xy = [(x0 + (x1 - x0) * s / smax, y1 - (y1 - y0) * (lv - lo) / (hi - lo)) for (s, _), lv in zip(pts, logs)]
        if len(xy) > 1:
            draw.line(xy, fill=(30, 80, 220), width=2)
        draw.text((x0, 5), f"{stage} loss (log10 {lo:.2f} .. {hi:.2f})", fill="black")
        draw.text((x0, y1 + 8), f"step 0 .. {smax}; last {pts[-1][1]:.4f}", fill="black")
    image.save(png_path)


def folder_bytes(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def pick_device(name):
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: no CUDA device")
    if name == "cuda":
        # torch 2.11 + cuDNN 9.19 on the H100: cuDNN's SDPA backward fails (mha_graph.execute not
        # good) on the transformer's joint attention (head dim 32, 512 + 256 tokens); flash/efficient
        # attention train the same model.
        torch.backends.cuda.enable_cudnn_sdp(False)
    return torch.device(name)


def configure_determinism(deterministic):
    """Seeded runs repeat exactly on the CPU; on CUDA `deterministic` also asks torch for
    deterministic kernels (slower; warns where an op has none)."""
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False
    else:
        torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
