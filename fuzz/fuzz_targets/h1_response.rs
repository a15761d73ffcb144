#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| hcpartner::fuzzing::h1_response(data));
