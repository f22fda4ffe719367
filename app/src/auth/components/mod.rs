//! Auth's parts of other pages: the top bar's account links, and the account page's panels.

mod account_nav;
mod password_form;
mod sessions_panel;

pub use account_nav::AccountNav;
pub use password_form::PasswordForm;
pub use sessions_panel::SessionsPanel;
