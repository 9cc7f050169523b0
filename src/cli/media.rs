//! `outtake media …`: probe a file's tracks, show where a cut would land, and trim by copying
//! when the in-point is on a keyframe (re-encoding the partial GOP is the browser's job).

use super::{write_out, Args, CliError};
use crate::media::{self, ByteSource, CutPlan, MediaInfo, TrackKind};
use crate::render::{self, Input, Segment, Timeline};
use crate::Time;
use std::io::Write;

const HELP: &str = "\
outtake media probe FILE [--json]
    Tracks, codecs (WebCodecs strings), duration, frame count and keyframe times.
outtake media plan FILE --start S --end E [--format F] [--json]
    Where the cut [S, E) lands: first/last frame, frames re-encoded and copied.
outtake media trim FILE --start S --end E [--format F] -o OUT
    Writes the cut by copying packets, in the input's container unless --format (mp4, webm,
    matroska) says otherwise. Fails with ERR_NEEDS_REENCODE when the in-point is not on a
    keyframe, ERR_UNSUPPORTED_CODEC when a codec has no place in the chosen container.
Times are seconds from the first presented frame (e.g. 1.5).
";

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut a = Args::new(args, &["start", "end", "output", "format"], &["json"])?;
    if a.help {
        return write_out(out, HELP);
    }
    let cmd = a.command()?;
    let path = a.positional("FILE")?;
    a.finish()?;
    let mut file = FileSource(std::fs::File::open(&path).map_err(|e| CliError::io(&path, e))?);
    if cmd == "probe" {
        let info = media::probe(&mut file)?;
        if a.flag("json") {
            return write_out(out, &json(&media::ProbeSummary::new(&info))?);
        }
        return write_out(out, &probe_text(&info));
    }
    // Plans and trims are renders of one segment: the same pipeline as the browser's, with a
    // re-encoder that refuses (ERR_NEEDS_REENCODE) since there is no encoder here.
    let timeline = Timeline {
        segments: vec![Segment::new("file", seconds(&a, "start")?, Some(seconds(&a, "end")?))],
    };
    let options = render::Options {
        format: format(&a)?,
        undecodable_audio: render::UndecodableAudio::Copy,
        ..Default::default()
    };
    match cmd.as_str() {
        "plan" => {
            let prepared =
                render::prepare(&timeline, &mut [Input::new("file", &mut file)], &options)?;
            let plan = &prepared.segments[0].plan;
            if a.flag("json") {
                return write_out(out, &json(&media::CutSummary::new(plan))?);
            }
            write_out(out, &plan_text(plan))
        }
        "trim" => {
            let dest = a.required("output")?;
            // Refuse before the output file is created.
            let prepared =
                render::prepare(&timeline, &mut [Input::new("file", &mut file)], &options)?;
            let seg = &prepared.segments[0];
            media::require_copy_only(prepared.info(seg.source)?, &seg.plan)?;
            let f = std::fs::File::create(&dest).map_err(|e| CliError::io(&dest, e))?;
            let mut sink = FileSink(std::io::BufWriter::with_capacity(1 << 20, f));
            let done = render::run_now(render::render(
                &timeline,
                &mut [Input::new("file", &mut file)],
                &options,
                &mut render::CopyOnly,
                &mut sink,
                &mut |_| {},
            ))?;
            sink.0.flush().map_err(|e| CliError::io(&dest, e))?;
            let plan = &done.segments[0].plan;
            let m = plan.main();
            write_out(
                out,
                &format!(
                    "wrote {dest}: {} bytes, {} frames [{}, {})\n",
                    done.bytes,
                    m.map_or(0, |m| m.frames_total),
                    m.map_or(plan.start, |m| m.cut_start),
                    m.map_or(plan.end, |m| m.cut_end)
                ),
            )
        }
        other => Err(CliError::usage(format!("unknown media command '{other}'"))),
    }
}

/// A file read in slices. The crate's own `ByteSource for File` is native-only, and the CLI
/// module also compiles (unused) into the wasm build.
struct FileSource(std::fs::File);

