//! Auth's parts of other pages: the top bar's account links, the account page's panels, and
//! the wrapper of protected pages.

mod account_nav;
mod password_form;
mod sessions_panel;
mod signed_in_only;

pub use account_nav::AccountNav;
pub use password_form::PasswordForm;
pub use sessions_panel::{SessionsData, SessionsPanel};
pub use signed_in_only::SignedInOnly;
