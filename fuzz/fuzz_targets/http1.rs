#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    chime_caps_fuzz::stack_overflow::report_as_crash();
    chime_caps_fuzz::http1::run(data);
});
