//! The `labelled_enum!` macro: one declaration gives an enum its stable snake_case wire
//! code, its Chinese and English labels and an `ALL` array for pickers and filters.
//!
//! Why a macro: a dozen enums need exactly the same four tables, and keeping code, label
//! and serde name on one line per variant means they can never drift apart.

/// Declares a fieldless enum whose variants each carry `code, label_zh, label_en`.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        // Serde by hand, as the code string: the derived reader (an enum access per
        // variant) was compiled for every enum times every deserializer the app uses;
        // this one reads a `String` (one shared function per deserializer) and matches
        // it in `from_code`. Same JSON, same "unknown variant" error.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(deserializer)?;
                $name::from_code(&code)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&code, &[$($code),+]))
            }
        }

        impl $name {
            /// Every variant, in declaration order (the order pickers show them in).
            pub const ALL: [$name; { [$($code),+].len() }] = [$($name::$variant),+];

            /// Stable snake_case code, identical to the serde representation.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Chinese label for the UI.
            pub const fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// English label for the UI.
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The variant with this code, if any (for database columns and query strings).
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        // By hand: utoipa's derive does not see a `serde(rename)` whose name arrives
        // through this macro, and would document the Rust variant names.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::codes_schema(&[$($code),+])
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
#[allow(unreachable_pub)] // the macro always declares `pub` items
mod tests {
    labelled_enum! {
        /// A test enum.
        pub enum Colour {
            Red = "red", "红", "Red";
            DeepBlue = "deep_blue", "深蓝", "Deep blue";
        }
    }

    #[test]
    fn codes_labels_and_serde_agree() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DeepBlue]);
        assert_eq!(Colour::DeepBlue.code(), "deep_blue");
        assert_eq!(Colour::DeepBlue.label_zh(), "深蓝");
        assert_eq!(Colour::DeepBlue.label_en(), "Deep blue");
        assert_eq!(Colour::from_code("red"), Some(Colour::Red));
        assert_eq!(Colour::from_code("green"), None);
        for c in Colour::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            assert_eq!(serde_json::from_str::<Colour>(&json).unwrap(), c);
            assert_eq!(serde_json::from_value::<Colour>(serde_json::json!(c.code())).unwrap(), c);
        }
        // The derived reader's message, word for word (the API shows it in a refusal).
        let err = serde_json::from_str::<Colour>("\"green\"").unwrap_err().to_string();
        assert!(err.starts_with("unknown variant `green`, expected `red` or `deep_blue`"), "{err}");
        assert!(serde_json::from_str::<Colour>("0").is_err());
        // As map keys too.
        let map: std::collections::BTreeMap<Colour, u8> = serde_json::from_str(r#"{"deep_blue":1}"#).unwrap();
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"deep_blue":1}"#);
    }
}
