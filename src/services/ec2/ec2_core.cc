#include "services/ec2/ec2_core.h"

#include <algorithm>
#include <future>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "jobs/job_queue.h"
#include "protocol/value_conversions.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/ec2_store.h"

namespace overcast::ec2 {

// ---------------------------------------------------------------- Ec2Core

Ec2Core::Ec2Core(store::Store& store, const Clock& clock, IdGenerator& ids, compute::Driver& driver,
                 Ec2Options options)
    : store_(store), clock_(clock), ids_(ids), driver_(driver), options_(options) {}

Result<void> Ec2Core::load() {
  std::vector<ResourcePtr> loaded;
  auto r = store_.read([&](store::ReadTxn& txn) -> Result<void> {
    auto rows = loadResources(txn);
    if (!rows) return rows.error();
    loaded = std::move(*rows);
    return {};
  });
  if (!r) return r.error();
  std::unique_lock lock(mutex_);
  registry_.clear();
  for (auto& res : loaded) registry_.put(std::move(res));
  return {};
}

ResourcePtr Ec2Core::Txn::put(Resource r) {
  auto key = keyOf(r);
  if (!before_.count(key)) before_.emplace(key, registry_.find(key));
  auto p = std::make_shared<const Resource>(std::move(r));
  registry_.put(p);
  return p;
}

void Ec2Core::Txn::erase(const ResourceKey& key) {
  if (!before_.count(key)) before_.emplace(key, registry_.find(key));
  registry_.erase(key);
}

void Ec2Core::Txn::undo() {
  for (auto& [key, old] : before_) {
    if (old)
      registry_.put(old);
    else
      registry_.erase(key);
  }
  before_.clear();
}

Result<Ec2Core::Applied> Ec2Core::apply(const MutateFn& fn) {
  Txn txn(registry_);
  auto out = fn(txn);
  if (!out) {
    txn.undo();
    return out.error();
  }
  // What to write: each changed key's value now (null: deleted).
  std::vector<std::pair<ResourceKey, ResourcePtr>> changes;
  changes.reserve(txn.before_.size());
  for (const auto& [key, old] : txn.before_) changes.emplace_back(key, registry_.find(key));
  store::Store::WriteFn write = [changes = std::move(changes), jobs = std::move(txn.jobs_),
                                 extra = std::move(txn.extra_)](store::WriteTxn& w) -> Result<void> {
    for (const auto& [key, now] : changes) {
      auto r = now ? saveResource(w, *now) : deleteResource(w, key);
      if (!r) return r.error();
    }
    for (const auto& spec : jobs)
      if (auto r = jobs::enqueueJob(w, spec); !r) return r.error();
    for (const auto& e : extra)
      if (auto r = e(w); !r) return r.error();
    return {};
  };
  return Applied{std::move(*out), std::move(write), std::move(txn.failure_)};
}

void Ec2Core::mutate(MutateFn fn, Reply reply) { mutateWith(std::move(fn), std::move(reply), false); }

void Ec2Core::mutateWith(MutateFn fn, Reply reply, bool inlineDone) {
  std::unique_lock lock(mutex_);
  auto applied = apply(fn);
  if (!applied) {
    lock.unlock();
    reply(applied.error());
    return;
  }
  auto done = [this, out = std::move(applied->out), failure = std::move(applied->failure),
               reply = std::move(reply)](Result<void> r) mutable {
    if (!r) {
      spdlog::error("ec2: a change was not stored: {}", r.error().message());
      reply(Error(ErrorCode::InternalFailure, "The change could not be stored."));
      return;
    }
    wakeJobs();
    if (failure)
      reply(std::move(*failure));
    else
      reply(std::move(out));
  };
  // Queued under the lock, so that the store sees changes in the order memory did.
  if (inlineDone)
    store_.writeInline(std::move(applied->write), std::move(done));
  else
    store_.write(std::move(applied->write), std::move(done));
}

Result<void> Ec2Core::mutateInOrder(MutateFn fn) {
  std::unique_lock lock(mutex_);
  auto applied = apply(fn);
  if (!applied) return applied.error();
  // Queued under the lock, like mutate(); the completion runs on the writer thread.
  store_.writeInline(std::move(applied->write), [this](Result<void> r) {
    if (!r) {
      spdlog::error("ec2: a job's change was not stored: {}", r.error().message());
      return;
    }
    wakeJobs();
  });
  return {};
}

Result<Output> Ec2Core::mutateSync(MutateFn fn) {
  auto promise = std::make_shared<std::promise<Result<Output>>>();
  auto fut = promise->get_future();
  mutateWith(std::move(fn), [promise](Result<Output> r) { promise->set_value(std::move(r)); }, true);
  return fut.get();
}

// ---------------------------------------------------------------- Ec2Service

Ec2Service::Ec2Service(std::unique_ptr<Ec2Core> core) : core_(std::move(core)) {}

void Ec2Service::reset(std::function<void(Result<void>)> done) {
  core_->mutate(
      [](Ec2Core::Txn& txn) -> Result<Output> {
        for (const auto& [owner, region] : txn.registry().scopes())
          for (const auto& r : txn.registry().all(owner, region))
            // The platform keeps its images; its address pool empties with the instances.
            if (owner != kPlatformOwner || r->kind != kImage) txn.erase(keyOf(*r));
        return Output{};
      },
      [done = std::move(done)](Result<Output> r) {
        if (!r) return done(r.error());
        done({});
      });
}

// ---------------------------------------------------------------- helpers

bool boolOf(const json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  if (!v) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) return v->get_string() == "true";
  return false;
}

