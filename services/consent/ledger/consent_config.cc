#include "services/consent/ledger/consent_config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "lib/config/yaml_checks.h"

namespace smsflow::consent::ledger {
namespace {

const config::YamlChecker kCheck("");

absl::Status Bad(const std::string& path, std::string_view problem) {
  return kCheck.Bad(path, absl::string_view(problem.data(), problem.size()));
}

absl::Status OnlyKeys(const YAML::Node& node, const std::string& path,
                      const std::vector<std::string>& keys) {
  return kCheck.OnlyKeys(node, path, keys);
}

absl::Status String(const YAML::Node& node, const std::string& path, std::string* out) {
  if (!node.IsScalar()) return Bad(path, "must be a string");
  *out = node.Scalar();
  return absl::OkStatus();
}

absl::Status Bool(const YAML::Node& node, const std::string& path, bool* out) {
  if (!node.IsScalar()) return Bad(path, "must be true or false");
  try {
    *out = node.as<bool>();
  } catch (const YAML::Exception&) {
    return Bad(path, absl::StrCat("'", node.Scalar(), "' is not true or false"));
  }
  return absl::OkStatus();
}

absl::Status Duration(const YAML::Node& node, const std::string& path, absl::Duration min,
                      absl::Duration* out) {
  std::string s;
  if (auto st = String(node, path, &s); !st.ok()) return st;
  if (!absl::ParseDuration(s, out)) {
    return Bad(path, absl::StrCat("'", s, "' is not a duration such as 24h or 5m"));
  }
  if (*out < min) {
    return Bad(path, absl::StrCat("'", s, "' is shorter than ", absl::FormatDuration(min)));
  }
  return absl::OkStatus();
}

absl::Status Words(const YAML::Node& node, const std::string& path, std::vector<std::string>* out) {
  if (!node.IsSequence()) return Bad(path, "must be a list of words");
  for (size_t i = 0; i < node.size(); ++i) {
    std::string w;
    const std::string item = absl::StrCat(path, "[", i, "]");
    if (auto st = String(node[i], item, &w); !st.ok()) return st;
    if (absl::StripAsciiWhitespace(w).empty()) return Bad(item, "must not be empty");
    out->push_back(std::move(w));
  }
  return absl::OkStatus();
}

absl::Status ParseKeywords(const YAML::Node& node, const std::string& path,
                           keywords::KeywordConfig* out) {
  if (auto s =
          OnlyKeys(node, path, {"opt_out", "opt_in", "help", "removed", "plain_language_opt_out"});
      !s.ok()) {
    return s;
  }
  if (node["opt_out"]) {
    if (auto s = Words(node["opt_out"], path + ".opt_out", &out->extra_opt_out); !s.ok()) return s;
  }
  if (node["opt_in"]) {
    if (auto s = Words(node["opt_in"], path + ".opt_in", &out->extra_opt_in); !s.ok()) return s;
  }
  if (node["help"]) {
    if (auto s = Words(node["help"], path + ".help", &out->extra_help); !s.ok()) return s;
  }
  if (node["removed"]) {
    if (auto s = Words(node["removed"], path + ".removed", &out->removed); !s.ok()) return s;
  }
  if (node["plain_language_opt_out"]) {
    if (auto s = Bool(node["plain_language_opt_out"], path + ".plain_language_opt_out",
                      &out->plain_language_opt_out);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// A tenant may word its replies, but not drop what the carriers require.
absl::Status CheckReply(const std::string& text, const std::string& path,
                        std::initializer_list<std::string_view> must_contain) {
  if (absl::StripAsciiWhitespace(text).empty()) return Bad(path, "must not be empty");
  for (std::string_view m : must_contain) {
    if (!absl::StrContains(absl::AsciiStrToUpper(text), absl::AsciiStrToUpper(std::string(m)))) {
      return Bad(path, absl::StrCat("must contain '", std::string(m), "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseReplies(const YAML::Node& node, const std::string& path,
                          const config::Brand& brand, ReplyTexts* out) {
  if (auto s = OnlyKeys(node, path, {"opt_out", "opt_in", "help"}); !s.ok()) return s;
  struct Field {
    const char* key;
    std::string* text;
    std::initializer_list<std::string_view> must;
  };
  const Field fields[] = {
      {"opt_out", &out->opt_out, {"START"}},
      {"opt_in", &out->opt_in, {"STOP"}},
      {"help", &out->help, {"STOP", "Msg & data rates may apply"}},
  };
  for (const Field& f : fields) {
    if (!node[f.key]) continue;
    const std::string p = absl::StrCat(path, ".", f.key);
    std::string raw;
    if (auto s = String(node[f.key], p, &raw); !s.ok()) return s;
    *f.text = ExpandReplyText(raw, brand);
    if (auto s = CheckReply(*f.text, p, f.must); !s.ok()) return s;
    if (!absl::StrContains(*f.text, brand.name)) {
      return Bad(p, "must name the brand (use {brand})");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseTenant(const YAML::Node& node, const std::string& path,
                         const config::Tenant& tenant, TenantConsentConfig* out) {
  if (auto s = OnlyKeys(node, path,
                        {"keywords", "replies", "help_when_opted_out", "implied_consent_window",
                         "confirmation_window"});
      !s.ok()) {
    return s;
  }
  if (node["keywords"]) {
    if (auto s = ParseKeywords(node["keywords"], path + ".keywords", &out->keywords); !s.ok()) {
      return s;
    }
  }
  if (node["replies"]) {
    if (auto s = ParseReplies(node["replies"], path + ".replies", tenant.brand, &out->replies);
        !s.ok()) {
      return s;
    }
  }
  if (node["help_when_opted_out"]) {
    if (auto s = Bool(node["help_when_opted_out"], path + ".help_when_opted_out",
                      &out->help_when_opted_out);
        !s.ok()) {
      return s;
    }
  }
  if (node["implied_consent_window"]) {
    if (auto s = Duration(node["implied_consent_window"], path + ".implied_consent_window",
                          absl::Minutes(1), &out->implied_consent_window);
        !s.ok()) {
      return s;
    }
  }
  if (node["confirmation_window"]) {
    if (auto s = Duration(node["confirmation_window"], path + ".confirmation_window",
                          absl::Seconds(1), &out->confirmation_window);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

ReplyTexts DefaultReplyTexts(const config::Brand& brand) {
  ReplyTexts t;
  t.opt_out = ExpandReplyText(
      "{brand}: You are unsubscribed and will receive no more messages. Reply START to "
      "resubscribe.",
      brand);
  t.opt_in = ExpandReplyText(
      "{brand}: You are subscribed again to {description}. {frequency}. Msg & data rates may "
      "apply. Reply HELP for help, STOP to cancel.",
      brand);
  t.help = ExpandReplyText(
      "{brand}: {description}. {frequency}. Msg & data rates may apply. Support: {support}. "
      "Reply STOP to cancel.",
      brand);
  return t;
}

std::string ExpandReplyText(std::string_view text, const config::Brand& brand) {
  return absl::StrReplaceAll(absl::string_view(text.data(), text.size()),
                             {{"{brand}", brand.name},
                              {"{description}", brand.description},
                              {"{frequency}", brand.frequency},
                              {"{support}", brand.support}});
}

absl::StatusOr<std::shared_ptr<const ConsentConfigSet>> ConsentConfigSet::FromYaml(
    std::string_view yaml, const config::TenantDirectory& tenants,
    absl::Duration default_implied_window) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("consent config: ", e.what()));
  }
  auto set = std::make_shared<ConsentConfigSet>();
  auto defaults = keywords::KeywordClassifier::Create({});
  if (!defaults.ok()) return defaults.status();
  for (const config::Tenant& t : tenants.tenants()) {
    TenantConsentConfig c;
    c.implied_consent_window = default_implied_window;
    c.replies = DefaultReplyTexts(t.brand);
    set->entries_.emplace(t.id, Entry{std::move(c), *defaults});
  }
  if (root && !root.IsNull()) {
    if (auto s = OnlyKeys(root, "consent config", {"tenants"}); !s.ok()) return s;
    const YAML::Node list = root["tenants"];
    if (list && !list.IsNull()) {
      if (!list.IsMap()) return Bad("tenants", "must be a map of tenant id to settings");
      for (const auto& kv : list) {
        const std::string id = kv.first.as<std::string>();
        const std::string path = absl::StrCat("tenants.", id);
        const config::Tenant* tenant = tenants.FindTenant(id);
        if (tenant == nullptr) return Bad(path, "no such tenant in the tenants file");
        if (auto s = ParseTenant(kv.second, path, *tenant, &set->entries_.find(id)->second.config);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  for (auto& [id, entry] : set->entries_) {
    auto classifier = keywords::KeywordClassifier::Create(entry.config.keywords);
    if (!classifier.ok()) {
      return Bad(absl::StrCat("tenants.", id, ".keywords"),
                 std::string(classifier.status().message()));
    }
    entry.classifier = *std::move(classifier);
  }
  return set;
}

absl::StatusOr<std::shared_ptr<const ConsentConfigSet>> ConsentConfigSet::FromFile(
    const std::string& path, const config::TenantDirectory& tenants,
    absl::Duration default_implied_window) {
  if (path.empty()) return FromYaml("", tenants, default_implied_window);
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("consent config: cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  auto set = FromYaml(buf.str(), tenants, default_implied_window);
  if (!set.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", std::string(set.status().message())));
  }
  return set;
}

const ConsentConfigSet::Entry* ConsentConfigSet::Find(std::string_view tenant_id) const {
  auto it = entries_.find(tenant_id);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace smsflow::consent::ledger
