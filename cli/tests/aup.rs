//! `esafety aup`, run as a binary: every shipped policy renders, everything
//! from the policy is escaped, a policy the linter finds wanting is refused,
//! and the page printed by real headless Chromium is A4, its text is there
//! and none of it runs off the page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test helpers: a failure should panic with its message; string indices come from `find`"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use esafety::policy::{Policy, PolicyDocument, Signatory};

mod common;
use common::Scratch;

/// The day the tests check review deadlines against (the shipped policies
/// were reviewed on 2026-09-01).
const TODAY: &str = "2026-12-01";

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn aup(policy: &Path, out: &Path, today: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esafety"))
        .arg("aup")
        .arg(policy)
        .arg("-o")
        .arg(out)
        .args(["--today", today])
        .output()
        .unwrap()
}

fn load(path: &Path) -> PolicyDocument {
    let text = std::fs::read_to_string(path).unwrap();
    Policy::load(&path.display().to_string(), &text)
        .unwrap()
        .document()
        .clone()
}

/// One shipped policy and what its document must look like.
struct Shipped {
    file: &'static str,
    /// The plain-language layout (youngest user 10 or under).
    plain: bool,
    /// The most A4 pages it may print on.
    max_pages: usize,
}

const SHIPPED: &[Shipped] = &[
    Shipped {
        file: "primary-pupils.toml",
        plain: true,
        max_pages: 3,
    },
    Shipped {
        file: "library-childrens-area.toml",
        plain: true,
        max_pages: 3,
    },
    Shipped {
        file: "childrens-home.toml",
        plain: true,
        max_pages: 3,
    },
    Shipped {
        file: "secondary-pupils.toml",
        plain: false,
        max_pages: 3,
    },
    Shipped {
        file: "sixth-form.toml",
        plain: false,
        max_pages: 3,
    },
    Shipped {
        file: "staff.toml",
        plain: false,
        max_pages: 3,
    },
    Shipped {
        file: "youth-club.toml",
        plain: false,
        max_pages: 3,
    },
];

/// Every `policies/*.toml` has a case above, so a new shipped policy is
/// rendered too.
#[test]
fn every_shipped_policy_has_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(repo().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut cases: Vec<String> = SHIPPED.iter().map(|c| c.file.to_owned()).collect();
    cases.sort();
    assert_eq!(
        on_disk, cases,
        "add a `Shipped` case for each shipped policy"
    );
}

/// Text from the page as a reader sees it: the HTML with its character
/// references decoded (the template engine writes `'` as `&#x27;`).
fn decoded(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every statement of the policy, each in its section.
fn assert_sections(case: &str, html: &str, doc: &PolicyDocument) {
    let text = decoded(html);
    let section = |id: &str| -> String {
        let start = text
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("{case}: no section `{id}`"));
        let end = start + text[start..].find("</section>").unwrap();
        text[start..end].to_owned()
    };
    let sections: [(&str, Vec<&String>); 5] = [
        ("acceptable-use", doc.acceptable_use.iter().collect()),
        ("unacceptable-use", doc.unacceptable_use.iter().collect()),
        ("sanctions", doc.sanctions.iter().collect()),
        (
            "monitoring",
            doc.monitoring.iter().chain(&doc.reporting).collect(),
        ),
        ("report-a-concern", doc.report_concerns.iter().collect()),
    ];
    for (id, statements) in sections {
        let body = section(id);
        assert!(!statements.is_empty(), "{case}: `{id}` has nothing to show");
        for s in statements {
            assert!(body.contains(s.as_str()), "{case}: `{id}` lacks {s:?}");
        }
    }
    assert!(
        text.contains(&format!("<h1>{}</h1>", doc.title)),
        "{case}: no title"
    );
    let review = section("review");
    let due = doc.review_due().unwrap().strftime("%-d %B %Y").to_string();
    let reviewed = doc.reviewed.unwrap().0.strftime("%-d %B %Y").to_string();
    assert!(
        review.contains(&reviewed) && review.contains(&due),
        "{case}: {review}"
    );
    let ages = doc.age.unwrap();
    assert!(
        text.contains(&format!("aged {} to {}", ages.min(), ages.max())),
        "{case}: no ages"
    );
    let parties: Vec<&str> = doc
        .signatures
        .iter()
        .map(|s| match s {
            Signatory::User => "data-party=\"user\"",
            Signatory::ParentCarer => "data-party=\"parent-carer\"",
        })
        .collect();
    let signs = section("signatures");
    assert_eq!(
        signs.matches("class=\"sign\"").count(),
        parties.len(),
        "{case}"
    );
    for p in parties {
        assert_eq!(signs.matches(p).count(), 1, "{case}: one block for {p}");
    }
}

