//! The TypeScript types of the package (`esafety.d.ts`), written by hand so
//! they read well: one named interface per report shape, mirroring the core's
//! serde types (the CLI's `--json` lines). `test/types.test.mjs` checks every
//! result the tests see against these declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A category id: a built-in one (DESIGN.md, "Category ids") or `local-...`. */
export type CategoryId =
  | "child-abuse" | "terrorism"
  | "discrimination" | "drugs" | "extremism" | "gambling" | "malware-hacking"
  | "pornography" | "piracy" | "self-harm" | "violence"
  | "circumvention" | "weapons" | "adult"
  | "social-networking" | "chat" | "webmail" | "gaming" | "streaming"
  | "dating" | "file-sharing" | "search"
  | `local-${string}`;

/**
 * Overrides of the core's bounds on what is read (`esafety::Limits`; every
 * field optional, a whole number of at least 1, the default when left out).
 * `maxIncludeDepth` is at most 64; anything else is an `EsafetyError` with code
 * `invalid-argument`.
 */
export interface Limits {
  maxListFileLen?: number;
  maxListLineLen?: number;
  maxEntries?: number;
  maxIncludeDepth?: number;
  maxIncludeFiles?: number;
  /** The largest policy document, in bytes (default 4 MiB). */
  maxDocumentLen?: number;
  /** The most rules a policy may have (default 100,000). */
  maxPolicyRules?: number;
  /** The largest bundle, in bytes (default 1 GiB). */
  maxBundleLen?: number;
  /** The largest metadata section of a bundle, in bytes (default 16 MiB). */
  maxBundleMetaLen?: number;
}

/**
 * The options of `Bundle.fromBytes` and the `Policy` loaders. `limits` is
 * read by the full build (`esafety`) only: the extension build
 * (`esafety/extension`) reads with the defaults and refuses a `limits`
 * object with `invalid-argument`.
 */
export interface LoadOptions {
  limits?: Limits;
}

/** `canonicalize(url)`: the `esafety canonicalize --json` line. */
export interface CanonicalizeReport {
  /** The input as given. */
  input: string;
  /** The Safe Browsing (v4) canonical URL. */
  canonical: string;
  /** The host-suffix x path-prefix lookup expressions, in order. */
  expressions: string[];
}

/** One list entry that matched, in a `ClassificationReport`. */
export interface MatchReport {
  /** The source list's name. */
  list: string;
  /** The list's category id. */
  category: CategoryId;
  /**
   * The lookup expression that hit (`host/path`), or for a sensitive list
   * (`child-abuse`, `terrorism`) a digest id (`sha256:...`), never the URL.
   */
  expression: string;
}

/** `bundle.classify(url)`: the `esafety classify --json` line. */
export interface ClassificationReport {
  /** The URL as given. */
  url: string;
  /** Its canonical form. */
  canonical: string;
  /** The category ids, built-in ones first. */
  categories: CategoryId[];
  /** Every match behind them. */
  matches: MatchReport[];
}

/** What a policy does with a request. */
export type Action = "block" | "warn" | "allow" | "monitor";

/** The kind of device a request comes from. */
export type Device = "managed" | "byod";

/** A request for `engine.decide`. */
export interface DecideRequest {
  /** The URL requested. */
  url: string;
  /**
   * When: an RFC 3339 string with an offset
   * (`"2026-03-02T10:00:00Z"`), epoch milliseconds (`Date.now()`), or a
   * `Date`. Required: the engine never reads the clock.
   */
  time: string | number | Date;
  /** The user's group (`pupils`, `staff`, `year-7`, ...). */
  group?: string;
  /** The user's age in whole years (0-255). */
  age?: number;
  /** The kind of device. */
  device?: Device;
}

