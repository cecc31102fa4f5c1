#include "services/consent/ledger/inbound_plan.h"

#include "lib/consent_view/consent_state.h"
#include "lib/keywords/opt_out_phrase_rules.h"
#include "lib/keywords/opt_out_phrase_scorer.h"
#include "lib/keywords/tenant_classifiers.h"
#include "lib/sms/segments.h"
#include "services/consent/ledger/derived_ids.h"

namespace smsflow::consent::ledger {
namespace {

v1::ConsentEvent BaseEvent(const v1::InboundMessage& m, absl::Time now) {
  v1::ConsentEvent e;
  const absl::Time received = m.has_received_time() ? FromProto(m.received_time()) : now;
  e.set_event_id(DerivedIdFromMessage(kEventPurpose, m.message_id(), received));
  e.set_tenant_id(m.tenant_id());
  e.set_sender_scope(m.sender_scope());
  e.set_recipient(m.from());
  v1::ConsentProof* p = e.mutable_proof();
  *p->mutable_capture_time() = ToProto(received);
  p->set_text(m.body());
  p->set_reference(m.message_id());
  p->set_recorded_by(kConsentPrincipal);
  *e.mutable_record_time() = ToProto(now);
  e.set_inbound_message_id(m.message_id());
  return e;
}

}  // namespace

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t ns = absl::ToUnixNanos(t);
  ts.set_seconds(ns / 1000000000);
  ts.set_nanos(static_cast<int32_t>(ns % 1000000000));
  if (ts.nanos() < 0) {
    ts.set_seconds(ts.seconds() - 1);
    ts.set_nanos(ts.nanos() + 1000000000);
  }
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

v1::OutboundRequest ConfirmationRequest(const v1::ConsentEvent& event, const std::string& from,
                                        const std::string& body, const std::string& message_id,
                                        absl::Time now) {
  v1::OutboundRequest r;
  r.set_message_id(message_id);
  r.set_tenant_id(event.tenant_id());
  r.set_sender_scope(event.sender_scope());
  r.set_from(from);
  r.set_to(event.recipient());
  r.set_body(body);
  auto count = sms::CountSegments(body);
  if (count.ok()) {
    r.set_encoding(count->encoding == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7 : v1::ENCODING_UCS2);
    r.set_segments(count->segments);
  }
  r.set_category(v1::CATEGORY_COMPLIANCE);
  *r.mutable_expire_time() = ToProto(now + kReplyValidity);
  r.set_origin(v1::OUTBOUND_ORIGIN_CONSENT_REPLY);
  r.set_inbound_message_id(event.inbound_message_id());
  r.set_consent_event_id(event.event_id());
  *r.mutable_request_time() = ToProto(now);
  r.set_requested_by(kConsentPrincipal);
  return r;
}

InboundPlan PlanInbound(const v1::InboundMessage& m, const InboundInputs& in) {
  InboundPlan plan;
  const keywords::Classification c = in.classifier->Classify(m.body());
  plan.family = std::string(keywords::FamilyName(c.family));
  plan.method = std::string(keywords::MethodName(c.method));

  if (c.family == keywords::KeywordFamily::kNone) {
    // The customer texted first: implied consent for replies to this
    // conversation. One grant per half window, not one per message.
    plan.family = "implied";
    plan.method = "first_message";
    const absl::Time received = m.has_received_time() ? FromProto(m.received_time()) : in.now;
    const absl::Duration window = in.config->implied_consent_window;
    if (in.state != nullptr) {
      const v1::ConsentGrant* g =
          consentview::FindGrant(*in.state, v1::CONSENT_KIND_IMPLIED, in.now);
      if (g != nullptr &&
          (!g->has_expire_time() || FromProto(g->expire_time()) - in.now > window / 2)) {
        plan.family = "none";  // nothing new to record
        return plan;
      }
    }
    v1::ConsentEvent e = BaseEvent(m, in.now);
    e.set_action(v1::CONSENT_ACTION_GRANT);
    e.set_kind(v1::CONSENT_KIND_IMPLIED);
    e.mutable_proof()->set_source(v1::CONSENT_SOURCE_INBOUND_MESSAGE);
    e.mutable_evidence()->set_method(v1::DETECTION_METHOD_FIRST_MESSAGE);
    *e.mutable_expire_time() = ToProto(received + window);
    plan.event = std::move(e);
    return plan;
  }

  v1::ConsentEvent e = BaseEvent(m, in.now);
  const bool phrase = c.method == keywords::Method::kPhrase;
  e.mutable_proof()->set_source(phrase ? v1::CONSENT_SOURCE_INBOUND_MESSAGE
                                       : v1::CONSENT_SOURCE_KEYWORD);
  v1::ConsentEvidence* ev = e.mutable_evidence();
  ev->set_method(phrase ? v1::DETECTION_METHOD_PHRASE_RULE : v1::DETECTION_METHOD_KEYWORD);
  ev->set_keyword_family(keywords::ToProto(c.family));
  ev->set_score(static_cast<float>(c.score));
  if (phrase) {
    ev->set_matched_text(c.evidence);
    ev->set_rule_id(c.matched);
    ev->set_threshold(static_cast<float>(keywords::OptOutPhraseScorer::kThreshold));
    ev->set_model_version(std::string(keywords::kPhraseRulesVersion));
  } else {
    ev->set_matched_text(c.matched);
    ev->set_rule_id(std::string(plan.family) + ":" + c.matched);
    ev->set_threshold(1.0f);
  }

  const std::string* body = nullptr;
  switch (c.family) {
    case keywords::KeywordFamily::kOptOut:
      e.set_action(v1::CONSENT_ACTION_OPT_OUT);
      body = &in.config->replies.opt_out;
      break;
    case keywords::KeywordFamily::kOptIn:
      e.set_action(v1::CONSENT_ACTION_OPT_IN);
      body = &in.config->replies.opt_in;
      break;
    case keywords::KeywordFamily::kHelp: {
      e.set_action(v1::CONSENT_ACTION_HELP);
      const bool opted_out = in.state != nullptr && in.state->opted_out();
      if (opted_out && in.toll_free) {
        plan.no_reply_reason = "help_opted_out_toll_free";  // the carrier answers
      } else if (opted_out && !in.config->help_when_opted_out) {
        plan.no_reply_reason = "help_opted_out";
      } else {
        body = &in.config->replies.help;
      }
      break;
    }
    case keywords::KeywordFamily::kNone:
      break;
  }
  if (body != nullptr) {
    const std::string reply_id =
        DerivedIdFromMessage(kReplyPurpose, m.message_id(),
                             m.has_received_time() ? FromProto(m.received_time()) : in.now);
    e.set_confirmation_message_id(reply_id);
    plan.reply = ConfirmationRequest(e, m.to(), *body, reply_id, in.now);
  }
  plan.event = std::move(e);
  return plan;
}

}  // namespace smsflow::consent::ledger
