// Twilio signatures checked against values computed outside the code under
// test: Twilio's documented example and the openssl command-line tool.
#include "services/ingest/webhook/signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/ingest/webhook/tests/openssl_signature.h"

namespace smsflow::ingest::webhook {
namespace {

using ::testing::ElementsAre;
using testing::OpensslHmacSha1Base64;

// Twilio's worked example ("Validating signatures from Twilio",
// twilio.com/docs/usage/webhooks/webhooks-security; also in the test suites
// of Twilio's helper libraries).
TEST(TwilioSignatureTest, MatchesTwilioDocumentedExample) {
  const FormParams params = {{"CallSid", "CA1234567890ABCDE"},
                             {"Caller", "+12349013030"},
                             {"Digits", "1234"},
                             {"From", "+12349013030"},
                             {"To", "+18005551212"}};
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_EQ(TwilioSignature("12345", url, params), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_TRUE(VerifyTwilioSignature("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignatureTest, MatchesOpensslForAnInboundSmsInAnyParameterOrder) {
  const std::string url = "https://sms.example.com/v1/webhooks/twilio/acme/sms?src=a%20b";
  // Deliberately not sorted; the body has spaces, '+', '&' and an emoji.
  const FormParams params = {{"To", "+14155550100"},
                             {"Body", "Hi & bye + \xF0\x9F\x98\x80"},
                             {"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                             {"From", "+14155550123"},
                             {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
                             {"NumMedia", "0"}};
  const std::string signed_string = url +
                                    "AccountSidAC0123456789abcdef0123456789abcdef"
                                    "BodyHi & bye + \xF0\x9F\x98\x80"
                                    "From+14155550123"
                                    "MessageSidSM0123456789abcdef0123456789abcdef"
                                    "NumMedia0"
                                    "To+14155550100";
  const std::string expected = OpensslHmacSha1Base64("tok_acme-1", signed_string);
  ASSERT_EQ(expected.size(), 28u);
  EXPECT_EQ(TwilioSignature("tok_acme-1", url, params), expected);
  EXPECT_TRUE(VerifyTwilioSignature("tok_acme-1", url, params, expected));
}

TEST(TwilioSignatureTest, RepeatedNamesAreOrderedByValue) {
  const std::string url = "https://sms.example.com/x";
  const FormParams params = {{"MediaUrl", "https://b"}, {"A", "1"}, {"MediaUrl", "https://a"}};
  const std::string expected =
      OpensslHmacSha1Base64("k", url + "A1MediaUrlhttps://aMediaUrlhttps://b");
  EXPECT_EQ(TwilioSignature("k", url, params), expected);
}

TEST(TwilioSignatureTest, NoParametersSignsTheUrlAlone) {
  EXPECT_EQ(TwilioSignature("k", "https://sms.example.com/x?y=1", {}),
            OpensslHmacSha1Base64("k", "https://sms.example.com/x?y=1"));
}

TEST(TwilioSignatureTest, AnythingChangedFailsVerification) {
  const std::string url = "https://sms.example.com/v1/webhooks/twilio/acme/sms";
  const FormParams params = {{"Body", "hello"}, {"From", "+14155550123"}};
  const std::string good = OpensslHmacSha1Base64("secret", url + "BodyhelloFrom+14155550123");
  ASSERT_TRUE(VerifyTwilioSignature("secret", url, params, good));

  EXPECT_FALSE(VerifyTwilioSignature("Secret", url, params, good));
  EXPECT_FALSE(VerifyTwilioSignature("secret", url + "?x=1", params, good));
  EXPECT_FALSE(VerifyTwilioSignature("secret", "http://sms.example.com/v1/webhooks/twilio/acme/sms",
                                     params, good));
  EXPECT_FALSE(
      VerifyTwilioSignature("secret", url, {{"Body", "hello!"}, {"From", "+14155550123"}}, good));
  EXPECT_FALSE(VerifyTwilioSignature(
      "secret", url, {{"Body", "hello"}, {"From", "+14155550123"}, {"X", ""}}, good));
  EXPECT_FALSE(VerifyTwilioSignature("secret", url, params, good.substr(0, 27)));
  EXPECT_FALSE(VerifyTwilioSignature("secret", url, params, good + "="));
  EXPECT_FALSE(VerifyTwilioSignature("secret", url, params, ""));
  EXPECT_FALSE(VerifyTwilioSignature("", url, params, TwilioSignature("", url, params)));
}

TEST(TwilioSignatureTest, UrlWithOrWithoutTheDefaultPortBothVerify) {
  const FormParams params = {{"A", "1"}};
  const std::string with_port = OpensslHmacSha1Base64("k", "https://sms.example.com:443/p?q=1A1");
  const std::string without_port = OpensslHmacSha1Base64("k", "https://sms.example.com/p?q=1A1");
  EXPECT_TRUE(VerifyTwilioSignature("k", "https://sms.example.com/p?q=1", params, with_port));
  EXPECT_TRUE(
      VerifyTwilioSignature("k", "https://sms.example.com:443/p?q=1", params, without_port));
  EXPECT_TRUE(VerifyTwilioSignature("k", "https://sms.example.com:443/p?q=1", params, with_port));
}

TEST(UrlPortVariantsTest, AddsOrRemovesThePort) {
  EXPECT_THAT(UrlPortVariants("https://h.example/p?q"),
              ElementsAre("https://h.example/p?q", "https://h.example:443/p?q"));
  EXPECT_THAT(UrlPortVariants("http://h.example"),
              ElementsAre("http://h.example", "http://h.example:80"));
  EXPECT_THAT(UrlPortVariants("https://h.example:8443/p"),
              ElementsAre("https://h.example:8443/p", "https://h.example/p"));
  EXPECT_THAT(UrlPortVariants("https://u:pw@h.example/p"),
              ElementsAre("https://u:pw@h.example/p", "https://u:pw@h.example:443/p"));
  EXPECT_THAT(UrlPortVariants("http://[::1]:8080/p"),
              ElementsAre("http://[::1]:8080/p", "http://[::1]/p"));
  EXPECT_THAT(UrlPortVariants("not a url"), ElementsAre("not a url"));
}

}  // namespace
}  // namespace smsflow::ingest::webhook
