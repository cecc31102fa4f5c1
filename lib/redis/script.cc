#include "lib/redis/script.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "absl/strings/escaping.h"

namespace smsflow::redis {

std::string Sha1Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr) != 1) {
    // Only fails if OpenSSL itself is broken (no SHA1 provider): a setup bug.
    throw std::runtime_error("redis::Script: OpenSSL SHA1 failed");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

Script::Script(std::string source) : source_(std::move(source)), sha_(Sha1Hex(source_)) {}

}  // namespace smsflow::redis
