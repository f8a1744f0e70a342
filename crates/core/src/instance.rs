//! Commerce instances as an integrator configures them: website codes,
//! instance type, base URL, the gateway their connector talks to, the IMS
//! organization id, and API keys that may come from outside Keyport.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Environment;
use crate::apikey::ApiKey;
use crate::error::quote_input;
use crate::error::{CoreError, Field, Result};
use crate::wire::wire_enum;

wire_enum!(
    /// What an instance is for. Only a production instance should feed a
    /// production data space (seed 000: data collisions otherwise).
    InstanceType, UnknownInstanceType {
        Production => "production", "Production";
        Staging => "staging", "Staging";
        Development => "development", "Development";
    }
);

wire_enum!(
    /// Where an instance's connector sends its requests.
    GatewayChoice, UnknownGateway {
        Keyport => "keyport", "Keyport's Commerce Services sandbox";
        Adobe => "adobe", "Adobe Commerce Services";
        Custom => "custom", "Custom URL";
    }
);

/// Adobe's gateways, as the connector's `etc/config.xml` sets them.
pub const ADOBE_PRODUCTION_GATEWAY: &str = "https://commerce.adobe.io/";
pub const ADOBE_SANDBOX_GATEWAY: &str = "https://commerce-beta.adobe.io/";

impl GatewayChoice {
    /// The gateway URL for `environment`'s key pair; `local` is this home's
    /// sandbox and `custom` the instance's own URL.
    pub fn url(self, environment: Environment, local: &str, custom: Option<&str>) -> String {
        match self {
            GatewayChoice::Keyport => local.to_string(),
            GatewayChoice::Adobe => match environment {
                Environment::Production => ADOBE_PRODUCTION_GATEWAY.to_string(),
                Environment::Sandbox => ADOBE_SANDBOX_GATEWAY.to_string(),
            },
            GatewayChoice::Custom => custom.unwrap_or(local).to_string(),
        }
    }
}

/// The longest website code Magento accepts.
pub const WEBSITE_CODE_MAX: usize = 32;

/// A Magento website code: a lowercase letter first, then lowercase
/// letters, digits and underscores, at most 32 characters (Magento's own
/// rule for `store_website.code`).
pub fn website_code(raw: &str) -> Result<String> {
    let code = raw.trim();
    let mut chars = code.chars();
    let valid = matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && code.len() <= WEBSITE_CODE_MAX;
    if valid { Ok(code.to_string()) } else { Err(CoreError::WebsiteCodeMalformed(quote_input(code))) }
}

/// An instance's website codes from a list a person typed ("base, eu_store"):
/// at least one, each valid, none twice.
pub fn website_codes(raw: &[String]) -> Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for part in raw.iter().flat_map(|r| r.split([',', ' ', '\n', '\t'])).filter(|p| !p.trim().is_empty()) {
        let code = website_code(part)?;
        if codes.contains(&code) {
            return Err(CoreError::WebsiteCodeDuplicate(code));
        }
        codes.push(code);
    }
    if codes.is_empty() {
        return Err(CoreError::Empty(Field::WebsiteCodes));
    }
    Ok(codes)
}

/// An http(s) URL with a host: an instance's base URL or a custom gateway.
/// Returned with a trailing slash, as Magento writes its base URLs.
pub fn http_url(field: Field, raw: &str) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(CoreError::Empty(field));
    }
    let bad = || CoreError::UrlInvalid { field, url: quote_input(value) };
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://")).ok_or_else(bad)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let port_ok = match authority.rsplit_once(']').map(|(_, p)| p).unwrap_or(authority).split_once(':') {
        Some((_, port)) => port.parse::<u16>().is_ok(),
        None => true,
    };
    let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-._:".contains(c));
    if !host_ok || !port_ok || authority.contains('@') || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    if value.chars().count() > 2048 {
        return Err(CoreError::TooLong { field, max: 2048 });
    }
    Ok(if value.ends_with('/') { value.to_string() } else { format!("{value}/") })
}

