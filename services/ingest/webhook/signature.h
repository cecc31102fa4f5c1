#pragma once
// Twilio request validation ("X-Twilio-Signature"): pure functions over
// OpenSSL's HMAC-SHA1, no I/O, thread-safe.
//
// Twilio signs base64(HMAC-SHA1(auth token, URL + name1 + value1 + name2 +
// value2 ...)), the POST parameters sorted by name, with the URL exactly as
// Twilio requested it (scheme, host, optional port, path and query string as
// configured in the console). Behind an ingress the scheme, host and port
// this process sees differ from what the provider used, so the server never
// trusts Host/X-Forwarded-*: it reconstructs the URL from its configured
// public base URL (--webhook-public-url, e.g. "https://sms.example.com") plus
// the raw request target (path and query, as received).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smsflow::ingest::webhook {

using FormParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kTwilioSignatureHeader = "X-Twilio-Signature";

// The signature Twilio would send for `full_url` and `post_params` (decoded
// names and values). Parameters are sorted by name, then by value for a
// repeated name, so the input order does not matter.
std::string TwilioSignature(std::string_view auth_token, std::string_view full_url,
                            const FormParams& post_params);

// True iff `signature` is the signature of the request for `full_url`, or for
// the same URL with its port removed or the scheme's default port (443/80)
// added, as Twilio's own helper libraries accept. The comparison is constant
// time. An empty token or signature never validates.
bool VerifyTwilioSignature(std::string_view auth_token, std::string_view full_url,
                           const FormParams& post_params, std::string_view signature);

// `url` itself, plus the variants without an explicit port and with the
// scheme's default port (deduplicated). Exposed for tests.
std::vector<std::string> UrlPortVariants(std::string_view url);

}  // namespace smsflow::ingest::webhook
