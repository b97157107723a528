#!/usr/bin/env python3
"""Tiny CLIP (BPE) and T5 (SentencePiece unigram) tokenizers in the FLUX pipeline layout, and
the token ids transformers produces for a hard prompt corpus, for the C++ tokenizer tests.

Run from the repository root (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_tokenizer_goldens.py --out tests/data/tokenizers

Writes under --out:
  flux_tiny/tokenizer/    vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json
                          (the files of a FLUX pipeline's CLIP `tokenizer/` folder)
  flux_tiny/tokenizer_2/  spiece.model, tokenizer_config.json, special_tokens_map.json
                          (a FLUX `tokenizer_2/` folder; its tokenizer.json is left out to keep the
                          data small: the script checks it changes no id, see check_t5_tokenizer_json)
  goldens.json            per prompt: the UTF-8 input (hex when it is not valid UTF-8), and for both
                          tokenizers the ids of the FluxPipeline call, the untruncated ids and the
                          text diffusers would print as truncated.

The vocabulary builders (`train_clip_bpe`, `write_clip_tokenizer_folder`, `train_t5_unigram`,
`write_t5_tokenizer_folder`) take any corpus of strings: the embedded demo model trains its own
caption tokenizers with them. They are deterministic (same corpus, same files).
"""

import argparse
import base64
import collections
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2
import tokenizers
import transformers
from tokenizers import Regex, normalizers, pre_tokenizers
from transformers import CLIPTokenizer, T5Tokenizer

CLIP_BOS, CLIP_EOS = "<|startoftext|>", "<|endoftext|>"
CLIP_MAX_LENGTH = 77  # FluxPipeline: tokenizer_max_length = tokenizer.model_max_length
T5_MAX_LENGTH = 512  # FluxPipeline.__call__(max_sequence_length=512)
T5_EXTRA_IDS = 100


# ---------------------------------------------------------------------------------------------
# CLIP byte-level BPE (openai/CLIP simple_tokenizer layout: 256 byte symbols, the same with
# "</w>", one token per merge, then <|startoftext|> and <|endoftext|>).
# ---------------------------------------------------------------------------------------------
def bytes_to_unicode():
    """GPT-2/CLIP's reversible byte -> printable character table, in vocabulary order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(
        range(ord("®"), ord("ÿ") + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
    for b in range(256):
        if b not in printable:
            table[b] = chr(256 + extra)
            extra += 1
    return {b: table[b] for b in printable + [b for b in range(256) if b not in printable]}


def clip_words(text):
    """The byte-level words CLIPTokenizer feeds its BPE model (same normalizer and pre-tokenizer)."""
    normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()])
    pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(
            Regex(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""),
            behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False),
    ])
    return [w for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))]


def train_clip_bpe(corpus, num_merges):
    """Learns `num_merges` BPE merges over the words of `corpus` (iterable of str), CLIP style:
    a word is its byte-level characters with "</w>" glued to the last one; each step merges the
    most frequent adjacent pair (ties: the lexicographically smallest pair). Returns (vocab, merges)
    with vocab {token: id} in CLIP's order and merges a list of (left, right)."""
    word_counts = collections.Counter(w for text in corpus for w in clip_words(text))
    words = [[*w[:-1], w[-1] + "</w>"] for w in word_counts]
    counts = [word_counts[w] for w in word_counts]
    byte_symbols = list(bytes_to_unicode().values())
    vocab_list = byte_symbols + [s + "</w>" for s in byte_symbols]
    known = set(vocab_list)
    merges = []
    while len(merges) < num_merges:
        pairs = collections.Counter()
        for w, c in zip(words, counts):
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best_count = max(pairs.values())
        best = min(p for p, c in pairs.items() if c == best_count)
        merges.append(best)
        merged = best[0] + best[1]
        if merged not in known:
            known.add(merged)
            vocab_list.append(merged)
        for i, w in enumerate(words):
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and (w[j], w[j + 1]) == best:
                    out.append(merged)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
    vocab_list += [CLIP_BOS, CLIP_EOS]
    return {t: i for i, t in enumerate(vocab_list)}, merges


