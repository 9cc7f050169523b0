//! Reading the CLI's input files and standard input within a size limit, so that `/dev/zero`, an
//! endless pipe or a mistaken multi-gigabyte file fails at once with `ERR_INPUT_TOO_LARGE`
//! instead of growing until allocation fails. Every command that reads a caption file or a
//! timeline takes `--max-input-bytes N` to raise (or lower) the limit.

use super::{Args, CliError};
use std::io::Read;

/// The default limit per input file: far above any real caption file or timeline (a million
/// cues of SRT is ~60 MB), and small enough that reading it stays within a few times its size.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;

/// The option every reading command accepts.
pub const OPTION: &str = "max-input-bytes";

/// How many bytes one input may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimit(pub u64);

impl Default for InputLimit {
    fn default() -> InputLimit {
        InputLimit(DEFAULT_MAX_INPUT_BYTES)
    }
}

impl InputLimit {
    /// `--max-input-bytes N` (`N` in bytes, or with a `K`, `M` or `G` suffix: 1024-based), else the
    /// default.
    pub fn from_args(a: &Args) -> Result<InputLimit, CliError> {
        let Some(v) = a.option(OPTION) else { return Ok(InputLimit::default()) };
        parse_size(&v).map(InputLimit).ok_or_else(|| {
            CliError::usage(format!(
                "--{OPTION}: expected a number of bytes (or with K, M, G), got {v}"
            ))
        })
    }
}

fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (digits, shift) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], 10),
        b'm' | b'M' => (&s[..s.len() - 1], 20),
        b'g' | b'G' => (&s[..s.len() - 1], 30),
        _ => (s, 0),
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

fn too_large(path: &str, limit: InputLimit) -> CliError {
    let name = if path == "-" { "standard input" } else { path };
    CliError {
        code: "ERR_INPUT_TOO_LARGE",
        message: format!(
            "{name} is larger than the input limit of {} bytes; --{OPTION} N raises it",
            limit.0
        ),
        status: 1,
    }
}

/// The bytes of `path` (`-`: standard input), at most `limit` of them.
pub fn read_bytes(path: &str, limit: InputLimit) -> Result<Vec<u8>, CliError> {
    if path == "-" {
        return read_limited(std::io::stdin().lock(), "-", "stdin", limit, 0);
    }
    let file = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
    // A regular file says its size: refuse it before reading a byte, and read it in one
    // allocation. Devices and pipes say 0 and are read up to the limit.
    let size = file.metadata().map(|m| if m.is_file() { m.len() } else { 0 }).unwrap_or(0);
    if size > limit.0 {
        return Err(too_large(path, limit));
    }
    read_limited(file, path, path, limit, size)
}

fn read_limited(
    r: impl Read,
    path: &str,
    io_name: &str,
    limit: InputLimit,
    size_hint: u64,
) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::with_capacity(size_hint.min(limit.0) as usize);
    // One byte past the limit tells "exactly the limit" from "more".
    r.take(limit.0.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::io(io_name, e))?;
    if bytes.len() as u64 > limit.0 {
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

/// The text of `path` (`-`: standard input), at most `limit` bytes, which must be UTF-8.
pub fn read_string(path: &str, limit: InputLimit) -> Result<String, CliError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let err = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 (byte {at} is not)"),
        );
        CliError::io(path, err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_suffixes() {
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("2K"), Some(2048));
        assert_eq!(parse_size("3m"), Some(3 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
    }

    #[test]
    fn a_reader_past_the_limit_is_refused_by_name() {
        let limit = InputLimit(10);
        let ok = read_limited(&b"0123456789"[..], "a.srt", "a.srt", limit, 0).unwrap();
        assert_eq!(ok.len(), 10);
        let e = read_limited(std::io::repeat(0), "-", "stdin", limit, 0).unwrap_err();
        assert_eq!(e.code, "ERR_INPUT_TOO_LARGE");
        assert_eq!(
            e.message,
            "standard input is larger than the input limit of 10 bytes; \
             --max-input-bytes N raises it"
        );
    }
}
