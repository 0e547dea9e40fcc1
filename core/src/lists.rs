//! Parsers for vendor list formats.
