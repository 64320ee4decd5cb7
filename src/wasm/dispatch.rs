//! Calls into app code: one handler at a time, its exceptions reported and never let through.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

/// Calls `function` with `args`. An exception is reported like an uncaught one (`reportError`, else
/// `console.error`) and does not reach the caller, so one failing handler does not stop the others.
pub fn call(function: &Function, args: &[JsValue]) {
    let outcome = match args {
        [] => function.call0(&JsValue::UNDEFINED),
        [a] => function.call1(&JsValue::UNDEFINED, a),
        [a, b, ..] => function.call2(&JsValue::UNDEFINED, a, b),
    };
    if let Err(error) = outcome {
        report_error(&error);
    }
}

fn report_error(error: &JsValue) {
    let reporter = Reflect::get(&js_sys::global(), &JsValue::from_str("reportError"))
        .ok()
        .filter(JsValue::is_function);
    match reporter {
        Some(reporter) => {
            let _ = reporter
                .unchecked_into::<Function>()
                .call1(&JsValue::UNDEFINED, error);
        }
        None => web_sys::console::error_1(error),
    }
}

/// `value` as a function, or `None`. By `typeof`: unlike `instanceof`, it cannot throw, even for a
/// revoked `Proxy`.
pub fn as_function(value: JsValue) -> Option<Function> {
    value.is_function().then(|| value.unchecked_into())
}
