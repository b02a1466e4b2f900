// The six dynlib entry points. Each is a firewall: it catches every exception,
// logs it and takes a defined path (init fails cleanly; operate passes the query
// on), so nothing thrown in Pangea can unwind into Unbound's C code.

#include "unbound_api.h"

#include <exception>

#include "pangea/version.h"

namespace {

void log_exception(const char* where) noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    log_err("pangea: %s: %s", where, e.what());
  } catch (...) {
    log_err("pangea: %s: unknown exception", where);
  }
}

void pass_on(module_qstate* qstate, module_ev event, int id) {
  if (event == module_event_new || event == module_event_pass) {
    qstate->ext_state[id] = module_wait_module;
  } else if (event == module_event_moddone) {
    qstate->ext_state[id] = module_finished;
  } else {
    qstate->ext_state[id] = module_error;
  }
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int init(module_env* env, int id) noexcept {
  try {
    (void)env;
    log_info("pangea: module %s initialised (instance %d)", pangea::kVersion, id);
    return 1;
  } catch (...) {
    log_exception("init");
    return 0;
  }
}

__attribute__((visibility("default"))) void deinit(module_env* env, int id) noexcept {
  try {
    (void)env;
    log_info("pangea: module instance %d stopped", id);
  } catch (...) {
    log_exception("deinit");
  }
}

__attribute__((visibility("default"))) void operate(module_qstate* qstate, module_ev event, int id,
                                                    outbound_entry* entry) noexcept {
  (void)entry;
  try {
    pass_on(qstate, event, id);
  } catch (...) {
    log_exception("operate");
    qstate->ext_state[id] = module_error;
  }
}

__attribute__((visibility("default"))) void inform_super(module_qstate* qstate, int id,
                                                         module_qstate* super) noexcept {
  (void)qstate;
  (void)id;
  (void)super;
}

__attribute__((visibility("default"))) void clear(module_qstate* qstate, int id) noexcept {
  (void)qstate;
  (void)id;
}

__attribute__((visibility("default"))) size_t get_mem(module_env* env, int id) noexcept {
  (void)env;
  (void)id;
  return 0;
}

}  // extern "C"
