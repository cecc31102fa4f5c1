#include "lib/server/call_context.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "lib/server/service_host.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"

namespace smsflow::server {
namespace {

// Echoes the caller's identity through the response, as a handler would use it.
class EchoIdentity final : public v1::IngestService::Service {
  grpc::Status ReceiveMessage(grpc::ServerContext* ctx, const v1::ReceiveMessageRequest* req,
                              v1::ReceiveMessageResponse* resp) override {
    auto id = IdentityOf(ctx);
    if (!id.ok()) return ToGrpc(id.status());
    if (auto st = CheckTenantAccess(*id, req->provider()); !st.ok()) return ToGrpc(st);
    resp->set_tenant_id(id->tenant_id);
    resp->set_message_id(id->principal);
    return grpc::Status::OK;
  }
};

class CallContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HostOptions opts;
    opts.service = "ctx";
    opts.address = "127.0.0.1:0";
    host_ = std::make_unique<ServiceHost>(opts, registry_);
    host_->AddService(&service_);
    ASSERT_TRUE(host_->Start().ok());
    stub_ = v1::IngestService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(host_->port()), grpc::InsecureChannelCredentials()));
  }
  grpc::Status Call(const std::string& tenant_md, const std::string& tenant_req,
                    v1::ReceiveMessageResponse* resp) {
    grpc::ClientContext ctx;
    if (!tenant_md.empty()) ctx.AddMetadata(kTenantMetadataKey, tenant_md);
    ctx.AddMetadata(kPrincipalMetadataKey, "backend-7");
    v1::ReceiveMessageRequest req;
    req.set_provider(tenant_req);  // the test service reads the tenant from here
    return stub_->ReceiveMessage(&ctx, req, resp);
  }
  prometheus::Registry registry_;
  EchoIdentity service_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

TEST_F(CallContextTest, InterceptorAttachesIdentityFromMetadata) {
  v1::ReceiveMessageResponse resp;
  ASSERT_TRUE(Call("acme", "acme", &resp).ok());
  EXPECT_EQ(resp.tenant_id(), "acme");
  EXPECT_EQ(resp.message_id(), "backend-7");
}

TEST_F(CallContextTest, TenantConfinedCallerCannotActForAnother) {
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Call("acme", "globex", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("globex"), std::string::npos);
}

TEST_F(CallContextTest, InternalCallerMayActForAnyTenant) {
  v1::ReceiveMessageResponse resp;
  EXPECT_TRUE(Call("", "globex", &resp).ok());
}

TEST(CheckTenantAccessTest, Rules) {
  CallIdentity internal;
  internal.cross_tenant = true;
  EXPECT_TRUE(CheckTenantAccess(internal, "x").ok());
  CallIdentity confined{"p", "acme", false};
  EXPECT_TRUE(CheckTenantAccess(confined, "acme").ok());
  EXPECT_EQ(CheckTenantAccess(confined, "other").code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace smsflow::server
