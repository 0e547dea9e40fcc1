//! Site files: the issue's example, first match wins, errors with
//! file:line:column, the linter, the schema, and the squidGuard import.

#![allow(
    clippy::type_complexity,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "table-driven tests spell their case tuples out, and a failed step should fail the test loudly"
)]

use esafety::policy::{Device, Severity};
use esafety::record::site::{ImportError, Site, import_squidguard, lint};

const ISSUE_EXAMPLE: &str = r#"site = "example-school"
[[clients]]
ip = ["127.0.0.2/32"]
policy = "secondary-pupils.toml"
group = "pupils"
age = 14
device = "managed"
[[clients]]
user = ["alice"]
policy = "staff.toml"
group = "staff"
age = 40
"#;

#[test]
fn the_issue_example_works() {
    let site = Site::from_toml_str("site.toml", ISSUE_EXAMPLE).unwrap();
    assert_eq!(site.name(), "example-school");
    let cases: &[(&str, Option<&str>, Option<&str>, Option<(&str, &str, u8)>)] = &[
        (
            "pupil by address",
            Some("127.0.0.2"),
            None,
            Some(("pupils", "secondary-pupils.toml", 14)),
        ),
        (
            "pupil mapped v6",
            Some("::ffff:127.0.0.2"),
            None,
            Some(("pupils", "secondary-pupils.toml", 14)),
        ),
        (
            "staff by user",
            Some("127.0.0.3"),
            Some("alice"),
            Some(("staff", "staff.toml", 40)),
        ),
        (
            "user case ignored",
            None,
            Some("ALICE"),
            Some(("staff", "staff.toml", 40)),
        ),
        (
            "address before user",
            Some("127.0.0.2"),
            Some("alice"),
            Some(("pupils", "secondary-pupils.toml", 14)),
        ),
        ("nobody: the default", Some("127.0.0.3"), None, None),
        (
            "other user: the default",
            Some("127.0.0.3"),
            Some("mallory"),
            None,
        ),
        ("empty user is no user", Some("127.0.0.3"), Some(" "), None),
    ];
    for (name, ip, user, want) in cases {
        let got = site
            .resolve(ip.map(|i| i.parse().unwrap()), *user)
            .map(|c| (c.group().unwrap(), c.policy().unwrap(), c.age().unwrap()));
        assert_eq!(got, *want, "{name}");
    }
    assert_eq!(site.clients()[0].device(), Some(Device::Managed));
    assert_eq!(site.clients()[1].line(), 8);
}

#[test]
fn site_file_errors_name_file_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad range",
            "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\", \"10.0.0.1/33\"]\n",
            "site.toml:3:21: bad address range `10.0.0.1/33`: the prefix must be a number from 0 to 32",
        ),
        (
            "host bits",
            "site = \"s\"\n[[clients]]\nip = [\"192.168.1.7/24\"]\n",
            "site.toml:3:7: bad address range `192.168.1.7/24`: the address is not the first of its range; write `192.168.1.0/24`",
        ),
        (
            "unknown field",
            "site = \"s\"\n[[clients]]\nips = [\"10.0.0.0/8\"]\n",
            "site.toml:3:1: unknown field `ips`",
        ),
        (
            "bad device",
            "site = \"s\"\n[[clients]]\ndevice = \"laptop\"\n",
            "site.toml:3:10: unknown variant `laptop`",
        ),
        (
            "bad group",
            "site = \"s\"\n[[clients]]\ngroup = \"Year 7\"\n",
            "site.toml:3:9: bad identifier `Year 7`",
        ),
        (
            "age out of range",
            "site = \"s\"\n[[clients]]\nage = 130\n",
            "site.toml:3:7: age 130 is out of range",
        ),
        (
            "empty ip list",
            "site = \"s\"\n[[clients]]\nip = []\n",
            "site.toml:3:6: `ip` is empty, so the entry could never match",
        ),
        (
            "bad user",
            "site = \"s\"\n[[clients]]\nuser = [\"al ice\"]\n",
            "site.toml:3:9: bad user name `al ice`",
        ),
        (
            "missing site",
            "[[clients]]\nage = 3\n",
            "site.toml:1:1: missing field `site`; add it",
        ),
        ("not toml", "site = \n", "site.toml:1:8:"),
    ];
    for (name, text, want) in cases {
        let err = Site::from_toml_str("site.toml", text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(want), "{name}: {err}");
    }
}

