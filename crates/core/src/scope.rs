//! Scoped API keys (seed 004): a key restricted to chosen merchants of its
//! account and chosen features (endpoints). Only the ecosystem operating
//! models may create them; Managed Ecosystem offers the two forward
//! endpoints only. And the access check: may key K call METHOD PATH for
//! merchant M?

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result, quote_input};
use crate::text::fold;
use crate::wire::wire_enum;
use crate::{OperatingModel, Standing};

wire_enum!(
    /// An endpoint a scoped key may be granted, as seed 004 lists them.
    Feature, UnknownFeature {
        ListTokens => "list_tokens", "GET /tokens";
        GetToken => "get_token", "GET /tokens/{id}";
        GetTokenPaymentData => "get_token_payment_data", "GET /tokens/{id}/payment-data";
        ForwardPaymentData => "forward_payment_data", "POST /payment-data/{id}/forward";
        Forward => "forward", "POST /forward";
    }
);

impl Feature {
    /// The features an operating model may grant; empty for the models
    /// that cannot create scoped keys.
    pub fn offered_by(model: OperatingModel) -> &'static [Feature] {
        match model {
            OperatingModel::Ecosystem => Feature::ALL,
            OperatingModel::ManagedEcosystem => &[Feature::ForwardPaymentData, Feature::Forward],
            OperatingModel::PrimaryMerchant | OperatingModel::PlatformMarketplace => &[],
        }
    }

    pub fn method(self) -> &'static str {
        match self {
            Feature::ListTokens | Feature::GetToken | Feature::GetTokenPaymentData => "GET",
            Feature::ForwardPaymentData | Feature::Forward => "POST",
        }
    }

    /// The path template; `{id}` stands for one path segment.
    pub fn template(self) -> &'static str {
        match self {
            Feature::ListTokens => "/tokens",
            Feature::GetToken => "/tokens/{id}",
            Feature::GetTokenPaymentData => "/tokens/{id}/payment-data",
            Feature::ForwardPaymentData => "/payment-data/{id}/forward",
            Feature::Forward => "/forward",
        }
    }

    fn matches(self, method: &str, segments: &[&str]) -> bool {
        let template: Vec<&str> = self.template().split('/').skip(1).collect();
        self.method() == method
            && template.len() == segments.len()
            && template.iter().zip(segments).all(|(t, s)| *t == "{id}" || t == s)
    }

    /// The feature a request is, if it is one.
    pub fn of_request(method: &str, path: &str) -> Result<Option<Feature>> {
        let method = request_method(method)?;
        let segments = request_path(path)?;
        Ok(Feature::ALL.iter().copied().find(|f| f.matches(&method, &segments)))
    }
}

/// What a scoped key may do: the merchants (by name, as the account calls
/// them) and the features it was granted. Fixed once the key exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyScope {
    pub merchants: Vec<String>,
    pub features: Vec<Feature>,
}

/// An HTTP method: a token of letters, taken in upper case. Spaces around
/// it (typed into a form) are dropped; any other character is refused.
pub fn request_method(raw: &str) -> Result<String> {
    let method = raw.trim_matches(' ');
    if method.is_empty() || method.len() > 16 || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(CoreError::MethodMalformed(quote_input(raw)));
    }
    Ok(method.to_ascii_uppercase())
}

/// A request path's segments. It starts with `/`; a query string is
/// ignored and one trailing slash dropped; empty, `.` and `..` segments,
/// white space, control characters and fragments are refused, so no two
/// spellings of one path are judged differently.
pub fn request_path(raw: &str) -> Result<Vec<&str>> {
    let bad = || CoreError::PathMalformed(quote_input(raw));
    if raw.len() > 2048 || !raw.starts_with('/') || raw.contains('#') {
        return Err(bad());
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let path = raw.split('?').next().unwrap_or(raw);
    let path = if path.len() > 1 { path.strip_suffix('/').unwrap_or(path) } else { path };
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    if path != "/" && segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(bad());
    }
    Ok(if path == "/" { Vec::new() } else { segments })
}

/// What the check knows of a key.
#[derive(Debug, Clone)]
pub struct KeyFacts<'a> {
    pub revoked: bool,
    pub revoke_reason: Option<&'a str>,
    pub standing: Standing,
    pub operating_model: OperatingModel,
    /// The account's merchants, by name.
    pub merchants: &'a [String],
    pub scope: Option<&'a KeyScope>,
}

/// The answer to "may this key call METHOD PATH for this merchant?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Access {
    pub allowed: bool,
    /// Why, in words.
    pub reason: String,
    /// The feature the request is, when it is one.
    pub feature: Option<Feature>,
}

