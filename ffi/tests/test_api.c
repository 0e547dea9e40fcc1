/* Every function of libesafety: success paths, every error status, NULL and
 * garbage inputs. Run from the repository root (it reads
 * ffi/tests/fixtures/) or with ESAFETY_FIXTURES set to that folder, and
 * with TMPDIR (default /tmp) writable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

/* 2026-03-02 (a Monday) 10:00 and 18:00 UTC (= Europe/London, GMT). */
#define MONDAY_10AM INT64_C(1772445600)
#define MONDAY_6PM INT64_C(1772474400)

#define S(lit) lit, sizeof(lit) - 1

static const char *fixtures = "ffi/tests/fixtures";
static char fixture_path[4096];

static const char *fixture(const char *name) {
  snprintf(fixture_path, sizeof fixture_path, "%s/%s", fixtures, name);
  return fixture_path;
}

static char *load_fixture(const char *name, size_t *len) {
  char *text = read_file(fixture(name), len);
  if (text == NULL) {
    fprintf(stderr, "cannot read fixture %s\n", fixture_path);
    exit(2);
  }
  return text;
}

static void test_version(void) {
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", ESAFETY_VERSION_MAJOR,
           ESAFETY_VERSION_MINOR, ESAFETY_VERSION_PATCH);
  CHECK(strcmp(esafety_version(), expected) == 0);
  CHECK(esafety_version_number() == ESAFETY_VERSION_NUMBER);
  CHECK(ESAFETY_VERSION_NUMBER == ESAFETY_VERSION_MAJOR * 10000 +
                                      ESAFETY_VERSION_MINOR * 100 +
                                      ESAFETY_VERSION_PATCH);
}

static void test_status_names(void) {
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_OK), "ESAFETY_STATUS_OK") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_NULL_PARAMETER), "ESAFETY_STATUS_NULL_PARAMETER") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_PARAMETER), "ESAFETY_STATUS_INVALID_PARAMETER") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_UTF8), "ESAFETY_STATUS_INVALID_UTF8") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_URL), "ESAFETY_STATUS_INVALID_URL") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_BUNDLE), "ESAFETY_STATUS_INVALID_BUNDLE") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_POLICY), "ESAFETY_STATUS_INVALID_POLICY") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_REQUEST), "ESAFETY_STATUS_INVALID_REQUEST") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_INCIDENT), "ESAFETY_STATUS_INVALID_INCIDENT") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_UNKNOWN_PROFILE), "ESAFETY_STATUS_UNKNOWN_PROFILE") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_IO), "ESAFETY_STATUS_IO") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_TOO_LARGE), "ESAFETY_STATUS_TOO_LARGE") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_PROFILE), "ESAFETY_STATUS_INVALID_PROFILE") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_PHRASES), "ESAFETY_STATUS_INVALID_PHRASES") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_PANIC), "ESAFETY_STATUS_PANIC") == 0);
  CHECK(strcmp(esafety_status_name(ESAFETY_STATUS_INVALID_SIGNATURE), "ESAFETY_STATUS_INVALID_SIGNATURE") == 0);
  CHECK(strcmp(esafety_status_name(15), "ESAFETY_STATUS_UNKNOWN") == 0);
  CHECK(strcmp(esafety_status_name(UINT32_MAX), "ESAFETY_STATUS_UNKNOWN") == 0);
  /* The numbers are ABI. */
  CHECK(ESAFETY_STATUS_OK == 0 && ESAFETY_STATUS_NULL_PARAMETER == 1 &&
        ESAFETY_STATUS_TOO_LARGE == 11 && ESAFETY_STATUS_INVALID_PROFILE == 12 &&
        ESAFETY_STATUS_PANIC == 99);
  CHECK(strcmp(esafety_action_name(ESAFETY_ACTION_ALLOW), "allow") == 0);
  CHECK(strcmp(esafety_action_name(ESAFETY_ACTION_MONITOR), "monitor") == 0);
  CHECK(strcmp(esafety_action_name(ESAFETY_ACTION_WARN), "warn") == 0);
  CHECK(strcmp(esafety_action_name(ESAFETY_ACTION_BLOCK), "block") == 0);
  CHECK(strcmp(esafety_action_name(4), "unknown") == 0);
}

