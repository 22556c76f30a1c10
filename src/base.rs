//! Where the app is hosted: `/` on the dev server, `/course/` on an instructor's static host.
//!
//! Trunk builds with relative asset paths, so `dist/` works under any folder. The router needs
//! that folder as its base; it is read from the resolved URL of the app's own JS module, which
//! Trunk links with `rel="modulepreload"` from every page (route pages get a `<base>` so the
//! relative link resolves to the app's root).

use wasm_bindgen::JsCast;

thread_local! {
    static BASE: String = module_url().map(|url| folder_of(&url)).unwrap_or_default();
}

/// The router base: the path of the folder holding the app, without a trailing slash
/// (`""` at the site root).
pub fn app_base() -> String {
    BASE.with(String::clone)
}

/// A link target for an app route (`"/modules/x"`), under the folder the app is hosted in.
/// Leptos' `<A>` leaves absolute paths alone, so every internal link goes through here.
pub fn href(route: &str) -> String {
    BASE.with(|base| join(base, route))
}

fn join(base: &str, route: &str) -> String {
    format!("{base}{route}")
}

fn module_url() -> Option<String> {
    let link = leptos::prelude::document()
        .query_selector("link[rel=modulepreload]")
        .ok()??
        .dyn_into::<web_sys::HtmlLinkElement>()
        .ok()?;
    Some(link.href())
}

/// `http://host/course/app-1a2b.js` → `/course`; `http://host/app.js` → `""`.
pub fn folder_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let folder = &path[..path.rfind('/').unwrap_or(0)];
    folder.to_string()
}

#[cfg(test)]
mod tests {
    use super::{folder_of, join};

    #[test]
    fn test_join_routes_under_the_base() {
        assert_eq!(join("", "/modules/x"), "/modules/x");
        assert_eq!(join("/course", "/"), "/course/");
        assert_eq!(join("/course", "/workbench"), "/course/workbench");
    }

    #[test]
    fn test_folder_of_module_url() {
        assert_eq!(folder_of("http://127.0.0.1:8080/iot-workbook-1a2b.js"), "");
        assert_eq!(
            folder_of("https://example.org/course/iot-workbook.js"),
            "/course"
        );
        assert_eq!(folder_of("https://example.org/a/b/app.js?v=1"), "/a/b");
        assert_eq!(folder_of("file:///srv/site/app.js"), "/srv/site");
    }
}