#[test]
fn every_shipped_policy_renders_with_its_sections_and_layout() {
    let scratch = Scratch::new("aup-shipped");
    for case in SHIPPED {
        let policy = repo().join("policies").join(case.file);
        let out = scratch.path().join(format!("{}.html", case.file));
        let run = aup(&policy, &out, TODAY);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}: {}",
            case.file,
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            run.stderr.is_empty(),
            "{}: {}",
            case.file,
            String::from_utf8_lossy(&run.stderr)
        );
        let html = std::fs::read_to_string(&out).unwrap();
        let layout = if case.plain {
            "<body class=\"plain\">"
        } else {
            "<body class=\"standard\">"
        };
        assert!(html.contains(layout), "{}: want {layout}", case.file);
        assert!(html.contains("@page { size: A4;"), "{}", case.file);
        assert_sections(case.file, &html, &load(&policy));
    }
}

/// A complete policy (no lint errors) whose youngest user is `min_age`,
/// with `title`, `statement` and `concern` written into it as given.
fn complete_policy(min_age: Option<u8>, title: &str, statement: &str, concern: &str) -> String {
    let age = match min_age {
        Some(min) => format!("age = {{ min = {min}, max = 16 }}\n"),
        None => String::new(),
    };
    format!(
        r#"id = "test-aup"
title = {title:?}
audience = ["pupils"]
{age}settings = ["school"]
owner = "E-safety officer <dsl@example.org>"
reviewed = 2026-09-01
review_interval_months = 6
signatures = ["user", "parent-carer"]
acceptable_use = [{statement:?}, "I use the learning platform."]
unacceptable_use = ["I do not share passwords & logins."]
sanctions = ["A talk with my teacher."]
monitoring = ["The filter records the websites visited."]
reporting = ["The e-safety officer reads the reports every week."]
report_concerns = {concern:?}
safe_search = true
default = "block"
"#
    )
}

#[test]
fn the_layout_follows_the_youngest_users_age() {
    struct Case {
        name: &'static str,
        min_age: Option<u8>,
        plain: bool,
    }
    let cases = [
        Case {
            name: "reception (4) is primary",
            min_age: Some(4),
            plain: true,
        },
        Case {
            name: "year 6 starts at 10: primary",
            min_age: Some(10),
            plain: true,
        },
        Case {
            name: "year 7 starts at 11: secondary",
            min_age: Some(11),
            plain: false,
        },
        Case {
            name: "no ages: the standard layout",
            min_age: None,
            plain: false,
        },
    ];
    let scratch = Scratch::new("aup-layout");
    for case in cases {
        let text = complete_policy(case.min_age, "Rules", "I ask first.", "Tell a teacher.");
        let policy = scratch.file("p.toml", text);
        let out = scratch.path().join("p.html");
        let run = aup(&policy, &out, TODAY);
        // Without ages a children's policy is one the linter refuses (P201).
        if case.min_age.is_none() {
            assert_eq!(run.status.code(), Some(1), "{}", case.name);
            assert!(
                String::from_utf8_lossy(&run.stderr).contains("P201"),
                "{}",
                case.name
            );
            continue;
        }
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&run.stderr)
        );
        let html = std::fs::read_to_string(&out).unwrap();
        let want = if case.plain {
            "I can</h2>"
        } else {
            "Acceptable use</h2>"
        };
        assert!(html.contains(want), "{}: want {want}", case.name);
        // Six-monthly review from 1 September 2026.
        assert!(html.contains("1 March 2027"), "{}", case.name);
    }
}

