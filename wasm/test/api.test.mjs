// Every export of the Node build, with the errors for bad bundles, bad
// policies, bad requests, bad incidents and bad URLs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodePackage, REPO } from './helpers.mjs';

const esafety = loadNodePackage();
const { canonicalize, sampleBundle, sampleBundleBytes, Bundle, Policy, Engine, lintPolicy, assessIncident, escalationProfiles } = esafety;

const policyPath = join(REPO, 'policies', 'secondary-pupils.toml');
const policyText = readFileSync(policyPath, 'utf8');
const IWF_WORDING =
  'Access has been denied by your internet access provider because this page may contain indecent images of children as identified by the Internet Watch Foundation';

/** Asserts `fn` throws an esafety Error with `code` whose message matches. */
function throwsEsafety(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code of: ${err.message}`);
    assert.equal(typeof err.help, 'string');
    assert.ok(err.help.length > 0);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('canonicalize', () => {
  const cases = [
    ['uppercase host, port, dot segments, fragment', '  HTTP://user:pw@WWW.Example.COM.:8080/a/./b/../%2525c?q=1#frag ', 'http://www.example.com/a/%25c?q=1'],
    ['decimal ipv4', 'http://3279880203/', 'http://195.127.0.11/'],
    ['hex ipv4', 'http://0xC37F000B/', 'http://195.127.0.11/'],
    ['idn to punycode', 'http://Bücher.example/', 'http://xn--bcher-kva.example/'],
    ['no scheme is http', 'www.google.com', 'http://www.google.com/'],
  ];
  for (const [name, input, canonical] of cases) {
    test(name, () => {
      const r = canonicalize(input);
      assert.deepEqual(Object.keys(r), ['input', 'canonical', 'expressions']);
      assert.equal(r.input, input);
      assert.equal(r.canonical, canonical);
      assert.ok(Array.isArray(r.expressions) && r.expressions.length > 0);
    });
  }
  test('expressions in Safe Browsing order', () => {
    assert.deepEqual(canonicalize('http://a.b.c/1/2.html?param=1').expressions, [
      'a.b.c/1/2.html?param=1', 'a.b.c/1/2.html', 'a.b.c/', 'a.b.c/1/',
      'b.c/1/2.html?param=1', 'b.c/1/2.html', 'b.c/', 'b.c/1/',
    ]);
  });
  test('is idempotent', () => {
    const once = canonicalize('HTTP://WWW.Example.COM/%2561/../b').canonical;
    assert.equal(canonicalize(once).canonical, once);
  });
  const bad = [
    ['unsupported scheme', 'javascript:alert(1)', /^unsupported scheme `javascript`/],
    ['empty', '   ', /^empty url/],
    ['bad port', 'http://example.com:99999/', /invalid port `99999`/],
    ['empty host', 'http://.../x', /empty host/],
  ];
  for (const [name, input, message] of bad) {
    test(`error: ${name}`, () => throwsEsafety(() => canonicalize(input), 'invalid-url', message));
  }
});

describe('bundles', () => {
  test('sampleBundle loads and describes its lists', () => {
    const bundle = sampleBundle();
    const info = bundle.info();
    assert.equal(info.version, bundle.version);
    assert.equal(info.bytes, sampleBundleBytes().length);
    assert.match(info.created, /^2026-01-01T00:00:00/);
    const iwf = info.lists.find((l) => l.category === 'child-abuse');
    assert.equal(iwf.sensitive, true);
    assert.ok(info.lists.some((l) => l.role === 'allow'));
    assert.deepEqual(info.localCategories, []);
  });
  test('fromBytes loads the same bundle as sampleBundle', () => {
    const bytes = sampleBundleBytes();
    assert.ok(bytes instanceof Uint8Array);
    const bundle = Bundle.fromBytes(bytes);
    assert.deepEqual(bundle.classify('https://www.bet365.com/'), sampleBundle().classify('https://www.bet365.com/'));
    assert.deepEqual(bundle.toBytes(), bytes);
  });
  test('classify: the classify --json shape', () => {
    const r = sampleBundle().classify('http://www.youtube.com/watch?v=1');
    assert.deepEqual(r, {
      url: 'http://www.youtube.com/watch?v=1',
      canonical: 'http://www.youtube.com/watch?v=1',
      categories: ['streaming'],
      matches: [{ list: 'sample-streaming', category: 'streaming', expression: 'youtube.com/' }],
    });
  });
  test('classify: unlisted URL has no categories', () => {
    const r = sampleBundle().classify('https://unlisted.example/page');
    assert.deepEqual(r.categories, []);
    assert.deepEqual(r.matches, []);
  });
  test('classify: a sensitive match names a digest id, never the URL', () => {
    const url = 'http://whole-site.iwf-test2.esafety.invalid/some/page.html';
    const r = sampleBundle().classify(url);
    assert.deepEqual(r.categories, ['child-abuse']);
    for (const m of r.matches) {
      assert.match(m.expression, /^sha256:[0-9a-f]{16}$/);
    }
    assert.ok(!JSON.stringify(r.matches).includes('iwf-test2'));
  });
  test('classify: bad URL throws invalid-url', () => {
    throwsEsafety(() => sampleBundle().classify('mailto:someone@example.com'), 'invalid-url', /unsupported scheme `mailto`/);
  });

  const good = sampleBundleBytes();
  const corrupt = (mutate) => {
    const b = new Uint8Array(good);
    mutate(b);
    return b;
  };
  const badBundles = [
    ['empty', new Uint8Array(0), /^not an esafety bundle: 0 bytes is shorter/],
    ['text', new TextEncoder().encode('this is not a bundle at all, just some text that is long enough to have a header of its own'), /^not an esafety bundle/],
    ['truncated', good.slice(0, good.length - 10), /truncated or has trailing bytes/],
    ['trailing bytes', new Uint8Array([...good, 0, 0]), /truncated or has trailing bytes/],
    ['flipped byte in the body', corrupt((b) => { b[b.length - 5] ^= 0xff; }), /checksum mismatch/],
  ];
  for (const [name, bytes, message] of badBundles) {
    test(`error: ${name} bundle`, () => throwsEsafety(() => Bundle.fromBytes(bytes), 'invalid-bundle', message));
  }
  test('error: every truncation of the sample bundle is an Error, never a crash', () => {
    for (let n = 0; n < good.length; n += 97) {
      throwsEsafety(() => Bundle.fromBytes(good.slice(0, n)), 'invalid-bundle');
    }
  });
  test('error: every single-byte flip is an Error or an intact bundle, never a crash', () => {
    for (let i = 0; i < good.length; i += 13) {
      const b = corrupt((x) => { x[i] ^= 0x5a; });
      try {
        Bundle.fromBytes(b).free();
      } catch (err) {
        assert.equal(err.code, 'invalid-bundle', err.message);
      }
    }
  });
});

describe('policies', () => {
  test('fromToml loads a shipped policy', () => {
    const p = Policy.fromToml(policyText, 'secondary-pupils.toml');
    assert.equal(p.id, 'secondary-pupils');
    assert.ok(p.ruleIds().includes('block-uksic'));
  });
  test('fromJson and load (detected) give the same policy', () => {
    const json = JSON.stringify({
      id: 'json-policy',
      default: 'allow',
      rules: [{ id: 'no-gambling', action: 'block', categories: ['gambling'] }],
    });
    assert.equal(Policy.fromJson(json).id, 'json-policy');
    assert.equal(Policy.load(json).id, 'json-policy');
    assert.equal(Policy.load(policyText, 'x.toml').id, 'secondary-pupils');
  });
  const badPolicies = [
    ['not TOML', 'id = ', 'bad.toml', /^bad\.toml:1:\d+: not valid TOML: .*; fix the syntax$/, 1],
    ['unknown field', 'id = "x"\ndefault = "allow"\ncolour = "red"\n', 'bad.toml', /^bad\.toml:3:\d+: .*colour/, 3],
    [
      'allowing child-abuse lowers the statutory baseline',
      'id = "bad"\ndefault = "allow"\n[[rules]]\nid = "open"\naction = "allow"\ncategories = ["child-abuse"]\n',
      'bad.toml',
      /statutory baseline/,
      null,
    ],
    ['unknown category', 'id = "x"\ndefault = "allow"\n[[rules]]\nid = "r"\naction = "block"\ncategories = ["nonsense"]\n', 'bad.toml', /nonsense/, null],
  ];
  for (const [name, text, source, message, line] of badPolicies) {
    test(`error: ${name}`, () => {
      throwsEsafety(() => Policy.fromToml(text, source), 'invalid-policy', message);
      try {
        Policy.fromToml(text, source);
      } catch (err) {
        assert.equal(typeof err.line, 'number');
        assert.equal(typeof err.column, 'number');
        if (line !== null) assert.equal(err.line, line);
      }
    });
  }
  test('error: bad JSON policy names policy.json', () => {
    throwsEsafety(() => Policy.fromJson('{"id": '), 'invalid-policy', /^policy\.json:1:\d+: not valid JSON: /);
  });
});

describe('engine.decide', () => {
  const engine = new Engine(sampleBundle(), Policy.fromToml(policyText, 'secondary-pupils.toml'));
  const pupil = { group: 'pupils', age: 14, device: 'managed' };

  test('the check --json shape', () => {
    const d = engine.decide({ ...pupil, url: 'https://www.bet365.com/', time: '2026-03-02T10:00:00Z' });
    assert.deepEqual(Object.keys(d), ['url', 'canonical', 'action', 'rule', 'categories', 'reasons', 'log', 'review', 'message', 'safe_search']);
    assert.equal(d.action, 'block');
    assert.equal(d.rule, 'block-uksic');
    assert.deepEqual(d.categories, ['gambling']);
    assert.equal(d.log, true);
    assert.ok(d.reasons.length > 0);
    assert.equal(typeof d.message, 'string');
  });
  test('child-abuse blocks by the baseline with the IWF wording and no URL in the reasons', () => {
    const d = engine.decide({ ...pupil, url: 'http://iwf-test.esafety.invalid/abuse/page-1.html', time: Date.UTC(2026, 2, 2, 10) });
    assert.equal(d.action, 'block');
    assert.equal(d.rule, 'baseline');
    assert.deepEqual(d.categories, ['child-abuse']);
    assert.ok(d.message.includes(IWF_WORDING), d.message);
    assert.ok(!d.reasons.join(' ').includes('abuse/page-1'), d.reasons.join(' '));
  });
  test('an unlisted page is allowed by the default', () => {
    const d = engine.decide({ ...pupil, url: 'https://unlisted.example/', time: new Date('2026-03-02T10:00:00Z') });
    assert.equal(d.action, 'allow');
    assert.equal(d.rule, 'default');
    assert.equal(d.message, null);
  });
  test('the three spellings of a time give the same decision', () => {
    const iso = '2026-06-01T07:50:00Z';
    const a = engine.decide({ ...pupil, url: 'https://www.facebook.com/', time: iso });
    const b = engine.decide({ ...pupil, url: 'https://www.facebook.com/', time: Date.parse(iso) });
    const c = engine.decide({ ...pupil, url: 'https://www.facebook.com/', time: new Date(iso) });
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.equal(engine.decide({ ...pupil, url: 'https://www.facebook.com/', time: '2026-06-01T08:50:00+01:00' }).rule, a.rule);
  });
  // The policy's lesson times are Europe/London; in June London is UTC+1.
  // These only come out right with the time-zone database inside the .wasm.
  const london = [
    ['07:50Z is 08:50 BST, in a lesson', '2026-06-01T07:50:00Z', 'block', 'block-distractions-in-lessons'],
    ['07:30Z is 08:30 BST, before lessons', '2026-06-01T07:30:00Z', 'monitor', 'monitor-social-13-plus'],
    ['12:00Z is 13:00 BST, lunch', '2026-06-01T12:00:00Z', 'monitor', 'monitor-social-13-plus'],
    ['12:00Z in January is 12:00 GMT, a lesson', '2026-01-05T12:00:00Z', 'block', 'block-distractions-in-lessons'],
    ['Saturday', '2026-06-06T10:00:00Z', 'monitor', 'monitor-social-13-plus'],
  ];
  for (const [name, time, action, rule] of london) {
    test(`Europe/London: ${name}`, () => {
      const d = engine.decide({ ...pupil, url: 'https://www.instagram.com/', time });
      assert.equal(d.action, action, JSON.stringify(d));
      assert.equal(d.rule, rule);
    });
  }
  test('age decides: under 13 social networking is blocked', () => {
    const d = engine.decide({ group: 'pupils', age: 12, url: 'https://www.tiktok.com/', time: '2026-06-06T10:00:00Z' });
    assert.equal(d.rule, 'block-social-under-13');
  });
  // decide builds its object field by field, reusing strings across calls:
  // it must equal the generic report shape every time.
  const decideCases = [
    ['blocked', 'https://www.bet365.com/'],
    ['allowed, canonical differs from the URL', 'HTTP://Unlisted.Example'],
    ['safe search', 'https://www.google.com/search?q=x'],
    ['child-abuse', 'http://iwf-test.esafety.invalid/abuse/page-1.html'],
    ['lone surrogate in the URL', 'https://a.example/\ud800'],
  ];
  for (const [name, url] of decideCases) {
    test(`decide result, twice: ${name}`, () => {
      const request = { ...pupil, url, time: '2026-06-01T07:50:00Z' };
      const first = engine.decide(request);
      const again = engine.decide(request);
      assert.deepEqual(again, first);
      assert.deepEqual(JSON.parse(JSON.stringify(first)), first);
      // A statutory block carries its alert (the lead is told).
      const alert = name === 'child-abuse' ? ['alert'] : [];
      assert.deepEqual(Object.keys(first), ['url', 'canonical', 'action', 'rule', 'categories', 'reasons', 'log', 'review', 'message', 'safe_search', ...alert]);
      assert.equal(first.canonical, canonicalize(url).canonical);
      // The URL comes back as given; a lone surrogate cannot cross into
      // Rust and comes back as U+FFFD, as it always has.
      assert.equal(first.url, url.replace(/\ud800/, '\ufffd'));
    });
  }
  test('engine.classify and policyId', () => {
    assert.equal(engine.policyId, 'secondary-pupils');
    assert.deepEqual(engine.classify('https://www.bet365.com/').categories, ['gambling']);
  });
  test('the bundle and policy stay usable after making an engine', () => {
    const bundle = sampleBundle();
    const policy = Policy.fromToml(policyText);
    const e = new Engine(bundle, policy);
    e.free();
    assert.equal(bundle.classify('https://www.bet365.com/').categories[0], 'gambling');
    assert.equal(policy.id, 'secondary-pupils');
  });

  const badRequests = [
    ['not an object', 'https://www.bet365.com/', /must be an object/],
    ['no time', { url: 'https://www.bet365.com/' }, /`time` is missing/],
    ['no url', { time: 0 }, /`url` is missing/],
    ['time without offset', { url: 'a.com', time: '2026-03-02T10:00:00' }, /not an RFC 3339 time \(it has no UTC offset/],
    ['time not a date', { url: 'a.com', time: 'yesterday' }, /not an RFC 3339 time \(expected a four-digit year/],
    ['fractional epoch ms', { url: 'a.com', time: 1.5 }, /`time` 1.5 is not a whole number of milliseconds since 1970/],
    ['NaN time', { url: 'a.com', time: NaN }, /whole number/],
    ['Invalid Date', { url: 'a.com', time: new Date('nope') }, /whole number/],
    ['time out of range', { url: 'a.com', time: 8.64e15 * 10 }, /out of range/],
    ['negative age', { url: 'a.com', time: 0, age: -1 }, /`age` is -1/],
    ['fractional age', { url: 'a.com', time: 0, age: 12.5 }, /whole number of years/],
    ['age as text', { url: 'a.com', time: 0, age: '12' }, /must be a number/],
    ['unknown device', { url: 'a.com', time: 0, device: 'phone' }, /`device` is `phone`; use `managed` or `byod`/],
    ['misspelt field', { url: 'a.com', time: 0, grop: 'pupils' }, /unknown request field `grop`/],
    ['group not a string', { url: 'a.com', time: 0, group: 7 }, /`group` must be a string/],
    ['url not a string', { url: 7, time: 0 }, /`url` must be a string/],
    // The fields are checked with one `join` of the keys on "\u001f".
    ['unknown field hiding known names', { url: 'a.com', time: 0, ['group\u001fage']: 1 }, /unknown request field `group\u001fage`/],
    ['unknown field that is undefined', { url: 'a.com', time: 0, grop: undefined }, /unknown request field `grop`/],
    ['unknown field after known ones', { time: 0, url: 'a.com', group: 'pupils', age: 14, device: 'managed', extra: 1 }, /unknown request field `extra`/],
    ['getter that throws', { url: 'a.com', get time() { throw new Error('boom'); } }, /cannot read request field `time`/],
  ];
  for (const [name, request, message] of badRequests) {
    test(`error: request ${name}`, () => throwsEsafety(() => engine.decide(request), 'invalid-request', message));
  }
  test('error: bad URL in a request', () => {
    throwsEsafety(() => engine.decide({ url: 'javascript:void(0)', time: 0 }), 'invalid-url', /unsupported scheme/);
  });
});

describe('lintPolicy', () => {
  test('a shipped policy has no errors on its review date', () => {
    const r = lintPolicy(policyText, '2026-10-01', 'secondary-pupils.toml');
    assert.deepEqual(Object.keys(r), ['file', 'findings']);
    assert.equal(r.file, 'secondary-pupils.toml');
    assert.deepEqual(r.findings.filter((f) => f.severity === 'error'), []);
  });
  test('review deadlines depend on today', () => {
    const late = lintPolicy(policyText, '2030-01-01', 'secondary-pupils.toml');
    assert.ok(late.findings.length > 0, 'a policy four years past review has a finding');
    for (const f of late.findings) {
      assert.deepEqual(Object.keys(f), ['code', 'severity', 'line', 'message']);
    }
    assert.deepEqual(lintPolicy(policyText, new Date('2030-01-01T12:00:00Z'), 'secondary-pupils.toml'), late);
  });
  test('a policy that does not load is one P000 finding', () => {
    const r = lintPolicy('id = ', '2026-10-01');
    assert.equal(r.file, 'policy.toml');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].code, 'P000');
    assert.equal(r.findings[0].severity, 'error');
    assert.match(r.findings[0].message, /^the policy does not load, so nothing else was checked: not valid TOML: .*; fix the syntax$/);
  });
  test('a thin policy falls short of the standards', () => {
    const r = lintPolicy('{"id": "thin", "default": "allow"}', '2026-10-01');
    assert.equal(r.file, 'policy.json');
    assert.ok(r.findings.some((f) => f.severity === 'error'));
  });
  test('error: today that is not a date', () => {
    throwsEsafety(() => lintPolicy(policyText, 'soon'), 'invalid-argument', /today `soon` is not a date/);
  });
});

describe('assessIncident', () => {
  const incident = {
    kind: 'nude-image-sharing',
    setting: 'school',
    people: [{ role: 'child', involvement: 'victim', age: 15 }],
    risk_factors: ['adult-involved'],
  };
  test('object, JSON and TOML give the same assessment', () => {
    const a = assessIncident(incident, 'manchester');
    assert.equal(a.severity, 'critical');
    assert.equal(a.routes[0], 'police');
    assert.equal(a.profile, 'manchester');
    assert.deepEqual(assessIncident(JSON.stringify(incident), 'manchester'), a);
    const toml = 'kind = "nude-image-sharing"\nsetting = "school"\nrisk_factors = ["adult-involved"]\n[[people]]\nrole = "child"\ninvolvement = "victim"\nage = 15\n';
    assert.deepEqual(assessIncident(toml, 'manchester'), a);
  });
  test('the incident --json shape, national by default', () => {
    const a = assessIncident({ kind: 'aup-breach', deliberate: true });
    assert.deepEqual(Object.keys(a).slice(0, 4), ['severity', 'routes', 'actions', 'explanation']);
    assert.equal(a.severity, 'low');
    assert.equal(a.routes[0], 'internal');
    assert.equal(a.profile, 'national');
    assert.ok(a.explanation.every((e) => e.includes('STANDARD.md')));
    assert.ok(Array.isArray(a.route_details) && a.route_details[0].route === 'internal');
  });
  test('a local profile from TOML text', () => {
    const toml = '[profile]\nid = "local"\nname = "Local"\n[routes.dsl]\nname = "Ms Example, DSL"\nphone = "01234 567890"\n';
    const a = assessIncident({ kind: 'cyberbullying', people: [{ role: 'child', involvement: 'victim', age: 12 }] }, { toml });
    assert.equal(a.profile, 'local');
  });
  test('escalationProfiles lists the shipped profiles', () => {
    assert.deepEqual(escalationProfiles(), ['national', 'manchester']);
  });
  const badIncidents = [
    ['unknown kind', { kind: 'x' }, /unknown kind `x`/],
    ['missing kind', { setting: 'school' }, /kind/],
    ['not JSON or TOML', '{"kind": ', /not valid JSON/],
    ['a number', 42, /must be an object or JSON or TOML text/],
  ];
  for (const [name, value, message] of badIncidents) {
    test(`error: incident ${name}`, () => throwsEsafety(() => assessIncident(value), 'invalid-incident', message));
  }
  test('error: unknown profile', () => {
    throwsEsafety(() => assessIncident(incident, 'atlantis'), 'unknown-profile', /no shipped escalation profile `atlantis`/);
  });
  test('error: bad profile TOML', () => {
    throwsEsafety(() => assessIncident(incident, { toml: '[profile]\nid = 3\n', file: 'p.toml' }), 'invalid-profile', /^p\.toml:/);
  });
});

test('version is the crate version', () => {
  const cargo = readFileSync(join(REPO, 'Cargo.toml'), 'utf8');
  const version = /^version = "([^"]+)"/m.exec(cargo)[1];
  assert.equal(esafety.version(), version);
});
