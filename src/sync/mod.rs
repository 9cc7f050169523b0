//! Synchronising captions to speech (or to a reference caption file): the pipeline, top to
//! bottom. Speech activity → caption activity → global offset and frame-rate ratio → splits →
//! per-cue snapping → timing profile → confidence, and abstention when the fit is not good.
//! Work happens on 10 ms steps; only the final cue times go back to exact [`Time`].

pub mod activity;
pub mod correlate;
#[cfg(not(target_arch = "wasm32"))]
pub mod decode;
pub mod dialogue;
pub mod report;
pub mod snap;
pub mod splits;

pub use activity::{SpeechActivity, SpeechDetector, STEP_MS};
pub use report::{Segment, SyncError, SyncReport, Timings};

use crate::captions::rules::{fix, LintContext, Profile};
use crate::captions::Captions;
use crate::time::{Rate, Rounding, Time};
use correlate::{Correlator, Span};
use report::Stopwatch;

/// Below this confidence the captions come back unchanged.
pub const MIN_CONFIDENCE: f64 = 0.5;
/// The share of dialogue cues that may land beyond either end of the audio: a few at the ends
/// are credits or a trimmed recording; a fifth means the audio does not hold the programme.
const MAX_OUTSIDE: f64 = 0.2;

/// What to align to.
pub enum Target<'a> {
    /// Speech detected in the programme's audio.
    Speech(&'a SpeechActivity),
    /// Another caption file of the same programme, already in sync.
    Reference(&'a Captions),
}

/// How to synchronise.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// Try frame-rate ratios other than 1.
    pub frame_rate_ratios: bool,
    /// Snap cue starts and ends to speech onsets and offsets.
    pub snap: bool,
    /// A timing profile to apply afterwards, at `frame_rate` (else the profile's own, else 25).
    pub profile: Option<Profile>,
    pub frame_rate: Option<Rate>,
    pub min_confidence: f64,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            frame_rate_ratios: true,
            snap: true,
            profile: None,
            frame_rate: None,
            min_confidence: MIN_CONFIDENCE,
        }
    }
}

