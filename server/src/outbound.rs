//! `[outbound]`: where forwarding and the rules' notify action may send (issue 13 finding 4).
//! Only public addresses, unless `allow_private_hosts` opens a private one on purpose
//! (`backend::outbound` does the checking).

use backend::outbound::{Allowance, Outbound};
use serde::Deserialize;

/// `[outbound]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboundSettings {
    /// Private or local hosts that may be called anyway: IP addresses (`127.0.0.1`), CIDR
    /// networks (`10.1.0.0/16`) or host names (`hooks.internal`, which may then resolve to
    /// any address).
    pub allow_private_hosts: Vec<String>,
}

impl OutboundSettings {
    /// The guard these settings describe; a bad entry is added to `problems`.
    pub fn validate(&self, problems: &mut Vec<String>) -> Outbound {
        let allow = self
            .allow_private_hosts
            .iter()
            .filter_map(|entry| {
                entry
                    .parse::<Allowance>()
                    .map_err(|why| problems.push(format!("outbound.allow_private_hosts: {why}")))
                    .ok()
            })
            .collect();
        Outbound::new(allow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_4_ssrf_allowlist_entries_are_checked_when_the_configuration_is_read() {
        let settings = OutboundSettings {
            allow_private_hosts: vec!["127.0.0.1".into(), "10.0.0.0/8".into(), "hooks.internal".into()],
        };
        let mut problems = Vec::new();
        assert_eq!(settings.validate(&mut problems).allowances().len(), 3);
        assert!(problems.is_empty(), "{problems:?}");
        let bad = OutboundSettings { allow_private_hosts: vec!["http://x/".into()] };
        bad.validate(&mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
