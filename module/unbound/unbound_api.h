#pragma once
// The one place that includes Unbound's C headers, with the workarounds its
// headers need under C++20 (see docs/unbound-dynlib.md).

// An opaque enum without an underlying type is ill-formed C++; netevent.h
// declares `enum listen_type;`, so give it one first.
enum listen_type : unsigned int;

#include <arpa/inet.h>

extern "C" {
#include "config.h"
// packed_rrset.h must precede anything pulling in val_secalgo.h (`enum sec_status;`).
#include "util/data/packed_rrset.h"
#include "util/module.h"
#include "util/log.h"
#include "util/regional.h"
#include "util/net_help.h"
#include "util/config_file.h"
#include "util/netevent.h"
#include "util/data/msgreply.h"
#include "util/data/dname.h"
#include "util/storage/slabhash.h"
#include "services/mesh.h"
#include "services/cache/dns.h"
#include "services/cache/rrset.h"
#include "sldns/rrdef.h"
#include "sldns/sbuffer.h"
#include "sldns/str2wire.h"
#include "sldns/wire2str.h"
#include "dynlibmod/dynlibmod.h"
}
