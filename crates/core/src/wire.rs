/// Declares a closed set of values that cross every boundary (SQLite, JSON,
/// CLI arguments, HTTP) as their snake_case names, with a human label and a
/// coded error for unknown input.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $err:ident { $($variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, ::ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used in storage, JSON and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// The name people read in the UI.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::CoreError;
            fn from_str(raw: &str) -> ::std::result::Result<Self, Self::Err> {
                match raw.trim() {
                    $($wire => Ok($name::$variant),)+
                    other => Err($crate::error::CoreError::$err($crate::error::quote_input(other))),
                }
            }
        }
    };
}
pub(crate) use wire_enum;
