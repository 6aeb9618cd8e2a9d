//! Secrets from the OS's secure random source.

/// Letters and digits that cannot be mistaken for each other when read off a terminal.
const READABLE: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// `N` bytes from the OS's secure random source.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    fill(&mut bytes);
    bytes
}

fn fill(buffer: &mut [u8]) {
    // Without a secure random source the process cannot make secrets at all.
    getrandom::fill(buffer).expect("the OS random source is unavailable");
}

/// A random string of `len` characters from [`READABLE`] (≈ 5.8 bits each).
pub fn readable_secret(len: usize) -> String {
    let mut bytes = vec![0u8; len * 2];
    fill(&mut bytes);
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - (256 % READABLE.len());
    let mut out = String::with_capacity(len);
    for byte in bytes.into_iter().filter(|b| usize::from(*b) < limit) {
        out.push(char::from(READABLE[usize::from(byte) % READABLE.len()]));
        if out.len() == len {
            return out;
        }
    }
    // Rare: too many rejected bytes; draw again.
    let missing = len - out.len();
    out + &readable_secret(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_the_asked_length_and_alphabet() {
        let secret = readable_secret(24);
        assert_eq!(secret.len(), 24);
        assert!(secret.bytes().all(|b| READABLE.contains(&b)));
        assert_ne!(readable_secret(24), secret);
    }
}
