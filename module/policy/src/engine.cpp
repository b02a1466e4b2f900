#include "pangea/policy/engine.h"

#include <chrono>
#include <exception>

#include "file_events.h"
#include "pangea/policy/clock.h"

namespace pangea::policy {

// One watched file: a list or an allowlist file.
struct Engine::Watched {
  const ListConfig* config = nullptr;  // points into config_
  bool allowlist = false;
  size_t index = 0;        // in Config::lists or Config::allowlist.files
  FileIdentity seen;       // the last version examined (loaded or refused)
  std::string last_error;  // why `seen` was refused
};

std::shared_ptr<const trie::List> open_list(const ListConfig& config, const trie::List* previous,
                                            std::string& error) {
  trie::OpenOptions options;
  options.trusted_keys = config.keys;
  std::string reason;
  auto list = trie::List::open(config.file, options, reason);
  if (!list) {
    error = reason;
    return nullptr;
  }
  const uint64_t serial = list->info().serial;
  if (serial < config.min_serial) {
    error = config.file + ": serial " + std::to_string(serial) + " is below min_serial " +
            std::to_string(config.min_serial);
    return nullptr;
  }
  if (previous != nullptr && config.refuse_older_serial && serial < previous->info().serial) {
    error = config.file + ": serial " + std::to_string(serial) +
            " is older than the loaded serial " + std::to_string(previous->info().serial) +
            " (refuse_older_serial: true)";
    return nullptr;
  }
  return list;
}

Engine::Engine(Logger logger) : logger_(std::move(logger)) {}

Engine::~Engine() {
  stop();
}

void Engine::set_on_swap(SwapHook hook) {
  on_swap_ = std::move(hook);
}

void Engine::log(Level level, const std::string& message) const {
  if (!logger_)
    return;
  try {
    logger_(level, message);
  } catch (...) {
    // A failing logger must not take the watcher or the resolver down.
  }
}

void Engine::start(Config config) {
  if (current_.load())
    throw StartError("the policy engine is already started");
  config_ = std::make_shared<const Config>(std::move(config));
  const Config& cfg = *config_;

  std::shared_ptr<const GeoIp> geoip;
  if (cfg.geoip) {
    std::string error;
    geoip = GeoIp::open(cfg.geoip->database, error);
    if (!geoip)
      throw StartError(cfg.geoip->pos.to_string() + ": error: " + error);
    log(Level::info, "GeoIP: " + geoip->describe());
  }

  const int64_t load_time = Clock().now();
  auto load = [&](const ListConfig& list_config, bool allowlist, size_t index) {
    LoadedList loaded;
    loaded.identity = FileIdentity::of(list_config.file);
    std::string error;
    loaded.list = open_list(list_config, nullptr, error);
    loaded.load_time = load_time;
    Watched watched;
    watched.config = &list_config;
    watched.allowlist = allowlist;
    watched.index = index;
    watched.seen = loaded.identity;
    if (!loaded.list) {
      const std::string message = list_config.file_pos.to_string() + ": error: list '" +
                                  list_config.name + "': cannot load " + error;
      if (list_config.required) {
        throw StartError(message + " (required: true, refusing to start)");
      }
      log(Level::error, message +
                            " (required: false, starting without it; it is loaded as "
                            "soon as a valid file appears)");
      watched.last_error = error;
    }
    watched_.push_back(std::move(watched));
    return loaded;
  };

  std::lock_guard poll_lock(poll_mutex_);
  watched_.clear();
  std::vector<LoadedList> lists;
  std::vector<LoadedList> allow_files;
  try {
    for (size_t i = 0; i < cfg.lists.size(); ++i)
      lists.push_back(load(cfg.lists[i], false, i));
    for (size_t i = 0; i < cfg.allowlist.files.size(); ++i) {
      allow_files.push_back(load(cfg.allowlist.files[i], true, i));
    }
  } catch (...) {
    watched_.clear();
    throw;
  }
  auto snapshot = std::make_shared<const Snapshot>(
      config_, std::move(lists), std::move(allow_files), std::move(geoip), next_generation_++);
  current_.store(snapshot);

  log(Level::info, "configuration " + cfg.path + ": " + std::to_string(cfg.lists.size()) +
                       " lists" + (cfg.lists_from_env ? " (from PANGEA_LISTS)" : "") + ", " +
                       std::to_string(cfg.allowlist.names.size()) + " allowlist names, " +
                       std::to_string(cfg.allowlist.files.size()) + " allowlist files");
  for (size_t i = 0; i < cfg.lists.size() + cfg.allowlist.files.size(); ++i) {
    log(Level::info, snapshot->describe_list(i));
  }
  if (cfg.clock.is_fake()) {
    log(Level::warning, "PANGEA_FAKE_NOW is set (test only): clock " + cfg.clock.describe());
  }

  if (cfg.reload.interval_ms > 0) {
    std::vector<std::string> files;
    for (const Watched& watched : watched_)
      files.push_back(watched.config->file);
    {
      std::lock_guard lock(stop_mutex_);
      stop_requested_ = false;
      events_ = std::make_unique<FileEvents>(files);
    }
    if (!files.empty() && !events_->watching()) {
      log(Level::warning,
          "file watcher: no inotify watch on the list directories; changes are "
          "noticed by the check every " +
              std::to_string(cfg.reload.interval_ms) + " ms only");
    }
    watcher_ = std::thread([this] { watch_loop(); });
  }
}

void Engine::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stop_requested_ = true;
    if (events_)
      events_->stop();
  }
  if (watcher_.joinable())
    watcher_.join();
}

