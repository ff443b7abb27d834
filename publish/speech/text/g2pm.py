"""g2pM's polyphone model (Park & Lee 2020, trained on CPP), run batched and in float32.

The weights come from the `g2pM` wheel (Apache-2.0; it ships them, nothing is downloaded).
The package's own code runs one sentence at a time (about 17k Han characters/s); this is
the same BiLSTM and the same maths, reorganised for speed: the input projection is looked
up per character, both directions run as one block-diagonal matrix product, many sentences
go through together, and the output layer is evaluated only at the polyphones asked for,
over that character's own readings.
"""

from __future__ import annotations

import importlib.util
import pickle
import unicodedata
from pathlib import Path

import numpy as np

from ...errors import SpeechError


def _weights_folder() -> Path:
    """The installed g2pM package folder, found without importing it (its import is slow)."""
    spec = importlib.util.find_spec("g2pM")
    if spec is None or not spec.submodule_search_locations:
        raise SpeechError("the g2pM package (its model weights) is not installed: pip install g2pM")
    return Path(next(iter(spec.submodule_search_locations)))


class PolyphoneModel:
    """Readings of polyphonic characters in context, with the model's confidence."""

    def __init__(self) -> None:
        folder = _weights_folder()

        def load(name: str):
            with (folder / name).open("rb") as handle:
                return pickle.load(handle)  # the wheel's own data files

        cedict = load("digest_cedict.pkl")
        self.char2idx: dict[str, int] = load("char2idx.pkl")
        class2idx = {c.replace("u:", "v"): i for c, i in load("class2idx.pkl").items()}
        self.idx2class = {i: c for c, i in class2idx.items()}
        weights = load("np_ckpt.pkl")
        embedding = weights["embedding.weight"].astype(np.float32)
        self.hidden = hidden = weights["lstm.weight_hh_l0"].shape[1]

        def inputs(suffix: str) -> np.ndarray:
            w = weights[f"lstm.weight_ih_l0{suffix}"]
            return (embedding @ w.T + weights[f"lstm.bias_ih_l0{suffix}"] + weights[f"lstm.bias_hh_l0{suffix}"]).astype(
                np.float32
            )

        self.forward_in, self.backward_in = inputs(""), inputs("_reverse")
        # gates i f g o per direction, interleaved [i_f i_b | f_f f_b | g_f g_b | o_f o_b]
        wf, wb = weights["lstm.weight_hh_l0"].T, weights["lstm.weight_hh_l0_reverse"].T
        recurrent = np.zeros((2 * hidden, 8 * hidden), np.float32)
        for k in range(4):
            recurrent[:hidden, 2 * k * hidden : (2 * k + 1) * hidden] = wf[:, k * hidden : (k + 1) * hidden]
            recurrent[hidden:, (2 * k + 1) * hidden : (2 * k + 2) * hidden] = wb[:, k * hidden : (k + 1) * hidden]
        self.recurrent = recurrent
        self.w0 = weights["logit_layer.0.weight"].T.astype(np.float32)
        self.b0 = weights["logit_layer.0.bias"].astype(np.float32)
        self.w1t = np.ascontiguousarray(weights["logit_layer.2.weight"].astype(np.float32))  # [classes, d]
        self.b1 = weights["logit_layer.2.bias"].astype(np.float32)
        self.unknown, self.begin, self.end = self.char2idx["<UNK>"], self.char2idx["시"], self.char2idx["끝"]
        candidates = {}
        for char, readings in cedict.items():
            ids = [class2idx[r.replace("u:", "v")] for r in readings if r.replace("u:", "v") in class2idx]
            # only Han: the model's dictionary also lists □ (a placeholder its training text used)
            if len(readings) > 1 and ids and unicodedata.name(char, "").startswith(("CJK", "IDEOGRAPHIC")):
                candidates[char] = ids
        width = max(len(ids) for ids in candidates.values())
        self.row = {char: n for n, char in enumerate(candidates, 1)}
        self.table = np.array([[-1] * width] + [ids + [-1] * (width - len(ids)) for ids in candidates.values()])

    @property
    def characters(self) -> frozenset[str]:
        """Every character the model scores."""
        return frozenset(self.row)

    def knows(self, char: str) -> bool:
        """Whether the model scores this character (a polyphone in its dictionary)."""
        return char in self.row

    def predict(self, sentences: list[str], positions: list[list[int]], batch: int = 512) -> list[list[tuple[str, float]]]:
        """For each sentence, (reading, probability) at each position asked for."""
        results: list[list[tuple[str, float]]] = [[] for _ in sentences]
        order = sorted((k for k in range(len(sentences)) if positions[k]), key=lambda k: len(sentences[k]))
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            states, lengths = self._run([sentences[k] for k in chunk])
            rows, ahead, behind, chars = [], [], [], []
            for r, k in enumerate(chunk):
                for p in positions[k]:
                    rows.append(r)
                    ahead.append(p + 1)
                    behind.append(lengths[r] - 2 - p)
                    chars.append(sentences[k][p])
            h = self.hidden
            picked = np.concatenate([states[ahead, rows, :h], states[behind, rows, h:]], axis=1)
            x = np.maximum(picked @ self.w0 + self.b0, 0)
            ids = self.table[[self.row.get(c, 0) for c in chars]]
            logits = np.einsum("nd,nkd->nk", x, self.w1t[ids]) + self.b1[ids]
            logits = np.where(ids >= 0, logits, -np.inf)
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            best = e.argmax(axis=1)
            confidence = (e[np.arange(len(best)), best] / e.sum(axis=1)).tolist()
            chosen = ids[np.arange(len(best)), best].tolist()
            q = 0
            for k in chunk:
                n = len(positions[k])
                results[k] = [(self.idx2class[chosen[u]], confidence[u]) for u in range(q, q + n)]
                q += n
        return results

    def _run(self, sentences: list[str]) -> tuple[np.ndarray, list[int]]:
        """Hidden states [time, batch, 2H] of both directions (backward ones stored by the
        reversed position) and each sequence's length with its begin and end marks."""
        lengths = [len(s) + 2 for s in sentences]
        steps, count, h = max(lengths), len(sentences), self.hidden
        tokens = np.zeros((count, steps), np.int32)
        reverse = np.zeros((count, steps), np.int32)
        for r, sentence in enumerate(sentences):
            seq = [self.begin, *(self.char2idx.get(c, self.unknown) for c in sentence), self.end]
            tokens[r, : len(seq)] = seq
            reverse[r, : len(seq)] = seq[::-1]
        gf = self.forward_in[tokens].transpose(1, 0, 2)
        gb = self.backward_in[reverse].transpose(1, 0, 2)
        gates = np.empty((steps, count, 8 * h), np.float32)
        for k in range(4):
            gates[:, :, 2 * k * h : (2 * k + 1) * h] = gf[:, :, k * h : (k + 1) * h]
            gates[:, :, (2 * k + 1) * h : (2 * k + 2) * h] = gb[:, :, k * h : (k + 1) * h]
        state = np.zeros((count, 2 * h), np.float32)
        cell = np.zeros((count, 2 * h), np.float32)
        out = np.empty((steps, count, 2 * h), np.float32)
        h2 = 2 * h
        for t in range(steps):
            z = gates[t] + state @ self.recurrent
            sig = 1.0 / (1.0 + np.exp(-z[:, : 2 * h2]))
            o = 1.0 / (1.0 + np.exp(-z[:, 3 * h2 :]))
            g = np.tanh(z[:, 2 * h2 : 3 * h2])
            cell = sig[:, h2:] * cell + sig[:, :h2] * g
            state = o * np.tanh(cell)
            out[t] = state
        return out, lengths
