//! Keyport's domain: value types, the rules the product enforces, key
//! formats and crypto. Pure by design: nothing here touches the file system,
//! the network, a clock or a database, so every rule is testable in isolation
//! and the same code serves the GUI, the CLI and the sandbox.

// A panic on user data is a bug: unwrap/expect are denied outside tests, and
// each remaining expect states the invariant that makes it unreachable.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod account;
pub mod apikey;
pub mod attest;
pub mod bundle;
pub mod code;
pub mod environment;
pub mod error;
pub mod instance;
pub mod jwt;
pub mod keys;
pub mod magento;
pub mod saas;
pub mod scope;
pub mod text;
mod wire;

pub use account::{AccountRelation, Edition, MageId, OperatingModel, Standing};
pub use apikey::{ApiKey, KeyStatus};
pub use code::{ErrorBody, ErrorCode};
pub use environment::Environment;
pub use error::{CoreError, Field, Result};
pub use instance::{GatewayChoice, InstanceApiKey, InstanceType};
