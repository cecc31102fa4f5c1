#include "services/router/rules/rules_yaml.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/config/yaml_checks.h"
#include "services/router/rules/rule_validation.h"

namespace smsflow::router {
namespace {

const config::YamlChecker kCheck("");

absl::Status Bad(std::string_view path, std::string_view problem) {
  return kCheck.Bad(absl::string_view(path.data(), path.size()),
                    absl::string_view(problem.data(), problem.size()));
}

absl::Status OnlyKeys(const YAML::Node& node, const std::string& path,
                      const std::vector<std::string>& keys) {
  return kCheck.OnlyKeys(node, path, keys);
}

template <typename T>
absl::Status Scalar(const YAML::Node& node, const std::string& path, std::string_view what,
                    T* out) {
  if (!node.IsScalar()) return Bad(path, absl::StrCat("must be ", std::string(what)));
  try {
    *out = node.as<T>();
  } catch (const YAML::Exception&) {
    return Bad(path, absl::StrCat("'", node.Scalar(), "' is not ", std::string(what)));
  }
  return absl::OkStatus();
}

absl::Status StringList(const YAML::Node& node, const std::string& path,
                        google::protobuf::RepeatedPtrField<std::string>* out) {
  if (node.IsScalar()) {
    out->Add(node.as<std::string>());
    return absl::OkStatus();
  }
  if (!node.IsSequence()) return Bad(path, "must be a string or a list of strings");
  for (size_t i = 0; i < node.size(); ++i) {
    std::string s;
    if (auto st = Scalar(node[i], absl::StrCat(path, "[", i, "]"), "a string", &s); !st.ok()) {
      return st;
    }
    out->Add(std::move(s));
  }
  return absl::OkStatus();
}

absl::Status ParseClock(const YAML::Node& node, const std::string& path, int* minutes) {
  std::string s;
  if (auto st = Scalar(node, path, "a time HH:MM", &s); !st.ok()) return st;
  int h = 0, m = 0;
  char colon = 0;
  std::istringstream in(s);
  if (!(in >> h >> colon >> m) || colon != ':' || !in.eof() || h < 0 || h > 23 || m < 0 || m > 59) {
    return Bad(path, absl::StrCat("'", s, "' is not a time HH:MM from 00:00 to 23:59"));
  }
  *minutes = h * 60 + m;
  return absl::OkStatus();
}

absl::Status ParseWindow(const YAML::Node& node, const std::string& path, v1::TimeWindow* out) {
  if (auto s = OnlyKeys(node, path, {"start", "end", "days", "time_zone"}); !s.ok()) return s;
  if (!node["start"] || !node["end"]) return Bad(path, "start and end are required");
  int start = 0, end = 0;
  if (auto s = ParseClock(node["start"], path + ".start", &start); !s.ok()) return s;
  if (auto s = ParseClock(node["end"], path + ".end", &end); !s.ok()) return s;
  out->set_start_minute(start);
  out->set_end_minute(end);
  static const auto* const kDays = new absl::flat_hash_map<std::string, v1::Weekday>{
      {"mon", v1::WEEKDAY_MONDAY},   {"tue", v1::WEEKDAY_TUESDAY}, {"wed", v1::WEEKDAY_WEDNESDAY},
      {"thu", v1::WEEKDAY_THURSDAY}, {"fri", v1::WEEKDAY_FRIDAY},  {"sat", v1::WEEKDAY_SATURDAY},
      {"sun", v1::WEEKDAY_SUNDAY}};
  if (const YAML::Node days = node["days"]) {
    if (!days.IsSequence()) return Bad(path + ".days", "must be a list such as [mon, tue]");
    for (size_t i = 0; i < days.size(); ++i) {
      const std::string day_path = absl::StrCat(path, ".days[", i, "]");
      std::string day;
      if (auto s = Scalar(days[i], day_path, "a day", &day); !s.ok()) return s;
      for (char& c : day) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto it = kDays->find(day.substr(0, 3));
      if (it == kDays->end()) return Bad(day_path, absl::StrCat("'", day, "' is not mon..sun"));
      out->add_days(it->second);
    }
  }
  if (const YAML::Node tz = node["time_zone"]) {
    if (auto s = Scalar(tz, path + ".time_zone", "a time zone", out->mutable_time_zone());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ParseMatch(const YAML::Node& node, const std::string& path, v1::RoutingRule* rule) {
  if (!node.IsMap()) return Bad(path, "must be a map");
  int kinds = 0;
  for (const char* k : {"keyword", "phrase", "regex", "intent", "catch_all"}) kinds += !!node[k];
  if (kinds != 1) {
    return Bad(path, "exactly one of keyword, phrase, regex, intent, catch_all is required");
  }
  if (const YAML::Node k = node["keyword"]) {
    if (auto s = OnlyKeys(node, path, {"keyword", "aliases", "position"}); !s.ok()) return s;
    v1::KeywordMatch* m = rule->mutable_keyword();
    std::string word;
    if (auto s = Scalar(k, path + ".keyword", "a string", &word); !s.ok()) return s;
    m->add_keywords(std::move(word));
    if (const YAML::Node a = node["aliases"]) {
      if (auto s = StringList(a, path + ".aliases", m->mutable_keywords()); !s.ok()) return s;
    }
    std::string position = "whole_message";
    if (const YAML::Node p = node["position"]) {
      if (auto s = Scalar(p, path + ".position", "a string", &position); !s.ok()) return s;
    }
    if (position == "first_word") {
      m->set_position(v1::KEYWORD_POSITION_FIRST_WORD);
    } else if (position == "whole_message") {
      m->set_position(v1::KEYWORD_POSITION_WHOLE_MESSAGE);
    } else {
      return Bad(path + ".position",
                 absl::StrCat("'", position, "' is not one of first_word, whole_message"));
    }
  } else if (const YAML::Node p = node["phrase"]) {
    if (auto s = OnlyKeys(node, path, {"phrase"}); !s.ok()) return s;
    return StringList(p, path + ".phrase", rule->mutable_phrase()->mutable_phrases());
  } else if (const YAML::Node r = node["regex"]) {
    if (auto s = OnlyKeys(node, path, {"regex", "case_sensitive"}); !s.ok()) return s;
    v1::RegexMatch* m = rule->mutable_regex();
    if (auto s = Scalar(r, path + ".regex", "a string", m->mutable_pattern()); !s.ok()) return s;
    if (const YAML::Node cs = node["case_sensitive"]) {
      bool v = false;
      if (auto s = Scalar(cs, path + ".case_sensitive", "true or false", &v); !s.ok()) return s;
      m->set_case_sensitive(v);
    }
  } else if (const YAML::Node i = node["intent"]) {
    if (auto s = OnlyKeys(node, path, {"intent", "min_confidence"}); !s.ok()) return s;
    v1::IntentMatch* m = rule->mutable_intent();
    if (auto s = Scalar(i, path + ".intent", "a string", m->mutable_intent()); !s.ok()) return s;
    if (const YAML::Node c = node["min_confidence"]) {
      float v = 0;
      if (auto s = Scalar(c, path + ".min_confidence", "a number", &v); !s.ok()) return s;
      m->set_min_confidence(v);
    }
  } else {
    if (auto s = OnlyKeys(node, path, {"catch_all"}); !s.ok()) return s;
    bool v = false;
    if (auto s = Scalar(node["catch_all"], path + ".catch_all", "true", &v); !s.ok()) return s;
    if (!v) return Bad(path + ".catch_all", "must be true (omit the rule to disable it)");
    rule->mutable_catch_all();
  }
  return absl::OkStatus();
}

absl::Status ParseAction(const YAML::Node& node, const std::string& path, v1::RuleAction* out) {
  if (auto s = OnlyKeys(node, path, {"destination", "auto_reply", "tags"}); !s.ok()) return s;
  if (const YAML::Node d = node["destination"]) {
    if (auto s = Scalar(d, path + ".destination", "a string", out->mutable_destination());
        !s.ok()) {
      return s;
    }
  }
  if (const YAML::Node t = node["tags"]) {
    if (auto s = StringList(t, path + ".tags", out->mutable_tags()); !s.ok()) return s;
  }
  const YAML::Node reply = node["auto_reply"];
  if (!reply) return absl::OkStatus();
  v1::AutoReply* r = out->mutable_auto_reply();
  const std::string reply_path = path + ".auto_reply";
  if (reply.IsScalar()) return Scalar(reply, reply_path, "a string", r->mutable_template_text());
  if (auto s = OnlyKeys(reply, reply_path, {"text", "variables"}); !s.ok()) return s;
  if (auto s = Scalar(reply["text"], reply_path + ".text", "a string", r->mutable_template_text());
      !s.ok()) {
    return s;
  }
  if (const YAML::Node vars = reply["variables"]) {
    if (!vars.IsMap()) return Bad(reply_path + ".variables", "must be a map of name: value");
    for (const auto& kv : vars) {
      const std::string name = kv.first.as<std::string>();
      std::string value;
      if (auto s =
              Scalar(kv.second, absl::StrCat(reply_path, ".variables.", name), "a string", &value);
          !s.ok()) {
        return s;
      }
      (*r->mutable_variables())[name] = std::move(value);
    }
  }
  return absl::OkStatus();
}

// Where in the YAML a proto field path of ValidateRule lives.
std::string YamlField(const std::string& field, const YAML::Node& rule) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"rule_id", "id"},
      {"match.keyword.keywords[0]", "match.keyword"},
      {"match.keyword.keywords", "match.keyword"},
      {"match.keyword.position", "match.position"},
      {"match.phrase.phrases", "match.phrase"},
      {"match.regex.pattern", "match.regex"},
      {"match.intent.intent", "match.intent"},
      {"match.intent.min_confidence", "match.min_confidence"},
      {"time_window.start_minute", "window.start"},
      {"time_window.end_minute", "window.end"},
      {"time_window", "window"},
      {"action.auto_reply.template_text", "action.auto_reply"},
  };
  if (field.rfind("match.keyword.keywords[", 0) == 0) {
    const int i = std::stoi(field.substr(sizeof("match.keyword.keywords[") - 1));
    return i == 0 ? "match.keyword" : absl::StrCat("match.aliases[", i - 1, "]");
  }
  if (field.rfind("match.phrase.phrases[", 0) == 0 && rule["match"]["phrase"].IsScalar()) {
    return "match.phrase";
  }
  for (const auto& [from, to] : kMap) {
    if (field.rfind(from, 0) == 0) return std::string(to) + field.substr(from.size());
  }
  return field;
}

}  // namespace

absl::StatusOr<std::vector<v1::RoutingRule>> ParseRulesNode(const YAML::Node& rules,
                                                            std::string_view path_view,
                                                            const RuleOptions& options) {
  const std::string path(path_view);
  std::vector<v1::RoutingRule> out;
  if (!rules || rules.IsNull()) return out;
  if (!rules.IsSequence()) return Bad(path, "must be a list of rules");
  absl::flat_hash_map<std::string, size_t> seen;
  for (size_t i = 0; i < rules.size(); ++i) {
    const YAML::Node node = rules[i];
    const std::string at = absl::StrCat(path, "[", i, "]");
    if (auto s = OnlyKeys(node, at,
                          {"id", "priority", "description", "disabled", "destination_number",
                           "match", "window", "action"});
        !s.ok()) {
      return s;
    }
    v1::RoutingRule rule;
    rule.set_tenant_id(options.tenant_id);
    if (!node["id"]) return Bad(at + ".id", "required");
    if (auto s = Scalar(node["id"], at + ".id", "a string", rule.mutable_rule_id()); !s.ok()) {
      return s;
    }
    if (const YAML::Node p = node["priority"]) {
      int32_t v = 0;
      if (auto s = Scalar(p, at + ".priority", "an integer", &v); !s.ok()) return s;
      rule.set_priority(v);
    }
    if (const YAML::Node d = node["description"]) {
      if (auto s = Scalar(d, at + ".description", "a string", rule.mutable_description());
          !s.ok()) {
        return s;
      }
    }
    if (const YAML::Node d = node["disabled"]) {
      bool v = false;
      if (auto s = Scalar(d, at + ".disabled", "true or false", &v); !s.ok()) return s;
      rule.set_disabled(v);
    }
    if (const YAML::Node n = node["destination_number"]) {
      if (auto s =
              Scalar(n, at + ".destination_number", "a string", rule.mutable_destination_number());
          !s.ok()) {
        return s;
      }
    }
    if (!node["match"]) return Bad(at + ".match", "required");
    if (auto s = ParseMatch(node["match"], at + ".match", &rule); !s.ok()) return s;
    if (const YAML::Node w = node["window"]) {
      if (auto s = ParseWindow(w, at + ".window", rule.mutable_time_window()); !s.ok()) return s;
    }
    if (!node["action"]) return Bad(at + ".action", "required");
    if (auto s = ParseAction(node["action"], at + ".action", rule.mutable_action()); !s.ok()) {
      return s;
    }
    if (auto e = ValidateRule(rule, options)) {
      return Bad(absl::StrCat(at, ".", YamlField(e->field, node)), e->message);
    }
    if (const auto [it, fresh] = seen.emplace(rule.rule_id(), i); !fresh) {
      return Bad(at + ".id", absl::StrCat("duplicate rule id \"", rule.rule_id(), "\" (also ", path,
                                          "[", it->second, "])"));
    }
    out.push_back(std::move(rule));
  }
  return out;
}

absl::StatusOr<std::vector<v1::RoutingRule>> ParseRulesYaml(std::string_view yaml,
                                                            const RuleOptions& options) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("rules YAML: ", e.what()));
  }
  if (root.IsNull()) return std::vector<v1::RoutingRule>();
  if (auto s = OnlyKeys(root, "", {"rules"}); !s.ok()) return s;
  return ParseRulesNode(root["rules"], "rules", options);
}

absl::StatusOr<std::vector<v1::RoutingRule>> LoadRulesYamlFile(const std::string& file,
                                                               const RuleOptions& options) {
  std::ifstream in(file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open rules file ", file));
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<std::vector<v1::RoutingRule>> rules = ParseRulesYaml(buffer.str(), options);
  if (!rules.ok()) {
    return absl::Status(rules.status().code(),
                        absl::StrCat(file, ": ", std::string(rules.status().message())));
  }
  return rules;
}

}  // namespace smsflow::router
