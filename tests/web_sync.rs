//! Browser tests of the sync bindings (`speechActivity`, `syncCaptions`), run by
//! wasm-bindgen-test in headless Chromium. Native builds compile this to nothing.
#![cfg(target_arch = "wasm32")]

use outtake::wasm::sync::{speech_activity, sync_captions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(v, &k.into()).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn code(err: JsValue) -> String {
    let e: js_sys::Error = err.dyn_into().expect("a JS Error");
    js_sys::Reflect::get(&e, &"code".into()).unwrap().as_string().unwrap()
}

const VTT: &str = "WEBVTT\n\n00:01.000 --> 00:02.500\nWhere were you?\n\n\
00:04.000 --> 00:05.000\nAt the station.\n\n00:07.200 --> 00:09.000\nYou never called.\n\n\
00:11.000 --> 00:12.000\n[door slams]\n\n00:13.000 --> 00:15.500\nThe phone was dead.\n";

#[wasm_bindgen_test]
async fn speech_activity_gives_one_step_per_10_ms() {
    let pcm = js_sys::Float32Array::new_with_length(48_000 * 3);
    let a = speech_activity(
        obj(&[("pcm", pcm.into()), ("sampleRate", 48_000.into())]),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(get(&a, "step").as_f64(), Some(0.01));
    let p: js_sys::Float32Array = get(&a, "probability").dyn_into().unwrap();
    assert_eq!(p.length(), 300);
    assert_eq!(js_sys::Array::from(&get(&a, "segments")).length(), 0);
}

#[wasm_bindgen_test]
async fn sync_to_a_reference_moves_the_cues_and_reports() {
    // The same cues 3.5 s later: syncing them to VTT brings them back.
    let late = VTT
        .replace("00:01.000 --> 00:02.500", "00:04.500 --> 00:06.000")
        .replace("00:04.000 --> 00:05.000", "00:07.500 --> 00:08.500")
        .replace("00:07.200 --> 00:09.000", "00:10.700 --> 00:12.500")
        .replace("00:11.000 --> 00:12.000", "00:14.500 --> 00:15.500")
        .replace("00:13.000 --> 00:15.500", "00:16.500 --> 00:19.000");
    let r = sync_captions(late.into(), JsValue::UNDEFINED, obj(&[("reference", VTT.into())]))
        .await
        .unwrap();
    let report = get(&r, "report");
    assert_eq!(get(&report, "abstained").as_bool(), Some(false));
    let cues = js_sys::Array::from(&get(&get(&r, "captions"), "cues"));
    assert_eq!(get(&cues.get(0), "startTime").as_f64(), Some(1.0));
    assert_eq!(get(&report, "cuesSkippedNonDialogue").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn silence_abstains_and_bad_input_is_typed() {
    let pcm = js_sys::Float32Array::new_with_length(16_000 * 20);
    let audio = obj(&[("pcm", pcm.into()), ("sampleRate", 16_000.into())]);
    let r = sync_captions(VTT.into(), audio.clone(), JsValue::UNDEFINED).await.unwrap();
    assert_eq!(get(&get(&r, "report"), "abstained").as_bool(), Some(true));
    let e = sync_captions("WEBVTT\n".into(), audio.clone(), JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(code(e), "ERR_SYNC_EMPTY_CAPTIONS");
    let e = sync_captions(VTT.into(), obj(&[("sampleRate", 16_000.into())]), JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(code(e), "ERR_INVALID_ARGUMENT");
    let e = speech_activity(
        obj(&[
            ("pcm", js_sys::Float32Array::new_with_length(4).into()),
            ("sampleRate", 0.5.into()),
        ]),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();
    assert_eq!(code(e), "ERR_INVALID_ARGUMENT");
    // One reader of arguments: unknown keys are refused with the nearest known one.
    let e = sync_captions(VTT.into(), audio.clone(), obj(&[("minConfidnce", 0.2.into())]))
        .await
        .unwrap_err();
    let message = js_sys::Error::from(e.clone()).message().as_string().unwrap();
    assert_eq!(code(e), "ERR_INVALID_ARGUMENT");
    assert_eq!(message, "options: unknown key \"minConfidnce\"; did you mean \"minConfidence\"?");
    let e = speech_activity(
        obj(&[
            ("pcm", js_sys::Float32Array::new_with_length(4).into()),
            ("sampleRate", 16_000.into()),
            ("channel", 1.into()),
        ]),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();
    let message = js_sys::Error::from(e).message().as_string().unwrap();
    assert_eq!(message, "media: unknown key \"channel\"; did you mean \"channels\"?");
    let e =
        sync_captions(VTT.into(), audio, obj(&[("frameRate", f64::NAN.into())])).await.unwrap_err();
    let message = js_sys::Error::from(e).message().as_string().unwrap();
    assert!(message.starts_with("options.frameRate: must be a finite number"), "{message}");
}
