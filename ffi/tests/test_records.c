/* The decision record as a C struct (esafety_record_new / _free): every
 * field of the JSON Lines record, equal to the JSON the same call gives
 * (esafety_record_json, and the record's own `json`), owned by the record;
 * a statutory match holds the digest id and nothing of the URL or its host
 * in any field. Run from the repository root or with ESAFETY_ROOT set. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* 2026-03-02 (a Monday) 10:00 UTC (= Europe/London, GMT). */
#define MONDAY_10AM INT64_C(1772445600)

static esafety_engine *make_engine(void) {
  const char *root = getenv("ESAFETY_ROOT");
  char path[4096];
  snprintf(path, sizeof path, "%s/policies/secondary-pupils.toml", root ? root : ".");
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = NULL;
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_policy_from_file(path, &policy), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_engine_new(bundle, policy, &engine), ESAFETY_STATUS_OK);
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);
  if (engine == NULL) exit(2);
  return engine;
}

static esafety_request request_for(const char *url) {
  esafety_request r = ESAFETY_REQUEST_INIT;
  r.url = url;
  r.url_len = strlen(url);
  r.time = MONDAY_10AM;
  return r;
}

/* A text is `want` (NULL: the field is null). */
static int text_is(esafety_text t, const char *want) {
  if (want == NULL) return t.ptr == NULL && t.len == 0;
  return t.ptr != NULL && t.len == strlen(want) && memcmp(t.ptr, want, t.len) == 0 &&
         t.ptr[t.len] == '\0';
}
#define CHECK_TEXT(t, want) CHECK(text_is((t), (want)))

/* A text array holds exactly these (NULL-terminated list of wants). */
static int array_is(const esafety_text *items, size_t len, const char *const *want) {
  size_t n = 0;
  while (want[n] != NULL) n++;
  if (n != len) return 0;
  if (len == 0) return items == NULL;
  for (size_t i = 0; i < len; i++)
    if (!text_is(items[i], want[i])) return 0;
  return 1;
}

/* No text of the record, in any field or array, contains `needle`. */
static int text_has(esafety_text t, const char *needle) {
  if (t.ptr == NULL) return 0;
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= t.len; i++)
    if (memcmp(t.ptr + i, needle, n) == 0) return 1;
  return 0;
}
static int record_mentions(const esafety_record *rec, const char *needle) {
  const esafety_text texts[] = {rec->time,         rec->site,       rec->client_ip, rec->user,
                                rec->group,        rec->policy,     rec->url,       rec->rule,
                                rec->search_site,  rec->search_terms, rec->alert_reason,
                                rec->incident_json, rec->error,      rec->json};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (text_has(texts[i], needle)) return 1;
  const esafety_text *arrays[] = {rec->categories, rec->lists, rec->reasons};
  const size_t lens[] = {rec->categories_len, rec->lists_len, rec->reasons_len};
  for (size_t a = 0; a < 3; a++)
    for (size_t i = 0; i < lens[a]; i++)
      if (text_has(arrays[a][i], needle)) return 1;
  for (size_t c = 0; c < rec->content_len; c++) {
    const esafety_content_finding *f = &rec->content[c];
    if (text_has(f->explanation, needle)) return 1;
    for (size_t i = 0; i < f->categories_len; i++)
      if (text_has(f->categories[i].category, needle)) return 1;
    for (size_t i = 0; i < f->phrases_len; i++)
      if (text_has(f->phrases[i].phrase, needle) || text_has(f->phrases[i].kind, needle) ||
          text_has(f->phrases[i].category, needle))
        return 1;
  }
  return 0;
}

/* The struct's `json` is what esafety_record_json returns for the call. */
static void check_json_matches(esafety_engine *engine, const esafety_request *r,
                               const esafety_identity *who, const esafety_record *rec) {
  char *json = NULL;
  size_t len = 0;
  CHECK_STATUS(esafety_record_json(engine, r, who, &json, &len), ESAFETY_STATUS_OK);
  CHECK(json != NULL && rec->json.ptr != NULL && len == rec->json.len &&
        memcmp(json, rec->json.ptr, len) == 0);
  esafety_string_free(json);
}