def write_clip_tokenizer_folder(folder, vocab, merges, model_max_length=CLIP_MAX_LENGTH):
    """Writes a FLUX/SD-style CLIP `tokenizer/` folder (the files of openai/clip-vit-large-patch14)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text(
        "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
    token = lambda content, normalized: {"content": content, "lstrip": False, "normalized": normalized,
                                         "rstrip": False, "single_word": False}
    config = {
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(vocab[CLIP_BOS]): {**token(CLIP_BOS, True), "special": True},
            str(vocab[CLIP_EOS]): {**token(CLIP_EOS, False), "special": True},
        },
        "bos_token": CLIP_BOS,
        "clean_up_tokenization_spaces": True,
        "do_lower_case": True,
        "eos_token": CLIP_EOS,
        "errors": "replace",
        "model_max_length": model_max_length,
        "pad_token": CLIP_EOS,
        "tokenizer_class": "CLIPTokenizer",
        "unk_token": CLIP_EOS,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    special = {"bos_token": token(CLIP_BOS, True), "eos_token": token(CLIP_EOS, True),
               "pad_token": CLIP_EOS, "unk_token": token(CLIP_EOS, True)}
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# T5 SentencePiece unigram (google/t5-v1_1 layout: <pad>=0, </s>=1, <unk>=2, no <s>, nmt_nfkc).
# ---------------------------------------------------------------------------------------------
def train_t5_unigram(corpus, vocab_size, character_coverage=1.0):
    """Trains a SentencePiece unigram model on `corpus` (iterable of str) with T5's special ids and
    normalization. Returns the serialized model (the bytes of spiece.model). `vocab_size` is an
    upper bound: a small corpus may yield fewer pieces."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "spiece")
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(list(corpus)), model_prefix=prefix, model_type="unigram",
            vocab_size=vocab_size, character_coverage=character_coverage,
            normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
            pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
            hard_vocab_limit=False, num_threads=1, shuffle_input_sentence=False,
            minloglevel=2)
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(Path(prefix + ".model").read_bytes())
    proto.trainer_spec.model_prefix = "spiece"  # not the temporary path: same corpus, same bytes
    return proto.SerializeToString()


