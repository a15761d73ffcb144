//! Integration tests: the core client (`hcpartner::Client`) against the in-process emulator,
//! every operation category, auth paths and fault kinds. One binary to keep link time down.

mod auth;
mod billing;
mod common;
mod conformance;
mod coupons;
mod customers;
mod enterprise;
mod facade;
mod fan_out;
mod faults;
mod intl;
mod money;
mod orders;
mod process;
mod reconcile;
mod resellers;
mod usage;
