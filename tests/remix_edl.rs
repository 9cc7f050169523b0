//! CMX 3600 import agrees with otio-cmx3600-adapter on every shared EDL: same tracks, clips,
//! source ranges, gaps, transitions and speed effects; files the adapter rejects are rejected.

mod common;

use outtake::remix::{import_edl, Composable, EdlOptions, RationalTime, TimeRange, Timeline};
use serde_json::{json, Value};

fn rt(t: &RationalTime) -> Vec<Value> {
    vec![json!(t.value()), json!(t.rate())]
}

fn rng(r: &Option<TimeRange>) -> Value {
    match r {
        None => Value::Null,
        Some(r) => Value::Array([rt(&r.start_time), rt(&r.duration)].concat()),
    }
}

fn summary(t: &Timeline) -> Value {
    let tracks: Vec<Value> = t
        .track_list()
        .map(|tr| {
            let items: Vec<Value> = tr
                .children
                .iter()
                .map(|c| match c {
                    Composable::Transition(x) => json!({"schema": "Transition", "name": x.name, "type": x.transition_type,
                        "in": rt(&x.in_offset), "out": rt(&x.out_offset)}),
                    Composable::Gap(g) => json!({"schema": "Gap", "range": rng(&g.source_range)}),
                    Composable::Clip(c) => {
                        let m = c.media();
                        let media = m.and_then(|m| m.target_url.clone().or_else(|| m.raw.get("generator_kind").and_then(|g| g.as_str()).map(String::from)));
                        let speed = c.base.effects.iter().find_map(|e| e.time_scalar);
                        json!({"schema": "Clip", "name": c.base.name, "range": rng(&c.base.source_range), "media": media,
                            "speed": speed, "markers": c.base.markers.iter().map(|m| m.name.clone()).collect::<Vec<_>>()})
                    }
                    _ => json!("other"),
                })
                .collect();
            json!({"name": tr.base.name, "kind": tr.kind, "range": rng(&tr.base.source_range), "items": items})
        })
        .collect();
    json!({"name": t.name, "tracks": tracks})
}

/// The first place two summaries differ, as `path: ours != theirs`.
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    format!("{path}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{path}[{i}]"))),
        _ if a == b => None,
        // serde_json's default float parsing may be off by one ulp.
        (Value::Number(x), Value::Number(y))
            if (x.as_f64().unwrap() - y.as_f64().unwrap()).abs()
                <= 1e-12 * x.as_f64().unwrap().abs() =>
        {
            None
        }
        _ => Some(format!("{path}: ours {a} != adapter {b}")),
    }
}

#[test]
fn edl_import_agrees_with_the_reference_adapter() {
    let Some(files) = common::edl_files() else { return };
    let mut cases = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let rate = if name == "25fps.edl" || name == "timecode_mismatch.edl" { 25.0 } else { 24.0 };
        cases.push((rate, false, f.clone()));
        if name == "timecode_mismatch.edl" {
            cases.push((rate, true, f.clone()));
        }
    }
    let args: Vec<String> = cases
        .iter()
        .map(|(r, ig, f)| format!("{r}:{}:{}", if *ig { 1 } else { 0 }, f.display()))
        .collect();
    let Some(out) = common::python("edl_summary.py", &args) else { return };
    let reference: Value = serde_json::from_str(&out).unwrap();
    let mut accepted = 0;
    for ((rate, ignore, f), arg) in cases.iter().zip(&args) {
        let text = std::fs::read_to_string(f).unwrap();
        let ours =
            import_edl(&text, &EdlOptions { rate: *rate, ignore_timecode_mismatch: *ignore });
        let theirs = &reference[arg.as_str()];
        match (&ours, theirs.get("ok")) {
            (Ok(t), Some(expected)) => {
                if let Some(d) = first_difference(&summary(t), expected, String::new()) {
                    panic!("{} at {rate} fps: {d}", f.display());
                }
                accepted += 1;
            }
            (Err(e), None) => {
                println!("both reject {}: ours {e}; adapter {}", f.display(), theirs["error"])
            }
            (Ok(_), None) => {
                panic!("{} accepted but the adapter says {}", f.display(), theirs["error"])
            }
            (Err(e), Some(_)) => {
                panic!("{} rejected ({e}) but the adapter accepts it", f.display())
            }
        }
    }
    assert!(accepted >= 17, "only {accepted} EDLs compared");
}

