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
    // One list for every service: the router must never auto-answer what
    // consent treats as an opt-out, so both read the tenants file.
    return Bad(path + ".keywords",
               "keywords are set in the tenants file (tenants[].keywords) so that the router and "
               "consent classify alike");
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
  auto classifiers = keywords::TenantClassifiers::FromTenants(tenants);
  if (!classifiers.ok()) return classifiers.status();
  for (const config::Tenant& t : tenants.tenants()) {
    TenantConsentConfig c;
    c.implied_consent_window = default_implied_window;
    c.replies = DefaultReplyTexts(t.brand);
    set->entries_.emplace(t.id, Entry{std::move(c), (*classifiers)->For(t.id)});
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
