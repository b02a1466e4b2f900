# PANGEA_SANITIZE=address,undefined (or thread) instruments every target.
if(PANGEA_SANITIZE)
  add_compile_options(-fsanitize=${PANGEA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PANGEA_SANITIZE})
endif()
# ThreadSanitizer does not model std::atomic_thread_fence (GCC warns, -Wtsan);
# NameServerHosts uses one for a store-then-load ordering against Unbound's
# cache locks, which no test here can race. Its words are atomics either way.
if(PANGEA_SANITIZE MATCHES "thread")
  add_compile_options(-Wno-tsan)
endif()
