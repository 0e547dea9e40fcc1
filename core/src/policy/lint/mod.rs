//! The standards linter: checks a policy against the Manchester minimum
//! standards for AUPs and the UK Safer Internet Centre filtering categories
//! (STANDARD.md), and finds rules that cannot do what their author meant.
//!
//! Each finding has a stable code, a severity, a 1-based line (1 for
//! something missing from the whole document) and a message that tells the
//! policy owner what to do. `esafety lint` exits 1 when any finding is an
//! error.
//!
//! A *children's policy* is one whose `audience` names children (pupils,
//! students, children, young people) or whose `age` range includes anyone
//! under 18, whatever its audience: the children's checks (P302, P901,
//! P903) follow the children, not the label.
//!
//! | code | severity | finding |
//! |------|----------|---------|
//! | `P000` | error | the policy does not load (syntax, unknown field, bad value, lowered baseline) |
//! | `P101` | error | requirement 1: no `audience` |
//! | `P102` | error | requirement 1: staff or volunteers share one policy with children |
//! | `P201` | error | requirement 2: a children's policy without an `age` range |
//! | `P202` | warning | requirement 2: the age range does not fit the audience |
//! | `P301` | error | requirement 3: no `signatures` |
//! | `P302` | warning | requirement 3: children under 13 and no `parent-carer` signature |
//! | `P401` | error | requirement 4: no `reviewed` date |
//! | `P402` | error | requirement 4: `review_interval_months` is 0 or more than 12 |
//! | `P403` | error | requirement 4: review overdue (last review longer ago than the interval) |
//! | `P404` | warning | requirement 4: `reviewed` is after today |
//! | `P501` | error | requirement 5: no `acceptable_use` statements |
//! | `P502` | error | requirement 5: no `unacceptable_use` statements |
//! | `P601` | error | requirement 6: no `sanctions` |
//! | `P701` | error | requirement 7: no `monitoring` statement |
//! | `P702` | error | requirement 7: no `reporting` statement |
//! | `P703` | error | no `report_concerns`: users are not told where to report concerns |
//! | `P801` | error | no `owner` (the e-safety officer role) |
//! | `P802` | warning | no `settings` |
//! | `P803` | warning | no `title` |
//! | `P901` | error | a children's policy lets a request from a child (any age under 18, or no age given) reach a rule or default that does not block a UKSIC category |
//! | `P902` | error | a rule, or the default for requests no rule blocks, warns on, allows or monitors a category that must be blocked at the users' age |
//! | `P903` | warning | a children's policy does not enforce safe search |
//! | `P950` | error | a rule can never match: an earlier rule matches everything it would |
//! | `P951` | error | an empty time window (start equals end) |
//! | `P952` | warning | two time windows of one rule overlap |
//! | `P953` | warning | rules with different actions have overlapping time windows for the same requests |
//! | `P954` | error | a rule's age range lies outside the policy's age range, so it can never match |
//! | `P955` | error | a rule with a `content_limit` allows: content that crosses a limit would be let past the rules after it |
//! | `P956` | error | a rule's `content_limit` can never be applied: for every age it matches, the policy's own `content_limit` is as low or lower and blocks first |
//!
//! **Cost.** The checks that compare rules (P950, P953, and the walks of
//! P901/P902) go through an index of the rules by what they test
//! (categories, lists, groups, days, device, hours): each rule is compared
//! only with the earlier rules that leave a condition unset or share its
//! rarest key there, so linting is O(n·k) for n rules, k the largest such
//! candidate set (small when rules name groups, categories or times), not
//! O(n²); each rule's line is found in one pass over the text. Measured
//! (`policy_lint` bench, release, shared machine): 1k rules 29.6 ms, 10k
//! 563 ms, 100k 11.6 s; the old pairwise algorithm 477 ms at 1k and 85.8 s
//! at 8k in the same run.
//!
//! ```
//! use esafety::policy::{lint, LintOptions, Severity};
//! let findings = lint("staff.toml", "id = \"staff\"\ndefault = \"allow\"\n", LintOptions {
//!     today: jiff::civil::date(2026, 11, 23),
//! });
//! assert!(findings.iter().any(|f| f.code == "P101" && f.severity == Severity::Error));
//! assert!(findings.iter().all(|f| !f.message.is_empty()));
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::document::{
    Action, AgeRange, Audience, CategoryRef, PolicyDocument, RuleDoc, Signatory,
};
use super::time::TimeWindow;
use super::{Format, parse_document};
use crate::taxonomy::Category;

