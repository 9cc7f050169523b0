//! The linter: every rule of a profile checked against every cue, reported as violations that
//! say which rule, which cue, what is wrong and whether `fix` can repair it.

use super::check::check_cue;
use super::env::Env;
use super::profile::Profile;
use crate::captions::model::{Captions, Cue};
use crate::time::{Rate, Time};
use serde::Serialize;

/// What the rules need to know about the video besides the captions.
#[derive(Clone, Debug, PartialEq)]
pub struct LintContext {
    /// The video's frame rate: gaps, shot-change windows and the frame grid are counted in it.
    pub frame_rate: Rate,
    /// When the picture cuts.
    pub shot_changes: Vec<Time>,
    /// When someone speaks, if known: `[start, end)` spans.
    pub speech: Option<Vec<(Time, Time)>>,
}

impl LintContext {
    /// A context with no shot changes and no speech known.
    pub fn new(frame_rate: Rate) -> LintContext {
        LintContext { frame_rate, shot_changes: Vec::new(), speech: None }
    }
}

/// One broken rule. `rule` is a stable id from [`super::profile::RULE_IDS`]; `cue_index` counts
/// cues in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: &'static str,
    pub cue_index: usize,
    pub message: String,
    /// Whether [`super::fix::fix`] would repair it as things stand.
    pub fixable: bool,
}

/// Cue indices in time order (stable), which is how the rules see neighbours.
pub(crate) fn time_order(captions: &Captions) -> Vec<usize> {
    crate::sort::order_by(captions.cues.len(), &mut |a, b| {
        captions.cues[a].start.cmp(&captions.cues[b].start)
    })
}

/// Checks every cue against `profile`; violations come in time order of their cues.
pub fn lint(captions: &Captions, profile: &Profile, ctx: &LintContext) -> Vec<Violation> {
    let env = Env::new(profile, ctx.frame_rate, &ctx.shot_changes, ctx.speech.as_deref());
    let order = time_order(captions);
    // Files are nearly always in time order already: then the cues are checked where they are
    // rather than copied (a copy of a file's text, however large).
    let cues: std::borrow::Cow<[Cue]> = if order.iter().enumerate().all(|(k, &i)| k == i) {
        std::borrow::Cow::Borrowed(&captions.cues)
    } else {
        order.iter().filter_map(|&i| captions.cues.get(i).cloned()).collect()
    };
    let mut out = Vec::new();
    let mut prev_end: Option<Time> = None;
    for (k, cue) in cues.iter().enumerate() {
        for f in check_cue(&env, &cues, k, prev_end, cue.start) {
            out.push(Violation {
                rule: f.rule,
                cue_index: order.get(k).copied().unwrap_or(k),
                message: f.message,
                fixable: f.repair.is_some(),
            });
        }
        prev_end = Some(prev_end.map_or(cue.end, |e| e.max(cue.end)));
    }
    out
}