/// The access check. Malformed methods and paths are errors; everything
/// else is an answer with its reason.
pub fn decide(key: &KeyFacts<'_>, method: &str, path: &str, merchant: Option<&str>) -> Result<Access> {
    let feature = Feature::of_request(method, path)?;
    let merchant = merchant.map(str::trim).filter(|m| !m.is_empty());
    let answer = |allowed: bool, reason: String| Ok(Access { allowed, reason, feature });
    if key.revoked {
        let why = key.revoke_reason.map(|r| format!(" ({r})")).unwrap_or_default();
        return answer(false, format!("The key is revoked{why}: it has no access."));
    }
    if key.standing == Standing::Suspended {
        return answer(false, "The key's account is suspended: its keys have no access.".into());
    }
    // The merchant, when named, must be one of the account's.
    let known = merchant.map(|m| key.merchants.iter().find(|k| fold(k) == fold(m)));
    if let Some(None) = known {
        let m = merchant.unwrap_or_default();
        return answer(false, format!("\"{}\" is not a merchant of the key's account.", quote_input(m)));
    }
    let Some(scope) = key.scope else {
        return answer(true, "An unscoped key has its account's full access.".into());
    };
    let Some(feature) = feature else {
        return answer(
            false,
            format!(
                "A scoped key may call only the features it was granted; {} {} is not one of them (nor any feature a scope can name).",
                request_method(method)?,
                path.split('?').next().unwrap_or(path)
            ),
        );
    };
    if !Feature::offered_by(key.operating_model).contains(&feature) {
        return answer(
            false,
            format!(
                "{} is not offered to {} accounts, so no scoped key of this account may call it.",
                feature.label(),
                key.operating_model.label()
            ),
        );
    }
    if !scope.features.contains(&feature) {
        return answer(false, format!("The key's scope does not grant {}.", feature.label()));
    }
    let Some(Some(name)) = known else {
        return answer(false, "A scoped key acts for a merchant: name the merchant the request is for.".into());
    };
    if !scope.merchants.iter().any(|m| fold(m) == fold(name)) {
        return answer(false, format!("The key's scope does not include the merchant \"{name}\"."));
    }
    answer(true, format!("The key's scope grants {} for the merchant \"{name}\".", feature.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_ecosystem_models_offer_features() {
        assert_eq!(Feature::offered_by(OperatingModel::Ecosystem).len(), 5);
        assert_eq!(
            Feature::offered_by(OperatingModel::ManagedEcosystem),
            &[Feature::ForwardPaymentData, Feature::Forward]
        );
        assert!(Feature::offered_by(OperatingModel::PrimaryMerchant).is_empty());
        assert!(Feature::offered_by(OperatingModel::PlatformMarketplace).is_empty());
    }

    #[test]
    fn templates_match_concrete_paths_segment_by_segment() {
        let f = |m: &str, p: &str| Feature::of_request(m, p).unwrap();
        assert_eq!(f("GET", "/tokens"), Some(Feature::ListTokens));
        assert_eq!(f("get", "/tokens/"), Some(Feature::ListTokens));
        assert_eq!(f("GET", "/tokens/tok_123"), Some(Feature::GetToken));
        assert_eq!(f("GET", "/tokens/tok_123/payment-data"), Some(Feature::GetTokenPaymentData));
        assert_eq!(f("GET", "/tokens/tok_123/payment-data?page=2"), Some(Feature::GetTokenPaymentData));
        assert_eq!(f("POST", "/payment-data/pd_9/forward"), Some(Feature::ForwardPaymentData));
        assert_eq!(f("POST", "/forward"), Some(Feature::Forward));
        assert_eq!(f("GET", "/tokens/a/b"), None);
        assert_eq!(f("POST", "/tokens"), None, "the method counts");
        assert_eq!(f("GET", "/forward"), None);
        assert_eq!(f("GET", "/"), None);
        assert_eq!(f("GET", "/tokensx"), None);
    }

    #[test]
    fn malformed_methods_and_paths_are_errors() {
        for method in ["", "G ET", "GET\n", "P0ST", "VERYLONGMETHODNAMEXX"] {
            assert!(matches!(Feature::of_request(method, "/tokens"), Err(CoreError::MethodMalformed(_))), "{method:?}");
        }
        for path in
            ["", "tokens", "/tokens//x", "/tokens/../forward", "/./forward", "/tok ens", "/forward#x", "/a\u{0}"]
        {
            assert!(matches!(Feature::of_request("GET", path), Err(CoreError::PathMalformed(_))), "{path:?}");
        }
        assert!(Feature::of_request("GET", &format!("/{}", "a".repeat(3000))).is_err());
    }
}
