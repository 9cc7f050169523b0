//! The sync pipeline on the generated corpus, file by file, for working on the aligner: the
//! speech track of each case is computed once and cached, so a change to the alignment is
//! measured on all 73 files in seconds. Per file: kind, bed, SNR, confidence, ratio, splits and the
//! share of cue starts within 100 / 400 ms of the truth, with abstention turned off, so a wrong
//! fit and a right fit of low confidence can be told apart. (`npm run bench` is the scorer of
//! record; this is the workbench.)
//!
//!     python3 scripts/sync_corpus.py --seed 1 --out target/sync-corpus
//!     cargo run --release --example sync_eval -- target/sync-corpus [FILTER]

use outtake::captions::detect::parse_captions_bytes;
use outtake::captions::Captions;
use outtake::sync::{decode::speech_activity_of_file, sync, SpeechActivity, SyncOptions, Target};
use outtake::time::Rounding;
use std::path::Path;

fn read(path: &Path) -> Captions {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_captions_bytes(&bytes, None, false).expect("captions").0
}

/// The speech track, from the cache beside the corpus when there.
fn activity(case: &Path, cache: &Path) -> SpeechActivity {
    let file = cache.join(case.file_name().unwrap()).with_extension("f32");
    if let Ok(bytes) = std::fs::read(&file) {
        let probability =
            bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        return SpeechActivity { probability };
    }
    let wav = case.join("audio.wav");
    let a = speech_activity_of_file(wav.to_str().unwrap()).expect("audio");
    let bytes: Vec<u8> = a.probability.iter().flat_map(|p| p.to_le_bytes()).collect();
    std::fs::write(&file, bytes).expect("cache");
    a
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or("target/sync-corpus".into()));
    let filter = args.next().unwrap_or_default();
    let cache = Path::new("target/sync-eval");
    std::fs::create_dir_all(cache).expect("cache dir");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("meta.json").exists())
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    cases.sort();
    let opts = SyncOptions { min_confidence: 0.0, ..SyncOptions::default() };
    let (mut n100, mut n400, mut total) = (0usize, 0usize, 0usize);
    let (mut right_abst, mut wrong_abst) = (0, 0);
    // The same, with abstention at the default threshold: an abstained file scores its input.
    let (mut a100, mut a400) = (0usize, 0usize);
    for case in &cases {
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(case.join("meta.json")).unwrap()).unwrap();
        let input = read(&case.join("input.srt"));
        let truth = read(&case.join("truth.srt"));
        let speech = activity(case, cache);
        let (out, report) = sync(&input, Target::Speech(&speech), &opts).expect("sync");
        let ms = |t: outtake::time::Time| t.millis(Rounding::Nearest);
        let errs: Vec<i64> = out
            .cues
            .iter()
            .zip(&truth.cues)
            .map(|(a, b)| (ms(a.start) - ms(b.start)).abs())
            .collect();
        let c100 = errs.iter().filter(|&&e| e <= 100).count();
        let c400 = errs.iter().filter(|&&e| e <= 400).count();
        let kind = meta["kind"].as_str().unwrap_or("?");
        if std::env::var_os("SYNC_EVAL_CUES").is_some() {
            // Per cue: signed error after, and before, in ms; the truth's start.
            let utt = outtake::sync::snap::utterances(&speech.probability, 10);
            for ((o, t), i) in out.cues.iter().zip(&truth.cues).zip(&input.cues) {
                let near: Vec<String> = utt
                    .iter()
                    .filter(|u| {
                        (u.0 - ms(t.start)).abs() < 1500 || (u.1 - ms(t.start)).abs() < 1500
                    })
                    .map(|u| format!("{:+}..{:+}", u.0 - ms(t.start), u.1 - ms(t.start)))
                    .collect();
                println!("  {}", near.join(" "));
                println!(
                    "  truth {:>8} out {:>+6} in {:>+7} {}",
                    ms(t.start),
                    ms(o.start) - ms(t.start),
                    ms(i.start) - ms(t.start),
                    i.text.chars().take(30).collect::<String>().replace('\n', " ")
                );
            }
        }
        let abstains = report.confidence < outtake::sync::MIN_CONFIDENCE;
        let kept: Vec<i64> = if abstains {
            input
                .cues
                .iter()
                .zip(&truth.cues)
                .map(|(a, b)| (ms(a.start) - ms(b.start)).abs())
                .collect()
        } else {
            errs.clone()
        };
        let good = c400 * 2 >= errs.len();
        if kind != "other_programme" {
            n100 += c100;
            n400 += c400;
            total += errs.len();
            a100 += kept.iter().filter(|&&e| e <= 100).count();
            a400 += kept.iter().filter(|&&e| e <= 400).count();
            if abstains {
                if good {
                    wrong_abst += 1
                } else {
                    right_abst += 1
                }
            }
        }
        println!(
            "{:<22} {:>5} {:>3}dB {} conf {:.2} ratio {:.4} splits {:>2} ≤100 {:>5.1}% ≤400 {:>5.1}% {}",
            case.file_name().unwrap().to_string_lossy(),
            meta["bed"].as_str().unwrap_or("?"),
            meta["snr_db"],
            meta["lang"].as_str().unwrap_or("?"),
            report.confidence,
            report.ratio,
            report.splits.len(),
            100.0 * c100 as f64 / errs.len() as f64,
            100.0 * c400 as f64 / errs.len() as f64,
            if good { "" } else { "BAD" },
        );
        if std::env::var_os("SYNC_EVAL_SEGMENTS").is_some() {
            let segs: Vec<String> = report
                .segments
                .iter()
                .map(|s| format!("{:.0}s:{:+.3}", s.start, s.offset))
                .collect();
            println!("  segments {} in sync {}", segs.join(" "), report.already_in_sync);
        }
    }
    println!(
        "all but other programme, no abstention: ≤100 {:.1}% ≤400 {:.1}% of {total}; at 0.5: \
         {right_abst} bad fits abstained, {wrong_abst} good fits abstained; with abstention \
         ≤100 {:.1}% ≤400 {:.1}%",
        100.0 * n100 as f64 / total as f64,
        100.0 * n400 as f64 / total as f64,
        100.0 * a100 as f64 / total as f64,
        100.0 * a400 as f64 / total as f64
    );
}
