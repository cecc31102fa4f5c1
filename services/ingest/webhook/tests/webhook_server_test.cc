// WebhookServer over real HTTP (port 0) against a real devkafka cluster and a
// real redis-server (retry dedup and receipt matching go through Redis), with
// the pipelines wired as in the binary.
#include "services/ingest/webhook/webhook_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <prometheus/registry.h>

#include <map>

#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "lib/testing/topic_reader.h"
#include "lib/testing/wait.h"
#include "services/ingest/tests/ingest_fixture.h"
#include "services/ingest/webhook/tests/openssl_signature.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest::webhook {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    webhook_auth_token: acme_token_1
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
  - id: globex
    webhook_auth_token: globex_token_2
    brand: {name: Globex, description: alerts, frequency: varies, support: help@globex.example}
    numbers:
      - {number: "+14155550200"}
  - id: initech
    brand: {name: Initech, description: alerts, frequency: varies, support: help@initech.example}
    numbers:
      - {number: "+14155550300"}
)";
constexpr char kPublicUrl[] = "https://sms.example.com";
constexpr char kSmsPath[] = "/v1/webhooks/twilio/acme/sms";
constexpr char kStatusPath[] = "/v1/webhooks/twilio/acme/status";
constexpr char kKnownMessageId[] = "0190a5b4-1111-7000-8000-000000000001";

// Encodes as a form (everything but unreserved characters escaped).
std::string Encode(const FormParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) {
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          out += static_cast<char>(c);
        } else {
          char buf[4];
          snprintf(buf, sizeof(buf), "%%%02X", c);
          out += buf;
        }
      }
      if (s == &k) out += '=';
    }
  }
  return out;
}

std::string Sign(const std::string& token, const std::string& url, const FormParams& params) {
  return testing::OpensslTwilioSignature(token, url, params);
}

