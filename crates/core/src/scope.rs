//! Scoped API keys (seed 004): a key restricted to chosen merchants of its
//! account and chosen features (endpoints). Only the ecosystem operating
//! models may create them; Managed Ecosystem offers the two forward
//! endpoints only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::OperatingModel;
use crate::wire::wire_enum;

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
}

/// What a scoped key may do: the merchants (by name, as the account calls
/// them) and the features it was granted. Fixed once the key exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyScope {
    pub merchants: Vec<String>,
    pub features: Vec<Feature>,
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
}
