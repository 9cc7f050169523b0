#!/usr/bin/env python3
"""Synthetic corpus for caption synchronisation (issue #10): espeak-ng speech over noise and
music-like beds, the true cue times from the synthesis, and desynced copies of the captions.

    python3 scripts/sync_corpus.py --seed 1 --out target/sync-corpus [--small]

Deterministic from the seed (same seed, same WAVs and captions). Writes, per case,
CASE/{audio.wav,audio.mp4,truth.srt,input.srt,meta.json}, an index.json, and a VAD grid under
vad/ (one speech track mixed with every bed at every SNR, with its speech segments).
Needs espeak-ng, sox and ffmpeg on PATH, and numpy.
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np

from sync_audio import (BEDS, ESPEAK_SR, LANGUAGES, SNRS, SR, bed, hash_int, make_speakers, mix,
                        music, resample, sentence, speech_extent, synth, write_wav)

FRAME_RATES = (24000 / 1001, 24.0, 25.0, 30000 / 1001, 30.0)
FRAME_RATE_NAMES = ("23.976", "24", "25", "29.97", "30")

NON_DIALOGUE = ("♪ ♪", "[MUSIC]", "♪ (soft piano) ♪", "[door slams]", "(laughter)", "[applause]",
                "[thunder rumbles]", "(sighs)")


# ---------------------------------------------------------------------------------------------
# Programmes: a timeline of utterances and scenes without dialogue, rendered to audio


def make_programme(pid, seed, lang, bed_kind, snr, length, small, stereo, tmp):
    rng = random.Random(f"{seed}:programme:{pid}")
    nrng = np.random.default_rng(abs(hash_int(f"{seed}:bed:{pid}")))
    speakers = make_speakers(rng, lang, rng.randint(2, 4))
    n22 = int((length + 10) * ESPEAK_SR)
    speech = np.zeros(n22, dtype=np.float32)
    cues = []  # {start, end, text, dialogue}
    scenes = []  # (start, end, music) stretches without dialogue
    t = rng.uniform(0.5, 4.0)
    spk = rng.randrange(len(speakers))
    scene_every = 25.0 if small else 55.0
    next_scene = rng.uniform(scene_every * 0.5, scene_every * 1.2)
    while t < length - 3:
        if t > next_scene:
            dur = rng.uniform(4, 9) if small else rng.uniform(10, 35)
            dur = min(dur, length - t)
            with_music = rng.random() < 0.6
            scenes.append((t, t + dur, with_music))
            if rng.random() < 0.6 and dur > 4:
                s0 = t + rng.uniform(0.5, 1.5)
                cues.append({"start": s0, "end": s0 + min(dur - 1.5, rng.uniform(2, 4)),
                             "text": rng.choice(NON_DIALOGUE), "dialogue": False})
            t += dur + rng.uniform(0.3, 1.5)
            next_scene = t + rng.uniform(scene_every * 0.6, scene_every * 1.4)
            continue
        if rng.random() < 0.6:
            spk = rng.randrange(len(speakers))
        text = sentence(rng, lang)
        x = synth(text, speakers[spk], tmp)
        ext = speech_extent(x, ESPEAK_SR)
        if ext is None:
            continue
        a, b = ext
        if (b - a) / ESPEAK_SR > 7.0:
            continue
        pos = int(t * ESPEAK_SR) - a
        if pos + len(x) > n22:
            break
        speech[pos:pos + len(x)] += x
        start, end = (pos + a) / ESPEAK_SR, (pos + b) / ESPEAK_SR
        cues.append({"start": start, "end": end, "text": text, "dialogue": True,
                     "speaker": spk})
        gap = 0.12 + rng.expovariate(1 / 0.7)
        if rng.random() < 0.1:
            gap += rng.uniform(2, 5)
        t = end + gap
    length = max(length, max(c["end"] for c in cues) + rng.uniform(1, 3))
    speech = speech[: int(length * ESPEAK_SR)]
    speech48 = resample(speech, ESPEAK_SR, SR, tmp)[: int(length * SR)]
    speech48 = np.pad(speech48, (0, int(length * SR) - len(speech48)))
    # Speech level: -23 dBFS RMS over the dialogue; the bed sits SNR dB below it.
    active = np.zeros(len(speech48), dtype=bool)
    for c in cues:
        if c["dialogue"]:
            active[int(c["start"] * SR):int(c["end"] * SR)] = True
    rms = math.sqrt(float((speech48[active] ** 2).mean()))
    speech48 *= 10 ** (-23 / 20) / rms
    b = bed(nrng, bed_kind, len(speech48)) * (10 ** ((-23 - snr) / 20))
    # Scenes without dialogue often carry a score at dialogue level.
    for (s0, s1, with_music) in scenes:
        if with_music:
            a0, a1 = int(s0 * SR), int(s1 * SR)
            m = music(nrng, a1 - a0) * 10 ** (-23 / 20)
            fade = np.minimum(1.0, np.minimum(np.arange(a1 - a0), np.arange(a1 - a0)[::-1]) / (0.5 * SR))
            b[a0:a1] += m * fade
    return {
        "id": pid, "lang": lang, "bed": bed_kind, "snr_db": snr, "stereo": stereo,
        "speakers": speakers, "length": length, "cues": cues, "scenes": scenes,
        "speech": speech48, "bed_audio": b,
    }


# ---------------------------------------------------------------------------------------------
# Captions


def srt_time(t):
    ms = int(round(max(0.0, t) * 1000))
    h, ms = divmod(ms, 3600000)
    m, ms = divmod(ms, 60000)
    s, ms = divmod(ms, 1000)
    return f"{h:02}:{m:02}:{s:02},{ms:03}"


def wrap(text, width=42):
    if len(text) <= width:
        return text
    words = text.split()
    best = None
    for i in range(1, len(words)):
        a, b = " ".join(words[:i]), " ".join(words[i:])
        score = max(len(a), len(b))
        if best is None or score < best[0]:
            best = (score, a + "\n" + b)
    return best[1]


def write_srt(path, cues):
    with open(path, "w", encoding="utf-8") as f:
        for i, c in enumerate(cues, 1):
            f.write(f"{i}\n{srt_time(c['start'])} --> {srt_time(c['end'])}\n{wrap(c['text'])}\n\n")


def shifted(cues, fn):
    return [dict(c, start=fn(c["start"]), end=fn(c["end"])) for c in cues]


# ---------------------------------------------------------------------------------------------
# Desync cases


def lead_in(rng, nrng, prog, seconds):
    """Material without dialogue put before the programme (a cold open, a recap without captions)."""
    n = int(seconds * SR)
    b = bed(nrng, prog["bed"], n) * (10 ** ((-23 - prog["snr_db"]) / 20))
    if rng.random() < 0.5:
        b += music(nrng, n) * 10 ** (-26 / 20)
    return b


def insert_block(rng, nrng, prog, seconds, tmp):
    """An ad break: another bed, sometimes music, sometimes uncaptioned speech."""
    n = int(seconds * SR)
    kind = rng.choice(BEDS)
    b = bed(nrng, kind, n) * 10 ** (-33 / 20)
    if rng.random() < 0.5:
        b += music(nrng, n) * 10 ** (-25 / 20)
    if rng.random() < 0.35:
        lang = rng.choice(list(LANGUAGES))
        spk = make_speakers(rng, lang, 1)[0]
        t = 0.5
        sp = np.zeros(int(seconds * ESPEAK_SR) + 1, dtype=np.float32)
        while t < seconds - 4:
            x = synth(sentence(rng, lang), spk, tmp)
            p = int(t * ESPEAK_SR)
            if p + len(x) > len(sp):
                break
            sp[p:p + len(x)] += x
            t += len(x) / ESPEAK_SR + rng.uniform(0.2, 1.0)
        sp48 = resample(sp, ESPEAK_SR, SR, tmp)[:n]
        sp48 = np.pad(sp48, (0, n - len(sp48)))
        r = math.sqrt(float((sp48 ** 2).mean())) + 1e-9
        b += sp48 * (10 ** (-27 / 20) / r)
    return b


def splice(track, edits):
    """Apply inserts/removals (in the original timeline, sorted) to a 1-D track."""
    out, pos = [], 0
    for e in edits:
        at = int(e["at"] * SR)
        out.append(track[pos:at])
        if e["type"] == "inserted":
            out.append(e["audio"])
            pos = at
        else:
            pos = at + int(e["length"] * SR)
    out.append(track[pos:])
    return np.concatenate(out)


def map_time(t, edits):
    """Original time → edited-audio time."""
    d = 0.0
    for e in edits:
        if t >= e["at"]:
            d += e["length"] if e["type"] == "inserted" else -e["length"]
    return t + d


def plan_cases(small):
    """(kind, params-seed) list; params are drawn per case from its own generator."""
    if small:
        return ([("offset", (+1, 0, 1)), ("offset", (-1, 0, 1)), ("ratio", (2, 0)), ("ratio", (0, 4)),
                 ("splits", 1), ("splits", 3), ("jitter", 0), ("in_sync", 0),
                 ("other_programme", 0)])
    cases = []
    for i in range(16):
        cases.append(("offset", (+1 if i % 2 == 0 else -1, i // 2, 8)))
    for a in range(len(FRAME_RATES)):
        for b in range(len(FRAME_RATES)):
            if a != b:
                cases.append(("ratio", (a, b)))
    for i in range(15):
        cases.append(("splits", 1 + i % 5))
    cases += [("jitter", 0)] * 8 + [("in_sync", 0)] * 8 + [("other_programme", 0)] * 6
    return cases


def build_case(idx, kind, arg, prog, progs, seed, small, tmp):
    """Returns (meta, truth cues, input cues, audio or None when the programme's is used)."""
    rng = random.Random(f"{seed}:case:{idx}")
    nrng = np.random.default_rng(hash_int(f"{seed}:case-audio:{idx}"))
    base = prog["cues"]
    first = base[0]["start"]
    params, audio, truth, inp = {}, None, base, base
    expect_abstain = False
    if kind == "offset":
        sign, stratum, strata = arg
        hi = 15.0 if small else 120.0
        if sign > 0:
            # Captions late: keep enough of them over the audio to align at all.
            hi = min(hi, 0.45 * prog["length"])
        # Spread magnitudes over the whole range: case k of n draws from the k-th n-th of it.
        lo_l, hi_l = math.log(0.2), math.log(hi)
        w = (hi_l - lo_l) / strata
        d = math.exp(rng.uniform(lo_l + w * stratum, lo_l + w * (stratum + 1)))
        if sign > 0:
            inp = shifted(base, lambda t: t + d)
            params = {"offset": round(d, 3)}
        else:
            # Captions early: the audio has material without captions before the programme.
            audio_pre = lead_in(rng, nrng, prog, d)
            audio = ("prepend", audio_pre)
            truth = shifted(base, lambda t: t + d)
            params = {"offset": -round(d, 3)}
    elif kind == "ratio":
        a, b = arg
        r = FRAME_RATES[b] / FRAME_RATES[a]  # input time / true time
        off = rng.uniform(-3, 3) if rng.random() < 0.5 else 0.0
        off = max(off, 0.2 - first * r)
        inp = shifted(base, lambda t: t * r + off)
        params = {"from_fps": FRAME_RATE_NAMES[a], "to_fps": FRAME_RATE_NAMES[b],
                  "ratio": r, "offset": round(off, 3)}
    elif kind == "splits":
        n = arg
        edits = []
        gaps = [(base[i]["end"], base[i + 1]["start"], i) for i in range(len(base) - 1)]
        # Splits fall between cues, spread out over the programme.
        span = (base[-1]["start"] - first) / (n + 1)
        for k in range(n):
            lo, hi = first + span * (k + 0.5), first + span * (k + 1.5)
            cand = [g for g in gaps if lo <= g[0] <= hi and g[1] - g[0] > 0.25]
            if not cand:
                continue
            g = max(cand, key=lambda g: (g[1] - g[0]) * rng.uniform(0.5, 1.5))
            room = g[1] - g[0]
            if room > 1.6 and rng.random() < 0.45:
                length = rng.uniform(1.0, room - 0.5)
                at = g[0] + rng.uniform(0.2, room - length - 0.2)
                edits.append({"type": "removed", "at": at, "length": length})
            else:
                length = rng.uniform(2.0, 8.0 if small else 60.0)
                at = g[0] + rng.uniform(0.1, room - 0.1)
                edits.append({"type": "inserted", "at": at, "length": length,
                              "audio": insert_block(rng, nrng, prog, length, tmp)})
        edits.sort(key=lambda e: e["at"])
        off = rng.uniform(0.2, 8.0) if rng.random() < 0.3 else 0.0
        truth = shifted(base, lambda t: map_time(t, edits))
        inp = shifted(base, lambda t: t + off)
        audio = ("splice", edits)
        params = {"splits": [{"type": e["type"], "at": round(e["at"], 3),
                              "length": round(e["length"], 3)} for e in edits],
                  "offset": round(off, 3)}
    elif kind == "jitter":
        off = rng.choice([0.0, rng.uniform(-5, 5)])
        off = max(off, 0.5 - first)
        inp, prev = [], -1.0
        for c in base:
            j = rng.gauss(0.0, 0.12) + off
            s = max(c["start"] + j, prev + 0.05, 0.0)
            inp.append(dict(c, start=s, end=max(c["end"] + j, s + 0.3)))
            prev = s
        params = {"sigma": 0.12, "offset": round(off, 3)}
    elif kind == "in_sync":
        params = {}
    elif kind == "other_programme":
        others = [p for p in progs if p["id"] != prog["id"]]
        other = others[rng.randrange(len(others))]
        inp = [c for c in other["cues"] if c["end"] < prog["length"]]
        truth = inp
        expect_abstain = True
        params = {"captions_of": other["id"]}
    meta = {"kind": kind, "params": params, "expect_abstain": expect_abstain,
            "programme": prog["id"], "lang": prog["lang"], "bed": prog["bed"],
            "snr_db": prog["snr_db"], "stereo": prog["stereo"],
            "non_dialogue": [i for i, c in enumerate(truth) if not c["dialogue"]]}
    return meta, truth, inp, audio


# ---------------------------------------------------------------------------------------------


def encode_mp4(wav, mp4):
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", wav, "-c:a", "aac",
                    "-b:a", "128k", "-movflags", "+faststart", mp4], check=True)