/// Re-times `captions` to `target`. Cue text, ids and settings are untouched; on abstention the
/// captions come back exactly as given, with the report saying why.
pub fn sync(
    captions: &Captions,
    target: Target,
    opts: &SyncOptions,
) -> Result<(Captions, SyncReport), SyncError> {
    if captions.cues.is_empty() {
        return Err(SyncError::EmptyCaptions);
    }
    too_long("the captions", captions)?;
    match &target {
        Target::Reference(r) => too_long("the reference captions", r)?,
        Target::Speech(a) if a.duration_ms() > report::MAX_HOURS * 3_600_000 => {
            let hours = a.duration_ms() as f64 / 3_600_000.0;
            return Err(SyncError::TooLong { what: "the audio", hours });
        }
        Target::Speech(_) => {}
    }
    let mut report = SyncReport { ratio: 1.0, ..SyncReport::default() };
    let mut clock = Stopwatch::start();

    // Speech activity: the probability track, from audio or drawn from the reference's cues.
    let drawn;
    let from_audio = matches!(target, Target::Speech(_));
    let speech: &[f32] = match target {
        Target::Speech(a) => &a.probability,
        Target::Reference(r) => {
            if r.cues.is_empty() {
                return Err(SyncError::EmptyReference);
            }
            drawn = reference_track(r);
            &drawn
        }
    };

    // Caption activity: cues in time order, ms, and which of them are dialogue.
    let order = crate::sort::order_by(captions.cues.len(), &mut |a, b| {
        captions.cues[a].start.cmp(&captions.cues[b].start)
    });
    let ms = |t: Time| t.millis(Rounding::Nearest);
    let times: Vec<(i64, i64)> =
        order.iter().map(|&i| (ms(captions.cues[i].start), ms(captions.cues[i].end))).collect();
    let dialogue: Vec<bool> =
        order.iter().map(|&i| dialogue::is_dialogue(&captions.cues[i])).collect();
    report.cues_skipped_non_dialogue = dialogue.iter().filter(|d| !**d).count();
    let spans: Vec<Span> = times
        .iter()
        .zip(&dialogue)
        .filter(|(_, d)| **d)
        .map(|(&(s, e), _)| (s.div_euclid(STEP_MS), e.div_euclid(STEP_MS).max(s / STEP_MS + 1)))
        .collect();
    if let Some(reason) = unusable(speech, &times, spans.len()) {
        return Ok(abstain(captions, report, 0.0, reason));
    }

    // Global offset and frame-rate ratio, over every offset at once.
    let audio: Vec<f32> = speech.iter().map(|p| 2.0 * p - 1.0).collect();
    let span_len = spans.last().map_or(0, |s| s.1) - spans.first().map_or(0, |s| s.0);
    let max_len = (span_len as f64 * 1.26) as usize + 2;
    let mut correlator = Correlator::new(&audio, max_len);
    let mut fit = correlator.best(&spans, opts.frame_rate_ratios);
    prefer_identity(&mut fit);
    report.ratio = fit.ratio;
    report.timings.offset_ms = clock.lap();

    // Splits: one offset per dialogue cue, chosen among the correlation's peaks (whole file and
    // runs of cues), with a penalty for each change of offset.
    let scaled: Vec<Span> = spans.iter().map(|&s| correlate::scale_span(s, fit.ratio)).collect();
    let mut candidates: Vec<i64> = correlate::peaks(&fit, 12, 100);
    candidates.push(fit.offset);
    candidates.extend(chunk_peaks(&mut correlator, &spans, fit.ratio));
    let candidates: Vec<i64> = candidates.iter().flat_map(|&c| c - 30..=c + 30).collect();
    let evidence = splits::Evidence::new(&audio);
    let path = splits::align(&evidence, &scaled, &candidates);
    let mut moved = place(&times, &dialogue, fit.ratio, &path.offsets);
    report.timings.splits_ms = clock.lap();

    // Confidence: how clearly each stretch's offset beats every other offset, and none when
    // much of the dialogue lands where there is no audio to match it against.
    let mut confidence = confidence(&mut correlator, &spans, fit.ratio, &path);
    let audio_ms = speech.len() as i64 * STEP_MS;
    let dialogue_cues = moved.iter().zip(&dialogue).filter(|(_, d)| **d);
    let outside = dialogue_cues.filter(|(m, _)| m.0 < 0 || m.1 > audio_ms).count();
    if outside as f64 > spans.len() as f64 * MAX_OUTSIDE {
        let reason = format!(
            "{outside} of {} dialogue cues fall outside the audio ({:.1} s) however they are \
             placed: the audio is shorter than the captions",
            spans.len(),
            audio_ms as f64 / 1000.0
        );
        confidence = 0.0;
        report.confidence = confidence;
        return Ok(abstain(captions, report, confidence, reason));
    }
    report.confidence = confidence;
    if confidence < opts.min_confidence {
        let reason = format!(
            "the captions do not match the speech well enough (confidence {confidence:.2}, \
             below {:.2}): they may belong to another programme or cut",
            opts.min_confidence
        );
        return Ok(abstain(captions, report, confidence, reason));
    }

    // Per-cue snapping to speech onsets and offsets (edges of the track), unless the file is
    // already in sync. The detector's speech ends come late (its hangover): they are moved back
    // by the measured amount. The offsets lean a few steps late for the same reason, so "no move"
    // is judged by the cue starts against the onsets, within 100 ms of no offset.
    let identity = fit.ratio == 1.0 && path.offsets.iter().all(|&d| d.abs() <= 10);
    let (onsets, mut offsets) = snap::edges(speech, STEP_MS);
    if from_audio {
        for o in &mut offsets {
            o.0 -= activity::OFFSET_LAG_MS;
        }
    }
    report.already_in_sync = identity && in_sync(&times, &dialogue, &onsets);
    if report.already_in_sync {
        moved = times.clone();
    } else if opts.snap {
        report.cues_snapped = snap::snap(&mut moved, &dialogue, &onsets, &offsets);
        follow_neighbours(&mut moved, &times, &dialogue, fit.ratio);
    }
    segments_of(&mut report, &times, &moved, &dialogue, &path, fit.ratio);
    report.timings.snap_ms = clock.lap();

    let mut out = captions.clone();
    for (k, &i) in order.iter().enumerate() {
        let cue = &mut out.cues[i];
        // Unmoved times keep their exact value (a 1/90000 stamp stays one).
        if moved[k].0 != times[k].0 {
            cue.start = Time::from_millis(moved[k].0.max(0));
        }
        if moved[k].1 != times[k].1 {
            cue.end = Time::from_millis(moved[k].1.max(moved[k].0.max(0)));
        }
    }

    // Timing profile, with the detected speech as the rules' `speech`.
    // A profile's reference rate is checked non-zero when the profile is read, so `ok()` holds.
    let rate =
        |p: &Profile| opts.frame_rate.or_else(|| Rate::new(p.reference_fps.unwrap_or(25), 1).ok());
    if let Some((profile, rate)) = opts.profile.as_ref().and_then(|p| Some((p, rate(p)?))) {
        let mut utterances = snap::utterances(speech, STEP_MS);
        if from_audio {
            for u in &mut utterances {
                u.1 = (u.1 - activity::OFFSET_LAG_MS).max(u.0 + STEP_MS);
            }
        }
        let mut ctx = LintContext::new(rate);
        ctx.speech = Some(
            utterances.iter().map(|&(s, e)| (Time::from_millis(s), Time::from_millis(e))).collect(),
        );
        out = fix(&out, profile, &ctx).captions;
    }
    report.timings.profile_ms = clock.lap();
    Ok((out, report))
}

