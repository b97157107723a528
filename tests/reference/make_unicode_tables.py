#!/usr/bin/env python3
"""Unicode tables for the C++ CLIP/T5 tokenizers, read off the reference's own `tokenizers`
library (its Oniguruma regexes, its NFC/NFD and Lowercase normalizers) rather than from a Unicode
database, so that the C++ side sees exactly the Unicode version transformers runs with.

Run from the repository root (see tests/reference/README.md):
    .venv-ref/bin/python tests/reference/make_unicode_tables.py --out core/models/text/unicode_tables.inc

What is measured, over every code point except the surrogates:
  - \\p{L}, \\p{N} and \\s as the Split/Replace regexes of CLIPTokenizer match them (Oniguruma);
    \\s is checked equal to `char::is_whitespace` (WhitespaceSplit), the White_Space property;
  - Lowercase (per code point, as tokenizers' Lowercase normalizer maps it);
  - the full canonical decomposition (NFD of each code point, Hangul syllables excluded: they
    decompose algorithmically);
  - the canonical combining class: Python's unicodedata gives candidates (a class, once assigned,
    never changes), and a reordering probe through tokenizers' NFD keeps those the reference knows;
  - the primary composites (code points that NFC rebuilds from their decomposition);
  - grapheme cluster break properties (UAX #29), for T5's Precompiled normalizer, which works on
    extended grapheme clusters (unicode-segmentation). The `regex` module gives the property
    values; the code points that attach to a preceding letter (Extend, ZWJ, SpacingMark) or to a
    following one (Prepend) are then kept only where tokenizers agrees, probed through a
    Precompiled normalizer built for the purpose (a grapheme shorter than 6 bytes is replaced
    whole by its first character's rule, so "a" + c -> "b" tells that c joined the "a").
The script then runs a Python model of the C++ NFC over every code point, every decomposition and
random mark sequences and checks it against tokenizers' NFC before writing anything.
"""

import argparse
import random
import sys
import unicodedata
from pathlib import Path

import os
import tempfile

import regex
import sentencepiece as spm
import tokenizers
from sentencepiece import sentencepiece_model_pb2
from tokenizers import Regex, normalizers, pre_tokenizers

SEP = "\x00"  # a starter that every normalizer leaves alone; it separates probes in one batch
CODEPOINTS = [c for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def batch(normalizer, strings):
    """Normalizes many strings in one call (they are joined by SEP, which no probe contains)."""
    out = normalizer.normalize_str(SEP.join(strings)).split(SEP)
    assert len(out) == len(strings)
    return out


def regex_class(pattern):
    """The code points a one-character regex class matches, as CLIPTokenizer's Split sees them."""
    split = pre_tokenizers.Split(Regex(pattern), behavior="removed")
    kept = {ord(ch) for piece, _ in split.pre_tokenize_str("".join(map(chr, CODEPOINTS))) for ch in piece}
    return {c for c in CODEPOINTS if c not in kept}


def rust_whitespace():
    kept = {ord(ch) for piece, _ in pre_tokenizers.WhitespaceSplit().pre_tokenize_str(
        "".join(map(chr, CODEPOINTS))) for ch in piece}
    return {c for c in CODEPOINTS if c not in kept}


def combining_classes():
    """{code point: class} for every non-starter the reference's NFD reorders."""
    candidates = [c for c in CODEPOINTS if unicodedata.combining(chr(c))]
    probes = []
    for c in candidates:
        k = unicodedata.combining(chr(c))
        # A non-starter of class k > 1 moves behind U+0334 (class 1); one of class 1 moves in
        # front of U+0301 (class 230). A code point the reference does not know stays put.
        probes.append(f"a{chr(c)}\u0334" if k > 1 else f"a\u0301{chr(c)}")
    out = batch(normalizers.NFD(), probes)
    ccc = {}
    for c, probe, got in zip(candidates, probes, out):
        if got != probe:
            ccc[c] = unicodedata.combining(chr(c))
    return ccc


GCB_VALUES = ["Other", "CR", "LF", "Control", "Extend", "ZWJ", "Regional_Indicator", "Prepend", "SpacingMark",
              "L", "V", "T", "LV", "LVT"]
INCB_VALUES = ["None", "Linker", "Consonant", "Extend"]


def grapheme_probe():
    """(joins_previous, joins_next): code points tokenizers' grapheme segmentation attaches to a
    preceding "a", and to a following "a". A SentencePiece normalization rule file maps "a" to
    "b" and every other probed code point to "X"; Precompiled replaces a grapheme under 6 bytes by
    the rule of its first code point, dropping the rest."""
    probed = [c for c in CODEPOINTS if c not in (0x58, 0x61)]  # "X" -> "X" would be an identity rule
    with tempfile.TemporaryDirectory() as tmp:
        rules, corpus = os.path.join(tmp, "rules.tsv"), os.path.join(tmp, "corpus.txt")
        with open(rules, "w") as f:
            f.write("61\t62\n" + "".join(f"{c:X}\t58\n" for c in probed))
        Path(corpus).write_text("a b c d e f g h\n" * 10)
        spm.SentencePieceTrainer.train(input=corpus, model_prefix=os.path.join(tmp, "m"), vocab_size=12,
                                       normalization_rule_tsv=rules, model_type="char", minloglevel=2,
                                       hard_vocab_limit=False)
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(Path(tmp, "m.model").read_bytes())
    precompiled = normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap)
    after = batch(precompiled, ["a" + chr(c) for c in probed])
    before = batch(precompiled, [chr(c) + "a" for c in probed])
    assert all(o in ("b", "bX") for o in after) and all(o in ("X", "Xb") for o in before)
    return ({c for c, o in zip(probed, after) if o == "b"}, {c for c, o in zip(probed, before) if o == "X"})


