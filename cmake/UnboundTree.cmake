# The module must be compiled against exactly the configured Unbound tree of the
# daemon that loads it: Debian's patches and config.h change struct layouts.
set(PANGEA_UNBOUND_VERSION_REQUIRED "1.17.1")
set(_config_h "${PANGEA_UNBOUND_TREE}/config.h")
if(NOT EXISTS "${_config_h}" OR NOT EXISTS "${PANGEA_UNBOUND_TREE}/dynlibmod/dynlibmod.h")
  message(FATAL_ERROR
    "Unbound source tree not found at ${PANGEA_UNBOUND_TREE} (no config.h or dynlibmod/dynlibmod.h).\n"
    "Run scripts/build-unbound first (./test and ./run do), or set -DPANGEA_UNBOUND_TREE=<configured tree>.")
endif()
file(STRINGS "${_config_h}" _version_line REGEX "^#define PACKAGE_VERSION \"")
string(REGEX REPLACE "^#define PACKAGE_VERSION \"([^\"]*)\".*" "\\1" PANGEA_UNBOUND_VERSION "${_version_line}")
if(NOT PANGEA_UNBOUND_VERSION STREQUAL PANGEA_UNBOUND_VERSION_REQUIRED)
  message(FATAL_ERROR
    "Unbound tree ${PANGEA_UNBOUND_TREE} is version '${PANGEA_UNBOUND_VERSION}', "
    "Pangea's module is written against ${PANGEA_UNBOUND_VERSION_REQUIRED}. "
    "Remove build/unbound-src and build/unbound and run scripts/build-unbound.")
endif()
file(STRINGS "${_config_h}" _dynlib_line REGEX "^#define WITH_DYNLIBMODULE")
if(NOT _dynlib_line)
  message(FATAL_ERROR "Unbound tree ${PANGEA_UNBOUND_TREE} was configured without --with-dynlibmodule.")
endif()
message(STATUS "Pangea module: Unbound ${PANGEA_UNBOUND_VERSION} tree at ${PANGEA_UNBOUND_TREE}")
