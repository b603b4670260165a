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
pub(crate) fn read_number(bytes: &mut &[u8]) -> u64 {
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