def grapheme_properties():
    """{code point: GCB index}, ExtPict code points, {code point: InCB index}."""
    joins_previous, joins_next = grapheme_probe()
    gcb = {}
    for index, name in enumerate(GCB_VALUES):
        if name == "Other":
            continue
        pattern = regex.compile(rf"\p{{Grapheme_Cluster_Break={name}}}")
        for c in CODEPOINTS:
            if pattern.match(chr(c)):
                gcb[c] = index
    for c, index in list(gcb.items()):
        name = GCB_VALUES[index]
        if name in ("Extend", "ZWJ", "SpacingMark") and c not in joins_previous:
            del gcb[c]  # newer than tokenizers' Unicode
        if name == "Prepend" and c not in joins_next:
            del gcb[c]
    missing = [c for c in joins_previous if GCB_VALUES[gcb.get(c, 0)] not in ("Extend", "ZWJ", "SpacingMark")]
    missing += [c for c in joins_next if GCB_VALUES[gcb.get(c, 0)] != "Prepend"]
    assert not missing, f"tokenizers joins code points regex does not: {[hex(c) for c in missing[:10]]}"
    ext_pict = {c for c in CODEPOINTS if regex.match(r"\p{Extended_Pictographic}", chr(c))}
    incb = {}
    for index, name in enumerate(INCB_VALUES):
        if name != "None":
            pattern = regex.compile(rf"\p{{InCB={name}}}")
            incb.update({c: index for c in CODEPOINTS if pattern.match(chr(c))})
    return gcb, ext_pict, incb


def value_ranges(values):
    """{code point: value} -> [[first, last, value]] over runs of equal values."""
    out = []
    for c in sorted(values):
        if out and out[-1][1] == c - 1 and out[-1][2] == values[c]:
            out[-1][1] = c
        else:
            out.append([c, c, values[c]])
    return out


def ranges(points):
    out = []
    for c in sorted(points):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


