//! The queue's keyboard shortcuts: which key does what, as a pure table the page and its
//! help dialog share.

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Move to the next case.
    Next,
    /// Move to the previous case.
    Previous,
    /// Open the current case.
    Open,
    /// Keep the current case (clear its flags), then move on.
    Keep,
    /// Delete the current case's content, then move on.
    Delete,
    /// Ban the current case's author, then move on.
    Ban,
    /// Select or unselect the current case.
    Select,
    /// Select every case from the last selected one to the current one.
    SelectRange,
    /// Undo the last action while its undo window is open.
    Undo,
    /// Focus the search box.
    Search,
    /// Show or hide the list of shortcuts.
    Help,
    /// Close the dialog or clear the selection.
    Escape,
}

/// Every shortcut as `(keys, what it does)`, in the help dialog's order.
pub const SHORTCUTS: [(&str, &str); 12] = [
    ("j", "Next case"),
    ("k", "Previous case"),
    ("o", "Open the case"),
    ("a", "Keep (clear flags) and go to the next case"),
    ("d", "Delete and go to the next case"),
    ("b", "Ban the author and go to the next case"),
    ("x", "Select or unselect the case"),
    ("Shift + x", "Select a range, from the last selected case to this one"),
    ("u", "Undo the last action"),
    ("/", "Search"),
    ("?", "Show these shortcuts"),
    ("Esc", "Close the dialog, or clear the selection"),
];

/// The command of a key press (`key` as `KeyboardEvent.key` reports it), if any.
/// Presses with Ctrl, Alt or Meta are the browser's, never the queue's.
pub fn command(key: &str, shift: bool, other_modifier: bool) -> Option<Command> {
    if other_modifier {
        return None;
    }
    Some(match (key, shift) {
        ("j" | "ArrowDown", false) => Command::Next,
        ("k" | "ArrowUp", false) => Command::Previous,
        ("o" | "Enter", false) => Command::Open,
        ("a", false) => Command::Keep,
        ("d", false) => Command::Delete,
        ("b", false) => Command::Ban,
        ("x", false) => Command::Select,
        ("X" | "x", true) => Command::SelectRange,
        ("u", false) => Command::Undo,
        ("/", _) => Command::Search,
        ("?", _) => Command::Help,
        ("Escape", _) => Command::Escape,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_map_to_triage_commands() {
        assert_eq!(command("j", false, false), Some(Command::Next));
        assert_eq!(command("k", false, false), Some(Command::Previous));
        assert_eq!(command("x", false, false), Some(Command::Select));
        assert_eq!(command("X", true, false), Some(Command::SelectRange));
        assert_eq!(command("?", true, false), Some(Command::Help));
        assert_eq!(command("/", false, false), Some(Command::Search));
    }

    #[test]
    fn browser_shortcuts_and_unknown_keys_are_left_alone() {
        assert_eq!(command("d", false, true), None, "Ctrl+D bookmarks the page");
        assert_eq!(command("q", false, false), None);
        assert_eq!(command("J", true, false), None);
    }
}