def link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def vad_grid(out, seed, small, tmp):
    """One speech track in every language over every bed at every SNR, and clean: frame truth for
    comparing speech detectors (16 kHz and 48 kHz copies, mono)."""
    rng = random.Random(f"{seed}:vad")
    nrng = np.random.default_rng(hash_int(f"{seed}:vad-bed"))
    d = os.path.join(out, "vad")
    os.makedirs(d, exist_ok=True)
    length = 40.0 if small else 150.0
    n22 = int((length + 10) * ESPEAK_SR)
    speech = np.zeros(n22, dtype=np.float32)
    segs = []
    t = 1.0
    while t < length - 2:
        lang = rng.choice(list(LANGUAGES))
        spk = make_speakers(rng, lang, 1)[0]
        x = synth(sentence(rng, lang), spk, tmp)
        ext = speech_extent(x, ESPEAK_SR)
        if ext is None:
            continue
        a, b = ext
        pos = int(t * ESPEAK_SR) - a
        if pos + len(x) > n22:
            break
        speech[pos:pos + len(x)] += x / (np.sqrt((x[a:b] ** 2).mean()) + 1e-9) * 0.07
        segs.append([(pos + a) / ESPEAK_SR, (pos + b) / ESPEAK_SR])
        t = segs[-1][1] + 0.15 + rng.expovariate(1 / 1.2)
        if rng.random() < 0.08:
            t += rng.uniform(3, 8)
    length = segs[-1][1] + 1.5
    s48 = resample(speech[: int(length * ESPEAK_SR)], ESPEAK_SR, SR, tmp)
    active = np.zeros(len(s48), dtype=bool)
    for a, b in segs:
        active[int(a * SR):int(b * SR)] = True
    s48 *= 10 ** (-23 / 20) / math.sqrt(float((s48[active] ** 2).mean()))
    conds = [("clean", None)] + [(k, s) for k in BEDS for s in SNRS]
    files = []
    for kind, snr in conds:
        m = s48.copy()
        if kind != "clean":
            m += bed(nrng, kind, len(s48)) * 10 ** ((-23 - snr) / 20)
        m *= min(1.0, 0.98 / float(np.abs(m).max()))
        name = kind if snr is None else f"{kind}_{snr}"
        write_wav(os.path.join(d, f"{name}.48k.wav"), m, SR)
        write_wav(os.path.join(d, f"{name}.16k.wav"), resample(m, SR, 16000, tmp), 16000)
        files.append({"name": name, "bed": kind, "snr_db": snr})
    with open(os.path.join(d, "truth.json"), "w") as f:
        json.dump({"length": length, "speech": [[round(a, 4), round(b, 4)] for a, b in segs],
                   "files": files}, f, indent=1)