std::string boolText(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v && v->is_bool() && v->get_bool() ? "true" : "false";
}

std::optional<json::value> attributeValue(const json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  if (!v || !v->is_object()) return std::nullopt;
  auto* inner = v->get_object().if_contains("Value");
  if (!inner) return std::nullopt;
  return *inner;
}

std::optional<std::vector<std::string>> tagFilterValues(const Resource& r, std::string_view filter) {
  if (filter.starts_with("tag:")) {
    auto key = filter.substr(4);
    std::vector<std::string> out;
    for (auto& [k, v] : tagsOf(r))
      if (k == key) out.push_back(v);
    return out;
  }
  if (filter == "tag-key" || filter == "tag-value") {
    std::vector<std::string> out;
    for (auto& [k, v] : tagsOf(r)) out.push_back(filter == "tag-key" ? k : v);
    return out;
  }
  return std::nullopt;
}

namespace {
bool hasWildcard(std::string_view v) { return v.find_first_of("*?\\") != std::string_view::npos; }
bool exactValues(const Filter& f) {
  return !f.values.empty() && std::none_of(f.values.begin(), f.values.end(), [](const std::string& v) {
    return hasWildcard(v);
  });
}
}  // namespace

std::vector<ResourcePtr> candidates(const ResourceRegistry& registry, std::string_view owner, std::string_view region,
                                    std::string_view kind, const std::vector<Filter>& filters,
                                    std::string_view idFilter) {
  for (const auto& f : filters) {
    if (!idFilter.empty() && f.name == idFilter && exactValues(f)) {
      std::vector<ResourcePtr> out;
      for (const auto& id : f.values)
        if (auto r = registry.find(owner, region, id); r && r->kind == kind) out.push_back(r);
      std::sort(out.begin(), out.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    }
  }
  for (const auto& f : filters) {
    if (f.name.starts_with("tag:") && exactValues(f)) {
      std::vector<ResourcePtr> out;
      for (const auto& v : f.values) {
        auto some = registry.tagged(owner, region, kind, std::string_view(f.name).substr(4), v);
        out.insert(out.end(), some.begin(), some.end());
      }
      std::sort(out.begin(), out.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    }
  }
  return registry.ofKind(owner, region, kind);
}

namespace {
constexpr std::string_view kTokenPrefix = "ocp1.";
}

Result<Page> paginate(std::vector<ResourcePtr> sorted, std::optional<int64_t> maxResults, const std::string& nextToken,
                      int64_t minResults, int64_t maxAllowed) {
  if (maxResults && (*maxResults < minResults || *maxResults > maxAllowed))
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ( {} ) for parameter maxResults is invalid. Expecting a value between {} and {}.",
                             *maxResults, minResults, maxAllowed));
  size_t start = 0;
  if (!nextToken.empty()) {
    if (!std::string_view(nextToken).starts_with(kTokenPrefix) || nextToken.size() == kTokenPrefix.size())
      return Error(ErrorCode::InvalidPaginationToken, "Invalid pagination token: " + nextToken);
    std::string_view after = std::string_view(nextToken).substr(kTokenPrefix.size());
    auto it = std::upper_bound(sorted.begin(), sorted.end(), after,
                               [](std::string_view a, const ResourcePtr& r) { return a < r->id; });
    start = static_cast<size_t>(it - sorted.begin());
  }
  Page page;
  size_t end = maxResults ? std::min(sorted.size(), start + static_cast<size_t>(*maxResults)) : sorted.size();
  for (size_t i = start; i < end; ++i) page.items.push_back(std::move(sorted[i]));
  if (end < sorted.size() && !page.items.empty()) page.nextToken = std::string(kTokenPrefix) + page.items.back()->id;
  return page;
}

