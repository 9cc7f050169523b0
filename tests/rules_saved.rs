//! Fixed captions stay fixed once saved: caption files hold milliseconds, so a fix that lands on
//! a 29.97 fps frame grid must still pass the rules after a trip through WebVTT and SRT text.

use outtake::captions::detect::{parse_captions, write_captions, Format};
use outtake::captions::rules::fix::fix;
use outtake::captions::rules::lint::{lint, LintContext};
use outtake::captions::rules::profile::Profile;
use outtake::captions::{Captions, Cue};
use outtake::{Rate, Time};

fn sample() -> Captions {
    let mut c = Captions::default();
    let mut t = 1_003;
    for i in 0..40 {
        let len = 700 + (i * 397) % 3000;
        let text = if i % 4 == 0 {
            "a line that is much too long for the profile to accept as it is"
        } else {
            "short line"
        };
        c.cues.push(Cue::new(Time::from_millis(t), Time::from_millis(t + len), text));
        t += len + 37 + (i * 211) % 900;
    }
    c
}

#[test]
fn fixed_captions_pass_after_saving_and_reading_back() {
    for name in Profile::built_in_names() {
        let profile = Profile::built_in(name).unwrap();
        let ctx = LintContext::new(Rate::parse("30000/1001").unwrap());
        let fixed = fix(&sample(), &profile, &ctx);
        assert!(fixed.remaining.iter().all(|v| !v.fixable), "{name}: {:?}", fixed.remaining);
        for format in [Format::Vtt, Format::Srt] {
            let (text, _) = write_captions(&fixed.captions, format);
            let (back, _, _) = parse_captions(&text, Some(format), false).unwrap();
            let left: Vec<_> =
                lint(&back, &profile, &ctx).into_iter().filter(|v| v.fixable).collect();
            assert!(left.is_empty(), "{name} via {format:?}: {left:?}");
        }
    }
}
