//! Acceptable Use Policies: documents, evaluation and the standards linter.
