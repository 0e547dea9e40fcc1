//! The compiled, immutable, versioned bundle.
