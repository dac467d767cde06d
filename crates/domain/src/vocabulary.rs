//! Closed vocabularies (lead sources, disqualification reasons, …): enums with one stable
//! snake_case name per variant, used in storage, the API and reports alike.

/// Declares a fieldless enum with `ALL`, `as_str` and `parse` over fixed snake_case names.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant named `raw`, or the list of valid names.
            pub fn parse(raw: &str) -> Result<$name, $crate::vocabulary::UnknownName> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::vocabulary::UnknownName { expected: Self::NAMES }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

/// A name outside a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of: {}", expected.join(", "))]
pub struct UnknownName {
    pub expected: &'static [&'static str],
}
