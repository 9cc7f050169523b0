//! The fixer: applies the repairs the rules offer until none is left, so that what remains is
//! only what cannot be mended without changing meaning. Repairs never create an overlap, move a
//! start by more than the profile allows, or pull a cue off the speech it was on.

use super::check::check_cue;
use super::env::Env;
use super::lint::{lint, time_order, LintContext, Violation};
use super::profile::Profile;
use crate::captions::model::Captions;
use crate::time::Time;
use serde::Serialize;

/// One repair made, on the cue at `cue_index` of the fixed captions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub rule: &'static str,
    pub cue_index: usize,
    /// What was wrong.
    pub message: String,
    pub before: (Time, Time),
    pub after: (Time, Time),
    /// The new text, when the lines were re-broken.
    pub text: Option<String>,
}

/// The fixed captions (cues in time order), what was done, and what is left.
#[derive(Clone, Debug, PartialEq)]
pub struct FixResult {
    pub captions: Captions,
    pub applied: Vec<Fix>,
    pub remaining: Vec<Violation>,
}

/// The rules that place cues rather than size them.
const PLACING: &[&str] = &["frame-grid", "overlap", "shot-change", "line-length", "line-count"];

/// Repairs rounds bound the work; real files settle in two or three.
const MAX_ROUNDS: usize = 8;
/// Repairs to one cue in one visit; each rule fires at most once or twice before settling.
const MAX_PER_CUE: usize = 16;

/// Repairs what `lint` marks fixable; see the module docs for the promises kept.
pub fn fix(captions: &Captions, profile: &Profile, ctx: &LintContext) -> FixResult {
    let env = Env::new(profile, ctx.frame_rate, &ctx.shot_changes, ctx.speech.as_deref());
    let order = time_order(captions);
    let mut out = captions.clone();
    out.cues = order.iter().filter_map(|&i| captions.cues.get(i).cloned()).collect();
    let mut applied = Vec::new();
    // Placing rules first (grid, shot changes, overlaps, line breaks), then all: a cue grown into
    // free time is then not moved again by a neighbour's placement.
    for placing_only in [true, false] {
        for _ in 0..MAX_ROUNDS {
            if !fix_round(&env, &mut out, placing_only, &mut applied) {
                break;
            }
        }
    }
    let remaining = lint(&out, profile, ctx);
    FixResult { captions: out, applied, remaining }
}

/// One pass over the cues, each repaired until its rules offer nothing more; true if anything
/// changed.
fn fix_round(env: &Env, out: &mut Captions, placing_only: bool, applied: &mut Vec<Fix>) -> bool {
    let mut changed = false;
    let mut prev_end: Option<Time> = None;
    for i in 0..out.cues.len() {
        for _ in 0..MAX_PER_CUE {
            // NOTE: the shift allowance is per repair, as lint sees it, so that "fixable" means the
            // same to both; the rules' windows keep the total within it (property-tested).
            let o = out.cues.get(i).map_or(Time::ZERO, |c| c.start);
            let Some(f) = check_cue(env, &out.cues, i, prev_end, o)
                .into_iter()
                .find(|f| f.repair.is_some() && (!placing_only || PLACING.contains(&f.rule)))
            else {
                break;
            };
            let (Some(r), Some(cue)) = (f.repair, out.cues.get_mut(i)) else { break };
            let before = (cue.start, cue.end);
            cue.start = r.start;
            cue.end = r.end;
            if let Some(t) = &r.text {
                cue.text.clone_from(t);
            }
            applied.push(Fix {
                rule: f.rule,
                cue_index: i,
                message: f.message,
                before,
                after: (r.start, r.end),
                text: r.text,
            });
            changed = true;
        }
        if let Some(c) = out.cues.get(i) {
            prev_end = Some(prev_end.map_or(c.end, |e| e.max(c.end)));
        }
    }
    changed
}
