//! Closed sets of options (filters, sorts) that appear in menus and in URLs.

/// A value from a fixed list, with a stable URL form and a human label.
pub trait Choice: Copy + PartialEq + Default + Send + Sync + 'static {
    /// Every option, in menu order.
    const ALL: &'static [Self];

    /// The value used in URLs and forms.
    fn as_str(self) -> &'static str;

    /// The label shown in menus.
    fn label(self) -> &'static str;

    /// Reads a URL or form value; unknown values fall back to the default.
    fn parse(value: &str) -> Self {
        Self::ALL.iter().copied().find(|choice| choice.as_str() == value).unwrap_or_default()
    }
}
