"""Checks outtake's EDL import, exported as OTIO, against the reference adapter's reading of
the same EDL, with the reference's `is_equivalent_to` (names, ranges, transitions, effects,
markers, metadata: everything): `edl_equiv.py RATE:IGNORE_MISMATCH:EDL:OTIO ...`. Prints `ok` or `DIFF` (with the
first differing line of both serializations) per file; exits 1 if any differ.
"""
import difflib
import sys

import opentimelineio as otio


def without_kept_m2(timeline):
    """outtake keeps the M2 lines the adapter ignores as `cmx_3600` comments (nothing of the EDL
    is lost); the adapter drops them. That is the one difference allowed."""
    for clip in timeline.find_clips():
        cmx = clip.metadata.get("cmx_3600")
        if cmx is None or "comments" not in cmx:
            continue
        kept = [c for c in cmx["comments"] if not str(c).startswith("M2 ")]
        if kept:
            cmx["comments"] = kept
        else:
            del cmx["comments"]
            if len(cmx) == 0:
                del clip.metadata["cmx_3600"]
    return timeline


def main(args):
    bad = 0
    for arg in args:
        rate, ignore, edl, ours = arg.split(":", 3)
        theirs = otio.adapters.read_from_file(edl, rate=float(rate), ignore_timecode_mismatch=ignore == "1")
        mine = without_kept_m2(otio.adapters.read_from_file(ours))
        if mine.is_equivalent_to(theirs):
            print("ok", edl)
            continue
        # OTIO's own JSON reader drops the last bit of some 17-digit floats (it reads its own
        # 1.9833333333333334 back as 1.9833333333333336): compare with the adapter's result
        # after the same trip through OTIO JSON that outtake's file made.
        theirs = otio.adapters.read_from_string(otio.adapters.write_to_string(theirs), "otio_json")
        if mine.is_equivalent_to(theirs):
            print("ok (after an OTIO JSON round trip)", edl)
            continue
        bad += 1
        a = otio.adapters.write_to_string(theirs).splitlines()
        b = otio.adapters.write_to_string(mine).splitlines()
        diff = [l for l in difflib.unified_diff(a, b, "adapter", "outtake", n=2, lineterm="")][:14]
        print("DIFF", edl, "\n" + "\n".join(diff))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
