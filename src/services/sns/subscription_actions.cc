// Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic) and the subscription
// attributes. A subscription that needs confirmation gets its confirmation message as a
// delivery job written in the same transaction as the subscription.
#include <fmt/format.h>

#include "services/sns/sns_core.h"
#include "services/sns/sns_store.h"

namespace overcast::sns {
namespace {

constexpr size_t kListPage = 100;
constexpr int64_t kTokenLifetimeMillis = 2LL * 24 * 3600 * 1000;  // confirmation tokens last two days (AWS)

Error invalid(std::string_view what) { return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: {}", what)); }

json::object listEntry(const Subscription& s) {
  return json::object{{"SubscriptionArn", s.confirmed ? s.arn : std::string("PendingConfirmation")},
                      {"Owner", s.owner},
                      {"Protocol", std::string(toString(s.protocol))},
                      {"Endpoint", s.endpoint},
                      {"TopicArn", s.topicArn}};
}

// Subscriptions are in ARN order (a subscription's ARN starts with its topic's); a page
// continues after the NextToken, the last ARN of the page before.
Output page(const std::vector<SubscriptionPtr>& all, std::string_view after) {
  json::array list;
  std::string last;
  bool more = false;
  for (const auto& s : all) {
    if (!after.empty() && s->arn <= after) continue;
    if (list.size() == kListPage) {
      more = true;
      break;
    }
    list.push_back(listEntry(*s));
    last = s->arn;
  }
  Output out{{"Subscriptions", std::move(list)}};
  if (more) out["NextToken"] = last;
  return out;
}

}  // namespace

Result<json::object> SnsCore::confirmationPayload(const RequestContext& ctx, const Topic& topic, const Subscription& s,
                                                  SnsMessageType type) {
  const std::string base = baseUrl(ctx);
  SnsMessage m;
  m.type = type;
  m.messageId = ids_.uuid();
  m.topicArn = topic.arn;
  m.token = s.token;
  m.timestamp = formatTimestamp(ctx.now);
  m.subscribeUrl = fmt::format("{}/?Action=ConfirmSubscription&TopicArn={}&Token={}", base, queryEncode(topic.arn), queryEncode(s.token));
  m.signingCertUrl = signingCertUrl(ctx);
  if (type == SnsMessageType::SubscriptionConfirmation)
    m.message = fmt::format("You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit the "
                            "SubscribeURL included in this message.", topic.arn);
  else
    m.message = fmt::format("You have chosen to deactivate subscription {}.\nTo cancel this operation and restore the "
                            "subscription, visit the SubscribeURL included in this message.", s.arn);
  auto document = signedDocument(m, topic);
  if (!document) return document.error();
  json::object payload{{"type", std::string(messageTypeName(type))},
                       {"messageId", m.messageId},
                       {"topicArn", topic.arn},
                       {"document", std::move(*document)},
                       {"subscribeUrl", m.subscribeUrl},
                       {"displayName", topic.attribute("DisplayName")}};
  return payload;
}

void SnsCore::subscribe(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "Subscribe");
  if (!topic) return reply(topic.error());
  const Topic& t = **topic;
  const std::string protocolText = stringOf(in, "Protocol");
  auto protocol = parseProtocol(protocolText);
  if (!protocol) {
    static constexpr std::string_view kKnown[] = {"sms", "application", "lambda", "firehose"};
    for (auto k : kKnown)
      if (k == protocolText) return reply(invalid(fmt::format("Protocol: overcast does not deliver to {} endpoints", k)));
    return reply(invalid(fmt::format("Invalid protocol type: {}", protocolText)));
  }
  const std::string endpoint = stringOf(in, "Endpoint");
  if (auto ok = validateEndpoint(*protocol, endpoint); !ok) return reply(ok.error());
  if (t.fifo() && (*protocol != Protocol::Sqs || !endpoint.ends_with(".fifo")))
    return reply(invalid(fmt::format("Invalid parameter: Endpoint Reason: FIFO SNS topics currently only support "
                                     "Amazon SQS FIFO queues as endpoints")));
  AttributeMap attributes = attributeMapOf(in, "Attributes");
  for (const auto& [k, v] : attributes)
    if (auto ok = validateSubscriptionAttribute(k, v, *protocol); !ok) return reply(ok.error());
  auto filter = parseFilter(attributes);
  if (!filter) return reply(filter.error());
  auto* returnArnValue = in.if_contains("ReturnSubscriptionArn");
  const bool returnArn = returnArnValue && returnArnValue->is_bool() && returnArnValue->get_bool();