void Engine::watch_loop() {
  const auto interval = std::chrono::milliseconds(config_->reload.interval_ms);
  // Written only by start(), before this thread exists.
  FileEvents& events = *events_;
  // A replaced file wakes the wait at once; otherwise every interval.
  while (events.wait(interval)) {
    {
      std::lock_guard lock(stop_mutex_);
      if (stop_requested_)
        return;
    }
    try {
      poll_now();
    } catch (const std::exception& e) {
      log(Level::error, std::string("file watcher: ") + e.what());
    } catch (...) {
      log(Level::error, "file watcher: unknown exception");
    }
  }
}

bool Engine::poll_now() {
  std::lock_guard lock(poll_mutex_);
  const std::shared_ptr<const Snapshot> current = current_.load();
  if (!current)
    return false;
  std::vector<LoadedList> lists = current->lists();
  std::vector<LoadedList> allow_files = current->allow_files();
  std::vector<size_t> changed;
  for (size_t w = 0; w < watched_.size(); ++w) {
    Watched& watched = watched_[w];
    const FileIdentity identity = FileIdentity::of(watched.config->file);
    if (identity == watched.seen)
      continue;
    watched.seen = identity;
    LoadedList& slot = watched.allowlist ? allow_files[watched.index] : lists[watched.index];
    const std::string what = "list '" + watched.config->name + "'";
    if (!identity.exists) {
      log(Level::warning, what + ": " + watched.config->file + " disappeared; keeping " +
                              (slot.loaded() ? "the loaded version" : "on trying"));
      continue;
    }
    if (slot.loaded() && identity == slot.identity)
      continue;  // back to the loaded version
    std::string error;
    auto list = open_list(*watched.config, slot.list.get(), error);
    if (!list) {
      watched.last_error = error;
      log(Level::error, what + ": refusing the new version of " + error + "; " +
                            (slot.loaded() ? "keeping the loaded version" : "still not loaded"));
      continue;
    }
    watched.last_error.clear();
    slot = LoadedList{std::move(list), identity, Clock().now()};
    changed.push_back(w);
  }
  if (changed.empty())
    return false;

  auto next = std::make_shared<const Snapshot>(config_, std::move(lists), std::move(allow_files),
                                               current->geoip(), next_generation_++);
  current_.store(next);
  for (size_t w : changed) {
    const Watched& watched = watched_[w];
    const size_t index = watched.allowlist ? config_->lists.size() + watched.index : watched.index;
    log(Level::info, "generation " + std::to_string(next->generation()) + ": reloaded " +
                         next->describe_list(index));
  }
  if (on_swap_) {
    try {
      on_swap_(current, next);
    } catch (const std::exception& e) {
      log(Level::error, std::string("swap hook: ") + e.what());
    } catch (...) {
      log(Level::error, "swap hook: unknown exception");
    }
  }
  return true;
}

std::vector<ListStatus> Engine::status() const {
  std::lock_guard lock(poll_mutex_);
  std::vector<ListStatus> out;
  const auto snapshot = current_.load();
  if (!snapshot)
    return out;
  for (const Watched& watched : watched_) {
    const LoadedList& loaded = watched.allowlist ? snapshot->allow_files()[watched.index]
                                                 : snapshot->lists()[watched.index];
    ListStatus status;
    status.name = watched.config->name;
    status.file = watched.config->file;
    status.allowlist = watched.allowlist;
    status.loaded = loaded.loaded();
    if (loaded.list) {
      const auto& info = loaded.list->info();
      status.serial = info.serial;
      status.build_time = info.build_time;
      status.entry_count = info.entry_count;
    }
    status.load_time = loaded.load_time;
    status.last_error = watched.last_error;
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace pangea::policy
