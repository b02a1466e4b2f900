# Project-wide warning flags, applied per target through pangea_set_warnings().
function(pangea_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast
                                           -Wcast-align -Wformat=2 -Wimplicit-fallthrough)
  if(PANGEA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
