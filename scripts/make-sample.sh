#!/usr/bin/env bash
# Makes the demo's bundled sample clip: a few seconds of H.264 + AAC MP4 with real speech
# (espeak-ng), and WebVTT captions whose times are the measured start and end of each utterance.
# Needs ffmpeg, espeak-ng and sox (Debian). Output: www/assets/sample.mp4, www/assets/sample.vtt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=www/assets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

lines=(
  "Welcome to outtake."
  "Trim, remix and caption video, right in your browser."
  "Every caption knows its time."
  "No upload, no server."
)
gap=0.6      # silence between utterances, seconds
lead=0.5     # silence before the first one

sox -n -r 22050 -c 1 "$tmp/silence.wav" trim 0 "$gap"
sox -n -r 22050 -c 1 "$tmp/lead.wav" trim 0 "$lead"
parts=("$tmp/lead.wav")
t=$lead
{
  echo "WEBVTT - outtake sample clip (made by scripts/make-sample.sh)"
  echo
} > "$tmp/sample.vtt"
stamp() { awk -v t="$1" 'BEGIN { m = int(t / 60); printf "%02d:%06.3f", m, t - 60 * m }'; }
i=0
for line in "${lines[@]}"; do
  i=$((i + 1))
  espeak-ng -s 150 -w "$tmp/raw$i.wav" "$line"
  # Trim espeak's own leading and trailing silence, so the cue times are the speech itself.
  sox "$tmp/raw$i.wav" -r 22050 -c 1 "$tmp/say$i.wav" silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
  d=$(soxi -D "$tmp/say$i.wav")
  start=$t
  end=$(echo "$t + $d" | bc -l)
  printf '%s\n%s --> %s\n%s\n\n' "$i" "$(stamp "$start")" "$(stamp "$end")" "$line" >> "$tmp/sample.vtt"
  parts+=("$tmp/say$i.wav" "$tmp/silence.wav")
  t=$(echo "$end + $gap" | bc -l)
done
sox "${parts[@]}" "$tmp/speech.wav"
total=$(soxi -D "$tmp/speech.wav")

# testsrc2 shows a running frame counter, which makes frame-exact cuts visible by eye.
ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=30" -i "$tmp/speech.wav" -t "$total" \
  -c:v libx264 -preset slow -crf 30 -pix_fmt yuv420p -g 30 -bf 3 -profile:v high \
  -c:a aac -b:a 48k -ar 44100 -ac 1 -movflags +faststart "$out/sample.mp4"
cp "$tmp/sample.vtt" "$out/sample.vtt"
ls -l "$out/sample.mp4" "$out/sample.vtt"
