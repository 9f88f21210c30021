#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};

fuzz_target!(|data: &[u8]| {
    chime_caps_fuzz::stack_overflow::report_as_crash();
    chime_caps_fuzz::model::run(data);
});

// Half the mutations are structural (see `json_mutation`), the others libFuzzer's own
// byte-level ones, which still reach the JSON and upgrade error paths.
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    if seed.is_multiple_of(2) {
        if let Some(mutated) = chime_caps_fuzz::json_mutation::mutate(&data[..size], seed) {
            if mutated.len() <= max_size {
                data[..mutated.len()].copy_from_slice(&mutated);
                return mutated.len();
            }
        }
    }
    fuzzer_mutate(data, size, max_size)
});
