/* One engine and one bundle, used by 8 threads at once: every thread must
 * get exactly the answers a single thread got, and its own last error.
 * Run from the repository root or with ESAFETY_FIXTURES set. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define THREADS 8
static int ROUNDS = 200; /* ESAFETY_THREAD_ROUNDS overrides (valgrind runs fewer) */

static const char *const URLS[] = {
    "http://www.pornhub.com/",
    "https://www.roblox.com/games",
    "https://facebook.com/",
    "https://discord.com/channels",
    "http://iwf-test.esafety.invalid/abuse/page-1.html",
    "http://terror-test.esafety.invalid/propaganda/video-1.html",
    "https://www.bet365.com/",
    "example.org",
    "HTTP://WWW.YOUTUBE.COM./watch?v=1",
    "javascript:alert(1)",
    "http://3279880203/",
    "",
};
#define NURLS (sizeof URLS / sizeof URLS[0])

struct expected {
  esafety_status status;
  esafety_decision decision;
  esafety_classification classification;
  char *json;
};

static esafety_engine *engine;
static esafety_bundle *bundle;
static struct expected expected[NURLS];

static esafety_request request_for(const char *url, int i) {
  esafety_request r = ESAFETY_REQUEST_INIT;
  r.url = url;
  r.url_len = strlen(url);
  r.age = (i % 3 == 0) ? 17 : -1;
  r.device = (uint32_t)(i % 3);
  r.time = INT64_C(1772445600);
  if (i % 2) {
    r.group = "staff";
    r.group_len = 5;
  }
  return r;
}

static int same_decision(const esafety_decision *a, const esafety_decision *b) {
  return a->action == b->action && a->log == b->log && a->review == b->review &&
         a->categories == b->categories && a->rule_len == b->rule_len &&
         (a->rule == b->rule || (a->rule && b->rule && strcmp(a->rule, b->rule) == 0));
}

struct result {
  int mismatches;
  int error_mixups;
};

static void *worker(void *arg) {
  struct result *res = (struct result *)arg;
  int round;
  size_t k;
  char own_error[64];
  for (round = 0; round < ROUNDS; round++) {
    for (k = 0; k < NURLS; k++) {
      size_t i = (k + (size_t)round) % NURLS;
      esafety_request r = request_for(URLS[i], (int)i);
      esafety_decision d;
      esafety_classification c;
      char *json = NULL;
      esafety_status st = esafety_decide(engine, &r, &d);
      if (st != expected[i].status ||
          (st == ESAFETY_STATUS_OK && !same_decision(&d, &expected[i].decision)))
        res->mismatches++;
      st = esafety_decide_json(engine, &r, &json, NULL);
      if (st != expected[i].status ||
          (st == ESAFETY_STATUS_OK && strcmp(json, expected[i].json) != 0))
        res->mismatches++;
      esafety_string_free(json);
      st = esafety_classify(bundle, r.url, r.url_len, &c);
      if (st == ESAFETY_STATUS_OK &&
          (c.categories != expected[i].classification.categories ||
           c.match_count != expected[i].classification.match_count))
        res->mismatches++;
    }
    /* The last error is per thread: make a distinctive one and read it back
     * after the other threads have had time to make theirs. */
    {
      esafety_request r = request_for("example.org", 0);
      snprintf(own_error, sizeof own_error, "`age` is %d;", 1000 + round);
      r.age = 1000 + round;
      if (esafety_decide(engine, &r, NULL) != ESAFETY_STATUS_NULL_PARAMETER) res->mismatches++;
      {
        esafety_decision d;
        if (esafety_decide(engine, &r, &d) != ESAFETY_STATUS_OK) { /* checked by what it wrote */ }
      }
      if (strstr(esafety_last_error_message(NULL), own_error) == NULL) res->error_mixups++;
    }
  }
  return NULL;
}

int main(void) {
  const char *dir = getenv("ESAFETY_FIXTURES");
  char path[4096];
  esafety_policy *policy = NULL;
  pthread_t threads[THREADS];
  struct result results[THREADS];
  size_t i;
  int t;

  if (getenv("ESAFETY_THREAD_ROUNDS") != NULL) ROUNDS = atoi(getenv("ESAFETY_THREAD_ROUNDS"));
  snprintf(path, sizeof path, "%s/policy.toml", dir ? dir : "ffi/tests/fixtures");
  CHECK_STATUS(esafety_bundle_sample(&bundle), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_policy_from_file(path, &policy), ESAFETY_STATUS_OK);
  CHECK_STATUS(esafety_engine_new(bundle, policy, &engine), ESAFETY_STATUS_OK);
  esafety_policy_free(policy);
  if (engine == NULL) return check_report("test_threads");

  for (i = 0; i < NURLS; i++) {
    esafety_request r = request_for(URLS[i], (int)i);
    expected[i].status = esafety_decide(engine, &r, &expected[i].decision);
    CHECK(esafety_decide_json(engine, &r, &expected[i].json, NULL) == expected[i].status);
    if (esafety_classify(bundle, r.url, r.url_len, &expected[i].classification) != ESAFETY_STATUS_OK) { /* checked by what it wrote */ }
  }
  CHECK(expected[0].decision.action == ESAFETY_ACTION_BLOCK);
  CHECK(expected[4].decision.action == ESAFETY_ACTION_BLOCK);
  CHECK(expected[5].decision.categories == ESAFETY_CATEGORY_TERRORISM);
  CHECK(expected[9].status == ESAFETY_STATUS_INVALID_URL);

  memset(results, 0, sizeof results);
  for (t = 0; t < THREADS; t++)
    CHECK(pthread_create(&threads[t], NULL, worker, &results[t]) == 0);
  for (t = 0; t < THREADS; t++) {
    CHECK(pthread_join(threads[t], NULL) == 0);
    CHECK(results[t].mismatches == 0);
    CHECK(results[t].error_mixups == 0);
    if (results[t].mismatches || results[t].error_mixups)
      fprintf(stderr, "thread %d: %d mismatches, %d last-error mix-ups\n", t,
              results[t].mismatches, results[t].error_mixups);
  }
  for (i = 0; i < NURLS; i++) esafety_string_free(expected[i].json);
  esafety_engine_free(engine);
  esafety_bundle_free(bundle);
  printf("test_threads: %d threads x %d rounds x %d URLs on one engine\n", THREADS,
         ROUNDS, (int)NURLS);
  return check_report("test_threads");
}
