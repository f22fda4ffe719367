//! Auth's pages, one module each.

mod account;
mod sign_in;
mod sign_up;

pub use account::AccountPage;
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
