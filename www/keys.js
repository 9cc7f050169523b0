// The page's keyboard: Space play/pause, J/K/L shuttle (back, stop, forward; again for faster),
// ←/→ one frame and Shift+←/→ one second, I/O in and out points, S split, Delete the focused cue
// (or the selected clip), Ctrl+Z / Ctrl+Shift+Z undo and redo. Keys typed into a field stay there.

/** Where a key belongs to the field it is typed in rather than to the page. */
function typing(target, key) {
  const tag = target?.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return true;
  if (tag === 'INPUT') return target.type !== 'checkbox' && target.type !== 'radio';
  // Space and Enter press a focused button; arrows move a focused radio group.
  if (tag === 'BUTTON' || tag === 'SUMMARY' || target?.getAttribute?.('role') === 'button')
    return key === ' ' || key === 'Enter';
  return false;
}

/**
 * Installs the shortcuts. `fps()` is the clip's frame rate in frames per second; the actions
 * are the page's: `setIn`, `setOut`, `split`, `deleteFocused(target) → bool`, `undo`, `redo`.
 */
export function installKeys({ video, fps, actions }) {
  let reverse = 0; // J's speed, or 0
  let last = 0;
  const back = (now) => {
    if (!reverse) return;
    if (last) video.currentTime = Math.max(0, video.currentTime - ((now - last) / 1000) * reverse);
    last = now;
    if (video.currentTime <= 0) reverse = 0;
    else requestAnimationFrame(back);
  };
  const stopReverse = () => {
    reverse = 0;
    last = 0;
  };
  const seekBy = (seconds) => {
    video.pause();
    stopReverse();
    const f = fps();
    const end = Number.isFinite(video.duration) ? video.duration : Infinity;
    // Frames: land mid-frame, so the decoder shows exactly that one.
    const frame = Math.floor(video.currentTime * f + 1e-6) + Math.round(seconds * f);
    const last = Math.max(0, Math.ceil(end * f) - 1);
    video.currentTime = (Math.min(last, Math.max(0, frame)) + 0.5) / f;
  };

  // NOTE: capture, so that a key the page takes never also reaches the <video>'s own controls
  // (focused after a click on the picture), which would play/pause or seek a second time.
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.defaultPrevented || e.altKey || typing(e.composedPath()[0], e.key)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      let handled = true;
      if (mod && key === 'z') (e.shiftKey ? actions.redo : actions.undo)();
      else if (mod && key === 'y') actions.redo();
      else if (mod) handled = false;
      else if (key === ' ' || key === 'k') {
        stopReverse();
        video.playbackRate = 1;
        if (key === ' ' && video.paused) video.play();
        else video.pause();
      } else if (key === 'l') {
        stopReverse();
        if (video.paused) {
          video.playbackRate = 1;
          video.play();
        } else video.playbackRate = Math.min(4, video.playbackRate * 2);
      } else if (key === 'j') {
        video.pause();
        reverse = reverse ? Math.min(4, reverse * 2) : 1;
        if (reverse === 1) requestAnimationFrame(back);
      } else if (key === 'ArrowLeft' || key === 'ArrowRight') {
        const sign = key === 'ArrowLeft' ? -1 : 1;
        seekBy(sign * (e.shiftKey ? 1 : 1 / fps()));
      } else if (key === 'i') actions.setIn();
      else if (key === 'o') actions.setOut();
      else if (key === 's') actions.split();
      else if (key === 'Delete' || key === 'Backspace') handled = actions.deleteFocused(e.target);
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    true,
  );
}