def write_t5_tokenizer_folder(folder, spiece_model, extra_ids=T5_EXTRA_IDS, model_max_length=T5_MAX_LENGTH,
                              with_tokenizer_json=True):
    """Writes a FLUX-style T5 `tokenizer_2/` folder (the files of google/t5-v1_1-xxl as FLUX ships
    them). tokenizer.json is written by transformers from the other files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spiece.model").write_bytes(spiece_model)
    n_pieces = spm.SentencePieceProcessor(model_proto=spiece_model).get_piece_size()
    token = lambda content, strip: {"content": content, "lstrip": strip, "normalized": False,
                                    "rstrip": strip, "single_word": False, "special": True}
    added = {"0": token("<pad>", False), "1": token("</s>", False), "2": token("<unk>", False)}
    for i in range(extra_ids):
        added[str(n_pieces + i)] = token(f"<extra_id_{extra_ids - 1 - i}>", True)
    config = {
        "add_prefix_space": True,
        "added_tokens_decoder": added,
        "additional_special_tokens": [f"<extra_id_{i}>" for i in range(extra_ids)],
        "clean_up_tokenization_spaces": True,
        "eos_token": "</s>",
        "extra_ids": extra_ids,
        "legacy": True,
        "model_max_length": model_max_length,
        "pad_token": "<pad>",
        "sp_model_kwargs": {},
        "tokenizer_class": "T5Tokenizer",
        "unk_token": "<unk>",
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    plain = lambda content: {"content": content, "lstrip": False, "normalized": False, "rstrip": False,
                             "single_word": False}
    special = {"additional_special_tokens": [f"<extra_id_{i}>" for i in range(extra_ids)],
               "eos_token": plain("</s>"), "pad_token": plain("<pad>"), "unk_token": plain("<unk>")}
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n", encoding="utf-8")
    if with_tokenizer_json:
        T5Tokenizer.from_pretrained(folder).backend_tokenizer.save(str(folder / "tokenizer.json"))


# ---------------------------------------------------------------------------------------------
# A small caption corpus to train the tiny test vocabularies on (procedural, seeded).
# ---------------------------------------------------------------------------------------------
_SUBJECTS = ("cat dog fox owl horse dragon robot astronaut woman man child girl boy knight wizard "
             "castle lighthouse city forest mountain river lake ocean island village street bridge "
             "tree flower garden house car train ship airplane bicycle guitar piano teapot cup "
             "apple orange banana cake bread portrait landscape sunset sunrise storm galaxy planet").split()
_ADJECTIVES = ("red blue green yellow purple orange black white golden silver old young tiny huge "
               "ancient futuristic cozy misty foggy rainy snowy sunny dark bright glowing shiny "
               "wooden metallic glass crystal neon pastel vibrant detailed beautiful cute scary calm "
               "quiet busy happy sad").split()
_STYLES = ("photo photograph painting illustration sketch drawing render watercolor oil pencil "
           "cinematic anime cartoon pixel art studio lighting bokeh portrait macro wide angle "
           "masterpiece best quality highly detailed sharp focus 4k 8k hdr trending on artstation").split()
_PLACES = ("in the rain|at night|on the beach|in a forest|under the stars|on a table|in the snow|"
           "at sunset|in space|on the moon|in a cafe|in Paris|in Tokyo|in São Paulo|in Zürich|"
           "near the river|on a hill|inside a cave|by the sea").split("|")
_FOREIGN = ("café naïve résumé jalapeño façade crème brûlée über straße Ångström smörgåsbord "
            "niño señor mañana déjà vu Москва ночью кот собака Ελλάδα θάλασσα 東京 夜景 猫 犬 山 川 "
            "ネオン サイン 雨 한국 고양이 中国 城市 北京 ciudad pájaro").split()
_VERBS = "sitting standing running flying sleeping reading holding eating walking dancing looking".split()


def caption_corpus(n, seed=0):
    """`n` short image captions from fixed word lists (English with some accents, Cyrillic, Greek,
    CJK), with contractions, numbers and punctuation sprinkled in."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(["a", "an", "the", "two", "three", "my", "one"]),
                 rng.choice(_ADJECTIVES), rng.choice(_SUBJECTS)]
        if rng.random() < 0.6:
            parts += [rng.choice(_VERBS), rng.choice(_PLACES)]
        if rng.random() < 0.3:
            parts.append(rng.choice(_FOREIGN))
        if rng.random() < 0.3:
            parts.append(rng.choice(["it's", "don't", "we're", "you've", "I'm", "they'll", "she'd"]))
        if rng.random() < 0.3:
            parts.append(str(rng.choice([1, 2, 3, 7, 10, 42, 100, 1024, 2024])))
        text = " ".join(parts)
        text += rng.choice(["", ",", ".", "!", "?", "...", ", " + " ".join(rng.sample(_STYLES, 3))])
        if rng.random() < 0.2:
            text = text.capitalize()
        out.append(text)
    return out


# ---------------------------------------------------------------------------------------------
# The prompt corpus: hand-written hard cases, exact truncation boundaries, invalid UTF-8, and
# random strings over a pool of troublesome characters.
# ---------------------------------------------------------------------------------------------
LONG_PROMPT = (
    "A breathtaking ultra-detailed matte painting of an ancient floating city above a misty ocean at "
    "golden hour, with towering white marble spires, hanging gardens overflowing with purple and "
    "orange flowers, waterfalls pouring from the edges of the islands into the clouds below, "
    "hundreds of tiny airships with patched canvas sails drifting between the towers, flocks of "
    "birds, warm volumetric light, long soft shadows, cinematic composition, wide angle lens, "
    "trending on artstation, masterpiece, best quality, 8k, HDR. ")

