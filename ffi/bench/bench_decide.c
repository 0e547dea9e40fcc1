/*
 * Decisions per second through the C API, from a real C program: reads a
 * URL stream (one per line), loads a bundle and a policy, and times
 * esafety_decide over the whole stream several times.
 *
 *   bench_decide URLS POLICY [BUNDLE [PASSES]]
 *
 * BUNDLE `-` (or absent) is the built-in sample bundle. The Rust-vs-C
 * comparison in one run is benches/benches/ffi_vs_rust.rs; it writes the
 * bundle it uses to target/ffi-bench.esb so this program can be run on the
 * same bundle:
 *
 *   bench_decide ../shared/data/peer-lists/top500-sitelist.txt \
 *                policies/secondary-pupils.toml target/ffi-bench.esb 20
 *
 * The context matches the Rust bench: group `pupils`, age 14, a managed
 * device, 2026-03-02T10:00:00Z.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <esafety.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what) {
  fprintf(stderr, "bench_decide: %s: %s\n", what, esafety_last_error_message(NULL));
  return 2;
}

int main(int argc, char **argv) {
  FILE *in;
  char **urls = NULL;
  size_t *lens = NULL, n = 0, cap = 0, i, blocked = 0, invalid = 0;
  char *line = NULL;
  size_t line_cap = 0;
  ssize_t got;
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = NULL;
  esafety_request r = ESAFETY_REQUEST_INIT;
  esafety_decision d;
  int passes = argc > 4 ? atoi(argv[4]) : 10, p;
  double best = 0;

  if (argc < 3) {
    fprintf(stderr, "usage: bench_decide URLS POLICY [BUNDLE [PASSES]]\n");
    return 2;
  }
  in = fopen(argv[1], "r");
  if (in == NULL) {
    perror(argv[1]);
    return 2;
  }
  while ((got = getline(&line, &line_cap, in)) != -1) {
    size_t len = (size_t)got;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (len == 0) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      urls = (char **)realloc(urls, cap * sizeof *urls);
      lens = (size_t *)realloc(lens, cap * sizeof *lens);
    }
    urls[n] = (char *)malloc(len);
    memcpy(urls[n], line, len);
    lens[n] = len;
    n++;
  }
  free(line);
  fclose(in);

  if (argc > 3 && strcmp(argv[3], "-") != 0) {
    if (esafety_bundle_from_file(argv[3], &bundle) != ESAFETY_STATUS_OK) return fail(argv[3]);
  } else if (esafety_bundle_sample(&bundle) != ESAFETY_STATUS_OK) {
    return fail("sample bundle");
  }
  if (esafety_policy_from_file(argv[2], &policy) != ESAFETY_STATUS_OK) return fail(argv[2]);
  if (esafety_engine_new(bundle, policy, &engine) != ESAFETY_STATUS_OK) return fail("engine");
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);

  r.group = "pupils";
  r.group_len = 6;
  r.age = 14;
  r.device = ESAFETY_DEVICE_MANAGED;
  r.time = INT64_C(1772445600); /* 2026-03-02T10:00:00Z, as time(NULL) gives it */

  for (i = 0; i < n; i++) {
    r.url = urls[i];
    r.url_len = lens[i];
    if (esafety_decide(engine, &r, &d) != ESAFETY_STATUS_OK)
      invalid++;
    else if (d.action == ESAFETY_ACTION_BLOCK)
      blocked++;
  }
  for (p = 0; p < passes; p++) {
    double t = now(), rate;
    for (i = 0; i < n; i++) {
      r.url = urls[i];
      r.url_len = lens[i];
      if (esafety_decide(engine, &r, &d) != ESAFETY_STATUS_OK) { /* checked by what it wrote */ }
    }
    rate = (double)n / (now() - t);
    if (rate > best) best = rate;
  }
  printf("bench_decide: libesafety %s, %lu urls (%lu blocked, %lu not URLs), best of %d passes: %.0f decisions/s (%.0f ns/decision)\n",
         esafety_version(), (unsigned long)n, (unsigned long)blocked,
         (unsigned long)invalid, passes, best, best > 0 ? 1e9 / best : 0.0);
  esafety_engine_free(engine);
  for (i = 0; i < n; i++) free(urls[i]);
  free(urls);
  free(lens);
  return 0;
}
