//! The Social+ regions and their API hosts.

use serde::{Deserialize, Serialize};

/// A Social+ data region. Each has its own API host, `https://apix.<region>.amity.co`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// United States.
    Us,
    /// Europe.
    Eu,
    /// Singapore.
    Sg,
}

impl Region {
    /// The base URL of the region's REST API.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://apix.us.amity.co",
            Region::Eu => "https://apix.eu.amity.co",
            Region::Sg => "https://apix.sg.amity.co",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_region_has_its_apix_host() {
        assert_eq!(Region::Us.base_url(), "https://apix.us.amity.co");
        assert_eq!(Region::Eu.base_url(), "https://apix.eu.amity.co");
        assert_eq!(Region::Sg.base_url(), "https://apix.sg.amity.co");
    }
}
