//! What the browser says about this site's storage: how much is used of how much, and whether
//! it is persistent (kept under storage pressure) or "best effort" (may be cleared).

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Old browsers and insecure origins have no `navigator.storage`.
    Reflect::has(&navigator, &"storage".into())
        .ok()?
        .then(|| navigator.storage())
}

async fn boolean(promise: Result<js_sys::Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Ask the browser to keep this site's data under storage pressure; whether it will.
pub async fn persist() -> Option<bool> {
    boolean(manager()?.persist()).await
}

/// Whether the browser keeps this site's data under storage pressure.
pub async fn persisted() -> Option<bool> {
    boolean(manager()?.persisted()).await
}

/// `(bytes used, bytes available)` for this site.
pub async fn estimate() -> Option<(f64, f64)> {
    let estimate = JsFuture::from(manager()?.estimate().ok()?).await.ok()?;
    let number = |key: &str| Reflect::get(&estimate, &key.into()).ok()?.as_f64();
    Some((number("usage")?, number("quota")?))
}

/// A size as the learner reads it: `812 kB`, `1.4 MB`, `2.1 GB`.
pub fn size(bytes: f64) -> String {
    match bytes {
        b if b < 1e3 => format!("{b:.0} bytes"),
        b if b < 1e6 => format!("{:.0} kB", b / 1e3),
        b if b < 1e9 => format!("{:.1} MB", b / 1e6),
        b => format!("{:.1} GB", b / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn test_sizes_read_naturally() {
        assert_eq!(size(12.0), "12 bytes");
        assert_eq!(size(812_400.0), "812 kB");
        assert_eq!(size(1_400_000.0), "1.4 MB");
        assert_eq!(size(2.1e9), "2.1 GB");
    }
}
