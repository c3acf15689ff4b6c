//! Placeholder: the national portal reader lands here.