static void test_who_what_when(esafety_engine *engine) {
  esafety_identity who;
  memset(&who, 0, sizeof who);
  who.site = "example-school";
  who.site_len = strlen(who.site);
  who.client_ip = "10.0.0.7";
  who.client_ip_len = strlen(who.client_ip);
  who.user = "alice";
  who.user_len = strlen(who.user);
  esafety_request r = request_for("https://www.google.com/search?q=volcano+facts");
  r.group = "pupils";
  r.group_len = 6;
  r.age = 14;
  r.device = ESAFETY_DEVICE_MANAGED;
  esafety_record *rec = NULL;
  CHECK_STATUS(esafety_record_new(engine, &r, &who, &rec), ESAFETY_STATUS_OK);
  CHECK(rec != NULL);
  if (rec == NULL) return;
  CHECK(rec->struct_size == sizeof(esafety_record));
  CHECK_TEXT(rec->time, "2026-03-02T10:00:00+00:00");
  CHECK(rec->time_unix == MONDAY_10AM);
  CHECK_TEXT(rec->site, "example-school");
  CHECK_TEXT(rec->client_ip, "10.0.0.7");
  CHECK_TEXT(rec->user, "alice");
  CHECK(rec->device == ESAFETY_DEVICE_MANAGED);
  CHECK_TEXT(rec->group, "pupils");
  CHECK(rec->age == 14);
  CHECK_TEXT(rec->policy, "secondary-pupils");
  CHECK_TEXT(rec->url, "https://www.google.com/search?q=volcano+facts");
  static const char *const search[] = {"search", NULL};
  CHECK(array_is(rec->categories, rec->categories_len, search));
  CHECK(rec->action == ESAFETY_ACTION_ALLOW);
  CHECK(rec->rule.ptr != NULL && rec->rule.len > 0);
  CHECK(rec->lists_len == 1 && rec->lists != NULL);
  CHECK_TEXT(rec->search_site, "google");
  CHECK_TEXT(rec->search_terms, "volcano facts");
  CHECK(rec->alert == ESAFETY_ALERT_URGENCY_NONE);
  CHECK_TEXT(rec->alert_reason, NULL);
  CHECK(rec->reasons_len > 0 && rec->reasons != NULL);
  CHECK_TEXT(rec->incident_json, NULL);
  CHECK_TEXT(rec->error, NULL);
  CHECK_CONTAINS(rec->json.ptr, "\"search_terms\":{\"site\":\"google\",\"terms\":\"volcano facts\"}");
  check_json_matches(engine, &r, &who, rec);
  esafety_record_free(rec);

  /* Nobody known: every identity field null, age -1, device unknown. */
  r = request_for("https://www.bet365.com/");
  CHECK_STATUS(esafety_record_new(engine, &r, NULL, &rec), ESAFETY_STATUS_OK);
  if (rec != NULL) {
    CHECK_TEXT(rec->site, NULL);
    CHECK_TEXT(rec->client_ip, NULL);
    CHECK_TEXT(rec->user, NULL);
    CHECK_TEXT(rec->group, NULL);
    CHECK(rec->age == -1 && rec->device == ESAFETY_DEVICE_UNKNOWN);
    CHECK(rec->action == ESAFETY_ACTION_BLOCK);
    CHECK_TEXT(rec->rule, "block-uksic");
    static const char *const gambling[] = {"gambling", NULL};
    static const char *const sample_gambling[] = {"sample-gambling", NULL};
    CHECK(array_is(rec->categories, rec->categories_len, gambling));
    CHECK(array_is(rec->lists, rec->lists_len, sample_gambling));
    CHECK_TEXT(rec->search_site, NULL);
    check_json_matches(engine, &r, NULL, rec);
    esafety_record_free(rec);
  }

  /* Pseudonyms and no address. */
  static const char key[] = "a pseudonym key of 32 bytes.....";
  who.pseudonym_key = (const uint8_t *)key;
  who.pseudonym_key_len = sizeof key - 1;
  who.omit_client_ip = true;
  CHECK_STATUS(esafety_record_new(engine, &r, &who, &rec), ESAFETY_STATUS_OK);
  if (rec != NULL) {
    CHECK_TEXT(rec->client_ip, NULL);
    CHECK(rec->user.ptr != NULL && strncmp(rec->user.ptr, "pseudonym:", 10) == 0 &&
          rec->user.len == 10 + 32);
    CHECK(!record_mentions(rec, "alice") && !record_mentions(rec, "10.0.0.7"));
    esafety_record_free(rec);
  }
}

