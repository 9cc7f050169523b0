//! `outtake remix …` end to end, in process: outputs, written files and exit statuses.

mod common;

use outtake::remix::{import_otio, Chain};

fn run(args: &[&str]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status =
        outtake::cli::main(args.iter().map(|s| s.to_string()).collect(), &mut out, &mut err);
    (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

fn tmp(name: &str) -> String {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name).display().to_string()
}

#[test]
fn diff_convert_merge_blame() {
    let (Some(a), Some(b), Some(edl)) = (
        common::shared("open-content/ElFuente_4096x2160_60fps_10bit_420.otio"),
        common::shared("open-content/ElFuente_4096x2160_60fps_10bit_420_remix1.otio"),
        common::shared("cmx3600/25fps.edl"),
    ) else {
        return;
    };
    let (a, b, edl) = (a.display().to_string(), b.display().to_string(), edl.display().to_string());
    let (st, out, _) = run(&["remix", "diff", &a, &b]);
    assert_eq!(st, 0);
    assert!(out.contains("'Tango' lost 50 frames at its head"), "{out}");
    let (st, out, _) = run(&["remix", "diff", &a, &b, "--json"]);
    assert_eq!(st, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["changes"].as_array().unwrap().len(), 13); // 8 trims, 4 dissolves, 1 track

    // EDL conversion: needs its rate; errors are one line with a code and a non-zero status.
    let dest = tmp("25fps.otio");
    let (st, _, err) = run(&["remix", "convert", &edl, "-o", &dest]);
    assert_eq!(st, 1);
    assert!(
        err.starts_with("outtake: ERR_EDL: ")
            && err.contains("line 13")
            && err.lines().count() == 1,
        "{err}"
    );
    let (st, _, err) =
        run(&["remix", "convert", &edl, "--rate", "25", "-o", &dest, "--target", "0.18"]);
    assert_eq!(st, 0, "{err}");
    assert_eq!(
        import_otio(&std::fs::read_to_string(&dest).unwrap())
            .unwrap()
            .track_list()
            .next()
            .unwrap()
            .children
            .len(),
        4
    );
    let p = dest.clone();
    common::python("otio_equiv.py", &[p.clone(), p]);

    // Merge of the original with itself and the remix: no conflicts.
    let merged = tmp("merged.otio");
    let (st, out, err) = run(&["remix", "merge", &a, &a, &b, "-o", &merged]);
    assert_eq!(st, 0, "{out}{err}");
    let (st, out, _) = run(&["remix", "diff", &b, &merged]);
    assert_eq!((st, out.as_str()), (0, "no changes\n"));

    // Blame over a chain file.
    let mut chain = Chain::new();
    let ta = import_otio(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let tb = import_otio(&std::fs::read_to_string(&b).unwrap()).unwrap();
    let r = chain.add(&[], "ana", "2026-01-01", "cut", ta).unwrap();
    let n = chain.add(&[&r], "ben", "2026-01-02", "remix", tb).unwrap();
    let cf = tmp("chain.json");
    std::fs::write(&cf, chain.to_json().unwrap()).unwrap();
    let (st, out, err) = run(&["remix", "blame", &cf, &n[..10]]);
    assert_eq!(st, 0, "{err}");
    assert!(out.contains("'Overlay'") && out.contains(&n[..12]) && out.contains(&r[..12]), "{out}");
    let (st, _, err) = run(&["remix", "blame", &cf, "zzzz"]);
    assert_eq!(st, 2, "{err}");
    let (st, _, err) = run(&["remix", "frobnicate"]);
    assert_eq!(st, 2, "{err}");
}
