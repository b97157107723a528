"""Stage 1: the caption-language tokenizers, learned from a corpus of scene captions.

CLIP: byte-level BPE (vocab.json + merges.txt, the openai/clip-vit-large-patch14 file layout);
T5: SentencePiece unigram (spiece.model, the google/t5-v1_1 layout). Both are built with the
vocabulary builders of tests/reference/make_tokenizer_goldens.py. The corpus is the training
stream's own captions plus a tenth as many general captions (caption_corpus) so that words
outside the scene language still split into sensible pieces.
"""
import shutil

import common  # noqa: F401  (puts tests/reference on sys.path)
import make_tokenizer_goldens as tok
import scenes


def scene_captions(seed, n):
    return [scenes.caption(scenes.sample_scene(r), r) for r in
            (scenes.scene_rng(seed, "captions", i) for i in range(n))]


def build_tokenizers(out_dir, sizes, seed):
    """Writes out_dir/tokenizer (CLIP) and out_dir/tokenizer_2 (T5). Returns their vocabulary sizes."""
    corpus = scene_captions(seed, sizes.caption_corpus_size) + tok.caption_corpus(sizes.caption_corpus_size // 10, seed)
    clip_dir, t5_dir = out_dir / "tokenizer", out_dir / "tokenizer_2"
    for d in (clip_dir, t5_dir):
        shutil.rmtree(d, ignore_errors=True)
    vocab, merges = tok.train_clip_bpe(corpus, sizes.clip_merges)
    tok.write_clip_tokenizer_folder(clip_dir, vocab, merges)
    tok.write_t5_tokenizer_folder(t5_dir, tok.train_t5_unigram(corpus, sizes.t5_vocab))
    from transformers import CLIPTokenizer, T5TokenizerFast
    clip, t5 = CLIPTokenizer.from_pretrained(clip_dir), T5TokenizerFast.from_pretrained(t5_dir)
    sample = corpus[0]
    print(f"[tokenizers] clip vocab {len(clip)}, t5 vocab {len(t5)}; {sample!r} -> "
          f"{len(clip(sample).input_ids)} CLIP / {len(t5(sample).input_ids)} T5 tokens", flush=True)
    return {"clip_vocab": len(clip), "t5_vocab": len(t5)}