#[test]
fn edl_import_is_equivalent_to_the_adapters_timeline() {
    let Some(files) = common::edl_files() else { return };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("edl_equiv");
    std::fs::create_dir_all(&dir).unwrap();
    let mut args = vec![];
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let rate = if name == "25fps.edl" || name == "timecode_mismatch.edl" { 25.0 } else { 24.0 };
        let ignore = name == "timecode_mismatch.edl";
        let Ok(t) = import_edl(
            &std::fs::read_to_string(f).unwrap(),
            &EdlOptions { rate, ignore_timecode_mismatch: ignore },
        ) else {
            continue;
        };
        let out = dir.join(format!("{name}.otio"));
        let text = outtake::remix::export_otio(
            &t,
            &outtake::remix::ExportOptions { target: Some("0.18".into()) },
        )
        .unwrap();
        std::fs::write(&out, text).unwrap();
        args.push(format!(
            "{rate}:{}:{}:{}",
            if ignore { 1 } else { 0 },
            f.display(),
            out.display()
        ));
    }
    assert_eq!(args.len(), files.len() - 1, "every EDL but dissolve_test_fail.edl imports");
    common::python("edl_equiv.py", &args);
}

#[test]
fn malformed_dissolve_names_its_line() {
    let Some(text) = common::read("cmx3600/dissolve_test_fail.edl") else { return };
    let e = import_edl(&text, &EdlOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("EDL line 5:"), "{e}");
}

#[test]
fn pal_files_need_their_rate() {
    let Some(text) = common::read("cmx3600/25fps.edl") else { return };
    let e = import_edl(&text, &EdlOptions::default()).unwrap_err();
    assert!(e.to_string().contains("frames beyond 23"), "{e}");
    assert!(import_edl(&text, &EdlOptions { rate: 25.0, ..Default::default() }).is_ok());
}

/// An `M2` line that does not apply (the clip runs at its own speed, or a freeze frame rules) is
/// kept as a comment instead of vanishing; a speed that is not one is refused, naming the line.
#[test]
fn m2_lines_leave_a_trace_and_bad_speeds_are_named() {
    let edl = |m2: &str, rec_out: &str| {
        format!(
            "TITLE: m2\n\n001  REEL1 V     C        01:00:00:00 01:00:01:00 01:00:00:00 {rec_out}\n\
             M2   REEL1       {m2}                01:00:00:00\n* FROM CLIP NAME:  shot\n"
        )
    };
    let opts = EdlOptions { rate: 24.0, ignore_timecode_mismatch: false };
    let otio = |t: &Timeline| {
        outtake::remix::export_otio(t, &outtake::remix::ExportOptions { target: None }).unwrap()
    };
    // Record as long as the source: the M2 is not applied, and stays as a comment.
    let text = otio(&import_edl(&edl("024.0", "01:00:01:00"), &opts).unwrap());
    let json: Value = serde_json::from_str(&text).unwrap();
    let clip = &json["tracks"]["children"][0]["children"][0];
    assert_eq!(clip["effects"], json!([]), "{clip}");
    let comments = clip["metadata"]["cmx_3600"]["comments"].as_array().expect("comments kept");
    assert!(comments.iter().any(|c| c.as_str().unwrap().starts_with("M2 REEL1")), "{clip}");
    // Applied (record twice the source): a time warp at half speed, no comment.
    let text = otio(&import_edl(&edl("012.0", "01:00:02:00"), &opts).unwrap());
    assert!(text.contains("LinearTimeWarp") && !text.contains("M2 REEL1"), "{text}");
    // Speeds that are not speeds, applied or not.
    for (m2, rec_out, why) in [
        ("abc", "01:00:01:00", "speed 'abc' is not a number"),
        ("-1e20", "01:00:01:00", "out of range"),
        ("inf", "01:00:02:00", "out of range"),
    ] {
        let e = import_edl(&edl(m2, rec_out), &opts).unwrap_err().to_string();
        assert!(e.starts_with("EDL line 3:") && e.contains(why), "{m2}: {e}");
    }
}

// ---- Export ---------------------------------------------------------------------------------

use outtake::remix::{export_edl, import_otio, EdlExportOptions};
use outtake::time::Rate;

