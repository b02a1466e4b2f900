#pragma once
// Where the programs under test live: compile definitions set by
// tests/integration/CMakeLists.txt, so the harness always runs the Unbound and
// the module of this build tree, never whatever is on PATH.

namespace pangea::integration {

inline constexpr const char* kUnboundBinary = PANGEA_UNBOUND_BIN;
inline constexpr const char* kUnboundControlBinary = PANGEA_UNBOUND_CONTROL_BIN;
inline constexpr const char* kNsdBinary = PANGEA_NSD_BIN;
inline constexpr const char* kModuleFile = PANGEA_MODULE_FILE;
inline constexpr const char* kZonesDir = PANGEA_TEST_ZONES_DIR;

}  // namespace pangea::integration
