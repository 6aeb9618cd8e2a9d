//! The frame around every page: header, section navigation, theme, the signed-in user.

mod shell;
pub mod theme;

pub use shell::Shell;
