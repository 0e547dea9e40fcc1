/* Compiled by scripts/suites/ffi.sh with -Werror: ignoring the status of a
 * status-returning function must not compile (esafety.h marks each one
 * ESAFETY_MUST_USE, warn_unused_result), and using it must (-DUSE_STATUS,
 * the control). Never run. */
#include <esafety.h>

int decide_ignoring_status(const esafety_engine *engine, const esafety_request *r,
                           esafety_decision *d);

int decide_ignoring_status(const esafety_engine *engine, const esafety_request *r,
                           esafety_decision *d) {
#ifdef USE_STATUS
  return esafety_decide(engine, r, d) == ESAFETY_STATUS_OK;
#else
  esafety_decide(engine, r, d);
  return d->action == ESAFETY_ACTION_ALLOW;
#endif
}
