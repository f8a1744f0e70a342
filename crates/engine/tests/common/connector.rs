//! The Connector page's fixture: a home with an account, Keyport's sandbox
//! serving it over HTTP as the instances' gateway, and helpers for pairs.

use std::path::{Path, PathBuf};

use keyport_engine::core::{Environment, InstanceType, OperatingModel};
use keyport_engine::model::{ConnectorInput, Instance, NewInstance, NewKey, PairInput, PastedSecret, PrivateKeySource};
use keyport_engine::{Engine, EngineError};
use keyport_sandbox::Sandbox;

use super::{TestHome, new_account};

pub const MAG: &str = "MAG000000001";

pub struct Fixture {
    pub home: TestHome,
    _sandbox: Sandbox,
    pub out: tempfile::TempDir,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let home = TestHome::new().await;
        home.engine.create_account(new_account(MAG, "Acme", OperatingModel::PrimaryMerchant)).await.unwrap();
        let sandbox = Sandbox::start(home.engine.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
        home.engine.set_local_gateway(Some(sandbox.gateway_url()));
        Fixture { home, _sandbox: sandbox, out: tempfile::tempdir().unwrap() }
    }

    pub fn engine(&self) -> &Engine {
        &self.home.engine
    }

    /// A key of this home whose private key is saved to a file (and kept in
    /// the keychain with `keep`). Returns (API key, PEM file).
    pub async fn key(&self, env: Environment, label: &str, keep: bool) -> (String, PathBuf) {
        let file = self.out.path().join(format!("{label}.pem"));
        let input = NewKey { environment: env, label: label.into(), bits: 2048, scope: None };
        let delivery = self.engine().create_key_to_file(MAG, input, &file, keep).await.unwrap();
        (delivery.key.api_key.to_string(), file)
    }

    pub async fn instance(&self, name: &str, instance_type: InstanceType, codes: &str) -> Instance {
        self.engine()
            .add_instance(NewInstance {
                account: MAG.into(),
                name: name.into(),
                base_url: format!("https://{name}.example.com"),
                instance_type,
                website_codes: vec![codes.into()],
            })
            .await
            .unwrap()
    }

    pub async fn save(&self, instance: &str, input: ConnectorInput) -> Result<Instance, EngineError> {
        self.engine().save_connector(instance, input).await.map(|saved| saved.instance)
    }
}

pub fn pasted(api_key: &str, pem: &str) -> PairInput {
    PairInput { api_key: api_key.into(), private_key: PrivateKeySource::Pasted { pem: PastedSecret::new(pem.into()) } }
}

pub fn from_file(api_key: &str, file: &Path) -> PairInput {
    PairInput { api_key: api_key.into(), private_key: PrivateKeySource::File { path: file.display().to_string() } }
}

pub fn sandbox_pair(pair: PairInput) -> ConnectorInput {
    ConnectorInput { sandbox: Some(pair), active_environment: Some(Environment::Sandbox), ..Default::default() }
}
