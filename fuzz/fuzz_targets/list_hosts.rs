//! Fuzz the hosts list parser: every input is `Ok` or `Err`, never a
//! panic, in every mode; a sensitive parse yields only digests.
#![no_main]

use esafety::lists::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    esafety_fuzz::parse_list_in_every_mode(Format::Hosts, data);
});
