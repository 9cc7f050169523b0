"""Sound for the sync corpus (scripts/sync_corpus.py): espeak-ng speech with its true extents,
noise and music-like beds, WAV I/O and resampling. Deterministic given the generators passed in."""

import hashlib
import os
import subprocess
import wave

import numpy as np

SR = 48000
ESPEAK_SR = 22050
BEDS = ("white", "pink", "brown", "music")
SNRS = (0, 5, 10, 15, 20)

# Speakers vary by language, accent, espeak variant (formant sets, the Klatt synthesiser; no
# whisper), speed (-s, words per minute) and pitch (-p): the aligner must not tune to one voice.
LANGUAGES = {
    "en": ("en", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-us-nyc"),
    "de": ("de",),
    "fr": ("fr",),
    "es": ("es",),
}
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt",
            "klatt2", "klatt3", "klatt4", "croak", "grandma", "grandpa", "Andy", "annie", "ed")

WORDS = {
    "en": """the a we you they it this that there here never always maybe really
        house river window morning evening train station letter doctor garden market city
        water coffee money people family friend brother sister mother father captain
        went saw told said found kept brought left waited called opened closed lost
        quickly slowly quietly tonight tomorrow yesterday again already still only
        green cold old new small large strange broken empty bright dark heavy
        about before after under over through between without against behind""".split(),
    "de": """der die das wir ihr sie es dies dort hier nie immer vielleicht wirklich
        Haus Fluss Fenster Morgen Abend Zug Bahnhof Brief Arzt Garten Markt Stadt
        Wasser Kaffee Geld Leute Familie Freund Bruder Schwester Mutter Vater
        ging sah sagte fand brachte wartete rief öffnete schloss verlor
        schnell langsam leise heute morgen gestern wieder schon noch nur
        grün kalt alt neu klein groß seltsam leer hell dunkel schwer
        über vor nach unter durch zwischen ohne gegen hinter""".split(),
    "fr": """le la les nous vous ils elle ceci cela ici jamais toujours peut-être vraiment
        maison rivière fenêtre matin soir train gare lettre médecin jardin marché ville
        eau café argent gens famille ami frère sœur mère père capitaine
        allait voyait disait trouvait gardait apportait attendait appelait ouvrait
        vite lentement doucement ce soir demain hier encore déjà seulement
        vert froid vieux nouveau petit grand étrange vide clair sombre lourd
        avant après sous sur entre sans contre derrière""".split(),
    "es": """el la los nosotros ustedes ellos esto eso aquí allí nunca siempre quizás realmente
        casa río ventana mañana tarde tren estación carta médico jardín mercado ciudad
        agua café dinero gente familia amigo hermano hermana madre padre capitán
        fue vio dijo encontró guardó trajo esperó llamó abrió cerró perdió
        rápido despacio tranquilo esta noche ayer otra vez todavía solo
        verde frío viejo nuevo pequeño grande extraño vacío claro oscuro pesado
        antes después bajo sobre entre sin contra detrás""".split(),
}

# ---------------------------------------------------------------------------------------------
# Audio helpers


def read_wav(path):
    with wave.open(path, "rb") as w:
        n = w.getnframes()
        ch = w.getnchannels()
        data = np.frombuffer(w.readframes(n), dtype="<i2").astype(np.float32) / 32768.0
        return data.reshape(-1, ch).mean(axis=1), w.getframerate()


def write_wav(path, samples, sr=SR):
    """samples: float array, shape (n,) or (n, channels), in [-1, 1]."""
    x = np.asarray(samples)
    ch = 1 if x.ndim == 1 else x.shape[1]
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(ch)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def resample(x, sr_in, sr_out, tmp):
    """Linear-phase resampling by sox (no delay: truth times stay valid)."""
    src, dst = os.path.join(tmp, "rs_in.wav"), os.path.join(tmp, "rs_out.wav")
    # Headroom: the resampler overshoots on transients.
    scale = float(np.abs(x).max()) / 0.5 + 1e-9
    write_wav(src, x / scale, sr_in)
    subprocess.run(["sox", "-q", "-D", src, "-r", str(sr_out), dst, "rate", "-v"], check=True)
    y, _ = read_wav(dst)
    return y * scale


def shaped_noise(rng, n, exponent):
    """Gaussian noise with power spectrum ∝ 1/f^exponent (0 white, 1 pink, 2 brown)."""
    white = rng.standard_normal(n).astype(np.float64)
    if exponent == 0:
        return white.astype(np.float32)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n, 1.0 / SR)
    f[0] = f[1]
    gain = 1.0 / np.power(np.maximum(f, 20.0), exponent / 2.0)
    out = np.fft.irfft(spec * gain, n)
    return (out / out.std()).astype(np.float32)


