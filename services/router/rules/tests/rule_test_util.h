#pragma once
// Builders for RoutingRule protos in tests.

#include <initializer_list>
#include <string>

#include "smsflow/v1/routing_rule.pb.h"

namespace smsflow::router::testing {

inline v1::RoutingRule Rule(std::string id, std::string destination, int priority = 0) {
  v1::RoutingRule r;
  r.set_rule_id(std::move(id));
  r.set_priority(priority);
  r.mutable_action()->set_destination(std::move(destination));
  return r;
}

inline v1::RoutingRule Keyword(std::string id, std::string destination,
                               std::initializer_list<const char*> words,
                               v1::KeywordPosition position = v1::KEYWORD_POSITION_WHOLE_MESSAGE,
                               int priority = 0) {
  v1::RoutingRule r = Rule(std::move(id), std::move(destination), priority);
  for (const char* w : words) r.mutable_keyword()->add_keywords(w);
  r.mutable_keyword()->set_position(position);
  return r;
}

inline v1::RoutingRule Regex(std::string id, std::string destination, std::string pattern,
                             int priority = 0) {
  v1::RoutingRule r = Rule(std::move(id), std::move(destination), priority);
  r.mutable_regex()->set_pattern(std::move(pattern));
  return r;
}

inline v1::RoutingRule Phrase(std::string id, std::string destination,
                              std::initializer_list<const char*> phrases, int priority = 0) {
  v1::RoutingRule r = Rule(std::move(id), std::move(destination), priority);
  for (const char* p : phrases) r.mutable_phrase()->add_phrases(p);
  return r;
}

inline v1::RoutingRule Intent(std::string id, std::string destination, std::string intent,
                              float min_confidence = 0, int priority = 0) {
  v1::RoutingRule r = Rule(std::move(id), std::move(destination), priority);
  r.mutable_intent()->set_intent(std::move(intent));
  r.mutable_intent()->set_min_confidence(min_confidence);
  return r;
}

inline v1::RoutingRule CatchAll(std::string id, std::string destination, int priority = 0) {
  v1::RoutingRule r = Rule(std::move(id), std::move(destination), priority);
  r.mutable_catch_all();
  return r;
}

inline v1::RoutingRule WithReply(v1::RoutingRule r, std::string text) {
  r.mutable_action()->mutable_auto_reply()->set_template_text(std::move(text));
  return r;
}

}  // namespace smsflow::router::testing