/* A statutory block: the digest id, an immediate alert and the incident
 * draft; nothing of the URL or its host in any field or array. */
static void test_statutory(esafety_engine *engine) {
  static const char *const urls[][3] = {
      {"http://iwf-test.esafety.invalid/abuse/page-1.html", "iwf-test", "abuse/page-1"},
      {"http://terror-test.esafety.invalid/propaganda/video-1.html", "terror-test", "propaganda"},
  };
  for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
    esafety_request r = request_for(urls[i][0]);
    esafety_record *rec = NULL;
    CHECK_STATUS(esafety_record_new(engine, &r, NULL, &rec), ESAFETY_STATUS_OK);
    CHECK(rec != NULL);
    if (rec == NULL) continue;
    CHECK(rec->action == ESAFETY_ACTION_BLOCK);
    CHECK_TEXT(rec->rule, "baseline");
    CHECK(rec->url.ptr != NULL && strncmp(rec->url.ptr, "sha256:", 7) == 0);
    CHECK(rec->alert == ESAFETY_ALERT_URGENCY_IMMEDIATELY);
    CHECK(rec->alert_reason.ptr != NULL && rec->alert_reason.len > 0);
    CHECK(rec->incident_json.ptr != NULL && rec->incident_json.ptr[0] == '{');
    CHECK_TEXT(rec->search_site, NULL);
    CHECK(!record_mentions(rec, urls[i][1]));
    CHECK(!record_mentions(rec, urls[i][2]));
    CHECK(!record_mentions(rec, "esafety.invalid"));
    check_json_matches(engine, &r, NULL, rec);
    esafety_record_free(rec);
  }
}

