#pragma once
// Message categories and consent kinds as the consent policy sees them. They
// are local to the policy library; adapters map the wire (proto) enums onto
// them, so the rules here do not depend on gRPC.

#include <optional>

#include "absl/strings/string_view.h"

namespace smsflow::consent::policy {

enum class Category { kOtp, kTransactional, kConversational, kMarketing, kCompliance };
inline constexpr int kCategoryCount = 5;
inline constexpr Category kAllCategories[] = {Category::kOtp, Category::kTransactional,
                                              Category::kConversational, Category::kMarketing,
                                              Category::kCompliance};

// Kinds of consent a recipient can have given. kOtpRequest is not "stronger"
// or "weaker" than the others: it only ever covers one-time codes.
enum class ConsentKind { kNone, kImplied, kOtpRequest, kExpress, kExpressWritten };
inline constexpr ConsentKind kAllConsentKinds[] = {ConsentKind::kNone, ConsentKind::kImplied,
                                                   ConsentKind::kOtpRequest, ConsentKind::kExpress,
                                                   ConsentKind::kExpressWritten};

absl::string_view CategoryName(Category category);  // "otp", "transactional", ...
std::optional<Category> ParseCategory(absl::string_view name);
absl::string_view ConsentKindName(ConsentKind kind);  // "none", "implied", "otp_request", ...
std::optional<ConsentKind> ParseConsentKind(absl::string_view name);

}  // namespace smsflow::consent::policy