#[cfg(test)]
mod differential;
mod index;
mod lines;
#[cfg(any(test, feature = "fuzzing"))]
mod pairwise;
mod rules;
mod structure;

use lines::Lines;
use rules::{Culprit, Reach, RequestAge};
use structure::{Indexed, RuleSearch};

/// How serious a finding is.
///
/// ```
/// use esafety::policy::{lint, LintOptions, Severity};
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// let clean = lint("secondary-pupils.toml", text, LintOptions { today: jiff::civil::date(2026, 11, 23) });
/// assert!(clean.iter().all(|f| f.severity != Severity::Error), "{clean:?}");
/// // A year and a day after its last review, the shipped policy is overdue: an error.
/// let late = lint("secondary-pupils.toml", text, LintOptions { today: jiff::civil::date(2027, 9, 2) });
/// assert!(late.iter().any(|f| f.code == "P403" && f.severity == Severity::Error));
/// assert_eq!(serde_json::to_string(&Severity::Warning)?, "\"warning\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The policy falls short of the standards or is broken.
    Error,
    /// Worth fixing; the policy still meets the minimum.
    Warning,
}

/// One thing the linter found.
///
/// ```
/// use esafety::policy::{lint, LintOptions, Severity};
/// let text = "id = \"p\"\ndefault = \"allow\"\n\n[[rules]]\nid = \"empty-window\"\naction = \"block\"\ndays = [\"mon\"]\ntimes = [\"09:00-09:00\"]\n";
/// let findings = lint("p.toml", text, LintOptions { today: jiff::civil::date(2026, 11, 23) });
/// let window = findings.iter().find(|f| f.code == "P951").ok_or("no P951")?;
/// assert_eq!((window.severity, window.line), (Severity::Error, 5)); // the rule's `id` line
/// assert!(window.message.contains("empty-window"), "{}", window.message);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable code (see the table in [`crate::policy::lint`](mod@crate::policy::lint)).
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// The 1-based line (1 when something is missing from the document).
    pub line: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// The `esafety lint --json` line for one file: `{"file", "findings"}`.
///
/// ```
/// use esafety::policy::{lint, LintOptions};
/// use esafety::policy::lint::LintReport;
/// let file = "broken.toml".to_owned();
/// let findings = lint(&file, "id = ", LintOptions { today: jiff::civil::date(2026, 11, 23) });
/// let line = serde_json::to_string(&LintReport { file, findings })?;
/// assert!(line.starts_with(r#"{"file":"broken.toml","findings":[{"code":"P000","severity":"error","line":1,"#), "{line}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintReport {
    /// The file as named on the command line.
    pub file: String,
    /// What the linter found.
    pub findings: Vec<Finding>,
}

/// What the linter needs besides the policy.
///
/// ```
/// use esafety::policy::{lint, LintOptions};
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// // `today` is an argument: the same text lints the same on any machine, on any day.
/// let before = lint("s.toml", text, LintOptions { today: jiff::civil::date(2026, 8, 31) });
/// assert!(before.iter().any(|f| f.code == "P404")); // reviewed "in the future"
/// let after = lint("s.toml", text, LintOptions { today: jiff::civil::date(2026, 9, 1) });
/// assert!(after.iter().all(|f| f.code != "P404"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    /// The date to check review deadlines against (the core never reads the
    /// clock).
    pub today: jiff::civil::Date,
}

/// The children's ages assumed when a children's policy gives none.
const CHILD_AGES: AgeRange = AgeRange::CHILDREN;