/// Refuses cue times beyond [`report::MAX_HOURS`] either way, before any track is allocated.
fn too_long(what: &'static str, captions: &Captions) -> Result<(), SyncError> {
    let limit = report::MAX_HOURS * 3_600_000;
    let worst = captions
        .cues
        .iter()
        .flat_map(|c| [c.start, c.end])
        .map(|t| t.millis(Rounding::Nearest).saturating_abs())
        .max()
        .unwrap_or(0);
    if worst > limit {
        return Err(SyncError::TooLong { what, hours: worst as f64 / 3_600_000.0 });
    }
    Ok(())
}

/// A reason to abstain before aligning: no speech, no dialogue, or audio far shorter than the
/// captions.
fn unusable(speech: &[f32], times: &[(i64, i64)], dialogue_cues: usize) -> Option<String> {
    if dialogue_cues == 0 {
        return Some("no cue holds dialogue: nothing to align to speech".into());
    }
    let speech_steps = speech.iter().filter(|&&p| p >= 0.5).count();
    if speech_steps < 100 {
        return Some(format!(
            "no speech found in the audio ({:.1} s of {:.1} s)",
            speech_steps as f64 * 0.01,
            speech.len() as f64 * 0.01
        ));
    }
    let first = times.iter().map(|t| t.0).min().unwrap_or(0);
    let last = times.iter().map(|t| t.1).max().unwrap_or(0);
    let span = (last - first) as f64 / 1000.0;
    let audio = speech.len() as f64 * STEP_MS as f64 / 1000.0;
    if audio < span * 0.5 {
        return Some(format!(
            "the audio ({audio:.1} s) is much shorter than the captions ({span:.1} s)"
        ));
    }
    None
}

