#pragma once
// Which messages are compliance messages (COMPLIANCE.md "Keywords"): the
// router routes them but never auto-answers them, because the consent service
// owns their replies. Keywords and plain-language opt-outs are decided by
// lib/keywords' classifier - the very one consent uses, with the tenant's
// keywords from the tenants file - so the two never disagree; the intent
// model may add more (a confident opt_out/opt_in/help prediction).

#include <string_view>

#include "smsflow/v1/common.pb.h"

namespace smsflow::router {

// Intent labels that mean a compliance message when the model is confident.
inline constexpr std::string_view kOptOutIntent = "opt_out";
inline constexpr std::string_view kOptInIntent = "opt_in";
inline constexpr std::string_view kHelpIntent = "help";

// The compliance family an intent label stands for, or UNSPECIFIED.
v1::KeywordFamily FamilyOfIntent(std::string_view intent);

}  // namespace smsflow::router
