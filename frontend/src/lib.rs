//! The browser entry point: hydrates the server-rendered console.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by Leptos' hydration script once the WASM module has loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
