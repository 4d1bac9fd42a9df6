//! The formatter behind `infrac fmt` (being written).
