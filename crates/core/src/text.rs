//! Free-text fields (names, labels, reasons): one rule for all of them.

use crate::error::{CoreError, Field, Result};

/// Trims surrounding white space and checks the value is non-empty, has no
/// control characters (line breaks included) and fits the field's length.
pub fn clean(field: Field, raw: &str) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(CoreError::Empty(field));
    }
    if value.chars().any(char::is_control) {
        return Err(CoreError::InvalidCharacters(field));
    }
    if value.chars().count() > field.max_len() {
        return Err(CoreError::TooLong { field, max: field.max_len() });
    }
    Ok(value.to_string())
}

/// The form used to compare names for uniqueness: "Staging CI" and
/// "staging ci" are the same name to a person reading a list.
pub fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(err.code(), "invalid_characters");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let max = Field::KeyLabel.max_len();
        assert!(clean(Field::KeyLabel, &"é".repeat(max)).is_ok());
        let err = clean(Field::KeyLabel, &"é".repeat(max + 1)).unwrap_err();
        assert_eq!(err.code(), "value_too_long");
        assert!(err.to_string().contains("64"));
    }

    #[test]
    fn fold_ignores_case_and_padding() {
        assert_eq!(fold(" Staging CI "), fold("staging ci"));
    }
}