#[test]
fn everything_from_the_policy_is_html_escaped() {
    let scratch = Scratch::new("aup-escape");
    let hostile = "<script>alert('aup')</script><img src=x onerror=alert(1)> & \"quoted\"";
    let text = complete_policy(Some(11), hostile, hostile, hostile);
    let policy = scratch.file("hostile.toml", text);
    let out = scratch.path().join("hostile.html");
    let run = aup(&policy, &out, TODAY);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    // The owner's e-mail address in angle brackets is text too.
    assert!(html.contains("&lt;dsl@example.org&gt;"), "{html}");
    // As the reader sees it: the hostile text, literally, in the title,
    // the acceptable-use list and the concern box.
    assert_eq!(decoded(&html).matches(hostile).count(), 4, "{html}"); // <title>, <h1>, a statement, the concern
}

#[test]
fn a_policy_the_linter_finds_wanting_is_refused_and_nothing_is_written() {
    struct Case {
        name: &'static str,
        /// The policy text (`None`: the file does not exist).
        text: Option<String>,
        today: &'static str,
        code: i32,
        /// What standard error must say.
        says: &'static [&'static str],
    }
    let complete = complete_policy(Some(11), "Rules", "I ask first.", "Tell a teacher.");
    let cases = [
        Case {
            name: "no way to report a concern",
            text: Some(complete.replace("report_concerns = \"Tell a teacher.\"\n", "")),
            today: TODAY,
            code: 1,
            says: &[
                "p.toml:1: error P703",
                "cannot be issued as an acceptable use policy",
            ],
        },
        Case {
            name: "nobody signs",
            text: Some(complete.replace("signatures = [\"user\", \"parent-carer\"]\n", "")),
            today: TODAY,
            code: 1,
            says: &["error P301", "add `signatures"],
        },
        Case {
            name: "no monitoring statement",
            text: Some(complete.replace(
                "monitoring = [\"The filter records the websites visited.\"]\n",
                "",
            )),
            today: TODAY,
            code: 1,
            says: &["error P701"],
        },
        Case {
            name: "review overdue",
            text: Some(complete.clone()),
            today: "2027-03-02",
            code: 1,
            says: &["error P403", "the review is overdue"],
        },
        Case {
            name: "does not load",
            text: Some(complete.replace("default = \"block\"", "default = \"deny\"")),
            today: TODAY,
            code: 1,
            says: &["error P000"],
        },
        Case {
            name: "unreadable",
            text: None,
            today: TODAY,
            code: 2,
            says: &["cannot read policy `", "p.toml`"],
        },
    ];
    for case in cases {
        let scratch = Scratch::new("aup-refused");
        let policy = match &case.text {
            Some(text) => scratch.file("p.toml", text),
            None => scratch.path().join("p.toml"),
        };
        let out = scratch.path().join("p.html");
        let run = aup(&policy, &out, case.today);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(case.code),
            "{}: {stderr}",
            case.name
        );
        for s in case.says {
            assert!(stderr.contains(s), "{}: want {s:?} in {stderr}", case.name);
        }
        assert!(!out.exists(), "{}: wrote a document", case.name);
        assert_eq!(
            std::fs::read_dir(scratch.path()).unwrap().count(),
            usize::from(case.text.is_some()),
            "{}",
            case.name
        );
    }
}

// ---- Real headless Chromium ----