/// The youngest age at which the standards accept anything but `block` for
/// a category; `None` when any age may see it.
///
/// The UKSIC categories, `circumvention` (Becta: "proxy avoidance"),
/// `weapons`, `adult` and `dating` are for adults only; `social-networking`
/// and `chat` follow the UK GDPR age of digital consent and the services'
/// own terms (13).
///
/// ```
/// use esafety::Category;
/// use esafety::policy::lint::minimum_age;
/// assert_eq!(minimum_age(Category::ChildAbuse), Some(u8::MAX)); // never
/// assert_eq!(minimum_age(Category::Gambling), Some(18));
/// assert_eq!(minimum_age(Category::Chat), Some(13));
/// assert_eq!(minimum_age(Category::Search), None);
/// ```
pub fn minimum_age(category: Category) -> Option<u8> {
    match category {
        Category::ChildAbuse | Category::Terrorism => Some(u8::MAX),
        c if Category::UKSIC.contains(&c) => Some(18),
        Category::Circumvention | Category::Weapons | Category::Adult | Category::Dating => {
            Some(18)
        }
        Category::SocialNetworking | Category::Chat => Some(13),
        _ => None,
    }
}

/// Lints the policy `text` read from `source` (its format chosen as in
/// [`super::Policy::load`]). A policy that does not load gives one `P000`
/// finding. Findings are sorted by line, then code.
///
/// ```
/// use esafety::policy::{lint, LintOptions};
/// let options = LintOptions { today: jiff::civil::date(2026, 11, 23) };
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"))
///     .replace("categories = [\"@uksic\"]", "categories = [\"gambling\"]");
/// let findings = lint("s.toml", &text, options);
/// // Blocking only gambling leaves the other UKSIC categories open to children.
/// assert!(findings.iter().any(|f| f.code == "P901" && f.message.contains("drugs")), "{findings:?}");
/// assert!(findings.windows(2).all(|w| (w[0].line, &w[0].code) <= (w[1].line, &w[1].code)));
/// ```
pub fn lint(source: &str, text: &str, options: LintOptions) -> Vec<Finding> {
    let doc = match parse_document(source, text, Format::detect(source, text)) {
        Ok(doc) => doc,
        Err(e) => {
            let e = e.load_error();
            return vec![Finding {
                code: "P000".to_owned(),
                severity: Severity::Error,
                line: e.line(),
                message: format!(
                    "the policy does not load, so nothing else was checked: {}",
                    e.message()
                ),
            }];
        }
    };
    let rules: Vec<&RuleDoc> = doc.rules.iter().map(|r| r.doc()).collect();
    let lines = Lines::new(text);
    let rule_lines: Vec<usize> = rules.iter().map(|r| lines.rule(r.id.as_str())).collect();
    run(&doc, lines, rule_lines, Indexed::new(&rules), options)
}

/// [`lint()`] by the old quadratic algorithm: every rule compared with
/// every earlier one, and the text scanned for each rule's line. The oracle
/// of the indexed checks (test builds and the `fuzzing` feature only).
///
/// ```
/// use esafety::policy::{lint, LintOptions};
/// use esafety::policy::lint::lint_pairwise;
/// let options = LintOptions { today: jiff::civil::date(2026, 11, 23) };
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/secondary-pupils.toml"));
/// assert_eq!(lint_pairwise("s.toml", text, options), lint("s.toml", text, options));
/// ```
#[cfg(any(test, feature = "fuzzing"))]
pub fn lint_pairwise(source: &str, text: &str, options: LintOptions) -> Vec<Finding> {
    let doc = match parse_document(source, text, Format::detect(source, text)) {
        Ok(doc) => doc,
        Err(_) => return lint(source, text, options),
    };
    let rules: Vec<&RuleDoc> = doc.rules.iter().map(|r| r.doc()).collect();
    let lines = Lines::new(text);
    let rule_lines: Vec<usize> = rules
        .iter()
        .map(|r| lines.rule_by_scan(r.id.as_str()))
        .collect();
    run(
        &doc,
        lines,
        rule_lines,
        pairwise::Pairwise::new(&rules),
        options,
    )
}