/** `engine.decide(request)`: the `esafety check --json` line. */
export interface DecisionReport {
  /** The URL as given. */
  url: string;
  /** Its canonical form. */
  canonical: string;
  /** What to do. */
  action: Action;
  /** The id of the rule that decided, or `baseline` or `default`. */
  rule: string;
  /**
   * The URL's category ids. Frozen: decisions with the same list share
   * one array (copy it to change it).
   */
  categories: readonly CategoryId[];
  /** Why: the rule, and each list, category and expression behind it. Frozen, like `categories`. */
  reasons: readonly string[];
  /** Whether the decision must be logged. */
  log: boolean;
  /** Whether the visit is flagged for review (`monitor`). */
  review: boolean;
  /**
   * The block or warning page text, if any. For `child-abuse` it is the
   * IWF's recommended wording.
   */
  message: string | null;
  /** The safe-search form of the URL to use instead, when enforced. */
  safe_search: string | null;
  /** The alert the decision raises (every statutory block; rules with `alert`); absent when none. */
  alert?: Alert;
  /** The content scores (page text, search terms), from `scanner.decide`; absent when nothing was scanned. */
  content?: ContentFinding[];
}

/** A content score in a decision, judged at the limit that decided. */
export interface ContentFinding {
  source: "page" | "search-terms";
  score: number;
  limit: number;
  /** Over the limit, or a banned phrase. */
  crossed: boolean;
  explanation: string;
  categories: Record<string, number>;
  phrases: { phrase: string; kind: "weighted" | "banned" | "exception"; weight: number; count: number; score: number; category?: string }[];
}

/** How soon an alert must be acted on. */
export type AlertUrgency = "immediately" | "same-day" | "within-one-working-day" | "at-review";

/** An alert for the designated safeguarding lead. */
export interface Alert {
  urgency: AlertUrgency;
  /** Why the decision alerts. */
  reason: string;
}

/** `searchTerms(url)`: what a user searched for, and where. */
export interface SearchTerms {
  site: "google" | "bing" | "duckduckgo" | "yahoo" | "youtube" | "ecosia" | "brave"
    | "startpage" | "yandex" | "baidu" | "qwant" | "tiktok" | "vimeo";
  /** The terms as typed, white space collapsed. */
  terms: string;
}

/** `engine.record(request)`: the request and who made it. */
export interface RecordRequest {
  url: string;
  /** RFC 3339 with an offset, or epoch milliseconds. */
  time: string | number;
  site?: string;
  clientIp?: string;
  user?: string;
  group?: string;
  age?: number;
  device?: "managed" | "byod";
}

/** `engine.record(request, options)`: what the record keeps. */
export interface RecordOptions {
  /** Write the user as `pseudonym:` + HMAC-SHA-256 under this key (16+ bytes). */
  pseudonymKey?: Uint8Array;
  /** `false` leaves the client address out. */
  clientIp?: boolean;
  /** `true`: the user continued past the warning (marks a `warn` record `proceeded`; a block stays unmarked). */
  proceeded?: boolean;
}

/** `engine.record(request)`: one decision record, as `squid-helper --log` writes it. */
export interface DecisionRecord {
  /** RFC 3339 with the policy zone's offset. */
  time: string;
  site: string | null;
  client_ip: string | null;
  user: string | null;
  device: "managed" | "byod" | null;
  group: string | null;
  age: number | null;
  policy: string | null;
  /** The canonical URL; the digest id for `child-abuse` / `terrorism`; null for rule `error`. */
  url: string | null;
  categories: CategoryId[];
  action: Action;
  rule: string;
  lists: string[];
  search_terms: SearchTerms | null;
  alert: Alert | null;
  reasons: string[];
  /** For a statutory block: the incident draft. */
  incident?: Incident;
  /** For rule `error`: why the request could not be read. */
  error?: string;
  /** Present (true) when the user continued past the warning of a `warn` decision. */
  proceeded?: boolean;
}

/** One finding of `lintPolicy`. */
export interface LintFinding {
  /** The stable finding code (`P000` when the policy does not load). */
  code: string;
  severity: "error" | "warning";
  /** The 1-based line (1 when something is missing from the document). */
  line: number;
  /** What is wrong and what to do. */
  message: string;
}