impl ByteSource for FileSource {
    fn len(&self) -> u64 {
        self.0.metadata().map(|m| m.len()).unwrap_or(0)
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), media::MediaError> {
        use std::io::{Read, Seek, SeekFrom};
        let io = |e: std::io::Error| media::MediaError::Io { offset, reason: e.to_string() };
        self.0.seek(SeekFrom::Start(offset)).map_err(io)?;
        self.0.read_exact(buf).map_err(io)
    }
}

/// The output file, written as the muxer streams it.
struct FileSink(std::io::BufWriter<std::fs::File>);

impl media::ByteSink for FileSink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), media::MediaError> {
        self.0
            .write_all(bytes)
            .map_err(|e| media::MediaError::Io { offset: 0, reason: e.to_string() })
    }
}

/// `--format`, or `None` for the input's own container.
fn format(a: &Args) -> Result<Option<media::Container>, CliError> {
    let Some(name) = a.option("format") else { return Ok(None) };
    media::Container::from_name(&name).map(Some).ok_or_else(|| {
        CliError::usage(format!("--format: expected mp4, webm or matroska, got {name}"))
    })
}

fn seconds(a: &Args, name: &str) -> Result<Time, CliError> {
    let s = a.required(name)?;
    let v: f64 = s.parse().map_err(|_| CliError::usage(format!("--{name}: not a number: {s}")))?;
    Ok(Time::from_user_seconds(v)?)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(v).map(|s| s + "\n").map_err(|e| CliError {
        code: "ERR_JSON",
        message: e.to_string(),
        status: 1,
    })
}

fn kind(k: TrackKind) -> &'static str {
    match k {
        TrackKind::Video => "video",
        TrackKind::Audio => "audio",
        TrackKind::Other => "other",
    }
}

fn probe_text(info: &MediaInfo) -> String {
    let mut s =
        format!("{} {} ({:.6} s)\n", info.container.name(), info.duration, info.duration.seconds());
    for t in &info.tracks {
        let frames = t.samples.iter().filter(|s| s.pts >= 0).count();
        s += &format!(
            "track {} {} {}{}",
            t.id,
            kind(t.kind),
            t.codec_string,
            if t.codec.webcodecs_decodable() { "" } else { " (not decodable by WebCodecs)" }
        );
        match t.kind {
            TrackKind::Video => {
                s += &format!(" {}x{}", t.width, t.height);
                if t.rotation != 0 {
                    s += &format!(" rotated {}°", t.rotation);
                }
                if t.pixel_aspect.0 != t.pixel_aspect.1 {
                    s += &format!(" pixel aspect {}:{}", t.pixel_aspect.0, t.pixel_aspect.1);
                }
                if let Some(r) = media::frame_rate(t) {
                    s += &format!(
                        ", {} fps{}",
                        r.nominal,
                        match r.variable {
                            true => format!(" (variable: {:.3} fps on average)", r.average),
                            false => String::new(),
                        }
                    );
                }
                let k: Vec<f64> = media::keyframes_from_first_frame(info, t)
                    .into_iter()
                    .map(Time::seconds)
                    .collect();
                let shown: Vec<String> = k.iter().take(20).map(|x| format!("{x:.3}")).collect();
                s += &match shown.is_empty() {
                    true => format!(", {frames} frames, no keyframes\n"),
                    false => format!(
                        ", {frames} frames, keyframes at {}{}\n",
                        shown.join(" "),
                        if k.len() > 20 { " …" } else { "" }
                    ),
                };
            }
            _ => {
                s += &format!(
                    " {} Hz {} ch, {frames} packets, priming {}\n",
                    t.sample_rate, t.channels, t.priming
                )
            }
        }
    }
    s
}

fn plan_text(plan: &CutPlan) -> String {
    let mut s = String::new();
    for t in &plan.tracks {
        s += &format!(
            "track {} {}: frames {}..={} ({} total: {} re-encoded, {} copied), lands at [{:.6}, {:.6}) s\n",
            t.track_id,
            kind(t.kind),
            t.first_frame_index,
            t.last_frame_index,
            t.frames_total,
            t.frames_reencoded,
            t.frames_copied,
            (t.cut_start - plan.origin).seconds(),
            (t.cut_end - plan.origin).seconds()
        );
    }
    s
}