FormParams Inbound(const std::string& sid, const std::string& body = "Hello") {
  return {{"MessageSid", sid},      {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
          {"From", "+14155550123"}, {"To", "+14155550100"},
          {"Body", body},           {"NumSegments", "1"},
          {"NumMedia", "0"}};
}

class WebhookServerTest : public PipelineFixture {
 protected:
  WebhookServerTest() : PipelineFixture(kTenants) {}

  void TearDown() override {
    if (server_) server_->Stop();
    PipelineFixture::TearDown();
  }

  void StartServer() {
    WebhookServerOptions opts;
    opts.host = "127.0.0.1";
    opts.port = 0;
    opts.public_base_url = std::string(kPublicUrl) + "/";  // trailing '/' is dropped
    opts.threads = 4;
    opts.twilio.max_body_bytes = 4096;
    server_ = std::make_unique<WebhookServer>(tenants_, *inbound_, *receipts_, registry_, *metrics_,
                                              opts);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(20, 0);
  }

  // Posts `params` signed with `token` (or with `signature` when given).
  httplib::Result Post(const std::string& path, const FormParams& params,
                       const std::string& token = "acme_token_1",
                       std::optional<std::string> signature = std::nullopt) {
    httplib::Headers headers;
    headers.emplace("X-Twilio-Signature",
                    signature.has_value() ? *signature : Sign(token, kPublicUrl + path, params));
    return client_->Post(path.c_str(), headers, Encode(params),
                         "application/x-www-form-urlencoded");
  }
  httplib::Result PostRaw(const std::string& path, const std::string& body,
                          const std::string& content_type = "application/x-www-form-urlencoded",
                          bool with_signature = true) {
    httplib::Headers headers;
    if (with_signature) headers.emplace("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    return client_->Post(path.c_str(), headers, body, content_type.c_str());
  }

  // The provider ids on sms.inbound.v1 once `last` has arrived, in order.
  static std::vector<std::string> InboundIdsUntil(smsflow::testing::TopicReader& reader,
                                                  const std::string& last) {
    std::vector<std::string> ids;
    smsflow::testing::WaitFor([&] {
      ids.clear();
      for (const auto& m : reader.Messages()) ids.push_back(Parse(m).provider_message_id());
      return !ids.empty() && ids.back() == last;
    });
    return ids;
  }

  // smsflow_ingest_{messages,receipts}_total{source="webhook",<label>=<value>}.
  double InboundCounted(const std::string& label, const std::string& value) {
    return Counter("smsflow_ingest_messages_total", {{"source", "webhook"}, {label, value}});
  }
  double ReceiptsCounted(const std::string& label, const std::string& value) {
    return Counter("smsflow_ingest_receipts_total", {{"source", "webhook"}, {label, value}});
  }

  static v1::InboundMessage Parse(const kafka::Message& m) {
    v1::InboundMessage msg;
    EXPECT_TRUE(msg.ParseFromString(m.value));
    return msg;
  }

  double Counter(const std::string& name, const std::map<std::string, std::string>& labels) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != name) continue;
      for (const auto& metric : family.metric) {
        bool match = true;
        for (const auto& [k, v] : labels) {
          bool found = false;
          for (const auto& l : metric.label) found |= (l.name == k && l.value == v);
          match &= found;
        }
        if (match) return metric.counter.value;
      }
    }
    return 0;
  }

  std::unique_ptr<WebhookServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebhookServerTest, InboundSmsIsPublishedThenAnsweredWithEmptyTwiml) {
  StartServer();
  smsflow::testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  FormParams params =
      Inbound("SM00000000000000000000000000000001", "What are your hours? \xF0\x9F\x98\x80 & more");
  params[6].second = "1";  // NumMedia
  params.emplace_back("MediaUrl0", "https://api.twilio.com/media/ME1");
  // The query string is part of the signed URL.
  auto res = Post(std::string(kSmsPath) + "?src=console%20a", params);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith("text/xml"));
  EXPECT_EQ(res->body, R"(<?xml version="1.0" encoding="UTF-8"?><Response></Response>)");

  auto messages = reader.WaitForCount(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].key, "acme|+14155550123");
  ASSERT_NE(messages[0].Header(kafka::kTypeHeader), nullptr);
  EXPECT_EQ(*messages[0].Header(kafka::kTypeHeader), "smsflow.v1.InboundMessage");
  const v1::InboundMessage msg = Parse(messages[0]);
  EXPECT_TRUE(sms::IsMessageId(msg.message_id()));
  EXPECT_EQ(msg.tenant_id(), "acme");
  EXPECT_EQ(msg.sender_scope(), "main");
  EXPECT_EQ(msg.from(), "+14155550123");
  EXPECT_EQ(msg.to(), "+14155550100");
  EXPECT_EQ(msg.body(), "What are your hours? \xF0\x9F\x98\x80 & more");
  EXPECT_EQ(msg.encoding(), v1::ENCODING_UCS2);
  EXPECT_EQ(msg.segments(), 1);
  EXPECT_EQ(msg.provider(), "twilio");
  EXPECT_EQ(msg.provider_message_id(), "SM00000000000000000000000000000001");
  EXPECT_EQ(msg.source(), v1::INBOUND_SOURCE_WEBHOOK);
  EXPECT_EQ(msg.num_media(), 1);
  ASSERT_EQ(msg.media_urls_size(), 1);
  EXPECT_EQ(msg.media_urls(0), "https://api.twilio.com/media/ME1");
  EXPECT_TRUE(msg.has_received_time());

  EXPECT_EQ(InboundCounted("outcome", "accepted"), 1);
  EXPECT_EQ(Counter("smsflow_ingest_webhook_requests_total", {{"route", "sms"}, {"code", "200"}}),
            1);
}