/// Runs headless Chromium with `args` then `url`; its standard output.
/// Fails the test when Chromium does not finish within a minute.
fn chromium(args: &[&str], url: &str) -> Vec<u8> {
    let profile = Scratch::new("aup-chromium-profile");
    let mut child = Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium is installed by scripts/setup.sh");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s: {args:?} {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "chromium failed: {args:?} {url}");
    out.stdout
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The pages of a PDF Chromium printed: the number of page objects, each
/// checked to be A4 (its media box 210 × 297 mm, in points).
fn a4_pages(case: &str, pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(at, m)| !text[at + m.len()..].starts_with('s'))
        .count();
    let boxes: Vec<&str> = text
        .match_indices("/MediaBox [")
        .map(|(at, _)| {
            let rest = &text[at + "/MediaBox [".len()..];
            &rest[..rest.find(']').unwrap()]
        })
        .collect();
    assert_eq!(boxes.len(), pages, "{case}: one media box per page");
    for b in boxes {
        let v: Vec<f64> = b.split_whitespace().map(|n| n.parse().unwrap()).collect();
        let (w, h) = (v[2] - v[0], v[3] - v[1]);
        // 210 mm = 595.28 pt, 297 mm = 841.89 pt; Chromium rounds to its
        // device pixels.
        assert!(
            (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0,
            "{case}: page {w}×{h} pt is not A4"
        );
    }
    pages
}

/// Appended to a copy of the page (without its Content Security Policy,
/// which forbids scripts): lays the body out at the width A4 prints it
/// (210 mm less the 16 mm side margins of the page's `@page`), marks every
/// element whose content is wider than its box or that reaches past the
/// body's edges, and writes that with the text of each section, as
/// Chromium laid it out, into `<pre id="esafety-check">` as JSON.
const CHECK_SCRIPT: &str = r#"<script>
(() => {
  const b = document.body;
  b.style.maxWidth = 'none'; b.style.margin = '0'; b.style.padding = '0';
  b.style.width = '178mm';
  const edge = b.getBoundingClientRect();
  const clipped = [];
  for (const el of b.querySelectorAll('*')) {
    if (el.tagName === 'SCRIPT') continue;
    const r = el.getBoundingClientRect();
    const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ': ' + (el.textContent || '').slice(0, 60);
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) clipped.push('wider than its box: ' + what);
    if (r.width > 0 && (r.right > edge.right + 0.5 || r.left < edge.left - 0.5)) clipped.push('past the page edge: ' + what);
  }
  const sections = {};
  for (const s of document.querySelectorAll('section[id]')) sections[s.id] = s.innerText;
  const out = {
    clipped,
    sections,
    title: document.querySelector('h1').innerText,
    parties: [...document.querySelectorAll('.sign')].map(e => e.dataset.party),
    scripts: document.scripts.length,
  };
  const pre = document.createElement('pre');
  pre.id = 'esafety-check';
  pre.textContent = JSON.stringify(out);
  b.appendChild(pre);
})();
</script>"#;

/// What [`CHECK_SCRIPT`] found in `html` (rendered from the file `name`).
fn check_in_chromium(scratch: &Scratch, name: &str, html: &str) -> serde_json::Value {
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let csp_end = csp_start + html[csp_start..].find('>').unwrap() + 1;
    let mut checked = format!("{}{}", &html[..csp_start], &html[csp_end..]);
    let body_end = checked.rfind("</body>").unwrap();
    checked.insert_str(body_end, CHECK_SCRIPT);
    let page = scratch.file(&format!("{name}.checked.html"), checked);
    let dom = String::from_utf8(chromium(&["--dump-dom"], &file_url(&page))).unwrap();
    let start = dom
        .find("<pre id=\"esafety-check\">")
        .expect("the check script ran")
        + "<pre id=\"esafety-check\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    serde_json::from_str(&decoded(&dom[start..end])).unwrap()
}

