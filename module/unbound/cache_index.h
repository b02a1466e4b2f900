#pragma once
// Records what a query may store in Unbound's message cache in the cache index
// (cached_names.h), from the messages the module sees: the query itself when
// it is passed on, every upstream response (query-response callback), the
// final answer's CNAME chain, and, when the query ends, all of these again if
// the index was cleared meanwhile.
//
// Why again: a name recorded before its message is stored can fall between a
// rebuild's restart and its walk (the walk passes the bin before the store).
// Recorded after everything the query stored, it is recorded with the rebuild
// on, or the walk saw the message. The iterator's own lookups (name server
// addresses) start below the module; their responses, their end and (when
// they succeed) their moddone still reach it.

#include <cstddef>
#include <cstdint>

#include "cached_names.h"
#include "unbound_api.h"

namespace pangea::unbound {

// The names one cached message depends on, copied into a query's region: its
// question, then the owner and target of each CNAME RRset of its answer. A
// singly linked list per query (trivially destructible).
struct RecordedNames {
  RecordedNames* next;
  uint16_t qtype;
  uint16_t qclass;
  size_t count;           // names[0] is the question
  const uint8_t** names;  // wire format
  const size_t* lengths;
};

// A query's record: what it may have stored, and the index's epoch before
// the first of it was recorded. Lives in the query's state (query_state.h).
struct QueryRecord {
  RecordedNames** list;
  uint64_t* epoch;
};

// Records the message Unbound may store for `qinfo` with the answer `rep`
// (null: the question alone; only read, no cache lock needed: a query's own
// messages live in its region) and, when `record` is given, keeps a copy of its
// names there, allocated in `region`, for record_again().
void record_message(CachedNames& index, const query_info& qinfo, const reply_info* rep,
                    regional* region, const QueryRecord* record);

// Records again every message kept on `list`, unless the index was not
// cleared since `epoch` (then they all still are).
void record_again(CachedNames& index, const RecordedNames* list, uint64_t epoch);

}  // namespace pangea::unbound