/** `lintPolicy(text, today, file?)`: the `esafety lint --json` line. */
export interface LintReport {
  /** The file name given (or `policy.toml` / `policy.json`). */
  file: string;
  findings: LintFinding[];
}

/** One source list of a bundle. */
export interface BundleList {
  name: string;
  category: CategoryId;
  /** `allow` for a local allow amendment. */
  role: "block" | "allow";
  /** Whether entries are stored only as digests (`child-abuse`, `terrorism`). */
  sensitive: boolean;
  entries: number;
  /** The list's date, `YYYY-MM-DD`, if recorded. */
  date: string | null;
}

/** `bundle.info()`. */
export interface BundleInfo {
  /** The bundle format version. */
  version: number;
  /** When the bundle was compiled (RFC 3339). */
  created: string;
  /** The size of the bundle in bytes. */
  bytes: number;
  lists: BundleList[];
  /** The bundle's `local-` category ids, in order (as many as its lists name). */
  localCategories: string[];
}

/** What happened, in an `Incident`. */
export type IncidentKind =
  | "child-sexual-abuse-material" | "terrorist-material"
  | "criminally-racist-material" | "obscene-material" | "grooming"
  | "nude-image-sharing" | "cyberbullying" | "self-harm" | "hacking"
  | "inappropriate-content" | "aup-breach" | "other";

/** Someone involved in an `Incident`. */
export interface IncidentPerson {
  role: "child" | "staff" | "volunteer" | "external-adult" | "parent";
  involvement: "victim" | "instigator" | "witness";
  age?: number;
}

/** An incident record (DESIGN.md, "Incident file"), for `assessIncident`. */
export interface Incident {
  kind: IncidentKind;
  deliberate?: boolean;
  setting?: "school" | "library" | "childrens-home" | "youth-club" | "childrens-centre" | "other";
  identified_by?: "filter-alert" | "monitoring-alert" | "staff-observation" | "disclosure" | "parent-report" | "other";
  people?: IncidentPerson[];
  /** UKCIS risk factors that hold. */
  risk_factors?: ("adult-involved" | "coercion" | "developmentally-unusual" | "under-13" | "immediate-risk")[];
  /** LADO tests that hold for a member of staff or volunteer involved. */
  staff_concerns?: ("harmed-child" | "offence-against-child" | "risk-of-harm" | "unsuitable-to-work-with-children")[];
  wider_harm?: boolean;
  criminal_conduct?: boolean;
  persistent?: boolean;
  police_outcome?: "pending" | "illegal" | "not-illegal";
  /** When it happened (RFC 3339). */
  occurred_at?: string;
  /** The filter decision that raised the incident (never the URL). */
  filter_block?: {
    category: string;
    list: string;
    digest_id?: string;
    group?: string;
    device?: string;
  };
  log?: { description?: string; actions_taken?: string; conclusion?: string };
}

/** How serious an incident is. */
export type Severity = "critical" | "high" | "medium" | "low";

/** An escalation route id. */
export type RouteId =
  | "police-emergency" | "police" | "ceop" | "iwf" | "counter-terrorism"
  | "lado" | "childrens-social-care" | "dsl" | "senior-leadership"
  | "parents" | "hr" | "internal";

/** A rule of the standard an assessment cites. */
export interface StandardRule {
  id: string;
  /** The section of STANDARD.md. */
  section: string;
  /** The words of the standard. */
  quote: string;
}

/** How to reach a route, from the escalation profile. */
export interface Contact {
  name: string;
  phone?: string;
  web?: string;
  email?: string;
  hours?: string;
  out_of_hours?: string;
  notes?: string;
  /** True when the setting must fill in a local contact. */
  local?: boolean;
}

/** One route to take, in `AssessmentReport.route_details`. */
export interface RouteStep {
  route: RouteId;
  urgency: "immediately" | "same-day" | "within-one-working-day" | "at-review";
  /** Whether the standard requires it or a person decides. */
  obligation: "required" | "consider";
  contact: Contact;
  contact_source: "profile" | "national-default";
  because: string[];
  rules: StandardRule[];
}