#[test]
fn every_shipped_policy_prints_on_a4_in_chromium_with_nothing_clipped() {
    let scratch = Scratch::new("aup-chromium");
    for case in SHIPPED {
        let policy = repo().join("policies").join(case.file);
        let doc = load(&policy);
        let html_path = scratch.path().join(format!("{}.html", case.file));
        let run = aup(&policy, &html_path, TODAY);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );

        let pdf_path = scratch.path().join(format!("{}.pdf", case.file));
        chromium(
            &[
                &format!("--print-to-pdf={}", pdf_path.display()),
                "--no-pdf-header-footer",
            ],
            &file_url(&html_path),
        );
        let pages = a4_pages(case.file, &std::fs::read(&pdf_path).unwrap());
        assert!(
            (1..=case.max_pages).contains(&pages),
            "{}: {pages} pages",
            case.file
        );

        let html = std::fs::read_to_string(&html_path).unwrap();
        let seen = check_in_chromium(&scratch, case.file, &html);
        assert_eq!(seen["clipped"], serde_json::json!([]), "{}", case.file);
        assert_eq!(seen["title"], doc.title.as_str(), "{}", case.file);
        assert_eq!(seen["scripts"], 1, "{}: only the check script", case.file);
        let want_parties: Vec<&str> = doc
            .signatures
            .iter()
            .map(|s| match s {
                Signatory::User => "user",
                Signatory::ParentCarer => "parent-carer",
            })
            .collect();
        assert_eq!(
            seen["parties"],
            serde_json::json!(want_parties),
            "{}",
            case.file
        );
        let text = |id: &str| seen["sections"][id].as_str().unwrap_or_default().to_owned();
        for s in &doc.acceptable_use {
            assert!(
                text("acceptable-use").contains(s.as_str()),
                "{}: {s}",
                case.file
            );
        }
        for s in &doc.unacceptable_use {
            assert!(
                text("unacceptable-use").contains(s.as_str()),
                "{}: {s}",
                case.file
            );
        }
        for s in &doc.sanctions {
            assert!(text("sanctions").contains(s.as_str()), "{}: {s}", case.file);
        }
        for s in doc.monitoring.iter().chain(&doc.reporting) {
            assert!(
                text("monitoring").contains(s.as_str()),
                "{}: {s}",
                case.file
            );
        }
        let concern = doc.report_concerns.as_deref().unwrap();
        assert!(text("report-a-concern").contains(concern), "{}", case.file);
        eprintln!("{}: {pages} A4 pages", case.file);
    }
}

/// A web address with no place to break, a hostile title and a long list
/// print without running off the page, and the hostile text is text: the
/// only script on the page is the check's own.
#[test]
fn long_unbroken_text_and_markup_in_a_policy_stay_on_the_page_in_chromium() {
    let scratch = Scratch::new("aup-chromium-long");
    let url = format!("https://www.example.org/{}", "a".repeat(300));
    let hostile = "<script>document.title='pwned'</script>";
    let statement = format!("Report it at {url}");
    let mut text = complete_policy(Some(8), hostile, &statement, &url);
    text = text.replace(
        "sanctions = [\"A talk with my teacher.\"]",
        &format!(
            "sanctions = [{}]",
            (1..=40).map(|i| format!("\"Sanction number {i}, written out at some length so that it wraps onto a second line.\"")).collect::<Vec<_>>().join(", ")
        ),
    );
    let policy = scratch.file("long.toml", text);
    let html_path = scratch.path().join("long.html");
    let run = aup(&policy, &html_path, TODAY);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    let seen = check_in_chromium(&scratch, "long", &html);
    assert_eq!(seen["clipped"], serde_json::json!([]));
    assert_eq!(seen["scripts"], 1);
    assert_eq!(seen["title"], hostile);
    let concern = seen["sections"]["report-a-concern"].as_str().unwrap();
    assert!(concern.replace('\n', "").contains(&url), "{concern}");

    let pdf_path = scratch.path().join("long.pdf");
    chromium(
        &[
            &format!("--print-to-pdf={}", pdf_path.display()),
            "--no-pdf-header-footer",
        ],
        &file_url(&html_path),
    );
    // Forty two-line sanctions in the large type do not fit on three pages.
    let pages = a4_pages("long", &std::fs::read(&pdf_path).unwrap());
    assert!(pages >= 4, "{pages} pages");
}
