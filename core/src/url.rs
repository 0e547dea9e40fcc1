//! Safe Browsing (v4) URL canonicalization: [`CanonicalUrl`](self).
