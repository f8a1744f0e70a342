//! Free-text fields (names, labels, reasons): one rule for all of them.

use icu_casemap::CaseMapper;
use icu_properties::CodePointSetData;
use icu_properties::props::DefaultIgnorableCodePoint;
use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Field, Result};

/// Characters that change how text reads without being visible: controls
/// (line breaks included), Unicode line/paragraph separators and every
/// `Default_Ignorable_Code_Point` (zero-width, bidi and other formatting
/// characters, soft hyphens, Hangul fillers, variation selectors, tags),
/// which can make two labels look alike or a label read backwards. The
/// property comes from the Unicode data, so new ones are covered too.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

/// Trims surrounding white space and checks the value is non-empty, has no
/// invisible or control characters and fits the field's length.
pub fn clean(field: Field, raw: &str) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(CoreError::Empty(field));
    }
    if value.chars().any(is_invisible) {
        return Err(CoreError::InvalidCharacters(field));
    }
    if value.chars().count() > field.max_len() {
        return Err(CoreError::TooLong { field, max: field.max_len() });
    }
    Ok(value.to_string())
}

/// Text from outside (a request's path, a stored label) made safe for a log
/// line or a terminal: at most `max` characters, every control, bidi or
/// other invisible formatting character replaced by U+FFFD, so it can neither
/// forge lines, move the cursor nor read backwards.
pub fn for_log(value: &str, max: usize) -> String {
    // Most paths are short printable ASCII: nothing to replace.
    if value.len() <= max && value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return value.to_string();
    }
    let mut out: String = value.chars().take(max).map(|c| if is_invisible(c) { '\u{FFFD}' } else { c }).collect();
    if value.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The form used to compare names for uniqueness: "Staging CI", "staging ci",
/// "Straße" and "STRASSE", and compatibility look-alikes ("ﬁ" and "fi",
/// full-width letters) are the same name to a person reading a list. NFKC,
/// full case folding, NFKC again (folding can undo normalization), trimmed
/// again (NFKC turns a lone accent such as U+00B4 into a space and a
/// combining mark), so folding a folded form changes nothing.
pub fn fold(value: &str) -> String {
    let normalized: String = value.trim().nfkc().collect();
    let folded: String = CaseMapper::new().fold_string(&normalized).nfkc().collect();
    match folded.trim() {
        trimmed if trimmed.len() == folded.len() => folded,
        trimmed => trimmed.to_string(),
    }
}

/// Bumped whenever [`fold`] changes, so stored folded forms are redone.
pub const FOLD_VERSION: u32 = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn log_text_is_cut_and_cannot_forge_lines_or_reorder() {
        assert_eq!(for_log("/ping", 200), "/ping");
        assert_eq!(for_log("a\nb\u{1b}[2J\u{202E}c", 200), "a\u{FFFD}b\u{FFFD}[2J\u{FFFD}c");
        assert_eq!(for_log(&"x".repeat(500), 200).chars().count(), 201);
    }

    #[test]
    fn trims_and_accepts() {
        assert_eq!(clean(Field::AccountName, "  Acme Corp ").unwrap(), "Acme Corp");
        assert_eq!(clean(Field::KeyLabel, "staging CI — ünïcode").unwrap(), "staging CI — ünïcode");
    }

    #[test]
    fn rejects_empty_and_blank() {
        for raw in ["", "   ", "\t"] {
            assert_eq!(clean(Field::KeyLabel, raw).unwrap_err(), CoreError::Empty(Field::KeyLabel));
        }
    }

    #[test]
    fn rejects_control_characters() {
        for raw in ["a\nb", "a\u{7}b", "x\ry"] {
            let err = clean(Field::MerchantName, raw).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidCharacters);
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let max = Field::KeyLabel.max_len();
        assert!(clean(Field::KeyLabel, &"é".repeat(max)).is_ok());
        let err = clean(Field::KeyLabel, &"é".repeat(max + 1)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ValueTooLong);
        assert!(err.to_string().contains("64"));
    }

    #[test]
    fn fold_ignores_case_padding_and_look_alikes() {
        assert_eq!(fold(" Staging CI "), fold("staging ci"));
        assert_eq!(fold("ﬁnance"), fold("Finance"));
        assert_eq!(fold("ＣＩ"), fold("ci"));
        // Composed and decomposed accents are one name.
        assert_eq!(fold("Caf\u{e9}"), fold("Cafe\u{301}"));
        // Full case folding, not only lower case.
        assert_eq!(fold("Straße"), fold("STRASSE"));
        assert_eq!(fold("ΣΊΣΥΦΟΣ"), fold("σίσυφος"));
        assert_eq!(fold("ǰ"), fold("J\u{30C}"));
        assert_ne!(fold("Staging"), fold("Stagings"));
    }

    #[test]
    fn rejects_invisible_formatting_characters() {
        for raw in [
            "line\u{2028}separator",
            "zero\u{200B}width",
            "bidi\u{202E}override",
            "bom\u{FEFF}",
            "soft\u{AD}hyphen",
            "arabic\u{61C}mark",
            "mongolian\u{180E}vowel",
            "hangul\u{115F}filler",
            "hangul\u{3164}filler",
            "halfwidth\u{FFA0}filler",
            "tag\u{E0041}character",
            "deprecated\u{206A}format",
            "deprecated\u{206F}format",
            "variation\u{FE0F}selector",
            "grapheme\u{34F}joiner",
        ] {
            assert_eq!(clean(Field::KeyLabel, raw).unwrap_err().code(), ErrorCode::InvalidCharacters, "{raw:?}");
        }
    }
}
