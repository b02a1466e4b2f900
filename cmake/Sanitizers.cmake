# PANGEA_SANITIZE=address,undefined (or thread) instruments every target.
if(PANGEA_SANITIZE)
  add_compile_options(-fsanitize=${PANGEA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PANGEA_SANITIZE})
endif()