def programme_job(job):
    """One programme, synthesised and mixed, its audio.wav written (in a worker process)."""
    pid, seed, lang, kind, snr, length, small, stereo, out, tmp = job
    tmp = os.path.join(tmp, pid)
    os.makedirs(tmp)
    p = make_programme(pid, seed, lang, kind, snr, length, small, stereo, tmp)
    pdir = os.path.join(out, "programmes", pid)
    os.makedirs(pdir)
    write_wav(os.path.join(pdir, "audio.wav"), mix(p["speech"], p["bed_audio"], p["stereo"]))
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--small", action="store_true", help="30–60 s programmes, one case per kind")
    ap.add_argument("--no-vad", action="store_true", help="skip the VAD grid")
    ap.add_argument("--no-mp4", action="store_true", help="skip the AAC/MP4 copies")
    args = ap.parse_args()
    for tool in ("espeak-ng", "sox", "ffmpeg"):
        if not shutil.which(tool):
            sys.exit(f"sync_corpus: {tool} not found (bash scripts/setup.sh --test installs it)")
    out = args.out
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    tmp = tempfile.mkdtemp(prefix="sync-corpus-")
    rng = random.Random(f"{args.seed}:corpus")
    langs = ["en", "de", "en", "fr", "en", "es"]
    n_prog = 3 if args.small else 10
    jobs = []
    for i in range(n_prog):
        length = rng.uniform(30, 60) if args.small else rng.uniform(180, 300)
        kind = BEDS[i % len(BEDS)]
        # Every SNR equally often, and each bed at several of them.
        snr = SNRS[(i * 3) % len(SNRS)]
        jobs.append((f"p{i}", args.seed, langs[i % len(langs)], kind, snr, length, args.small,
                     i % 3 == 2, out, tmp))
    # Programmes draw from their own seeds, so building them in parallel changes no byte.
    progs = []
    with ProcessPoolExecutor(max_workers=2) as procs:
        for p in procs.map(programme_job, jobs):
            progs.append(p)
            print(f"sync_corpus: programme {p['id']} {p['lang']} {p['bed']} {p['snr_db']} dB "
                  f"{p['length']:.0f} s, {len(p['cues'])} cues", flush=True)
    pool = ThreadPoolExecutor(max_workers=2)
    jobs, links = [], []
    if not args.no_mp4:
        for p in progs:
            pdir = os.path.join(out, "programmes", p["id"])
            jobs.append(pool.submit(encode_mp4, os.path.join(pdir, "audio.wav"),
                                    os.path.join(pdir, "audio.mp4")))
    index = []
    for idx, (kind, arg) in enumerate(plan_cases(args.small)):
        prog = progs[idx % len(progs)]
        meta, truth, inp, audio = build_case(idx, kind, arg, prog, progs, args.seed, args.small,
                                             tmp)
        name = f"{idx:03}-{kind}"
        cdir = os.path.join(out, name)
        os.makedirs(cdir)
        pdir = os.path.join(out, "programmes", prog["id"])
        if audio is None:
            link_or_copy(os.path.join(pdir, "audio.wav"), os.path.join(cdir, "audio.wav"))
            if not args.no_mp4:
                links.append((os.path.join(pdir, "audio.mp4"), os.path.join(cdir, "audio.mp4")))
        else:
            how, what = audio
            if how == "prepend":
                sp = np.concatenate([np.zeros(len(what), dtype=np.float32), prog["speech"]])
                bd = np.concatenate([what, prog["bed_audio"]])
            else:
                sp = splice(prog["speech"], [dict(e, audio=np.zeros_like(e["audio"]))
                                             if e["type"] == "inserted" else e for e in what])
                bd = splice(prog["bed_audio"], what)
            wav = os.path.join(cdir, "audio.wav")
            write_wav(wav, mix(sp, bd, prog["stereo"]))
            if not args.no_mp4:
                jobs.append(pool.submit(encode_mp4, wav, os.path.join(cdir, "audio.mp4")))
        write_srt(os.path.join(cdir, "truth.srt"), truth)
        write_srt(os.path.join(cdir, "input.srt"), inp)
        with open(os.path.join(cdir, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1, ensure_ascii=False)
        index.append({"case": name, **meta})
    for p in progs:
        with open(os.path.join(out, "programmes", p["id"], "programme.json"), "w") as f:
            json.dump({k: p[k] for k in ("id", "lang", "bed", "snr_db", "stereo", "speakers",
                                         "length", "cues", "scenes")}, f, indent=1,
                      ensure_ascii=False)
    if not args.no_vad:
        vad_grid(out, args.seed, args.small, tmp)
    for j in jobs:
        j.result()
    pool.shutdown()
    for src, dst in links:
        link_or_copy(src, dst)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"seed": args.seed, "small": args.small, "cases": index}, f, indent=1,
                  ensure_ascii=False)
    shutil.rmtree(tmp)
    print(f"sync_corpus: {len(index)} cases in {out}")


if __name__ == "__main__":
    main()
