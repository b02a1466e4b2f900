#include "cache_locks.h"

#include <pthread.h>

#include <thread>

namespace pangea::unbound {
namespace {

// lock_quick_type is a spinlock in this build, a mutex in others.
bool try_lock(pthread_spinlock_t* lock) {
  return pthread_spin_trylock(lock) == 0;
}
[[maybe_unused]] bool try_lock(pthread_mutex_t* lock) {
  return pthread_mutex_trylock(lock) == 0;
}

// slabhash.c's slab_idx() (static there).
lruhash* table_of(slabhash* cache, hashvalue_type hash) {
  return cache->array[(hash & cache->mask) >> cache->shift];
}

}  // namespace

void lock_quick_yielding(lock_quick_type* lock) {
  while (!try_lock(lock))
    std::this_thread::yield();
}

lruhash_entry* lookup_yielding(slabhash* cache, hashvalue_type hash, void* key) {
  // lruhash_lookup()'s locking, in its order: table, bin, then the entry
  // under the bin lock.
  lruhash* table = table_of(cache, hash);
  lock_quick_yielding(&table->lock);
  lruhash_bin* bin = &table->array[hash & table->size_mask];
  lock_quick_yielding(&bin->lock);
  lruhash_entry* entry = bin_find_entry(table, bin, hash, key);
  lock_quick_unlock(&table->lock);
  if (entry != nullptr)
    lock_rw_rdlock(&entry->lock);
  lock_quick_unlock(&bin->lock);
  return entry;
}

void remove_yielding(slabhash* cache, hashvalue_type hash, void* key) {
  // lruhash_remove() of Unbound 1.17.1, step for step.
  lruhash* table = table_of(cache, hash);
  lock_quick_yielding(&table->lock);
  lruhash_bin* bin = &table->array[hash & table->size_mask];
  lock_quick_yielding(&bin->lock);
  lruhash_entry* entry = bin_find_entry(table, bin, hash, key);
  if (entry == nullptr) {
    lock_quick_unlock(&table->lock);
    lock_quick_unlock(&bin->lock);
    return;
  }
  bin_overflow_remove(bin, entry);
  lru_remove(table, entry);
  table->num--;
  table->space_used -= (*table->sizefunc)(entry->key, entry->data);
  lock_rw_wrlock(&entry->lock);
  if (table->markdelfunc != nullptr)
    (*table->markdelfunc)(entry->key);
  lock_rw_unlock(&entry->lock);
  lock_quick_unlock(&bin->lock);
  lock_quick_unlock(&table->lock);
  void* data = entry->data;
  (*table->delkeyfunc)(entry->key, table->cb_arg);
  (*table->deldatafunc)(data, table->cb_arg);
}

}  // namespace pangea::unbound
