//! The lines of an SRT text (split on CRLF, CR or LF), read as the parser reaches them. It looks
//! at most one line ahead, so they are never collected: a slot per line would weigh nearly as
//! much as a short line of the file.

use std::collections::VecDeque;

pub(super) struct Lines<'a> {
    rest: &'a str,
    /// Lines read from `rest` and not yet forgotten; `window[0]` is line `first` (0-based).
    window: VecDeque<&'a str>,
    first: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        Lines { rest: text, window: VecDeque::new(), first: 0 }
    }

    fn read(&mut self) -> Option<&'a str> {
        if let Some(p) = self.rest.find(['\r', '\n']) {
            let line = &self.rest[..p];
            let skip = if self.rest[p..].starts_with("\r\n") { 2 } else { 1 };
            self.rest = &self.rest[p + skip..];
            return Some(line);
        }
        // A last line without a line break counts; an empty rest is no line.
        (!self.rest.is_empty()).then(|| std::mem::take(&mut self.rest))
    }

    /// Line `i` (0-based), or `None` past the end. Lines before the last [`Lines::forget_before`]
    /// are gone: asking for one is a bug, answered with `None`.
    pub(super) fn get(&mut self, i: usize) -> Option<&'a str> {
        let at = i.checked_sub(self.first)?;
        while self.window.len() <= at {
            let line = self.read()?;
            self.window.push_back(line);
        }
        self.window.get(at).copied()
    }

    /// Lets the lines before `i` go.
    pub(super) fn forget_before(&mut self, i: usize) {
        while self.first < i && self.window.pop_front().is_some() {
            self.first += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;

    fn all(text: &str) -> Vec<&str> {
        let mut lines = Lines::new(text);
        let mut out = vec![];
        while let Some(l) = lines.get(out.len()) {
            out.push(l);
            lines.forget_before(out.len());
        }
        out
    }

    #[test]
    fn splits_on_crlf_cr_and_lf() {
        assert_eq!(all("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(all("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(all(""), Vec::<&str>::new());
        assert_eq!(all("\r\n"), [""]);
    }

    #[test]
    fn looks_ahead_and_forgets() {
        let mut lines = Lines::new("a\nb\nc");
        assert_eq!(lines.get(1), Some("b"));
        assert_eq!(lines.get(0), Some("a"));
        lines.forget_before(1);
        assert_eq!(lines.get(0), None);
        assert_eq!((lines.get(2), lines.get(3)), (Some("c"), None));
    }
}
