#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    chime_caps_fuzz::server::run(data);
});
