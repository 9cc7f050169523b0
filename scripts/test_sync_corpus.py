#!/usr/bin/env python3
"""Checks scripts/sync_corpus.py (and sync_audio.py) on a small corpus: every desync kind present, each input related to
its truth as its meta.json says, truth cue starts on speech onsets, same seed → same bytes.

    python3 scripts/test_sync_corpus.py     (a few minutes: two small corpora, no MP4, no VAD grid)
"""

import filecmp
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(out):
    subprocess.run([sys.executable, os.path.join(HERE, "sync_corpus.py"), "--seed", "7", "--out", out,
                    "--small", "--no-mp4", "--no-vad"], check=True, stdout=subprocess.DEVNULL)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def starts(path):
    text = read(path)
    out = []
    for h, m, s, ms in re.findall(r"(\d+):(\d+):(\d+),(\d+) -->", text):
        out.append(int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000)
    return np.array(out)


class SyncCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = os.path.join(cls.tmp.name, "a")
        cls.b = os.path.join(cls.tmp.name, "b")
        generate(cls.a)
        generate(cls.b)
        cls.index = json.loads(read(os.path.join(cls.a, "index.json")))["cases"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def case(self, c):
        d = os.path.join(self.a, c["case"])
        return starts(os.path.join(d, "truth.srt")), starts(os.path.join(d, "input.srt"))

    def test_every_kind(self):
        kinds = {c["kind"] for c in self.index}
        self.assertEqual(kinds, {"offset", "ratio", "splits", "jitter", "in_sync", "other_programme"})
        for c in self.index:
            self.assertEqual(c["expect_abstain"], c["kind"] == "other_programme")

    def test_inputs_follow_their_params(self):
        ms = 0.0015  # SRT rounding on both sides
        for c in self.index:
            truth, inp = self.case(c)
            self.assertEqual(len(truth), len(inp), c["case"])
            p = c["params"]
            if c["kind"] == "offset":
                # Captions late: input = truth + offset; early: the audio got a lead-in.
                np.testing.assert_allclose(inp - truth, p["offset"], atol=ms)
            elif c["kind"] == "ratio":
                np.testing.assert_allclose(inp, truth * p["ratio"] + p["offset"], atol=0.002)
                self.assertNotAlmostEqual(p["ratio"], 1.0, places=4)
            elif c["kind"] == "splits":
                d = truth - (inp - p["offset"])
                jumps = sorted(j for j in np.diff(d) if abs(j) > 0.01)
                expected = sorted(s["length"] * (1 if s["type"] == "inserted" else -1)
                                  for s in p["splits"])
                self.assertGreaterEqual(len(expected), 1)
                np.testing.assert_allclose(jumps, expected, atol=0.003, err_msg=c["case"])
            elif c["kind"] == "jitter":
                r = inp - truth - p["offset"]
                self.assertLess(abs(r.mean()), 0.15)
                self.assertTrue(0.03 < r.std() < 0.3, r.std())
            elif c["kind"] in ("in_sync", "other_programme"):
                np.testing.assert_allclose(inp, truth, atol=0)

    def test_truth_starts_on_speech(self):
        # The programme audio at its highest SNR: energy rises where each dialogue cue starts.
        progs = {}
        for c in self.index:
            progs.setdefault(c["programme"], c)
        c = max(progs.values(), key=lambda c: c["snr_db"])
        prog = json.loads(read(os.path.join(self.a, "programmes", c["programme"],
                                         "programme.json")))
        with wave.open(os.path.join(self.a, "programmes", c["programme"], "audio.wav")) as w:
            sr = w.getframerate()
            x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(float)
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
        rises = 0
        cues = [q for q in prog["cues"] if q["dialogue"]]
        for q in cues:
            a = int(q["start"] * sr)
            before = np.mean(x[a - int(0.06 * sr):a - int(0.01 * sr)] ** 2)
            after = np.mean(x[a:a + int(0.05 * sr)] ** 2)
            rises += after > 2 * before
        self.assertGreaterEqual(rises, 0.8 * len(cues))

    def test_same_seed_same_bytes(self):
        cmp = filecmp.dircmp(self.a, self.b)

        def same(d):
            self.assertFalse(d.left_only or d.right_only or d.diff_files or d.funny_files,
                             (d.left, d.left_only, d.right_only, d.diff_files))
            for sub in d.subdirs.values():
                same(sub)

        # dircmp compares by stat unless told otherwise: compare contents.
        for root, _, files in os.walk(self.a):
            for f in files:
                p = os.path.join(root, f)
                q = os.path.join(self.b, os.path.relpath(p, self.a))
                self.assertTrue(filecmp.cmp(p, q, shallow=False), p)
        same(cmp)


if __name__ == "__main__":
    unittest.main()