Result<void> checkTags(const json::array& tags) {
  if (tags.size() > 50) return Error(ErrorCode::TagLimitExceeded, "The maximum number of Tags for a resource has been reached.");
  for (const auto& t : tags) {
    const auto& o = t.as_object();
    std::string key = o.contains("Key") && o.at("Key").is_string() ? std::string(o.at("Key").get_string()) : "";
    std::string value = o.contains("Value") && o.at("Value").is_string() ? std::string(o.at("Value").get_string()) : "";
    if (key.empty()) return Error(ErrorCode::InvalidParameterValue, "Tag keys must be between 1 and 128 characters.");
    if (key.size() > 128)
      return Error(ErrorCode::InvalidParameterValue,
                   "Tag key exceeds the maximum length of 128 characters");
    if (value.size() > 256)
      return Error(ErrorCode::InvalidParameterValue, "Tag value exceeds the maximum length of 256 characters");
    if (key.starts_with("aws:"))
      return Error(ErrorCode::InvalidParameterValue, "Tag keys starting with 'aws:' are reserved for internal use");
  }
  return {};
}

Result<json::array> tagsFromSpecifications(const json::object& in, std::string_view resourceType) {
  json::array tags;
  auto* specs = in.if_contains("TagSpecifications");
  if (!specs || !specs->is_array()) return tags;
  for (const auto& s : specs->get_array()) {
    if (!s.is_object()) continue;
    const auto& o = s.get_object();
    auto* type = o.if_contains("ResourceType");
    if (!type || !type->is_string())
      return Error(ErrorCode::InvalidParameterValue, "Tag specification resource type must have a value");
    if (type->get_string() != resourceType) continue;
    if (auto* t = o.if_contains("Tags"); t && t->is_array())
      for (const auto& tag : t->get_array()) {
        if (!tag.is_object()) continue;
        json::object clean;
        clean["Key"] = tag.get_object().contains("Key") ? tag.get_object().at("Key") : json::value("");
        clean["Value"] = tag.get_object().contains("Value") ? tag.get_object().at("Value") : json::value("");
        // A later tag with the same key replaces the earlier one.
        auto same = std::find_if(tags.begin(), tags.end(), [&](const json::value& v) {
          return v.as_object().at("Key") == clean["Key"];
        });
        if (same != tags.end())
          *same = std::move(clean);
        else
          tags.push_back(std::move(clean));
      }
  }
  if (auto r = checkTags(tags); !r) return r.error();
  return tags;
}

std::string_view kindOfId(std::string_view id) {
  struct P {
    std::string_view prefix;
    std::string_view kind;
  };
  static constexpr P kPrefixes[] = {{"i-", kInstance},       {"ami-", kImage},   {"key-", kKeyPair},
                                    {"vpc-", kVpc},          {"subnet-", kSubnet}, {"sg-", kSecurityGroup},
                                    {"igw-", kInternetGateway}, {"vol-", kVolume}, {"snap-", kSnapshot}};
  for (const auto& p : kPrefixes)
    if (id.starts_with(p.prefix)) return p.kind;
  return {};
}