HAND_WRITTEN = [
    ("empty", ""),
    ("simple", "a photo of a cat"),
    ("mixed_case", "A Photo Of A CAT wearing a HAT, iPhone McDonald's NASA"),
    ("leading_trailing_ws", "   a dog on a beach   "),
    ("only_whitespace", " \t\n \u3000 "),
    ("spaces_tabs_newlines", "two  spaces,\tone tab,\t\ttwo tabs\nnewline\n\nblank line\r\nCRLF\x0bVT\x0cFF"),
    ("contractions", "don't you're we've I'm they'll she'd it's DON'T YOU'RE WE'VE I'M THEY'LL SHE'D IT'S"),
    ("apostrophes", "'s 't 're 'S rock'n'roll o''clock '''tis the cat’s toy ‘quoted’ ''"),
    ("punctuation_runs", "wow!!! ... ?!?! --- *** (((masterpiece))) [best:1.2] {a|b} <lora:foo:0.8> @#$%^&*_+=~`|\\/"),
    ("numbers", "1024x768 3.14159 1,000,000 2nd 42% -7 +12.5e-3 0xFF ½ ² ³ ٣٤ ४२ 一二三 Ⅻ ① 𝟗"),
    ("accents_precomposed", "café naïve résumé Zürich São Paulo jalapeño Ångström façade ÉCOLE ÀÉÎÕÜ"),
    ("accents_decomposed", "cafe\u0301 nai\u0308ve re\u0301sume\u0301 A\u030angstro\u0308m E\u0301COLE"),
    ("combining_marks", "a\u0300\u0301\u0302 x\u0323\u0307 q\u0307\u0323 \u0301alone z\u0337\u0322a\u0338l\u0335g\u0336o\u0334"),
    ("cjk", "東京の夜景、ネオンサイン、雨。一只猫在屋顶上。한국어 문장입니다 ｶﾀｶﾅ"),
    ("emoji", "🐱🐶 🎨🖌️ 👍🏽 👍🏿 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵🇫🇷 ❤️‍🔥 1️⃣ #️⃣ 🧑🏾‍🚀 😀😃😄"),
    ("other_scripts", "Москва ночью, ΟΔΟΣ Ελληνικά σς, עברית, العربية, हिन्दी, ไทย, ქართული, Ǆemal"),
    ("special_casing", "İstanbul DİYARBAKIR ß ẞ ǅ ﬁ ﬀ ŉ ΐ"),
    ("fullwidth_compat", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ ①②③ ﬁ ligature ㌔ ™ Ⅸ ㎏ ¼ ℌ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
    ("unusual_whitespace", "nbsp\u00a0here ideographic\u3000space en\u2002space zero\u200bwidth line\u2028sep "
                           "para\u2029sep nel\u0085x ogham\u1680x narrow\u202fnbsp mmsp\u205fx"),
    ("control_chars", "\x00null \x01soh bell\x07 del\x7f esc\x1b[0m fs\x1cgs\x1drs\x1eus\x1f end"),
    ("private_unassigned", "pua\ue000\uf8ff \U0010fffd unassigned\u0378\U000e0001 tag \ufffd replacement \ufeffbom"),
    ("special_tokens_literal", "<|startoftext|>a cat<|endoftext|> </s> <pad> <unk> <extra_id_0> x<extra_id_99>y"),
    ("special_tokens_case", "<|STARTOFTEXT|>Hi<|EndOfText|> <|startoftext|> <|endoftext|><|endoftext|>"),
    ("special_tokens_spacing", "a  <extra_id_5>  b\t<extra_id_6>\nc<extra_id_7>d <extra_id_8> </s>e <pad>  f"),
    ("special_token_fragments", "<|startoftext <extra_id_> <extra_id_100> </ s> <PAD> |> <| <> </s"),
    ("metaspace_char", "▁ a▁b ▁▁x cat▁ ▁cat"),
    ("tie_breaks", ". .. ... .... ..... !!! !!!! ---- ____ '''' aaaa ??? ,,, !?!? ...!!!"),
    ("short_graphemes", "e\u0301\u0301 \uff21\u0301 \u0600\u0661 \u0915\u094d\u0937 \uac00\u0301 a\u200d"
                        " \uff76\uff9e \u1100\u1161\u11a8 \r\n\r\n x\u0308\u0301 \u2163\u0301"),
    ("normalized_specials", "\uff1cpad\uff1e \uff1c/s\uff1e x\uff1cextra_id_0\uff1ey \uff1cunk\uff1e"),
    ("sd_weighting_syntax", "(masterpiece:1.3), ((best quality)), [[worst quality]], {blue|red} hair, BREAK, AND"),
    ("url_path_code", "https://example.com/a_b?c=d&e=f#g C:\\Users\\me\\x.png f(x)=x^2; a->b && c||d"),
    ("repeated_chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"),
    ("long_word", "pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious"),
    ("long_77", LONG_PROMPT),
    ("long_512", LONG_PROMPT * 2),
    ("long_ws_padded", "  \n" + LONG_PROMPT + " \t "),
]

INVALID_UTF8 = [
    ("invalid_latin1", b"caf\xe9 au lait"),
    ("invalid_bom_utf16", b"\xff\xfea\x00b\x00"),
    ("invalid_truncated_emoji", b"cat \xf0\x9f\x98 dog \xf0\x9f"),
    ("invalid_surrogate", b"x\xed\xa0\x80y\xed\xbf\xbfz"),
    ("invalid_overlong", b"\xc0\xaf \xe0\x80\xaf \xc1\xbf"),
    ("invalid_lone_continuation", b"\x80\x81abc\xbf"),
    ("invalid_above_max", b"\xf4\x90\x80\x80 \xf5\x80\x80\x80 \xf8\x88\x80\x80\x80"),
]

FUZZ_POOL = (
    list("abcxyzABCXYZ0123456789") + list(" .,;:!?'\"-_()[]{}<>|/\\@#$%^&*+=~`") +
    ["\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\xa0", "\u1680", "\u2002", "\u2028", "\u3000", "\u200b",
     "\u0301", "\u0308", "\u0323", "\u0334", "\u0345", "\u3099", "\u05b0", "\u093c",
     "é", "Å", "ǖ", "ñ", "ß", "ẞ", "İ", "ı", "Σ", "ς", "ǅ", "Ω", "Ω", "Å", "ﬁ",
     "ᄀ", "ᅡ", "ᆨ", "가", "각", "東", "京", "ｶ", "ﾞ", "ネ", "が",
     "🐱", "👍", "🏽", "\u200d", "\ufe0f", "👨", "🇯", "🇵", "❤", "⃣",
     "٣", "½", "²", "Ⅻ", "①", "𝟗", "▁", "\x00", "\x01", "\x1c", "\x7f", "\ufffd", "\ue000", "\U0010fffd",
     "\u0378", "\ufeff", "'s", "'t", "'re", "'ll", "'D", "<|startoftext|>", "<|endoftext|>", "<|ENDOFTEXT|>",
     "</s>", "<pad>", "<unk>", "<extra_id_0>", "<extra_id_42>", "<|", "|>", "cat", "dog", "the", "photo",
     "  ", "\t\t", " \n ", "\r\n", "\uff1c", "\uff1e", "\uff21", "\u0600", "\u0915", "\u094d", "\u0937",
     "\u0e33", "\u1100", "\u1161", "\u11a8", "...", "!!", "--"])


def fuzz_strings(n, seed=1234):
    rng = random.Random(seed)
    return [(f"fuzz_{i:03d}", "".join(rng.choice(FUZZ_POOL) for _ in range(rng.randint(1, 24))))
            for i in range(n)]


def boundary_prompts(tokenizer, max_length, special_tokens, name):
    """Prompts whose content is exactly max_length - special_tokens - 1, - 0 and + 1 tokens long:
    the last one that fits, and the first ones that are cut."""
    words = (LONG_PROMPT * 8).split(" ")
    count = lambda text: len(tokenizer(text, add_special_tokens=False).input_ids)
    out = []
    for target in (max_length - special_tokens - 1, max_length - special_tokens, max_length - special_tokens + 1):
        lo = 0
        while count(" ".join(words[:lo + 1])) <= target:
            lo += 1
        text = " ".join(words[:lo])
        while count(text) < target:
            text += " a"  # one more token each, usually
        if count(text) != target:
            continue  # the last word's tokens straddle the target; this boundary is not reachable exactly
        out.append((f"{name}_content_{target}", text))
    return out


# ---------------------------------------------------------------------------------------------
# Goldens
# ---------------------------------------------------------------------------------------------
def flux_call(tokenizer, text, max_length):
    """What FluxPipeline encodes (_get_clip_prompt_embeds / _get_t5_prompt_embeds), plus the
    untruncated ids and removed text of diffusers' truncation warning."""
    ids = tokenizer(text, padding="max_length", max_length=max_length, truncation=True).input_ids
    untruncated = tokenizer(text, padding="longest").input_ids
    out = {"ids": ids, "untruncated": untruncated}
    if len(untruncated) > max_length:
        out["removed_text"] = tokenizer.decode(untruncated[max_length - 1:-1])
    return out


def clip_unknown_symbol_goldens(clip_dir, vocab, merges, cases):
    """BPE's unknown path: the byte symbols of UTF-8 lead bytes F0-F4 (code points above U+FFFF)
    that no merge uses are removed from vocab.json in a copy of the folder; those bytes then
    become <|endoftext|>, one per symbol (fuse_unk=False). The C++ test makes the same copy."""
    used = {t for a, b in merges for t in (a, b, a + b)}
    lead = [bytes_to_unicode()[b] for b in range(0xF0, 0xF5)]
    removed = [t for t in lead + [s + "</w>" for s in lead] if t in vocab and t not in used]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "tokenizer"
        shutil.copytree(clip_dir, folder)
        write_clip_tokenizer_folder(folder, {t: i for t, i in vocab.items() if t not in removed}, merges)
        clip = CLIPTokenizer.from_pretrained(folder)
        astral = [(name, text) for name, text in cases if any(ord(ch) > 0xFFFF for ch in text)]
        astral = [c for c in astral if not c[0].startswith("fuzz_")] + [c for c in astral if c[0].startswith("fuzz_")][:8]
        out = [{"name": name, "untruncated": clip(text).input_ids} for name, text in astral]
    assert any(clip.unk_token_id in c["untruncated"] for c in out)
    return {"removed_tokens": removed, "cases": out}


def check_t5_tokenizer_json(folder, texts):
    """FLUX's tokenizer_2/ also has a tokenizer.json. transformers rebuilds T5Tokenizer from it the same
    way as from spiece.model; check that both give the same ids on the whole corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "tokenizer_2"
        shutil.copytree(folder, copy)
        T5Tokenizer.from_pretrained(copy).backend_tokenizer.save(str(copy / "tokenizer.json"))
        with_json = T5Tokenizer.from_pretrained(copy)
        assert (copy / "tokenizer.json").exists()
        without = T5Tokenizer.from_pretrained(folder)
        for text in texts:
            assert with_json(text).input_ids == without(text).input_ids, ascii(text)


def check_fast_aliases(clip_folder, t5_folder, texts):
    """transformers 5 has one (tokenizers-backed) class per model; the *Fast names are aliases."""
    from transformers import CLIPTokenizerFast, T5TokenizerFast
    pairs = [(CLIPTokenizer.from_pretrained(clip_folder), CLIPTokenizerFast.from_pretrained(clip_folder)),
             (T5Tokenizer.from_pretrained(t5_folder), T5TokenizerFast.from_pretrained(t5_folder))]
    for slow, fast in pairs:
        for text in texts:
            assert slow(text).input_ids == fast(text).input_ids, ascii(text)
    return CLIPTokenizerFast is CLIPTokenizer and T5TokenizerFast is T5Tokenizer


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--clip-merges", type=int, default=600)
    parser.add_argument("--t5-vocab", type=int, default=500)
    args = parser.parse_args()

    corpus = caption_corpus(3000)
    clip_dir, t5_dir = args.out / "flux_tiny" / "tokenizer", args.out / "flux_tiny" / "tokenizer_2"
    for d in (clip_dir, t5_dir):
        shutil.rmtree(d, ignore_errors=True)
    vocab, merges = train_clip_bpe(corpus, args.clip_merges)
    write_clip_tokenizer_folder(clip_dir, vocab, merges)
    write_t5_tokenizer_folder(t5_dir, train_t5_unigram(corpus, args.t5_vocab), with_tokenizer_json=False)

    clip = CLIPTokenizer.from_pretrained(clip_dir)
    t5 = T5Tokenizer.from_pretrained(t5_dir)
    cases = list(HAND_WRITTEN)
    cases += boundary_prompts(clip, CLIP_MAX_LENGTH, 2, "clip")
    cases += boundary_prompts(t5, T5_MAX_LENGTH, 1, "t5")
    cases += INVALID_UTF8
    fuzz = fuzz_strings(180)

    goldens = []
    for name, value in cases + fuzz:
        text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
        entry = {"name": name}
        entry.update({"bytes_hex": value.hex()} if isinstance(value, bytes) else {"text": text})
        if name.startswith("fuzz_"):
            entry["clip"] = {"untruncated": clip(text).input_ids}
            entry["t5"] = {"untruncated": t5(text).input_ids}
        else:
            entry["clip"] = flux_call(clip, text, CLIP_MAX_LENGTH)
            entry["t5"] = flux_call(t5, text, T5_MAX_LENGTH)
            if len(entry["t5"]["untruncated"]) > 256:
                entry["t5_256"] = flux_call(t5, text, 256)  # FLUX.1-schnell's max_sequence_length
        goldens.append(entry)

    texts = [g["text"] if "text" in g else bytes.fromhex(g["bytes_hex"]).decode("utf-8", "replace")
             for g in goldens]
    unknown_symbols = clip_unknown_symbol_goldens(clip_dir, vocab, merges, [(g["name"], t) for g, t in zip(goldens, texts)])
    check_t5_tokenizer_json(t5_dir, texts)
    fast_is_alias = check_fast_aliases(clip_dir, t5_dir, texts)

    meta = {
        "generator": "tests/reference/make_tokenizer_goldens.py",
        "versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                     "sentencepiece": spm.__version__},
        "clip": {"max_length": CLIP_MAX_LENGTH, "pad_id": clip.pad_token_id, "bos_id": clip.bos_token_id,
                 "eos_id": clip.eos_token_id, "vocab_size": len(clip)},
        "t5": {"max_length": T5_MAX_LENGTH, "pad_id": t5.pad_token_id, "eos_id": t5.eos_token_id,
               "vocab_size": len(t5)},
        "fast_classes_are_aliases": fast_is_alias,
        "t5_tokenizer_json_checked": True,
        "clip_unknown_symbols": unknown_symbols,
    }
    lines = ",\n".join(json.dumps(g, ensure_ascii=True, separators=(",", ":")) for g in goldens)
    (args.out / "goldens.json").write_text(
        '{"meta":' + json.dumps(meta) + ',\n"cases":[\n' + lines + "\n]}\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"{len(goldens)} cases, clip vocab {len(clip)}, t5 vocab {len(t5)}, {size / 1024:.0f} KiB under {args.out}")


if __name__ == "__main__":
    main()
