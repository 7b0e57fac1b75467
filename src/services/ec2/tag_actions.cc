// CreateTags, DeleteTags, DescribeTags: on any resource id of this API that the caller owns.
#include <algorithm>

#include <fmt/format.h>

#include "api/input.h"
#include "services/ec2/action_groups.h"

namespace overcast::ec2 {
namespace {

struct TagInput {
  std::string key;
  std::optional<std::string> value;  // DeleteTags: absent = any value
};

std::vector<TagInput> tagInputs(const json::object& in) {
  std::vector<TagInput> out;
  auto* tags = in.if_contains("Tags");
  if (!tags || !tags->is_array()) return out;
  for (const auto& t : tags->get_array()) {
    if (!t.is_object()) continue;
    TagInput ti;
    ti.key = api::stringOf(t.get_object(), "Key");
    if (auto* v = t.get_object().if_contains("Value"); v && v->is_string()) ti.value = std::string(v->get_string());
    out.push_back(std::move(ti));
  }
  return out;
}

// The caller's resources named by in["Resources"], all of them or an error.
Result<std::vector<ResourcePtr>> ownResources(const Ec2Core::Txn& txn, const RequestContext& ctx,
                                              const json::object& in) {
  auto ids = api::stringsOf(in, "Resources");
  if (ids.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter resourceIdSet");
  std::vector<ResourcePtr> out;
  for (const auto& id : ids) {
    auto kind = kindOfId(id);
    if (kind.empty()) return Error(ErrorCode::InvalidID, "The ID '" + id + "' is not valid");
    auto r = txn.find(ctx.accountId, ctx.region, id);
    if (!r || r->kind != kind) return notFound(kind, id);
    out.push_back(r);
  }
  return out;
}

json::array tagArray(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (const auto& [k, v] : tags) a.push_back(json::object{{"Key", k}, {"Value", v}});
  return a;
}

void createTags(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto tags = tagInputs(in);
  if (!in.contains("Tags")) {
    reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter tagSet"));
    return;
  }
  core.mutate(
      [ctx, in, tags = std::move(tags)](Ec2Core::Txn& txn) -> Result<Output> {
        auto resources = ownResources(txn, ctx, in);
        if (!resources) return resources.error();
        for (const auto& r : *resources) {
          auto current = tagsOf(*r);
          for (const auto& t : tags) {
            auto it = std::find_if(current.begin(), current.end(), [&](const auto& p) { return p.first == t.key; });
            if (it != current.end())
              it->second = t.value.value_or("");
            else
              current.emplace_back(t.key, t.value.value_or(""));
          }
          auto arr = tagArray(current);
          if (auto ok = checkTags(arr); !ok) return ok.error();
          Resource next = *r;
          next.data["Tags"] = std::move(arr);
          txn.put(std::move(next));
        }
        return Output{};
      },
      std::move(reply));
}

void deleteTags(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto tags = tagInputs(in);
  bool all = !in.contains("Tags");
  core.mutate(
      [ctx, in, tags = std::move(tags), all](Ec2Core::Txn& txn) -> Result<Output> {
        auto resources = ownResources(txn, ctx, in);
        if (!resources) return resources.error();
        for (const auto& r : *resources) {
          auto current = tagsOf(*r);
          std::erase_if(current, [&](const auto& p) {
            if (all) return true;
            return std::any_of(tags.begin(), tags.end(), [&](const TagInput& t) {
              return t.key == p.first && (!t.value || *t.value == p.second);
            });
          });
          Resource next = *r;
          next.data["Tags"] = tagArray(current);
          txn.put(std::move(next));
        }
        return Output{};
      },
      std::move(reply));
}

Result<Output> describeTags(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto filters = parseFilters(in, {"key", "value", "resource-id", "resource-type", "tag:"});
  if (!filters) return filters.error();
  auto maxResults = api::intOf(in, "MaxResults");
  if (maxResults && (*maxResults < 5 || *maxResults > 1000))
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ( {} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.",
                             *maxResults));
  std::string token = api::stringOf(in, "NextToken");
  size_t offset = 0;
  if (!token.empty()) {
    if (!token.starts_with("ocp1.") || token.size() == 5 ||
        !std::all_of(token.begin() + 5, token.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Error(ErrorCode::InvalidPaginationToken, "Invalid pagination token: " + token);
    offset = std::stoul(token.substr(5));
  }
  static constexpr std::string_view kKinds[] = {kInstance, kImage,         kKeyPair,          kVpc,    kSubnet,
                                                kSecurityGroup, kInternetGateway, kVolume, kSnapshot};
  json::array all;
  core.read([&](const ResourceRegistry& reg) {
    for (auto kind : kKinds) {
      for (const auto& r : reg.ofKind(ctx.accountId, ctx.region, kind)) {
        auto tags = tagsOf(*r);
        for (const auto& [k, v] : tags) {
          bool keep = matchesAll(*filters, [&](std::string_view f) -> std::vector<std::string> {
            if (f == "key") return {k};
            if (f == "value") return {v};
            if (f == "resource-id") return {r->id};
            if (f == "resource-type") return {r->kind};
            if (f.starts_with("tag:")) return f.substr(4) == k ? std::vector<std::string>{v} : std::vector<std::string>{};
            return {};
          });
          if (keep)
            all.push_back(json::object{{"Key", k}, {"ResourceId", r->id}, {"ResourceType", r->kind}, {"Value", v}});
        }
      }
    }
    return 0;
  });
  Output out;
  size_t end = maxResults ? std::min(all.size(), offset + static_cast<size_t>(*maxResults)) : all.size();
  json::array page;
  for (size_t i = offset; i < end && i < all.size(); ++i) page.push_back(std::move(all[i]));
  out["Tags"] = std::move(page);
  if (end < all.size()) out["NextToken"] = "ocp1." + std::to_string(end);
  return out;
}

}  // namespace

void addTagActions(Ec2Service& service, Ec2Core& core) {
  service.add("CreateTags", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    createTags(core, ctx, in, std::move(reply));
  });
  service.add("DeleteTags", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    deleteTags(core, ctx, in, std::move(reply));
  });
  service.addSync("DescribeTags",
                  [&core](const RequestContext& ctx, const json::object& in) { return describeTags(core, ctx, in); });
}

}  // namespace overcast::ec2
