// Phrase scanning in the Node build: `new Scanner(files, options)`,
// `scan`, `scanSearchTerms`, `stream()`, the same scores the CLI gives, and
// the errors.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodePackage, REPO } from './helpers.mjs';

const { Scanner } = loadNodePackage();

const files = {
  'lists/weightedphraselist': '#listcategory: "Gambling"\n< poker ><30>\n< casino ><30>\n<education><-25>\n.Include<porn>\n',
  'lists/porn': '#listcategory: "Pornography"\n< porn><40>\n<xxx>,< girls ><30>\n',
  'lists/bannedphraselist': '<buy a gun>\n',
  'lists/exceptionphraselist': '< medical school >\n',
};
const lists = ['lists/weightedphraselist', 'lists/bannedphraselist', 'lists/exceptionphraselist'];

function throwsEsafety(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `not an Error: ${err}`);
    assert.equal(err.code, code, `code of: ${err.message}`);
    assert.ok(typeof err.help === 'string' && err.help.length > 0);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('Scanner', () => {
  const scanner = new Scanner(files, { lists });

  const cases = [
    { name: 'nothing', text: 'a page about gardening\n', limit: 50, score: 0, verdict: 'allow', reason: 'within-limit' },
    { name: 'over the default limit', text: '<p>poker and casino nights</p>\n', limit: undefined, score: 60, verdict: 'block', reason: 'over-limit' },
    { name: 'an audience name', text: '<p>poker and casino nights</p>\n', limit: 'older-children', score: 60, verdict: 'allow', reason: 'within-limit' },
    { name: 'a negative phrase', text: 'poker and casino education\n', limit: 50, score: 35, verdict: 'allow', reason: 'within-limit' },
    { name: 'an included list and a combination', text: 'free PORNO with XXX <b>girls</b>\n', limit: 'young-adults', score: 70, verdict: 'allow', reason: 'within-limit' },
    { name: 'banned', text: 'where to buy a gun\n', limit: 1000, score: 0, verdict: 'block', reason: 'banned' },
    { name: 'an exception', text: 'poker casino porn at medical school\n', limit: 50, score: 0, verdict: 'allow', reason: 'exception' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = scanner.scan(c.text, c.limit);
      assert.equal(got.score, c.score, JSON.stringify(got));
      assert.equal(got.verdict, c.verdict);
      assert.equal(got.reason, c.reason);
      // Bytes score as the string's UTF-8.
      assert.deepEqual(scanner.scan(new TextEncoder().encode(c.text), c.limit), got);
    });
  }

  test('hits name phrase, weight, count, category and place', () => {
    const got = scanner.scan('<p>poker and casino nights</p>\n');
    assert.deepEqual(got.categories, { gambling: 60 });
    const poker = got.hits.find((h) => h.phrase === '< poker >');
    assert.equal(poker.weight, 30);
    assert.equal(poker.count, 1);
    assert.equal(poker.category, 'gambling');
    assert.equal(poker.source, 'lists/weightedphraselist');
    assert.equal(poker.line, 2);
    assert.equal(scanner.phraseCount, 8);
  });

  test('a stream cut anywhere scores as the whole text', () => {
    const text = '<p>free porn with xxx <b>girls</b>, poker</p>\n';
    const whole = scanner.scan(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const stream = scanner.stream();
      stream.feed(text.slice(0, cut));
      stream.feed(new TextEncoder().encode(text.slice(cut)));
      assert.deepEqual(stream.finish(), whole, `cut at ${cut}`);
    }
    const stream = scanner.stream();
    stream.finish();
    throwsEsafety(() => stream.feed('x'), 'invalid-argument', /already finished/);
  });

  test('search terms', () => {
    const got = scanner.scanSearchTerms(['free+porn', 'xxx girls'], 50);
    assert.equal(got.pass.text, 'search-terms');
    assert.equal(got.verdict, 'block');
  });

  test('options', () => {
    const text = '<img alt="poker casino"> poker poker\n';
    assert.equal(new Scanner(files, { lists }).scan(text).score, 60);
    assert.equal(new Scanner(files, { lists, passes: 'smart' }).scan(text).score, 30);
    assert.equal(new Scanner(files, { lists, passes: 'smart', countOccurrences: true }).scan(text).score, 60);
    const mapped = new Scanner(files, { lists, categories: { Gambling: 'local-cards' } });
    assert.deepEqual(mapped.scan('a poker night\n').categories, { 'local-cards': 30 });
  });

  test('errors', () => {
    throwsEsafety(() => new Scanner({ w: '<poker><30>\n#time: 9 0 17 0 01234\n' }), 'invalid-phrases', /^w:2: `#time:`/);
    throwsEsafety(() => new Scanner({ w: '.Include<missing>\n' }), 'io', /^w:1: cannot read `.Include<missing>`/);
    throwsEsafety(() => new Scanner({ w: '< nakna brdar > <40>\n' }, { strict: true }), 'invalid-phrases', /^w:1:/);
    throwsEsafety(() => new Scanner(files, { lists: ['nope'] }), 'invalid-argument', /`nope` is in `lists` but not in `files`/);
    throwsEsafety(() => new Scanner(files, { passes: 'twice' }), 'invalid-argument', /`twice` is not a pass mode/);
    throwsEsafety(() => new Scanner(files, { colour: 'red' }), 'invalid-argument', /`colour` is not a scanner option/);
    throwsEsafety(() => new Scanner(files, { categories: { Gambling: 'child-abuse' } }), 'invalid-phrases', /statutory|cannot carry/);
    throwsEsafety(() => new Scanner('text'), 'invalid-argument', /`files` must be an object/);
    throwsEsafety(() => scanner.scan(42), 'invalid-argument', /`text` must be a string, a Uint8Array or an ArrayBuffer/);
    throwsEsafety(() => scanner.scan('x', 'teens'), 'invalid-argument', /`teens` is not a content limit/);
    throwsEsafety(() => scanner.scan('x', -1), 'invalid-argument', /not a content limit/);
  });

  test('the same JSON as `esafety scan --json`', (t) => {
    const bin = join(REPO, 'target', 'debug', 'esafety');
    if (!existsSync(bin)) {
      t.skip('target/debug/esafety is not built (cargo build -p esafety-cli)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'esafety-scan-'));
    try {
      const local = {};
      for (const [name, text] of Object.entries(files)) {
        const path = join(dir, name.replace('lists/', ''));
        writeFileSync(path, text);
        local[path] = text;
      }
      const top = lists.map((l) => join(dir, l.replace('lists/', '')));
      const text = '<p>free porn with xxx <b>girls</b>, poker and casino</p>\n';
      const cli = JSON.parse(execFileSync(bin, ['scan', '--json', '--phrases', ...top], { input: text }).toString());
      assert.deepEqual(new Scanner(local, { lists: top }).scan(text), cli);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Deciding with content: the policy's content limits over the page text and
// the URL's search terms, all decided by the core (`Engine::check_with_content`).
describe('Scanner.decide', () => {
  const { Engine, Policy, sampleBundle } = loadNodePackage();
  const scanner = new Scanner(files, { lists });
  const policy = Policy.fromToml('id = "p"\nage = { min = 4, max = 18 }\ndefault = "allow"\ncontent_limit = "by-age"\n', 'p.toml');
  const engine = new Engine(sampleBundle(), policy);
  const time = '2026-03-02T10:00:00Z';
  const cases = [
    { name: 'search terms over a young child\'s 50', url: 'https://www.google.com/search?q=poker+casino', age: 8, page: undefined, action: 'block', rule: 'content', content: [['search-terms', 60, 50, true]] },
    { name: 'the same page text within an older child\'s 100', url: 'https://www.bbc.co.uk/', age: 13, page: '<p>poker and casino nights</p>', action: 'allow', rule: 'default', content: [['page', 60, 100, false]] },
    { name: 'page bytes score as text', url: 'https://www.bbc.co.uk/', age: 8, page: new TextEncoder().encode('<p>poker and casino nights</p>'), action: 'block', rule: 'content', content: [['page', 60, 50, true]] },
    { name: 'nothing scanned', url: 'https://www.bbc.co.uk/', age: 8, page: undefined, action: 'allow', rule: 'default', content: undefined },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = scanner.decide(engine, { url: c.url, time, age: c.age }, c.page);
      assert.equal(got.action, c.action, JSON.stringify(got));
      assert.equal(got.rule, c.rule);
      assert.deepEqual(got.content?.map((f) => [f.source, f.score, f.limit, f.crossed]), c.content);
    });
  }
  test('errors throw (block on them)', () => {
    throwsEsafety(() => scanner.decide(engine, { url: 'javascript:1', time }), 'invalid-url');
    throwsEsafety(() => scanner.decide(engine, { url: 'https://a.example/' }), 'invalid-request');
    throwsEsafety(() => scanner.decide(engine, { url: 'https://a.example/', time }, 42), 'invalid-argument');
  });
});