/// A demo-shaped edit at 25 fps: two shots of the clip, a gap, a cameo from another file, and a
/// caption track of markers only (no clips: not an EDL channel).
const EDIT: &str = r#"{"OTIO_SCHEMA": "Timeline.1", "name": "talk remix", "metadata": {}, "global_start_time": null,
 "tracks": {"OTIO_SCHEMA": "Stack.1", "name": "tracks", "metadata": {}, "source_range": null, "effects": [], "markers": [], "enabled": true, "children": [
  {"OTIO_SCHEMA": "Track.1", "name": "V1", "kind": "Video", "metadata": {}, "source_range": null, "effects": [], "markers": [], "enabled": true, "children": [
   {"OTIO_SCHEMA": "Clip.2", "name": "shot c2", "metadata": {}, "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 50.0}, "duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 30.0}},
    "effects": [], "markers": [], "enabled": true, "media_references": {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", "name": "", "target_url": "talk.mp4", "available_range": null, "metadata": {}}}, "active_media_reference_key": "DEFAULT_MEDIA"},
   {"OTIO_SCHEMA": "Clip.2", "name": "shot c1", "metadata": {}, "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 0.0}, "duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 50.0}},
    "effects": [], "markers": [], "enabled": true, "media_references": {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", "name": "", "target_url": "talk.mp4", "available_range": null, "metadata": {}}}, "active_media_reference_key": "DEFAULT_MEDIA"},
   {"OTIO_SCHEMA": "Gap.1", "name": "", "metadata": {}, "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 0.0}, "duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 10.0}}, "effects": [], "markers": [], "enabled": true},
   {"OTIO_SCHEMA": "Clip.2", "name": "cameo c3", "metadata": {"cmx_3600": {"reel": "CAM2"}}, "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 2510.0}, "duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 25.0}},
    "effects": [], "markers": [], "enabled": true, "media_references": {"DEFAULT_MEDIA": {"OTIO_SCHEMA": "ExternalReference.1", "name": "", "target_url": "cameo.webm", "available_range": null, "metadata": {}}}, "active_media_reference_key": "DEFAULT_MEDIA"}]},
  {"OTIO_SCHEMA": "Track.1", "name": "Captions", "kind": "Video", "metadata": {}, "source_range": null, "effects": [], "markers": [
   {"OTIO_SCHEMA": "Marker.2", "name": "hello", "color": "YELLOW", "comment": "", "metadata": {}, "marked_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 0.0}, "duration": {"OTIO_SCHEMA": "RationalTime.1", "rate": 25.0, "value": 25.0}}}],
   "enabled": true, "children": []}]}}"#;

fn edl_opts(rate: &str) -> EdlExportOptions {
    EdlExportOptions { rate: Rate::parse(rate).unwrap(), title: None }
}

#[test]
fn edl_export_writes_events_gaps_names_and_media() {
    let t = import_otio(EDIT).unwrap();
    let text = export_edl(&t, &edl_opts("25")).unwrap();
    let expected = "TITLE: talk remix\nFCM: NON-DROP FRAME\n\n\
        001  AX       V     C        00:00:02:00 00:00:03:05 00:00:00:00 00:00:01:05\n\
        * FROM CLIP NAME: shot c2\n* FROM CLIP: talk.mp4\n\n\
        002  AX       V     C        00:00:00:00 00:00:02:00 00:00:01:05 00:00:03:05\n\
        * FROM CLIP NAME: shot c1\n* FROM CLIP: talk.mp4\n\n\
        003  CAM2     V     C        00:01:40:10 00:01:41:10 00:00:03:15 00:00:04:15\n\
        * FROM CLIP NAME: cameo c3\n* FROM CLIP: cameo.webm\n";
    assert_eq!(text, expected);
    // Our own importer reads the same clips, gap and reel back.
    let back = import_edl(&text, &EdlOptions { rate: 25.0, ..Default::default() }).unwrap();
    let items = &summary(&back)["tracks"][0]["items"];
    assert_eq!(items[0]["name"], "shot c2");
    assert_eq!(items[0]["range"], json!([50.0, 25.0, 30.0, 25.0]));
    assert_eq!(items[2], json!({"schema": "Gap", "range": [0.0, 25.0, 10.0, 25.0]}));
    assert_eq!(items[3]["media"], "cameo.webm");
    let title = EdlExportOptions { title: Some("a\nb".into()), ..edl_opts("25") };
    assert!(export_edl(&t, &title).unwrap().starts_with("TITLE: a b\n"));
}

