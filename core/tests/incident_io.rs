//! Reading incident files and escalation profiles, and the incident log:
//! precise errors, format sniffing, the incomplete-log validator and
//! corrupt-line recovery.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails loudly on an unexpected error"
)]

use std::path::PathBuf;

use esafety::incident::{
    EscalationProfile, Format, Incident, IncidentError, IncidentLog, Kind, LogError, LogField,
    LogRecord, ProfileError, RouteId, SHIPPED, assess,
};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/incident-fixtures")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap()
}

#[test]
fn fixtures_parse_or_fail_as_named() {
    // (file, Ok(kind) | Err(is_invalid_record))
    let cases: &[(&str, Result<Kind, bool>)] = &[
        ("csam-pupil-email.json", Ok(Kind::ChildSexualAbuseMaterial)),
        ("grooming-chat-room.toml", Ok(Kind::Grooming)),
        (
            "staff-viewing-pornography.toml",
            Ok(Kind::InappropriateContent),
        ),
        ("staff-unsuitable.toml", Ok(Kind::Other)),
        ("nude-sharing-no-factors.toml", Ok(Kind::NudeImageSharing)),
        ("nude-sharing-coercion.json", Ok(Kind::NudeImageSharing)),
        ("aup-breach-proxy.toml", Ok(Kind::Hacking)),
        ("complete-log.json", Ok(Kind::InappropriateContent)),
        ("invalid-missing-kind.toml", Err(true)),
        ("invalid-unknown-kind.json", Err(true)),
        ("broken-syntax.json", Err(false)),
        ("broken-syntax.toml", Err(false)),
    ];
    for (name, want) in cases {
        let got = Incident::from_named_bytes(name, &fixture(name));
        match (got, want) {
            (Ok(i), Ok(kind)) => assert_eq!(i.kind, *kind, "{name}"),
            (Err(e), Err(invalid)) => {
                assert_eq!(e.is_invalid_record(), *invalid, "{name}: {e}");
                assert!(
                    e.to_string().starts_with(name),
                    "{name}: error names the file: {e}"
                );
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn errors_name_line_column_and_what_is_wrong() {
    // (name, text, format, invalid record?, expected message)
    let cases: &[(&str, &str, Format, bool, &str)] = &[
        (
            "unknown kind in toml",
            "setting = \"school\"\nkind = \"x\"\n",
            Format::Toml,
            true,
            "2:8: unknown kind `x`: expected one of `child-sexual-abuse-material`, `terrorist-material`,",
        ),
        (
            "unknown kind in json",
            "{\n  \"kind\": \"x\"\n}",
            Format::Json,
            true,
            "2:13: unknown kind `x`: expected one of `child-sexual-abuse-material`",
        ),
        (
            "unknown risk factor",
            "kind = \"grooming\"\nrisk_factors = [\"adult\"]\n",
            Format::Toml,
            true,
            "2:17: unknown risk factor `adult`: expected one of `adult-involved`, `coercion`, `developmentally-unusual`, `under-13`, `immediate-risk`",
        ),
        (
            "unknown staff concern",
            "kind = \"other\"\nstaff_concerns = [\"harm\"]\n",
            Format::Toml,
            true,
            "unknown staff concern `harm`: expected one of `harmed-child`",
        ),
        (
            "unknown role",
            "{\"kind\": \"other\", \"people\": [{\"role\": \"pupil\", \"involvement\": \"victim\"}]}",
            Format::Json,
            true,
            "unknown role `pupil`: expected one of `child`, `staff`, `volunteer`, `external-adult`, `parent`",
        ),
        (
            "unknown field",
            "kind = \"other\"\nseverity = \"high\"\n",
            Format::Toml,
            true,
            "2:1: unknown field `severity`, expected one of `kind`",
        ),
        (
            "unknown log field",
            "kind = \"other\"\n[log]\nsummary = \"x\"\n",
            Format::Toml,
            true,
            "3:1: unknown field `summary`, expected one of `description`, `actions_taken`, `conclusion`",
        ),
        (
            "camel-case ids are not accepted",
            "kind = \"ChildSexualAbuseMaterial\"",
            Format::Toml,
            true,
            "unknown kind `ChildSexualAbuseMaterial`",
        ),
        (
            "missing kind",
            "{\"setting\": \"school\"}",
            Format::Json,
            true,
            "missing field `kind`: say what happened with one of",
        ),
        (
            "wrong type",
            "kind = \"other\"\ndeliberate = \"yes\"\n",
            Format::Toml,
            true,
            "2:14: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "child aged 25",
            "{\"kind\": \"other\", \"people\": [{\"role\": \"child\", \"involvement\": \"victim\", \"age\": 25}]}",
            Format::Json,
            true,
            // JSON: at the person's closing `}`, where serde_json stopped.
            "1:82: a `child` aged 25 is not a child (under 18)",
        ),
        (
            "age out of range",
            "kind = \"other\"\npeople = [{ role = \"staff\", involvement = \"witness\", age = 130 }]\n",
            Format::Toml,
            true,
            "2:60: age 130 is out of range",
        ),
        (
            "the second person of a TOML file, at its table",
            "kind = \"other\"\n[[people]]\nrole = \"staff\"\ninvolvement = \"witness\"\n\n[[people]]\nrole = \"child\"\ninvolvement = \"victim\"\nage = 19\n",
            Format::Toml,
            true,
            "6:1: a `child` aged 19 is not a child (under 18)",
        ),
        (
            "local time without an offset",
            "kind = \"other\"\noccurred_at = 2026-01-05T09:30:00\n",
            Format::Toml,
            true,
            "2:15: `occurred_at` `2026-01-05T09:30:00` is not an RFC 3339 timestamp (it has no UTC offset such as `Z` or `+01:00`); write it like `2026-03-02T10:15:00Z`",
        ),
        (
            "not a time",
            "{\"kind\": \"other\", \"occurred_at\": \"yesterday\"}",
            Format::Json,
            true,
            "`occurred_at` `yesterday` is not an RFC 3339 timestamp (expected a four-digit year (`YYYY-MM-DD`) at character 1, found `y`)",
        ),
        (
            "toml syntax",
            "kind = \"grooming\nsetting = \"school\"\n",
            Format::Toml,
            false,
            "1:17: not valid TOML: ",
        ),
        (
            "json syntax",
            "{\"kind\": \"grooming\",}",
            Format::Json,
            false,
            "1:21: not valid JSON: trailing comma",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, format, invalid, want) in cases {
        match Incident::from_bytes(text.as_bytes(), *format) {
            Ok(i) => failures.push(format!("{name}: parsed as {i:?}")),
            Err(e) => {
                let msg = e.to_string();
                if e.is_invalid_record() != *invalid || !msg.contains(want) {
                    failures.push(format!(
                        "{name}: got {msg:?} (invalid: {}), want {want:?}",
                        e.is_invalid_record()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An incident file that is not UTF-8 names the line and column of the
/// first bad byte, as every other error does (before, only the byte offset:
/// "not UTF-8 text (invalid byte at offset 22)", with no line).
#[test]
fn not_utf8_names_line_and_column() {
    // (name, bytes, line, column, offset)
    let cases: &[(&str, &[u8], usize, usize, usize)] = &[
        ("first line", b"kind = \"\xff\"", 1, 9, 8),
        (
            "second line",
            b"kind = \"hacking\"\nsetting = \"sc\xffhool\"\n",
            2,
            14,
            30,
        ),
        (
            "columns count characters, not bytes",
            b"kind = \"other\"\n[log]\ndescription = \"caf\xc3\xa9 \xff\"",
            3,
            21,
            42,
        ),
        (
            "a byte-order mark is not a column",
            b"\xEF\xBB\xBFkind = \"\xff\"",
            1,
            9,
            11,
        ),
        (
            "truncated character at the end",
            b"{\"kind\": \"other\",\n \"log\": {\"description\": \"\xc3",
            2,
            26,
            43,
        ),
        ("CRLF line endings", b"kind = \"other\"\r\n\xfe", 2, 1, 16),
    ];
    for (name, bytes, line, column, offset) in cases {
        let err = Incident::from_named_bytes("incident.toml", bytes).unwrap_err();
        let want = format!(
            "incident.toml:{line}:{column}: not UTF-8 text (invalid byte at offset {offset}); save the incident file as UTF-8"
        );
        assert_eq!(err.to_string(), want, "{name}");
        assert_eq!(err.line(), Some(*line), "{name}");
        assert!(
            matches!(err, IncidentError::NotUtf8 { offset: o, .. } if o == *offset),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn format_is_chosen_by_extension_then_content() {
    let json = br#"  {"kind": "hacking"}"#;
    let toml = b"kind = \"hacking\"";
    assert_eq!(Format::sniff(json), Format::Json);
    assert_eq!(
        Format::sniff(b"\xEF\xBB\xBF{\"kind\": \"hacking\"}"),
        Format::Json
    );
    assert_eq!(Format::sniff(toml), Format::Toml);
    assert_eq!(Format::from_name("a/b/INCIDENT.JSON"), Some(Format::Json));
    assert_eq!(Format::from_name("x.toml"), Some(Format::Toml));
    assert_eq!(Format::from_name("x.txt"), None);
    assert_eq!(Incident::from_bytes_auto(json).unwrap().kind, Kind::Hacking);
    assert_eq!(Incident::from_bytes_auto(toml).unwrap().kind, Kind::Hacking);
    assert_eq!(
        Incident::from_named_bytes("report.txt", json).unwrap().kind,
        Kind::Hacking
    );
    // The extension wins over the content.
    let err = Incident::from_named_bytes("report.toml", json).unwrap_err();
    assert!(
        matches!(
            err,
            IncidentError::Syntax {
                format: Format::Toml,
                ..
            }
        ),
        "{err}"
    );
    let bom = Incident::from_bytes_auto(b"\xEF\xBB\xBFkind = \"hacking\"").unwrap();
    assert_eq!(bom.kind, Kind::Hacking);
    let err = Incident::from_bytes_auto(b"kind = \"\xff\"").unwrap_err();
    assert_eq!(
        err.to_string(),
        "1:9: not UTF-8 text (invalid byte at offset 8); save the incident file as UTF-8"
    );
    assert!(!err.is_invalid_record());
    // Empty documents are well-formed but lack `kind`.
    assert!(
        Incident::from_bytes_auto(b"")
            .unwrap_err()
            .is_invalid_record()
    );
    assert!(
        Incident::from_bytes_auto(b"{}")
            .unwrap_err()
            .is_invalid_record()
    );
}

#[test]
fn toml_and_json_fixtures_agree_and_round_trip() {
    let toml = Incident::from_toml(
        r#"
        kind = "nude-image-sharing"
        deliberate = false
        setting = "childrens-home"
        identified_by = "disclosure"
        risk_factors = ["under-13", "coercion", "coercion"]
        staff_concerns = []
        wider_harm = true
        occurred_at = "2026-01-05T09:30:00Z"
        [[people]]
        role = "child"
        involvement = "victim"
        age = 12
        [log]
        description = "d"
        "#,
    )
    .unwrap();
    let json = Incident::from_json(
        r#"{"kind": "nude-image-sharing", "deliberate": false, "setting": "childrens-home",
            "identified_by": "disclosure", "risk_factors": ["coercion", "under-13"],
            "wider_harm": true, "occurred_at": "2026-01-05T09:30:00Z",
            "people": [{"role": "child", "involvement": "victim", "age": 12}],
            "log": {"description": "d"}}"#,
    )
    .unwrap();
    assert_eq!(toml, json);
    let bare =
        Incident::from_toml("kind = \"other\"\noccurred_at = 2026-01-05T09:30:00Z\n").unwrap();
    assert_eq!(
        bare.occurred_at, json.occurred_at,
        "TOML date-times need no quotes"
    );
    assert_eq!(Incident::from_json(&toml.to_json().unwrap()).unwrap(), toml);
    let as_toml = toml::to_string(&toml).unwrap();
    assert_eq!(Incident::from_toml(&as_toml).unwrap(), toml);
}

#[test]
fn shipped_profiles_load_and_national_is_complete() {
    for (name, _) in SHIPPED {
        let p = EscalationProfile::shipped(name).unwrap();
        assert_eq!(p.id(), *name);
        for route in RouteId::ALL {
            let (c, _) = p.contact(*route);
            assert!(!c.name.is_empty(), "{name}: {route}");
        }
    }
    let national = EscalationProfile::national().unwrap();
    let phone = |r| {
        national
            .contact(r)
            .0
            .phone
            .as_ref()
            .map(|p| p.as_str().to_owned())
    };
    assert_eq!(phone(RouteId::PoliceEmergency).as_deref(), Some("999"));
    assert_eq!(phone(RouteId::Police).as_deref(), Some("101"));
    assert!(national.contact(RouteId::Ceop).0.web.is_some());
    assert!(national.contact(RouteId::Iwf).0.web.is_some());
    assert!(national.contact(RouteId::CounterTerrorism).0.web.is_some());
    // Genuinely local contacts are marked and say how to find them.
    for r in [RouteId::Lado, RouteId::ChildrensSocialCare, RouteId::Dsl] {
        let c = national.contact(r).0;
        assert!(c.local && c.notes.is_some(), "{r}");
    }
    for r in [
        RouteId::PoliceEmergency,
        RouteId::Police,
        RouteId::Ceop,
        RouteId::Iwf,
        RouteId::CounterTerrorism,
    ] {
        assert!(!national.contact(r).0.local, "{r} is national");
    }
    let err = EscalationProfile::shipped("leeds").unwrap_err();
    assert_eq!(
        err.to_string(),
        "no shipped escalation profile `leeds`; use one of `national`, `manchester` or give the path of a profile TOML file"
    );
}

#[test]
fn custom_profile_fills_the_rest_from_national() {
    let text = std::fs::read_to_string(fixtures().join("profile-custom.toml")).unwrap();
    let p = EscalationProfile::from_toml(&text).unwrap();
    let (dsl, source) = p.contact(RouteId::Dsl);
    assert_eq!(dsl.phone.as_ref().unwrap().as_str(), "01234 567890");
    assert_eq!(source, esafety::incident::ContactSource::Profile);
    let (_, source) = p.contact(RouteId::Police);
    assert_eq!(source, esafety::incident::ContactSource::NationalDefault);
    let a = assess(&Incident::new(Kind::Grooming), &p);
    assert!(a.action_sheet().contains("01234 567890"));
}

#[test]
fn profile_errors_name_line_and_fix() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown route",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.polce]\nname = \"P\"\n",
            "unknown route `polce`: expected one of `police-emergency`, `police`,",
        ),
        (
            "bad phone",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.lado]\nname = \"L\"\nphone = \"call us\"\n",
            "6:9: phone `call us` is not a telephone number; use digits and spaces",
        ),
        (
            "bad web address",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.lado]\nname = \"L\"\nweb = \"www.example.org\"\n",
            "6:7: web `www.example.org` is not a web address; write it in full, starting `https://`",
        ),
        (
            "unknown contact field",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.lado]\nname = \"L\"\nfax = \"1\"\n",
            "6:1: unknown field `fax`",
        ),
        (
            "missing profile table",
            "[routes.lado]\nname = \"L\"\n",
            "missing field `profile`",
        ),
        (
            "empty name",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.dsl]\nname = \" \"\n",
            "5:8: the contact's `name` is empty; say who to contact",
        ),
        (
            "http address with nothing after the scheme",
            "[profile]\nid = \"x\"\nname = \"X\"\n[routes.lado]\nname = \"L\"\nweb = \"http://\"\n",
            "6:7: web `http://` is not a web address",
        ),
        ("syntax", "[profile\n", "1:"),
    ];
    let mut failures = Vec::new();
    for (name, text, want) in cases {
        match EscalationProfile::from_toml_named(text, "p.toml") {
            Ok(_) => failures.push(format!("{name}: loaded")),
            Err(e) => {
                let msg = e.to_string();
                if !msg.starts_with("p.toml:")
                    || !msg.contains(want)
                    || !matches!(e, ProfileError::Parse { .. })
                {
                    failures.push(format!("{name}: got {msg:?}, want {want:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn incomplete_log_record_lists_every_missing_field() {
    let complete = LogRecord::from_incident(
        &Incident::from_named_bytes("complete-log.json", &fixture("complete-log.json")).unwrap(),
        None,
    );
    // (name, mutate, missing)
    type Mutate = fn(&mut LogRecord);
    let cases: &[(&str, Mutate, &[LogField])] = &[
        ("complete record", |_| {}, &[]),
        (
            "empty record",
            |r| *r = LogRecord::default(),
            &LogField::ALL,
        ),
        (
            "no description",
            |r| r.description = None,
            &[LogField::Description],
        ),
        (
            "blank description",
            |r| r.description = Some("  \n".into()),
            &[LogField::Description],
        ),
        ("no people", |r| r.people.clear(), &[LogField::People]),
        (
            "not identified",
            |r| r.identified_by = None,
            &[LogField::IdentifiedBy],
        ),
        (
            "no actions",
            |r| r.actions_taken = Some(String::new()),
            &[LogField::ActionsTaken],
        ),
        (
            "no conclusion",
            |r| r.conclusion = None,
            &[LogField::Conclusion],
        ),
        (
            "open case",
            |r| {
                r.actions_taken = None;
                r.conclusion = None;
            },
            &[LogField::ActionsTaken, LogField::Conclusion],
        ),
    ];
    for (name, mutate, missing) in cases {
        let mut r = complete.clone();
        mutate(&mut r);
        assert_eq!(r.missing(), missing.to_vec(), "{name}");
        match r.validate() {
            Ok(()) => assert!(missing.is_empty(), "{name}: validated"),
            Err(LogError::Incomplete(m)) => assert_eq!(m, missing.to_vec(), "{name}"),
            Err(e) => panic!("{name}: {e}"),
        }
    }
    let err = LogRecord::default().validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "incomplete incident log record: missing `description` (a description of the incident), \
`people` (the people involved), `identified_by` (how it was identified), \
`actions_taken` (what actions were taken and by whom), `conclusion` (the conclusion); \
fill them in before the record is closed"
    );
}

#[test]
fn log_is_append_only_json_lines_and_survives_corrupt_lines() {
    let incident =
        Incident::from_named_bytes("csam-pupil-email.json", &fixture("csam-pupil-email.json"))
            .unwrap();
    let national = EscalationProfile::national().unwrap();
    let a = assess(&incident, &national);
    let mut first = LogRecord::from_incident(&incident, Some(&a));
    first.recorded_at = Some("2026-02-01T12:00:00Z".parse().unwrap());
    first.description = Some("multi\nline\ndescription".into());
    let second = LogRecord {
        description: Some("second".into()),
        ..LogRecord::default()
    };
    let line = IncidentLog::append_line(&first).unwrap();
    assert!(line.ends_with('\n'));
    assert_eq!(line.matches('\n').count(), 1, "one record, one line");
    let mut log = Vec::new();
    log.extend_from_slice(line.as_bytes());
    log.extend_from_slice(b"{\"description\": \"truncated\n"); // line 2: cut off
    log.extend_from_slice(b"\n"); // line 3: blank, skipped
    log.extend_from_slice(b"\xff\xfe not text\n"); // line 4: not UTF-8
    log.extend_from_slice(b"[1, 2]\n"); // line 5: not a record
    log.extend_from_slice(b"{\"kind\": \"nope\"}\n"); // line 6: bad id
    log.extend_from_slice(IncidentLog::append_line(&second).unwrap().as_bytes()); // line 7
    log.extend_from_slice(b"{\"conclusion\": \"no newline at the end\"}"); // line 8
    let (records, errors) = IncidentLog::read_log(log.as_slice());
    assert_eq!(records.len(), 3);
    assert_eq!(records[0], first);
    assert_eq!(
        records[0].severity,
        Some(esafety::incident::Severity::Critical)
    );
    assert!(records[0].routes.contains(&RouteId::Iwf));
    assert_eq!(records[1], second);
    assert_eq!(
        records[2].conclusion.as_deref(),
        Some("no newline at the end")
    );
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 4, 5, 6]);
    assert!(errors[1].reason.contains("not UTF-8"));
    assert!(errors[3].reason.contains("unknown kind `nope`"));
    assert!(
        errors[0]
            .to_string()
            .starts_with("line 2: not an incident log record")
    );
}

/// The citations quote the standard word for word. The standard lives
/// beside the repository (`../shared/STANDARD.md`, or `ESAFETY_STANDARD`).
#[test]
fn rule_quotes_are_the_standards_words() {
    let path = std::env::var_os("ESAFETY_STANDARD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/STANDARD.md")
        });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} not found (set ESAFETY_STANDARD)",
            path.display()
        );
        return;
    };
    let normalize = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("- ", "-")
            .replace("**", "")
    };
    let standard = normalize(&text);
    let missing: Vec<_> = esafety::incident::Rule::ALL
        .iter()
        .filter(|r| !standard.contains(&normalize(r.quote())))
        .map(|r| r.id())
        .collect();
    assert!(
        missing.is_empty(),
        "quotes not found in {}: {missing:?}",
        path.display()
    );
}