static void test_unreadable_and_errors(esafety_engine *engine) {
  /* A URL that cannot be read has a record: blocked, rule `error`. */
  esafety_request r = request_for("javascript:void(0)");
  esafety_record *rec = NULL;
  CHECK_STATUS(esafety_record_new(engine, &r, NULL, &rec), ESAFETY_STATUS_OK);
  if (rec != NULL) {
    CHECK(rec->action == ESAFETY_ACTION_BLOCK);
    CHECK_TEXT(rec->rule, "error");
    CHECK_TEXT(rec->url, NULL);
    CHECK(rec->categories == NULL && rec->categories_len == 0);
    CHECK(rec->error.ptr != NULL && rec->error.len > 0);
    check_json_matches(engine, &r, NULL, rec);
    esafety_record_free(rec);
  }

  /* Errors: nothing decided, nothing recorded, *out NULL. */
  r = request_for("example.org");
  rec = (esafety_record *)&r;
  CHECK_STATUS(esafety_record_new(NULL, &r, NULL, &rec), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(rec == NULL);
  rec = (esafety_record *)&r;
  CHECK_STATUS(esafety_record_new(engine, NULL, NULL, &rec), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(rec == NULL);
  CHECK_STATUS(esafety_record_new(engine, &r, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  esafety_request zeroed;
  memset(&zeroed, 0, sizeof zeroed);
  zeroed.url = "https://www.bbc.co.uk/";
  zeroed.url_len = strlen(zeroed.url);
  rec = (esafety_record *)&r;
  CHECK_STATUS(esafety_record_new(engine, &zeroed, NULL, &rec), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK(rec == NULL);
  esafety_identity who;
  memset(&who, 0, sizeof who);
  who.client_ip = "10.0.0.300";
  who.client_ip_len = strlen(who.client_ip);
  rec = (esafety_record *)&r;
  CHECK_STATUS(esafety_record_new(engine, &r, &who, &rec), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK(rec == NULL);
  CHECK_ERROR_MENTIONS("`client_ip` `10.0.0.300` is not an IPv4 or IPv6 address");
  esafety_record_free(NULL);
}

/* Many records alive at once, freed in another order: each owns its own. */
static void test_ownership(esafety_engine *engine) {
  enum { N = 16 };
  esafety_record *recs[N];
  char url[64];
  for (int i = 0; i < N; i++) {
    snprintf(url, sizeof url, "https://www.bbc.co.uk/news/%d", i);
    esafety_request r = request_for(url);
    recs[i] = NULL;
    CHECK_STATUS(esafety_record_new(engine, &r, NULL, &recs[i]), ESAFETY_STATUS_OK);
  }
  /* The request's URL buffer is gone (overwritten): the records keep theirs. */
  memset(url, 'x', sizeof url - 1);
  for (int i = N - 1; i >= 0; i -= 2) esafety_record_free(recs[i]);
  for (int i = 0; i < N; i += 2) {
    char want[64];
    snprintf(want, sizeof want, "https://www.bbc.co.uk/news/%d", i);
    CHECK(recs[i] != NULL && text_is(recs[i]->url, want));
    esafety_record_free(recs[i]);
  }
}

static esafety_scanner *make_scanner(void) {
  const char *root = getenv("ESAFETY_ROOT");
  char weighted[4096], banned[4096];
  snprintf(weighted, sizeof weighted, "%s/ffi/tests/fixtures/phrases/weightedphraselist", root ? root : ".");
  snprintf(banned, sizeof banned, "%s/ffi/tests/fixtures/phrases/bannedphraselist", root ? root : ".");
  const char *paths[] = {weighted, banned};
  esafety_scanner *scanner = NULL;
  CHECK_STATUS(esafety_scanner_new(paths, 2, &scanner), ESAFETY_STATUS_OK);
  if (scanner == NULL) exit(2);
  return scanner;
}

/* The phrase at `i` of a finding is `phrase`, weighted `weight`, in `category`. */
static int phrase_is(const esafety_content_finding *f, size_t i, const char *phrase, int64_t weight,
                     const char *category) {
  const esafety_content_phrase *p = &f->phrases[i];
  return text_is(p->phrase, phrase) && text_is(p->kind, "weighted") && p->weight == weight &&
         p->count == 1 && p->score == weight && text_is(p->category, category);
}

/* Search terms scored with phrase lists (esafety_record_new_scanned): the
 * record's `content` findings, field by field, as its JSON has them; the
 * same search under an older age band's limit; a URL that is not a search;
 * the unscanned record; a NULL scanner. */
static void test_content(esafety_engine *engine) {
  esafety_scanner *scanner = make_scanner();
  static const struct {
    const char *name;
    int age;
    esafety_action action;
    const char *rule;
    uint32_t limit;
    esafety_verdict verdict;
    const char *json;
  } cases[] = {
      {"a young child's search crosses 50", 8, ESAFETY_ACTION_BLOCK, "content", 50, ESAFETY_VERDICT_BLOCK,
       "\"content\":[{\"source\":\"search-terms\",\"score\":60,\"limit\":50,\"crossed\":true,"},
      {"a teenager's search is within 100", 14, ESAFETY_ACTION_ALLOW, "default", 100, ESAFETY_VERDICT_ALLOW,
       "\"content\":[{\"source\":\"search-terms\",\"score\":60,\"limit\":100,\"crossed\":false,"},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    esafety_request r = request_for("https://www.google.com/search?q=poker+and+casino+nights");
    r.age = cases[c].age;
    esafety_record *rec = NULL;
    CHECK_STATUS(esafety_record_new_scanned(engine, &r, NULL, scanner, &rec), ESAFETY_STATUS_OK);
    CHECK(rec != NULL);
    if (rec == NULL) continue;
    fprintf(stderr, "  case: %s\n", cases[c].name);
    CHECK(rec->struct_size >= offsetof(esafety_record, content_len) + sizeof rec->content_len);
    CHECK(rec->action == cases[c].action);
    CHECK_TEXT(rec->rule, cases[c].rule);
    CHECK_TEXT(rec->search_terms, "poker and casino nights");
    CHECK(rec->content_len == 1 && rec->content != NULL);
    if (rec->content_len == 1 && rec->content != NULL) {
      const esafety_content_finding *f = &rec->content[0];
      CHECK(f->source == ESAFETY_CONTENT_SOURCE_SEARCH_TERMS);
      CHECK(f->score == 60 && f->limit == cases[c].limit && f->verdict == cases[c].verdict);
      CHECK(f->explanation.ptr != NULL && text_has(f->explanation, "60") && text_has(rec->json, f->explanation.ptr));
      CHECK(f->categories_len == 1 && f->categories != NULL);
      if (f->categories_len == 1) {
        CHECK_TEXT(f->categories[0].category, "gambling");
        CHECK(f->categories[0].score == 60);
      }
      CHECK(f->phrases_len == 2 && f->phrases != NULL);
      if (f->phrases_len == 2) {
        CHECK((phrase_is(f, 0, "< poker >", 30, "gambling") && phrase_is(f, 1, "< casino >", 30, "gambling")) ||
              (phrase_is(f, 0, "< casino >", 30, "gambling") && phrase_is(f, 1, "< poker >", 30, "gambling")));
      }
    }
    CHECK(text_has(rec->json, cases[c].json));
    CHECK(text_has(rec->json, "\"categories\":{\"gambling\":60}"));
    CHECK(text_has(rec->json, "{\"phrase\":\"< poker >\",\"kind\":\"weighted\",\"weight\":30,\"count\":1,\"score\":30,\"category\":\"gambling\"}"));
    esafety_record_free(rec);
  }

  /* Not a search: nothing scanned, no findings. */
  {
    esafety_request r = request_for("https://www.bbc.co.uk/news/poker");
    esafety_record *rec = NULL;
    CHECK_STATUS(esafety_record_new_scanned(engine, &r, NULL, scanner, &rec), ESAFETY_STATUS_OK);
    CHECK(rec != NULL && rec->content == NULL && rec->content_len == 0);
    CHECK(rec != NULL && !text_has(rec->json, "\"content\""));
    esafety_record_free(rec);
  }
  /* Unscanned (esafety_record_new): the same search has no findings and is allowed. */
  {
    esafety_request r = request_for("https://www.google.com/search?q=poker+and+casino+nights");
    r.age = 8;
    esafety_record *rec = NULL;
    CHECK_STATUS(esafety_record_new(engine, &r, NULL, &rec), ESAFETY_STATUS_OK);
    CHECK(rec != NULL && rec->content == NULL && rec->content_len == 0);
    CHECK(rec != NULL && rec->action == ESAFETY_ACTION_ALLOW);
    esafety_record_free(rec);
  }
  /* A NULL scanner is an error, and *out is NULL. */
  {
    esafety_request r = request_for("https://www.google.com/search?q=poker");
    esafety_record *rec = (esafety_record *)1;
    CHECK_STATUS(esafety_record_new_scanned(engine, &r, NULL, NULL, &rec), ESAFETY_STATUS_NULL_PARAMETER);
    CHECK(rec == NULL);
    CHECK_ERROR_MENTIONS("`scanner` is NULL");
  }
  esafety_scanner_free(scanner);
}

int main(void) {
  esafety_engine *engine = make_engine();
  test_who_what_when(engine);
  test_statutory(engine);
  test_unreadable_and_errors(engine);
  test_ownership(engine);
  test_content(engine);
  esafety_engine_free(engine);
  return check_report("test_records");
}