fn run<S: RuleSearch>(
    doc: &PolicyDocument,
    lines: Lines<'_>,
    rule_lines: Vec<usize>,
    search: S,
    options: LintOptions,
) -> Vec<Finding> {
    let mut l = Linter {
        doc,
        lines,
        rule_lines,
        search,
        findings: Vec::new(),
    };
    l.metadata(options.today);
    l.uksic();
    l.age_appropriate();
    l.rule_structure();
    let mut findings = l.findings;
    crate::sorted::sort_by(&mut findings, |a, b| {
        a.line.cmp(&b.line).then_with(|| a.code.cmp(&b.code))
    });
    findings
}

struct Linter<'a, S> {
    doc: &'a PolicyDocument,
    lines: Lines<'a>,
    /// Each rule's line, in rule order.
    rule_lines: Vec<usize>,
    search: S,
    findings: Vec<Finding>,
}

fn blank(v: &[String]) -> bool {
    v.iter().all(|s| s.trim().is_empty())
}

fn quoted(cats: &[Category]) -> String {
    cats.iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<S: RuleSearch> Linter<'_, S> {
    fn push(&mut self, code: &str, severity: Severity, line: usize, message: String) {
        self.findings.push(Finding {
            code: code.to_owned(),
            severity,
            line: line.max(1),
            message,
        });
    }

    /// Whether the children's checks apply: the audience is children, or
    /// the age range includes anyone under 18, whatever the audience says
    /// (a `public` policy for ages 4-99 covers children, and they are owed
    /// the same filtering).
    fn is_children(&self) -> bool {
        self.children_audience() || self.doc.age.is_some_and(|r| r.min() < 18)
    }

    /// Whether the audience names children (requirement 1 is about who the
    /// policy says it is for; the age range is P202's concern).
    fn children_audience(&self) -> bool {
        self.doc.audience.iter().any(|a| a.is_children())
    }

    /// The ages the policy's users may have, for age checks; `None` for an
    /// adults' policy with no age range.
    fn ages(&self) -> Option<AgeRange> {
        match self.doc.age {
            Some(r) => Some(r),
            None if self.is_children() => Some(CHILD_AGES),
            None => None,
        }
    }

    fn key(&self, key: &str) -> usize {
        self.lines.key(key)
    }

    /// The line of rule `i`.
    fn rule_line(&self, i: usize) -> usize {
        self.rule_lines.get(i).copied().unwrap_or(1)
    }

    fn metadata(&mut self, today: jiff::civil::Date) {
        let doc = self.doc;
        let children = self.is_children();
        let workforce: Vec<Audience> = doc
            .audience
            .iter()
            .copied()
            .filter(|a| a.is_workforce())
            .collect();
        if doc.audience.is_empty() {
            self.push("P101", Severity::Error, 1,
                "the policy does not say who it is for (requirement 1: separate AUPs for staff and for children); \
                 add `audience`, e.g. `audience = [\"pupils\"]` or `audience = [\"staff\"]`".to_owned());
        } else if self.children_audience() && !workforce.is_empty() {
            self.push("P102", Severity::Error, self.key("audience"),
                "staff and children share this policy (requirement 1: separate AUPs for staff and for children); \
                 split it into a children's policy and a staff policy".to_owned());
        }
        match doc.age {
            None if children => self.push("P201", Severity::Error, 1,
                "a children's policy must fit the users' age (requirement 2) but gives no age range; \
                 add `age = { min = .., max = .. }`".to_owned()),
            Some(r) if !workforce.is_empty() && r.min() < 18 => self.push("P202", Severity::Warning, self.key("age"),
                format!("the age range {r} includes children but the audience is staff or volunteers; \
                         set the minimum age to 18 or write a separate children's policy")),
            Some(r) if children && r.max() > 18 => self.push("P202", Severity::Warning, self.key("age"),
                format!("the age range {r} covers children and goes beyond 18; \
                         write a separate policy for adult users")),
            _ => {}
        }
        if doc.signatures.is_empty() {
            self.push("P301", Severity::Error, 1,
                "nobody is asked to sign the policy (requirement 3: signed by users and/or their carers); \
                 add `signatures = [\"user\"]` or `[\"user\", \"parent-carer\"]`".to_owned());
        } else if children
            && doc.age.is_some_and(|r| r.min() < 13)
            && !doc.signatures.contains(&Signatory::ParentCarer)
        {
            self.push("P302", Severity::Warning, self.key("signatures"),
                "users under 13 are covered but no parent or carer signs; add `\"parent-carer\"` to `signatures`".to_owned());
        }
        match doc.reviewed {
            None => self.push("P401", Severity::Error, 1,
                "the policy has no review date (requirement 4: reviewed at least every 12 months); \
                 review it and add `reviewed = YYYY-MM-DD`".to_owned()),
            Some(reviewed) => {
                let interval = doc.review_interval_months.clamp(1, 12);
                let due = jiff::Span::new()
                    .try_months(i64::from(interval))
                    .ok()
                    .and_then(|span| reviewed.0.checked_add(span).ok());
                if due.is_some_and(|due| due < today) {
                    self.push("P403", Severity::Error, self.key("reviewed"),
                        format!("the review is overdue: last reviewed {} and due every {interval} months \
                                 (requirement 4); review the policy and update `reviewed`", reviewed.0));
                }
                if reviewed.0 > today {
                    self.push("P404", Severity::Warning, self.key("reviewed"),
                        format!("`reviewed` ({}) is after today ({today}); give the date the review took place", reviewed.0));
                }
            }
        }
        if doc.review_interval_months == 0 || doc.review_interval_months > 12 {
            self.push("P402", Severity::Error, self.key("review_interval_months"),
                format!("a review every {} months does not meet requirement 4 (at least every 12 months, \
                         sooner after new technology or an incident); set `review_interval_months` to 1..=12",
                        doc.review_interval_months));
        }
        let statements: [(&str, &str, &[String], &str); 5] = [
            (
                "P501",
                "acceptable_use",
                &doc.acceptable_use,
                "what users may do (requirement 5)",
            ),
            (
                "P502",
                "unacceptable_use",
                &doc.unacceptable_use,
                "what users must not do (requirement 5)",
            ),
            (
                "P601",
                "sanctions",
                &doc.sanctions,
                "the sanctions for not complying (requirement 6)",
            ),
            (
                "P701",
                "monitoring",
                &doc.monitoring,
                "what monitoring of individual use is in place (requirement 7)",
            ),
            (
                "P702",
                "reporting",
                &doc.reporting,
                "what reporting of individual use is in place and how breaches are recorded (requirement 7)",
            ),
        ];
        for (code, field, value, what) in statements {
            if blank(value) {
                self.push(code, Severity::Error, self.key(field).max(1),
                    format!("the policy does not state {what}; add `{field}` with at least one statement"));
            }
        }
        if doc
            .report_concerns
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            self.push(
                "P703",
                Severity::Error,
                1,
                "users are not told where to report concerns or wrongly blocked content; \
                 add `report_concerns` naming the person or channel"
                    .to_owned(),
            );
        }
        if doc.owner.as_deref().is_none_or(|s| s.trim().is_empty()) {
            self.push(
                "P801",
                Severity::Error,
                1,
                "the policy has no owner; name the e-safety officer role in `owner` \
                 (ideally someone who already holds safeguarding responsibility)"
                    .to_owned(),
            );
        }
        if doc.settings.is_empty() {
            self.push(
                "P802",
                Severity::Warning,
                1,
                "the policy does not say where it applies; add `settings`, e.g. `[\"school\"]`"
                    .to_owned(),
            );
        }
        if doc.title.trim().is_empty() {
            self.push(
                "P803",
                Severity::Warning,
                1,
                "the policy has no `title`; add one users will recognise".to_owned(),
            );
        }
        if children && !doc.safe_search {
            self.push("P903", Severity::Warning, self.key("safe_search"),
                "a children's policy should enforce safe search on search engines; set `safe_search = true`".to_owned());
        }
    }

    /// P901: every UKSIC category blocked for every child, whatever the
    /// group, device or time (checked for a URL in that one category).
    ///
    /// "Every child" is every request a child can make: any age under 18,
    /// inside the policy's range or not (the engine evaluates whatever age
    /// a request carries), and a request that gives no age, which an
    /// age-limited rule does not match (`RuleDoc::age`). Each of those is
    /// walked through the rules as the engine would (see [`reach`]).
    fn uksic(&mut self) {
        if !self.is_children() {
            return;
        }
        let requests: Vec<Option<u8>> = std::iter::once(None)
            .chain((0..CHILD_AGES.max().saturating_add(1)).map(Some))
            .collect();
        let mut culprits: BTreeMap<(Culprit, Vec<RequestAge>), Vec<Category>> = BTreeMap::new();
        for c in Category::UKSIC {
            let mut by_culprit: BTreeMap<Culprit, Vec<RequestAge>> = BTreeMap::new();
            for &age in &requests {
                let culprit = match self.search.reach(c, age) {
                    Reach::Blocked => continue,
                    Reach::Rule(i) => Some(i),
                    Reach::Default if self.doc.default == Action::Block => continue,
                    Reach::Default => None,
                };
                by_culprit.entry(culprit).or_default().push(age);
            }
            for (culprit, ages) in by_culprit {
                culprits.entry((culprit, ages)).or_default().push(c);
            }
        }
        for ((who, ages), cats) in culprits {
            let list = quoted(&cats);
            let whom = describe_requests(&ages);
            match who.and_then(|i| self.doc.rules.get(i).map(|rule| (i, rule))) {
                Some((i, rule)) => {
                    let d = rule.doc();
                    let line = self.rule_line(i);
                    self.push("P901", Severity::Error, line,
                        format!("rule `{}` can {} {list} for {whom}, but a children's policy must block every \
                                 UKSIC category for every child; add a rule blocking them above it (e.g. \
                                 `categories = [\"@uksic\"]` with no `age`, `groups`, `device`, `days` or `times`) \
                                 or narrow this rule's categories", d.id, d.action));
                }
                None => self.push("P901", Severity::Error, self.key("default"),
                    format!("{list} reach the default `{}` for {whom}, but a children's policy must block every \
                             UKSIC category for every child; add a rule with `action = \"block\"` and \
                             `categories = [\"@uksic\"]` and no `age`, `groups`, `device`, `days` or `times` \
                             (an `age` condition leaves out requests that give no age or another age)",
                            self.doc.default)),
            }
        }
    }

    /// P902: warn/allow/monitor on a category that must be blocked at the
    /// ages the rule applies to.
    fn age_appropriate(&mut self) {
        let Some(ages) = self.ages() else { return };
        for (i, rule) in self.doc.rules.iter().enumerate() {
            let d = rule.doc();
            if d.action == Action::Block {
                continue;
            }
            let Some(refs) = &d.categories else { continue };
            let Some(applies) = d.age.map_or(Some(ages), |r| r.intersect(ages)) else {
                continue;
            };
            let mut too_young: Vec<(Category, u8)> = Vec::new();
            for c in refs.iter().flat_map(CategoryRef::builtins) {
                if let Some(min) = minimum_age(c)
                    && applies.min() < min
                    && !too_young.iter().any(|(x, _)| *x == c)
                {
                    too_young.push((c, min));
                }
            }
            if too_young.is_empty() {
                continue;
            }
            let mut detail = String::new();
            for (i, (c, min)) in too_young.iter().enumerate() {
                let _ = write!(
                    detail,
                    "{}`{c}` (blocked under {min})",
                    if i == 0 { "" } else { ", " }
                );
            }
            let line = self.rule_line(i);
            self.push("P902", Severity::Error, line,
                format!("rule `{}` would {} {detail} for users aged {applies}; change the action to `block` \
                         or restrict the rule with `age = {{ min = .., max = .. }}` to users old enough", d.id, d.action));
        }
        self.default_age_appropriate(ages);
    }

    /// P902 for the default: a request no rule decides gets the default, so
    /// a default `allow` lets a category through exactly as an `allow` rule
    /// with no conditions would, and is held to the same table. Checked for
    /// the users' ages (the policy's range) and for a request that gives no
    /// age (it may come from the youngest user). UKSIC categories are left
    /// to P901, which checks them for every child; the statutory ones
    /// always block (the baseline).
    fn default_age_appropriate(&mut self, users: AgeRange) {
        if self.doc.default == Action::Block {
            return;
        }
        let mut open: Vec<(Category, u8, Vec<Option<u8>>)> = Vec::new();
        for &c in Category::BUILTIN {
            if c.is_statutory() || Category::UKSIC.contains(&c) {
                continue;
            }
            let Some(min) = minimum_age(c) else { continue };
            if users.min() >= min {
                continue;
            }
            let young = users.min()..=users.max().min(min.saturating_sub(1));
            let requests = std::iter::once(None).chain(young.map(Some));
            let reaching: Vec<Option<u8>> = requests
                .filter(|&age| self.search.reach(c, age) == Reach::Default)
                .collect();
            if !reaching.is_empty() {
                open.push((c, min, reaching));
            }
        }
        if open.is_empty() {
            return;
        }
        // One clause per set of requests, so the usual case (every category
        // open to the same requests) reads as one list.
        let mut clauses: Vec<(&[Option<u8>], String)> = Vec::new();
        for (c, min, ages) in &open {
            let item = format!("`{c}` (blocked under {min})");
            match clauses.iter_mut().find(|(a, _)| *a == ages.as_slice()) {
                Some((_, items)) => {
                    let _ = write!(items, ", {item}");
                }
                None => clauses.push((ages, item)),
            }
        }
        let detail = clauses
            .iter()
            .map(|(ages, items)| format!("{items} for {}", describe_requests(ages)))
            .collect::<Vec<_>>()
            .join("; ");
        let cats: Vec<Category> = open.iter().map(|(c, _, _)| *c).collect();
        let list = cats
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        self.push("P902", Severity::Error, self.key("default"),
            format!("the default `{}` would {} {detail}, as no rule blocks them; add a rule with \
                     `action = \"block\"` and `categories = [{list}]` (with `age = {{ min = .., max = .. }}` \
                     only if it leaves out no user too young for them, nor requests that give no age), \
                     or set `default = \"block\"`", self.doc.default, self.doc.default));
    }

    fn rule_structure(&mut self) {
        let doc = self.doc;
        for (j, rj) in doc.rules.iter().map(|r| r.doc()).enumerate() {
            let line = self.rule_line(j);
            if self.never_applies(rj, line) {
                continue;
            }
            if let Some(ri) = self
                .search
                .first_cover(j)
                .and_then(|i| doc.rules.get(i).map(|r| r.doc()))
            {
                let same = if ri.action == rj.action {
                    format!("it would {} anyway, so remove it", rj.action)
                } else {
                    format!(
                        "requests it should {} are decided `{}` by `{}`; move it above `{}` or narrow `{}`",
                        rj.action, ri.action, ri.id, ri.id, ri.id
                    )
                };
                self.push("P950", Severity::Error, line,
                    format!("rule `{}` can never match: the earlier rule `{}` matches every request it would; {same}", rj.id, ri.id));
                continue;
            }
            for (i, a, b) in self.search.conflicts(j) {
                let Some(ri) = doc.rules.get(i).map(|r| r.doc()) else {
                    continue;
                };
                self.push("P953", Severity::Warning, line,
                    format!("rule `{}` ({}, `{b}`) overlaps rule `{}` ({}, `{a}`) for the same requests; in the overlap \
                             `{}` wins. Make the windows meet without overlapping", rj.id, rj.action, ri.id, ri.action, ri.id));
            }
            self.search.insert(j);
        }
    }

    /// The checks of one rule alone (P951, P952, P954, P955, P956); whether they find
    /// that it never applies (an empty window or an age outside the
    /// policy's), so later rules are not compared with it.
    fn never_applies(&mut self, rj: &RuleDoc, line: usize) -> bool {
        let mut dead = false;
        for w in rj.times.iter().flatten().filter(|w| w.is_empty()) {
            dead = true;
            self.push("P951", Severity::Error, line,
                format!("rule `{}` has the empty time window `{w}` (it opens and closes at the same minute), \
                         so that window never applies; give it a later end or remove it", rj.id));
        }
        if let Some(times) = &rj.times {
            let mut sorted: Vec<TimeWindow> =
                times.iter().copied().filter(|w| !w.is_empty()).collect();
            crate::sorted::sort(&mut sorted);
            for pair in sorted.windows(2) {
                if let [a, b] = pair
                    && a.overlaps(*b)
                {
                    self.push("P952", Severity::Warning, line,
                        format!("rule `{}` has overlapping time windows `{a}` and `{b}`; merge them into one", rj.id));
                }
            }
        }
        if let (Some(r), Some(policy)) = (rj.age, self.doc.age)
            && r.intersect(policy).is_none()
        {
            dead = true;
            self.push("P954", Severity::Error, line,
                format!("rule `{}` applies to ages {r}, outside the policy's ages {policy}, so it never matches; \
                         fix its age range or remove it", rj.id));
        }
        self.content_limit(rj, line) || dead
    }

    /// P955 and P956 for a rule's `content_limit`; whether P956 finds that
    /// the limit is never applied.
    fn content_limit(&mut self, rj: &RuleDoc, line: usize) -> bool {
        let Some(setting) = rj.content_limit else {
            return false;
        };
        if rj.action == Action::Allow {
            self.push("P955", Severity::Error, line,
                format!("rule `{}` allows content that crosses its limit `{setting}`, which lets it past every later rule; \
                         make it `block`, `warn` or `monitor`, or remove `content_limit`", rj.id));
        }
        let Some(policy) = self.doc.content_limit else {
            return false;
        };
        // The requests the rule can match: its ages, else the policy's
        // ages and requests without one.
        let ages: Vec<Option<u8>> = match (rj.age, self.doc.age) {
            (Some(r), _) => (r.min()..=r.max()).map(Some).collect(),
            (None, Some(p)) => (p.min()..=p.max()).map(Some).chain([None]).collect(),
            (None, None) => (0..=u8::MAX).map(Some).chain([None]).collect(),
        };
        let shadowed = ages.iter().all(|&age| {
            setting.limit(age, self.doc.age).points() >= policy.limit(age, self.doc.age).points()
        });
        if shadowed {
            self.push("P956", Severity::Error, line,
                format!("rule `{}`'s content limit `{setting}` can never be applied: the policy's own content limit \
                         `{policy}` is as low or lower for every request the rule matches and blocks first; \
                         give the rule a lower limit, or remove its `content_limit`", rj.id));
        }
        shadowed
    }
}

/// `ages` as the requests a finding is about: "children aged 4-11, 13 and
/// requests that give no age".
fn describe_requests(ages: &[Option<u8>]) -> String {
    let mut runs: Vec<(u8, u8)> = Vec::new();
    for a in ages.iter().flatten().copied() {
        match runs.last_mut() {
            Some(last) if last.1.checked_add(1) == Some(a) => last.1 = a,
            _ => runs.push((a, a)),
        }
    }
    let spans: Vec<String> = runs
        .iter()
        .map(|&(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect();
    let aged = (!spans.is_empty()).then(|| format!("users aged {}", spans.join(", ")));
    let unknown = ages
        .contains(&None)
        .then(|| "requests that give no age".to_owned());
    match (aged, unknown) {
        (Some(a), Some(u)) => format!("{a} and {u}"),
        (Some(a), None) => a,
        (None, Some(u)) => u,
        (None, None) => "no request".to_owned(),
    }
}
