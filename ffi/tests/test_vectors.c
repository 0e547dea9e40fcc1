/* The shared test vectors (tests/vectors/ TOML files) through the C API: every
 * case must give the same answer as in Rust, the CLI and node.
 *
 *   python3 ffi/tests/vectors_to_tsv.py tests/vectors > vectors.tsv
 *   test_vectors vectors.tsv            (from the repository root, or with
 *                                        ESAFETY_ROOT set to it)
 *
 * ESAFETY_VECTOR=<substring> runs only the cases whose name contains it.
 * Every failing case is reported by name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MAX_FIELDS 16

struct field {
  char *data; /* NUL-terminated copy; may contain NULs before `len` */
  size_t len;
  int absent; /* the TSV field was `-` */
};

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static int decode(const char *text, size_t n, struct field *out) {
  size_t i;
  out->absent = 0;
  out->len = 0;
  out->data = (char *)malloc(n / 2 + 1);
  if (out->data == NULL) return -1;
  if (n == 1 && text[0] == '-') {
    out->absent = 1;
  } else if (!(n == 1 && text[0] == '=')) {
    if (n % 2) return -1;
    for (i = 0; i < n; i += 2) {
      int hi = hexval(text[i]), lo = hexval(text[i + 1]);
      if (hi < 0 || lo < 0) return -1;
      out->data[out->len++] = (char)(hi * 16 + lo);
    }
  }
  out->data[out->len] = '\0';
  return 0;
}

static const struct {
  const char *id;
  uint64_t bit;
} CATEGORIES[] = {
    {"child-abuse", ESAFETY_CATEGORY_CHILD_ABUSE},
    {"terrorism", ESAFETY_CATEGORY_TERRORISM},
    {"discrimination", ESAFETY_CATEGORY_DISCRIMINATION},
    {"drugs", ESAFETY_CATEGORY_DRUGS},
    {"extremism", ESAFETY_CATEGORY_EXTREMISM},
    {"gambling", ESAFETY_CATEGORY_GAMBLING},
    {"malware-hacking", ESAFETY_CATEGORY_MALWARE_HACKING},
    {"pornography", ESAFETY_CATEGORY_PORNOGRAPHY},
    {"piracy", ESAFETY_CATEGORY_PIRACY},
    {"self-harm", ESAFETY_CATEGORY_SELF_HARM},
    {"violence", ESAFETY_CATEGORY_VIOLENCE},
    {"circumvention", ESAFETY_CATEGORY_CIRCUMVENTION},
    {"weapons", ESAFETY_CATEGORY_WEAPONS},
    {"adult", ESAFETY_CATEGORY_ADULT},
    {"social-networking", ESAFETY_CATEGORY_SOCIAL_NETWORKING},
    {"chat", ESAFETY_CATEGORY_CHAT},
    {"webmail", ESAFETY_CATEGORY_WEBMAIL},
    {"gaming", ESAFETY_CATEGORY_GAMING},
    {"streaming", ESAFETY_CATEGORY_STREAMING},
    {"dating", ESAFETY_CATEGORY_DATING},
    {"file-sharing", ESAFETY_CATEGORY_FILE_SHARING},
    {"search", ESAFETY_CATEGORY_SEARCH},
};

