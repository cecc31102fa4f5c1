#include "services/router/service/router_core.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "lib/sms/segments.h"
#include "services/router/service/derived_id.h"

namespace smsflow::router {
namespace {

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(ts));
}

// Distinguishes the router's derived ids from any other derivation (consent
// replies) of the same inbound id.
constexpr std::string_view kAutoReplyPurpose = "router-auto-reply";

std::string EnumLabel(const std::string& name, size_t prefix) {
  if (name.size() <= prefix) return "unspecified";
  return absl::AsciiStrToLower(name.substr(prefix));
}

}  // namespace

std::string MatchKindLabel(v1::MatchKind kind) {
  return EnumLabel(v1::MatchKind_Name(kind), sizeof("MATCH_KIND_") - 1);
}

std::string FamilyLabel(v1::KeywordFamily family) {
  if (family == v1::KEYWORD_FAMILY_UNSPECIFIED) return "none";
  return EnumLabel(v1::KeywordFamily_Name(family), sizeof("KEYWORD_FAMILY_") - 1);
}

Router::Router(RuleRegistry& rules, std::shared_ptr<const IntentModel> model,
               RouterMetrics& metrics, RouterOptions options)
    : rules_(rules), model_(std::move(model)), metrics_(metrics), options_(options) {}

Decision Router::Classify(const std::string& tenant, std::string_view to, std::string_view body,
                          absl::Time when, int top_k) const {
  const auto start = std::chrono::steady_clock::now();
  Decision out;
  // Held for the whole decision: Match returns views into this table.
  const std::shared_ptr<const TenantRules> table = rules_.Get(tenant);
  MatchInput input;
  input.text = body;
  input.destination_number = to;
  input.time = when;
  IntentScore top;
  if (model_ != nullptr) {
    if (top_k > 0) {
      out.top_intents = model_->PredictTop(body, top_k);
      top = out.top_intents.empty() ? model_->Predict(body) : out.top_intents.front();
    } else {
      top = model_->Predict(body);
    }
    input.intent = IntentPrediction{top.intent, top.confidence};
    out.classification.set_intent(top.intent);
    out.classification.set_confidence(top.confidence);
    out.classification.set_model_version(model_->version());
  }
  const MatchResult match = table->compiled->Match(input);
  match.ToProto(&out.classification);
  auto reply = table->compiled->RenderAutoReply(match, {});
  if (!reply.ok()) {
    out.reply_error = reply.status();
  } else if (reply->has_value()) {
    out.reply = std::move(**reply);
  }
  metrics_.classify_latency.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return out;
}

absl::StatusOr<RouteResult> Router::Route(const v1::InboundMessage& message, absl::Time now) const {
  if (message.tenant_id().empty()) return absl::InvalidArgumentError("tenant_id: empty");
  if (message.from().empty()) return absl::InvalidArgumentError("from: empty");
  if (!sms::IsMessageId(message.message_id())) {
    return absl::InvalidArgumentError(
        absl::StrCat("message_id: '", message.message_id(), "' is not a UUIDv7 message id"));
  }
  const absl::Time when =
      message.has_received_time() ? FromTimestamp(message.received_time()) : now;
  Decision decision = Classify(message.tenant_id(), message.to(), message.body(), when);

  RouteResult out;
  *out.routed.mutable_message() = message;
  *out.routed.mutable_classification() = decision.classification;
  *out.routed.mutable_routed_time() = ToTimestamp(now);
  if (!decision.reply_error.ok()) {
    out.reply_outcome = "skipped_missing_variable";
    return out;
  }
  // Compliance messages never carry a reply (the engine guarantees it); the
  // check here keeps that true even if the engine changed.
  if (!decision.reply.has_value() || decision.classification.compliance_keyword()) return out;
  auto segments = sms::CountSegments(*decision.reply);
  if (decision.reply->empty() || !segments.ok() || message.to().empty()) {
    out.reply_outcome = "skipped_invalid";
    return out;
  }
  auto id = DeriveMessageId(message.message_id(), kAutoReplyPurpose);
  if (!id.ok()) return id.status();

  v1::OutboundRequest& req = out.reply.emplace();
  req.set_message_id(*id);
  req.set_tenant_id(message.tenant_id());
  req.set_sender_scope(message.sender_scope());
  req.set_from(message.to());  // the business number the customer wrote to
  req.set_to(message.from());
  req.set_body(*decision.reply);
  req.set_encoding(segments->encoding == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7
                                                              : v1::ENCODING_UCS2);
  req.set_segments(segments->segments);
  req.set_category(v1::CATEGORY_CONVERSATIONAL);
  *req.mutable_expire_time() = ToTimestamp(now + options_.auto_reply_validity);
  req.set_origin(v1::OUTBOUND_ORIGIN_ROUTER_AUTO_REPLY);
  req.set_inbound_message_id(message.message_id());
  *req.mutable_request_time() = ToTimestamp(now);
  req.set_requested_by("router");
  out.routed.set_auto_reply_message_id(*id);
  out.reply_outcome = "requested";
  return out;
}

std::vector<kafka::Record> Router::ToRecords(const RouteResult& result) {
  const v1::InboundMessage& m = result.routed.message();
  std::vector<kafka::Record> records;
  records.push_back(kafka::ProtoRecord(kafka::topics::kRouted,
                                       absl::StrCat(m.tenant_id(), "|", m.from()), result.routed));
  if (result.reply.has_value()) {
    records.push_back(kafka::ProtoRecord(
        kafka::topics::kOutboundRequested,
        absl::StrCat(result.reply->tenant_id(), "|", result.reply->to()), *result.reply));
  }
  return records;
}

}  // namespace smsflow::router