/// An Adobe IMS organization id: 24 hexadecimal characters and `@AdobeOrg`.
pub fn ims_organization_id(raw: &str) -> Result<String> {
    let value = raw.trim();
    let valid = value
        .strip_suffix("@AdobeOrg")
        .is_some_and(|id| id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    if valid { Ok(value.to_string()) } else { Err(CoreError::ImsOrgMalformed(quote_input(value))) }
}

/// The API key of one of an instance's pairs. Keyport's own keys are checked
/// offline (checksum, environment); a key issued elsewhere (Adobe's API
/// Portal) can only be checked by its gateway, so it only has to look like
/// a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct InstanceApiKey(String);

impl InstanceApiKey {
    pub fn parse(raw: &str, environment: Environment) -> Result<InstanceApiKey> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(CoreError::ApiKeyMalformed("The API key is empty."));
        }
        if value.to_ascii_lowercase().starts_with("kp_") {
            let key = ApiKey::parse(value)?;
            if key.environment() != environment {
                return Err(CoreError::ApiKeyWrongEnvironment { expected: environment, found: key.environment() });
            }
            return Ok(InstanceApiKey(key.as_str().to_string()));
        }
        if value.len() > 128 || !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(CoreError::ApiKeyMalformed(
                "This is not an API key: it must be a single word of printable characters, at most 128.",
            ));
        }
        Ok(InstanceApiKey(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Keyport key this is, when it is one.
    pub fn keyport(&self) -> Option<ApiKey> {
        ApiKey::parse(&self.0).ok()
    }
}

impl fmt::Display for InstanceApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn website_codes_follow_magentos_rule() {
        for good in ["base", "eu_store", "b2b", "a", &"a".repeat(32)] {
            assert_eq!(website_code(good).unwrap(), good);
        }
        assert_eq!(website_code("  base ").unwrap(), "base");
        for bad in ["", "Base", "1store", "_x", "eu-store", "eu store", "ünï", &"a".repeat(33), "ba\nse"] {
            assert_eq!(website_code(bad).unwrap_err().code(), ErrorCode::WebsiteCodeMalformed, "{bad:?}");
        }
    }

    #[test]
    fn a_list_of_codes_needs_one_and_no_repeats() {
        let list = |s: &str| website_codes(&[s.to_string()]);
        assert_eq!(list("base, eu_store\nus").unwrap(), ["base", "eu_store", "us"]);
        assert_eq!(list(" , ").unwrap_err().code(), ErrorCode::EmptyValue);
        assert_eq!(list("base base").unwrap_err().code(), ErrorCode::WebsiteCodeDuplicate);
        assert_eq!(list("base, EU").unwrap_err().code(), ErrorCode::WebsiteCodeMalformed);
    }

    #[test]
    fn urls_are_http_with_a_host() {
        let url = |s: &str| http_url(Field::BaseUrl, s);
        assert_eq!(url("https://shop.example.com").unwrap(), "https://shop.example.com/");
        assert_eq!(url("http://127.0.0.1:9393/").unwrap(), "http://127.0.0.1:9393/");
        assert_eq!(url("http://[::1]:8080/magento/").unwrap(), "http://[::1]:8080/magento/");
        for bad in [
            "shop.example.com",
            "ftp://shop.example.com",
            "https://",
            "https:///path",
            "javascript:alert(1)",
            "https://user:pw@shop.example.com/",
            "https://shop example.com/",
            "http://host:99999/",
            "file:///etc/passwd",
        ] {
            assert_eq!(url(bad).unwrap_err().code(), ErrorCode::UrlInvalid, "{bad:?}");
        }
        assert_eq!(url("  ").unwrap_err().code(), ErrorCode::EmptyValue);
    }

    #[test]
    fn ims_organization_ids_are_adobe_org_ids() {
        assert!(ims_organization_id("8E6307BF5D775FA00A495EF9@AdobeOrg").is_ok());
        for bad in ["8E6307BF5D775FA00A495EF9", "8e6307bf5d775fa00a495ef9@AdobeOrg", "XYZ@AdobeOrg", ""] {
            assert_eq!(ims_organization_id(bad).unwrap_err().code(), ErrorCode::ImsOrgMalformed, "{bad:?}");
        }
    }

    #[test]
    fn instance_keys_are_checked_offline_when_they_are_keyports() {
        let sandbox = ApiKey::generate(Environment::Sandbox, &mut rand::thread_rng());
        assert_eq!(InstanceApiKey::parse(sandbox.as_str(), Environment::Sandbox).unwrap().as_str(), sandbox.as_str());
        let wrong = InstanceApiKey::parse(sandbox.as_str(), Environment::Production).unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::ApiKeyWrongEnvironment);
        let mut typo = sandbox.as_str().to_string();
        typo.replace_range(10..11, if &typo[10..11] == "a" { "b" } else { "a" });
        assert_eq!(InstanceApiKey::parse(&typo, Environment::Sandbox).unwrap_err().code(), ErrorCode::ApiKeyChecksum);
        // A key from Adobe's portal passes offline; its gateway judges it.
        let adobe = InstanceApiKey::parse("0a1b2c3d4e5f60718293a4b5c6d7e8f9", Environment::Production).unwrap();
        assert!(adobe.keyport().is_none());
        for bad in ["", "two words", &"x".repeat(129), "tab\tkey"] {
            assert_eq!(
                InstanceApiKey::parse(bad, Environment::Sandbox).unwrap_err().code(),
                ErrorCode::ApiKeyMalformed
            );
        }
    }

    #[test]
    fn gateways_resolve_per_environment() {
        let local = "http://127.0.0.1:9393/";
        assert_eq!(GatewayChoice::Keyport.url(Environment::Production, local, None), local);
        assert_eq!(GatewayChoice::Adobe.url(Environment::Sandbox, local, None), ADOBE_SANDBOX_GATEWAY);
        assert_eq!(GatewayChoice::Adobe.url(Environment::Production, local, None), ADOBE_PRODUCTION_GATEWAY);
        assert_eq!(
            GatewayChoice::Custom.url(Environment::Sandbox, local, Some("https://gw.test/")),
            "https://gw.test/"
        );
    }
}
