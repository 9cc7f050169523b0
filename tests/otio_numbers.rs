//! OTIO numbers that cannot be times are refused with the JSON path (`ERR_OTIO_SCHEMA`), and a
//! key given twice is refused (`ERR_OTIO_JSON`): readers disagree on which one counts.

use outtake::remix::import_otio;
use outtake::Coded;

/// A timeline of one clip whose source range is `start`/`duration` at `rate`.
fn timeline(start: &str, duration: &str, rate: &str) -> String {
    format!(
        r#"{{"OTIO_SCHEMA": "Timeline.1", "name": "t", "tracks": {{"OTIO_SCHEMA": "Stack.1",
 "children": [{{"OTIO_SCHEMA": "Track.1", "kind": "Video", "children": [
  {{"OTIO_SCHEMA": "Clip.2", "name": "a", "source_range": {{"OTIO_SCHEMA": "TimeRange.1",
   "start_time": {{"OTIO_SCHEMA": "RationalTime.1", "value": {start}, "rate": {rate}}},
   "duration": {{"OTIO_SCHEMA": "RationalTime.1", "value": {duration}, "rate": {rate}}}}}}}]}}]}}}}"#
    )
}

const RANGE: &str = "tracks.children[0].children[0].source_range";

#[test]
fn sane_numbers_are_read() {
    import_otio(&timeline("0", "48", "24")).unwrap();
    import_otio(&timeline("-12", "0", "23.976")).unwrap();
    // A 128-bit integer is a finite value (OTIO's big_int.otio).
    import_otio(&timeline("0", "170141183460469231731687303715884105727", "24")).unwrap();
}

#[test]
fn numbers_that_cannot_be_times_are_refused_with_their_path() {
    let digits400 = "9".repeat(400);
    let cases: Vec<(String, String)> = vec![
        (timeline("0", "48", "0"), format!("{RANGE}.start_time.rate")),
        (timeline("0", "48", "-24"), format!("{RANGE}.start_time.rate")),
        (timeline("0", "48", "1e400"), format!("{RANGE}.start_time.rate")),
        (timeline("0", "48", "NaN"), format!("{RANGE}.start_time.rate")),
        (timeline("0", "Infinity", "24"), format!("{RANGE}.duration.value")),
        (timeline("0", "-3", "24"), format!("{RANGE}.duration.value")),
        (timeline("0", &digits400, "24"), format!("{RANGE}.duration.value")),
        (timeline("-Infinity", "48", "24"), format!("{RANGE}.start_time.value")),
    ];
    for (text, path) in cases {
        let err = import_otio(&text).unwrap_err();
        assert_eq!(err.code(), "ERR_OTIO_SCHEMA", "{err}");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("OTIO {path}: ")), "{msg}");
        assert!(msg.len() < 200, "a 400-digit number is cut in the message: {msg}");
    }
}

#[test]
fn duplicate_keys_are_refused_with_their_path() {
    let text =
        timeline("0", "48", "24").replacen(r#""value": 48,"#, r#""value": 48, "value": 96,"#, 1);
    let err = import_otio(&text).unwrap_err();
    assert_eq!(err.code(), "ERR_OTIO_JSON");
    let msg = err.to_string();
    assert!(msg.contains(&format!("duplicate key \"value\" at {RANGE}.duration.value")), "{msg}");
    // In a large object too (the reader sorts keys there instead of comparing pairs).
    let mut members: Vec<String> = (0..50).map(|i| format!("\"k{i}\": {i}")).collect();
    members.push("\"k7\": 0".into());
    let big = timeline("0", "48", "24").replacen(
        r#""name": "a","#,
        &format!(r#""name": "a", "metadata": {{{}}},"#, members.join(", ")),
        1,
    );
    let msg = import_otio(&big).unwrap_err().to_string();
    assert!(
        msg.contains("duplicate key \"k7\" at tracks.children[0].children[0].metadata.k7"),
        "{msg}"
    );
}
