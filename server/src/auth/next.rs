//! Where to go after signing in (or toggling the theme): the one check every path that
//! follows a `next` parameter uses — the sign-in form, the OIDC start and callback, the
//! theme toggle — so an attacker's link cannot send someone elsewhere (open redirect).
//!
//! `next` is resolved against the console's origin the way a browser resolves a
//! `Location` (WHATWG URL parsing, via `url`), and followed only when it stays on that
//! origin. Before that, anything a browser or a decoding hop would reinterpret is refused:
//! ASCII control characters and whitespace (browsers drop tabs and newlines, so
//! `/<TAB>/evil.example` becomes `//evil.example`), backslashes (read as `/`), anything
//! outside printable ASCII (look-alikes such as U+FF0F `／`), and paths that start with
//! `//` or `/\` once percent-decoded (`/%2F/evil.example`). The answer is the resolved
//! path, query and fragment: dot segments are gone, so `/.//evil.example` cannot come out
//! as `//evil.example`.

use url::Url;

/// Where people go when `next` is missing or refused.
const DEFAULT: &str = "/users";
/// Longest `next` followed.
const LONGEST: usize = 2_000;
/// Any origin works: only whether the result stays on it matters.
const BASE: &str = "https://console.invalid/";
/// Percent-decoding rounds checked (a value decoded by more hops than this is refused).
const DECODE_ROUNDS: usize = 4;

/// A local path to redirect to: `next` when it stays on the console's origin (and is not
/// a sign-in route, which would loop), else `/users`.
pub fn safe_next(next: &str) -> String {
    same_origin_path(next)
        .filter(|path| !path.starts_with("/login") && !path.starts_with("/auth/"))
        .unwrap_or_else(|| DEFAULT.to_owned())
}

/// `raw` as a path, query and fragment on the console's origin, or `None`.
fn same_origin_path(raw: &str) -> Option<String> {
    if raw.len() > LONGEST || !is_plain_local(raw) || !stays_plain_when_decoded(raw) {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let resolved = base.join(raw).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(query) = resolved.query() {
        path.push('?');
        path.push_str(query);
    }
    if let Some(fragment) = resolved.fragment() {
        path.push('#');
        path.push_str(fragment);
    }
    // Normalising may have changed the start (`/.//x` → `//x`, `/./%2F` → `/%2F`): the
    // result passes the same checks, so checking it again gives the same answer.
    (is_plain_local(&path) && stays_plain_when_decoded(&path)).then_some(path)
}

/// Printable ASCII without `\`, one leading `/` and no second one.
fn is_plain_local(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\')
}

/// The path (before `?` and `#`) stays free of control characters and backslashes, and
/// does not start with `//`, however many times it is percent-decoded.
fn stays_plain_when_decoded(raw: &str) -> bool {
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    let mut path = raw.as_bytes()[..end].to_vec();
    for _ in 0..DECODE_ROUNDS {
        let decoded = percent_decode(&path);
        if decoded == path {
            return true;
        }
        let bad_byte = decoded.iter().any(|b| b.is_ascii_control() || *b == b'\\');
        if bad_byte || decoded.starts_with(b"//") {
            return false;
        }
        path = decoded;
    }
    false
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) =
                (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b)))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a browser does with a `Location: <next>` answer from the console at `origin`.
    fn browser_goes_to(origin: &str, next: &str) -> url::Origin {
        Url::parse(origin).expect("origin").join(next).expect("a browser can follow it").origin()
    }

    #[test]
    fn local_paths_are_followed() {
        assert_eq!(safe_next("/users?q=ann"), "/users?q=ann");
        assert_eq!(safe_next("/users/a%2Fb"), "/users/a%2Fb");
        assert_eq!(safe_next("/users?q=ann%20lee#top"), "/users?q=ann%20lee#top");
        assert_eq!(safe_next("/queue/./cases/../reviewed"), "/queue/reviewed");
    }

    #[test]
    fn finding_3_open_redirect_tricks_fall_back_to_the_users_page() {
        for evil in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " /users",
            "/ /evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/%09/evil.example",
            "/%5Cevil.example",
            "/%5c%5cevil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%252F/evil.example",
            "/.//evil.example",
            "/..//evil.example",
            "/./%2F",
            "/./%2Fevil.example",
            "//evil.example",
            "///evil.example",
            "https://evil.example/",
            "https:evil.example",
            "https:/evil.example",
            "javascript:alert(1)",
            "/\u{FF0F}evil.example",
            "\u{FF0F}\u{FF0F}evil.example",
            "/\u{2215}evil.example",
            "/\u{2044}evil.example",
            "/\u{FE68}evil.example",
            "/\u{FF3C}evil.example",
            "/users\u{3000}",
            "/x\u{0}",
            "",
            "users",
            "/login?next=/x",
            "/./login",
            "/auth/login",
            "/x\r\nSet-Cookie: a=b",
        ] {
            assert_eq!(safe_next(evil), "/users", "{evil:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(LONGEST))), "/users", "too long");
    }

    /// Pieces an attacker would combine.
    fn piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "/",
            "//",
            "\\",
            "%2F",
            "%2f",
            "%5C",
            "%5c",
            "%09",
            "%0a",
            "%00",
            "%25",
            "%2e",
            ".",
            "..",
            "\t",
            "\n",
            "\r",
            " ",
            "\u{0}",
            "\u{7f}",
            "https:",
            "http:",
            "javascript:",
            ":",
            "@",
            "?",
            "#",
            "evil.example",
            "users",
            "login",
            "auth",
            "\u{FF0F}",
            "\u{2215}",
            "\u{2044}",
            "\u{FF3C}",
            "\u{FE68}",
            "\u{3002}",
            "\u{200B}",
            "%EF%BC%8F",
            "a",
        ])
        .prop_map(str::to_owned)
    }

    /// Paths built segment by segment, where dot segments and empty ones meet.
    fn path() -> impl Strategy<Value = String> {
        let start = prop::sample::select(vec!["/", "//", "/\\", "\\", "https:", "https://", ""]);
        let segment = prop::sample::select(vec![
            "",
            ".",
            "..",
            "%2e",
            "evil.example",
            "%2F",
            "%5C",
            "%09",
            "\\",
            "\t",
            "\u{FF0F}",
            "@",
        ]);
        (start, prop::collection::vec(segment, 0..6))
            .prop_map(|(start, segments)| format!("{start}{}", segments.join("/")))
    }

    fn attack() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec(piece(), 0..8).prop_map(|pieces| pieces.concat()),
            path(),
            any::<String>(),
            "/[ -~]{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn finding_3_no_input_yields_a_redirect_off_the_console(next in attack()) {
            let target = safe_next(&next);
            prop_assert!(is_plain_local(&target), "{next:?} → {target:?}");
            for origin in ["https://console.example", "http://127.0.0.1:3000"] {
                let expected = Url::parse(origin).expect("origin").origin();
                prop_assert_eq!(browser_goes_to(origin, &target), expected, "{:?} → {:?}", next, target);
            }
            prop_assert_eq!(safe_next(&target), target.clone(), "stable when checked again");
        }
    }
}