/* The bits of `\n`-separated category ids; 0 with *ok = 0 for an unknown id. */
static uint64_t bits_of(const char *ids, int *ok) {
  uint64_t bits = 0;
  const char *p = ids;
  *ok = 1;
  while (*p) {
    size_t n = strcspn(p, "\n"), i;
    int found = 0;
    for (i = 0; i < sizeof CATEGORIES / sizeof CATEGORIES[0]; i++) {
      if (strlen(CATEGORIES[i].id) == n && strncmp(CATEGORIES[i].id, p, n) == 0) {
        bits |= CATEGORIES[i].bit;
        found = 1;
      }
    }
    if (!found) *ok = 0; /* a local- category: no macro; the JSON still checks it */
    p += n;
    if (*p == '\n') p++;
  }
  return bits;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted, distinct `"list":"..."` values of a classify JSON report,
 * `\n`-joined, in `out`. */
static void lists_of(const char *json, char *out, size_t cap) {
  char *names[256];
  size_t n = 0, i;
  const char *p = json;
  out[0] = '\0';
  while ((p = strstr(p, "\"list\":\"")) != NULL && n < 256) {
    size_t len;
    p += 8;
    len = strcspn(p, "\"");
    names[n] = (char *)malloc(len + 1);
    memcpy(names[n], p, len);
    names[n][len] = '\0';
    n++;
    p += len;
  }
  qsort(names, n, sizeof names[0], cmp_str);
  for (i = 0; i < n; i++) {
    if (i > 0 && strcmp(names[i], names[i - 1]) == 0) continue;
    if (out[0] != '\0') strncat(out, "\n", cap - strlen(out) - 1);
    strncat(out, names[i], cap - strlen(out) - 1);
  }
  for (i = 0; i < n; i++) free(names[i]);
}

static int failed_cases = 0, run_cases = 0;

static void fail_case(const char *kind, const char *name, const char *what,
                      const char *got, const char *want) {
  failed_cases++;
  fprintf(stderr, "vector %s/%s: %s: got `%s`, want `%s`\n", kind, name, what,
          got ? got : "(null)", want ? want : "(null)");
}

static void run_canonicalize(struct field *f) {
  const char *name = f[1].data;
  char *out = NULL, *json = NULL;
  esafety_status st = esafety_canonicalize(f[2].data, f[2].len, &out, NULL);
  if (f[3].absent) {
    if (st != ESAFETY_STATUS_INVALID_URL && st != ESAFETY_STATUS_TOO_LARGE)
      fail_case("canonicalize", name, "status", esafety_status_name(st), "an error");
  } else if (st != ESAFETY_STATUS_OK) {
    fail_case("canonicalize", name, "status", esafety_last_error_message(NULL), f[3].data);
  } else {
    if (strcmp(out, f[3].data) != 0) fail_case("canonicalize", name, "canonical", out, f[3].data);
    if (!f[4].absent) {
      char want[8192];
      st = esafety_canonicalize_json(f[2].data, f[2].len, &json, NULL);
      snprintf(want, sizeof want, "\"expressions\":%s}", f[4].data);
      if (st != ESAFETY_STATUS_OK || strstr(json, want) == NULL)
        fail_case("canonicalize", name, "expressions", json, want);
    }
  }
  esafety_string_free(out);
  esafety_string_free(json);
}

static void run_classify(esafety_bundle *bundle, struct field *f) {
  const char *name = f[1].data;
  esafety_classification c;
  char *json = NULL;
  char want[4096], lists[4096];
  int ok;
  uint64_t bits = bits_of(f[3].data, &ok);
  esafety_status st = esafety_classify(bundle, f[2].data, f[2].len, &c);
  if (st != ESAFETY_STATUS_OK) {
    fail_case("classify", name, "status", esafety_last_error_message(NULL), "OK");
    return;
  }
  if (ok && c.categories != bits) {
    char got[32], exp[32];
    snprintf(got, sizeof got, "%016llx", (unsigned long long)c.categories);
    snprintf(exp, sizeof exp, "%016llx", (unsigned long long)bits);
    fail_case("classify", name, "category bits", got, exp);
  }
  st = esafety_classify_json(bundle, f[2].data, f[2].len, &json, NULL);
  snprintf(want, sizeof want, "\"categories\":%s,\"matches\":", f[4].data);
  if (st != ESAFETY_STATUS_OK || strstr(json, want) == NULL) {
    fail_case("classify", name, "categories", json, want);
  } else {
    lists_of(json, lists, sizeof lists);
    if (strcmp(lists, f[5].data) != 0) fail_case("classify", name, "lists", lists, f[5].data);
  }
  esafety_string_free(json);
}

#define MAX_ENGINES 32
static struct {
  char *policy;
  esafety_engine *engine;
} engines[MAX_ENGINES];
static size_t n_engines = 0;

static esafety_engine *engine_for(esafety_bundle *bundle, const char *root, const char *policy) {
  size_t i;
  char path[4096];
  esafety_policy *p = NULL;
  esafety_engine *e = NULL;
  for (i = 0; i < n_engines; i++)
    if (strcmp(engines[i].policy, policy) == 0) return engines[i].engine;
  snprintf(path, sizeof path, "%s/%s", root, policy);
  if (esafety_policy_from_file(path, &p) == ESAFETY_STATUS_OK) {
    if (esafety_engine_new(bundle, p, &e) != ESAFETY_STATUS_OK) { /* checked by what it wrote */ }
    esafety_policy_free(p);
  } else {
    fprintf(stderr, "vector: policy %s: %s\n", path, esafety_last_error_message(NULL));
  }
  if (n_engines < MAX_ENGINES) {
    engines[n_engines].policy = (char *)malloc(strlen(policy) + 1);
    strcpy(engines[n_engines].policy, policy);
    engines[n_engines].engine = e;
    n_engines++;
  }
  return e;
}

static void run_decide(esafety_bundle *bundle, const char *root, struct field *f) {
  const char *name = f[1].data;
  esafety_engine *engine = engine_for(bundle, root, f[2].data);
  esafety_request r = ESAFETY_REQUEST_INIT;
  esafety_decision d;
  esafety_status st;
  char *json = NULL;
  char want[4096];
  int ok;
  uint64_t bits = bits_of(f[10].data, &ok);

  if (engine == NULL) {
    fail_case("decide", name, "policy", "does not load", f[2].data);
    return;
  }
  r.url = f[3].data;
  r.url_len = f[3].len;
  if (!f[4].absent) {
    r.group = f[4].data;
    r.group_len = f[4].len;
  }
  r.age = f[5].absent ? -1 : atoi(f[5].data);
  r.device = f[6].absent ? ESAFETY_DEVICE_UNKNOWN
             : strcmp(f[6].data, "managed") == 0 ? ESAFETY_DEVICE_MANAGED
             : strcmp(f[6].data, "byod") == 0   ? ESAFETY_DEVICE_BYOD
                                                 : 99;
  r.time_rfc3339 = f[7].data;
  r.time_rfc3339_len = f[7].len;
  st = esafety_decide(engine, &r, &d);
  if (st != ESAFETY_STATUS_OK) {
    fail_case("decide", name, "status", esafety_last_error_message(NULL), "OK");
    return;
  }
  if (strcmp(esafety_action_name(d.action), f[8].data) != 0)
    fail_case("decide", name, "action", esafety_action_name(d.action), f[8].data);
  if (d.rule == NULL || strcmp(d.rule, f[9].data) != 0 || d.rule_len != f[9].len)
    fail_case("decide", name, "rule", d.rule, f[9].data);
  if (ok && d.categories != bits) fail_case("decide", name, "category bits", "different", f[10].data);
  st = esafety_decide_json(engine, &r, &json, NULL);
  snprintf(want, sizeof want, "\"action\":\"%s\",\"rule\":\"%s\",\"categories\":%s,", f[8].data,
           f[9].data, f[11].data);
  if (st != ESAFETY_STATUS_OK || strstr(json, want) == NULL)
    fail_case("decide", name, "json", json, want);
  esafety_string_free(json);
}

int main(int argc, char **argv) {
  const char *root = getenv("ESAFETY_ROOT");
  const char *only = getenv("ESAFETY_VECTOR");
  FILE *in;
  char *line = NULL;
  size_t cap = 0, i;
  long n;
  esafety_bundle *bundle = NULL;
  int counts[3] = {0, 0, 0};

  if (argc != 2) {
    fprintf(stderr, "usage: test_vectors VECTORS.tsv\n");
    return 2;
  }
  if (root == NULL) root = ".";
  in = fopen(argv[1], "r");
  if (in == NULL) {
    perror(argv[1]);
    return 2;
  }
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  while ((n = (long)getline(&line, &cap, in)) > 0) {
    struct field f[MAX_FIELDS];
    size_t nf = 0;
    char *p = line;
    if (line[n - 1] == '\n') line[--n] = '\0';
    while (nf < MAX_FIELDS) {
      size_t len = strcspn(p, "\t");
      if (nf == 0) { /* the kind is plain text */
        f[0].data = (char *)malloc(len + 1);
        memcpy(f[0].data, p, len);
        f[0].data[len] = '\0';
        f[0].len = len;
        f[0].absent = 0;
      } else if (decode(p, len, &f[nf]) != 0) {
        fprintf(stderr, "bad vector line: %s\n", line);
        return 2;
      }
      nf++;
      if (p[len] == '\0') break;
      p += len + 1;
    }
    if (nf < 2 || (only != NULL && strstr(f[1].data, only) == NULL)) {
      for (i = 0; i < nf; i++) free(f[i].data);
      continue;
    }
    run_cases++;
    if (strcmp(f[0].data, "canonicalize") == 0 && nf == 5) {
      run_canonicalize(f);
      counts[0]++;
    } else if (strcmp(f[0].data, "classify") == 0 && nf == 6) {
      run_classify(bundle, f);
      counts[1]++;
    } else if (strcmp(f[0].data, "decide") == 0 && nf == 12) {
      run_decide(bundle, root, f);
      counts[2]++;
    } else {
      fprintf(stderr, "bad vector line (%d fields): %s\n", (int)nf, f[0].data);
      return 2;
    }
    for (i = 0; i < nf; i++) free(f[i].data);
  }
  free(line);
  fclose(in);
  for (i = 0; i < n_engines; i++) {
    esafety_engine_free(engines[i].engine);
    free(engines[i].policy);
  }
  esafety_bundle_free(bundle);
  printf("test_vectors: %d canonicalize, %d classify, %d decide cases\n", counts[0],
         counts[1], counts[2]);
  CHECK(run_cases > 0);
  CHECK(failed_cases == 0);
  if (failed_cases) fprintf(stderr, "test_vectors: %d of %d cases FAILED\n", failed_cases, run_cases);
  return check_report("test_vectors");
}