/** A decision the standard leaves to a person. */
export interface Judgement {
  who: RouteId;
  question: string;
  rule: StandardRule;
}

/** `assessIncident(incident, profile?)`: the `esafety incident --json` line. */
export interface AssessmentReport {
  severity: Severity;
  /** Route ids in the order to act. */
  routes: RouteId[];
  /** What must be done, in words. */
  actions: string[];
  /** Why, one line per reason, each citing the standard. */
  explanation: string[];
  route_details: RouteStep[];
  /** What must not be done. */
  prohibited: string[];
  judgements: Judgement[];
  review: {
    scope: "all-esafety-and-acceptable-use-policies" | "acceptable-use-policy";
    text: string;
    rule: StandardRule;
  };
  /** Incident-log fields still to complete. */
  log_missing: string[];
  /** The escalation profile the contacts come from. */
  profile: string;
}

/** The `code` of every `EsafetyError` this package throws (the core's `ErrorCode` ids). */
export type ErrorCode =
  | "invalid-url"
  | "invalid-bundle"
  | "invalid-policy"
  | "invalid-request"
  | "invalid-incident"
  | "unknown-profile"
  | "invalid-profile"
  | "invalid-phrases"
  | "invalid-signature"
  | "too-large"
  | "io"
  | "invalid-argument"
  | "internal";

/** A content limit: points, or an audience e2guardian suggests a limit for. */
export type ContentLimit = number | "young-children" | "older-children" | "young-adults";

/** The options of `new Scanner(files, options)`. */
export interface ScannerOptions {
  /** The top-level lists, by their names in `files` (default: every file). */
  lists?: string[];
  /** e2guardian's `phrasefiltermode`: smart then raw (default), or one. */
  passes?: "both" | "smart" | "raw";
  /** e2guardian's `preservecase`. */
  case?: "fold" | "preserve" | "both";
  /** Weight x occurrences (`weightedphrasemode = 1`) instead of once per pass. */
  countOccurrences?: boolean;
  /** e2guardian list category (`#listcategory:`) to esafety category id. */
  categories?: Record<string, CategoryId>;
  /** Refuse lines e2guardian reads as other than they look. */
  strict?: boolean;
}

/** One phrase line that hit, in a `ContentScore`. */
export interface ContentHit {
  /** The line's phrase as the list writes it: `< porn >`, `<xxx>,<girls>`. */
  phrase: string;
  /** What it did. */
  kind: "weighted" | "banned" | "exception";
  /** Whether it is a combination of phrases. */
  combination: boolean;
  /** Its weight (0 for banned and exception phrases). */
  weight: number;
  /** How often it occurred in the pass. */
  count: number;
  /** What it added to the score. */
  score: number;
  /** Its esafety category, if its list has one. */
  category: CategoryId | null;
  /** Its e2guardian list category. */
  list_category: string | null;
  /** The list file it is in. */
  source: string;
  /** Its line there. */
  line: number;
  /** Where each of its phrases first occurred: [start, end) byte offsets. */
  offsets: [number, number][];
}

/** `scanner.scan(text, limit)`: the `esafety scan --json` object. */
export interface ContentScore {
  /** e2guardian's score: the best pass's total. */
  score: number;
  /** Block or allow. */
  verdict: "block" | "allow";
  /** Why. */
  reason: "exception" | "banned" | "banned-combination" | "over-limit" | "within-limit";
  /** The limit judged against. */
  limit: number;
  /** The pass the hits are from. */
  pass: { case: "folded" | "preserved"; text: "smart" | "raw" | "search-terms" } | null;
  /** The positive weight per esafety category in that pass. */
  categories: Record<string, number>;
  /** The phrases that hit in that pass. */
  hits: ContentHit[];
}

// `EsafetyError`, the class of every thrown error, is declared in the
// package's entry modules beside the class itself (scripts/build-wasm.sh).
"#;
