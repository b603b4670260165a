//! Numbers in a byte or a few: LEB128 (seven bits a byte), and zigzag for signed
//! distances, so that small ones of either sign are small. How a large study's long lists of
//! nearby numbers are held (codings' evidence, each code's coded segments).

/// A signed number as an unsigned one, small for small numbers of either sign.
pub(crate) fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// The signed number [`zigzag`] made `n` of.
pub(crate) fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// LEB128: seven bits a byte, low bits first, the top bit set on every byte but the last.
pub(crate) fn push_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The number [`push_number`] wrote at the start of `bytes`, which it moves past.
#[inline]
pub(crate) fn read_number(bytes: &mut &[u8]) -> u64 {
    // most numbers (lengths, distances between nearby words) take one byte: read without
    // the loop, whose shifts and checks were most of checking a re-code's cached matches
    if let Some((&byte, rest)) = bytes.split_first()
        && byte < 0x80
    {
        *bytes = rest;
        return u64::from(byte);
    }
    read_longer_number(bytes)
}

/// [`read_number`] of a number of several bytes (or of none).
fn read_longer_number(bytes: &mut &[u8]) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some((&byte, rest)) = bytes.split_first() {
        *bytes = rest;
        // bits past the 64th (only in bytes that were never a number) are dropped
        n |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
        if byte < 0x80 {
            break;
        }
        shift = shift.saturating_add(7);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Numbers of any size, one after another, read back as written, each moving past
        /// its own bytes only.
        #[test]
        fn numbers_read_back_as_written(numbers in proptest::collection::vec(
            proptest::prop_oneof![0u64..0x80, 0x80u64..1 << 21, proptest::num::u64::ANY],
            0..16,
        )) {
            let mut bytes = Vec::new();
            for &n in &numbers {
                push_number(&mut bytes, n);
            }
            let mut rest = &bytes[..];
            let read: Vec<u64> = numbers.iter().map(|_| read_number(&mut rest)).collect();
            proptest::prop_assert_eq!(read, numbers);
            proptest::prop_assert!(rest.is_empty());
        }
    }

    #[test]
    fn nothing_or_a_cut_number_reads_as_what_its_bytes_hold() {
        let mut empty: &[u8] = &[];
        assert_eq!(read_number(&mut empty), 0);
        let mut cut: &[u8] = &[0x85, 0x81];
        assert_eq!(read_number(&mut cut), 5 | 1 << 7);
        assert!(cut.is_empty());
        let mut one: &[u8] = &[0x7f, 3];
        assert_eq!(read_number(&mut one), 0x7f);
        assert_eq!(one, &[3]);
    }
}