#[test]
fn lint_finds_overlaps_unreachable_entries_and_a_missing_default() {
    let cases: &[(&str, &str, &[(&str, Severity, usize)])] = &[
        (
            "the issue example lacks a catch-all",
            ISSUE_EXAMPLE,
            &[("S003", Severity::Warning, 1)],
        ),
        (
            "clean",
            "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\"]\n[[clients]]\ngroup = \"guests\"\n",
            &[],
        ),
        (
            "narrower range after wider is unreachable",
            "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\"]\n[[clients]]\nip = [\"10.9.0.0/16\"]\n[[clients]]\n",
            &[("S002", Severity::Error, 4)],
        ),
        (
            "wider after narrower overlaps",
            "site = \"s\"\n[[clients]]\nip = [\"10.9.0.0/16\"]\n[[clients]]\nip = [\"10.0.0.0/8\"]\n[[clients]]\n",
            &[("S001", Severity::Warning, 4)],
        ),
        (
            "anything after a catch-all is unreachable",
            "site = \"s\"\n[[clients]]\ngroup = \"all\"\n[[clients]]\nuser = [\"bob\"]\n",
            &[("S002", Severity::Error, 4)],
        ),
        (
            "user subset unreachable",
            "site = \"s\"\n[[clients]]\nuser = [\"a\", \"b\"]\n[[clients]]\nuser = [\"B\"]\n[[clients]]\n",
            &[("S002", Severity::Error, 4)],
        ),
        (
            "ip and user entry is not shadowed by user-only entry for others",
            "site = \"s\"\n[[clients]]\nuser = [\"a\"]\n[[clients]]\nip = [\"10.0.0.0/8\"]\nuser = [\"b\"]\n[[clients]]\n",
            &[],
        ),
        (
            "overlap within one entry",
            "site = \"s\"\n[[clients]]\nip = [\"10.0.0.0/8\", \"10.1.0.0/16\"]\n[[clients]]\n",
            &[("S004", Severity::Warning, 2)],
        ),
        (
            "v4 and v6 never overlap",
            "site = \"s\"\n[[clients]]\nip = [\"0.0.0.0/0\"]\n[[clients]]\nip = [\"::/0\"]\n[[clients]]\n",
            &[],
        ),
        (
            "does not load",
            "site = 3\n",
            &[("S000", Severity::Error, 1)],
        ),
    ];
    for (name, text, want) in cases {
        let got: Vec<(String, Severity, usize)> = lint("site.toml", text)
            .into_iter()
            .map(|f| (f.code, f.severity, f.line))
            .collect();
        let want: Vec<(String, Severity, usize)> = want
            .iter()
            .map(|(c, s, l)| ((*c).to_owned(), *s, *l))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn checked_in_site_schema_is_current_and_validates_the_example() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../policies/schema/site.schema.json");
    let fresh = esafety::record::site_json_schema();
    if std::env::var_os("ESAFETY_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        fresh,
        "policies/schema/site.schema.json is out of date; regenerate it with \
         `ESAFETY_BLESS=1 cargo test -p esafety --test record_site`"
    );
    let schema: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let example: toml::Value = toml::from_str(ISSUE_EXAMPLE).unwrap();
    let example = serde_json::to_value(example).unwrap();
    assert!(validator.is_valid(&example));
    let bad = serde_json::json!({"site": "s", "clients": [{"ips": []}]});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn squidguard_import_keeps_order_and_semantics() {
    let conf = "dbhome /db\n\
                src admin {\n  ip 10.0.0.1 10.0.0.2\n  user Root foo\n}\n\
                src staff {\n  userlist staff.users\n}\n\
                src foo-clients {\n  ip 172.16.2.32-172.16.2.40, 172.16.2.200\n}\n\
                src bar-clients {\n  iplist /abs/bar.ips\n  log bar.log\n}\n\
                src empty {\n}\n\
                dest adult {\n  domainlist adult/domains\n}\n\
                acl {\n  admin { pass all }\n  default { pass none }\n}\n";
    let files = |path: &str| match path {
        "/db/staff.users" => Ok("# staff\nAlice\nbob:x:1001:1001::/home/bob:/bin/sh\n".to_owned()),
        "/abs/bar.ips" => Ok("172.16.4.0/26 # bar\n".to_owned()),
        other => Err(format!("no such file {other}")),
    };
    let toml = import_squidguard("squidGuard.conf", conf, "school", files).unwrap();
    let site = Site::from_toml_str("site.toml", &toml).unwrap();
    let groups: Vec<_> = site.clients().iter().map(|c| c.group().unwrap()).collect();
    assert_eq!(
        groups,
        ["admin", "staff", "foo-clients", "bar-clients"],
        "{toml}"
    );
    let cases: &[(&str, Option<&str>, Option<&str>, Option<&str>)] = &[
        (
            "admin needs address and user",
            Some("10.0.0.1"),
            Some("root"),
            Some("admin"),
        ),
        ("admin address without user", Some("10.0.0.1"), None, None),
        (
            "staff from the userlist",
            None,
            Some("alice"),
            Some("staff"),
        ),
        ("passwd-style userlist", None, Some("bob"), Some("staff")),
        ("span start", Some("172.16.2.32"), None, Some("foo-clients")),
        ("span end", Some("172.16.2.40"), None, Some("foo-clients")),
        ("after the span", Some("172.16.2.41"), None, None),
        (
            "single host",
            Some("172.16.2.200"),
            None,
            Some("foo-clients"),
        ),
        ("iplist", Some("172.16.4.63"), None, Some("bar-clients")),
        ("outside everything", Some("192.168.0.1"), None, None),
    ];
    for (name, ip, user, want) in cases {
        let got = site
            .resolve(ip.map(|i| i.parse().unwrap()), *user)
            .and_then(|c| c.group());
        assert_eq!(got, *want, "{name}");
    }
    assert!(
        lint("site.toml", &toml)
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
}

#[test]
fn squidguard_import_refuses_what_a_site_file_cannot_say() {
    let none = |_: &str| -> Result<String, String> { Err("no files".into()) };
    let cases: &[(&str, &str, &str)] = &[
        (
            "time-bound",
            "src a {\n ip 10.0.0.0/8\n within hours\n}\n",
            "squidGuard.conf:3: `within` in src `a` cannot be expressed",
        ),
        (
            "client domain",
            "src a {\n domain school.example\n}\n",
            "squidGuard.conf:2: `domain` in src `a`",
        ),
        (
            "unix group",
            "src a {\n group staff\n}\n",
            "squidGuard.conf:2: `group` in src `a`",
        ),
        (
            "ipv6",
            "src a {\n ip ::1\n}\n",
            "squidGuard.conf:2: `::1` is not an IPv4 address",
        ),
        (
            "missing list",
            "src a {\n iplist x.ips\n}\n",
            "squidGuard.conf:2: cannot read `/var/lib/squidguard/db/x.ips`: no files",
        ),
        (
            "unclosed",
            "src a {\n ip 10.0.0.1\n",
            "squidGuard.conf:1: src `a` is not closed",
        ),
        (
            "bad name",
            "src Staff!Room {\n ip 10.0.0.1\n}\n",
            "squidGuard.conf:1: the src name `Staff!Room` cannot be a group id",
        ),
        (
            "twice",
            "src a {\n ip 10.0.0.1\n}\nsrc a {\n ip 10.0.0.2\n}\n",
            "squidGuard.conf:4: src `a` is defined twice",
        ),
    ];
    for (name, conf, want) in cases {
        let err = import_squidguard("squidGuard.conf", conf, "s", none).unwrap_err();
        assert!(err.to_string().starts_with(want), "{name}: {err}");
        if *name == "time-bound" {
            assert!(matches!(err, ImportError::Unsupported { .. }));
        }
    }
}
