#pragma once
// Client side of grpc.health.v1.Health/Check, over a generic stub because
// Debian ships no generated health stubs for C++. The request for the whole
// server is an empty message; the response is field 1 (enum status). Used by
// smsctl, scripts and tests.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace smsflow::server {

enum class HealthStatus { kUnknown = 0, kServing = 1, kNotServing = 2, kUnreachable = -1 };

inline HealthStatus CheckHealth(const std::string& target,
                                std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::ByteBuffer request;  // empty HealthCheckRequest: service "" = whole server
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   std::lock_guard lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  if (!status.ok()) return HealthStatus::kUnreachable;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return HealthStatus::kUnreachable;
  std::string bytes;
  for (auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (bytes.size() == 2 && bytes[0] == 0x08) return static_cast<HealthStatus>(bytes[1]);
  return HealthStatus::kUnknown;  // status UNKNOWN(0) encodes as an empty message
}

}  // namespace smsflow::server
