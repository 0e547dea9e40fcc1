//! The one serde deserializer of documents: it reads any `Deserialize` type
//! from a [`Node`] tree, and puts on each error the offset of the innermost
//! key or value it arose in.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};

use super::{DocumentError, ErrorKind, Key, Node, Value};

/// Reads a `T` from the tree.
pub(crate) fn from_node<T: DeserializeOwned>(root: &Node<'_>) -> Result<T, DocumentError> {
    T::deserialize(root).map_err(|e| {
        let e = e.at(root.span.start);
        DocumentError::new(ErrorKind::Data, e.offset.unwrap_or(0), e.message)
    })
}

/// A serde error and, once known, where it is.
#[derive(Debug)]
pub(crate) struct Error {
    message: String,
    offset: Option<usize>,
}

impl Error {
    /// Puts `offset` on an error that has none yet: the innermost key or
    /// value it passes through is the one it is about.
    fn at(mut self, offset: usize) -> Error {
        self.offset.get_or_insert(offset);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            offset: None,
        }
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid type: {}, expected {expected}",
            Found(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        de::Error::custom(format_args!(
            "invalid value: {}, expected {expected}",
            Found(unexpected)
        ))
    }
}

/// serde's wording of an [`Unexpected`] value, except for a float, which
/// no visitor is given (a document's float is refused by [`Node::invalid_type`],
/// quoted as written): serde's own wording formats it, and Rust's float
/// formatting is about 8 KB of the gzipped WebAssembly package.
struct Found<'a>(Unexpected<'a>);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("unit value"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

impl Node<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match &self.value {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Integer(n) => Unexpected::Signed(*n),
            Value::Unsigned(n) => Unexpected::Unsigned(*n),
            Value::Float(_) => Unexpected::Other("floating point number"),
            Value::String(s) => Unexpected::Str(s),
            Value::Datetime(_) => Unexpected::Other("datetime"),
            Value::Array(_) => Unexpected::Seq,
            Value::Table(_) => Unexpected::Map,
        }
    }

    fn invalid_type(&self, expected: &dyn de::Expected) -> Error {
        match &self.value {
            // Quoted as the document writes it.
            Value::Float(text) => de::Error::custom(format_args!(
                "invalid type: floating point `{text}`, expected {expected}"
            )),
            _ => de::Error::invalid_type(self.unexpected(), expected),
        }
    }
}

/// `deserialize_x` methods that read their value as `deserialize_y` does
/// (every integer width as `i64`: the visitor checks the range).
macro_rules! forward {
    ($($to:ident: $($from:ident)+;)+) => {
        $($(
            fn $from<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                self.$to(visitor)
            }
        )+)+
    };
}

impl<'de> de::Deserializer<'de> for &'de Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Integer(n) => visitor.visit_i64(*n),
            Value::Unsigned(n) => visitor.visit_u64(*n),
            // No document field takes a fraction, so no visitor is given
            // one: every type refuses it in the words it would use.
            Value::Float(_) => Err(self.invalid_type(&visitor)),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Datetime(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Table(entries) => visit_table(entries, visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.value {
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::<Error>::new(s)),
            Value::Table(entries) => match entries.as_slice() {
                [(key, value)] => visitor.visit_enum(Variant { key, value }),
                _ => Err(self.invalid_type(&visitor)),
            },
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // Each `deserialize_*` a type asks for calls only the one visit method
    // that can accept the value, so the visitors' other (refusing) methods
    // are never instantiated: a third of the package's serde code. The
    // refusal is worded as those methods would word it.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Integer(n) => visitor.visit_i64(*n),
            Value::Unsigned(n) => visitor.visit_u64(*n),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Integer(n) => visitor.visit_i64(*n),
            Value::Unsigned(n) => visitor.visit_u64(*n),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Array(items) => visit_array(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.value {
            Value::Table(entries) => visit_table(entries, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    serde::forward_to_deserialize_any! { bytes byte_buf }

    forward! {
        deserialize_i64: deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128;
        deserialize_f64: deserialize_f32;
        deserialize_str: deserialize_char deserialize_identifier;
    }
}

fn visit_array<'de, V: Visitor<'de>>(
    items: &'de [Node<'de>],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut seq = Seq {
        items: items.iter(),
    };
    let value = visitor.visit_seq(&mut seq)?;
    match seq.items.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(items.len(), &"fewer elements")),
    }
}

fn visit_table<'de, V: Visitor<'de>>(
    entries: &'de [(Key<'de>, Node<'de>)],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = Map {
        entries: entries.iter(),
        value: None,
        pending_key: None,
    };
    // An error visit_map makes itself while a key's value is unread (a
    // duplicate field) is about that key; one made after the last entry (a
    // missing field) is about the table.
    visitor
        .visit_map(&mut map)
        .map_err(|e| match map.pending_key {
            Some(offset) => e.at(offset),
            None => e,
        })
}

struct Seq<'de> {
    items: std::slice::Iter<'de, Node<'de>>,
}

impl<'de> SeqAccess<'de> for &mut Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some(node) => seed
                .deserialize(node)
                .map(Some)
                .map_err(|e| e.at(node.span.start)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'de> {
    entries: std::slice::Iter<'de, (Key<'de>, Node<'de>)>,
    value: Option<&'de Node<'de>>,
    /// The offset of the key whose value has not been read yet.
    pending_key: Option<usize>,
}

impl<'de> MapAccess<'de> for &mut Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            self.pending_key = None;
            return Ok(None);
        };
        self.value = Some(value);
        self.pending_key = Some(key.span.start);
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(&key.name))
            .map(Some)
            .map_err(|e| e.at(key.span.start))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some(node) = self.value.take() else {
            return Err(de::Error::custom("a table value was read before its key"));
        };
        self.pending_key = None;
        seed.deserialize(node).map_err(|e| e.at(node.span.start))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A one-entry table read as an enum: `{variant = value}`.
struct Variant<'de> {
    key: &'de Key<'de>,
    value: &'de Node<'de>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = &'de Node<'de>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, &'de Node<'de>), Error> {
        let variant = seed
            .deserialize(BorrowedStrDeserializer::<Error>::new(&self.key.name))
            .map_err(|e| e.at(self.key.span.start))?;
        Ok((variant, self.value))
    }
}

impl<'de> VariantAccess<'de> for &'de Node<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Err(self.invalid_type(&"a variant name alone, as a string"))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self).map_err(|e| e.at(self.span.start))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor).map_err(|e| e.at(self.span.start))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_any(self, visitor).map_err(|e| e.at(self.span.start))
    }
}
