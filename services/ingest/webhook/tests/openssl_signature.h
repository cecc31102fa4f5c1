#pragma once
// Test-side Twilio signatures computed independently of the code under test:
// the signed string is assembled here by hand and HMAC-SHA1 + base64 come
// from the openssl and base64 command-line tools.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "lib/testing/subprocess.h"

namespace smsflow::ingest::webhook::testing {

// base64(HMAC-SHA1(key, data)) as `openssl dgst -sha1 -hmac KEY -binary | base64`
// prints it. `key` must be plain [A-Za-z0-9_-] (it is put on a command line).
inline std::string OpensslHmacSha1Base64(const std::string& key, const std::string& data) {
  for (char c : key) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      ADD_FAILURE() << "test key must be plain: " << key;
      return "";
    }
  }
  smsflow::testing::TempDir dir;
  const std::string input = dir.File("signed");
  {
    std::ofstream out(input, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  const std::string cmd =
      "openssl dgst -sha1 -hmac '" + key + "' -binary < '" + input + "' | base64";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << cmd;
    return "";
  }
  std::string out;
  char buf[256];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int rc = pclose(pipe);
  EXPECT_EQ(rc, 0) << cmd;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The X-Twilio-Signature Twilio would send: the signed string assembled here
// (URL, then each parameter as name + value, sorted by name and then value)
// and signed by openssl.
inline std::string OpensslTwilioSignature(const std::string& token, const std::string& url,
                                          std::vector<std::pair<std::string, std::string>> params) {
  std::sort(params.begin(), params.end());
  std::string data = url;
  for (const auto& [k, v] : params) data += k + v;
  return OpensslHmacSha1Base64(token, data);
}

}  // namespace smsflow::ingest::webhook::testing
