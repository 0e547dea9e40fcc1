// esafety.h from C++: the header compiles as C++11 with -Wall -Wextra
// -Werror -Wpedantic, its extern "C" guards give C linkage, and the API
// works from a C++ program (RAII wrappers, std::string).
#include <esafety.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

struct EngineDeleter {
  void operator()(esafety_engine *e) const { esafety_engine_free(e); }
};
struct StringDeleter {
  void operator()(char *s) const { esafety_string_free(s); }
};
using Engine = std::unique_ptr<esafety_engine, EngineDeleter>;
using String = std::unique_ptr<char, StringDeleter>;

int failures = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    ++failures;
    std::fprintf(stderr, "test_cpp: FAILED: %s (last error: %s)\n", what,
                 esafety_last_error_message(nullptr));
  }
}

}  // namespace

int main() {
  // C linkage: the functions are reachable through plain function pointers.
  const char *(*version)(void) = &esafety_version;
  check(std::string(version()) ==
            std::to_string(ESAFETY_VERSION_MAJOR) + "." +
                std::to_string(ESAFETY_VERSION_MINOR) + "." +
                std::to_string(ESAFETY_VERSION_PATCH),
        "version");

  esafety_bundle *bundle = nullptr;
  check(esafety_bundle_sample(&bundle) == ESAFETY_STATUS_OK, "sample bundle");
  const std::string policy_text =
      "id = \"cpp\"\ndefault = \"allow\"\n[[rules]]\nid = \"no-gambling\"\n"
      "action = \"block\"\ncategories = [\"gambling\"]\n";
  esafety_policy *policy = nullptr;
  check(esafety_policy_from_text(policy_text.data(), policy_text.size(), &policy) ==
            ESAFETY_STATUS_OK,
        "policy");
  esafety_engine *raw = nullptr;
  check(esafety_engine_new(bundle, policy, &raw) == ESAFETY_STATUS_OK, "engine");
  Engine engine(raw);
  esafety_bundle_free(bundle);
  esafety_policy_free(policy);

  const std::string url = "https://www.williamhill.com/";
  // The init macro in C++ (-Wextra -Wmissing-field-initializers -Werror).
  esafety_request request = ESAFETY_REQUEST_INIT;
  request.url = url.data();
  request.url_len = url.size();
  request.age = -1;
  request.device = ESAFETY_DEVICE_MANAGED;
  request.time = 1772445600;
  esafety_decision decision;
  check(esafety_decide(engine.get(), &request, &decision) == ESAFETY_STATUS_OK, "decide");
  check(decision.action == ESAFETY_ACTION_BLOCK, "action");
  check(std::string(decision.rule, decision.rule_len) == "no-gambling", "rule");
  check((decision.categories & ESAFETY_CATEGORY_GAMBLING) != 0, "category bit");

  char *json = nullptr;
  size_t len = 0;
  check(esafety_decide_json(engine.get(), &request, &json, &len) == ESAFETY_STATUS_OK,
        "decide_json");
  String owned(json);
  check(std::string(owned.get(), len).find("\"rule\":\"no-gambling\"") != std::string::npos,
        "json");

  check(esafety_decide(nullptr, &request, &decision) == ESAFETY_STATUS_NULL_PARAMETER,
        "null engine");
  check(std::string(esafety_status_name(ESAFETY_STATUS_NULL_PARAMETER)) ==
            "ESAFETY_STATUS_NULL_PARAMETER",
        "status name");

  if (failures) return 1;
  std::printf("test_cpp: C++ header and API checks passed\n");
  return 0;
}