TEST_F(WebhookServerTest, ForgedOrMissingSignatureIs403AndNothingIsPublished) {
  StartServer();
  smsflow::testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  // Signed with another tenant's token.
  auto res = Post(kSmsPath, Inbound("SMforged1"), "globex_token_2");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body, "invalid signature");
  // A valid signature for a different body.
  const std::string sig_of_other =
      Sign("acme_token_1", kPublicUrl + std::string(kSmsPath), Inbound("SMforged2", "pay 5"));
  res = Post(kSmsPath, Inbound("SMforged2", "pay 500"), "", sig_of_other);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  // Signed for another URL (another tenant's path).
  res = Post(kSmsPath, Inbound("SMforged3"), "",
             Sign("acme_token_1", kPublicUrl + std::string("/v1/webhooks/twilio/globex/sms"),
                  Inbound("SMforged3")));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  // No signature at all.
  res = client_->Post(kSmsPath, Encode(Inbound("SMunsigned")), "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(res->body, "missing X-Twilio-Signature");

  // A valid message with the same key (same partition) afterwards: when it
  // arrives, anything published before it would have arrived too.
  res = Post(kSmsPath, Inbound("SMvalid"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(InboundIdsUntil(reader, "SMvalid"), ElementsAre("SMvalid"));
  EXPECT_EQ(InboundCounted("reason", "invalid_signature"), 3);
}

TEST_F(WebhookServerTest, UnknownTenantIs404AndTenantWithoutTokenIs403) {
  StartServer();
  auto res = Post("/v1/webhooks/twilio/nosuch/sms", Inbound("SM1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "unknown tenant");
  res = Post("/v1/webhooks/twilio/initech/status", {{"MessageSid", "SM1"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("webhook_auth_token"));
}

TEST_F(WebhookServerTest, DestinationOfAnotherTenantIs400) {
  StartServer();
  FormParams params = Inbound("SM1");
  params[3].second = "+14155550200";  // globex's number
  auto res = Post(kSmsPath, params);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "To: +14155550200 is not a number of tenant acme");
  params[3].second = "+14155550999";  // nobody's
  res = Post(kSmsPath, params);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "To: +14155550999 is not a number of tenant acme");
  // Counted once each, by the pipeline.
  EXPECT_EQ(InboundCounted("reason", "sender_not_allowed"), 1);
  EXPECT_EQ(InboundCounted("reason", "unknown_destination"), 1);
}

TEST_F(WebhookServerTest, MalformedOrInvalidBodiesAre400NamingTheProblem) {
  StartServer();
  auto res = PostRaw(kSmsPath, "MessageSid=SM1&Body=50%25+off%");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "form body: malformed percent escape (Body) at byte 29");
  res = PostRaw(kSmsPath, "Body=%FF%FE");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "form body: value (Body) is not valid UTF-8 at byte 5");

  // Well-formed and signed, but fields missing or wrong.
  FormParams no_from = Inbound("SM1");
  no_from.erase(no_from.begin() + 2);
  res = Post(kSmsPath, no_from);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "From: required");

  FormParams bad_from = Inbound("SM1");
  bad_from[2].second = "not a number";
  res = Post(kSmsPath, bad_from);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, StartsWith("From: phone number"));

  res = Post(kSmsPath, Inbound("SM1", ""));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "Body: empty (and no media attached)");

  FormParams twice = Inbound("SM1");
  twice.emplace_back("To", "+14155550100");
  res = Post(kSmsPath, twice);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "To: repeated");

  FormParams media = Inbound("SM1");
  media[6].second = "2";
  media.emplace_back("MediaUrl0", "https://m/0");
  res = Post(kSmsPath, media);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "MediaUrl1: required when NumMedia is 2");

  res = PostRaw(kSmsPath, R"({"Body":"hi"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);

  res = PostRaw(kSmsPath, "Body=" + std::string(5000, 'a'));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST_F(WebhookServerTest, UnknownPathIs404AndWrongMethodIs405) {
  StartServer();
  auto res = client_->Get(kSmsPath);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "POST");
  res = client_->Put(kStatusPath, "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  res = client_->Post("/v1/webhooks/twilio/acme/voice", "a=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(WebhookServerTest, StatusCallbacksAreMatchedThroughTheIndexAndPublished) {
  ASSERT_TRUE(index_
                  ->PutAll({{{"twilio", "SMknown"}, {kKnownMessageId, "acme", 0, 1}},
                            {{"twilio", "SMglobex"},
                             {"0190a5b4-2222-7000-8000-000000000002", "globex", 0, 1}}})
                  .ok());
  StartServer();
  smsflow::testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kDelivery)});

  auto res = Post(kStatusPath, {{"MessageSid", "SMknown"},
                                {"MessageStatus", "delivered"},
                                {"AccountSid", "AC1"},
                                {"To", "+1 415 555 0123"},
                                {"From", "+14155550100"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body, "");
  res = Post(
      kStatusPath,
      {{"MessageSid", "SMstranger"}, {"MessageStatus", "undelivered"}, {"ErrorCode", "30003"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = Post(kStatusPath, {{"MessageSid", "SMknown"}, {"MessageStatus", "teleported"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "MessageStatus: unknown value 'teleported'");
  // Signed by acme, but the sid is a message of globex: not acme's to report.
  res = Post(kStatusPath, {{"MessageSid", "SMglobex"}, {"MessageStatus", "delivered"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, "MessageSid: belongs to a message of another tenant");

  auto messages = reader.WaitForCount(2);
  ASSERT_EQ(messages.size(), 2u);
  std::map<std::string, std::pair<std::string, v1::DeliveryEvent>> by_sid;
  for (const auto& m : messages) {
    v1::DeliveryEvent e;
    ASSERT_TRUE(e.ParseFromString(m.value));
    ASSERT_NE(m.Header(kafka::kTypeHeader), nullptr);
    EXPECT_EQ(*m.Header(kafka::kTypeHeader), "smsflow.v1.DeliveryEvent");
    by_sid[e.provider_message_id()] = {m.key, e};
  }
  ASSERT_EQ(by_sid.count("SMglobex"), 0u);
  const auto& [known_key, known] = by_sid.at("SMknown");
  EXPECT_EQ(known_key, kKnownMessageId);
  EXPECT_EQ(known.message_id(), kKnownMessageId);
  EXPECT_FALSE(known.unmatched());
  EXPECT_EQ(known.part_count(), 1);
  EXPECT_EQ(known.status(), v1::MESSAGE_STATUS_DELIVERED);
  EXPECT_EQ(known.provider_status(), "delivered");
  EXPECT_EQ(known.tenant_id(), "acme");
  EXPECT_EQ(known.provider(), "twilio");
  EXPECT_EQ(known.reporter(), "ingest");
  EXPECT_EQ(known.to(), "+14155550123");
  EXPECT_EQ(known.from(), "+14155550100");
  EXPECT_TRUE(sms::IsMessageId(known.event_id()));
  EXPECT_TRUE(known.has_event_time());

  const auto& [stranger_key, stranger] = by_sid.at("SMstranger");
  EXPECT_EQ(stranger_key, "twilio|SMstranger");
  EXPECT_TRUE(stranger.unmatched());
  EXPECT_EQ(stranger.message_id(), "");
  EXPECT_EQ(stranger.tenant_id(), "acme");
  EXPECT_EQ(stranger.status(), v1::MESSAGE_STATUS_UNDELIVERED);
  EXPECT_EQ(stranger.reason_code(), v1::REASON_CODE_CARRIER_UNDELIVERABLE);
  EXPECT_EQ(stranger.carrier_error_code(), "30003");

  // Each callback counted once: by the webhook before the pipeline, by the
  // pipeline after.
  EXPECT_EQ(ReceiptsCounted("outcome", "matched"), 1);
  EXPECT_EQ(ReceiptsCounted("outcome", "unmatched"), 1);
  EXPECT_EQ(ReceiptsCounted("reason", "invalid_messagestatus"), 1);
  EXPECT_EQ(ReceiptsCounted("reason", "provider_message_id"), 1);
}

TEST_F(WebhookServerTest, ProviderRetryIsAnsweredTwiceButPublishedOnce) {
  StartServer();
  smsflow::testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  for (int i = 0; i < 2; ++i) {
    auto res = Post(kSmsPath, Inbound("SMretried"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->body, kEmptyTwiml);
  }
  // Same key, so same partition: it arrives after anything published before.
  auto res = Post(kSmsPath, Inbound("SMnext"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);

  EXPECT_THAT(InboundIdsUntil(reader, "SMnext"), ElementsAre("SMretried", "SMnext"));
  EXPECT_EQ(InboundCounted("outcome", "duplicate"), 1);
  EXPECT_EQ(InboundCounted("outcome", "accepted"), 2);
}

TEST_F(WebhookServerTest, KafkaDownMeans503AndTheRetryAfterRecoveryIsStored) {
  StartServer();
  kafka_.TakeBrokersDown();
  auto res = Post(kSmsPath, Inbound("SMoutage"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "5");
  EXPECT_THAT(res->body, HasSubstr("retry"));
  res = Post(kStatusPath, {{"MessageSid", "SMx"}, {"MessageStatus", "sent"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  EXPECT_GE(Counter("smsflow_ingest_produce_errors_total", {{"topic", "inbound"}}), 1);
  EXPECT_GE(Counter("smsflow_ingest_produce_errors_total", {{"topic", "delivery"}}), 1);
  kafka_.BringBrokersUp();

  // The provider retries: the claim of the failed attempt was released, so
  // the retry is stored, not mistaken for a duplicate of what was lost.
  smsflow::testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  ASSERT_TRUE(smsflow::testing::WaitFor([&] {
    auto retry = Post(kSmsPath, Inbound("SMoutage"));
    return retry && retry->status == 200;
  }));
  res = Post(kSmsPath, Inbound("SMafter"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  // (Contains, not ElementsAre: Kafka may store an attempt it reported as
  // failed; then the provider's retry is a second copy, never a loss.)
  EXPECT_THAT(InboundIdsUntil(reader, "SMafter"), Contains("SMoutage"));
  EXPECT_EQ(InboundCounted("outcome", "duplicate"), 0);
}

TEST_F(WebhookServerTest, RedisDownInboundIsStillTakenAndStatusCallbacksAre503) {
  StartServer();
  redis_.Stop();
  smsflow::testing::TopicReader inbound(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  // Availability over dedup (InboundPipeline): a STOP must not wait for Redis.
  auto res = Post(kSmsPath, Inbound("SMnoredis"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  ASSERT_EQ(inbound.WaitForCount(1).size(), 1u);
  // A receipt is never reported unmatched because the index could not be read.
  res = Post(kStatusPath, {{"MessageSid", "SMy"}, {"MessageStatus", "delivered"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  EXPECT_EQ(ReceiptsCounted("reason", "redis_unavailable"), 1);

  redis_.Start();
  ASSERT_TRUE(index_->PutAll({{{"twilio", "SMy"}, {kKnownMessageId, "acme", 0, 1}}}).ok());
  smsflow::testing::TopicReader delivery(kafka_.bootstrap(),
                                         {std::string(kafka::topics::kDelivery)});
  res = Post(kStatusPath, {{"MessageSid", "SMy"}, {"MessageStatus", "delivered"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  auto events = delivery.WaitForCount(1);
  ASSERT_EQ(events.size(), 1u);
  v1::DeliveryEvent e;
  ASSERT_TRUE(e.ParseFromString(events[0].value));
  EXPECT_EQ(e.message_id(), kKnownMessageId);
  EXPECT_FALSE(e.unmatched());
}

TEST_F(WebhookServerTest, StopIsIdempotentAndRefusesNewConnections) {
  StartServer();
  const int port = server_->port();
  server_->Stop();
  server_->Stop();
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(1, 0);
  auto res = c.Post(kSmsPath, "a=1", "application/x-www-form-urlencoded");
  EXPECT_FALSE(res);
}

TEST(WebhookServerOptionsTest, PublicUrlIsRequiredAndChecked) {
  WebhookServerOptions o;
  EXPECT_THAT(std::string(ValidateOptions(o).message()), HasSubstr("webhook-public-url: required"));
  o.public_base_url = "sms.example.com";
  EXPECT_THAT(std::string(ValidateOptions(o).message()), HasSubstr("https://"));
  o.public_base_url = "https://sms.example.com/?x=1";
  EXPECT_THAT(std::string(ValidateOptions(o).message()), HasSubstr("query"));
  o.public_base_url = "https://sms.example.com/prefix";
  EXPECT_TRUE(ValidateOptions(o).ok());
}

TEST(WebhookServerOptionsTest, ListenAddressIsHostAndPort) {
  WebhookServerOptions o;
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:8101", &o).ok());
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 8101);
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:0", &o).ok());
  EXPECT_EQ(o.port, 0);
  ASSERT_TRUE(ParseListenAddress("[::1]:9000", &o).ok());
  EXPECT_EQ(o.host, "::1");
  for (const char* bad : {"8101", ":8101", "host:", "host:x1", "host:70000", "host:-1"}) {
    EXPECT_THAT(std::string(ParseListenAddress(bad, &o).message()), StartsWith("webhook-address: "))
        << bad;
  }
}

}  // namespace
}  // namespace smsflow::ingest::webhook
