//! Generated children's policies of any size, for the `policy_lint` bench
//! and `generate-policy` (the same policy for the same size, every run).

use std::fmt::Write as _;

const CATEGORIES: &[&str] = &[
    "gambling",
    "drugs",
    "chat",
    "social-networking",
    "gaming",
    "search",
    "streaming",
    "webmail",
];
const ACTIONS: &[&str] = &["block", "block", "warn", "allow", "monitor"];
const DAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri"];

/// A small deterministic generator (the same policy every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool.get(self.below(pool.len())).copied().unwrap_or("block")
    }
}

/// A secondary-pupils policy (the shipped one's metadata) with `n` rules
/// after a top `@uksic` block: one class group per 20 rules, one or two
/// categories each, and (for some) days, a device, an age band and lesson
/// windows.
///
/// ```
/// let text = esafety_benches::policy_gen::policy(100);
/// assert_eq!(text.matches("[[rules]]").count(), 101);
/// assert_eq!(text, esafety_benches::policy_gen::policy(100));
/// ```
pub fn policy(n: usize) -> String {
    let mut rng = Lcg(31);
    let mut t = String::from(include_str!("../../policies/secondary-pupils.toml"));
    if let Some(cut) = t.find("[[rules]]") {
        t.truncate(cut);
    }
    t.push_str("[[rules]]\nid = \"block-uksic\"\naction = \"block\"\ncategories = [\"@uksic\"]\n");
    let groups = (n / 20).max(1);
    for k in 0..n {
        let _ = write!(
            t,
            "\n[[rules]]\nid = \"r{k}\"\naction = \"{}\"\ncategories = [\"{}\"",
            rng.pick(ACTIONS),
            rng.pick(CATEGORIES)
        );
        if rng.below(2) == 0 {
            let _ = write!(t, ", \"{}\"", rng.pick(CATEGORIES));
        }
        let _ = writeln!(t, "]\ngroups = [\"class-{}\"]", rng.below(groups));
        if rng.below(3) == 0 {
            let _ = writeln!(t, "days = [\"{}\", \"{}\"]", rng.pick(DAYS), rng.pick(DAYS));
        }
        if rng.below(4) == 0 {
            let _ = writeln!(
                t,
                "device = \"{}\"",
                if rng.below(2) == 0 { "managed" } else { "byod" }
            );
        }
        if rng.below(4) == 0 {
            let min = 11 + rng.below(5);
            let _ = writeln!(t, "age = {{ min = {min}, max = {} }}", min + rng.below(3));
        }
        if rng.below(2) == 0 {
            let start = 8 + rng.below(8);
            let _ = writeln!(
                t,
                "times = [\"{start:02}:00-{:02}:30\"]",
                start + rng.below(2)
            );
        }
    }
    t
}
