/*
 * esafety-filter: the shape of a real filter's integration with libesafety.
 *
 * Reads one URL per line on stdin and prints one decision per line:
 *
 *   <action> TAB <rule> TAB <categories as hex bits> TAB <url>
 *
 * or, with --json, the JSON line `esafety check --json` prints. A line that
 * is not a URL is blocked (fail closed: the library's decision for an error
 * is `block` with rule `error`), its reason goes to stderr, and the filter
 * goes on. Exit status: 0, or 2 for bad usage or a policy/bundle that does not
 * load (with one line on stderr).
 *
 *   esafety-filter --policy FILE [--bundle FILE] [--group G] [--age N]
 *                  [--device managed|byod] [--at UNIX_SECONDS|RFC3339] [--json]
 *
 * Without --bundle it uses the sample bundle built into the library; without
 * --at it uses the current time.
 *
 * Build: cc esafety-filter.c $(pkg-config --cflags --libs esafety)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <esafety.h>

static int fail(const char *what) {
  fprintf(stderr, "esafety-filter: %s: %s\n", what,
          esafety_last_error_message(NULL));
  return 2;
}

static int usage(const char *why) {
  fprintf(stderr,
          "esafety-filter: %s\nusage: esafety-filter --policy FILE [--bundle FILE] "
          "[--group G] [--age N] [--device managed|byod] [--at UNIX|RFC3339] [--json]\n",
          why);
  return 2;
}

int main(int argc, char **argv) {
  const char *policy_path = NULL, *bundle_path = NULL, *group = NULL,
             *at = NULL;
  int json = 0, i;
  long age = -1;
  uint32_t device = ESAFETY_DEVICE_UNKNOWN;
  esafety_bundle *bundle = NULL;
  esafety_policy *policy = NULL;
  esafety_engine *engine = NULL;
  esafety_request request;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int status;

  for (i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(arg, "--json") == 0) {
      json = 1;
      continue;
    }
    if (value == NULL) return usage("an option is missing its value");
    if (strcmp(arg, "--policy") == 0) {
      policy_path = value;
    } else if (strcmp(arg, "--bundle") == 0) {
      bundle_path = value;
    } else if (strcmp(arg, "--group") == 0) {
      group = value;
    } else if (strcmp(arg, "--age") == 0) {
      char *end;
      errno = 0;
      age = strtol(value, &end, 10);
      if (errno || *end || age < 0 || age > 255) return usage("--age takes 0 to 255");
    } else if (strcmp(arg, "--device") == 0) {
      if (strcmp(value, "managed") == 0) {
        device = ESAFETY_DEVICE_MANAGED;
      } else if (strcmp(value, "byod") == 0) {
        device = ESAFETY_DEVICE_BYOD;
      } else {
        return usage("--device takes managed or byod");
      }
    } else if (strcmp(arg, "--at") == 0) {
      at = value;
    } else {
      return usage("unknown option");
    }
    i++;
  }
  if (policy_path == NULL) return usage("--policy is required");

  /* Load once at start-up; a real filter reloads by building a new engine
   * and swapping the pointer its worker threads read. */
  if (bundle_path != NULL) {
    if (esafety_bundle_from_file(bundle_path, &bundle) != ESAFETY_STATUS_OK)
      return fail(bundle_path);
  } else if (esafety_bundle_sample(&bundle) != ESAFETY_STATUS_OK) {
    return fail("sample bundle");
  }
  if (esafety_policy_from_file(policy_path, &policy) != ESAFETY_STATUS_OK) {
    esafety_bundle_free(bundle);
    return fail(policy_path);
  }
  status = esafety_engine_new(bundle, policy, &engine);
  /* The engine holds its own references: the parts can go now. */
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);
  if (status != ESAFETY_STATUS_OK) return fail("engine");

  if (esafety_request_init(&request) != ESAFETY_STATUS_OK) return fail("request");
  request.group = group;
  request.group_len = group ? strlen(group) : 0;
  request.age = (int32_t)age;
  request.device = device;
  request.time = (int64_t)time(NULL);
  if (at != NULL) {
    char *end;
    long long seconds;
    errno = 0;
    seconds = strtoll(at, &end, 10);
    if (!errno && *end == '\0' && end != at) {
      request.time = (int64_t)seconds;
    } else {
      request.time_rfc3339 = at;
      request.time_rfc3339_len = strlen(at);
    }
  }

  while ((n = getline(&line, &cap, stdin)) != -1) {
    size_t len = (size_t)n;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (len == 0) continue;
    request.url = line;
    request.url_len = len;
    /* Fail closed: whatever the status, the library has written a decision
     * (on an error, its block with rule `error`), and it is what the filter
     * enforces. The status says why; it goes to stderr. */
    if (json) {
      char *text = NULL;
      size_t text_len = 0;
      status = esafety_decide_json(engine, &request, &text, &text_len);
      if (text != NULL) {
        fwrite(text, 1, text_len, stdout);
        fputc('\n', stdout);
        esafety_string_free(text);
      }
    } else {
      esafety_decision decision;
      status = esafety_decide(engine, &request, &decision);
      printf("%s\t%.*s\t%016llx\t%.*s\n", esafety_action_name(decision.action),
             (int)decision.rule_len, decision.rule,
             (unsigned long long)decision.categories, (int)len, line);
    }
    if (status == ESAFETY_STATUS_INVALID_REQUEST) {
      /* The context (--at) is wrong for every line: stop. */
      free(line);
      esafety_engine_free(engine);
      return fail("request");
    }
    if (status != ESAFETY_STATUS_OK)
      fprintf(stderr, "esafety-filter: blocked `%.*s`: %s\n", (int)len, line,
              esafety_last_error_message(NULL));
  }
  free(line);
  esafety_engine_free(engine);
  return 0;
}
