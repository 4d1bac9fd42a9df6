//! Shared by the integration tests: what a program under test is and what
//! its templates must satisfy. Each test crate uses part of it.
#![allow(dead_code)]

pub mod consistency;
pub mod program;
