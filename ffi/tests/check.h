/* A tiny test harness for the libesafety C tests: CHECK(cond) and
 * CHECK_STATUS(call, expected) report file:line, the failed expression and
 * the library's last error, count failures and go on. */
#ifndef ESAFETY_TEST_CHECK_H
#define ESAFETY_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esafety.h"

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    check_count++;                                                           \
    if (!(cond)) {                                                           \
      check_failures++;                                                      \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,       \
              #cond);                                                        \
    }                                                                        \
  } while (0)

#define CHECK_STATUS(call, expected)                                         \
  do {                                                                       \
    esafety_status check_got_ = (call);                                      \
    check_count++;                                                           \
    if (check_got_ != (expected)) {                                          \
      check_failures++;                                                      \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (last error: %s)\n", \
              __FILE__, __LINE__, #call, esafety_status_name(check_got_),    \
              esafety_status_name(expected),                                 \
              esafety_last_error_message(NULL));                             \
    }                                                                        \
  } while (0)

/* The last error contains `needle`. */
#define CHECK_ERROR_MENTIONS(needle)                                         \
  do {                                                                       \
    const char *check_msg_ = esafety_last_error_message(NULL);               \
    check_count++;                                                           \
    if (strstr(check_msg_, (needle)) == NULL) {                              \
      check_failures++;                                                      \
      fprintf(stderr, "%s:%d: last error `%s` does not mention `%s`\n",      \
              __FILE__, __LINE__, check_msg_, (needle));                     \
    }                                                                        \
  } while (0)

/* `haystack` (NUL-terminated) contains `needle`. */
#define CHECK_CONTAINS(haystack, needle)                                     \
  do {                                                                       \
    const char *check_h_ = (haystack);                                       \
    check_count++;                                                           \
    if (check_h_ == NULL || strstr(check_h_, (needle)) == NULL) {            \
      check_failures++;                                                      \
      fprintf(stderr, "%s:%d: `%s` does not contain `%s`\n", __FILE__,       \
              __LINE__, check_h_ ? check_h_ : "(null)", (needle));           \
    }                                                                        \
  } while (0)

static inline int check_report(const char *name) {
  if (check_failures) {
    fprintf(stderr, "%s: %d of %d checks FAILED\n", name, check_failures,
            check_count);
    return 1;
  }
  printf("%s: %d checks passed\n", name, check_count);
  return 0;
}

/* Reads a whole file; NULL on failure. */
static inline char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  buf = (char *)malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return NULL;
  }
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

#endif