class Model:
    """Python twin of core/models/text/unicode_classes.cpp's NFC, built from the tables."""

    def __init__(self, decompositions, ccc, compositions):
        self.decompositions, self.ccc, self.compositions = decompositions, ccc, compositions

    def decompose(self, c, out):
        if HANGUL_FIRST <= c <= HANGUL_LAST:
            s = c - HANGUL_FIRST
            out += [0x1100 + s // 588, 0x1161 + (s % 588) // 28] + ([0x11A7 + s % 28] if s % 28 else [])
        else:
            out += self.decompositions.get(c, [c])

    def nfc(self, text):
        d = []
        for ch in text:
            self.decompose(ord(ch), d)
        i = 0  # canonical ordering: stable sort of each run of non-starters
        while i < len(d):
            if self.ccc.get(d[i], 0) == 0:
                i += 1
                continue
            j = i
            while j < len(d) and self.ccc.get(d[j], 0) != 0:
                j += 1
            d[i:j] = sorted(d[i:j], key=lambda c: self.ccc[c])
            i = j
        out, starter, last_ccc = [], -1, 0
        for c in d:
            k = self.ccc.get(c, 0)
            if starter >= 0:
                s = out[starter]
                composite = None
                if 0x1100 <= s <= 0x1112 and 0x1161 <= c <= 0x1175 and starter == len(out) - 1:
                    composite = HANGUL_FIRST + ((s - 0x1100) * 21 + (c - 0x1161)) * 28
                elif (HANGUL_FIRST <= s <= HANGUL_LAST and (s - HANGUL_FIRST) % 28 == 0
                      and 0x11A8 <= c <= 0x11C2 and starter == len(out) - 1):
                    composite = s + (c - 0x11A7)
                elif starter == len(out) - 1 or (last_ccc != 0 and last_ccc < k):
                    composite = self.compositions.get((s, c))
                if composite is not None:
                    out[starter] = composite
                    continue
            if k == 0:
                starter = len(out)
            last_ccc = k
            out.append(c)
        return "".join(map(chr, out))


def measure():
    letters, numbers, spaces = regex_class(r"\p{L}"), regex_class(r"\p{N}"), regex_class(r"\s")
    assert spaces == rust_whitespace(), "Oniguruma \\s and char::is_whitespace differ"
    lower = dict(zip(CODEPOINTS, batch(normalizers.Lowercase(), [chr(c) for c in CODEPOINTS])))
    lower = {c: s for c, s in lower.items() if s != chr(c)}
    nfd = dict(zip(CODEPOINTS, batch(normalizers.NFD(), [chr(c) for c in CODEPOINTS])))
    decompositions = {c: [ord(x) for x in s] for c, s in nfd.items()
                      if s != chr(c) and not HANGUL_FIRST <= c <= HANGUL_LAST}
    ccc = combining_classes()
    # Primary composites: NFC gives the code point back from its full decomposition. The pair
    # that composes to it is (NFC of all but the last code point, the last code point).
    decomposed = [c for c in decompositions]
    back = batch(normalizers.NFC(), [nfd[c] for c in decomposed])
    compositions = {}
    for c, b in zip(decomposed, back):
        if b == chr(c) and len(decompositions[c]) >= 2:
            head = normalizers.NFC().normalize_str("".join(map(chr, decompositions[c][:-1])))
            assert len(head) == 1, hex(c)
            compositions[(ord(head), decompositions[c][-1])] = c
    return letters, numbers, spaces, lower, decompositions, ccc, compositions, grapheme_properties()


def verify(model, decompositions):
    nfc = normalizers.NFC()
    singles = [chr(c) for c in CODEPOINTS]
    cases = singles + ["".join(map(chr, d)) for d in decompositions.values()]
    rng = random.Random(0)
    marks = [chr(c) for c in model.ccc] + ["\u0301", "\u0308", "\u0323", "\u0334", "\u05b0", "\u3099"]
    bases = [chr(c) for c in (0x41, 0x61, 0x45, 0x65, 0x4F, 0x55, 0x3B1, 0x1100, 0x1161, 0x11A8, 0xAC00,
                              0x304B, 0x30AB, 0x928, 0x9C7, 0xB47, 0xD46, 0x1025, 0x1B05, 0x1F00, 0x212B)]
    for _ in range(200000):
        cases.append("".join(rng.choice(bases if rng.random() < 0.4 else marks) for _ in range(rng.randint(1, 6))))
    want = batch(nfc, cases)
    bad = [(c, w) for c, w in zip(cases, want) if model.nfc(c) != w]
    assert not bad, f"{len(bad)} NFC mismatches, first: {[(ascii(c), ascii(w)) for c, w in bad[:5]]}"
    return len(cases)


def lower_runs(mapping):
    """Groups {c: lower(c)} into runs of equal delta and constant stride (1 or 2)."""
    runs = []
    for c in sorted(mapping):
        d = mapping[c] - c
        if runs:
            a, b, st, rd = runs[-1]
            if rd == d and ((a == b and c - b in (1, 2)) or c - b == st):
                runs[-1] = [a, c, c - b if a == b else st, d]
                continue
        runs.append([c, c, 1, d])
    assert all(mapping[c] == c + d for a, b, st, d in runs for c in range(a, b + 1, st))
    assert sum(len(range(a, b + 1, st)) for a, b, st, d in runs) == len(mapping)
    return runs


def cpp_rows(rows, per_line):
    lines = []
    for i in range(0, len(rows), per_line):
        lines.append("    " + " ".join(rows[i:i + per_line]))
    return "\n".join(lines)


def write(path, letters, numbers, spaces, lower, decompositions, ccc, compositions, graphemes):
    gcb, ext_pict, incb = graphemes
    range_rows = lambda points: cpp_rows([f"{{0x{a:X}, 0x{b:X}}}," for a, b in ranges(points)], 6)
    single_lower = {c: ord(s) for c, s in lower.items() if len(s) == 1}
    multi_lower = {c: s for c, s in lower.items() if len(s) != 1}
    assert multi_lower == {0x130: "i\u0307"}, multi_lower  # U+0130 -> i + combining dot above
    ccc_ranges = value_ranges(ccc)
    syllables = {c for c, v in gcb.items() if GCB_VALUES[v] in ("LV", "LVT")}
    assert syllables == set(range(HANGUL_FIRST, HANGUL_LAST + 1))
    assert all((GCB_VALUES[gcb[c]] == "LV") == ((c - HANGUL_FIRST) % 28 == 0) for c in syllables)
    syllables_out = {c: v for c, v in gcb.items() if c not in syllables}
    pool, decomp_rows = [], []
    for c in sorted(decompositions):
        decomp_rows.append(f"{{0x{c:X}, {len(pool)}, {len(decompositions[c])}}},")
        pool += decompositions[c]
    assert len(pool) < 65536  # Decomposition::offset is 16-bit
    text = f"""// Generated by tests/reference/make_unicode_tables.py from tokenizers {tokenizers.__version__}
// (the library transformers' CLIPTokenizer/T5Tokenizer run on). Do not edit; regenerate.
// Included once, by unicode_classes.cpp.

// \\p{{L}} as Oniguruma matches it in CLIPTokenizer's pre-tokenizer regex.
constexpr CodepointRange kLetterRanges[] = {{
{range_rows(letters)}
}};

// \\p{{N}} (same regex).
constexpr CodepointRange kNumberRanges[] = {{
{range_rows(numbers)}
}};

// White_Space: Oniguruma's \\s and Rust's char::is_whitespace (checked equal).
constexpr CodepointRange kWhiteSpaceRanges[] = {{
{range_rows(spaces)}
}};

// tokenizers' Lowercase, code point by code point (U+0130 maps to two code points, in code):
// {{first, last, stride, delta}}: c in [first, last] with (c - first) % stride == 0 maps to c + delta.
constexpr LowercaseRun kLowercase[] = {{
{cpp_rows([f"{{0x{a:X}, 0x{b:X}, {st}, {d}}}," for a, b, st, d in lower_runs(single_lower)], 5)}
}};

// Canonical combining classes the reference's NFD knows: {{first, last, class}}.
constexpr CombiningClassRange kCombiningClasses[] = {{
{cpp_rows([f"{{0x{a:X}, 0x{b:X}, {k}}}," for a, b, k in ccc_ranges], 5)}
}};

// Full canonical decompositions (Hangul syllables excluded): {{code point, offset, length}}
// into kDecompositionPool.
constexpr Decomposition kDecompositions[] = {{
{cpp_rows(decomp_rows, 7)}
}};

constexpr char32_t kDecompositionPool[] = {{
{cpp_rows([f"0x{c:X}," for c in pool], 14)}
}};

// Primary composites (Hangul excluded): {{first, second, composite}}, sorted by (first, second).
constexpr Composition kCompositions[] = {{
{cpp_rows([f"{{0x{a:X}, 0x{b:X}, 0x{c:X}}}," for (a, b), c in sorted(compositions.items())], 4)}
}};

// Grapheme_Cluster_Break (UAX #29) other than Other, and other than LV/LVT (the Hangul syllables,
// told apart by arithmetic): {{first, last, GraphemeBreak}}.
constexpr GraphemeBreakRange kGraphemeBreaks[] = {{
{cpp_rows([f"{{0x{a:X}, 0x{b:X}, GraphemeBreak::k{GCB_VALUES[v].replace('_', '')}}}," for a, b, v in value_ranges(syllables_out)], 3)}
}};

// Extended_Pictographic.
constexpr CodepointRange kExtendedPictographic[] = {{
{range_rows(ext_pict)}
}};

// Indic_Conjunct_Break other than None: {{first, last, IndicConjunctBreak}}.
constexpr IndicConjunctBreakRange kIndicConjunctBreaks[] = {{
{cpp_rows([f"{{0x{a:X}, 0x{b:X}, IndicConjunctBreak::k{INCB_VALUES[v]}}}," for a, b, v in value_ranges(incb)], 3)}
}};
"""
    Path(path).write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the .inc file to write")
    args = parser.parse_args()
    letters, numbers, spaces, lower, decompositions, ccc, compositions, graphemes = measure()
    n = verify(Model(decompositions, ccc, compositions), decompositions)
    print(f"L {len(letters)}, N {len(numbers)}, White_Space {len(spaces)}, lowercase maps {len(lower)}, "
          f"decompositions {len(decompositions)}, non-starters {len(ccc)}, compositions {len(compositions)}, "
          f"grapheme breaks {len(graphemes[0])}, ExtPict {len(graphemes[1])}, InCB {len(graphemes[2])}; "
          f"NFC model checked on {n} strings (regex {regex.__version__})", file=sys.stderr)
    write(args.out, letters, numbers, spaces, lower, decompositions, ccc, compositions, graphemes)


if __name__ == "__main__":
    main()
