"""Training batches: batch `step` of a stream is always the same scenes, captions and token ids, so a
run is reproducible however many loader workers make it."""
import os
import random

import torch

import scenes

CLIP_LENGTH = 77   # FluxPipeline: tokenizer.model_max_length
T5_LENGTH = 64     # the demo's tokenizer_2 declares model_max_length 64 (the longest scene caption is
                   # 41 tokens): dcgen generate pads to it, the reference gets max_sequence_length=64


def _identity(x):
    return x


def stream_scene(seed, stream, index, excluded):
    """Scene `index` of a stream and the rng it was drawn from (a scene whose canonical caption is in
    `excluded`, the held-out evaluation prompts, is redrawn from the same rng)."""
    rng = scenes.scene_rng(seed, stream, index)
    scene = scenes.sample_scene(rng)
    while scenes.caption(scene) in excluded:
        scene = scenes.sample_scene(rng)
    return scene, rng


class _Tokenized(torch.utils.data.Dataset):
    """Tokenizes captions exactly as FluxPipeline does: "clip_ids" [B, 77] and "t5_ids" [B, T5_LENGTH]
    int64 (padded, truncated, no mask). The tokenizers are loaded in each worker process."""

    def __init__(self, tokenizer_dirs):
        self.tokenizer_dirs = tokenizer_dirs
        self._tokenizers = None

    def _tokenize(self, captions):
        if self._tokenizers is None:
            from transformers import CLIPTokenizer, T5TokenizerFast
            clip_dir, t5_dir = self.tokenizer_dirs
            self._tokenizers = CLIPTokenizer.from_pretrained(clip_dir), T5TokenizerFast.from_pretrained(t5_dir)
        clip, t5 = self._tokenizers
        clip_ids = clip(captions, padding="max_length", max_length=CLIP_LENGTH, truncation=True,
                        return_tensors="pt").input_ids
        t5_ids = t5(captions, padding="max_length", max_length=T5_LENGTH, truncation=True,
                    return_tensors="pt").input_ids
        return clip_ids, t5_ids


class SceneBatches(_Tokenized):
    """Item `step`: {"scenes", "captions"} and, with tokenizer folders, "clip_ids" and "t5_ids".

    Scene k of batch `step` is stream_scene(seed, stream, step * batch + k); its caption comes from
    the same rng. With probability `drop_caption` the caption is "" (the unconditional prompt)."""

    def __init__(self, seed, stream, batch, steps, tokenizer_dirs=None, excluded=frozenset(), drop_caption=0.0):
        super().__init__(tokenizer_dirs)
        self.seed, self.stream, self.batch, self.steps = seed, stream, batch, steps
        self.excluded, self.drop_caption = excluded, drop_caption

    def __len__(self):
        return self.steps

    def __getitem__(self, step):
        batch_scenes, captions = [], []
        for k in range(self.batch):
            scene, rng = stream_scene(self.seed, self.stream, step * self.batch + k, self.excluded)
            batch_scenes.append(scene)
            captions.append("" if rng.random() < self.drop_caption else scenes.caption(scene, rng))
        item = {"step": step, "scenes": batch_scenes, "captions": captions}
        if self.tokenizer_dirs is not None:
            item["clip_ids"], item["t5_ids"] = self._tokenize(captions)
        return item


class PooledSceneBatches(_Tokenized):
    """The flux stage's batches, drawn from a pool of encoded scenes (flux_stage.LatentPool) so that
    each rendered and encoded scene is trained on `reuse` times on average, each time with its own
    noise, sigma and caption wording.

    Scene g of the stream is stream_scene(seed, stream, g); it lives in pool slot g % pool. Item 0
    brings scenes [0, pool) (the pool's first filling), item n >= 1 the `fresh` = batch // reuse
    scenes [pool + (n - 1) * fresh, pool + n * fresh), which replace the oldest ones. Step n then
    trains on `batch` distinct slots of the pool, which now holds scenes [n * fresh, n * fresh + pool),
    drawn by random.Random("seed/stream/pick/n"); each gets a caption drawn for this use by
    random.Random("seed/stream/caption/g/n") ("" with probability `drop_caption`). A scene stays
    pool / fresh steps, so it is picked reuse times on average, and two steps share few scenes
    (batch / pool of them).

    Item n: {"step", "new_first": the first new scene's index, "plans": scenes.render_plan of the new
    scenes in chunks of at most `batch`, "slots": int64 [batch], "captions", "clip_ids", "t5_ids"}."""

    def __init__(self, seed, stream, batch, steps, reuse, pool, tokenizer_dirs, excluded=frozenset(),
                 drop_caption=0.0):
        super().__init__(tokenizer_dirs)
        if batch % reuse or pool % (batch // reuse) or pool < batch:
            raise ValueError(f"pool batches: batch {batch} must be a multiple of reuse {reuse}, and the pool "
                             f"({pool}) a multiple of batch // reuse and at least one batch")
        self.seed, self.stream, self.batch, self.steps = seed, stream, batch, steps
        self.fresh, self.pool = batch // reuse, pool
        self.excluded, self.drop_caption = excluded, drop_caption

    def __len__(self):
        return self.steps

    def new_scenes(self, step):
        """(first, count): the scenes item `step` adds to the pool."""
        return (0, self.pool) if step == 0 else (self.pool + (step - 1) * self.fresh, self.fresh)

    def picked(self, step):
        """The (slot, scene index) pairs step `step` trains on."""
        oldest = step * self.fresh
        slots = random.Random(f"{self.seed}/{self.stream}/pick/{step}").sample(range(self.pool), self.batch)
        return [(s, oldest + (s - oldest) % self.pool) for s in slots]

    def __getitem__(self, step):
        first, count = self.new_scenes(step)
        new = [stream_scene(self.seed, self.stream, g, self.excluded)[0] for g in range(first, first + count)]
        plans = [scenes.render_plan(new[i:i + self.batch]) for i in range(0, count, self.batch)]
        slots, captions = [], []
        for slot, g in self.picked(step):
            scene = new[g - first] if g >= first else stream_scene(self.seed, self.stream, g, self.excluded)[0]
            rng = random.Random(f"{self.seed}/{self.stream}/caption/{g}/{step}")
            slots.append(slot)
            captions.append("" if rng.random() < self.drop_caption else scenes.caption(scene, rng))
        clip_ids, t5_ids = self._tokenize(captions)
        return {"step": step, "new_first": first, "plans": plans, "slots": torch.tensor(slots, dtype=torch.int64),
                "captions": captions, "clip_ids": clip_ids, "t5_ids": t5_ids}


def loader(dataset, device, start=0):
    """Iterates dataset items start.. in order, with worker processes on the GPU machine; there the
    items' tensors come pinned, so their copies to the GPU need not wait for it."""
    workers = 0 if device.type == "cpu" else min(6, max(1, (os.cpu_count() or 2) - 2))
    indices = range(start, len(dataset))
    return torch.utils.data.DataLoader(
        torch.utils.data.Subset(dataset, indices), batch_size=None, shuffle=False, num_workers=workers,
        collate_fn=_identity, prefetch_factor=4 if workers else None, persistent_workers=False,
        pin_memory=device.type == "cuda")
