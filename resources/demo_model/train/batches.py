"""Training batches: batch `step` of a stream is always the same scenes, captions and token ids, so a
run is reproducible however many loader workers make it."""
import os

import torch

import scenes

CLIP_LENGTH = 77   # FluxPipeline: tokenizer.model_max_length
T5_LENGTH = 64     # the demo's tokenizer_2 declares model_max_length 64 (the longest scene caption is
                   # 41 tokens): dcgen generate pads to it, the reference gets max_sequence_length=64


def _identity(x):
    return x


class SceneBatches(torch.utils.data.Dataset):
    """Item `step`: {"scenes", "captions"} and, with tokenizer folders, "clip_ids" [B, 77] and
    "t5_ids" [B, T5_LENGTH] int64 exactly as FluxPipeline tokenizes them (padded, truncated, no mask).

    Scene k of batch `step` comes from scenes.scene_rng(seed, stream, step * batch + k); a scene whose
    canonical caption is in `excluded` (the held-out evaluation prompts) is redrawn from the same rng.
    With probability `drop_caption` the caption is "" (the unconditional prompt, for true CFG)."""

    def __init__(self, seed, stream, batch, steps, tokenizer_dirs=None, excluded=frozenset(), drop_caption=0.0):
        self.seed, self.stream, self.batch, self.steps = seed, stream, batch, steps
        self.tokenizer_dirs, self.excluded, self.drop_caption = tokenizer_dirs, excluded, drop_caption
        self._tokenizers = None

    def __len__(self):
        return self.steps

    def _tokenize(self, captions):
        if self._tokenizers is None:  # loaded in each worker process
            from transformers import CLIPTokenizer, T5TokenizerFast
            clip_dir, t5_dir = self.tokenizer_dirs
            self._tokenizers = CLIPTokenizer.from_pretrained(clip_dir), T5TokenizerFast.from_pretrained(t5_dir)
        clip, t5 = self._tokenizers
        clip_ids = clip(captions, padding="max_length", max_length=CLIP_LENGTH, truncation=True,
                        return_tensors="pt").input_ids
        t5_ids = t5(captions, padding="max_length", max_length=T5_LENGTH, truncation=True,
                    return_tensors="pt").input_ids
        return clip_ids, t5_ids

    def __getitem__(self, step):
        batch_scenes, captions = [], []
        for k in range(self.batch):
            rng = scenes.scene_rng(self.seed, self.stream, step * self.batch + k)
            scene = scenes.sample_scene(rng)
            while scenes.caption(scene) in self.excluded:
                scene = scenes.sample_scene(rng)
            batch_scenes.append(scene)
            captions.append("" if rng.random() < self.drop_caption else scenes.caption(scene, rng))
        item = {"step": step, "scenes": batch_scenes, "captions": captions}
        if self.tokenizer_dirs is not None:
            item["clip_ids"], item["t5_ids"] = self._tokenize(captions)
        return item


def loader(dataset, device, start=0):
    """Iterates dataset items start.. in order, with worker processes on the GPU machine."""
    workers = 0 if device.type == "cpu" else min(6, max(1, (os.cpu_count() or 2) - 2))
    indices = range(start, len(dataset))
    return torch.utils.data.DataLoader(
        torch.utils.data.Subset(dataset, indices), batch_size=None, shuffle=False, num_workers=workers,
        collate_fn=_identity, prefetch_factor=4 if workers else None, persistent_workers=False)
