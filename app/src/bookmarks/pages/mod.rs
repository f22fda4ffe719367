//! Bookmarks' pages.

mod mybm;

pub use mybm::MyBmPage;
