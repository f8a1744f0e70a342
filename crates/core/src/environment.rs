use crate::wire::wire_enum;

wire_enum!(
    /// Every API key belongs to one environment; an instance holds a pair of
    /// each and uses one pair at a time.
    Environment, UnknownEnvironment {
        Production => "production", "Production";
        Sandbox => "sandbox", "Sandbox";
    }
);

impl Environment {
    /// The other environment of an instance's two pairs.
    pub fn other(self) -> Environment {
        match self {
            Environment::Production => Environment::Sandbox,
            Environment::Sandbox => Environment::Production,
        }
    }

    /// The conventional file name of this environment's private key, as the
    /// Commerce documentation and the Connector expect it.
    pub fn private_key_file_name(self) -> &'static str {
        match self {
            Environment::Production => "privateKey-production.pem",
            Environment::Sandbox => "privateKey-sandbox.pem",
        }
    }
}
