//! Every OTIO file in /work/shared/otio imports and exports: losslessly as read (same JSON tree,
//! same key order and number spellings), and for OTIO 0.18 checked equivalent by the Python
//! reference (`tests/python/otio_equiv.py`, run once for all files).

mod common;

use outtake::remix::{export_otio, import_otio, json, ExportOptions};

#[test]
fn every_shared_otio_file_round_trips() {
    let Some(files) = common::otio_files() else { return };
    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("otio_roundtrip");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut pairs = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let t = import_otio(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let same = export_otio(&t, &ExportOptions::default()).unwrap();
        assert_eq!(
            json::parse(&same).unwrap(),
            json::parse(&text).unwrap(),
            "{} not lossless",
            path.display()
        );
        assert_eq!(import_otio(&same).unwrap(), t);
        let v18 = export_otio(&t, &ExportOptions { target: Some("0.18".into()) }).unwrap();
        assert!(!v18.contains("Marker.3") && !v18.contains("\"Clip.1\""));
        let out = out_dir.join(path.file_name().unwrap());
        std::fs::write(&out, v18).unwrap();
        pairs.push(out.display().to_string());
        pairs.push(path.display().to_string());
    }
    assert!(files.len() >= 19, "expected all shared OTIO files, found {}", files.len());
    common::python("otio_equiv.py", &pairs);
}
