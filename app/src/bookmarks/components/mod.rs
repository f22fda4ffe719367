//! Bookmarks' building blocks: the MyBM dashboard (groups, their stops, when to leave) with its
//! edit forms, and the save form on a stop's page. Every form is a Leptos `ActionForm`: a plain
//! HTML form post without JavaScript, a server-function call with an optimistic update with it.

mod bookmark_row;
mod dashboard;
mod group_card;
mod leave;
mod new_group_form;
mod row_html;
mod save_stop;

pub use dashboard::{Dashboard, MyBmData};
pub use leave::{LeaveSoon, leave_soon};
pub use save_stop::{SaveStop, SaveStopData};
