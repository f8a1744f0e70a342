//! Keyport's domain: value types, the rules the product enforces, key
//! formats and crypto. Pure by design: nothing here touches the file system,
//! the network, a clock or a database, so every rule is testable in isolation
//! and the same code serves the GUI, the CLI and the sandbox.

pub mod account;
pub mod apikey;
pub mod environment;
pub mod error;
pub mod jwt;
pub mod keys;
pub mod saas;
pub mod text;
mod wire;

pub use account::{Edition, MageId, OperatingModel, Standing};
pub use apikey::{ApiKey, KeyStatus};
pub use environment::Environment;
pub use error::{CoreError, Field, Result};
