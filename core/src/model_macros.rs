// Hand-written support for the generated code (core/src/generated), which uses it.
//! Support for the generated code: the `hc_model!` macro that writes each model struct with its
//! serde and `Debug` impls, and const helpers that keep the operation table short.
//!
//! Why not `#[derive(Serialize, Deserialize)]` with `#[serde(flatten)] extra: Map<..>`: with
//! serde_json's `arbitrary_precision` (on, so money keeps its digits), numbers inside a flattened
//! struct arrive as serde_json's private number map and fail to deserialize (serde issue #1183).
//! So the macro writes a map visitor: known wire names go to their fields, everything else goes
//! verbatim into `extra`, and numbers never pass through serde's buffering `Content`.
//!
//! Field syntax: `<presence> <codec> <ident>: <type> = "<wire name>"`, where presence is `opt`
//! (`Option<T>`, absent and `null` are `None`, `None` is not sent) or `req` (`T`, must be present);
//! codec is `plain`, `dec` (a `Decimal` sent as a JSON number with exactly its digits, read from a
//! number or a numeric string) or `secret` (printed as `***` by `Debug`).

use crate::operation::{DateFormat, Field, Limits, Location, Param, Type};

/// A field with no enum, limits or secrecy.
pub(crate) const fn field(name: &'static str, ty: Type, required: bool) -> Field {
    Field {
        name,
        ty,
        required,
        enum_values: &[],
        limits: Limits::NONE,
        secret: false,
        format: None,
    }
}

/// A date or time string of the given form.
pub(crate) const fn dated(mut f: Field, format: DateFormat) -> Field {
    f.format = Some(format);
    f
}

/// A field restricted to the given values (JSON text of each).
pub(crate) const fn one_of(mut f: Field, values: &'static [&'static str]) -> Field {
    f.enum_values = values;
    f
}

/// A field with value or length limits.
pub(crate) const fn limited(mut f: Field, limits: Limits) -> Field {
    f.limits = limits;
    f
}

/// A field whose value is never printed or echoed.
pub(crate) const fn secret(mut f: Field) -> Field {
    f.secret = true;
    f
}

pub(crate) const fn path(field: Field) -> Param {
    Param {
        field,
        location: Location::Path,
    }
}

pub(crate) const fn query(field: Field) -> Param {
    Param {
        field,
        location: Location::Query,
    }
}

pub(crate) const fn header(field: Field) -> Param {
    Param {
        field,
        location: Location::Header,
    }
}

pub(crate) const fn body(field: Field) -> Param {
    Param {
        field,
        location: Location::Body,
    }
}

/// A `Decimal` on the wire: a JSON number with exactly its digits (`0.10` stays `0.10`); read
/// from a number or a numeric string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WireDecimal(pub(crate) rust_decimal::Decimal);

impl serde::Serialize for WireDecimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::arbitrary_precision::serialize(&self.0, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for WireDecimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        rust_decimal::serde::arbitrary_precision::deserialize(deserializer).map(WireDecimal)
    }
}

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

macro_rules! hc_model {
    (@ty opt $t:ty) => { Option<$t> };
    (@ty req $t:ty) => { $t };

    (@ser opt dec $map:ident $wire:literal $v:expr) => {
        if let Some(v) = $v {
            $map.serialize_entry($wire, &$crate::model_macros::WireDecimal(*v))?;
        }
    };
    (@ser opt $codec:ident $map:ident $wire:literal $v:expr) => {
        if let Some(v) = $v {
            $map.serialize_entry($wire, v)?;
        }
    };
    (@ser req dec $map:ident $wire:literal $v:expr) => {
        $map.serialize_entry($wire, &$crate::model_macros::WireDecimal(*$v))?;
    };
    (@ser req $codec:ident $map:ident $wire:literal $v:expr) => {
        $map.serialize_entry($wire, $v)?;
    };

    (@de opt dec $map:ident $t:ty) => {
        $map.next_value::<Option<$crate::model_macros::WireDecimal>>()?.map(|d| d.0)
    };
    (@de opt $codec:ident $map:ident $t:ty) => { $map.next_value::<Option<$t>>()? };
    (@de req dec $map:ident $t:ty) => {
        Some($map.next_value::<$crate::model_macros::WireDecimal>()?.0)
    };
    (@de req $codec:ident $map:ident $t:ty) => { Some($map.next_value::<$t>()?) };

    (@fin opt $v:ident $wire:literal) => { $v };
    (@fin req $v:ident $wire:literal) => {
        match $v {
            Some(v) => v,
            None => return Err(serde::de::Error::missing_field($wire)),
        }
    };

    (@dbg opt secret $d:ident $wire:literal $v:expr) => {
        $d.field($wire, &$v.as_ref().map(|_| $crate::model_macros::Redacted));
    };
    (@dbg req secret $d:ident $wire:literal $v:expr) => {
        $d.field($wire, &$crate::model_macros::Redacted);
    };
    (@dbg $presence:ident $codec:ident $d:ident $wire:literal $v:expr) => {
        $d.field($wire, $v);
    };

    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $presence:ident $codec:ident $field:ident : $t:ty = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: hc_model!(@ty $presence $t), )*
            /// Fields the service sent that this version does not know, kept verbatim (sent back
            /// as they are when the struct is serialized).
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The wire names of the known fields.
            pub const FIELDS: &'static [&'static str] = &[$($wire),*];
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $( hc_model!(@ser $presence $codec map $wire &self.$field); )*
                for (key, value) in &self.extra {
                    if !Self::FIELDS.contains(&key.as_str()) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $field: Option<$t> = None; )*
                        let mut extra = serde_json::Map::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $( $wire => $field = hc_model!(@de $presence $codec map $t), )*
                                _ => {
                                    let value: serde_json::Value = map.next_value()?;
                                    extra.insert(key, value);
                                }
                            }
                        }
                        Ok($name { $( $field: hc_model!(@fin $presence $field $wire), )* extra })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(stringify!($name));
                $( hc_model!(@dbg $presence $codec d $wire &self.$field); )*
                if !self.extra.is_empty() {
                    d.field("extra", &self.extra);
                }
                d.finish()
            }
        }
    };
}
