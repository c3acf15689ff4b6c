//! Placeholder: the working calendar lands here.