static void test_last_error(void) {
  char *out = NULL;
  char buf[8];
  size_t len = 99, full;
  const char *msg;

  /* Success clears it. */
  CHECK_STATUS(esafety_canonicalize(S("example.com"), &out, NULL), ESAFETY_STATUS_OK);
  esafety_string_free(out);
  CHECK(esafety_last_error(NULL, 0) == 0);
  msg = esafety_last_error_message(&len);
  CHECK(msg != NULL && msg[0] == '\0' && len == 0);

  /* A failure sets it. */
  CHECK_STATUS(esafety_canonicalize(NULL, 0, &out, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  full = esafety_last_error(NULL, 0);
  CHECK(full > 10);
  msg = esafety_last_error_message(&len);
  CHECK(len == full && strlen(msg) == full);
  CHECK_ERROR_MENTIONS("`url` is NULL");
  /* snprintf-style truncation: always NUL-terminated, returns full length. */
  memset(buf, 'x', sizeof buf);
  CHECK(esafety_last_error(buf, sizeof buf) == full);
  CHECK(buf[sizeof buf - 1] == '\0' && strlen(buf) == sizeof buf - 1);
  CHECK(strncmp(buf, msg, sizeof buf - 1) == 0);
  memset(buf, 'x', sizeof buf);
  CHECK(esafety_last_error(buf, 1) == full && buf[0] == '\0' && buf[1] == 'x');
  CHECK(esafety_last_error(NULL, 5) == full); /* NULL buffer: nothing written */
  CHECK(esafety_last_error_message(NULL) != NULL);
  /* Functions without a status leave it alone. */
  esafety_string_free(NULL);
  (void)esafety_version();
  CHECK(esafety_last_error(NULL, 0) == full);
}

static void test_canonicalize(void) {
  char *out = (char *)1;
  size_t len = 99;
  static char big[ESAFETY_MAX_URL_LEN + 2];

  CHECK_STATUS(esafety_canonicalize(S("HTTP://WWW.Example.COM./a/../b/%2541?q#frag"), &out, &len), ESAFETY_STATUS_OK);
  CHECK(out != NULL && strcmp(out, "http://www.example.com/b/A?q") == 0);
  CHECK(len == strlen(out));
  esafety_string_free(out);

  CHECK_STATUS(esafety_canonicalize(S("http://3279880203/"), &out, NULL), ESAFETY_STATUS_OK);
  CHECK(out != NULL && strcmp(out, "http://195.127.0.11/") == 0);
  esafety_string_free(out);

  CHECK_STATUS(esafety_canonicalize_json(S("http://a.b.c/1/2.html?param=1"), &out, &len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(out, "\"input\":\"http://a.b.c/1/2.html?param=1\"");
  CHECK_CONTAINS(out, "\"canonical\":\"http://a.b.c/1/2.html?param=1\"");
  CHECK_CONTAINS(out, "\"expressions\":[\"a.b.c/1/2.html?param=1\",\"a.b.c/1/2.html\",\"a.b.c/\",\"a.b.c/1/\",\"b.c/1/2.html?param=1\"");
  CHECK(out != NULL && len == strlen(out));
  esafety_string_free(out);

  /* NULL: required input, output. (NULL, 0) is NULL_PARAMETER too. */
  out = (char *)1;
  CHECK_STATUS(esafety_canonicalize(NULL, 0, &out, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(out == NULL && len == 0);
  CHECK_STATUS(esafety_canonicalize(NULL, 5, &out, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_canonicalize(S("example.com"), NULL, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`out` is NULL");
  CHECK_STATUS(esafety_canonicalize_json(NULL, 0, &out, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_canonicalize_json(S("example.com"), NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  /* (pointer, 0) is an empty URL. */
  CHECK_STATUS(esafety_canonicalize("x", 0, &out, NULL), ESAFETY_STATUS_INVALID_URL);
  CHECK_ERROR_MENTIONS("empty url");
  CHECK_STATUS(esafety_canonicalize(S("javascript:alert(1)"), &out, NULL), ESAFETY_STATUS_INVALID_URL);
  CHECK_ERROR_MENTIONS("javascript");
  CHECK(out == NULL);
  CHECK_STATUS(esafety_canonicalize_json(S("http://a.com:99999/"), &out, NULL), ESAFETY_STATUS_INVALID_URL);
  /* A URL is bytes: what is not UTF-8 (a Latin-1 path, a stray byte, a cut
     character) reads as its %XX escape, as a proxy copies it off the wire. */
  CHECK_STATUS(esafety_canonicalize(S("http://a.com/caf\xe9?\xff"), &out, &len), ESAFETY_STATUS_OK);
  CHECK(out != NULL && strcmp(out, "http://a.com/caf%E9?%FF") == 0 && len == strlen(out));
  esafety_string_free(out);
  CHECK_STATUS(esafety_canonicalize("http://b.com/\xc3\xbc", 14, &out, NULL), ESAFETY_STATUS_OK);
  CHECK(out != NULL && strcmp(out, "http://b.com/%C3") == 0);
  esafety_string_free(out);
  CHECK_STATUS(esafety_canonicalize_json(S("http://a.com/\xff"), &out, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(out, "\"input\":\"http://a.com/%FF\"");
  esafety_string_free(out);
  /* Interior NUL bytes are just bytes: not a crash. */
  {
    esafety_status st = esafety_canonicalize("http://a\0b.com/", 15, &out, NULL);
    CHECK(st == ESAFETY_STATUS_OK || st == ESAFETY_STATUS_INVALID_URL);
    esafety_string_free(out);
  }
  /* Up to the limit (Chromium's, 2 MiB), and over it. */
  memset(big, 'a', sizeof big);
  memcpy(big, "http://a.example/", 17);
  CHECK_STATUS(esafety_canonicalize(big, ESAFETY_MAX_URL_LEN, &out, &len), ESAFETY_STATUS_OK);
  CHECK(out != NULL && len == ESAFETY_MAX_URL_LEN && strncmp(out, "http://a.example/aaa", 20) == 0);
  esafety_string_free(out);
  CHECK_STATUS(esafety_canonicalize(big, ESAFETY_MAX_URL_LEN + 1, &out, NULL), ESAFETY_STATUS_TOO_LARGE);
  CHECK_ERROR_MENTIONS("over the limit");
  CHECK_STATUS(esafety_canonicalize_json(big, SIZE_MAX, &out, NULL), ESAFETY_STATUS_TOO_LARGE);
}

static char *tmp_path(const char *name) {
  static char path[4096];
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/esafety-c-test-%ld-%s", dir ? dir : "/tmp",
           (long)getpid(), name);
  return path;
}

/* esafety_limits: the host's override of core's Limits, validated by core. */
static void test_limits(void) {
  esafety_limits limits = esafety_limits_default();
  esafety_limits zeroed;
  esafety_bundle *bundle = (esafety_bundle *)1;
  esafety_policy *policy = (esafety_policy *)1;
  const uint8_t *bytes = NULL;
  size_t len = 0;
  const char *path;
  FILE *f;
  const char *text = "id = \"p\"\ndefault = \"allow\"\n[[rules]]\nid = \"a\"\naction = \"block\"\n"
                     "categories = [\"gambling\"]\n[[rules]]\nid = \"b\"\naction = \"block\"\n"
                     "categories = [\"drugs\"]\n";
  esafety_bundle *sample = NULL;

  CHECK(limits.struct_size == sizeof(esafety_limits));
  CHECK(limits.max_bundle_len == ESAFETY_MAX_BUNDLE_LEN);
  CHECK(limits.max_document_len == ESAFETY_MAX_POLICY_LEN);
  CHECK(limits.max_include_depth == 8);
  CHECK_STATUS(esafety_bundle_sample(&sample), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_bundle_bytes(sample, &bytes, &len), ESAFETY_STATUS_OK);

  /* The defaults load what the plain loaders load. */
  CHECK_STATUS(esafety_bundle_from_bytes_with_limits(bytes, len, &limits, &bundle), ESAFETY_STATUS_OK);
  esafety_bundle_free(bundle);
  CHECK_STATUS(esafety_policy_from_text_with_limits(text, strlen(text), &limits, &policy), ESAFETY_STATUS_OK);
  esafety_policy_free(policy);

  /* Lowered: the bundle and the policy are over them. */
  limits.max_bundle_len = len - 1;
  limits.max_bundle_meta_len = 16;
  bundle = (esafety_bundle *)1;
  CHECK_STATUS(esafety_bundle_from_bytes_with_limits(bytes, len, &limits, &bundle), ESAFETY_STATUS_TOO_LARGE);
  CHECK(bundle == NULL);
  path = tmp_path("limits.esb");
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    CHECK(fwrite(bytes, 1, len, f) == len);
    fclose(f);
    CHECK_STATUS(esafety_bundle_from_file_with_limits(path, &limits, &bundle), ESAFETY_STATUS_TOO_LARGE);
    CHECK_ERROR_MENTIONS("max_bundle_len");
    limits.max_bundle_len = len;
    CHECK_STATUS(esafety_bundle_from_file_with_limits(path, &limits, &bundle), ESAFETY_STATUS_TOO_LARGE);
    CHECK_ERROR_MENTIONS("max_bundle_meta_len");
    limits = esafety_limits_default();
    CHECK_STATUS(esafety_bundle_from_file_with_limits(path, &limits, &bundle), ESAFETY_STATUS_OK);
    esafety_bundle_free(bundle);
    remove(path);
  }
  limits = esafety_limits_default();
  limits.max_policy_rules = 1;
  CHECK_STATUS(esafety_policy_from_text_with_limits(text, strlen(text), &limits, &policy), ESAFETY_STATUS_TOO_LARGE);
  CHECK_ERROR_MENTIONS("max_policy_rules");
  CHECK(policy == NULL);
  limits = esafety_limits_default();
  limits.max_document_len = 10;
  CHECK_STATUS(esafety_policy_from_text_with_limits(text, strlen(text), &limits, &policy), ESAFETY_STATUS_TOO_LARGE);
  CHECK_ERROR_MENTIONS("max_document_len");

  /* Values core refuses, and a zeroed struct: nothing is loaded. */
  limits = esafety_limits_default();
  limits.max_entries = 0;
  CHECK_STATUS(esafety_bundle_from_bytes_with_limits(bytes, len, &limits, &bundle), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_ERROR_MENTIONS("`max_entries` is 0");
  limits = esafety_limits_default();
  limits.max_include_depth = 1000;
  CHECK_STATUS(esafety_policy_from_text_with_limits(text, strlen(text), &limits, &policy), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_ERROR_MENTIONS("`max_include_depth` is 1000, over 64");
  memset(&zeroed, 0, sizeof zeroed);
  CHECK_STATUS(esafety_bundle_from_bytes_with_limits(bytes, len, &zeroed, &bundle), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_ERROR_MENTIONS("struct_size is `0`");
  CHECK(bundle == NULL);
  limits = esafety_limits_default();
  limits.struct_size = sizeof(esafety_limits) + 8;
  CHECK_STATUS(esafety_bundle_from_file_with_limits("/nonexistent", &limits, &bundle), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_STATUS(esafety_bundle_from_bytes_with_limits(bytes, len, NULL, &bundle), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_policy_from_text_with_limits(text, strlen(text), NULL, &policy), ESAFETY_STATUS_NULL_PARAMETER);
  limits = esafety_limits_default();
  CHECK_STATUS(esafety_bundle_from_file_with_limits("/dev/zero", &limits, &bundle), ESAFETY_STATUS_IO);
  CHECK_ERROR_MENTIONS("not a regular file");
  esafety_bundle_free(sample);
}

static void test_bundle(void) {
  esafety_bundle *bundle = NULL, *copy = (esafety_bundle *)1, *mapped = NULL;
  const uint8_t *bytes = NULL;
  size_t len = 0;
  uint8_t *buf;
  char *path;
  FILE *f;
  esafety_classification c;
  char long_path[ESAFETY_MAX_PATH_LEN + 10];

  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK(bundle != NULL);
  CHECK_STATUS(esafety_bundle_bytes(bundle, &bytes, &len), ESAFETY_STATUS_OK);
  CHECK(bytes != NULL && len > 64);

  /* From bytes: a copy, so the caller's buffer can go at once. */
  buf = (uint8_t *)malloc(len);
  memcpy(buf, bytes, len);
  CHECK_STATUS(esafety_bundle_from_bytes(buf, len, &copy), ESAFETY_STATUS_OK);
  memset(buf, 0, len);
  free(buf);
  CHECK_STATUS(esafety_classify(copy, S("https://www.bet365.com/"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories == ESAFETY_CATEGORY_GAMBLING && c.match_count == 1);
  esafety_bundle_free(copy);

  /* Truncated, corrupted, garbage, empty. */
  copy = (esafety_bundle *)1;
  CHECK_STATUS(esafety_bundle_from_bytes(bytes, len - 1, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  CHECK(copy == NULL);
  CHECK_STATUS(esafety_bundle_from_bytes(bytes, len / 2, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  CHECK_STATUS(esafety_bundle_from_bytes(bytes, 10, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  CHECK_ERROR_MENTIONS("esafety compile");
  buf = (uint8_t *)malloc(len);
  memcpy(buf, bytes, len);
  buf[len - 3] ^= 0x5a;
  CHECK_STATUS(esafety_bundle_from_bytes(buf, len, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  {
    size_t i;
    for (i = 0; i < len; i++) buf[i] = (uint8_t)(i * 131u + 7u);
  }
  CHECK_STATUS(esafety_bundle_from_bytes(buf, len, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  CHECK_STATUS(esafety_bundle_from_bytes(buf, 0, &copy), ESAFETY_STATUS_INVALID_BUNDLE);
  free(buf);
  CHECK_STATUS(esafety_bundle_from_bytes(NULL, 0, &copy), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_from_bytes(NULL, 100, &copy), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_from_bytes(bytes, len, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_from_bytes(bytes, (size_t)ESAFETY_MAX_BUNDLE_LEN + 1, &copy), ESAFETY_STATUS_TOO_LARGE);
  CHECK(copy == NULL);

  /* From a file, memory-mapped. */
  path = tmp_path("sample.esb");
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    CHECK(fwrite(bytes, 1, len, f) == len);
    fclose(f);
    CHECK_STATUS(esafety_bundle_from_file(path, &mapped), ESAFETY_STATUS_OK);
    CHECK_STATUS(esafety_classify(mapped, S("http://pornhub.com/x"), &c), ESAFETY_STATUS_OK);
    CHECK(c.categories == ESAFETY_CATEGORY_PORNOGRAPHY);
    esafety_bundle_free(mapped);
    /* A truncated file. */
    f = fopen(path, "wb");
    CHECK(fwrite(bytes, 1, len / 3, f) == len / 3);
    fclose(f);
    mapped = (esafety_bundle *)1;
    CHECK_STATUS(esafety_bundle_from_file(path, &mapped), ESAFETY_STATUS_INVALID_BUNDLE);
    CHECK(mapped == NULL);
    /* An empty file. */
    f = fopen(path, "wb");
    fclose(f);
    CHECK_STATUS(esafety_bundle_from_file(path, &mapped), ESAFETY_STATUS_INVALID_BUNDLE);
    remove(path);
  }
  CHECK_STATUS(esafety_bundle_from_file(path, &mapped), ESAFETY_STATUS_IO);
  CHECK_ERROR_MENTIONS("cannot read bundle");
  /* Core's opener: a directory, a device and a FIFO are refused at once (a
     FIFO used to block the open forever, /dev/zero to be read as empty). */
  CHECK_STATUS(esafety_bundle_from_file("/", &mapped), ESAFETY_STATUS_IO);
  CHECK_ERROR_MENTIONS("it is a directory, not a regular file");
  CHECK_STATUS(esafety_bundle_from_file("/dev/zero", &mapped), ESAFETY_STATUS_IO);
  CHECK_ERROR_MENTIONS("it is a character device, not a regular file");
  {
    const char *fifo = tmp_path("bundle.fifo");
    remove(fifo);
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK_STATUS(esafety_bundle_from_file(fifo, &mapped), ESAFETY_STATUS_IO);
    CHECK_ERROR_MENTIONS("it is a FIFO, not a regular file");
    CHECK(mapped == NULL);
    remove(fifo);
  }
  CHECK_STATUS(esafety_bundle_from_file(NULL, &mapped), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_from_file(path, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  memset(long_path, 'a', sizeof long_path);
  long_path[sizeof long_path - 1] = '\0';
  CHECK_STATUS(esafety_bundle_from_file(long_path, &mapped), ESAFETY_STATUS_TOO_LARGE);
  CHECK_STATUS(esafety_bundle_sample(NULL), ESAFETY_STATUS_NULL_PARAMETER);

  /* bundle_bytes errors */
  CHECK_STATUS(esafety_bundle_bytes(NULL, &bytes, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(bytes == NULL && len == 0);
  CHECK_STATUS(esafety_bundle_bytes(bundle, NULL, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_bundle_bytes(bundle, &bytes, NULL), ESAFETY_STATUS_NULL_PARAMETER);

  esafety_bundle_free(bundle);
  esafety_bundle_free(NULL);
}

static void test_classify(void) {
  esafety_bundle *bundle = NULL;
  esafety_classification c;
  char *json = NULL;
  size_t len = 0;

  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_classify(bundle, S("http://www.youtube.com/watch?v=1"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories == ESAFETY_CATEGORY_STREAMING && c.match_count == 1);
  CHECK_STATUS(esafety_classify(bundle, S("https://www.example.org/"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories == 0 && c.match_count == 0);
  /* Spelling tricks reach the same entry. */
  CHECK_STATUS(esafety_classify(bundle, S("HTTPS://WWW.BET365.COM.:443/%2e%2e/x#y"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories == ESAFETY_CATEGORY_GAMBLING);
  /* The synthetic IWF page: child-abuse, reported by digest, never by URL. */
  CHECK_STATUS(esafety_classify(bundle, S("http://IWF-TEST.esafety.invalid/abuse/page-1.html"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories & ESAFETY_CATEGORY_CHILD_ABUSE);
  CHECK(c.categories & ESAFETY_CATEGORY_STATUTORY);
  CHECK_STATUS(esafety_classify_json(bundle, S("http://iwf-test.esafety.invalid/abuse/page-1.html"), &json, &len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"categories\":[\"child-abuse\"]");
  CHECK_CONTAINS(json, "\"expression\":\"sha256:");
  CHECK(json != NULL && strstr(json, "\"expression\":\"iwf-test") == NULL);
  CHECK(json != NULL && len == strlen(json));
  esafety_string_free(json);
  CHECK_STATUS(esafety_classify_json(bundle, S("http://www.youtube.com/watch?v=1"), &json, NULL), ESAFETY_STATUS_OK);
  CHECK(json != NULL && strcmp(json, "{\"url\":\"http://www.youtube.com/watch?v=1\",\"canonical\":\"http://www.youtube.com/watch?v=1\",\"categories\":[\"streaming\"],\"matches\":[{\"list\":\"sample-streaming\",\"category\":\"streaming\",\"expression\":\"youtube.com/\"}]}") == 0);
  esafety_string_free(json);

  /* Errors. */
  c.categories = 77;
  CHECK_STATUS(esafety_classify(NULL, S("example.com"), &c), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(c.categories == 0 && c.match_count == 0);
  CHECK_ERROR_MENTIONS("`bundle` is NULL");
  CHECK_STATUS(esafety_classify(bundle, NULL, 0, &c), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_classify(bundle, S("example.com"), NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_classify(bundle, "", 0, &c), ESAFETY_STATUS_INVALID_URL);
  CHECK_STATUS(esafety_classify(bundle, S("mailto:a@b.c"), &c), ESAFETY_STATUS_INVALID_URL);
  /* Raw bytes that are not UTF-8 do not hide a listed host. */
  CHECK_STATUS(esafety_classify(bundle, S("http://www.youtube.com/\xc0\xafwatch"), &c), ESAFETY_STATUS_OK);
  CHECK(c.categories == ESAFETY_CATEGORY_STREAMING && c.match_count == 1);
  CHECK_STATUS(esafety_classify(bundle, S("x"), &c), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_classify(bundle, "x", ESAFETY_MAX_URL_LEN + 1, &c), ESAFETY_STATUS_TOO_LARGE);
  CHECK_STATUS(esafety_classify_json(NULL, S("example.com"), &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(json == NULL);
  CHECK_STATUS(esafety_classify_json(bundle, S("example.com"), NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_classify_json(bundle, S("ftp://[::1"), &json, NULL), ESAFETY_STATUS_INVALID_URL);
  esafety_bundle_free(bundle);
}

static const char BAD_BASELINE[] =
    "id = \"bad\"\ndefault = \"allow\"\n[[rules]]\nid = \"let-it-through\"\n"
    "action = \"allow\"\ncategories = [\"child-abuse\"]\n";

static void test_categories(void) {
  esafety_bundle *bundle = NULL;
  size_t count = 0, n = 9;
  uint32_t indices[64];
  char *id = NULL;
  size_t len = 0;

  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  /* The sample bundle defines no local categories: the 32 built-in positions. */
  CHECK_STATUS(esafety_bundle_category_count(bundle, &count), ESAFETY_STATUS_OK);
  CHECK(count == 32);
  CHECK_STATUS(esafety_classify_categories(bundle, S("https://www.bet365.com/poker"), indices, 64, &n), ESAFETY_STATUS_OK);
  CHECK(n == 1 && (1ull << indices[0]) == ESAFETY_CATEGORY_GAMBLING);
  CHECK_STATUS(esafety_bundle_category_id(bundle, indices[0], &id, &len), ESAFETY_STATUS_OK);
  CHECK(id != NULL && strcmp(id, "gambling") == 0 && len == 8);
  esafety_string_free(id);
  /* (NULL, 0) counts; a partial list is never written. */
  CHECK_STATUS(esafety_classify_categories(bundle, S("https://www.bet365.com/"), NULL, 0, &n), ESAFETY_STATUS_TOO_LARGE);
  CHECK(n == 1);
  CHECK_ERROR_MENTIONS("call again with room for 1");
  CHECK_STATUS(esafety_classify_categories(bundle, S("https://example.org/"), NULL, 0, &n), ESAFETY_STATUS_OK);
  CHECK(n == 0);
  /* Errors. */
  CHECK_STATUS(esafety_classify_categories(bundle, S("https://example.org/"), NULL, 4, &n), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_classify_categories(bundle, S("mailto:a@b.c"), indices, 64, &n), ESAFETY_STATUS_INVALID_URL);
  CHECK(n == 0);
  CHECK_STATUS(esafety_bundle_category_id(bundle, 25, &id, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK(id == NULL);
  CHECK_STATUS(esafety_bundle_category_id(bundle, 32, &id, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_STATUS(esafety_bundle_category_count(NULL, &count), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(count == 0);
  esafety_bundle_free(bundle);
}

static void test_policy(void) {
  esafety_policy *policy = (esafety_policy *)1;
  size_t len;
  char *text = load_fixture("policy.toml", &len);
  char *big;
  static const char json_policy[] =
      "{\"id\": \"json-policy\", \"default\": \"block\", \"rules\": "
      "[{\"id\": \"allow-search\", \"action\": \"allow\", \"categories\": [\"search\"]}]}";

  CHECK_STATUS(esafety_policy_from_text(text, len, &policy), ESAFETY_STATUS_OK);
  CHECK(policy != NULL);
  esafety_policy_free(policy);
  CHECK_STATUS(esafety_policy_from_text(S(json_policy), &policy), ESAFETY_STATUS_OK);
  esafety_policy_free(policy);
  CHECK_STATUS(esafety_policy_from_file(fixture("policy.toml"), &policy), ESAFETY_STATUS_OK);
  esafety_policy_free(policy);
  esafety_policy_free(NULL);

  /* The statutory baseline cannot be lowered. */
  policy = (esafety_policy *)1;
  CHECK_STATUS(esafety_policy_from_text(S(BAD_BASELINE), &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK(policy == NULL);
  CHECK_ERROR_MENTIONS("statutory baseline");
  /* Syntax errors, unknown fields, truncation, garbage. */
  CHECK_STATUS(esafety_policy_from_text(S("id = \"x\"\ndefault = \"allow\"\ncolour = \"red\"\n"), &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_ERROR_MENTIONS("colour");
  CHECK_STATUS(esafety_policy_from_text(text, len / 2, &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_STATUS(esafety_policy_from_text(S("\x01\x02garbage[[["), &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_STATUS(esafety_policy_from_text(S("{\"id\": \"x\", "), &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_STATUS(esafety_policy_from_text("", 0, &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_STATUS(esafety_policy_from_text(S("id = \"\xff\""), &policy), ESAFETY_STATUS_INVALID_UTF8);
  CHECK_STATUS(esafety_policy_from_text(NULL, 0, &policy), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_policy_from_text(text, len, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  big = (char *)calloc(ESAFETY_MAX_POLICY_LEN + 1, 1);
  CHECK_STATUS(esafety_policy_from_text(big, ESAFETY_MAX_POLICY_LEN + 1, &policy), ESAFETY_STATUS_TOO_LARGE);
  free(big);
  CHECK_STATUS(esafety_policy_from_file(fixture("no-such-policy.toml"), &policy), ESAFETY_STATUS_IO);
  CHECK_ERROR_MENTIONS("no-such-policy.toml");
  CHECK_STATUS(esafety_policy_from_file(fixture("incident-csam.json"), &policy), ESAFETY_STATUS_INVALID_POLICY);
  CHECK_ERROR_MENTIONS("incident-csam.json");
  CHECK_STATUS(esafety_policy_from_file(NULL, &policy), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_policy_from_file(fixture("policy.toml"), NULL), ESAFETY_STATUS_NULL_PARAMETER);
  free(text);
}

static esafety_engine *make_engine(void) {
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = NULL;
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_policy_from_file(fixture("policy.toml"), &policy), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_engine_new(bundle, policy, &engine), ESAFETY_STATUS_OK);
  /* The engine keeps its own references. */
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);
  return engine;
}

static void test_engine(void) {
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = (esafety_engine *)1;
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_policy_from_file(fixture("policy.toml"), &policy), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_engine_new(NULL, policy, &engine), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(engine == NULL);
  CHECK_ERROR_MENTIONS("`bundle` is NULL");
  CHECK_STATUS(esafety_engine_new(bundle, NULL, &engine), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`policy` is NULL");
  CHECK_STATUS(esafety_engine_new(bundle, policy, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  /* Two engines sharing one bundle and policy. */
  {
    esafety_engine *a = NULL, *b = NULL;
    CHECK_STATUS(esafety_engine_new(bundle, policy, &a), ESAFETY_STATUS_OK);
    CHECK_STATUS(esafety_engine_new(bundle, policy, &b), ESAFETY_STATUS_OK);
    esafety_engine_free(a);
    esafety_engine_free(b);
  }
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);
  esafety_engine_free(NULL);
}

static esafety_request request_for(const char *url) {
  esafety_request r = ESAFETY_REQUEST_INIT;
  r.url = url;
  r.url_len = strlen(url);
  r.age = -1;
  r.device = ESAFETY_DEVICE_UNKNOWN;
  r.time = MONDAY_10AM;
  return r;
}

static int rule_is(const esafety_decision *d, const char *rule) {
  return d->rule != NULL && d->rule_len == strlen(rule) &&
         strcmp(d->rule, rule) == 0;
}

/* The core's fail-closed decision, as every failed esafety_decide leaves it. */
#define CHECK_FAIL_CLOSED(d)                                                 \
  CHECK((d)->action == ESAFETY_ACTION_BLOCK && (d)->log && !(d)->review &&   \
        (d)->categories == 0 && rule_is((d), "error"))

static void test_decide(void) {
  esafety_engine *engine = make_engine();
  esafety_request r;
  esafety_decision d;
  char *json = NULL;
  size_t len = 0;

  r = request_for("http://www.pornhub.com/");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "block-pornography"));
  CHECK(d.categories == ESAFETY_CATEGORY_PORNOGRAPHY && d.log && !d.review);
  /* A raw byte that is not UTF-8 is decided, not an error a caller might
     let through. */
  r = request_for("http://www.pornhub.com/\xff");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "block-pornography"));

  /* Time of day, in the policy's time zone; unix seconds or RFC 3339. */
  r = request_for("https://www.roblox.com/games");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "block-gaming-school-hours"));
  r.time = MONDAY_6PM;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_WARN && rule_is(&d, "warn-gaming") && d.log);
  r.time = 0;
  r.time_rfc3339 = "2026-03-02T10:30:00Z";
  r.time_rfc3339_len = strlen(r.time_rfc3339);
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK);
  r.time_rfc3339 = "2026-03-02T20:30:00+01:00";
  r.time_rfc3339_len = strlen(r.time_rfc3339);
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_WARN);

  /* Groups and ages. */
  r = request_for("https://facebook.com/");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "block-social"));
  r.group = "staff";
  r.group_len = 5;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_ALLOW && rule_is(&d, "allow-social-staff"));
  r.group = NULL;
  r.group_len = 0;
  r.age = 17;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_ALLOW && rule_is(&d, "allow-social-sixth-form"));
  r.age = 12;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK);

  /* Devices. */
  r = request_for("https://discord.com/channels");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_ALLOW && rule_is(&d, "default") && !d.log);
  r.device = ESAFETY_DEVICE_BYOD;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_MONITOR && rule_is(&d, "monitor-chat-byod") && d.review && d.log);
  r.device = ESAFETY_DEVICE_MANAGED;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_ALLOW);

  /* The statutory baseline, whatever the policy says. */
  r = request_for("http://iwf-test.esafety.invalid/abuse/page-1.html");
  r.group = "staff";
  r.group_len = 5;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "baseline"));
  CHECK(d.categories == ESAFETY_CATEGORY_CHILD_ABUSE && d.log);
  CHECK_STATUS(esafety_decide_json(engine, &r, &json, &len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"baseline\",\"categories\":[\"child-abuse\"]");
  CHECK_CONTAINS(json, "Internet Watch Foundation");
  CHECK_CONTAINS(json, "sha256:");
  esafety_string_free(json);

  /* An unlisted URL: the default. */
  r = request_for("example.org");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_ALLOW && rule_is(&d, "default") && d.categories == 0);
  CHECK_STATUS(esafety_decide_json(engine, &r, &json, &len), ESAFETY_STATUS_OK);
  CHECK(json != NULL && len == strlen(json));
  CHECK_CONTAINS(json, "{\"url\":\"example.org\",\"canonical\":\"http://example.org/\",\"action\":\"allow\",\"rule\":\"default\"");
  esafety_string_free(json);

  /* Errors: NULL everywhere, (NULL, 0) url, NULL with length. */
  r = request_for("example.org");
  CHECK_STATUS(esafety_decide(NULL, &r, &d), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_FAIL_CLOSED(&d);
  CHECK_STATUS(esafety_decide(engine, NULL, &d), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`request` is NULL");
  CHECK_STATUS(esafety_decide(engine, &r, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  r.url = NULL;
  r.url_len = 0;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`url` is NULL");
  r = request_for("example.org");
  r.group_len = 4;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`group` is NULL with length 4");
  r = request_for("example.org");
  r.time_rfc3339_len = 1;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_FAIL_CLOSED(&d);
  CHECK_STATUS(esafety_decide_json(NULL, &r, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"error\"");
  CHECK_CONTAINS(json, "`engine` is NULL");
  esafety_string_free(json);
  r = request_for("example.org");
  CHECK_STATUS(esafety_decide_json(engine, &r, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_decide_json(engine, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_CONTAINS(json, "\"rule\":\"error\"");
  esafety_string_free(json);

  /* Bad request context. */
  r = request_for("example.org");
  r.age = 256;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK_ERROR_MENTIONS("`age` is 256");
  CHECK_FAIL_CLOSED(&d);
  r.age = -7; /* any negative: unknown */
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_OK);
  r.device = 3;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK_ERROR_MENTIONS("`device` is `3`");
  r.device = UINT32_MAX;
  CHECK_STATUS(esafety_decide_json(engine, &r, &json, NULL), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"error\"");
  esafety_string_free(json);
  r = request_for("example.org");
  r.time = INT64_MAX;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  r.time = INT64_MIN;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  r = request_for("example.org");
  r.time_rfc3339 = "yesterday at noon";
  r.time_rfc3339_len = strlen(r.time_rfc3339);
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK_ERROR_MENTIONS("RFC 3339");
  r.time_rfc3339 = "2026-03-02T10:30:00"; /* no offset */
  r.time_rfc3339_len = strlen(r.time_rfc3339);
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
  r.time_rfc3339 = "2026-03-02T10:30:00Z\xff";
  r.time_rfc3339_len = strlen(r.time_rfc3339);
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_UTF8);
  r = request_for("example.org");
  r.group = "\xe2\x82";
  r.group_len = 2;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_UTF8);
  CHECK_ERROR_MENTIONS("truncated");
  r.group = "x";
  r.group_len = ESAFETY_MAX_NAME_LEN + 1;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_TOO_LARGE);
  r = request_for("javascript:void(0)");
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_URL);
  CHECK_FAIL_CLOSED(&d);
  CHECK_STATUS(esafety_decide_json(engine, &r, &json, &len), ESAFETY_STATUS_INVALID_URL);
  CHECK(json != NULL && len == strlen(json));
  CHECK_CONTAINS(json, "{\"url\":\"\",\"canonical\":\"\",\"action\":\"block\",\"rule\":\"error\"");
  esafety_string_free(json);
  r.url_len = ESAFETY_MAX_URL_LEN + 1;
  CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_TOO_LARGE);
  CHECK_FAIL_CLOSED(&d);

  /* A decision that was never written (zeroed) blocks, never allows. */
  {
    esafety_decision zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    CHECK(zeroed.action == ESAFETY_ACTION_BLOCK);
  }

  esafety_engine_free(engine);
}

/* esafety_request carries its size first (struct_size): the init macro and
 * function set it and the defaults; a size the library does not know is
 * INVALID_REQUEST and the fail-closed block, on every function that reads
 * a request. */
static void test_request_size(void) {
  esafety_engine *engine = make_engine();
  esafety_request macro = ESAFETY_REQUEST_INIT;
  esafety_request init;
  esafety_decision d;
  char *json = NULL;
  size_t len = 0;
  size_t i;
  static const size_t bad_sizes[] = {0, 1, sizeof(esafety_request) - 1,
                                     sizeof(esafety_request) + 8, (size_t)-1};

  CHECK(macro.struct_size == sizeof(esafety_request));
  CHECK(macro.age == -1 && macro.url == NULL && macro.group == NULL);
  CHECK(macro.device == ESAFETY_DEVICE_UNKNOWN && macro.time_rfc3339 == NULL);
  memset(&init, 0xAB, sizeof init);
  CHECK_STATUS(esafety_request_init(&init), ESAFETY_STATUS_OK);
  CHECK(init.struct_size == macro.struct_size && init.age == -1);
  CHECK(init.url == NULL && init.url_len == 0 && init.group == NULL && init.group_len == 0);
  CHECK(init.device == 0 && init.time == 0 && init.time_rfc3339 == NULL &&
        init.time_rfc3339_len == 0);
  CHECK_STATUS(esafety_request_init(NULL), ESAFETY_STATUS_NULL_PARAMETER);

  /* With its size set the request decides. */
  init = request_for("http://www.pornhub.com/");
  CHECK_STATUS(esafety_decide(engine, &init, &d), ESAFETY_STATUS_OK);
  CHECK(d.action == ESAFETY_ACTION_BLOCK && rule_is(&d, "block-pornography"));

  for (i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
    esafety_request r = request_for("https://www.bbc.co.uk/news");
    r.struct_size = bad_sizes[i];
    d.action = ESAFETY_ACTION_ALLOW;
    CHECK_STATUS(esafety_decide(engine, &r, &d), ESAFETY_STATUS_INVALID_REQUEST);
    CHECK_FAIL_CLOSED(&d);
    CHECK_ERROR_MENTIONS("struct_size");
    CHECK_ERROR_MENTIONS("ESAFETY_REQUEST_INIT");
    CHECK_STATUS(esafety_decide_json(engine, &r, &json, &len), ESAFETY_STATUS_INVALID_REQUEST);
    CHECK(json != NULL);
    CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"error\"");
    esafety_string_free(json);
    json = NULL;
    CHECK_STATUS(esafety_record_json(engine, &r, NULL, &json, &len), ESAFETY_STATUS_INVALID_REQUEST);
    esafety_string_free(json);
    json = NULL;
  }
  /* A zeroed request (the old `= {0}` idiom) is refused, not decided. */
  {
    esafety_request zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    zeroed.url = "https://www.bbc.co.uk/news";
    zeroed.url_len = strlen(zeroed.url);
    CHECK_STATUS(esafety_decide(engine, &zeroed, &d), ESAFETY_STATUS_INVALID_REQUEST);
    CHECK_FAIL_CLOSED(&d);
  }
  esafety_engine_free(engine);
}

static void test_record(void) {
  esafety_engine *engine = make_engine();
  esafety_request r;
  esafety_identity who;
  char *json = NULL;
  size_t len = 0;
  static const char key[] = "a pseudonym key of 32 bytes.....";

  /* Who, what, when: the record names the identity the caller passes. */
  memset(&who, 0, sizeof who);
  who.site = "example-school";
  who.site_len = strlen(who.site);
  who.client_ip = "10.0.0.7";
  who.client_ip_len = strlen(who.client_ip);
  who.user = "alice";
  who.user_len = strlen(who.user);
  r = request_for("https://www.google.com/search?q=volcano+facts");
  r.group = "pupils";
  r.group_len = 6;
  r.age = 14;
  r.device = ESAFETY_DEVICE_MANAGED;
  CHECK_STATUS(esafety_record_json(engine, &r, &who, &json, &len), ESAFETY_STATUS_OK);
  CHECK(json != NULL && len == strlen(json) && strchr(json, '\n') == NULL);
  CHECK_CONTAINS(json, "{\"time\":\"2026-03-02T10:00:00+00:00\",\"site\":\"example-school\",\"client_ip\":\"10.0.0.7\",\"user\":\"alice\",\"device\":\"managed\",\"group\":\"pupils\",\"age\":14,");
  CHECK_CONTAINS(json, "\"search_terms\":{\"site\":\"google\",\"terms\":\"volcano facts\"}");
  esafety_string_free(json);

  /* Pseudonyms and no address. */
  who.pseudonym_key = (const uint8_t *)key;
  who.pseudonym_key_len = sizeof key - 1;
  who.omit_client_ip = true;
  CHECK_STATUS(esafety_record_json(engine, &r, &who, &json, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"client_ip\":null,\"user\":\"pseudonym:");
  CHECK(strstr(json, "alice") == NULL && strstr(json, "10.0.0.7") == NULL);
  esafety_string_free(json);

  /* A statutory block: the digest id, never the URL or its host; an alert
   * and the incident draft. */
  r = request_for("http://iwf-test.esafety.invalid/abuse/page-1.html");
  CHECK_STATUS(esafety_record_json(engine, &r, NULL, &json, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"url\":\"sha256:");
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"baseline\"");
  CHECK_CONTAINS(json, "\"alert\":{\"urgency\":\"immediately\"");
  CHECK_CONTAINS(json, "\"incident\":{");
  CHECK(strstr(json, "iwf-test") == NULL && strstr(json, "abuse/page-1") == NULL);
  esafety_string_free(json);

  /* A URL that cannot be read has a record too: blocked, rule `error`. */
  r = request_for("javascript:void(0)");
  CHECK_STATUS(esafety_record_json(engine, &r, NULL, &json, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"url\":null,\"categories\":[],\"action\":\"block\",\"rule\":\"error\"");
  esafety_string_free(json);

  /* Errors: nothing decided, nothing recorded. */
  r = request_for("example.org");
  json = (char *)1;
  CHECK_STATUS(esafety_record_json(NULL, &r, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(json == NULL);
  CHECK_STATUS(esafety_record_json(engine, NULL, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_record_json(engine, &r, NULL, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  memset(&who, 0, sizeof who);
  who.client_ip = "10.0.0.300";
  who.client_ip_len = strlen(who.client_ip);
  CHECK_STATUS(esafety_record_json(engine, &r, &who, &json, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_ERROR_MENTIONS("`client_ip` `10.0.0.300` is not an IPv4 or IPv6 address");
  memset(&who, 0, sizeof who);
  who.pseudonym_key = (const uint8_t *)key;
  who.pseudonym_key_len = 4;
  CHECK_STATUS(esafety_record_json(engine, &r, &who, &json, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
  memset(&who, 0, sizeof who);
  who.user_len = 3;
  CHECK_STATUS(esafety_record_json(engine, &r, &who, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_ERROR_MENTIONS("`user` is NULL with length 3");
  r.age = 256;
  CHECK_STATUS(esafety_record_json(engine, &r, NULL, &json, NULL), ESAFETY_STATUS_INVALID_REQUEST);
  CHECK(json == NULL);

  /* Search terms on their own. */
  CHECK_STATUS(esafety_search_terms_json(S("https://www.youtube.com/results?search_query=lego+train"), &json, &len), ESAFETY_STATUS_OK);
  CHECK(json != NULL && strcmp(json, "{\"site\":\"youtube\",\"terms\":\"lego train\"}") == 0 && len == strlen(json));
  esafety_string_free(json);
  CHECK_STATUS(esafety_search_terms_json(S("https://www.bbc.co.uk/news"), &json, NULL), ESAFETY_STATUS_OK);
  CHECK(json != NULL && strcmp(json, "null") == 0);
  esafety_string_free(json);
  CHECK_STATUS(esafety_search_terms_json(S("javascript:alert(1)"), &json, NULL), ESAFETY_STATUS_INVALID_URL);
  CHECK(json == NULL);
  CHECK_STATUS(esafety_search_terms_json(NULL, 0, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_search_terms_json(S("https://www.bing.com/search?q=x"), NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);

  esafety_engine_free(engine);
}

static void test_incident(void) {
  size_t len, json_len = 0;
  char *incident = load_fixture("incident-csam.json", &len);
  char *json = NULL;
  uint32_t severity = 99;
  char *big;

  CHECK_STATUS(esafety_assess_incident(incident, len, NULL, 0, &severity, &json, &json_len), ESAFETY_STATUS_OK);
  CHECK(severity == ESAFETY_SEVERITY_CRITICAL);
  CHECK_CONTAINS(json, "{\"severity\":\"critical\",\"routes\":[");
  CHECK_CONTAINS(json, "\"police");
  CHECK_CONTAINS(json, "\"iwf\"");
  CHECK_CONTAINS(json, "\"profile\":\"national\"");
  CHECK(json != NULL && json_len == strlen(json));
  esafety_string_free(json);
  CHECK_STATUS(esafety_assess_incident(incident, len, S("manchester"), NULL, &json, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"profile\":\"manchester\"");
  esafety_string_free(json);
  /* TOML works too; a minor breach is low. */
  CHECK_STATUS(esafety_assess_incident(S("kind = \"aup-breach\"\ndeliberate = true\n"), S("national"), &severity, &json, NULL), ESAFETY_STATUS_OK);
  CHECK(severity == ESAFETY_SEVERITY_LOW);
  CHECK_CONTAINS(json, "\"severity\":\"low\"");
  esafety_string_free(json);

  /* Errors. */
  severity = 99;
  json = (char *)1;
  CHECK_STATUS(esafety_assess_incident(incident, len, S("atlantis"), &severity, &json, NULL), ESAFETY_STATUS_UNKNOWN_PROFILE);
  CHECK(json == NULL && severity == ESAFETY_SEVERITY_LOW);
  CHECK_ERROR_MENTIONS("atlantis");
  CHECK_STATUS(esafety_assess_incident(incident, len / 2, NULL, 0, &severity, &json, NULL), ESAFETY_STATUS_INVALID_INCIDENT);
  CHECK_STATUS(esafety_assess_incident(S("{\"kind\": \"alien-abduction\"}"), NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_INVALID_INCIDENT);
  CHECK_ERROR_MENTIONS("alien-abduction");
  CHECK_STATUS(esafety_assess_incident(S("\x7f\x45\x4c\x46 binary"), NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_INVALID_INCIDENT);
  CHECK_STATUS(esafety_assess_incident("", 0, NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_INVALID_INCIDENT);
  CHECK_STATUS(esafety_assess_incident(S("{\"kind\": \"\xff\"}"), NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_INVALID_UTF8);
  CHECK_STATUS(esafety_assess_incident(NULL, 0, NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_assess_incident(incident, len, NULL, 3, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_assess_incident(incident, len, NULL, 0, NULL, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_assess_incident(incident, len, "national", ESAFETY_MAX_NAME_LEN + 1, NULL, &json, NULL), ESAFETY_STATUS_TOO_LARGE);
  big = (char *)calloc(ESAFETY_MAX_INCIDENT_LEN + 1, 1);
  CHECK_STATUS(esafety_assess_incident(big, ESAFETY_MAX_INCIDENT_LEN + 1, NULL, 0, NULL, &json, NULL), ESAFETY_STATUS_TOO_LARGE);
  free(big);
  free(incident);
}

/* esafety_assess_incident_with_limits: the record under a lowered
   max_document_len is assessed, one byte over it is TOO_LARGE. */
static void test_incident_with_limits(void) {
  const char *text = "kind = \"aup-breach\"\ndeliberate = true\n";
  esafety_limits limits = esafety_limits_default();
  char *json = NULL;
  uint32_t severity = 99;

  limits.max_document_len = strlen(text);
  CHECK_STATUS(esafety_assess_incident_with_limits(text, strlen(text), S("national"), &limits, &severity, &json, NULL), ESAFETY_STATUS_OK);
  CHECK(severity == ESAFETY_SEVERITY_LOW);
  CHECK_CONTAINS(json, "\"severity\":\"low\"");
  esafety_string_free(json);
  limits.max_document_len = strlen(text) - 1;
  json = (char *)1;
  CHECK_STATUS(esafety_assess_incident_with_limits(text, strlen(text), NULL, 0, &limits, &severity, &json, NULL), ESAFETY_STATUS_TOO_LARGE);
  CHECK(json == NULL && severity == ESAFETY_SEVERITY_LOW);
  CHECK_ERROR_MENTIONS("max_document_len");
  /* Raised past ESAFETY_MAX_INCIDENT_LEN, the boundary does not refuse first. */
  {
    size_t big_len = ESAFETY_MAX_INCIDENT_LEN + 64;
    char *big = (char *)malloc(big_len);
    CHECK(big != NULL);
    if (big != NULL) {
      memset(big, ' ', big_len);
      memcpy(big, text, strlen(text));
      limits.max_document_len = big_len;
      CHECK_STATUS(esafety_assess_incident_with_limits(big, big_len, NULL, 0, &limits, NULL, &json, NULL), ESAFETY_STATUS_OK);
      esafety_string_free(json);
      free(big);
    }
  }
  CHECK_STATUS(esafety_assess_incident_with_limits(text, strlen(text), NULL, 0, NULL, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  limits = esafety_limits_default();
  limits.max_document_len = 0;
  CHECK_STATUS(esafety_assess_incident_with_limits(text, strlen(text), NULL, 0, &limits, NULL, &json, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
}

static void test_lint(void) {
  size_t len, json_len;
  char *text = load_fixture("policy.toml", &len);
  char *json = NULL;
  esafety_lint_summary summary;

  CHECK_STATUS(esafety_lint_policy(text, len, S("policy.toml"), MONDAY_10AM, &summary, &json, &json_len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "{\"file\":\"policy.toml\",\"findings\":[");
  CHECK(json != NULL && json_len == strlen(json));
  /* The test policy lacks most of the metadata the standards require. */
  CHECK(summary.errors > 0);
  CHECK_CONTAINS(json, "\"severity\":\"error\"");
  esafety_string_free(json);

  /* A policy that does not load is a finding (P000), not a failed call. */
  CHECK_STATUS(esafety_lint_policy(S("not = [valid"), NULL, 0, MONDAY_10AM, &summary, &json, NULL), ESAFETY_STATUS_OK);
  CHECK(summary.errors == 1 && summary.warnings == 0);
  CHECK_CONTAINS(json, "{\"file\":\"<policy>\",\"findings\":[{\"code\":\"P000\",\"severity\":\"error\"");
  CHECK_CONTAINS(json, "the policy does not load, so nothing else was checked: not valid TOML: ");
  esafety_string_free(json);
  CHECK_STATUS(esafety_lint_policy(S(BAD_BASELINE), NULL, 0, MONDAY_10AM, &summary, &json, NULL), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "statutory baseline");
  esafety_string_free(json);

  /* Errors. */
  summary.errors = 5;
  json = (char *)1;
  CHECK_STATUS(esafety_lint_policy(NULL, 0, NULL, 0, 0, &summary, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(summary.errors == 0 && json == NULL);
  CHECK_STATUS(esafety_lint_policy(text, len, NULL, 0, 0, NULL, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_lint_policy(text, len, NULL, 0, 0, &summary, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_lint_policy(text, len, NULL, 2, 0, &summary, &json, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_lint_policy(text, len, NULL, 0, INT64_MAX, &summary, &json, NULL), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK_ERROR_MENTIONS("`today`");
  CHECK_STATUS(esafety_lint_policy(S("id = \"\xc3\""), NULL, 0, 0, &summary, &json, NULL), ESAFETY_STATUS_INVALID_UTF8);
  CHECK_STATUS(esafety_lint_policy(text, ESAFETY_MAX_POLICY_LEN + 1, NULL, 0, 0, &summary, &json, NULL), ESAFETY_STATUS_TOO_LARGE);
  free(text);
}

/* Phrase scanning: a scanner from the fixture lists (paths relative to the
 * fixtures; the weighted list includes `porn` beside it), whole texts and
 * texts in pieces, the fail-closed result, every error. */
static void test_scan(void) {
  char weighted[4096], banned[4096], exception[4096], timed[4096];
  snprintf(weighted, sizeof weighted, "%s", fixture("phrases/weightedphraselist"));
  snprintf(banned, sizeof banned, "%s", fixture("phrases/bannedphraselist"));
  snprintf(exception, sizeof exception, "%s", fixture("phrases/exceptionphraselist"));
  snprintf(timed, sizeof timed, "%s", fixture("phrases/weighted_timed"));
  const char *paths[] = {weighted, banned, exception};
  esafety_scanner *scanner = NULL;
  esafety_scan_result result;
  char *json = NULL;
  size_t json_len = 0;

  CHECK_STATUS(esafety_scanner_new(paths, 3, &scanner), ESAFETY_STATUS_OK);
  CHECK(scanner != NULL);

  /* A zeroed result blocks. */
  memset(&result, 0, sizeof result);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);

  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("<p>poker and casino nights</p>\n"), 50, &result, &json, &json_len), ESAFETY_STATUS_OK);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK && result.score == 60 && result.limit == 50);
  CHECK_CONTAINS(json, "\"score\":60,\"verdict\":\"block\",\"reason\":\"over-limit\"");
  CHECK_CONTAINS(json, "\"categories\":{\"gambling\":60}");
  CHECK_CONTAINS(json, "\"phrase\":\"< poker >\",\"kind\":\"weighted\",\"combination\":false,\"weight\":30,\"count\":1");
  CHECK(json != NULL && json_len == strlen(json));
  esafety_string_free(json);
  json = NULL;

  /* No JSON asked for; a higher limit allows. */
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("<p>poker and casino nights</p>\n"), 100, &result, NULL, NULL), ESAFETY_STATUS_OK);
  CHECK(result.verdict == ESAFETY_VERDICT_ALLOW && result.score == 60);
  /* Banned whatever the limit; an exception allows whatever else; the
   * included list counts. */
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("where to buy a gun\n"), 1000, &result, NULL, NULL), ESAFETY_STATUS_OK);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("poker casino porn at medical school\n"), 50, &result, NULL, NULL), ESAFETY_STATUS_OK);
  CHECK(result.verdict == ESAFETY_VERDICT_ALLOW);
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("free PORNO with XXX <b>girls</b>\n"), 160, &result, NULL, NULL), ESAFETY_STATUS_OK);
  CHECK(result.verdict == ESAFETY_VERDICT_ALLOW && result.score == 70);

  /* In pieces, split inside phrases: the same result as whole. */
  {
    static const char text[] = "<p>free porn with xxx <b>girls</b>, poker</p>\n";
    size_t n = sizeof text - 1, cut;
    esafety_scan_result whole;
    CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)text, n, 50, &whole, NULL, NULL), ESAFETY_STATUS_OK);
    for (cut = 0; cut <= n; cut++) {
      esafety_scan_stream *stream = NULL;
      CHECK_STATUS(esafety_scan_stream_new(scanner, &stream), ESAFETY_STATUS_OK);
      CHECK_STATUS(esafety_scan_stream_feed(stream, (const uint8_t *)text, cut), ESAFETY_STATUS_OK);
      CHECK_STATUS(esafety_scan_stream_feed(stream, (const uint8_t *)text + cut, n - cut), ESAFETY_STATUS_OK);
      CHECK_STATUS(esafety_scan_stream_finish(stream, 50, &result, NULL, NULL), ESAFETY_STATUS_OK);
      CHECK(result.verdict == whole.verdict && result.score == whole.score);
    }
    CHECK(whole.score == 100 && whole.verdict == ESAFETY_VERDICT_BLOCK);
  }
  /* A stream freed without judging. */
  {
    esafety_scan_stream *stream = NULL;
    CHECK_STATUS(esafety_scan_stream_new(scanner, &stream), ESAFETY_STATUS_OK);
    CHECK_STATUS(esafety_scan_stream_feed(stream, (const uint8_t *)S("poker")), ESAFETY_STATUS_OK);
    esafety_scan_stream_free(stream);
    esafety_scan_stream_free(NULL);
  }

  /* Errors leave a block behind. */
  result.verdict = ESAFETY_VERDICT_ALLOW;
  CHECK_STATUS(esafety_scan(NULL, (const uint8_t *)S("x"), 50, &result, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);
  result.verdict = ESAFETY_VERDICT_ALLOW;
  CHECK_STATUS(esafety_scan(scanner, NULL, 0, 50, &result, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)S("x"), 50, NULL, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  result.verdict = ESAFETY_VERDICT_ALLOW;
  CHECK_STATUS(esafety_scan(scanner, (const uint8_t *)"x", ESAFETY_MAX_SCAN_LEN + 1, 50, &result, NULL, NULL), ESAFETY_STATUS_TOO_LARGE);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);
  result.verdict = ESAFETY_VERDICT_ALLOW;
  CHECK_STATUS(esafety_scan_stream_finish(NULL, 50, &result, NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK(result.verdict == ESAFETY_VERDICT_BLOCK);
  CHECK_STATUS(esafety_scan_stream_feed(NULL, (const uint8_t *)S("x")), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_scan_stream_new(NULL, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  esafety_scanner_free(scanner);
  esafety_scanner_free(NULL);

  scanner = (esafety_scanner *)1;
  CHECK_STATUS(esafety_scanner_new(paths, 0, &scanner), ESAFETY_STATUS_INVALID_PARAMETER);
  CHECK(scanner == NULL);
  CHECK_STATUS(esafety_scanner_new(NULL, 1, &scanner), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_STATUS(esafety_scanner_new(paths, 3, NULL), ESAFETY_STATUS_NULL_PARAMETER);
  {
    const char *missing[] = {weighted, NULL};
    CHECK_STATUS(esafety_scanner_new(missing, 2, &scanner), ESAFETY_STATUS_NULL_PARAMETER);
    missing[1] = "/nonexistent/weightedphraselist";
    CHECK_STATUS(esafety_scanner_new(missing, 2, &scanner), ESAFETY_STATUS_IO);
    CHECK_ERROR_MENTIONS("cannot read phrase list `/nonexistent/weightedphraselist`");
    missing[1] = timed;
    CHECK_STATUS(esafety_scanner_new(missing, 2, &scanner), ESAFETY_STATUS_INVALID_PHRASES);
    CHECK_ERROR_MENTIONS("weighted_timed:2: `#time:`");
    CHECK(scanner == NULL);
  }
}

/* Deciding with content: a policy's by-age content limit over the page
 * text and the URL's search terms, all decided by the core. */
static void test_decide_content(void) {
  static const char policy_text[] =
      "id = \"p\"\nage = { min = 4, max = 18 }\ndefault = \"allow\"\ncontent_limit = \"by-age\"\n";
  char weighted[4096];
  snprintf(weighted, sizeof weighted, "%s", fixture("phrases/weightedphraselist"));
  const char *paths[] = {weighted};
  esafety_scanner *scanner = NULL;
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = NULL;
  esafety_request r;
  char *json = NULL;
  size_t len = 0;
  CHECK_STATUS(esafety_scanner_new(paths, 1, &scanner), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_policy_from_text(S(policy_text), &policy), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_engine_new(bundle, policy, &engine), ESAFETY_STATUS_OK);

  /* Search terms: 30 + 30 is over a young child's 50. */
  r = request_for("https://www.google.com/search?q=poker+casino");
  r.age = 8;
  CHECK_STATUS(esafety_decide_content_json(engine, &r, scanner, NULL, 0, &json, &len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"content\"");
  CHECK_CONTAINS(json, "\"source\":\"search-terms\",\"score\":60,\"limit\":50,\"crossed\":true");
  CHECK(json != NULL && len == strlen(json));
  esafety_string_free(json);
  json = NULL;
  /* The same page text, for an older child: within 100. */
  r = request_for("https://www.bbc.co.uk/");
  r.age = 13;
  CHECK_STATUS(esafety_decide_content_json(engine, &r, scanner, (const uint8_t *)S("<p>poker and casino nights</p>"), &json, &len), ESAFETY_STATUS_OK);
  CHECK_CONTAINS(json, "\"action\":\"allow\"");
  CHECK_CONTAINS(json, "\"source\":\"page\",\"score\":60,\"limit\":100,\"crossed\":false");
  esafety_string_free(json);
  json = NULL;
  /* Errors: the core's fail-closed report. */
  CHECK_STATUS(esafety_decide_content_json(engine, &r, NULL, NULL, 0, &json, &len), ESAFETY_STATUS_NULL_PARAMETER);
  CHECK_CONTAINS(json, "\"action\":\"block\",\"rule\":\"error\"");
  esafety_string_free(json);
  json = NULL;
  CHECK_STATUS(esafety_decide_content_json(engine, &r, scanner, (const uint8_t *)"x", ESAFETY_MAX_SCAN_LEN + 1, &json, &len), ESAFETY_STATUS_TOO_LARGE);
  CHECK_CONTAINS(json, "\"rule\":\"error\"");
  esafety_string_free(json);
  json = NULL;
  r = request_for("javascript:1");
  CHECK_STATUS(esafety_decide_content_json(engine, &r, scanner, NULL, 0, &json, &len), ESAFETY_STATUS_INVALID_URL);
  CHECK_CONTAINS(json, "\"rule\":\"error\"");
  esafety_string_free(json);
  esafety_engine_free(engine);
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);
  esafety_scanner_free(scanner);
}

int main(void) {
  const char *dir = getenv("ESAFETY_FIXTURES");
  if (dir != NULL) fixtures = dir;
  test_version();
  test_status_names();
  test_last_error();
  test_canonicalize();
  test_bundle();
  test_limits();
  test_classify();
  test_categories();
  test_policy();
  test_engine();
  test_decide();
  test_request_size();
  test_record();
  test_incident();
  test_incident_with_limits();
  test_lint();
  test_scan();
  test_decide_content();
  esafety_string_free(NULL);
  return check_report("test_api");
}
