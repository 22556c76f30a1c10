//! Share a pipeline by link: the learner's changed files, compressed into the URL's fragment
//! (never sent to a server). The format, its limits and its checks are `protocol::share`
//! (tested natively); here are the browser's compression (`compress.rs`), the panel that makes
//! a link (`link.rs`) and the dialog that opens one (`offer.rs`).

mod compress;
mod link;
mod offer;

pub use link::ShareLink;
pub use offer::ShareOffer;
