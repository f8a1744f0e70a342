//! The license holder's Commerce account: MageID, edition, operating model
//! and standing.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result, quote_input};
use crate::wire::wire_enum;

/// A Commerce account id. Accepted form: `MAG` followed by exactly nine
/// digits (`MAG012345678`), the shape account.magento.com uses. Input is
/// trimmed and upper-cased first, so `mag012345678` is accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct MageId(String);

impl MageId {
    pub const DIGITS: usize = 9;

    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err(CoreError::MageIdEmpty);
        }
        let well_formed = value.len() == 3 + Self::DIGITS
            && value.starts_with("MAG")
            && value[3..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err(CoreError::MageIdMalformed(quote_input(raw)));
        }
        Ok(MageId(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

wire_enum!(
    /// Whose account it is on this workstation: the license holder's own
    /// (keys are created here), or a client's whose keys arrived in a key
    /// bundle (its license holder creates them elsewhere).
    AccountRelation, UnknownAccountRelation {
        Own => "own", "Own account";
        Client => "client", "Client account";
    }
);

wire_enum!(
    /// The Commerce product the account is licensed for; decides how many
    /// data spaces a SaaS project gets.
    Edition, UnknownEdition {
        AdobeCommerce => "adobe_commerce", "Adobe Commerce";
        MagentoOpenSource => "magento_open_source", "Magento Open Source";
    }
);

wire_enum!(
    /// How the account does business; the two ecosystem models have merchants
    /// and may create scoped keys.
    OperatingModel, UnknownOperatingModel {
        PrimaryMerchant => "primary_merchant", "Primary Merchant";
        PlatformMarketplace => "platform_marketplace", "Platform / Marketplace";
        Ecosystem => "ecosystem", "Ecosystem";
        ManagedEcosystem => "managed_ecosystem", "Managed Ecosystem";
    }
);

wire_enum!(
    /// Whether Commerce Services accept the account's keys at all.
    Standing, UnknownStanding {
        Good => "good", "Good standing";
        Suspended => "suspended", "Suspended";
    }
);

impl OperatingModel {
    /// Only ecosystem accounts act for merchants of their own.
    pub fn has_merchants(self) -> bool {
        matches!(self, OperatingModel::Ecosystem | OperatingModel::ManagedEcosystem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn mage_id_accepts_canonical_and_normalises() {
        assert_eq!(MageId::parse("MAG012345678").unwrap().as_str(), "MAG012345678");
        assert_eq!(MageId::parse("  mag012345678\n").unwrap().as_str(), "MAG012345678");
    }

    #[test]
    fn mage_id_rejects_empty() {
        assert_eq!(MageId::parse("   ").unwrap_err(), CoreError::MageIdEmpty);
    }

    #[test]
    fn mage_id_rejects_malformed() {
        for raw in [
            "MAG12345678",   // 8 digits
            "MAG0123456789", // 10 digits: too long
            "MAX012345678",
            "012345678",
            "MAG01234567A",
            "MAG 12345678",
            "MAG０１２３４５６７８", // full-width digits
        ] {
            let err = MageId::parse(raw).unwrap_err();
            assert_eq!(err.code(), ErrorCode::MageIdMalformed, "{raw}");
        }
    }

    #[test]
    fn mage_id_message_quotes_long_input_briefly() {
        let err = MageId::parse(&"X".repeat(500)).unwrap_err();
        assert!(err.to_string().len() < 200);
    }

    #[test]
    fn enums_round_trip_their_wire_names() {
        for e in Edition::ALL {
            assert_eq!(e.as_str().parse::<Edition>().unwrap(), *e);
            assert_eq!(serde_json::to_string(e).unwrap(), format!("\"{}\"", e.as_str()));
        }
        for m in OperatingModel::ALL {
            assert_eq!(m.as_str().parse::<OperatingModel>().unwrap(), *m);
        }
        assert_eq!("suspended".parse::<Standing>().unwrap(), Standing::Suspended);
    }

    #[test]
    fn unknown_enum_values_have_their_own_codes() {
        assert_eq!("enterprise".parse::<Edition>().unwrap_err().code(), ErrorCode::UnknownEdition);
        assert_eq!("Ecosystem".parse::<OperatingModel>().unwrap_err().code(), ErrorCode::UnknownOperatingModel);
        assert_eq!("bad".parse::<Standing>().unwrap_err().code(), ErrorCode::UnknownStanding);
    }

    #[test]
    fn only_ecosystem_models_have_merchants() {
        assert!(OperatingModel::Ecosystem.has_merchants());
        assert!(OperatingModel::ManagedEcosystem.has_merchants());
        assert!(!OperatingModel::PrimaryMerchant.has_merchants());
        assert!(!OperatingModel::PlatformMarketplace.has_merchants());
    }
}