  if (auto existing = registry_.findSubscription(t.arn, *protocol, endpoint)) {
    for (const auto& [k, v] : attributes)
      if ((*existing)->attribute(k) != v)
        return reply(invalid("Attributes Reason: Subscription already exists with different attributes"));
    return reply(Output{{"SubscriptionArn", (*existing)->confirmed || returnArn ? (*existing)->arn
                                                                                 : std::string("pending confirmation")}});
  }

  auto s = std::make_shared<Subscription>();
  s->arn = fmt::format("{}:{}", t.arn, ids_.uuid());
  s->topicArn = t.arn;
  s->owner = ctx.accountId;
  s->protocol = *protocol;
  s->endpoint = endpoint;
  s->attributes = std::move(attributes);
  s->filter = std::move(*filter);
  s->createdAt = millisOf(ctx.now);
  // A queue of the topic's own account is confirmed at once; everything else confirms.
  const auto queue = *protocol == Protocol::Sqs ? parseArn(endpoint, "sqs") : std::nullopt;
  s->confirmed = queue && queue->account == t.account;
  s->token = s->confirmed ? std::string() : newToken(ids_);
  std::optional<json::object> confirmation;
  if (!s->confirmed) {
    auto payload = confirmationPayload(ctx, t, *s, SnsMessageType::SubscriptionConfirmation);
    if (!payload) return reply(payload.error());
    confirmation = std::move(*payload);
  }
  store_.write(
      [this, s, confirmation, now = ctx.now](store::WriteTxn& txn) -> Result<void> {
        if (auto r = upsertSubscription(txn, *s); !r) return r;
        if (!confirmation) return {};
        if (auto r = enqueueDelivery(txn, *s, *confirmation, now); !r) return r;
        return enqueueDelivery(txn, *s, json::object{{"type", "Expire"}}, now, kUnconfirmedLifetime);
      },
      [this, s, returnArn, reply = std::move(reply)](Result<void> done) {
        if (!done) return reply(done.error());
        registry_.putSubscription(s);
        if (!s->confirmed) wakeJobs();
        reply(Output{{"SubscriptionArn", s->confirmed || returnArn ? s->arn : std::string("pending confirmation")}});
      });
}

void SnsCore::confirmSubscription(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string topicArn = stringOf(in, "TopicArn");
  const std::string token = stringOf(in, "Token");
  if (!parseArn(topicArn, "sns")) return reply(invalid("TopicArn"));
  if (!registry_.topic(topicArn)) return reply(Error(ErrorCode::NotFound, "Topic does not exist"));
  SubscriptionPtr match;
  for (const auto& s : registry_.subscriptionsOf(topicArn))
    if (!token.empty() && s->token == token) match = s;
  if (!match) return reply(invalid("Token"));
  if (match->confirmed) return reply(Output{{"SubscriptionArn", match->arn}});  // a second click confirms nothing new
  if (millisOf(ctx.now) - match->createdAt > kTokenLifetimeMillis) return reply(invalid("Token"));  // expired
  auto updated = std::make_shared<Subscription>(*match);
  updated->confirmed = true;
  if (auto* a = in.if_contains("AuthenticateOnUnsubscribe"); a && a->is_string() && a->get_string() == "true" &&
                                                              !ctx.accountId.empty())
    updated->attributes["ConfirmationWasAuthenticated"] = "true";
  store_.write([updated](store::WriteTxn& txn) { return upsertSubscription(txn, *updated); },
               [this, updated, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.putSubscription(updated);
                 reply(Output{{"SubscriptionArn", updated->arn}});
               });
}

void SnsCore::unsubscribe(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string arn = stringOf(in, "SubscriptionArn");
  if (!topicArnOfSubscription(arn)) return reply(invalid("SubscriptionArn"));
  auto s = registry_.subscription(arn);
  if (!s) return reply(Error(ErrorCode::NotFound, "Subscription does not exist"));
  auto topic = registry_.topic((*s)->topicArn);
  if (!topic) return reply(Error(ErrorCode::NotFound, "Subscription does not exist"));
  // The subscriber, the topic's owner, or (anonymously) whoever holds the UnsubscribeURL.
  if (!ctx.accountId.empty() && ctx.accountId != (*s)->owner && ctx.accountId != (*topic)->account)
    return reply(Error(ErrorCode::AuthorizationError,
                       fmt::format("User: arn:aws:iam::{}:root is not authorized to perform: SNS:Unsubscribe on "
                                   "resource: {}", ctx.accountId, arn)));
  std::optional<json::object> farewell;
  if ((*s)->confirmed && ((*s)->protocol == Protocol::Http || (*s)->protocol == Protocol::Https)) {
    Subscription withToken = **s;
    withToken.token = newToken(ids_);
    auto payload = confirmationPayload(ctx, **topic, withToken, SnsMessageType::UnsubscribeConfirmation);
    if (payload) farewell = std::move(*payload);
  }
  auto gone = *s;
  store_.write(
      [this, gone, farewell, now = ctx.now](store::WriteTxn& txn) -> Result<void> {
        if (auto r = deleteSubscriptionRow(txn, gone->arn); !r) return r;
        if (farewell) return enqueueDelivery(txn, *gone, *farewell, now);
        return {};
      },
      [this, gone, farewell, reply = std::move(reply)](Result<void> done) {
        if (!done) return reply(done.error());
        registry_.removeSubscription(gone->arn);
        if (farewell) wakeJobs();
        reply(Output{});
      });
}

Result<Output> SnsCore::listSubscriptions(const RequestContext& ctx, const json::object& in) {
  return page(registry_.subscriptionsOwnedBy(ctx.accountId, ctx.region), stringOf(in, "NextToken"));
}

Result<Output> SnsCore::listSubscriptionsByTopic(const RequestContext& ctx, const json::object& in) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "ListSubscriptionsByTopic");
  if (!topic) return topic.error();
  return page(registry_.subscriptionsOf((*topic)->arn), stringOf(in, "NextToken"));
}

