//! `generate-policy N`: the `policy_lint` bench's generated children's
//! policy with N rules, on standard output, to time `esafety lint` on it
//! (e.g. N = 76,663, the size of the C face's 4 MiB policy limit).

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .ok_or("usage: generate-policy N")?
        .parse()?;
    let text = esafety_benches::policy_gen::policy(n);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
