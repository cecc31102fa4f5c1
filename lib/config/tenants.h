#pragma once
// Tenants, their numbers and brands, from the tenants YAML file:
//
//   tenants:
//     - id: acme                          # [a-z0-9_-]{1,64}, unique
//       name: Acme Coffee                 # display name (default: id)
//       time_zone: America/New_York       # IANA zone of the business (default UTC)
//       webhook_auth_token: "..."         # key for provider webhook signatures (optional)
//       brand:                            # what HELP replies say (all required)
//         name: Acme Coffee
//         description: order updates and offers
//         frequency: Msg frequency varies
//         support: help@acme.example or +1 800 555 0100
//       numbers:                          # at least one
//         - number: "+14155550100"        # E.164, or a 5-6 digit short code
//           type: long_code               # long_code | ten_dlc | toll_free | short_code
//           scope: main                   # sender scope (messaging profile); default "default"
//           rate: 1                       # segments/s; default by type (COMPLIANCE.md)
//       keywords:                         # compliance keywords beyond COMPLIANCE.md's
//         opt_out: [ALTO, PARAR]          # extra words per family (optional lists)
//         opt_in: [COMENZAR]
//         help: [AYUDA]
//         removed: [END]                  # defaults to drop; never STOP, START or HELP
//         plain_language_opt_out: true    # "please stop texting me" (default true)
//       limits:                           # across all the tenant's numbers (optional)
//         rate: 50                        # segments/s (default: the sender's --tenant-rate)
//         daily_segments: 100000          # per UTC day (default: the sender's --daily-cap)
//
// Keywords are read here so that every service classifies a tenant's
// messages alike (the router never auto-answers what consent treats as an
// opt-out); lib/keywords validates them (e.g. STOP cannot be removed).
//
// Every key is checked: an unknown key, a missing required value or a bad
// value is an INVALID_ARGUMENT naming its path, e.g.
// "tenants[0].numbers[1].type: 'longcode' is not one of long_code, ...".
// Immutable after loading; safe to share between threads.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace smsflow::config {

enum class NumberType { kLongCode, kTenDlc, kTollFree, kShortCode };
std::string_view NumberTypeName(NumberType t);
// Default throughput in segments per second (COMPLIANCE.md "Throughput").
double DefaultRate(NumberType t);

struct Number {
  std::string number;  // E.164 or short code digits
  NumberType type = NumberType::kLongCode;
  std::string scope = "default";
  double rate = 1.0;  // segments/s
};

struct Brand {
  std::string name;
  std::string description;
  std::string frequency;
  std::string support;
};

struct TenantKeywords {
  std::vector<std::string> opt_out, opt_in, help;  // extras, as written
  std::vector<std::string> removed;                // defaults to drop
  bool plain_language_opt_out = true;
};

struct TenantLimits {
  std::optional<double> rate;             // segments/s, > 0
  std::optional<int64_t> daily_segments;  // per UTC day, >= 0
};

struct Tenant {
  std::string id;
  std::string name;
  std::string time_zone = "UTC";
  std::string webhook_auth_token;
  Brand brand;
  std::vector<Number> numbers;
  TenantKeywords keywords;
  TenantLimits limits;
};

// Where a business number belongs.
struct NumberOwner {
  const Tenant* tenant;
  const Number* number;
};

class TenantDirectory {
 public:
  static absl::StatusOr<std::shared_ptr<const TenantDirectory>> FromYaml(std::string_view yaml);
  static absl::StatusOr<std::shared_ptr<const TenantDirectory>> FromFile(const std::string& path);

  const Tenant* FindTenant(std::string_view id) const;
  // `number` as normalised (E.164 or short code digits).
  std::optional<NumberOwner> FindNumber(std::string_view number) const;
  const std::vector<Tenant>& tenants() const { return tenants_; }

 private:
  std::vector<Tenant> tenants_;
  std::map<std::string, size_t, std::less<>> by_id_;
  std::map<std::string, std::pair<size_t, size_t>, std::less<>> by_number_;
};

}  // namespace smsflow::config
