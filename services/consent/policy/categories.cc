#include "services/consent/policy/categories.h"

namespace smsflow::consent::policy {

absl::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kOtp:
      return "otp";
    case Category::kTransactional:
      return "transactional";
    case Category::kConversational:
      return "conversational";
    case Category::kMarketing:
      return "marketing";
    case Category::kCompliance:
      return "compliance";
  }
  return "unknown";
}

std::optional<Category> ParseCategory(absl::string_view name) {
  for (Category c : kAllCategories) {
    if (CategoryName(c) == name) return c;
  }
  return std::nullopt;
}

absl::string_view ConsentKindName(ConsentKind kind) {
  switch (kind) {
    case ConsentKind::kNone:
      return "none";
    case ConsentKind::kImplied:
      return "implied";
    case ConsentKind::kOtpRequest:
      return "otp_request";
    case ConsentKind::kExpress:
      return "express";
    case ConsentKind::kExpressWritten:
      return "express_written";
  }
  return "unknown";
}

std::optional<ConsentKind> ParseConsentKind(absl::string_view name) {
  for (ConsentKind k : kAllConsentKinds) {
    if (ConsentKindName(k) == name) return k;
  }
  return std::nullopt;
}

}  // namespace smsflow::consent::policy
