// Image actions: DescribeImages, RegisterImage, CreateImage, CopyImage, DeregisterImage,
// Describe/Modify/ResetImageAttribute; the built-in platform images; launchableImage() and the
// admin API's image import (images.h).
//
// An image is a Resource of kind kImage: data is DescribeImages' Image shape; meta holds
// "launchUsers" (the accounts it is shared with), "clientToken" (CopyImage) and
// "sourceInstanceId" (CreateImage). Images made by an account are `pending` and turn
// `available` by the "image-available" job after the lifecycle delay. Deregistering erases the
// image.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "api/input.h"
#include "core/regions.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/images.h"

namespace overcast::ec2 {
namespace {

constexpr std::string_view kAvailable = "available";
constexpr std::string_view kPending = "pending";
// The creation date of the built-in images (fixed, so that describes are reproducible).
constexpr std::string_view kBuiltinCreationDate = "2025-01-01T00:00:00.000Z";

// ---------------------------------------------------------------- reading an image

bool sharedWith(const Resource& img, std::string_view account) {
  auto* users = img.meta.if_contains("launchUsers");
  if (!users || !users->is_array()) return false;
  return std::any_of(users->get_array().begin(), users->get_array().end(),
                     [&](const json::value& v) { return v.is_string() && v.get_string() == account; });
}

std::string field(const Resource& img, std::string_view name) { return api::stringOf(img.data, name); }

bool isPublic(const Resource& img) {
  auto* p = img.data.if_contains("Public");
  return p && p->is_bool() && p->get_bool();
}

// Whether `account` may see (and launch) `img` from `region`.
bool visibleFrom(const Resource& img, std::string_view account, std::string_view region) {
  if (img.kind != kImage) return false;
  if (img.region != region && img.region != kEveryRegion) return false;
  if (img.owner == account) return true;
  return isPublic(img) || sharedWith(img, account);
}

bool isAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error malformedImageId(std::string_view id) {
  return Error(ErrorCode::InvalidAMIIDMalformed, fmt::format("Invalid id: \"{}\" (expecting \"ami-...\")", id));
}

Error notAuthorized(std::string_view id) {
  return Error(ErrorCode::AuthFailure, fmt::format("Not authorized for image:{}", id));
}

// AWS's AMI name rule: 3..128 characters of letters, digits and ()[] ./-'@_
Result<void> checkImageName(const json::object& in) {
  auto* v = in.if_contains("Name");
  if (!v || !v->is_string()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter name");
  std::string_view name = v->get_string();
  bool ok = name.size() >= 3 && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     std::string_view("()[] ./-'@_").find(c) != std::string_view::npos;
            });
  if (!ok)
    return Error(ErrorCode::InvalidAMINameMalformed,
                 "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', "
                 "'[', ']', ' ', '.', '/', '-', ''', '@' and '_'");
  return {};
}

// An account's image names are unique in a region.
Result<void> checkNameFree(const Ec2Core::Txn& txn, const RequestContext& ctx, std::string_view name) {
  for (const auto& r : txn.registry().ofKind(ctx.accountId, ctx.region, kImage))
    if (field(*r, "Name") == name)
      return Error(ErrorCode::InvalidAMINameDuplicate,
                   fmt::format("AMI name {} is already in use by AMI {}", name, r->id));
  return {};
}

// Block device mappings from a request (BlockDeviceMappingRequestList), in the output shape.
json::array blockDeviceMappingsOf(const json::object& in) {
  json::array out;
  auto* list = in.if_contains("BlockDeviceMappings");
  if (!list || !list->is_array()) return out;
  for (const auto& m : list->get_array()) {
    if (!m.is_object()) continue;
    const auto& o = m.get_object();
    json::object bdm;
    bdm["DeviceName"] = api::stringOf(o, "DeviceName");
    if (auto vn = api::stringOf(o, "VirtualName"); !vn.empty()) bdm["VirtualName"] = vn;
    if (o.contains("NoDevice")) bdm["NoDevice"] = "";
    if (auto* e = o.if_contains("Ebs"); e && e->is_object()) {
      const auto& eo = e->get_object();
      json::object ebs;
      ebs["DeleteOnTermination"] = eo.contains("DeleteOnTermination") ? boolOf(eo, "DeleteOnTermination") : true;
      if (auto s = api::stringOf(eo, "SnapshotId"); !s.empty()) ebs["SnapshotId"] = s;
      if (auto size = api::intOf(eo, "VolumeSize")) ebs["VolumeSize"] = *size;
      auto type = api::stringOf(eo, "VolumeType");
      ebs["VolumeType"] = type.empty() ? "gp2" : type;
      if (auto iops = api::intOf(eo, "Iops")) ebs["Iops"] = *iops;
      if (auto t = api::intOf(eo, "Throughput")) ebs["Throughput"] = *t;
      ebs["Encrypted"] = boolOf(eo, "Encrypted");
      bdm["Ebs"] = std::move(ebs);
    }
    out.push_back(std::move(bdm));
  }
  return out;
}

// `base` with the mappings of `overrides` replacing those of the same device name.
json::array mergeMappings(json::array base, const json::array& overrides) {
  for (const auto& o : overrides) {
    auto name = o.as_object().at("DeviceName");
    auto same = std::find_if(base.begin(), base.end(), [&](const json::value& b) {
      return b.as_object().at("DeviceName") == name;
    });
    if (same != base.end())
      *same = o;
    else
      base.push_back(o);
  }
  return base;
}

// The fields every image starts with; the caller adds the rest.
// An image of the caller's account in the request's region (its data is the caller's to fill).
Resource newImage(const RequestContext& ctx, const std::string& id) {
  Resource r;
  r.id = id;
  r.kind = std::string(kImage);
  r.owner = ctx.accountId;
  r.region = ctx.region;
  return r;
}

json::object newImageData(const std::string& id, std::string_view owner, std::string_view name, std::string_view now) {
  json::object d;
  d["ImageId"] = id;
  d["ImageLocation"] = fmt::format("{}/{}", owner, name);
  d["State"] = kPending;
  d["OwnerId"] = owner;
  d["CreationDate"] = now;
  d["Public"] = false;
  d["ImageType"] = "machine";
  d["Name"] = name;
  d["Hypervisor"] = "xen";
  d["PlatformDetails"] = "Linux/UNIX";
  d["UsageOperation"] = "RunInstances";
  d["Tags"] = json::array{};
  return d;
}

jobs::JobSpec availableJob(const Ec2Core& core, const Resource& img) {
  return core.jobSpec(img.id, json::object{{"op", "image-available"}, {"owner", img.owner}, {"region", img.region}},
                      core.options().lifecycleDelay);
}

// ---------------------------------------------------------------- built-in images

struct Builtin {
  std::string_view id;
  std::string_view name;
  std::string_view architecture;
  std::string_view description;
};
constexpr std::array<Builtin, 2> kBuiltins{{
    {kBusyboxX86ImageId, "overcast-linux-busybox-x86_64", "x86_64", "overcast built-in Linux (BusyBox), x86_64"},
    {kBusyboxArm64ImageId, "overcast-linux-busybox-arm64", "arm64", "overcast built-in Linux (BusyBox), arm64"},
}};

// A public platform image, available, with one 1 GiB root volume.
Resource platformImage(std::string id, std::string region, std::string_view name, std::string_view architecture,
                       std::string_view description, std::string_view creationDate) {
  Resource r;
  r.id = std::move(id);
  r.kind = std::string(kImage);
  r.owner = std::string(kPlatformOwner);
  r.region = std::move(region);
  json::object d = newImageData(r.id, kPlatformAccountId, name, creationDate);
  d["ImageLocation"] = fmt::format("amazon/{}", name);
  d["State"] = kAvailable;
  d["Public"] = true;
  d["ImageOwnerAlias"] = "amazon";
  d["Architecture"] = architecture;
  d["Description"] = description;
  d["RootDeviceType"] = "ebs";
  d["RootDeviceName"] = "/dev/xvda";
  d["BlockDeviceMappings"] = json::array{json::object{
      {"DeviceName", "/dev/xvda"},
      {"Ebs",
       json::object{{"DeleteOnTermination", true}, {"VolumeSize", 1}, {"VolumeType", "gp2"}, {"Encrypted", false}}}}};
  d["VirtualizationType"] = "hvm";
  d["EnaSupport"] = true;
  d["BootMode"] = architecture == "arm64" ? "uefi" : "uefi-preferred";
  r.data = std::move(d);
  return r;
}

// Adds the built-in images that the store lacks (at start).
void ensureBuiltinImages(Ec2Core& core) {
  bool missing = core.read([](const ResourceRegistry& reg) {
    return std::any_of(kBuiltins.begin(), kBuiltins.end(),
                       [&](const Builtin& b) { return !reg.find(kPlatformOwner, kEveryRegion, b.id); });
  });
  if (!missing) return;
  auto made = core.mutateSync([](Ec2Core::Txn& txn) -> Result<Output> {
    for (const auto& b : kBuiltins)
      if (!txn.find(kPlatformOwner, kEveryRegion, b.id))
        txn.put(platformImage(std::string(b.id), std::string(kEveryRegion), b.name, b.architecture, b.description,
                              kBuiltinCreationDate));
    return Output{};
  });
  (void)made;  // a failed write leaves them to the next start; describes just lack them
}

// ---------------------------------------------------------------- DescribeImages

Result<std::vector<Filter>> imageFilters(const json::object& in) {
  return parseFilters(in, {
    "architecture",
    "block-device-mapping.delete-on-termination",
    "block-device-mapping.device-name",
    "block-device-mapping.snapshot-id",
    "block-device-mapping.volume-size",
    "block-device-mapping.volume-type",
    "block-device-mapping.encrypted",
    "boot-mode",
    "creation-date",
    "description",
    "ena-support",
    "hypervisor",
    "image-id",
    "image-type",
    "is-public",
    "name",
    "owner-alias",
    "owner-id",
    "platform",
    "platform-details",
    "root-device-name",
    "root-device-type",
    "source-instance-id",
    "state",
    "usage-operation",
    "virtualization-type",
    "tag-key",
    "tag-value",
    "tag:",
  });
}

std::string scalarText(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return {};
}

std::vector<std::string> imageFilterValues(const Resource& img, std::string_view f) {
  if (auto tags = tagFilterValues(img, f)) return *tags;
  static constexpr std::pair<std::string_view, std::string_view> kFields[] = {
      {"architecture", "Architecture"},    {"boot-mode", "BootMode"},
      {"creation-date", "CreationDate"},   {"description", "Description"},
      {"ena-support", "EnaSupport"},       {"hypervisor", "Hypervisor"},
      {"image-id", "ImageId"},             {"image-type", "ImageType"},
      {"is-public", "Public"},             {"name", "Name"},
      {"owner-alias", "ImageOwnerAlias"},  {"owner-id", "OwnerId"},
      {"platform", "Platform"},            {"platform-details", "PlatformDetails"},
      {"root-device-name", "RootDeviceName"}, {"root-device-type", "RootDeviceType"},
      {"source-instance-id", "SourceInstanceId"}, {"state", "State"},
      {"usage-operation", "UsageOperation"}, {"virtualization-type", "VirtualizationType"},
  };
  for (const auto& [filter, member] : kFields)
    if (f == filter) {
      auto* v = img.data.if_contains(member);
      if (!v) return {};
      return {scalarText(*v)};
    }
  if (f.starts_with("block-device-mapping.")) {
    auto what = f.substr(std::string_view("block-device-mapping.").size());
    std::vector<std::string> out;
    auto* list = img.data.if_contains("BlockDeviceMappings");
    if (!list || !list->is_array()) return out;
    for (const auto& m : list->get_array()) {
      const auto& o = m.as_object();
      if (what == "device-name") {
        out.push_back(api::stringOf(o, "DeviceName"));
        continue;
      }
      auto* ebs = o.if_contains("Ebs");
      if (!ebs || !ebs->is_object()) continue;
      std::string_view member = what == "snapshot-id"              ? "SnapshotId"
                                : what == "volume-size"            ? "VolumeSize"
                                : what == "volume-type"            ? "VolumeType"
                                : what == "encrypted"              ? "Encrypted"
                                : what == "delete-on-termination" ? "DeleteOnTermination"
                                                                   : "";
      if (auto* v = ebs->get_object().if_contains(member)) out.push_back(scalarText(*v));
    }
    return out;
  }
  return {};
}

// Whether img is one that Owners names (values already checked).
bool ownedBy(const Resource& img, const std::vector<std::string>& owners, std::string_view account) {
  for (const auto& o : owners) {
    if (o == "self" && img.owner == account) return true;
    if (!isAccountId(o) && o != "self" && field(img, "ImageOwnerAlias") == o) return true;
    if (isAccountId(o) && field(img, "OwnerId") == o) return true;
  }
  return false;
}

// Whether img is one that ExecutableUsers names.
bool executableBy(const Resource& img, const std::vector<std::string>& users, std::string_view account) {
  for (const auto& u : users) {
    if (u == "all" && isPublic(img)) return true;
    if ((u == "self" || u == account) && sharedWith(img, account)) return true;
    if (isAccountId(u) && u != account && sharedWith(img, u)) return true;
  }
  return false;
}

Result<Output> describeImages(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto filters = imageFilters(in);
  if (!filters) return filters.error();
  auto ids = api::stringsOf(in, "ImageIds");
  for (const auto& id : ids)
    if (!wellFormedId(id, "ami")) return malformedImageId(id);
  auto owners = api::stringsOf(in, "Owners");
  for (const auto& o : owners)
    if (o != "self" && o != "amazon" && o != "aws-marketplace" && o != "aws-backup-vault" && !isAccountId(o))
      return Error(ErrorCode::InvalidUserIDMalformed, fmt::format("Invalid user id: \"{}\"", o));
  auto users = api::stringsOf(in, "ExecutableUsers");
  for (const auto& u : users)
    if (u != "self" && u != "all" && !isAccountId(u))
      return Error(ErrorCode::InvalidUserIDMalformed, fmt::format("Invalid user id: \"{}\"", u));
  bool includeDeprecated = boolOf(in, "IncludeDeprecated");
  std::string now = isoTime(core.clock().now());

  auto found = core.read([&](const ResourceRegistry& reg) -> Result<std::vector<ResourcePtr>> {
    std::vector<ResourcePtr> all;
    if (!ids.empty()) {
      for (const auto& id : ids) {
        auto img = visibleImage(reg, ctx.accountId, ctx.region, id);
        if (!img) return notFound(kImage, id);
        all.push_back(std::move(img));
      }
    } else {
      for (auto& img : reg.ofKindAllOwners(ctx.region, kImage))
        if (visibleFrom(*img, ctx.accountId, ctx.region)) all.push_back(std::move(img));
    }
    return all;
  });
  if (!found) return found.error();

  std::vector<ResourcePtr> kept;
  for (auto& img : *found) {
    if (!owners.empty() && !ownedBy(*img, owners, ctx.accountId)) continue;
    if (!users.empty() && !executableBy(*img, users, ctx.accountId)) continue;
    // Deprecated images: for their owner, or when asked for.
    if (auto dep = field(*img, "DeprecationTime");
        !dep.empty() && dep <= now && !includeDeprecated && img->owner != ctx.accountId)
      continue;
    if (!matchesAll(*filters, [&](std::string_view f) { return imageFilterValues(*img, f); })) continue;
    kept.push_back(std::move(img));
  }
  std::sort(kept.begin(), kept.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
  auto sameId = [](const ResourcePtr& a, const ResourcePtr& b) { return a->id == b->id; };
  kept.erase(std::unique(kept.begin(), kept.end(), sameId), kept.end());
  auto page = paginate(std::move(kept), api::intOf(in, "MaxResults"), api::stringOf(in, "NextToken"), 5, 1000);
  if (!page) return page.error();
  json::array images;
  for (const auto& img : page->items) images.push_back(img->data);
  Output out;
  out["Images"] = std::move(images);
  if (!page->nextToken.empty()) out["NextToken"] = page->nextToken;
  return out;
}

// ---------------------------------------------------------------- RegisterImage, CreateImage, CopyImage

void registerImage(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  if (auto ok = checkImageName(in); !ok) return reply(ok.error());
  auto tags = tagsFromSpecifications(in, "image");
  if (!tags) return reply(tags.error());
  std::string id = core.ids().resourceId("ami");
  std::string now = isoTime(core.clock().now());
  core.mutate(
      [&core, ctx, in, id, now, tags = std::move(*tags)](Ec2Core::Txn& txn) mutable -> Result<Output> {
        std::string name = api::stringOf(in, "Name");
        if (auto free = checkNameFree(txn, ctx, name); !free) return free.error();
        Resource r = newImage(ctx, id);
        json::object d = newImageData(id, ctx.accountId, name, now);
        auto mappings = blockDeviceMappingsOf(in);
        auto location = api::stringOf(in, "ImageLocation");
        bool instanceStore = !location.empty() && mappings.empty();
        if (!location.empty()) d["ImageLocation"] = location;
        auto arch = api::stringOf(in, "Architecture");
        d["Architecture"] = arch.empty() ? "i386" : arch;
        if (auto desc = api::stringOf(in, "Description"); !desc.empty()) d["Description"] = desc;
        d["RootDeviceType"] = instanceStore ? "instance-store" : "ebs";
        auto root = api::stringOf(in, "RootDeviceName");
        d["RootDeviceName"] = root.empty() ? "/dev/sda1" : root;
        d["BlockDeviceMappings"] = std::move(mappings);
        auto virt = api::stringOf(in, "VirtualizationType");
        d["VirtualizationType"] = virt.empty() ? "paravirtual" : virt;
        if (in.contains("EnaSupport")) d["EnaSupport"] = boolOf(in, "EnaSupport");
        for (std::string_view m : {"BootMode", "KernelId", "RamdiskId", "SriovNetSupport", "TpmSupport", "ImdsSupport"})
          if (auto v = api::stringOf(in, m); !v.empty()) d[m] = v;
        d["Tags"] = std::move(tags);
        r.data = std::move(d);
        txn.enqueue(availableJob(core, r));
        txn.put(std::move(r));
        return Output{{"ImageId", id}};
      },
      std::move(reply));
}

// The instance block device mappings (DescribeInstances shape) as image mappings: sizes and
// types from the instance's image where it had the device, `overrides` last.
json::array imageMappingsOfInstance(const Resource& instance, const ResourcePtr& sourceImage,
                                    const json::array& overrides) {
  json::array out;
  auto* list = instance.data.if_contains("BlockDeviceMappings");
  if (list && list->is_array()) {
    for (const auto& m : list->get_array()) {
      if (!m.is_object()) continue;
      const auto& o = m.get_object();
      auto device = api::stringOf(o, "DeviceName");
      json::object ebs{{"DeleteOnTermination", true}, {"VolumeType", "gp2"}, {"Encrypted", false}};
      if (auto* e = o.if_contains("Ebs"); e && e->is_object() && e->get_object().contains("DeleteOnTermination"))
        ebs["DeleteOnTermination"] = boolOf(e->get_object(), "DeleteOnTermination");
      if (sourceImage)
        if (auto* src = sourceImage->data.if_contains("BlockDeviceMappings"); src && src->is_array())
          for (const auto& s : src->get_array())
            if (api::stringOf(s.as_object(), "DeviceName") == device)
              if (auto* se = s.as_object().if_contains("Ebs"); se && se->is_object())
                for (std::string_view k : {"VolumeSize", "VolumeType", "Iops", "Throughput"})
                  if (auto* v = se->get_object().if_contains(k)) ebs[k] = *v;
      out.push_back(json::object{{"DeviceName", device}, {"Ebs", std::move(ebs)}});
    }
  }
  return mergeMappings(std::move(out), overrides);
}

void createImage(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto instanceId = api::stringOf(in, "InstanceId");
  if (instanceId.empty())
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter instanceId"));
  if (!wellFormedId(instanceId, "i"))
    return reply(Error(ErrorCode::InvalidInstanceIDMalformed, fmt::format("Invalid id: \"{}\"", instanceId)));
  if (auto ok = checkImageName(in); !ok) return reply(ok.error());
  auto tags = tagsFromSpecifications(in, "image");
  if (!tags) return reply(tags.error());
  if (auto snapTags = tagsFromSpecifications(in, "snapshot"); !snapTags) return reply(snapTags.error());
  std::string id = core.ids().resourceId("ami");
  std::string now = isoTime(core.clock().now());
  core.mutate(
      [&core, ctx, in, id, now, instanceId, tags = std::move(*tags)](Ec2Core::Txn& txn) mutable -> Result<Output> {
        auto instance = txn.find(ctx.accountId, ctx.region, instanceId);
        if (!instance || instance->kind != kInstance) return notFound(kInstance, instanceId);
        std::string state;
        if (auto* s = instance->data.if_contains("State"); s && s->is_object())
          state = api::stringOf(s->get_object(), "Name");
        if (state != "running" && state != "stopped")
          return Error(ErrorCode::IncorrectInstanceState,
                       fmt::format("The instance '{}' is not in a state from which it can be imaged.", instanceId));
        std::string name = api::stringOf(in, "Name");
        if (auto free = checkNameFree(txn, ctx, name); !free) return free.error();
        auto sourceImageId = field(*instance, "ImageId");
        auto sourceImage = visibleImage(txn.registry(), ctx.accountId, ctx.region, sourceImageId);
        Resource r = newImage(ctx, id);
        json::object d = newImageData(id, ctx.accountId, name, now);
        auto arch = field(*instance, "Architecture");
        d["Architecture"] = arch.empty() ? (sourceImage ? field(*sourceImage, "Architecture") : "x86_64") : arch;
        if (auto desc = api::stringOf(in, "Description"); !desc.empty()) d["Description"] = desc;
        d["RootDeviceType"] = "ebs";
        auto root = field(*instance, "RootDeviceName");
        d["RootDeviceName"] = root.empty() ? "/dev/xvda" : root;
        d["BlockDeviceMappings"] = imageMappingsOfInstance(*instance, sourceImage, blockDeviceMappingsOf(in));
        auto virt = field(*instance, "VirtualizationType");
        d["VirtualizationType"] = virt.empty() ? "hvm" : virt;
        if (auto* ena = instance->data.if_contains("EnaSupport"); ena && ena->is_bool())
          d["EnaSupport"] = ena->get_bool();
        else if (sourceImage && sourceImage->data.contains("EnaSupport"))
          d["EnaSupport"] = sourceImage->data.at("EnaSupport");
        if (auto pd = field(*instance, "PlatformDetails"); !pd.empty()) d["PlatformDetails"] = pd;
        if (auto bm = field(*instance, "BootMode"); !bm.empty()) d["BootMode"] = bm;
        d["SourceInstanceId"] = instanceId;
        d["Tags"] = std::move(tags);
        r.data = std::move(d);
        r.meta["sourceInstanceId"] = instanceId;
        txn.enqueue(availableJob(core, r));
        txn.put(std::move(r));
        return Output{{"ImageId", id}};
      },
      std::move(reply));
}

void copyImage(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto sourceId = api::stringOf(in, "SourceImageId");
  auto sourceRegion = api::stringOf(in, "SourceRegion");
  if (sourceId.empty())
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter SourceImageId"));
  if (sourceRegion.empty())
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter SourceRegion"));
  if (!findRegion(sourceRegion))
    return reply(Error(ErrorCode::InvalidParameterValue, fmt::format("Invalid region: {}", sourceRegion)));
  if (!wellFormedId(sourceId, "ami")) return reply(malformedImageId(sourceId));
  if (auto ok = checkImageName(in); !ok) return reply(ok.error());
  auto tags = tagsFromSpecifications(in, "image");
  if (!tags) return reply(tags.error());
  std::string id = core.ids().resourceId("ami");
  std::string now = isoTime(core.clock().now());
  core.mutate(
      [&core, ctx, in, id, now, sourceId, sourceRegion, tags = std::move(*tags)](Ec2Core::Txn& txn) mutable
      -> Result<Output> {
        auto token = api::stringOf(in, "ClientToken");
        if (!token.empty())
          for (const auto& r : txn.registry().ofKind(ctx.accountId, ctx.region, kImage))
            if (auto* t = r->meta.if_contains("clientToken"); t && t->is_string() && t->get_string() == token)
              return Output{{"ImageId", r->id}};
        auto source = visibleImage(txn.registry(), ctx.accountId, sourceRegion, sourceId);
        if (!source) return notFound(kImage, sourceId);
        if (field(*source, "State") != kAvailable)
          return Error(ErrorCode::InvalidAMIIDUnavailable,
                       fmt::format("The AMI ID '{}' is currently {} and may not be used for this operation", sourceId,
                                   field(*source, "State")));
        std::string name = api::stringOf(in, "Name");
        if (auto free = checkNameFree(txn, ctx, name); !free) return free.error();
        Resource r = newImage(ctx, id);
        json::object d = newImageData(id, ctx.accountId, name, now);
        for (std::string_view m : {"Architecture", "RootDeviceType", "RootDeviceName", "BlockDeviceMappings",
                                   "VirtualizationType", "Hypervisor", "EnaSupport", "BootMode", "PlatformDetails",
                                   "UsageOperation", "Platform", "KernelId", "RamdiskId", "SriovNetSupport",
                                   "TpmSupport", "ImdsSupport"})
          if (auto* v = source->data.if_contains(m)) d[m] = *v;
        if (in.contains("Description"))
          d["Description"] = api::stringOf(in, "Description");
        else if (auto* v = source->data.if_contains("Description"))
          d["Description"] = *v;
        d["SourceImageId"] = sourceId;
        d["SourceImageRegion"] = sourceRegion;
        json::array allTags;
        if (boolOf(in, "CopyImageTags") && source->owner == ctx.accountId)
          if (auto* t = source->data.if_contains("Tags"); t && t->is_array()) allTags = t->get_array();
        for (const auto& t : tags) {
          auto key = t.as_object().at("Key");
          allTags.erase(std::remove_if(allTags.begin(), allTags.end(),
                                       [&](const json::value& x) { return x.as_object().at("Key") == key; }),
                        allTags.end());
          allTags.push_back(t);
        }
        if (auto ok = checkTags(allTags); !ok) return ok.error();
        d["Tags"] = std::move(allTags);
        r.data = std::move(d);
        if (!token.empty()) r.meta["clientToken"] = token;
        txn.enqueue(availableJob(core, r));
        txn.put(std::move(r));
        return Output{{"ImageId", id}};
      },
      std::move(reply));
}

// ---------------------------------------------------------------- DeregisterImage, attributes

// The caller's own image `id` in its region, for a change; AuthFailure for an image it may only
// see, NotFound for one it may not.
Result<ResourcePtr> ownImage(const Ec2Core::Txn& txn, const RequestContext& ctx, const std::string& id) {
  if (id.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter imageId");
  if (!wellFormedId(id, "ami")) return malformedImageId(id);
  if (auto r = txn.find(ctx.accountId, ctx.region, id); r && r->kind == kImage) return r;
  if (visibleImage(txn.registry(), ctx.accountId, ctx.region, id)) return notAuthorized(id);
  return notFound(kImage, id);
}

void deregisterImage(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  core.mutate(
      [ctx, in](Ec2Core::Txn& txn) -> Result<Output> {
        auto img = ownImage(txn, ctx, api::stringOf(in, "ImageId"));
        if (!img) return img.error();
        txn.erase(keyOf(**img));
        return Output{{"Return", true}};
      },
      std::move(reply));
}

json::array launchPermissionsOf(const Resource& img) {
  json::array out;
  if (isPublic(img)) out.push_back(json::object{{"Group", "all"}});
  if (auto* users = img.meta.if_contains("launchUsers"); users && users->is_array())
    for (const auto& u : users->get_array()) out.push_back(json::object{{"UserId", u}});
  return out;
}

json::object valueOf(const Resource& img, std::string_view member) {
  auto* v = img.data.if_contains(member);
  if (!v || v->is_null()) return {};
  return json::object{{"Value", scalarText(*v)}};
}

Result<Output> describeImageAttribute(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto id = api::stringOf(in, "ImageId");
  auto attribute = api::stringOf(in, "Attribute");
  if (id.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter ImageId");
  if (attribute.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter Attribute");
  if (!wellFormedId(id, "ami")) return malformedImageId(id);
  auto img = core.read([&](const ResourceRegistry& reg) { return visibleImage(reg, ctx.accountId, ctx.region, id); });
  if (!img) return notFound(kImage, id);
  Output out;
  out["ImageId"] = id;
  if (attribute == "launchPermission") {
    if (img->owner != ctx.accountId) return notAuthorized(id);
    out["LaunchPermissions"] = launchPermissionsOf(*img);
  } else if (attribute == "description") {
    out["Description"] = valueOf(*img, "Description");
  } else if (attribute == "blockDeviceMapping") {
    auto* v = img->data.if_contains("BlockDeviceMappings");
    out["BlockDeviceMappings"] = v && v->is_array() ? v->get_array() : json::array{};
  } else if (attribute == "productCodes") {
    out["ProductCodes"] = json::array{};
  } else if (attribute == "kernel") {
    out["KernelId"] = valueOf(*img, "KernelId");
  } else if (attribute == "ramdisk") {
    out["RamdiskId"] = valueOf(*img, "RamdiskId");
  } else if (attribute == "sriovNetSupport") {
    out["SriovNetSupport"] = valueOf(*img, "SriovNetSupport");
  } else if (attribute == "bootMode") {
    out["BootMode"] = valueOf(*img, "BootMode");
  } else if (attribute == "tpmSupport") {
    out["TpmSupport"] = valueOf(*img, "TpmSupport");
  } else if (attribute == "imdsSupport") {
    out["ImdsSupport"] = valueOf(*img, "ImdsSupport");
  } else if (attribute == "uefiData") {
    out["UefiData"] = json::object{};
  } else if (attribute == "lastLaunchedTime") {
    out["LastLaunchedTime"] = valueOf(*img, "LastLaunchedTime");
  } else if (attribute == "deregistrationProtection") {
    out["DeregistrationProtection"] = json::object{{"Value", "disabled"}};
  } else {
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ({}) for parameter attribute is invalid. Unknown attribute.", attribute));
  }
  return out;
}

struct PermissionChange {
  std::vector<std::string> addUsers, removeUsers;
  bool addAll = false, removeAll = false;
};

// Launch permission changes in either form: LaunchPermission {Add, Remove} (boto3, the CLI) or
// Attribute=launchPermission, OperationType, UserId.N / UserGroup.N (boto 2).
Result<PermissionChange> permissionChange(const json::object& in) {
  PermissionChange c;
  auto take = [&](const json::object& item, bool add) -> Result<void> {
    auto user = api::stringOf(item, "UserId");
    auto group = api::stringOf(item, "Group");
    if (item.contains("UserId")) {
      if (!isAccountId(user))
        return Error(ErrorCode::InvalidUserIDMalformed, fmt::format("User ID '{}' is invalid", user));
      (add ? c.addUsers : c.removeUsers).push_back(user);
    }
    if (item.contains("Group")) {
      if (group != "all")
        return Error(ErrorCode::InvalidAMIAttributeItemValue,
                     fmt::format("Invalid attribute item value \"{}\" for group item type.", group));
      (add ? c.addAll : c.removeAll) = true;
    }
    return {};
  };
  if (auto* lp = in.if_contains("LaunchPermission"); lp && lp->is_object()) {
    for (auto [member, add] : {std::pair{"Add", true}, std::pair{"Remove", false}})
      if (auto* list = lp->get_object().if_contains(member); list && list->is_array())
        for (const auto& item : list->get_array())
          if (item.is_object())
            if (auto ok = take(item.get_object(), add); !ok) return ok.error();
  }
  auto op = api::stringOf(in, "OperationType");
  for (const auto& u : api::stringsOf(in, "UserIds"))
    if (auto ok = take(json::object{{"UserId", u}}, op != "remove"); !ok) return ok.error();
  for (const auto& g : api::stringsOf(in, "UserGroups"))
    if (auto ok = take(json::object{{"Group", g}}, op != "remove"); !ok) return ok.error();
  if (!op.empty() && op != "add" && op != "remove")
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ({}) for parameter operationType is invalid.", op));
  return c;
}

void modifyImageAttribute(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto attribute = api::stringOf(in, "Attribute");
  auto change = permissionChange(in);
  if (!change) return reply(change.error());
  std::optional<std::string> description;
  if (auto v = attributeValue(in, "Description"); v && v->is_string()) description = std::string(v->get_string());
  if (attribute == "description" && in.contains("Value")) description = api::stringOf(in, "Value");
  bool permissions = in.contains("LaunchPermission") || in.contains("UserIds") || in.contains("UserGroups");
  if (!attribute.empty() && attribute != "launchPermission" && attribute != "description")
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter attribute is invalid. Unknown attribute.", attribute)));
  if (!permissions && !description)
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter launchPermission"));
  core.mutate(
      [ctx, in, change = std::move(*change), description, permissions](Ec2Core::Txn& txn) -> Result<Output> {
        auto img = ownImage(txn, ctx, api::stringOf(in, "ImageId"));
        if (!img) return img.error();
        if (auto state = field(**img, "State"); state != kAvailable)
          return Error(ErrorCode::InvalidAMIIDUnavailable,
                       fmt::format("The AMI ID '{}' is currently {} and may not be used for this operation",
                                   (*img)->id, state));
        Resource next = **img;
        if (description) next.data["Description"] = *description;
        if (permissions) {
          std::vector<std::string> users;
          if (auto* u = next.meta.if_contains("launchUsers"); u && u->is_array())
            for (const auto& v : u->get_array()) users.emplace_back(v.as_string());
          for (const auto& u : change.addUsers)
            if (std::find(users.begin(), users.end(), u) == users.end()) users.push_back(u);
          std::erase_if(users, [&](const std::string& u) {
            return std::find(change.removeUsers.begin(), change.removeUsers.end(), u) != change.removeUsers.end();
          });
          json::array arr;
          for (const auto& u : users) arr.push_back(json::value(u));
          next.meta["launchUsers"] = std::move(arr);
          if (change.addAll) next.data["Public"] = true;
          if (change.removeAll) next.data["Public"] = false;
        }
        txn.put(std::move(next));
        return Output{};
      },
      std::move(reply));
}

void resetImageAttribute(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto attribute = api::stringOf(in, "Attribute");
  if (attribute != "launchPermission")
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter attribute is invalid. Only launchPermission can be reset.",
                                   attribute)));
  core.mutate(
      [ctx, in](Ec2Core::Txn& txn) -> Result<Output> {
        auto img = ownImage(txn, ctx, api::stringOf(in, "ImageId"));
        if (!img) return img.error();
        Resource next = **img;
        next.meta.erase("launchUsers");
        next.data["Public"] = false;
        txn.put(std::move(next));
        return Output{};
      },
      std::move(reply));
}

// ---------------------------------------------------------------- the job

jobs::JobOutcome imageAvailable(Ec2Core& core, const json::object& payload, const jobs::Job& job) {
  std::string owner = api::stringOf(payload, "owner");
  std::string region = api::stringOf(payload, "region");
  std::string id = job.target;
  auto done = core.mutateSync([&](Ec2Core::Txn& txn) -> Result<Output> {
    auto img = txn.find(owner, region, id);
    if (!img || img->kind != kImage || field(*img, "State") != kPending) return Output{};  // gone or done
    Resource next = *img;
    next.data["State"] = kAvailable;
    txn.put(std::move(next));
    return Output{};
  });
  if (!done) return jobs::Retry{std::nullopt, done.error().message()};
  return jobs::Done{};
}

}  // namespace

// ---------------------------------------------------------------- images.h

ResourcePtr visibleImage(const ResourceRegistry& registry, std::string_view account, std::string_view region,
                         std::string_view imageId) {
  if (auto r = registry.find(account, region, imageId); r && r->kind == kImage) return r;
  if (auto r = registry.find(kPlatformOwner, kEveryRegion, imageId); r && visibleFrom(*r, account, region)) return r;
  if (auto r = registry.find(kPlatformOwner, region, imageId); r && visibleFrom(*r, account, region)) return r;
  for (const auto& r : registry.ofKindAllOwners(region, kImage))
    if (r->id == imageId && visibleFrom(*r, account, region)) return r;
  return nullptr;
}

Result<ResourcePtr> launchableImage(const ResourceRegistry& registry, std::string_view account,
                                    std::string_view region, std::string_view imageId) {
  if (!wellFormedId(imageId, "ami")) return malformedImageId(imageId);
  auto img = visibleImage(registry, account, region, imageId);
  if (!img) return notFound(kImage, imageId);
  if (auto state = field(*img, "State"); state != kAvailable)
    return Error(ErrorCode::InvalidAMIIDUnavailable, fmt::format("AMI '{}' is {}, and cannot be run", imageId, state));
  return img;
}

Result<json::object> importPlatformImage(Ec2Handle& ec2, const json::object& request) {
  auto* service = dynamic_cast<Ec2Service*>(&ec2);
  if (!service) return Error(ErrorCode::InternalFailure, "not the EC2 service");
  auto id = api::stringOf(request, "ImageId");
  if (id.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter ImageId");
  if (!wellFormedId(id, "ami")) return malformedImageId(id);
  auto name = api::stringOf(request, "Name");
  if (name.empty()) name = "overcast-imported-" + id;
  json::object nameCheck{{"Name", name}};
  if (auto ok = checkImageName(nameCheck); !ok) return ok.error();
  auto arch = api::stringOf(request, "Architecture");
  if (arch.empty()) arch = "x86_64";
  if (arch != "i386" && arch != "x86_64" && arch != "arm64" && arch != "x86_64_mac" && arch != "arm64_mac")
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ({}) for parameter architecture is invalid.", arch));
  auto region = api::stringOf(request, "Region");
  if (!region.empty() && !findRegion(region))
    return Error(ErrorCode::InvalidParameterValue, fmt::format("Unknown region: {}", region));
  if (region.empty()) region = std::string(kEveryRegion);
  auto description = api::stringOf(request, "Description");
  if (description.empty()) description = "Imported with overcast admin image import";
  Ec2Core& core = service->core();
  std::string now = isoTime(core.clock().now());
  auto made = core.mutateSync([&](Ec2Core::Txn& txn) -> Result<Output> {
    for (const auto& [owner, r] : txn.registry().scopes())
      if (auto existing = txn.find(owner, r, id); existing && existing->kind == kImage)
        return Error(ErrorCode::InvalidParameterValue, fmt::format("An image with id {} already exists.", id));
    txn.put(platformImage(id, region, name, arch, description, now));
    return Output{{"ImageId", id}, {"Region", region}, {"Name", name}};
  });
  if (!made) return made.error();
  return *made;
}

void addImageActions(Ec2Service& service, Ec2Core& core) {
  ensureBuiltinImages(core);
  core.addJobHandler("image-available", [&core](const json::object& payload, const jobs::Job& job) {
    return imageAvailable(core, payload, job);
  });
  service.addSync("DescribeImages",
                  [&core](const RequestContext& ctx, const json::object& in) { return describeImages(core, ctx, in); });
  service.addSync("DescribeImageAttribute", [&core](const RequestContext& ctx, const json::object& in) {
    return describeImageAttribute(core, ctx, in);
  });
  service.add("RegisterImage", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    registerImage(core, ctx, in, std::move(reply));
  });
  service.add("CreateImage", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    createImage(core, ctx, in, std::move(reply));
  });
  service.add("CopyImage", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    copyImage(core, ctx, in, std::move(reply));
  });
  service.add("DeregisterImage", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    deregisterImage(core, ctx, in, std::move(reply));
  });
  service.add("ModifyImageAttribute", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    modifyImageAttribute(core, ctx, in, std::move(reply));
  });
  service.add("ResetImageAttribute", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    resetImageAttribute(core, ctx, in, std::move(reply));
  });
}

}  // namespace overcast::ec2
