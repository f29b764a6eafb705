//! Labels: what a ticket is about (請求, 配送, bug). The weekly report counts by them.

use serde::{Deserialize, Serialize};

use crate::{Colour, DomainError, LabelId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub colour: Colour,
}

/// Label names may be Japanese; they must be printable and short enough for a chip in the UI.
/// Commas are refused because labels are passed as comma lists in filters and CSV headers.
pub fn validate_label_name(name: &str) -> Result<String, DomainError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 50 {
        return Err(DomainError::InvalidName(
            name.to_string(),
            "a label name has 1-50 characters",
        ));
    }
    if n.chars().any(|c| c.is_control() || c == ',') {
        return Err(DomainError::InvalidName(
            name.to_string(),
            "a label name has no commas or control characters",
        ));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names() {
        assert_eq!(validate_label_name(" 請求 ").unwrap(), "請求");
        assert!(validate_label_name("").is_err());
        assert!(validate_label_name("a,b").is_err());
        assert!(validate_label_name("a\nb").is_err());
    }
}