Error notFound(std::string_view kind, std::string_view id) {
  std::string i(id);
  if (kind == kInstance) return Error(ErrorCode::InvalidInstanceIDNotFound, "The instance ID '" + i + "' does not exist");
  if (kind == kImage) return Error(ErrorCode::InvalidAMIIDNotFound, "The image id '[" + i + "]' does not exist");
  if (kind == kKeyPair) return Error(ErrorCode::InvalidKeyPairNotFound, "The key pair '" + i + "' does not exist");
  if (kind == kVpc) return Error(ErrorCode::InvalidVpcIDNotFound, "The vpc ID '" + i + "' does not exist");
  if (kind == kSubnet) return Error(ErrorCode::InvalidSubnetIDNotFound, "The subnet ID '" + i + "' does not exist");
  if (kind == kSecurityGroup)
    return Error(ErrorCode::InvalidGroupNotFound, "The security group '" + i + "' does not exist");
  if (kind == kInternetGateway)
    return Error(ErrorCode::InvalidInternetGatewayIDNotFound, "The internetGateway ID '" + i + "' does not exist");
  if (kind == kVolume) return Error(ErrorCode::InvalidVolumeNotFound, "The volume '" + i + "' does not exist.");
  if (kind == kSnapshot) return Error(ErrorCode::InvalidSnapshotNotFound, "The snapshot '" + i + "' does not exist.");
  return Error(ErrorCode::InvalidID, "The ID '" + i + "' is not valid");
}

bool wellFormedId(std::string_view id, std::string_view prefix) {
  if (!id.starts_with(prefix) || id.size() <= prefix.size() || id[prefix.size()] != '-') return false;
  auto hex = id.substr(prefix.size() + 1);
  if (hex.size() != 8 && hex.size() != 17) return false;
  return std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string isoTime(TimePoint t) {
  return protocol::detail::formatIso8601(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

// ---------------------------------------------------------------- jobs

jobs::JobSpec Ec2Core::jobSpec(std::string target, json::object payload, std::chrono::milliseconds delay) const {
  jobs::JobSpec spec;
  spec.kind = std::string(kEc2JobKind);
  spec.target = std::move(target);
  spec.payload = json::serialize(payload);
  spec.maxAttempts = 10;
  spec.now = clock_.now();
  spec.delay = delay;
  return spec;
}

jobs::JobOutcome Ec2Core::runJob(const jobs::Job& job) {
  boost::system::error_code ec;
  auto v = json::parse(job.payload, ec);
  if (ec || !v.is_object()) return jobs::Fail{"unreadable payload"};
  auto* op = v.get_object().if_contains("op");
  if (!op || !op->is_string()) return jobs::Fail{"payload without op"};
  auto it = jobHandlers_.find(std::string_view(op->get_string()));
  if (it == jobHandlers_.end()) return jobs::Fail{"unknown op " + std::string(op->get_string())};
  return it->second(v.get_object(), job);
}

// ---------------------------------------------------------------- factory

Ec2Handle* ec2HandleOf(api::Service& service) { return dynamic_cast<Ec2Service*>(&service); }

Result<std::unique_ptr<api::Service>> makeEc2Service(store::Store& store, const Clock& clock, IdGenerator& ids,
                                                     compute::Driver& driver, Ec2Options options) {
  auto core = std::make_unique<Ec2Core>(store, clock, ids, driver, options);
  if (auto r = core->load(); !r) return r.error();
  Ec2Core& c = *core;
  auto service = std::make_unique<Ec2Service>(std::move(core));
  addRegionActions(*service, c);
  addTagActions(*service, c);
  addKeyPairActions(*service, c);
  addImageActions(*service, c);
  addInstanceActions(*service, c);
  addVpcActions(*service, c);
  addAccountActions(*service, c);
  return std::unique_ptr<api::Service>(std::move(service));
}

}  // namespace overcast::ec2