def music(rng, n):
    """Music-like bed: chords of harmonic tones with envelopes, a bass line, an arpeggio and
    hi-hat clicks, the kind of tonal material that makes speech detectors fire."""
    t_total = n / SR
    out = np.zeros(n, dtype=np.float32)
    key = rng.uniform(110.0, 220.0)
    degrees = [0, 5, 7, 3, 8, 10, 2]
    tempo = rng.uniform(70, 140)
    beat = 60.0 / tempo
    t = 0.0
    while t < t_total:
        root = key * 2 ** (degrees[int(rng.integers(len(degrees)))] / 12.0)
        minor = rng.random() < 0.5
        chord = [root, root * 2 ** ((3 if minor else 4) / 12.0), root * 2 ** (7 / 12.0)]
        if rng.random() < 0.4:
            chord.append(root * 2 ** (10 / 12.0))
        length = beat * int(rng.choice([2, 4, 4, 8]))
        a, b = int(t * SR), min(n, int((t + length) * SR))
        if b <= a:
            break
        tt = np.arange(b - a, dtype=np.float32) / SR
        env = np.minimum(1.0, tt / 0.05) * np.exp(-tt / (length * 1.5))
        seg = np.zeros(b - a, dtype=np.float32)
        for f0 in chord:
            for k in range(1, 5):
                seg += np.sin(2 * np.pi * f0 * k * tt + rng.uniform(0, 6.28)) / (k * k)
        seg += 0.8 * np.sin(2 * np.pi * root / 2 * tt)  # bass
        # Arpeggio: short plucked notes on every half beat.
        step = beat / 2
        for j in range(int(length / step)):
            p0 = int(j * step * SR)
            p1 = min(b - a, p0 + int(step * SR))
            if p1 <= p0:
                break
            tp = np.arange(p1 - p0, dtype=np.float32) / SR
            f0 = chord[j % len(chord)] * 2
            seg[p0:p1] += 0.5 * np.sin(2 * np.pi * f0 * tp) * np.exp(-tp / 0.12)
            if rng.random() < 0.7:  # hi-hat
                h = min(p1 - p0, int(0.03 * SR))
                seg[p0:p0 + h] += 0.3 * rng.standard_normal(h) * np.exp(-np.arange(h) / (0.008 * SR))
        out[a:b] += seg * env
        t += length
    return out / (out.std() + 1e-9)


def bed(rng, kind, n):
    if kind == "music":
        return music(rng, n)
    return shaped_noise(rng, n, {"white": 0, "pink": 1, "brown": 2}[kind])


# ---------------------------------------------------------------------------------------------
# Speech


def sentence(rng, lang):
    words = WORDS[lang]
    n = rng.randint(3, 13)
    s = " ".join(rng.choice(words) for _ in range(n))
    end = rng.choice([".", ".", ".", "?", "!"])
    return s[0].upper() + s[1:] + end


def synth(text, speaker, tmp):
    """espeak-ng at its own rate; returns float samples at ESPEAK_SR."""
    path = os.path.join(tmp, "utt.wav")
    subprocess.run(["espeak-ng", "-v", speaker["voice"], "-s", str(speaker["speed"]),
                    "-p", str(speaker["pitch"]), "-w", path, text], check=True)
    x, sr = read_wav(path)
    assert sr == ESPEAK_SR, sr
    return x


def speech_extent(x, sr):
    """First and last sample of the speech in a synthesised utterance: 5 ms frames whose RMS is
    within 40 dB of the loudest frame (espeak pads with silence on both sides)."""
    hop = int(sr * 0.005)
    n = len(x) // hop
    rms = np.sqrt((x[: n * hop].reshape(n, hop) ** 2).mean(axis=1) + 1e-12)
    thr = rms.max() * 10 ** (-40 / 20)
    on = np.nonzero(rms > thr)[0]
    if len(on) == 0:
        return None
    a, b = on[0] * hop, (on[-1] + 1) * hop
    amp = thr * 0.5
    seg = np.nonzero(np.abs(x[a:b]) > amp)[0]
    if len(seg):
        a, b = a + seg[0], a + seg[-1] + 1
    return a, b


def make_speakers(rng, lang, count):
    out = []
    for _ in range(count):
        out.append({
            "voice": f"{rng.choice(LANGUAGES[lang])}+{rng.choice(VARIANTS)}",
            "speed": rng.randint(125, 215),
            "pitch": rng.randint(20, 80),
        })
    return out


def hash_int(s):
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "little")


def mix(speech, bed_audio, stereo):
    m = speech + bed_audio
    if stereo:
        m = np.stack([m, 0.9 * speech + bed_audio], axis=1)
    peak = float(np.abs(m).max())
    if peak > 0.98:
        m = m * (0.98 / peak)
    return m
