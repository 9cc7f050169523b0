"""Checks OTIO files exported by outtake against their originals with the reference
implementation (opentimelineio 0.18.1): `otio_equiv.py EXPORT ORIGINAL [EXPORT ORIGINAL ...]`.

Prints one line per pair (`ok`, `DIFF` or `FAIL`) and exits 1 when any pair is not equivalent.
Originals that 0.18.1 cannot read (newer `Marker.3` schema with a `Color.1` object) are first
downgraded here, by a plain JSON rewrite independent of outtake's: `Marker.3` -> `Marker.2`
with the colour's name (upper case), so the comparison covers everything else unchanged.
"""
import json
import sys

import opentimelineio as otio


def downgrade(node):
    if isinstance(node, dict):
        if node.get("OTIO_SCHEMA") == "Marker.3":
            node["OTIO_SCHEMA"] = "Marker.2"
            color = node.get("color")
            if isinstance(color, dict):
                node["color"] = str(color.get("name") or "RED").upper()
        for v in node.values():
            downgrade(v)
    elif isinstance(node, list):
        for v in node:
            downgrade(v)


def read_original(path):
    try:
        return otio.adapters.read_from_file(path)
    except Exception:
        with open(path) as f:
            text = f.read()
        doc = json.loads(text)
        downgrade(doc)
        return otio.adapters.read_from_string(json.dumps(doc), "otio_json")


def main(args):
    bad = 0
    for export, original in zip(args[0::2], args[1::2]):
        try:
            a = otio.adapters.read_from_file(export)
            b = read_original(original)
            if a.is_equivalent_to(b):
                print("ok", original)
            elif otio.adapters.write_to_string(a) == otio.adapters.write_to_string(b):
                # NaN metadata (big_int.otio) makes is_equivalent_to false even for a file
                # and itself; the reference's own serialization is then the comparison.
                print("ok (same serialization)", original)
            else:
                bad += 1
                print("DIFF", original)
        except Exception as e:  # noqa: BLE001 - report every failure, keep going
            bad += 1
            print("FAIL", original, type(e).__name__, e)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
