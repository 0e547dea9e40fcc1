//! `esafety aup POLICY -o AUP.html [--today DATE]`
//!
//! The policy as the document its users and their parents or carers read
//! and sign: title, audience and ages, acceptable and unacceptable use,
//! sanctions, the monitoring statement, how to report a concern, the review
//! dates and a signature block for each party in `signatures`. One
//! self-contained HTML file (no script, no network: its Content Security
//! Policy forbids both) that prints on A4.
//!
//! A policy the linter finds errors in is refused (exit 1, the findings on
//! standard error): a document people sign must meet the minimum standards,
//! and every section above is one of them (P101, P301, P401, P501, P502,
//! P601, P701, P703). Everything from the policy is HTML-escaped by the
//! template engine.
//!
//! Layout: the plain-language one ("I can", "I must not", larger type)
//! when the policy's youngest user is of primary age, 10 or under
//! ([`PLAIN_LANGUAGE_UP_TO_AGE`]); the standard one otherwise.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use esafety::policy::{Audience, LintOptions, Policy, PolicyDocument, Setting, Signatory, lint};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

/// The page template (minijinja, HTML auto-escaping).
const TEMPLATE: &str = include_str!("../../templates/aup.html");

/// The plain-language layout is used when the policy's youngest user is
/// this age or younger. Primary school is Reception to Year 6, ages 4 to
/// 11; Year 7, the first of secondary school, starts at 11, so a youngest
/// age of 11 is a secondary policy (`secondary-pupils`, `youth-club`) and
/// 10 or under is one a primary-age child must be able to read (the
/// library's children's area, a children's home from 8). A policy without
/// ages gets the standard layout.
pub(crate) const PLAIN_LANGUAGE_UP_TO_AGE: u8 = 10;

/// Arguments of `esafety aup`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The policy (TOML or JSON).
    policy: PathBuf,
    /// Where to write the HTML document.
    #[arg(short = 'o', long = "output", value_name = "AUP.html")]
    output: PathBuf,
    /// The date the policy is checked against (review deadlines), `YYYY-MM-DD`
    /// (default: today).
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = args.policy.display().to_string();
    let text = crate::input::read_document(&args.policy)
        .with_context(|| format!("cannot read policy `{file}`"))?;
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let findings = lint(&file, &text, LintOptions { today });
    let mut stderr = io::stderr().lock();
    let errors = super::lint::write_findings(&mut stderr, file.clone(), findings, false)?;
    if errors {
        writeln!(
            stderr,
            "esafety: `{file}` does not meet the minimum standards, so it cannot be issued as an \
             acceptable use policy to sign; fix the errors above (`esafety lint {file}`) and run \
             `esafety aup` again"
        )?;
        return Ok(ExitCode::from(1));
    }
    let policy =
        Policy::load(&file, &text).with_context(|| format!("cannot load policy `{file}`"))?;
    let html = render(policy.document())?;
    write_whole(&args.output, html.as_bytes())
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// What the template reads.
#[derive(Serialize)]
struct Page<'a> {
    id: &'a str,
    title: &'a str,
    /// The plain-language layout (see [`PLAIN_LANGUAGE_UP_TO_AGE`]).
    plain: bool,
    audience: Vec<&'static str>,
    ages: Option<Ages>,
    settings: Vec<&'static str>,
    owner: Option<&'a str>,
    reviewed: Option<String>,
    review_due: Option<String>,
    review_interval_months: u8,
    acceptable_use: &'a [String],
    unacceptable_use: &'a [String],
    sanctions: &'a [String],
    monitoring: &'a [String],
    reporting: &'a [String],
    report_concerns: Option<&'a str>,
    /// Signatory ids in the policy's order: `user`, `parent-carer`.
    signatures: Vec<&'static str>,
}

#[derive(Serialize)]
struct Ages {
    min: u8,
    max: u8,
}

/// The document as HTML.
fn render(doc: &PolicyDocument) -> anyhow::Result<String> {
    let mut env = Environment::new();
    // Everything is escaped whatever the template's name, and a name the
    // template uses that the page does not give is an error, not a blank.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("aup.html", TEMPLATE)
        .context("the built-in AUP template does not parse")?;
    let page = Page {
        id: doc.id.as_str(),
        title: doc.title.trim(),
        plain: doc
            .age
            .is_some_and(|ages| ages.min() <= PLAIN_LANGUAGE_UP_TO_AGE),
        audience: doc.audience.iter().map(|a| audience_label(*a)).collect(),
        ages: doc.age.map(|a| Ages {
            min: a.min(),
            max: a.max(),
        }),
        settings: doc.settings.iter().map(|s| setting_label(*s)).collect(),
        owner: doc.owner.as_deref(),
        reviewed: doc.reviewed.map(|d| long_date(d.0)).transpose()?,
        review_due: doc.review_due().map(long_date).transpose()?,
        review_interval_months: doc.review_interval_months,
        acceptable_use: &doc.acceptable_use,
        unacceptable_use: &doc.unacceptable_use,
        sanctions: &doc.sanctions,
        monitoring: &doc.monitoring,
        reporting: &doc.reporting,
        report_concerns: doc.report_concerns.as_deref(),
        signatures: doc.signatures.iter().map(|s| signatory_id(*s)).collect(),
    };
    let template = env.get_template("aup.html")?;
    template
        .render(minijinja::value::Serde(&page))
        .context("cannot render the AUP template")
}

/// `1 September 2026`.
fn long_date(date: jiff::civil::Date) -> anyhow::Result<String> {
    Ok(jiff::fmt::strtime::format("%-d %B %Y", date)?)
}

fn audience_label(a: Audience) -> &'static str {
    match a {
        Audience::Pupils => "pupils",
        Audience::Students => "students",
        Audience::Children => "children",
        Audience::YoungPeople => "young people",
        Audience::Staff => "staff",
        Audience::Volunteers => "volunteers",
        Audience::Visitors => "visitors and guests",
        Audience::ParentsCarers => "parents and carers",
        Audience::Public => "members of the public",
    }
}

fn setting_label(s: Setting) -> &'static str {
    match s {
        Setting::School => "school",
        Setting::College => "college",
        Setting::Library => "library",
        Setting::ChildrensHome => "children's home",
        Setting::YouthClub => "youth club",
        Setting::ChildrensCentre => "children's centre",
        Setting::PupilReferralUnit => "pupil referral unit",
        Setting::HospitalSchool => "hospital school",
        Setting::Other => "other setting",
    }
}

fn signatory_id(s: Signatory) -> &'static str {
    match s {
        Signatory::User => "user",
        Signatory::ParentCarer => "parent-carer",
    }
}

/// Writes `bytes` to `path` whole or not at all: into a file beside it,
/// then renamed over it, so a failed run never leaves half a document.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
