//! Which cues are dialogue. Music (♪ lines), sound descriptions (`[door slams]`, `(laughs)`) and
//! speaker labels alone carry no speech to align to: they move with their neighbours instead.

use crate::captions::Cue;

/// True when the cue holds words someone says; false for music, sound descriptions and labels.
pub fn is_dialogue(cue: &Cue) -> bool {
    let text = cue.plain_text();
    if text.contains(['♪', '♫', '♩', '♬']) {
        return false;
    }
    text.lines().any(|line| has_words(&spoken_part(line)))
}

/// A line without its bracketed descriptions, leading dash or `>>`, and speaker label.
fn spoken_part(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for ch in line.chars() {
        match ch {
            '[' | '(' | '{' => depth += 1,
            ']' | ')' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    let rest = out.trim_start().trim_start_matches(['-', '–', '—', '>']).trim_start();
    // `JOHN:` or `MAN 2:` in capitals names the speaker; what follows is what they say.
    match rest.split_once(':') {
        Some((label, said))
            if !label.is_empty()
                && label.len() <= 30
                && !label.chars().any(|c| c.is_lowercase())
                && label.chars().any(char::is_alphabetic) =>
        {
            said.to_string()
        }
        _ => rest.to_string(),
    }
}

fn has_words(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Time;

    fn cue(text: &str) -> Cue {
        Cue::new(Time::ZERO, Time::from_millis(1000), text)
    }

    #[test]
    fn music_sounds_and_labels_are_not_dialogue() {
        for text in [
            "♪ la la la ♪",
            "♫",
            "[MUSIC]",
            "[door slams]",
            "(laughs)",
            "- (sighs)\n- [thunder]",
            "JOHN:",
            ">> NARRATOR:",
            "<i>[distant sirens]</i>",
        ] {
            assert!(!is_dialogue(&cue(text)), "{text:?}");
        }
    }

    #[test]
    fn speech_is_dialogue_even_with_labels_and_descriptions() {
        for text in [
            "Hello there.",
            "JOHN: Where were you?",
            "[laughs] That's funny.",
            "- Yes.\n- (whispers) No.",
            "12:30, at the station.",
            "Mr. Smith: come in.",
        ] {
            assert!(is_dialogue(&cue(text)), "{text:?}");
        }
    }
}
