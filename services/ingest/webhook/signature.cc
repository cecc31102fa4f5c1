#include "services/ingest/webhook/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace smsflow::ingest::webhook {
namespace {

std::string Base64(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string TwilioSignature(std::string_view auth_token, std::string_view full_url,
                            const FormParams& post_params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(post_params.size());
  size_t total = full_url.size();
  for (const auto& p : post_params) {
    sorted.push_back(&p);
    total += p.first.size() + p.second.size();
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string data;
  data.reserve(total);
  data.append(full_url);
  for (const auto* p : sorted) {
    data.append(p->first);
    data.append(p->second);
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return Base64(mac, mac_len);
}

std::vector<std::string> UrlPortVariants(std::string_view url) {
  std::vector<std::string> out{std::string(url)};
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return out;
  const std::string_view scheme = url.substr(0, scheme_end);
  const size_t host_start = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", host_start), url.size());
  const std::string_view authority = url.substr(host_start, authority_end - host_start);
  const std::string_view rest = url.substr(authority_end);
  // Userinfo ("user:pass@") and IPv6 literals ("[::1]:8080") keep their colons.
  const size_t at = authority.rfind('@');
  const size_t host_begin = at == std::string_view::npos ? 0 : at + 1;
  const size_t bracket = authority.rfind(']');
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos &&
      (colon < host_begin || (bracket != std::string_view::npos && colon < bracket))) {
    colon = std::string_view::npos;
  }
  auto add = [&](std::string v) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  };
  const std::string prefix(url.substr(0, host_start));
  if (colon != std::string_view::npos) {
    add(prefix + std::string(authority.substr(0, colon)) + std::string(rest));
  } else if (scheme == "https" || scheme == "http") {
    add(prefix + std::string(authority) + (scheme == "https" ? ":443" : ":80") + std::string(rest));
  }
  return out;
}

bool VerifyTwilioSignature(std::string_view auth_token, std::string_view full_url,
                           const FormParams& post_params, std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  bool ok = false;
  // Every variant is computed, so the time taken does not tell which matched.
  for (const std::string& url : UrlPortVariants(full_url)) {
    const std::string expected = TwilioSignature(auth_token, url, post_params);
    // The length of a SHA-1 signature is public (28), only its bytes are secret.
    if (expected.size() == signature.size() &&
        CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0) {
      ok = true;
    }
  }
  return ok;
}

}  // namespace smsflow::ingest::webhook
