#pragma once
// Registering an inplace callback from a dynlib module. Unbound only calls
// callbacks it knows (a whitelist), so dynlibmod registers its own trampoline
// for the type and calls ours from it; `arg` comes back as the callback's last
// argument. Call from init / deinit.

#include "unbound_api.h"

namespace pangea::unbound {

inline bool register_inplace_callback(module_env* env, int id, inplace_cb_list_type type,
                                      void* callback, void* arg) {
  auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
  if (dynlib == nullptr || dynlib->inplace_cb_register_wrapped == nullptr)
    return false;
  return dynlib->inplace_cb_register_wrapped(callback, type, arg, env, id) != 0;
}

inline void delete_inplace_callback(module_env* env, int id, inplace_cb_list_type type) {
  auto* dynlib = static_cast<dynlibmod_env*>(env->modinfo[id]);
  if (dynlib != nullptr && dynlib->inplace_cb_delete_wrapped != nullptr)
    dynlib->inplace_cb_delete_wrapped(env, type, id);
}

}  // namespace pangea::unbound
