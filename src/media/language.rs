//! Track languages as containers store them: MP4's `mdhd` and Matroska's Language hold an
//! ISO 639-2 code, while users write BCP 47 tags ("en", "pt-BR"). The primary subtag is mapped
//! when it is a two-letter code of a widely used language; the whole tag goes beside it
//! (MP4 `elng`, Matroska LanguageBCP47).

/// ISO 639-1 codes and their ISO 639-2/T equivalents, five letters each (`en` `eng`): one string
/// rather than pairs of `&str`, whose pointers would cost more than the letters.
const TWO_TO_THREE: &str = concat!(
    "ararabgbulbnbencacatcscescycymdadandedeuelellenengesspaetesteueusfafasfifinfrfra",
    "gagleglglghehebhihinhrhrvhuhunidindisislititajajpnkokorltlitlvlavmsmsanbnobnlnld",
    "nonorplpolptporroronrurusskslkslslvsrsrpsvsweswswatatamththatrturukukrviviezhzho",
);

/// The ISO 639-2 code of a BCP 47 tag's primary language: itself when it is three lowercase
/// letters, mapped when it is a known two-letter code, else `None` (written as "und").
pub fn iso639_2(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    if primary.len() == 3 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(primary);
    }
    let table = TWO_TO_THREE.as_bytes();
    table
        .chunks_exact(5)
        .find(|c| c[..2] == *primary.as_bytes())
        .map(|c| String::from_utf8_lossy(&c[2..]).into_owned())
}

/// Whether `tag` has the shape of a BCP 47 tag: subtags of 1 to 8 ASCII letters or digits
/// joined by `-`, the first of 2 to 8 letters (or `und`); at most 35 characters.
pub fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    tag.len() <= 35
        && (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `mdhd`'s packed language: three letters of 5 bits each, `und` when there is no code.
pub fn mdhd_code(tag: &str) -> u16 {
    let code = iso639_2(tag).unwrap_or_else(|| "und".into());
    code.bytes().fold(0u16, |acc, b| (acc << 5) | (b.saturating_sub(0x60) as u16 & 0x1f))
}

/// Whether the tag says more than its ISO 639-2 code (a region, a script, or no code at all).
pub fn needs_full_tag(tag: &str) -> bool {
    iso639_2(tag).as_deref() != Some(tag) && tag != "und"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(iso639_2("en").as_deref(), Some("eng"));
        assert_eq!(iso639_2("pt-BR").as_deref(), Some("por"));
        assert_eq!(iso639_2("fra").as_deref(), Some("fra"));
        // The table's first and last records.
        assert_eq!(iso639_2("ar").as_deref(), Some("ara"));
        assert_eq!(iso639_2("zh-Hant").as_deref(), Some("zho"));
        assert_eq!(TWO_TO_THREE.len() % 5, 0);
        assert_eq!(iso639_2("x-klingon"), None);
        assert_eq!(mdhd_code("und"), 0x55c4);
        assert!(is_tag("en") && is_tag("pt-BR") && is_tag("zh-Hant-TW") && is_tag("und"));
        assert!(!is_tag("") && !is_tag("e") && !is_tag("en_US") && !is_tag("en-") && !is_tag("1a"));
        assert!(needs_full_tag("en") && !needs_full_tag("eng") && !needs_full_tag("und"));
    }
}