Result<Output> SnsCore::getSubscriptionAttributes(const RequestContext& ctx, const json::object& in) {
  const std::string arn = stringOf(in, "SubscriptionArn");
  if (!topicArnOfSubscription(arn)) return invalid("SubscriptionArn");
  auto s = registry_.subscription(arn);
  if (!s) return Error(ErrorCode::NotFound, "Subscription does not exist");
  const Subscription& sub = **s;
  auto topic = registry_.topic(sub.topicArn);
  if (ctx.accountId != sub.owner && (!topic || ctx.accountId != (*topic)->account))
    return Error(ErrorCode::AuthorizationError, "User is not authorized to read this subscription");
  json::object a;
  a["SubscriptionArn"] = sub.arn;
  a["TopicArn"] = sub.topicArn;
  a["Owner"] = sub.owner;
  a["Protocol"] = std::string(toString(sub.protocol));
  a["Endpoint"] = sub.endpoint;
  a["PendingConfirmation"] = sub.confirmed ? "false" : "true";
  a["ConfirmationWasAuthenticated"] = sub.attribute("ConfirmationWasAuthenticated") == "true" || sub.token.empty() ? "true" : "false";
  a["RawMessageDelivery"] = sub.raw() ? "true" : "false";
  if (sub.protocol == Protocol::Http || sub.protocol == Protocol::Https) {
    std::string policy = sub.attribute("DeliveryPolicy");
    a["EffectiveDeliveryPolicy"] = policy.empty() ? (topic ? (*topic)->attribute("DeliveryPolicy") : std::string()) : policy;
    if (a["EffectiveDeliveryPolicy"].as_string().empty()) a["EffectiveDeliveryPolicy"] = defaultHttpDeliveryPolicy();
  }
  for (const auto& [k, v] : sub.attributes)
    if (!a.contains(k)) a[k] = v;
  if (sub.attributes.count("FilterPolicy") && !sub.attributes.count("FilterPolicyScope"))
    a["FilterPolicyScope"] = "MessageAttributes";
  return Output{{"Attributes", std::move(a)}};
}

void SnsCore::setSubscriptionAttributes(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string arn = stringOf(in, "SubscriptionArn");
  if (!topicArnOfSubscription(arn)) return reply(invalid("SubscriptionArn"));
  auto s = registry_.subscription(arn);
  if (!s) return reply(Error(ErrorCode::NotFound, "Subscription does not exist"));
  auto topic = registry_.topic((*s)->topicArn);
  if (ctx.accountId != (*s)->owner && (!topic || ctx.accountId != (*topic)->account))
    return reply(Error(ErrorCode::AuthorizationError, "User is not authorized to change this subscription"));
  const std::string name = stringOf(in, "AttributeName");
  const std::string value = stringOf(in, "AttributeValue");
  if (auto ok = validateSubscriptionAttribute(name, value, (*s)->protocol); !ok) return reply(ok.error());
  auto updated = std::make_shared<Subscription>(**s);
  if (value.empty() && name != "RawMessageDelivery") updated->attributes.erase(name);
  else updated->attributes[name] = value;
  auto filter = parseFilter(updated->attributes);
  if (!filter) return reply(filter.error());
  updated->filter = std::move(*filter);
  store_.write([updated](store::WriteTxn& txn) { return upsertSubscription(txn, *updated); },
               [this, updated, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.putSubscription(updated);
                 reply(Output{});
               });
}

}  // namespace overcast::sns
