//! One module per page, each with the server functions it calls.

mod account;
mod home;
mod not_found;
mod password;
mod sessions;
mod sign_in;
mod sign_up;

pub use account::{AccountPage, SignOut, sign_out};
pub use home::HomePage;
pub use not_found::NotFound;
pub use password::{ChangePassword, PasswordForm, change_password};
pub use sessions::{
    ListSessions, RevokeOtherSessions, RevokeSession, SessionsPanel, list_sessions, revoke_other_sessions,
    revoke_session,
};
pub use sign_in::{SignIn, SignInPage, sign_in};
pub use sign_up::{SignUp, SignUpPage, sign_up};