/// The input unchanged, with the report saying why.
fn abstain(
    captions: &Captions,
    mut report: SyncReport,
    confidence: f64,
    reason: String,
) -> (Captions, SyncReport) {
    report.abstained = true;
    report.reason = Some(reason);
    report.confidence = confidence;
    report.ratio = 1.0;
    report.segments.clear();
    report.splits.clear();
    (captions.clone(), report)
}

/// A reference file's cues as a speech track: 1 inside a cue, 0 outside.
fn reference_track(reference: &Captions) -> Vec<f32> {
    let ms = |t: Time| t.millis(Rounding::Nearest).max(0) / STEP_MS;
    let end = reference.cues.iter().map(|c| ms(c.end)).max().unwrap_or(0);
    let mut track = vec![0.0f32; end as usize + 1];
    for c in &reference.cues {
        if dialogue::is_dialogue(c) {
            for v in &mut track[ms(c.start) as usize..ms(c.end).max(ms(c.start)) as usize] {
                *v = 1.0;
            }
        }
    }
    track
}

/// Do no harm: with ratio 1, an offset within 40 ms whose score is within 1% of zero's is VAD
/// bias, not desync.
fn prefer_identity(fit: &mut correlate::Fit) {
    if fit.ratio != 1.0 || fit.offset == 0 || fit.offset.abs() > 4 {
        return;
    }
    let at = |d: i64| fit.scores.get((d - fit.first) as usize).copied().unwrap_or(0.0);
    if at(0) >= at(fit.offset) - 0.01 * at(fit.offset).abs() {
        fit.offset = 0;
    }
}

/// Cue times (ms, time order) moved by the ratio and the offsets chosen for dialogue cues; a
/// non-dialogue cue takes the offset of the dialogue cue before it (else after it).
fn place(times: &[(i64, i64)], dialogue: &[bool], ratio: f64, offsets: &[i64]) -> Vec<(i64, i64)> {
    let mut per_cue = Vec::with_capacity(times.len());
    let mut k = 0usize;
    let mut last: Option<i64> = None;
    for &d in dialogue {
        if d {
            last = offsets.get(k).copied();
            k += 1;
        }
        per_cue.push(last);
    }
    let first = offsets.first().copied().unwrap_or(0);
    let scale = |t: i64| if ratio == 1.0 { t } else { (t as f64 * ratio).round() as i64 };
    times
        .iter()
        .zip(per_cue)
        .map(|(&(s, e), off)| {
            let shift = off.unwrap_or(first) * STEP_MS;
            (scale(s) + shift, scale(e) + shift)
        })
        .collect()
}

/// Candidate offsets from runs of consecutive dialogue cues, each correlated on its own: a short
/// stretch after a split has a peak of its own there even when the whole file's correlation is
/// dominated by the longer stretches. At most 24 runs, so the cost stays a few FFTs.
fn chunk_peaks(correlator: &mut Correlator, spans: &[Span], ratio: f64) -> Vec<i64> {
    let size = spans.len().div_ceil(24).max(6);
    if spans.len() <= size {
        return vec![];
    }
    spans
        .chunks(size)
        .flat_map(|chunk| correlate::peaks(&correlator.fit(chunk, ratio), 2, 100))
        .collect()
}

/// Non-dialogue cues keep their place among their neighbours: each moves as the dialogue cue
/// before it finally moved (after snapping), never past the cue after it.
fn follow_neighbours(
    moved: &mut [(i64, i64)],
    times: &[(i64, i64)],
    dialogue: &[bool],
    ratio: f64,
) {
    let scale = |t: i64| if ratio == 1.0 { t } else { (t as f64 * ratio).round() as i64 };
    let mut delta: Option<i64> = None;
    for k in 0..moved.len() {
        if dialogue[k] {
            delta = Some(moved[k].0 - scale(times[k].0));
            continue;
        }
        let Some(d) = delta else { continue };
        let (s, e) = (scale(times[k].0) + d, scale(times[k].1) + d);
        let next = moved.get(k + 1).map(|n| n.0);
        if next.is_none_or(|n| e <= n) || next.is_some_and(|n| moved[k].1 > n) {
            moved[k] = (s, e);
        }
    }
}

