#pragma once
// Tenants shared by the consent ledger tests.

namespace smsflow::consent::ledger::testdata {

inline constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme Coffee, description: order updates and offers, frequency: Msg frequency varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
      - {number: "+18005550100", type: toll_free, scope: tollfree}
    keywords:
      opt_out: [ALTO, PARAR, CANCELAR]
      help: [AYUDA]
      removed: [END]
  - id: globex
    brand: {name: Globex, description: reminders, frequency: Up to 4 msgs/month, support: g@globex.example}
    numbers:
      - {number: "+13125550100"}
)";

inline constexpr char kConsentConfig[] = R"(
tenants:
  acme:
    confirmation_window: 5m
    implied_consent_window: 12h
)";

}  // namespace smsflow::consent::ledger::testdata
