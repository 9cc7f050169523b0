//! Times parse and write of a caption file natively: `cargo run --release --example caption_speed FILE`.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: caption_speed FILE");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut best = [f64::MAX; 3];
    for _ in 0..20 {
        let t = Instant::now();
        let parsed = outtake::captions::parse_webvtt(&text).expect("parse");
        let a = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let out = outtake::captions::write_webvtt(&parsed.captions);
        let b = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let form = outtake::captions::js_form::to_js_form(
            &parsed.captions,
            &[],
            outtake::captions::detect::Format::Vtt,
        );
        let c = t.elapsed().as_secs_f64();
        assert!(!out.is_empty() && !form.is_empty());
        best = [best[0].min(a), best[1].min(b), best[2].min(c)];
    }
    println!(
        "parse {:.2} ms, write {:.2} ms, js form {:.2} ms ({} bytes)",
        best[0] * 1e3,
        best[1] * 1e3,
        best[2] * 1e3,
        text.len()
    );
}