/// The report's segments and splits: each stretch's offset is the median of how far its cues'
/// starts finally moved (after scaling by the ratio).
fn segments_of(
    report: &mut SyncReport,
    times: &[(i64, i64)],
    moved: &[(i64, i64)],
    dialogue: &[bool],
    path: &splits::Path,
    ratio: f64,
) {
    let picked = |v: &[(i64, i64)]| -> Vec<(i64, i64)> {
        v.iter().zip(dialogue).filter(|(_, d)| **d).map(|(t, _)| *t).collect()
    };
    let (before, after) = (picked(times), picked(moved));
    for r in path.stretches() {
        let (a, b) = (r.start, r.end);
        let mut shifts: Vec<i64> =
            (a..b).map(|k| after[k].0 - (before[k].0 as f64 * ratio).round() as i64).collect();
        shifts.sort_unstable();
        report.segments.push(Segment {
            start: before[a].0 as f64 / 1000.0,
            end: before[b - 1].1 as f64 / 1000.0,
            offset: shifts[shifts.len() / 2] as f64 / 1000.0,
        });
    }
    report.splits = path.splits.iter().map(|&i| before[i].0 as f64 / 1000.0).collect();
}

/// Confidence from uniqueness: each stretch of the path (the cues between splits) is correlated
/// on its own, and its chosen offset's peak is compared with the best score more than 2 s away
/// ([`correlate::Fit::standout`], in standard deviations); the stretches' figures are averaged,
/// weighted by cue count, and mapped onto [0, 1] so that a margin of 1 σ is 0.5.
///
/// NOTE: measured on the sync corpus (`examples/sync_eval.rs`; 73 files, four languages, beds at
/// 0–20 dB): matched captions without splits stand out by 1.9–11 σ (the lowest at 0 dB), with
/// splits by 0.4–6.5 σ (the files under 1 σ are those aligned worst, 41–90% of starts within
/// 400 ms); another programme's captions by -0.4–0.8 σ. An earlier measure, speech under the cues
/// against speech between them, followed the programme's SNR instead of the match (0 at 0 dB for
/// matched captions, 0.19 for another programme's at 10 dB).
fn confidence(correlator: &mut Correlator, spans: &[Span], ratio: f64, path: &splits::Path) -> f64 {
    const RIVAL_RADIUS: usize = 200;
    let (mut sum, mut weight) = (0.0f64, 0.0f64);
    for r in path.stretches() {
        let (a, b) = (r.start, r.end);
        let mut offsets = path.offsets[a..b].to_vec();
        offsets.sort_unstable();
        let fit = correlator.fit(&spans[a..b], ratio);
        let echo = correlate::echo(&spans[a..b], ratio);
        sum += (b - a) as f64 * fit.standout(offsets[offsets.len() / 2], RIVAL_RADIUS, &echo);
        weight += (b - a) as f64;
    }
    if weight == 0.0 {
        return 0.0;
    }
    (sum / weight / 2.0).clamp(0.0, 1.0)
}

/// True when the cue starts already sit on speech onsets: at a constant distance from them (the
/// detector's lag, which grows with the noise), not spread as hand timing that is off spreads
/// them.
///
/// NOTE: measured with `examples/sync_eval.rs` on the sync corpus: captions in sync sit at a
/// median absolute deviation of 13–37 ms from their onsets (the most at 0 dB), captions with
/// per-cue jitter of σ 120 ms at 75–94 ms.
fn in_sync(times: &[(i64, i64)], dialogue: &[bool], onsets: &[snap::Edge]) -> bool {
    const MAX_SPREAD_MS: i64 = 45;
    snap::spread(times, dialogue, onsets).is_some_and(|(_, mad)| mad <= MAX_SPREAD_MS)
}
