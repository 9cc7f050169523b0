"""Reads CMX 3600 EDLs with the reference adapter (otio-cmx3600-adapter) and prints, as one JSON
object keyed by argument, a summary that tests/remix_edl.rs compares with outtake's import:
tracks (name, kind, source range) and their items (clips: name, source range, media, speed;
gaps; transitions: name, type, offsets), or the error the adapter raised.

Usage: edl_summary.py RATE:IGNORE_MISMATCH:PATH ...   (IGNORE_MISMATCH is 0 or 1)
"""
import json
import sys

import opentimelineio as otio


def rt(t):
    return [t.value, t.rate]


def rng(r):
    return None if r is None else rt(r.start_time) + rt(r.duration)


def item(x):
    if isinstance(x, otio.schema.Transition):
        return {"schema": "Transition", "name": x.name, "type": x.transition_type,
                "in": rt(x.in_offset), "out": rt(x.out_offset)}
    if isinstance(x, otio.schema.Gap):
        return {"schema": "Gap", "range": rng(x.source_range)}
    ref = x.media_reference
    media = getattr(ref, "target_url", None) or getattr(ref, "generator_kind", None)
    if isinstance(ref, otio.schema.ImageSequenceReference):
        media = ref.abstract_target_url("#")
    speed = None
    for e in x.effects:
        if isinstance(e, otio.schema.FreezeFrame):
            speed = 0.0
        elif isinstance(e, otio.schema.LinearTimeWarp):
            speed = e.time_scalar
    return {"schema": "Clip", "name": x.name, "range": rng(x.source_range), "media": media,
            "speed": speed, "markers": [m.name for m in x.markers]}


def main(args):
    out = {}
    for arg in args:
        rate, ignore, path = arg.split(":", 2)
        try:
            t = otio.adapters.read_from_file(path, rate=float(rate),
                                             ignore_timecode_mismatch=ignore == "1")
            out[arg] = {"ok": {"name": t.name, "tracks": [
                {"name": tr.name, "kind": tr.kind, "range": rng(tr.source_range),
                 "items": [item(x) for x in tr]} for tr in t.tracks]}}
        except Exception as e:  # noqa: BLE001 - the error itself is the result
            out[arg] = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
