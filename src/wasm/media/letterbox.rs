//! Decoded frames fitted into the output's size for a segment re-encoded whole: scaled to fit,
//! centred, black bars where the aspect differs. One OffscreenCanvas per run, drawn into per frame.

use crate::render::letterbox;
use crate::wasm::codecs::set;
use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{OffscreenCanvas, OffscreenCanvasRenderingContext2d, VideoFrame, VideoFrameInit};

pub struct Letterbox {
    canvas: OffscreenCanvas,
    ctx: OffscreenCanvasRenderingContext2d,
    width: u32,
    height: u32,
}

impl Letterbox {
    pub fn new(width: u32, height: u32) -> Result<Letterbox, JsValue> {
        let canvas = OffscreenCanvas::new(width, height)?;
        let ctx = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("this browser has no 2D OffscreenCanvas"))?
            .dyn_into::<OffscreenCanvasRenderingContext2d>()?;
        Ok(Letterbox { canvas, ctx, width, height })
    }

    /// `frame` fitted into the output's size, with its timestamp and duration.
    pub fn fit(&self, frame: &VideoFrame) -> Result<VideoFrame, JsValue> {
        let (x, y, w, h) =
            letterbox(frame.display_width(), frame.display_height(), self.width, self.height);
        self.ctx.set_fill_style_str("#000");
        self.ctx.fill_rect(0.0, 0.0, self.width as f64, self.height as f64);
        self.ctx.draw_image_with_video_frame_and_dw_and_dh(
            frame, x as f64, y as f64, w as f64, h as f64,
        )?;
        let init = Object::new();
        set(&init, "timestamp", frame.timestamp());
        if let Some(d) = frame.duration() {
            set(&init, "duration", d);
        }
        VideoFrame::new_with_offscreen_canvas_and_video_frame_init(
            &self.canvas,
            init.unchecked_ref::<VideoFrameInit>(),
        )
    }
}
