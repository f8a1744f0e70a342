//! SaaS projects and their data spaces (the registry's "environments").

use crate::Edition;
use crate::wire::wire_enum;

wire_enum!(
    /// What a data space is for. The production one belongs to the
    /// production instance only (data collisions otherwise).
    DataSpaceType, UnknownDataSpaceType {
        Production => "production", "Production";
        Testing => "testing", "Testing";
    }
);

/// The data spaces a new project gets, by edition, with their default
/// names: Adobe Commerce 1 production + 2 testing, Magento Open Source 1
/// production and no testing.
pub fn data_space_plan(edition: Edition) -> &'static [(DataSpaceType, &'static str)] {
    match edition {
        Edition::AdobeCommerce => &[
            (DataSpaceType::Production, "Production"),
            (DataSpaceType::Testing, "Testing 1"),
            (DataSpaceType::Testing, "Testing 2"),
        ],
        Edition::MagentoOpenSource => &[(DataSpaceType::Production, "Production")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adobe_commerce_gets_one_production_and_two_testing() {
        let plan = data_space_plan(Edition::AdobeCommerce);
        assert_eq!(plan.iter().filter(|(t, _)| *t == DataSpaceType::Production).count(), 1);
        assert_eq!(plan.iter().filter(|(t, _)| *t == DataSpaceType::Testing).count(), 2);
    }

    #[test]
    fn open_source_gets_one_production_only() {
        assert_eq!(data_space_plan(Edition::MagentoOpenSource), &[(DataSpaceType::Production, "Production")]);
    }

    #[test]
    fn default_names_are_distinct() {
        for edition in Edition::ALL {
            let plan = data_space_plan(*edition);
            let mut names: Vec<_> = plan.iter().map(|(_, n)| n.to_lowercase()).collect();
            names.dedup();
            assert_eq!(names.len(), plan.len());
        }
    }
}