#[test]
fn edl_export_refuses_what_cmx_3600_cannot_hold_naming_the_item() {
    let t = import_otio(EDIT).unwrap();
    // 2 s 5 frames at 25 fps is not a whole frame at 24.
    let e = export_edl(&t, &edl_opts("24")).unwrap_err();
    assert_eq!(outtake::Coded::code(&e), "ERR_OTIO_EXPORT");
    assert!(e.to_string().starts_with("export: EDL tracks.children[0].children[0]: "), "{e}");
    let two_videos = EDIT.replacen(r#""name": "Captions", "kind": "Video""#, r#""name": "V2", "kind": "Video""#, 1)
        .replacen(r#""enabled": true, "children": []"#, r#""enabled": true, "children": [{"OTIO_SCHEMA": "Gap.1", "name": "", "metadata": {}, "source_range": null, "effects": [], "markers": [], "enabled": true}]"#, 1);
    // A track of gaps only is not a channel; with a clip it is a second video channel.
    assert!(export_edl(&import_otio(&two_videos).unwrap(), &edl_opts("25")).is_ok());
    let mut t2 = import_otio(EDIT).unwrap();
    let v1 = t2.tracks.children[0].clone();
    t2.tracks.children.push(v1);
    let e = export_edl(&t2, &edl_opts("25")).unwrap_err().to_string();
    assert!(e.contains("tracks.children[2]") && e.contains("one video channel"), "{e}");
}

/// Every shared EDL that CMX 3600 export can hold (no transitions, no speed changes), imported
/// and exported again, reads back in the reference adapter as the adapter reads the original:
/// same tracks, clips, source ranges, media and gaps (markers are not written yet).
#[test]
fn edl_export_reads_back_in_the_reference_adapter_as_the_original() {
    let Some(files) = common::edl_files() else { return };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("edl_export");
    std::fs::create_dir_all(&dir).unwrap();
    let mut pairs = vec![];
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let rate = if name == "25fps.edl" || name == "timecode_mismatch.edl" { 25.0 } else { 24.0 };
        let opts = EdlOptions { rate, ignore_timecode_mismatch: false };
        let Ok(t) = import_edl(&std::fs::read_to_string(f).unwrap(), &opts) else { continue };
        let out = match export_edl(&t, &edl_opts(&rate.to_string())) {
            Ok(out) => out,
            Err(e) => {
                let why = e.to_string();
                assert!(why.contains("not written to EDL yet"), "{name}: {why}");
                continue;
            }
        };
        let written = dir.join(&name);
        std::fs::write(&written, out).unwrap();
        pairs
            .push((format!("{rate}:0:{}", f.display()), format!("{rate}:0:{}", written.display())));
    }
    assert!(pairs.len() >= 8, "only {} EDLs written", pairs.len());
    let args: Vec<String> = pairs.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).collect();
    let Some(out) = common::python("edl_summary.py", &args) else { return };
    let reference: Value = serde_json::from_str(&out).unwrap();
    // Compared: tracks (name, kind) and their items; not the track's record start, which the
    // export puts at 00:00:00:00, nor markers.
    let items = |v: &Value| -> Value {
        let mut v = v["ok"]["tracks"].clone();
        for tr in v.as_array_mut().unwrap() {
            tr.as_object_mut().unwrap().remove("range");
            for it in tr["items"].as_array_mut().unwrap() {
                it.as_object_mut().unwrap().remove("markers");
            }
        }
        v
    };
    for (a, b) in &pairs {
        let (original, written) = (&reference[a.as_str()], &reference[b.as_str()]);
        assert!(written.get("ok").is_some(), "{b}: the adapter refuses it: {}", written["error"]);
        if let Some(d) = first_difference(&items(written), &items(original), String::new()) {
            panic!("{b}: {d}");
        }
        assert_eq!(written["ok"]["name"], original["ok"]["name"], "{b}: title");
    }
}

/// An out point before its in point makes a negative length, which no OTIO reader takes back
/// (ours refuses it): the event is refused naming its line, even when timecode mismatches are
/// ignored (found by the `edl` fuzz target's export → import check).
#[test]
fn an_out_point_before_its_in_point_is_refused_naming_the_line() {
    let backwards_source =
        "TITLE: t\n\n001  A V C 01:00:41:21 01:00:07:03 01:00:00:00 01:00:05:06\n";
    let backwards_record =
        "TITLE: t\n\n001  A V C 01:00:00:00 01:00:01:00 01:00:05:00 01:00:04:00\n";
    for (text, side) in [(backwards_source, "source"), (backwards_record, "record")] {
        for ignore in [false, true] {
            let o = EdlOptions { rate: 25.0, ignore_timecode_mismatch: ignore };
            let e = import_edl(text, &o).unwrap_err().to_string();
            assert!(e.contains("line 3") && e.contains(&format!("the {side} out point")), "{e}");
        }
    }
}
